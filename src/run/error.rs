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
    /// Globs or folders that selected no answer (`--allow-empty` allows it).
    NothingSelected(Vec<String>),
    /// A glob on the command line does not parse.
    BadGlob { glob: String, reason: String },
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
    /// A file the command was given (a file list) cannot be read.
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `rubric init` would overwrite these files.
    WouldOverwrite(Vec<PathBuf>),
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
            Error::NothingSelected(what) => {
                for (i, w) in what.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "no answer selected: {w} matched no answer file (--allow-empty to accept)")?;
                }
                Ok(())
            }
            Error::BadGlob { glob, reason } => write!(f, "bad glob `{glob}`: {reason}"),
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
            Error::Read { path, .. } => write!(f, "{}: cannot read", path.display()),
            Error::WouldOverwrite(paths) => {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                write!(f, "rubric init never overwrites; these exist already: {}", names.join(", "))
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Index(e) => Some(e),
            Error::Suggest { source, .. } => Some(source),
            Error::Write { source, .. } | Error::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<BankError> for Error {
    fn from(e: BankError) -> Self {
        Error::Bank(e)
    }
}
