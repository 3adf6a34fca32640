//! Where output goes: the one writer that decides stdout or a file, the
//! table style, and how errors are printed.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rubric::render::Style;

use crate::args::{ColorArg, ColorChoice};

/// The style of tables: color as asked; width from the terminal.
pub fn style(color: &ColorArg) -> Style {
    let color = match color.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    Style { color, width: None }
}

/// Where a rendering goes.
pub enum Target<'a> {
    Stdout,
    /// A file, written atomically.
    File(&'a Path),
}

/// The buffer of a report on its way out: a check's pretty JSON is about
/// 10 KB an answer, more than `BufWriter`'s default 8 KiB, so each answer
/// was written with a system call of its own (20,000 writes for 10,000
/// answers). With 128 KiB they are 1,675: stdout's own line buffer sends
/// each block in two writes, holding back its last, unfinished line.
pub const OUTPUT_BUFFER: usize = 128 * 1024;

/// `w` behind a buffer of [`OUTPUT_BUFFER`] bytes.
pub fn buffered<W: Write>(w: W) -> std::io::BufWriter<W> {
    std::io::BufWriter::with_capacity(OUTPUT_BUFFER, w)
}

/// Writes through a buffer to stdout, or atomically to a file (an
/// [`OutputSet`] of one), so a failed run never leaves a half-written report.
pub fn write(
    target: Target<'_>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), rubric::run::Error> {
    match target {
        Target::Stdout => {
            let mut out = buffered(std::io::stdout().lock());
            match write(&mut out).and_then(|_| out.flush()) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail("stdout", e)),
                _ => Ok(()),
            }
        }
        Target::File(path) => {
            let mut set = OutputSet::default();
            set.add(path, write)?;
            set.commit()
        }
    }
}

/// The temporary files of output sets not yet committed, removed by the
/// SIGINT/SIGTERM handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// On SIGINT or SIGTERM, removes the temporary files of unfinished output
/// sets and exits 130, so no `.tmpXXXXXX` is left beside a target.
pub fn remove_temporaries_on_signal() {
    // Without a handler, an interrupt only leaves temporaries behind.
    let _ = ctrlc::set_handler(|| {
        for path in pending().drain(..) {
            let _ = std::fs::remove_file(path);
        }
        std::process::exit(130);
    });
}

/// The files of one run, written together: each to a temporary file beside
/// it, renamed into place only when every one was written. A file that
/// cannot be written (a missing directory, a full disk) means none is.
/// A target that is a symbolic link is written through: the file it points
/// to is replaced, the link stays. A target that is no regular file (a
/// device such as `/dev/null`, a named pipe, a socket) cannot be replaced:
/// it is opened with the set (a named pipe no process reads is an error
/// then, not a wait) and written into after every file is in place. Files
/// can be written at once ([`add`]) or a piece at a time while a run
/// streams ([`open`], then [`close`]).
///
/// [`add`]: OutputSet::add
/// [`open`]: OutputSet::open
/// [`close`]: OutputSet::close
#[derive(Default)]
pub struct OutputSet {
    staged: Vec<Staged>,
}

/// One file of a set; its temporary file once written.
struct Staged {
    written: Option<tempfile::TempPath>,
    tmp_path: PathBuf,
    target: PathBuf,
    named: PathBuf,
    /// The target is no regular file: it is written into, not replaced.
    into: Option<std::fs::File>,
}

