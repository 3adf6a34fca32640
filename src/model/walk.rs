//! Walking a directory for input files (rubrics, answers).
//!
//! Symbolic links are followed only while they stay inside the walked tree:
//! a link to a directory that is being walked (a loop, such as `ln -s . self`)
//! is reported once, by name, and not descended; a link leading out of the
//! tree is skipped and listed. A file reached twice (through a link) is taken
//! once. Hidden files and directories are skipped. The filesystem root is
//! refused, and a walk stops with an error after [`MAX_ENTRIES`] entries, so
//! a mistyped directory never walks the whole disk.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The most entries (files and directories) one walk visits.
pub const MAX_ENTRIES: usize = 200_000;

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The files kept by the filter, sorted by path.
    pub files: Vec<PathBuf>,
    /// Links skipped because they lead out of the walked tree.
    pub outside: Vec<PathBuf>,
    /// Problems met on the way (link loops, unreadable directories).
    pub problems: Vec<WalkProblem>,
}

/// A problem at one path of a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for WalkProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// A walk that could not be done at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkError {
    /// The root is `/` (or a drive root).
    FilesystemRoot(PathBuf),
    /// More than [`MAX_ENTRIES`] entries under the root.
    TooMany(PathBuf),
    /// The root cannot be read.
    Unreadable(PathBuf, String),
}

impl WalkError {
    /// The path the walk failed at.
    pub fn path(&self) -> &Path {
        match self {
            WalkError::FilesystemRoot(p) | WalkError::TooMany(p) | WalkError::Unreadable(p, _) => p,
        }
    }

    /// Why, without the path.
    pub fn reason(&self) -> String {
        match self {
            WalkError::FilesystemRoot(_) => {
                "is the filesystem root; name the directory that holds the files".to_string()
            }
            WalkError::TooMany(_) => {
                format!("more than {MAX_ENTRIES} files and directories; name a smaller directory")
            }
            WalkError::Unreadable(_, e) => format!("cannot read directory: {e}"),
        }
    }
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path().display(), self.reason())
    }
}

impl std::error::Error for WalkError {}

/// The files a walk has taken, so that a file reached twice (through a
/// link to a sibling directory) is taken once. Entries are told apart by
/// inode, which the directory listing gives for free; only entries that
/// share one are compared by canonical path (so hard links and files on
/// other devices stay distinct), instead of resolving every path.
#[derive(Debug, Default)]
pub struct SeenFiles {
    first: HashMap<u64, PathBuf>,
    canonical: HashSet<PathBuf>,
}

impl SeenFiles {
    /// Whether the file at `path` was not taken before (and takes it).
    /// `ino` is the directory entry's inode; for an entry that is itself a
    /// link, that is the link's, so the target's is looked up.
    pub fn first_time(&mut self, path: &Path, ino: Option<u64>, is_link: bool) -> bool {
        let ino = if is_link { target_ino(path) } else { ino };
        let Some(ino) = ino else {
            return self.first_canonical(path);
        };
        match self.first.entry(ino) {
            Entry::Vacant(v) => {
                v.insert(path.to_path_buf());
                true
            }
            Entry::Occupied(o) => {
                let earlier = o.get().clone();
                self.first_canonical(&earlier);
                self.first_canonical(path)
            }
        }
    }

    fn first_canonical(&mut self, path: &Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(c) => self.canonical.insert(c),
            Err(_) => true,
        }
    }
}

#[cfg(unix)]
fn target_ino(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.ino())
}

#[cfg(not(unix))]
fn target_ino(_path: &Path) -> Option<u64> {
    None
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.') && name != "." && name != ".."
}

/// Walks `root` (a directory) and keeps the regular files for which `keep`
/// is true.
pub fn walk(root: &Path, mut keep: impl FnMut(&Path) -> bool) -> Result<Walked, WalkError> {
    let canonical = std::fs::canonicalize(root)
        .map_err(|e| WalkError::Unreadable(root.to_path_buf(), e.to_string()))?;
    if canonical.parent().is_none() {
        return Err(WalkError::FilesystemRoot(root.to_path_buf()));
    }
    let mut out = Walked::default();
    let mut seen = SeenFiles::default();
    let mut outside = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_hidden(e.file_name()) {
                return false;
            }
            if e.depth() > 0 && e.path_is_symlink() {
                let inside = std::fs::canonicalize(e.path())
                    .is_ok_and(|target| target.starts_with(&canonical));
                if !inside {
                    outside.push(e.path().to_path_buf());
                    return false;
                }
            }
            true
        });
    for (count, entry) in walker.enumerate() {
        if count >= MAX_ENTRIES {
            return Err(WalkError::TooMany(root.to_path_buf()));
        }
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let message = match e.loop_ancestor() {
                    Some(a) => format!(
                        "symbolic link loop: leads back to `{}`, which is being walked; not followed",
                        a.display()
                    ),
                    None => match e.io_error() {
                        Some(io) if path == root => {
                            return Err(WalkError::Unreadable(path, io.to_string()))
                        }
                        Some(io) => format!("cannot read: {io}"),
                        None => e.to_string(),
                    },
                };
                out.problems.push(WalkProblem { path, message });
                continue;
            }
        };
        if !entry.file_type().is_file() || !keep(entry.path()) {
            continue;
        }
        // A file reached twice (a link to a sibling directory) is taken once.
        if !seen.first_time(entry.path(), entry_ino(&entry), entry.path_is_symlink()) {
            continue;
        }
        out.files.push(entry.into_path());
    }
    out.outside = outside;
    out.files.sort();
    Ok(out)
}

#[cfg(unix)]
fn entry_ino(entry: &walkdir::DirEntry) -> Option<u64> {
    use walkdir::DirEntryExt;
    Some(entry.ino())
}

#[cfg(not(unix))]
fn entry_ino(_entry: &walkdir::DirEntry) -> Option<u64> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn loops_are_named_once_and_outside_links_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.toml"), "x").unwrap();
        std::os::unix::fs::symlink(".", root.join("self")).unwrap();
        std::os::unix::fs::symlink(".", root.join("again")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
        let w = walk(root, |_| true).unwrap();
        assert_eq!(w.files, vec![root.join("a.toml")]);
        assert_eq!(w.outside, vec![root.join("etc")]);
        let loops: Vec<_> = w.problems.iter().map(|p| p.path.clone()).collect();
        assert_eq!(loops, vec![root.join("again"), root.join("self")]);
        assert!(w.problems[0].message.contains("symbolic link loop"));
        assert!(matches!(
            walk(Path::new("/"), |_| true),
            Err(WalkError::FilesystemRoot(_))
        ));
    }

    #[test]
    fn a_file_reached_twice_is_taken_once_and_hard_links_stay_distinct() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("real")).unwrap();
        std::fs::write(root.join("real/a.md"), "x").unwrap();
        std::fs::write(root.join("b.md"), "y").unwrap();
        std::fs::hard_link(root.join("b.md"), root.join("c.md")).unwrap();
        std::os::unix::fs::symlink("real", root.join("via")).unwrap();
        std::os::unix::fs::symlink("b.md", root.join("d.md")).unwrap();
        let w = walk(root, |_| true).unwrap();
        // `via/a.md` is `real/a.md` again and `d.md` is `b.md` again; the
        // hard link `c.md` is a file of its own name and is kept.
        assert_eq!(
            w.files,
            vec![root.join("b.md"), root.join("c.md"), root.join("real/a.md")]
        );
        assert!(w.problems.is_empty());
    }
}
