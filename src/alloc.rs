//! The allocator the binary and the benchmarks run on: mimalloc (see
//! Cargo.toml), asked for blocks the cheap way where it can be.

use std::alloc::{GlobalAlloc, Layout};

/// mimalloc, asked as C's `malloc` is when the alignment is one it gives
/// anyway: `mimalloc::MiMalloc` asks every allocation through
/// `mi_malloc_aligned`, whose checks cost about as much as the allocation
/// itself for the small blocks a run makes most of. Every mimalloc block
/// is a whole number of 8-byte words from an aligned page, so 8-byte
/// alignment needs no asking; 16 does (its 24-, 40- and 56-byte blocks
/// are only 8-aligned), and goes through `MiMalloc` as before.
pub struct Mimalloc;

const MALLOC_ALIGN: usize = 8;

// SAFETY: each call passes its arguments to the mimalloc function for the
// same job; the plain functions are used only where the block they return
// is aligned as asked (see above).
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            let p: *mut u8 = unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() };
            debug_assert!(p.is_null() || p.addr() % layout.align() == 0);
            p
        } else {
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size up to a few pages, at every alignment up to 16: blocks
    /// are aligned as asked, hold what was written, and keep it through
    /// growing and shrinking.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_bytes() {
        let a = Mimalloc;
        for align in [1usize, 2, 4, 8, 16] {
            for size in (1..=256).chain([1000, 4096, 70_000]) {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p.addr() % align, 0, "size {size}, align {align}");
                    for i in 0..size {
                        *p.add(i) = i as u8;
                    }
                    let grown = a.realloc(p, layout, size * 3);
                    assert_eq!(grown.addr() % align, 0);
                    assert!((0..size).all(|i| *grown.add(i) == i as u8));
                    let grown_layout = Layout::from_size_align(size * 3, align).unwrap();
                    let shrunk = a.realloc(grown, grown_layout, size.div_ceil(2));
                    assert_eq!(shrunk.addr() % align, 0);
                    assert!((0..size.div_ceil(2)).all(|i| *shrunk.add(i) == i as u8));
                    a.dealloc(
                        shrunk,
                        Layout::from_size_align(size.div_ceil(2), align).unwrap(),
                    );
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z.addr() % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
