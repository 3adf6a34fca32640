//! `rubric diff OLD.json NEW.json`: which answers changed between two runs,
//! regressions first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::score::round1;

#[derive(Debug, Deserialize)]
struct RawReport {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError(pub String);

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DiffError {}

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
    let text = std::fs::read_to_string(path)
        .map_err(|e| DiffError(format!("{}: cannot read: {e}", path.display())))?;
    let raw: RawReport = serde_json::from_str(&text).map_err(|e| {
        DiffError(format!(
            "{}:{}:{}: not a rubric JSON report: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
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

/// Compares two JSON reports written by `--format json`.
pub fn diff(old: &Path, new: &Path) -> Result<Diff, DiffError> {
    let old = read(old)?;
    let new = read(new)?;
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
