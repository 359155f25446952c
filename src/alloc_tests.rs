//! Tests of the size-split allocator: which allocator each call reaches, on both sides of the threshold and across it,
//! and that a block's bytes survive every resize (with counting allocators over the system one standing in for the two).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

use proptest::prelude::*;

use super::{LARGE_BLOCK, SizeSplit, is_large};

/// The system allocator, counting the calls that reach it and the blocks it holds.
#[derive(Debug, Default)]
struct Counting {
    allocs: AtomicUsize,
    deallocs: AtomicUsize,
    reallocs: AtomicUsize,
    live: AtomicIsize,
}

#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.allocs.fetch_add(1, Ordering::Relaxed);
        self.live.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.deallocs.fetch_add(1, Ordering::Relaxed);
        self.live.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.reallocs.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

impl Counting {
    /// (allocs, deallocs, reallocs, live blocks).
    fn counts(&self) -> (usize, usize, usize, isize) {
        (
            self.allocs.load(Ordering::Relaxed),
            self.deallocs.load(Ordering::Relaxed),
            self.reallocs.load(Ordering::Relaxed),
            self.live.load(Ordering::Relaxed),
        )
    }
}

type Split = SizeSplit<Counting, Counting>;

/// Writes `size` bytes of a pattern derived from `seed` at `ptr`.
#[allow(unsafe_code)]
fn fill(ptr: *mut u8, size: usize, seed: u8) {
    // SAFETY: the tests call it on live blocks of at least `size` bytes.
    let bytes = unsafe { std::slice::from_raw_parts_mut(ptr, size) };
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = (i as u8).wrapping_mul(31).wrapping_add(seed);
    }
}

/// Whether the first `size` bytes at `ptr` hold the pattern of `fill`.
#[allow(unsafe_code)]
fn holds(ptr: *const u8, size: usize, seed: u8) -> bool {
    // SAFETY: the tests call it on live blocks of at least `size` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, size) };
    bytes.iter().enumerate().all(|(i, byte)| *byte == (i as u8).wrapping_mul(31).wrapping_add(seed))
}

#[test]
fn the_threshold_is_one_mebibyte_inclusive() {
    for (size, large) in [(1, false), (4096, false), (LARGE_BLOCK - 1, false), (LARGE_BLOCK, true), (1 << 30, true)] {
        assert_eq!(is_large(size), large, "size {size}");
    }
}

#[test]
#[allow(unsafe_code)]
fn alloc_and_dealloc_reach_the_allocator_of_the_size() {
    for (size, align, large) in [(8, 8, false), (1000, 64, false), (LARGE_BLOCK - 1, 1, false), (LARGE_BLOCK, 16, true)]
    {
        for zeroed in [false, true] {
            let split = Split::default();
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: a valid non-zero layout; the block is freed with the same layout.
            unsafe {
                let ptr = if zeroed { split.alloc_zeroed(layout) } else { split.alloc(layout) };
                assert!(!ptr.is_null());
                assert_eq!(ptr as usize % align, 0, "size {size}, align {align}");
                if zeroed {
                    assert!(std::slice::from_raw_parts(ptr, size).iter().all(|b| *b == 0));
                }
                let (owner, other) = if large { (&split.large, &split.small) } else { (&split.small, &split.large) };
                assert_eq!(owner.counts(), (1, 0, 0, 1), "size {size}");
                split.dealloc(ptr, layout);
                assert_eq!(owner.counts(), (1, 1, 0, 0), "size {size}");
                assert_eq!(other.counts(), (0, 0, 0, 0), "size {size}");
            }
        }
    }
}

/// One resize: from `old` to `new` bytes; which allocator must own the block afterwards and whether it moved.
#[test]
#[allow(unsafe_code)]
fn realloc_stays_or_moves_by_the_sizes() {
    let cases = [
        // (old, new, small (allocs, deallocs, reallocs, live), large (same))
        (100, 200, (1, 0, 1, 1), (0, 0, 0, 0)),
        (LARGE_BLOCK - 8, 64, (1, 0, 1, 1), (0, 0, 0, 0)),
        (LARGE_BLOCK, 4 * LARGE_BLOCK, (0, 0, 0, 0), (1, 0, 1, 1)),
        (8 * LARGE_BLOCK, LARGE_BLOCK, (0, 0, 0, 0), (1, 0, 1, 1)),
        // Across the threshold: allocated in the other allocator, copied, freed in the first.
        (1000, LARGE_BLOCK, (1, 1, 0, 0), (1, 0, 0, 1)),
        (LARGE_BLOCK - 1, 3 * LARGE_BLOCK, (1, 1, 0, 0), (1, 0, 0, 1)),
        (LARGE_BLOCK, LARGE_BLOCK - 1, (1, 0, 0, 1), (1, 1, 0, 0)),
        (2 * LARGE_BLOCK, 10, (1, 0, 0, 1), (1, 1, 0, 0)),
    ];
    for (old, new, small, large) in cases {
        for align in [1, 8, 4096] {
            let split = Split::default();
            let layout = Layout::from_size_align(old, align).unwrap();
            // SAFETY: valid layouts; the block is freed with the layout of its last size.
            unsafe {
                let ptr = split.alloc(layout);
                fill(ptr, old, 7);
                let moved = split.realloc(ptr, layout, new);
                assert!(!moved.is_null());
                assert_eq!(moved as usize % align, 0, "{old} -> {new}, align {align}");
                assert!(holds(moved, old.min(new), 7), "{old} -> {new}: bytes lost");
                assert_eq!(split.small.counts(), small, "{old} -> {new}: small allocator");
                assert_eq!(split.large.counts(), large, "{old} -> {new}: large allocator");
                split.dealloc(moved, Layout::from_size_align(new, align).unwrap());
                assert_eq!(split.small.counts().3 + split.large.counts().3, 0, "{old} -> {new}: a block leaked");
            }
        }
    }
}

/// A size from a few bytes to a few mebibytes, often right at the threshold.
fn sizes() -> impl Strategy<Value = usize> {
    prop_oneof![1usize..4096, (LARGE_BLOCK - 64)..(LARGE_BLOCK + 64), 1usize..(3 * LARGE_BLOCK)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any chain of resizes keeps the bytes both sizes hold, ends with every block freed by its owner, and each
    /// allocator holds a block exactly when its size says so.
    #[test]
    #[allow(unsafe_code)]
    fn resizes_keep_bytes_and_owners(first in sizes(), chain in proptest::collection::vec(sizes(), 1..6)) {
        let split = Split::default();
        let mut layout = Layout::from_size_align(first, 8).unwrap();
        // SAFETY: valid layouts; each call gets the layout of the block's current size.
        unsafe {
            let mut ptr = split.alloc(layout);
            fill(ptr, first, 3);
            let mut valid = first;
            for (step, new) in chain.into_iter().enumerate() {
                ptr = split.realloc(ptr, layout, new);
                prop_assert!(!ptr.is_null());
                valid = valid.min(new);
                prop_assert!(holds(ptr, valid, 3), "step {}: bytes lost", step);
                layout = Layout::from_size_align(new, 8).unwrap();
                let (small_live, large_live) = (split.small.counts().3, split.large.counts().3);
                prop_assert_eq!((small_live, large_live), if is_large(new) { (0, 1) } else { (1, 0) });
            }
            split.dealloc(ptr, layout);
        }
        prop_assert_eq!(split.small.counts().3, 0);
        prop_assert_eq!(split.large.counts().3, 0);
    }
}
