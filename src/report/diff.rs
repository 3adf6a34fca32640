//! `rubric diff OLD.json NEW.json`: which answers changed between two runs,
//! regressions first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::scoring::score::round1;

/// The report schema `diff` reads (docs/json-output.md).
pub const SCHEMA: u32 = 1;

#[derive(Debug, Deserialize)]
struct RawReport {
    /// Absent in hand-made reports: taken as [`SCHEMA`].
    schema: Option<u32>,
    results: Vec<RawResult>,
}

#[derive(Debug, Deserialize)]
struct RawResult {
    answer: String,
    rubric: Option<String>,
    score: Option<f64>,
    pass: Option<bool>,
    #[serde(default)]
    missing: Vec<String>,
    #[serde(default)]
    failures: Vec<String>,
    error: Option<String>,
}

/// A JSON report that could not be read.
#[derive(Debug)]
pub enum DiffError {
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    NotAReport {
        path: std::path::PathBuf,
        source: serde_json::Error,
    },
    /// A report that parses but cannot be compared: a schema this version
    /// does not read, an answer twice, a score out of range.
    Invalid {
        path: std::path::PathBuf,
        message: String,
    },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::Read { path, .. } => write!(f, "{}: cannot read", path.display()),
            DiffError::Invalid { path, message } => write!(f, "{}: {message}", path.display()),
            DiffError::NotAReport { path, source } => write!(
                f,
                "{}:{}:{}: not a rubric JSON report",
                path.display(),
                source.line(),
                source.column()
            ),
        }
    }
}

impl std::error::Error for DiffError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DiffError::Read { source, .. } => Some(source),
            DiffError::NotAReport { source, .. } => Some(source),
            DiffError::Invalid { .. } => None,
        }
    }
}

/// What happened to one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Regression,
    Improvement,
    Added,
    Removed,
}

/// One answer that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerChange {
    pub answer: String,
    pub change: Change,
    pub rubric: Option<String>,
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    pub delta: Option<f64>,
    pub old_pass: Option<bool>,
    pub new_pass: Option<bool>,
    /// Concepts missed now but covered before.
    pub newly_missing: Vec<String>,
    /// Concepts covered now but missed before.
    pub newly_covered: Vec<String>,
}

/// All changes, regressions first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub schema: u32,
    pub regressions: usize,
    pub changes: Vec<AnswerChange>,
}

struct Entry {
    rubric: Option<String>,
    score: Option<f64>,
    pass: Option<bool>,
    missing: BTreeSet<String>,
}

fn read(path: &Path) -> Result<BTreeMap<String, Entry>, DiffError> {
    let text = crate::model::fsread::read_text(path).map_err(|e| DiffError::Read {
        path: path.to_path_buf(),
        source: match e {
            crate::model::fsread::ReadError::Io(e)
            | crate::model::fsread::ReadError::Missing(e) => e,
            other => std::io::Error::other(other.to_string()),
        },
    })?;
    parse(path, &text)
}

/// The answers of a JSON report's text (`path` names it in errors): each
/// answer once, scores in range, schema [`SCHEMA`].
fn parse(path: &Path, text: &str) -> Result<BTreeMap<String, Entry>, DiffError> {
    let raw: RawReport = serde_json::from_str(text).map_err(|source| DiffError::NotAReport {
        path: path.to_path_buf(),
        source,
    })?;
    let invalid = |message: String| DiffError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if let Some(schema) = raw.schema.filter(|s| *s != SCHEMA) {
        return Err(invalid(format!(
            "report schema {schema}, but this version of rubric reads schema {SCHEMA}"
        )));
    }
    let mut seen = BTreeSet::new();
    for r in &raw.results {
        if !seen.insert(r.answer.as_str()) {
            return Err(invalid(format!(
                "answer `{}` appears twice; a report names each answer once",
                r.answer
            )));
        }
        if let Some(score) = r.score {
            crate::model::number::percent("score", score)
                .map_err(|e| invalid(format!("answer `{}`: {e}", r.answer)))?;
        }
    }
    Ok(raw
        .results
        .into_iter()
        .map(|r| {
            let pass = match (&r.error, r.pass) {
                (Some(_), _) => None,
                (None, Some(p)) => Some(p && r.failures.is_empty()),
                (None, None) => None,
            };
            (
                r.answer,
                Entry {
                    rubric: r.rubric,
                    score: r.score,
                    pass,
                    missing: r.missing.into_iter().collect(),
                },
            )
        })
        .collect())
}

impl Diff {
    /// 1 when an answer regressed and regressions fail the run, else 0.
    pub fn exit_code(&self, fail_on_regression: bool) -> u8 {
        if fail_on_regression && self.regressions > 0 {
            crate::report::exit::FAIL
        } else {
            crate::report::exit::PASS
        }
    }
}

/// Compares two JSON reports written by `--format json`.
pub fn diff(old: &Path, new: &Path) -> Result<Diff, DiffError> {
    compare(read(old)?, read(new)?)
}

/// [`diff`] of two reports' texts (the paths name them in errors).
pub fn diff_texts(old: (&Path, &str), new: (&Path, &str)) -> Result<Diff, DiffError> {
    compare(parse(old.0, old.1)?, parse(new.0, new.1)?)
}

fn compare(old: BTreeMap<String, Entry>, new: BTreeMap<String, Entry>) -> Result<Diff, DiffError> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut changes = Vec::new();
    for name in names {
        let (o, n) = (old.get(name), new.get(name));
        let change = match (o, n) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (Some(o), Some(n)) => {
                let newly_missing = n.missing.difference(&o.missing).count();
                let worse_score = matches!((o.score, n.score), (Some(a), Some(b)) if b < a);
                let lost_pass = o.pass == Some(true) && n.pass != Some(true);
                let better = matches!((o.score, n.score), (Some(a), Some(b)) if b > a)
                    || n.missing.len() < o.missing.len()
                    || (o.pass != Some(true) && n.pass == Some(true));
                if worse_score
                    || lost_pass
                    || newly_missing > 0
                    || (o.score.is_some() && n.score.is_none())
                {
                    Change::Regression
                } else if better {
                    Change::Improvement
                } else {
                    continue;
                }
            }
            (None, None) => continue,
        };
        let delta = match (o.and_then(|e| e.score), n.and_then(|e| e.score)) {
            (Some(a), Some(b)) => Some(round1(b - a)),
            _ => None,
        };
        let empty = BTreeSet::new();
        let om = o.map_or(&empty, |e| &e.missing);
        let nm = n.map_or(&empty, |e| &e.missing);
        changes.push(AnswerChange {
            answer: name.clone(),
            change,
            rubric: n.or(o).and_then(|e| e.rubric.clone()),
            old_score: o.and_then(|e| e.score),
            new_score: n.and_then(|e| e.score),
            delta,
            old_pass: o.and_then(|e| e.pass),
            new_pass: n.and_then(|e| e.pass),
            newly_missing: if o.is_some() {
                nm.difference(om).cloned().collect()
            } else {
                Vec::new()
            },
            newly_covered: if n.is_some() {
                om.difference(nm).cloned().collect()
            } else {
                Vec::new()
            },
        });
    }
    changes.sort_by(|a, b| {
        a.change
            .cmp(&b.change)
            .then_with(|| a.delta.unwrap_or(0.0).total_cmp(&b.delta.unwrap_or(0.0)))
            .then_with(|| a.answer.cmp(&b.answer))
    });
    Ok(Diff {
        schema: 1,
        regressions: changes
            .iter()
            .filter(|c| c.change == Change::Regression)
            .count(),
        changes,
    })
}
