//! Reading answers: files and standard input, with a clear error for each
//! kind of bad input.

use std::fmt;
use std::io::Read;
use std::path::Path;

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
    Empty,
    Binary,
    NotUtf8 { line: usize, byte: usize },
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

/// Reads the answer named `name`: a file path, or "-" for `stdin`.
pub fn read_answer(name: &str, stdin: &mut dyn Read) -> Result<Answer, InputError> {
    let err = |kind| InputError {
        name: name.to_string(),
        kind,
    };
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        stdin
            .read_to_end(&mut buf)
            .map_err(|e| err(InputErrorKind::Io(e.to_string())))?;
        buf
    } else {
        let path = Path::new(name);
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(err(InputErrorKind::Missing))
            }
            Err(e) => return Err(err(InputErrorKind::Io(e.to_string()))),
            Ok(m) if m.is_dir() => return Err(err(InputErrorKind::Directory)),
            Ok(_) => {}
        }
        std::fs::read(path).map_err(|e| err(InputErrorKind::Io(e.to_string())))?
    };
    decode(&bytes)
        .map(|text| Answer {
            name: name.to_string(),
            text,
        })
        .map_err(err)
}

/// Checks and decodes answer bytes: not binary, UTF-8, not empty; drops a BOM.
pub fn decode(bytes: &[u8]) -> Result<String, InputErrorKind> {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(InputErrorKind::Binary);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(InputErrorKind::NotUtf8 { line, byte: at + 1 });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.chars().any(char::is_alphanumeric) {
        return Err(InputErrorKind::Empty);
    }
    Ok(text.to_string())
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
    }

    #[test]
    fn stdin_and_missing_files() {
        let mut input: &[u8] = b"from stdin";
        assert_eq!(read_answer("-", &mut input).unwrap().text, "from stdin");
        let e = read_answer("no/such/file.md", &mut &b""[..]).unwrap_err();
        assert_eq!(e.to_string(), "no/such/file.md: no such file");
        let e = read_answer("src", &mut &b""[..]).unwrap_err();
        assert_eq!(e.kind, InputErrorKind::Directory);
    }
}
