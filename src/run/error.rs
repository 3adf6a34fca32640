//! The error of a command: what could not be done, with the lower layer's
//! error as its source. Problems with single answers are not errors: they
//! are reported per answer and the others are still scored.

use std::fmt;
use std::path::PathBuf;

use crate::answer::input::InputError;
use crate::model::bank::BankError;
use crate::model::diag::Diagnostics;

/// Why a command could not run.
#[derive(Debug)]
pub enum Error {
    /// The bank config has problems (every one, located).
    Config(Diagnostics),
    /// The rubric bank does not load, or `--rubric` names no rubric.
    Bank(BankError),
    /// A replacement data file (STAR cues, glossary, fillers) has problems.
    DataFile(Diagnostics),
    /// An answer the command needs alone (suggest's model answer) cannot be read.
    Input(InputError),
    /// Nothing to check: no paths and no `answers` globs.
    NoAnswers,
    /// A directory or the `answers` globs gave no answer: what, and why.
    NothingFound(String),
    /// A directory of answers could not be walked.
    Walk(crate::model::walk::WalkError),
    /// Link loops or unreadable directories met while walking answers.
    WalkProblems(Vec<crate::model::walk::WalkProblem>),
    /// The arguments contradict each other.
    Usage(&'static str),
    /// The concept index could not be built or searched.
    Index(crate::analysis::index::IndexError),
    /// A JSON report for `diff` cannot be read.
    Diff(crate::report::diff::DiffError),
    /// No draft could be made from a model answer.
    Suggest {
        answer: String,
        source: crate::authoring::suggest::SuggestError,
    },
    /// Output could not be written.
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Located problems say everything themselves, one per line.
            Error::Config(d) | Error::DataFile(d) => write!(f, "{d}"),
            Error::Bank(e) => write!(f, "{e}"),
            Error::Input(e) => write!(f, "{e}"),
            Error::NoAnswers => write!(
                f,
                "no answers to check: pass files or directories, or set `answers` globs in .rubric-bank.toml"
            ),
            Error::NothingFound(m) => write!(f, "{m}"),
            Error::Walk(e) => write!(f, "{e}"),
            Error::WalkProblems(problems) => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
            Error::Usage(m) => write!(f, "{m}"),
            Error::Index(_) => write!(f, "the concept index failed"),
            Error::Diff(e) => write!(f, "{e}"),
            Error::Suggest { answer, .. } => write!(f, "{answer}: no draft"),
            Error::Write { path, .. } => write!(f, "{}: cannot write", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Index(e) => Some(e),
            Error::Suggest { source, .. } => Some(source),
            Error::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<BankError> for Error {
    fn from(e: BankError) -> Self {
        Error::Bank(e)
    }
}
