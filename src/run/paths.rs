//! The answer files of a run, kept small: a sorted list of paths stored
//! front-coded (each path as the length of the prefix it shares with the
//! one before it and the rest), so that a bank of a million answers in a
//! few folders takes a few bytes per answer instead of a `PathBuf` each.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::{Path, PathBuf};

/// Paths in the order they were pushed (sorted, for a run's answers),
/// stored front-coded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathList {
    /// Per path: shared prefix length and rest length (LEB128), the rest.
    coded: Vec<u8>,
    /// The last path pushed, whole.
    last: Vec<u8>,
    len: usize,
}

impl PathList {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `path` at the end.
    pub fn push(&mut self, path: &Path) {
        let bytes = bytes_of(path);
        let shared = self
            .last
            .iter()
            .zip(bytes.iter())
            .take_while(|(a, b)| a == b)
            .count();
        put_number(&mut self.coded, shared);
        put_number(&mut self.coded, bytes.len() - shared);
        self.coded.extend_from_slice(&bytes[shared..]);
        self.last.truncate(shared);
        self.last.extend_from_slice(&bytes[shared..]);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The paths, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            coded: &self.coded,
            current: Vec::new(),
            left: self.len,
        }
    }

    /// The bytes it holds.
    pub fn retained(&self) -> usize {
        self.coded.capacity() + self.last.capacity()
    }

    /// The last path, if any.
    pub fn last(&self) -> Option<PathBuf> {
        (self.len > 0).then(|| path_of(&self.last))
    }

    /// Gives back the room it grew but does not use.
    pub fn shrink_to_fit(&mut self) {
        self.coded.shrink_to_fit();
    }
}

impl FromIterator<PathBuf> for PathList {
    fn from_iter<I: IntoIterator<Item = PathBuf>>(iter: I) -> Self {
        let mut list = PathList::new();
        for p in iter {
            list.push(&p);
        }
        list
    }
}

impl<'a> IntoIterator for &'a PathList {
    type Item = PathBuf;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The paths of a [`PathList`], in order.
pub struct Iter<'a> {
    coded: &'a [u8],
    current: Vec<u8>,
    left: usize,
}

impl Iterator for Iter<'_> {
    type Item = PathBuf;

    fn next(&mut self) -> Option<PathBuf> {
        if self.left == 0 {
            return None;
        }
        let shared = take_number(&mut self.coded);
        let rest = take_number(&mut self.coded);
        let (bytes, coded) = self.coded.split_at(rest);
        self.coded = coded;
        self.current.truncate(shared);
        self.current.extend_from_slice(bytes);
        self.left -= 1;
        Some(path_of(&self.current))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Sorted lists merged into one sorted list in which each path appears once:
/// what sorting the lists put end to end (stably) and removing repeats
/// gives. Of equal paths the one of the earliest list is kept.
pub fn merge(mut lists: Vec<PathList>) -> PathList {
    lists.retain(|l| !l.is_empty());
    let mut out = PathList::new();
    let mut last: Option<PathBuf> = None;
    let mut push = |p: PathBuf, out: &mut PathList| {
        if last.as_ref() != Some(&p) {
            out.push(&p);
            last = Some(p);
        }
    };
    // Lists that follow each other (folders named in order) need no merging.
    let ordered = lists
        .windows(2)
        .all(|w| match (w[0].last(), w[1].iter().next()) {
            (Some(a), Some(b)) => a < b,
            _ => true,
        });
    if ordered {
        for p in lists.iter().flat_map(PathList::iter) {
            push(p, &mut out);
        }
        return out;
    }
    let mut iters: Vec<Iter<'_>> = lists.iter().map(PathList::iter).collect();
    let mut heap = BinaryHeap::new();
    for (i, it) in iters.iter_mut().enumerate() {
        if let Some(p) = it.next() {
            heap.push(Reverse((p, i)));
        }
    }
    while let Some(Reverse((p, i))) = heap.pop() {
        if let Some(next) = iters[i].next() {
            heap.push(Reverse((next, i)));
        }
        push(p, &mut out);
    }
    out
}

fn put_number(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn take_number(input: &mut &[u8]) -> usize {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some((&b, rest)) = input.split_first() {
        *input = rest;
        n |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    n
}

#[cfg(unix)]
fn bytes_of(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
}

#[cfg(unix)]
fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

// Elsewhere a path is kept as Unicode text: one that is not valid Unicode
// (possible on Windows) is kept with U+FFFD in place of what is not.
#[cfg(not(unix))]
fn bytes_of(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(path.to_string_lossy().into_owned().into_bytes())
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(paths: &[&str]) -> PathList {
        paths.iter().map(PathBuf::from).collect()
    }

    fn strings(l: &PathList) -> Vec<String> {
        l.iter().map(|p| p.display().to_string()).collect()
    }

    #[test]
    fn paths_come_back_as_pushed() {
        let paths = [
            "answers/000/answer-000001.md",
            "answers/000/answer-000002.md",
            "answers/001/answer-001000.md",
            "a",
            "",
            "answers/é/ü.md",
        ];
        let l = list(&paths);
        assert_eq!(l.len(), paths.len());
        assert_eq!(strings(&l), paths);
        let long = "x/".repeat(300);
        let l = list(&[&long, &format!("{long}y")]);
        assert_eq!(strings(&l), [long.clone(), format!("{long}y")]);
    }

    #[test]
    fn a_bank_in_folders_takes_a_few_bytes_per_answer() {
        let l: PathList = (0..10_000)
            .map(|i| {
                PathBuf::from(format!(
                    "/tmp/bank/answers/{:03}/answer-{i:06}.md",
                    i / 1000
                ))
            })
            .collect();
        assert!(l.retained() < 10_000 * 12, "{}", l.retained());
    }

    #[test]
    fn merging_is_sorting_without_repeats() {
        let merged = merge(vec![
            list(&["b/1.md", "b/2.md"]),
            list(&["a/1.md", "b/2.md", "c.md"]),
            list(&[]),
            list(&["a/0.md"]),
        ]);
        assert_eq!(
            strings(&merged),
            ["a/0.md", "a/1.md", "b/1.md", "b/2.md", "c.md"]
        );
        let merged = merge(vec![
            list(&["b/1.md", "b/2.md"]),
            list(&[]),
            list(&["a/0.md"]),
        ]);
        assert_eq!(strings(&merged), ["a/0.md", "b/1.md", "b/2.md"]);
        let ordered = merge(vec![list(&["a/1.md", "a/2.md"]), list(&["a/2.md", "b.md"])]);
        assert_eq!(strings(&ordered), ["a/1.md", "a/2.md", "b.md"]);
        // Paths equal as paths: the earliest list's spelling is kept.
        let same = merge(vec![list(&["b.md", "x/./a.md"]), list(&["x/a.md"])]);
        assert_eq!(strings(&same), ["b.md", "x/./a.md"]);
    }
}