/// A file of an [`OutputSet`] being written.
pub struct Staging {
    i: usize,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl Write for Staging {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.file.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl OutputSet {
    /// Writes one file of the set to its temporary file.
    pub fn add(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), rubric::run::Error> {
        let mut file = self.open(path)?;
        if let Err(e) = write(&mut file) {
            return Err(self.fail(file, e));
        }
        self.close(file)
    }

    /// Creates the temporary file of one file of the set, to be written.
    pub fn open(&mut self, path: &Path) -> Result<Staging, rubric::run::Error> {
        // A device, pipe or socket (links followed) is written into; its
        // contents wait in the temporary directory.
        let into = if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            Some(open_into(path).map_err(|e| fail(path, e))?)
        } else {
            None
        };
        let (target, dir) = if into.is_some() {
            (path.to_path_buf(), std::env::temp_dir())
        } else {
            let target = through_links(path).map_err(|e| fail(path, e))?;
            let dir = match target.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            (target, dir)
        };
        let dir = dir.as_path();
        let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
            let e = if e.kind() == std::io::ErrorKind::NotFound {
                std::io::Error::new(
                    e.kind(),
                    format!("the directory {} does not exist", dir.display()),
                )
            } else {
                // tempfile names its random file; the target is named already.
                let text = e.to_string();
                let text = text.split(" at path ").next().unwrap_or(&text).to_string();
                std::io::Error::new(e.kind(), text)
            };
            fail(path, e)
        })?;
        let tmp_path = tmp.path().to_path_buf();
        pending().push(tmp_path.clone());
        self.staged.push(Staged {
            written: None,
            tmp_path,
            target,
            named: path.to_path_buf(),
            into,
        });
        Ok(Staging {
            i: self.staged.len() - 1,
            file: buffered(tmp),
        })
    }

    /// The error of a file of the set, which is given up: its temporary file
    /// is removed.
    pub fn fail(&mut self, file: Staging, e: std::io::Error) -> rubric::run::Error {
        // The temporary file is gone with its handle.
        drop(file.file);
        let staged = &self.staged[file.i];
        let tmp_path = staged.tmp_path.clone();
        pending().retain(|p| *p != tmp_path);
        fail(&staged.named, e)
    }

    /// Finishes writing a file of the set: flushed, synced, made an ordinary
    /// file, ready to be renamed into place by [`commit`](Self::commit).
    pub fn close(&mut self, file: Staging) -> Result<(), rubric::run::Error> {
        let i = file.i;
        let buffered = file.file;
        let written = (|| {
            let tmp = buffered.into_inner().map_err(|e| e.into_error())?;
            tmp.as_file().sync_all()?;
            // Temporary files are private (0600); a report is an ordinary file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
            }
            Ok(tmp.into_temp_path())
        })();
        match written {
            Ok(tmp) => {
                self.staged[i].written = Some(tmp);
                Ok(())
            }
            Err(e) => {
                // The temporary file is gone with its handle.
                let staged = &self.staged[i];
                let tmp_path = staged.tmp_path.clone();
                pending().retain(|p| *p != tmp_path);
                Err(fail(&staged.named, e))
            }
        }
    }

    /// Renames every temporary file into place; each must have been closed.
    pub fn commit(&mut self) -> Result<(), rubric::run::Error> {
        // Lets the signal test interrupt a run while its temporaries exist.
        if let Some(ms) = std::env::var_os("RUBRIC_TEST_PAUSE_BEFORE_RENAME_MS") {
            let ms = ms.to_string_lossy().parse().unwrap_or(0);
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        let mut result = Ok(());
        // The signal handler waits for this lock: a run interrupted while
        // renaming finishes renaming first, so a set is never half renamed.
        let mut pending = pending();
        // Files first, then the targets written into (they cannot be taken
        // back, so they wait until every file is in place).
        let (into, files): (Vec<Staged>, Vec<Staged>) = std::mem::take(&mut self.staged)
            .into_iter()
            .partition(|s| s.into.is_some());
        for staged in files.into_iter().chain(into) {
            if result.is_ok() {
                match (staged.written, staged.into) {
                    (Some(tmp), Some(mut to)) => {
                        let copied = std::fs::File::open(&tmp)
                            .and_then(|mut from| std::io::copy(&mut from, &mut to))
                            .and_then(|_| to.flush());
                        if let Err(e) = copied {
                            result = Err(fail(&staged.named, e));
                        }
                    }
                    (Some(tmp), None) => {
                        if let Err(e) = tmp.persist(&staged.target) {
                            result = Err(fail(&staged.named, e.error));
                        }
                    }
                    (None, _) => {
                        result = Err(fail(
                            &staged.named,
                            std::io::Error::other("not written to the end"),
                        ))
                    }
                }
            }
            pending.retain(|p| *p != staged.tmp_path);
        }
        drop(pending);
        result
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        let mut pending = pending();
        for staged in &self.staged {
            pending.retain(|p| *p != staged.tmp_path);
        }
    }
}

/// Opens a target that is no regular file for writing. A named pipe is
/// opened without waiting: one no process reads is an error at once (a run
/// never blocks on its output); writes then wait for the reader as usual.
fn open_into(target: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let to = options.open(target).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ENXIO) {
            return std::io::Error::other(
                "is a named pipe no process reads: start its reader first",
            );
        }
        e
    })?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let fd = to.as_raw_fd();
        // SAFETY: fcntl on a descriptor this function owns, open until `to`
        // is dropped; only the file status flags are read and set.
        let ok = unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) >= 0
        };
        if !ok {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(to)
}

/// The file a path names, following symbolic links (a dangling link names
/// the file it would create).
fn through_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            Ok(m) if m.is_dir() => {
                return Err(std::io::Error::other("is a directory"));
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes a finished text.
pub fn text(target: Target<'_>, text: &str) -> Result<(), rubric::run::Error> {
    write(target, |out| out.write_all(text.as_bytes()))
}

fn fail(path: impl AsRef<Path>, source: std::io::Error) -> rubric::run::Error {
    rubric::run::Error::Write {
        path: path.as_ref().to_path_buf(),
        source,
    }
}

/// Whether `$GITHUB_STEP_SUMMARY` names a file for the step summary.
pub fn has_github_step_summary() -> bool {
    std::env::var_os("GITHUB_STEP_SUMMARY").is_some_and(|p| !p.is_empty())
}

/// Appends the Markdown summary to `$GITHUB_STEP_SUMMARY` when set.
pub fn github_step_summary(markdown: &str) -> Result<(), rubric::run::Error> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = PathBuf::from(path);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(markdown.as_bytes()))
        .map_err(|e| fail(&path, e))
}

/// Prints an error once, with its causes: one `error: ` line per problem (a
/// rubric may have many), the causes after the last one.
pub fn print_error(e: &dyn std::error::Error) {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        // Some errors repeat their cause in their own message.
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    for line in message.lines() {
        eprintln!("error: {}", rubric::render::visible(line));
    }
}
