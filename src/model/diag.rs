//! Located problems in a file: `path:line:col: message`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    #[serde(serialize_with = "display_path")]
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

fn display_path<S: serde::Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&p.display())
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.path.display(), self.line, self.column)?;
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Turns byte spans of one source text into located diagnostics.
pub struct Locator<'s> {
    path: PathBuf,
    src: &'s str,
    line_starts: Vec<usize>,
}

impl<'s> Locator<'s> {
    pub fn new(path: &Path, src: &'s str) -> Self {
        Locator {
            path: path.to_path_buf(),
            src,
            line_starts: line_starts(src),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(self.src, &self.line_starts, offset)
    }

    pub fn at(&self, span: Range<usize>, severity: Severity, message: String) -> Diagnostic {
        let (line, column) = self.line_col(span.start);
        Diagnostic {
            path: self.path.clone(),
            line,
            column,
            severity,
            message,
        }
    }
}

/// Reads a data file (`what` names it in the message), or says why not at
/// `path:1:1`.
pub fn read_source(path: &Path, what: &str) -> Result<String, Diagnostics> {
    crate::model::fsread::read_text(path).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            severity: Severity::Error,
            message: format!("cannot read {what}: {e}"),
        }])
    })
}

/// Deserializes TOML, turning serde's error into a located diagnostic.
pub fn from_toml<T: serde::de::DeserializeOwned>(
    loc: &Locator<'_>,
    src: &str,
) -> Result<T, Diagnostics> {
    toml::from_str(src).map_err(|e| {
        Diagnostics(vec![loc.at(
            e.span().unwrap_or(0..0),
            Severity::Error,
            e.message().trim().to_string(),
        )])
    })
}

/// The message for a key of `what` that is not one of `allowed`, with the
/// closest allowed key when one is close: rubric files and the config say
/// it the same way.
pub fn unknown_key(name: &str, allowed: &[&str], what: &str) -> String {
    let suggestion = allowed
        .iter()
        .map(|k| (strsim::jaro_winkler(k, name), *k))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default();
    format!(
        "unknown key `{name}` in {what}{suggestion}; expected one of: {}",
        allowed.join(", ")
    )
}

/// Several diagnostics, printed one per line: the error of every data file
/// (config, glossary, filler list) that reports all its problems at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// 1-based line and column (in characters) of `offset` in `text`, given the
/// byte offsets where lines start.
pub fn line_col(text: &str, line_starts: &[usize], offset: usize) -> (usize, usize) {
    let line = line_starts.partition_point(|&s| s <= offset).max(1);
    let start = line_starts[line - 1];
    let col = text[start..offset.min(text.len())].chars().count() + 1;
    (line, col)
}

/// Byte offsets at which each line of `text` starts.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}
