//! The plugin's memory allocator inside the sandbox: a bump arena in the module's own zeroed data, then the
//! standard allocator.
//!
//! Every call runs in a fresh instance whose linear memory starts at the module's initial size, and Rust's standard
//! allocator on `wasm32-unknown-unknown` (dlmalloc) gets its first bytes by growing that memory (`memory.grow`). A
//! grown memory costs the host two `mprotect` calls per call (making the new pages readable, and hiding them again
//! when the next call's instance takes the slot), with their TLB flushes: about a fifth of a small call
//! (docs/performance.md, "Plugin host"). This arena lives in `.bss`, which is part of the initial memory, so a call
//! whose allocations fit in it never grows memory. Nothing survives a call: the host gives every call a new instance
//! whose memory starts from the module's image again.
//!
//! Allocation bumps a pointer; freeing gives the bytes back only when they are the last ones handed out (the common
//! push-then-drop pattern), otherwise they stay used until the call ends. Requests that do not fit go to the
//! standard allocator, so a plugin can use as much memory as the host's limit allows, as before.
//!
//! Enabled by the default feature `arena`; a plugin with its own `#[global_allocator]` turns the feature off.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, UnsafeCell};

/// The arena's size: what a call on a few hundred input values allocates (the request, the SDK's columns and the
/// result) fits well within it.
pub const ARENA_BYTES: usize = 256 * 1024;

/// A bump arena of [`ARENA_BYTES`] bytes in front of [`System`]; installed as the global allocator of the
/// WebAssembly build (lib.rs).
#[repr(C, align(16))]
pub struct Arena {
    bytes: UnsafeCell<[u8; ARENA_BYTES]>,
    /// How many bytes from the start are handed out (or given up until the call ends).
    used: Cell<usize>,
}

// SAFETY: the global arena exists only on `wasm32-unknown-unknown` without the `atomics` feature, which has one
// thread (see the `cfg` in lib.rs).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[allow(unsafe_code)]
unsafe impl Sync for Arena {}

impl Arena {
    /// An empty arena (all zeros, so that a `static` one lives in `.bss`).
    pub const fn new() -> Arena {
        Arena { bytes: UnsafeCell::new([0; ARENA_BYTES]), used: Cell::new(0) }
    }

    fn base(&self) -> usize {
        self.bytes.get() as usize
    }

    fn contains(&self, pointer: *mut u8) -> bool {
        let address = pointer as usize;
        address >= self.base() && address < self.base() + ARENA_BYTES
    }

    /// The arena's bytes for `layout`, if they fit.
    fn bump(&self, layout: Layout) -> Option<*mut u8> {
        let start = (self.base() + self.used.get()).checked_next_multiple_of(layout.align())?;
        let end = start.checked_add(layout.size())?;
        if end > self.base() + ARENA_BYTES {
            return None;
        }
        self.used.set(end - self.base());
        Some(start as *mut u8)
    }

    /// Resizes the block at `pointer` from `size` to `new_size` bytes, if it is the last one handed out and the
    /// arena has room.
    fn resize_last_in_place(&self, pointer: *mut u8, size: usize, new_size: usize) -> bool {
        let start = pointer as usize;
        if start + size != self.base() + self.used.get() || start + new_size > self.base() + ARENA_BYTES {
            return false;
        }
        self.used.set(start + new_size - self.base());
        true
    }
}

impl Default for Arena {
    fn default() -> Arena {
        Arena::new()
    }
}

