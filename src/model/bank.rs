//! The rubric bank: the shipped rubrics (embedded in the binary) plus any
//! directories the user adds. A user rubric with the id of a shipped one
//! replaces it; two user rubrics with one id are an error.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::diag::{Diagnostic, Severity};
use crate::model::rubric::{self, Rubric, RubricError};

/// The shipped rubrics: `(path relative to the repository, TOML text)`.
pub const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rubrics.rs"));

/// Problems loading a bank (every bad file, every clash), or an unknown id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankError {
    Files(Vec<Diagnostic>),
    UnknownId {
        id: String,
        suggestions: Vec<String>,
    },
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::Files(problems) => {
                for (i, d) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            BankError::UnknownId { id, suggestions } => {
                write!(f, "no rubric with id `{id}` in the bank and no such file")?;
                if suggestions.is_empty() {
                    write!(f, "; `rubric list` shows the bank")
                } else {
                    write!(f, "; did you mean {}?", suggestions.join(", "))
                }
            }
        }
    }
}

impl std::error::Error for BankError {}

impl From<RubricError> for BankError {
    fn from(e: RubricError) -> Self {
        BankError::Files(e.diagnostics.0)
    }
}

fn problem(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
    }
}

/// A set of rubrics with unique ids, in id order.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    rubrics: Vec<Rubric>,
}

/// Every `.toml` file under `dir`, sorted; `dir` itself when it is a file.
/// Links are followed only inside `dir`; each link loop or unreadable
/// directory met on the way is one problem in the second list. The error:
/// `dir` cannot be walked at all.
pub fn rubric_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    let meta = std::fs::metadata(dir)
        .map_err(|e| problem(dir, format!("cannot read rubric directory: {e}")))?;
    if !meta.is_dir() {
        return Ok((vec![dir.to_path_buf()], Vec::new()));
    }
    // Hidden files (the `.rubric-bank.toml` config) are never rubrics.
    let walked = crate::model::walk::walk(dir, |p| p.extension().is_some_and(|e| e == "toml"))
        .map_err(|e| match e {
            crate::model::walk::WalkError::Unreadable(p, e) => {
                problem(&p, format!("cannot read rubric directory: {e}"))
            }
            other => problem(other.path(), other.reason()),
        })?;
    let problems = walked
        .problems
        .into_iter()
        .map(|p| problem(&p.path, p.message))
        .collect();
    Ok((walked.files, problems))
}

impl Bank {
    /// The shipped rubrics.
    pub fn builtin() -> Result<Bank, BankError> {
        use rayon::prelude::*;
        let mut problems = Vec::new();
        let mut rubrics = Vec::new();
        // Parsed on every core: this is most of a one-answer run's start-up.
        let parsed: Vec<_> = BUILTIN
            .par_iter()
            .map(|(path, src)| rubric::parse(Path::new(path), src))
            .collect();
        for p in parsed {
            match p {
                Ok(r) => rubrics.push(r),
                Err(e) => problems.extend(e.diagnostics.0),
            }
        }
        Bank::assemble(rubrics, Vec::new(), problems)
    }

    /// The shipped rubrics (when `builtin`) plus every rubric under `dirs`.
    pub fn load(dirs: &[PathBuf], builtin: bool) -> Result<Bank, BankError> {
        let base = if builtin {
            Bank::builtin()?
        } else {
            Bank::default()
        };
        let mut problems = Vec::new();
        let mut extra = Vec::new();
        for dir in dirs {
            match rubric_files(dir) {
                Ok((files, walk_problems)) => {
                    use rayon::prelude::*;
                    problems.extend(walk_problems);
                    let loaded: Vec<_> = files.par_iter().map(|f| rubric::load(f)).collect();
                    for l in loaded {
                        match l {
                            Ok(r) => extra.push(r),
                            Err(e) => problems.extend(e.diagnostics.0),
                        }
                    }
                }
                Err(d) => problems.push(d),
            }
        }
        Bank::assemble(base.rubrics, extra, problems)
    }

