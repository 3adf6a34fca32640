//! Reading input files safely: only regular files are read (a FIFO, device
//! or socket is refused before it is opened, so nothing blocks), and never
//! more than a limit (so `/dev/zero` or a huge file cannot exhaust memory).
//!
//! Every input goes through here: answers (limit chosen per run, see
//! [`crate::answer::input::Limits`]), rubrics, configs, data files and the
//! JSON reports of `diff` (limit [`MAX_DATA_BYTES`]).

use std::fmt;
use std::fs::FileType;
use std::io::Read;
use std::path::Path;

/// The largest rubric, config, data file or JSON report read: 64 MiB.
pub const MAX_DATA_BYTES: u64 = 64 << 20;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// No such file (the system's error, for its message).
    Missing(std::io::Error),
    Directory,
    /// Not a regular file: what it is ("a FIFO (named pipe)", …).
    NotRegular(&'static str),
    /// Larger than `limit` bytes.
    TooLarge {
        limit: u64,
    },
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing(e) => write!(f, "{e}"),
            ReadError::Directory => write!(f, "is a directory"),
            ReadError::NotRegular(what) => {
                write!(
                    f,
                    "is {what}, not a regular file; only regular files are read"
                )
            }
            ReadError::TooLarge { limit } => {
                write!(f, "larger than the limit of {}", bytes(*limit))
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// `12345678 bytes (11.8 MiB)`, for limits in messages.
pub fn bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{n} bytes ({:.1} MiB)", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{n} bytes")
    }
}

/// What a file that is not regular is, for messages.
pub fn kind_of(ft: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        return "a directory";
    }
    "not a regular file"
}

/// Checks that `path` (links followed) is a regular file, before opening it.
pub fn check_regular(path: &Path) -> Result<u64, ReadError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ReadError::Missing(e)),
        Err(e) => Err(ReadError::Io(e)),
        Ok(m) if m.is_dir() => Err(ReadError::Directory),
        Ok(m) if !m.is_file() => Err(ReadError::NotRegular(kind_of(&m.file_type()))),
        Ok(m) => Ok(m.len()),
    }
}

/// The bytes of the regular file `path`, at most `limit` of them.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let len = check_regular(path)?;
    if len > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    read_bounded(file, limit, len)
}

/// Everything `reader` gives, but at most `limit` bytes; `hint` sizes the buffer.
pub fn read_bounded(reader: impl Read, limit: u64, hint: u64) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::with_capacity(hint.min(limit).saturating_add(1) as usize);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(buf)
}

/// The text of a regular file of at most [`MAX_DATA_BYTES`]; not UTF-8 is
/// an error like any other.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = read_regular(path, MAX_DATA_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8 (byte {}); save it as UTF-8",
                e.utf8_error().valid_up_to() + 1
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_kinds() {
        assert!(matches!(
            read_regular(Path::new("no/such"), 10),
            Err(ReadError::Missing(_))
        ));
        assert!(matches!(
            read_regular(Path::new("src"), 10),
            Err(ReadError::Directory)
        ));
        assert!(matches!(
            read_regular(Path::new("Cargo.toml"), 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert!(matches!(
            read_bounded(&b"0123456789ab"[..], 10, 0),
            Err(ReadError::TooLarge { .. })
        ));
        assert_eq!(read_bounded(&b"0123"[..], 10, 0).unwrap(), b"0123");
        #[cfg(unix)]
        {
            let e = read_regular(Path::new("/dev/zero"), 10).unwrap_err();
            assert_eq!(
                e.to_string(),
                "is a character device, not a regular file; only regular files are read"
            );
        }
    }
}
