//! The allocator the binary and the benchmarks run on: mimalloc (see
//! Cargo.toml), asked for blocks the cheap way where it can be, and the
//! system's allocator for blocks of a megabyte or more.

use std::alloc::{GlobalAlloc, Layout};

/// mimalloc, asked as C's `malloc` is when the alignment is one it gives
/// anyway: `mimalloc::MiMalloc` asks every allocation through
/// `mi_malloc_aligned`, whose checks cost about as much as the allocation
/// itself for the small blocks a run makes most of. Every mimalloc block
/// is a whole number of 8-byte words from an aligned page, so 8-byte
/// alignment needs no asking; 16 does (its 24-, 40- and 56-byte blocks
/// are only 8-aligned), and goes through `MiMalloc` as before.
///
/// Blocks of [`LARGE`] bytes or more (at those alignments) come from the
/// system's allocator, which maps them fresh: pages the kernel hands out
/// are zero, and only those a block's user touches become resident.
/// mimalloc places such a block in a segment it shares with smaller ones
/// and, once any of them was freed, zeroes a zeroed block in full. tantivy
/// asks for a zeroed 1 MB page for each of the nine arenas of an index
/// writer, of which a bank's index uses a few kilobytes: zeroing them was
/// 2,300 page faults (9 MB) of every run with detection.
pub struct Mimalloc;

const MALLOC_ALIGN: usize = 8;

/// The size from which blocks come from the system's allocator. Which
/// allocator owns a block follows from its size (the layout it is freed
/// with is the one it was made with); a block that `realloc` moves across
/// this size is copied from one to the other.
pub const LARGE: usize = 1 << 20;

/// Whether a block of `layout` comes from the system's allocator.
#[inline]
fn system(layout: &Layout) -> bool {
    layout.size() >= LARGE && layout.align() <= MALLOC_ALIGN
}

// SAFETY: each call passes its arguments to the mimalloc or system function
// for the same job; the plain mimalloc functions are used only where the
// block they return is aligned as asked (see above), and a block is freed
// or resized by the allocator that made it (see `LARGE`).
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if system(&layout) {
            return unsafe { std::alloc::System.alloc(layout) };
        }
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
        if system(&layout) {
            return unsafe { std::alloc::System.alloc_zeroed(layout) };
        }
        if layout.align() <= MALLOC_ALIGN {
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if system(&layout) {
            return unsafe { std::alloc::System.dealloc(ptr, layout) };
        }
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `realloc`'s contract: the new size, at the old alignment,
        // is a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (system(&layout), system(&new_layout)) {
            (true, true) => return unsafe { std::alloc::System.realloc(ptr, layout, new_size) },
            (false, false) => {}
            // Across `LARGE`: a block of the other allocator, and a copy.
            _ => {
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                return moved;
            }
        }
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
            // 400,000 grows across `LARGE` and `LARGE` shrinks across it;
            // 3 × `LARGE` grows and shrinks on the system's side.
            for size in (1..=256).chain([1000, 4096, 70_000, 400_000, LARGE, 3 * LARGE]) {
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