    /// Builds a bank from rubrics: `extra` replaces `base` rubrics of the same id.
    pub fn assemble(
        base: Vec<Rubric>,
        extra: Vec<Rubric>,
        mut problems: Vec<Diagnostic>,
    ) -> Result<Bank, BankError> {
        let mut by_id: BTreeMap<String, Rubric> = BTreeMap::new();
        let mut seen_base: BTreeMap<String, PathBuf> = BTreeMap::new();
        for r in base {
            if let Some(first) = seen_base.get(&r.id) {
                problems.push(duplicate(&r, first));
                continue;
            }
            seen_base.insert(r.id.clone(), r.path.clone());
            by_id.insert(r.id.clone(), r);
        }
        let mut seen_extra: BTreeMap<String, PathBuf> = BTreeMap::new();
        for r in extra {
            if let Some(first) = seen_extra.get(&r.id) {
                problems.push(duplicate(&r, first));
                continue;
            }
            seen_extra.insert(r.id.clone(), r.path.clone());
            by_id.insert(r.id.clone(), r);
        }
        if !problems.is_empty() {
            problems.sort();
            return Err(BankError::Files(problems));
        }
        Ok(Bank {
            rubrics: by_id.into_values().collect(),
        })
    }

    pub fn rubrics(&self) -> &[Rubric] {
        &self.rubrics
    }

    pub fn len(&self) -> usize {
        self.rubrics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rubrics.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Rubric> {
        self.position(id).map(|i| &self.rubrics[i])
    }

    /// Whether two different rubrics of the bank are declared siblings (by
    /// either of them).
    pub fn are_siblings(&self, a: &str, b: &str) -> bool {
        a != b
            && (self
                .get(a)
                .is_some_and(|r| r.siblings.iter().any(|s| s == b))
                || self
                    .get(b)
                    .is_some_and(|r| r.siblings.iter().any(|s| s == a)))
    }

    /// The index of rubric `id` in [`Bank::rubrics`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.rubrics
            .binary_search_by(|r| r.id.as_str().cmp(id))
            .ok()
    }

    /// A rubric named by `--rubric`: a path to a `.toml` file, or an id.
    pub fn resolve(&self, name: &str) -> Result<Rubric, BankError> {
        let path = Path::new(name);
        if name.ends_with(".toml") || path.is_file() {
            return Ok(rubric::load(path)?);
        }
        if let Some(r) = self.get(name) {
            return Ok(r.clone());
        }
        let mut close: Vec<(f64, &str)> = self
            .rubrics
            .iter()
            .map(|r| (strsim::jaro_winkler(&r.id, name), r.id.as_str()))
            .filter(|(s, _)| *s > 0.75)
            .collect();
        close.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        Err(BankError::UnknownId {
            id: name.to_string(),
            suggestions: close.iter().take(3).map(|(_, n)| n.to_string()).collect(),
        })
    }
}

/// The error for a rubric whose id another rubric (in `first`) already has.
pub fn duplicate(r: &Rubric, first: &Path) -> Diagnostic {
    Diagnostic {
        path: r.path.clone(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message: format!(
            "duplicate rubric id `{}` (also in {})",
            r.id,
            first.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str, src: &str) -> Rubric {
        rubric::parse(Path::new(path), src).unwrap()
    }

    const SRC: &str = "question = \"Q\"\n[[concept]]\nid = \"a\"\nphrases = [\"x\"]\n";

    #[test]
    fn extra_replaces_base_and_duplicates_are_errors() {
        let bank =
            Bank::assemble(vec![r("b/x.toml", SRC)], vec![r("u/x.toml", SRC)], vec![]).unwrap();
        assert_eq!(bank.get("x").unwrap().path, Path::new("u/x.toml"));
        let err = Bank::assemble(vec![], vec![r("u/x.toml", SRC), r("v/x.toml", SRC)], vec![])
            .unwrap_err();
        assert!(err
            .to_string()
            .contains("v/x.toml:1:1: duplicate rubric id `x` (also in u/x.toml)"));
    }

    #[test]
    fn unknown_id_suggests_close_ones() {
        let bank = Bank::assemble(vec![r("b/idempotency.toml", SRC)], vec![], vec![]).unwrap();
        let err = bank.resolve("idempotncy").unwrap_err().to_string();
        assert!(err.contains("did you mean idempotency?"), "{err}");
    }
}
