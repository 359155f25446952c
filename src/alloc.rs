//! The binary's global allocator: mimalloc for small and medium blocks, the system allocator for large ones, so that
//! the many short-lived allocations of a review (W1) are cheap while a large vector of W2 still grows in place.
//!
//! Why split (docs/performance.md, "W1 sixth pass"): mimalloc alone cuts the review's CPU time by about a fifth, but
//! it grows a large block by allocating, copying and freeing, faulting the new pages each time, where glibc's
//! `realloc` of a block it got from `mmap` moves the pages with `mremap`; a ten-million-row evaluation grows vectors
//! of hundreds of megabytes and paid for it in system time and peak memory. So a block goes to one allocator or the
//! other by its size alone: [`GlobalAlloc::dealloc`] and [`GlobalAlloc::realloc`] receive the block's layout, so the
//! allocator that owns a block is always known without any lookup, and a `realloc` across the threshold moves the
//! block from one allocator to the other (allocate, copy, free).

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks of this many bytes or more go to the large-block allocator: 1 MiB, above every allocation of the review's
/// hot paths (template context, cube memo entries, plugin inputs) and below the vectors that grow with the rows.
pub const LARGE_BLOCK: usize = 1 << 20;

/// A global allocator that sends blocks below [`LARGE_BLOCK`] bytes to `Small` and the others to `Large`.
///
/// Which allocator owns a block is decided by `layout.size()` alone, which the caller of `dealloc` and `realloc`
/// must pass unchanged ([`GlobalAlloc`]'s contract), so ownership is never ambiguous.
#[derive(Debug, Clone, Copy, Default)]
pub struct SizeSplit<Small, Large> {
    /// The allocator of blocks below the threshold.
    pub small: Small,
    /// The allocator of blocks at or above the threshold.
    pub large: Large,
}

/// The binary's allocator: mimalloc below 1 MiB, the C library's `malloc` from 1 MiB.
pub type Allocator = SizeSplit<mimalloc::MiMalloc, System>;

/// The allocator value installed with `#[global_allocator]` in `main.rs`.
pub const ALLOCATOR: Allocator = SizeSplit { small: mimalloc::MiMalloc, large: System };

/// Whether a block of `size` bytes belongs to the large-block allocator.
pub const fn is_large(size: usize) -> bool {
    size >= LARGE_BLOCK
}

// SAFETY: every method forwards to exactly one of two allocators that uphold `GlobalAlloc`'s contract, chosen by the
// block's size; a block is always freed or resized by the allocator chosen for its current size, which is the one
// that allocated it (allocation and every later call see the same `layout.size()`). A resize that crosses the
// threshold allocates in the other allocator, copies the smaller of the two sizes and frees the old block in its own.
#[allow(unsafe_code)]
unsafe impl<Small: GlobalAlloc, Large: GlobalAlloc> GlobalAlloc for SizeSplit<Small, Large> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { if is_large(layout.size()) { self.large.alloc(layout) } else { self.small.alloc(layout) } }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`; the system allocator's `calloc` takes fresh zero pages for a large block.
        unsafe {
            if is_large(layout.size()) { self.large.alloc_zeroed(layout) } else { self.small.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated with `layout`, so by the allocator its size chooses.
        unsafe {
            if is_large(layout.size()) { self.large.dealloc(ptr, layout) } else { self.small.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (is_large(layout.size()), is_large(new_size)) {
            // SAFETY: the block stays with the allocator that owns it.
            (true, true) => unsafe { self.large.realloc(ptr, layout, new_size) },
            // SAFETY: as above.
            (false, false) => unsafe { self.small.realloc(ptr, layout, new_size) },
            // SAFETY: the block changes owner: `move_block` allocates in the new one and frees in the old one.
            _ => unsafe { self.move_block(ptr, layout, new_size) },
        }
    }
}

impl<Small: GlobalAlloc, Large: GlobalAlloc> SizeSplit<Small, Large> {
    /// Moves a block whose resize crosses [`LARGE_BLOCK`] to the other allocator: allocates `new_size` bytes with the
    /// same alignment there, copies the bytes both sizes hold, frees the old block. On failure (null) the old block is
    /// left as it was, as `realloc` requires.
    ///
    /// # Safety
    /// As [`GlobalAlloc::realloc`]: `ptr` was allocated by `self` with `layout`, `new_size` is non-zero and, rounded
    /// up to the alignment, does not overflow `isize`.
    #[allow(unsafe_code)]
    unsafe fn move_block(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with `layout.align()` is a valid layout (realloc's contract).
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: a fresh block from the allocator `new_size` chooses; the copy covers bytes valid in both blocks,
        // which cannot overlap (the new block is live while the old one is not yet freed).
        unsafe {
            let new_ptr = self.alloc(new_layout);
            if !new_ptr.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new_ptr, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new_ptr
        }
    }
}

#[cfg(test)]
#[path = "alloc_tests.rs"]
mod tests;
