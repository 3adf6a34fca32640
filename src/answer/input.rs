//! Reading answers: files and standard input, with a clear error for each
//! kind of bad input.

use std::fmt;
use std::io::Read;
use std::path::Path;

use crate::model::fsread::{self, ReadError};

/// The default largest answer: 16 MiB (a two-hour transcript is about 150 KiB).
pub const DEFAULT_MAX_ANSWER_BYTES: u64 = 16 << 20;

/// Limits on what one answer may be (`--max-answer-bytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest answer or transcript read, in bytes.
    pub max_answer_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        }
    }
}

/// An answer's text and the name it was given by ("-" for stdin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub name: String,
    pub text: String,
}

/// Why an answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputErrorKind {
    Missing,
    Directory,
    /// Not a regular file: what it is.
    NotRegular(&'static str),
    /// Larger than the limit, in bytes.
    TooLarge(u64),
    Empty,
    Binary,
    /// UTF-16 text (a UTF-16 byte order mark).
    Utf16,
    NotUtf8 {
        line: usize,
        byte: usize,
    },
    Io(String),
}

/// An answer that could not be read, with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub name: String,
    pub kind: InputErrorKind,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.name == "-" {
            "<stdin>"
        } else {
            &self.name
        };
        match &self.kind {
            InputErrorKind::Missing => write!(f, "{name}: no such file"),
            InputErrorKind::Directory => {
                write!(f, "{name}: is a directory; pass the answer files inside it")
            }
            InputErrorKind::NotRegular(what) => write!(
                f,
                "{name}: is {what}, not a regular file; only regular files are read as answers"
            ),
            InputErrorKind::TooLarge(limit) => write!(
                f,
                "{name}: larger than the answer limit of {}; raise it with --max-answer-bytes",
                fsread::bytes(*limit)
            ),
            InputErrorKind::Utf16 => write!(
                f,
                "{name}: UTF-16 text; convert it to UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)"
            ),
            InputErrorKind::Empty => write!(f, "{name}: the answer is empty"),
            InputErrorKind::Binary => write!(
                f,
                "{name}: looks like a binary file, not text; pass a .txt or .md answer"
            ),
            InputErrorKind::NotUtf8 { line, byte } => write!(
                f,
                "{name}:{line}: not valid UTF-8 (byte {byte}); save the answer as UTF-8"
            ),
            InputErrorKind::Io(e) => write!(f, "{name}: cannot read: {e}"),
        }
    }
}

impl std::error::Error for InputError {}

/// Reads the answer named `name`: a file path, or "-" for `stdin`. Only a
/// regular file is opened, and no more than `limits.max_answer_bytes` are read.
pub fn read_answer(name: &str, stdin: &mut dyn Read, limits: Limits) -> Result<Answer, InputError> {
    let err = |kind| InputError {
        name: name.to_string(),
        kind,
    };
    let limit = limits.max_answer_bytes;
    let read = if name == "-" {
        fsread::read_bounded(stdin, limit, 0)
    } else {
        fsread::read_regular(Path::new(name), limit)
    };
    let bytes = read.map_err(|e| {
        err(match e {
            ReadError::Missing(_) => InputErrorKind::Missing,
            ReadError::Directory => InputErrorKind::Directory,
            ReadError::NotRegular(what) => InputErrorKind::NotRegular(what),
            ReadError::TooLarge { limit } => InputErrorKind::TooLarge(limit),
            ReadError::Io(e) => InputErrorKind::Io(e.to_string()),
        })
    })?;
    decode_owned(bytes)
        .map(|text| Answer {
            name: name.to_string(),
            text,
        })
        .map_err(err)
}

/// Checks and decodes answer bytes: not binary, UTF-8, not empty; drops a BOM.
/// A NUL byte anywhere makes the file binary; a UTF-16 byte order mark gets
/// its own message.
pub fn decode(bytes: &[u8]) -> Result<String, InputErrorKind> {
    decode_owned(bytes.to_vec())
}

/// [`decode`], reusing the buffer (a large answer is never held twice).
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<String, InputErrorKind> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(InputErrorKind::Utf16);
    }
    if bytes.contains(&0) {
        return Err(InputErrorKind::Binary);
    }
    let bom = if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes.drain(..3);
        3
    } else {
        0
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // Line and byte in the file, counting a dropped BOM.
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(InputErrorKind::NotUtf8 {
                line,
                byte: at + 1 + bom,
            });
        }
    };
    if !text.chars().any(char::is_alphanumeric) {
        return Err(InputErrorKind::Empty);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rejects_bad_bytes() {
        assert_eq!(decode(b"ab\0cd"), Err(InputErrorKind::Binary));
        assert_eq!(
            decode(b"ok\nbad \xff here"),
            Err(InputErrorKind::NotUtf8 { line: 2, byte: 8 })
        );
        assert_eq!(decode(b"  \n\t- \n"), Err(InputErrorKind::Empty));
        assert_eq!(decode("\u{feff}hi".as_bytes()), Ok("hi".to_string()));
        // A NUL far past the start is still binary.
        let mut late = vec![b'a'; 100_000];
        late.push(0);
        assert_eq!(decode(&late), Err(InputErrorKind::Binary));
        assert_eq!(decode(b"\xff\xfeh\0i\0"), Err(InputErrorKind::Utf16));
    }

    #[test]
    fn stdin_and_missing_files() {
        let mut input: &[u8] = b"from stdin";
        assert_eq!(
            read_answer("-", &mut input, Limits::default())
                .unwrap()
                .text,
            "from stdin"
        );
        let e = read_answer("no/such/file.md", &mut &b""[..], Limits::default()).unwrap_err();
        assert_eq!(e.to_string(), "no/such/file.md: no such file");
        let e = read_answer("src", &mut &b""[..], Limits::default()).unwrap_err();
        assert_eq!(e.kind, InputErrorKind::Directory);
        let small = Limits {
            max_answer_bytes: 4,
        };
        let e = read_answer("-", &mut &b"too long"[..], small).unwrap_err();
        assert_eq!(
            e.to_string(),
            "<stdin>: larger than the answer limit of 4 bytes; raise it with --max-answer-bytes"
        );
        #[cfg(unix)]
        {
            let e = read_answer("/dev/zero", &mut &b""[..], Limits::default()).unwrap_err();
            assert_eq!(e.kind, InputErrorKind::NotRegular("a character device"));
        }
    }
}