// SAFETY: every block handed out is within the arena (and never handed out twice while in use: the bump pointer only
// moves back over the last block, when it is freed or resized) or comes from `System`, to which it is returned;
// blocks are aligned as asked.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: `layout` has a non-zero size, as `GlobalAlloc::alloc` requires of its caller.
        self.bump(layout).unwrap_or_else(|| unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match self.bump(layout) {
            Some(pointer) => {
                // SAFETY: the block is `layout.size()` bytes of the arena, now owned by the caller. Its bytes may
                // have been used and given back earlier in the call.
                unsafe { pointer.write_bytes(0, layout.size()) };
                pointer
            }
            // SAFETY: as in `alloc`.
            None => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        if self.contains(pointer) {
            // The last block is given back; any other stays used until the call ends.
            self.resize_last_in_place(pointer, layout.size(), 0);
        } else {
            // SAFETY: blocks outside the arena came from `System` with this layout.
            unsafe { System.dealloc(pointer, layout) }
        }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !self.contains(pointer) {
            // SAFETY: blocks outside the arena came from `System` with this layout.
            return unsafe { System.realloc(pointer, layout, new_size) };
        }
        // The last block is resized in place while the arena has room; any other block shrinks in place.
        if self.resize_last_in_place(pointer, layout.size(), new_size) || new_size <= layout.size() {
            return pointer;
        }
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return std::ptr::null_mut() };
        // SAFETY: `new_layout` has a non-zero size (larger than the old one); the new block never overlaps the old
        // one (it comes after every arena block handed out, or from `System`), which the caller still owns until
        // it is given back here.
        unsafe {
            let moved = self.alloc(new_layout);
            if !moved.is_null() {
                std::ptr::copy_nonoverlapping(pointer, moved, layout.size());
                self.dealloc(pointer, layout);
            }
            moved
        }
    }
}

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn blocks_are_aligned_distinct_and_the_last_is_given_back() {
        let arena = Box::new(Arena::new());
        unsafe {
            let a = arena.alloc(layout(3, 1));
            let b = arena.alloc(layout(8, 8));
            assert!(arena.contains(a) && arena.contains(b));
            assert_eq!(b as usize % 8, 0);
            assert!(b as usize >= a as usize + 3);
            let c = arena.alloc(layout(64, 64));
            assert_eq!(c as usize % 64, 0);
            // Freeing the last block gives its bytes back (not the padding before it); freeing an earlier one does
            // not.
            arena.dealloc(c, layout(64, 64));
            assert_eq!(arena.used.get(), c as usize - arena.base());
            arena.dealloc(a, layout(3, 1));
            assert_eq!(arena.used.get(), c as usize - arena.base());
            let d = arena.alloc(layout(8, 8));
            assert_eq!(d, c);
        }
    }

    #[test]
    fn what_does_not_fit_comes_from_the_system_allocator() {
        let arena = Box::new(Arena::new());
        unsafe {
            let big = arena.alloc(layout(ARENA_BYTES + 1, 8));
            assert!(!big.is_null() && !arena.contains(big));
            big.write_bytes(7, ARENA_BYTES + 1);
            arena.dealloc(big, layout(ARENA_BYTES + 1, 8));
            let almost_all = arena.alloc(layout(ARENA_BYTES - 16, 16));
            assert!(arena.contains(almost_all));
            let next = arena.alloc(layout(32, 8));
            assert!(!arena.contains(next));
            arena.dealloc(next, layout(32, 8));
        }
    }

    #[test]
    fn realloc_keeps_the_bytes_in_place_or_moved() {
        let arena = Box::new(Arena::new());
        unsafe {
            let first = arena.alloc(layout(4, 4));
            first.copy_from_nonoverlapping([1, 2, 3, 4].as_ptr(), 4);
            // The last block grows in place.
            let grown = arena.realloc(first, layout(4, 4), 16);
            assert_eq!(grown, first);
            let blocker = arena.alloc(layout(4, 4));
            // An earlier block moves, with its bytes.
            let moved = arena.realloc(grown, layout(16, 4), 32);
            assert_ne!(moved, grown);
            assert_eq!(std::slice::from_raw_parts(moved, 4), [1, 2, 3, 4]);
            // Shrinking never moves.
            assert_eq!(arena.realloc(blocker, layout(4, 4), 2), blocker);
            // Past the arena, to the system allocator, with the bytes.
            let outside = arena.realloc(moved, layout(32, 4), ARENA_BYTES);
            assert!(!arena.contains(outside));
            assert_eq!(std::slice::from_raw_parts(outside, 4), [1, 2, 3, 4]);
            let back = arena.realloc(outside, layout(ARENA_BYTES, 4), 8);
            assert_eq!(std::slice::from_raw_parts(back, 4), [1, 2, 3, 4]);
            arena.dealloc(back, layout(8, 4));
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_even_over_given_back_bytes() {
        let arena = Box::new(Arena::new());
        unsafe {
            let dirty = arena.alloc(layout(64, 8));
            dirty.write_bytes(0xAB, 64);
            arena.dealloc(dirty, layout(64, 8));
            let zeroed = arena.alloc_zeroed(layout(64, 8));
            assert_eq!(zeroed, dirty);
            assert!(std::slice::from_raw_parts(zeroed, 64).iter().all(|byte| *byte == 0));
        }
    }
}
