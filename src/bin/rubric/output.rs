//! Where output goes: the one writer that decides stdout or a file, the
//! table style, and how errors are printed.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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

/// Writes through a buffer to stdout, or atomically to a file: a temporary
/// file beside it, renamed over it, so a failed run never leaves a
/// half-written report.
pub fn write(
    target: Target<'_>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), rubric::run::Error> {
    let path = match target {
        Target::Stdout => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            return match write(&mut out).and_then(|_| out.flush()) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail("stdout", e)),
                _ => Ok(()),
            };
        }
        Target::File(path) => path,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(path, e))?;
    let mut buffered = std::io::BufWriter::new(tmp);
    write(&mut buffered)
        .and_then(|_| buffered.flush())
        .map_err(|e| fail(path, e))?;
    let tmp = buffered
        .into_inner()
        .map_err(|e| fail(path, e.into_error()))?;
    tmp.persist(path).map_err(|e| fail(path, e.error))?;
    // Temporary files are private (0600); a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
            .map_err(|e| fail(path, e))?;
    }
    Ok(())
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
        eprintln!("error: {line}");
    }
}
