//! Reports: the finished results of a run, and the exit code they imply.

use serde::Serialize;

use crate::index::{Candidate, Detection};
use crate::score::{Scored, StarResult};

/// How the rubric of an answer was chosen, when it was detected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectionInfo {
    pub confidence: f64,
    pub candidates: Vec<CandidateInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateInfo {
    pub rubric: String,
    pub score: f64,
}

impl From<&Candidate> for CandidateInfo {
    fn from(c: &Candidate) -> Self {
        CandidateInfo {
            rubric: c.rubric.clone(),
            score: c.score,
        }
    }
}

impl From<&Detection> for DetectionInfo {
    fn from(d: &Detection) -> Self {
        DetectionInfo {
            confidence: d.confidence,
            candidates: d.candidates.iter().map(CandidateInfo::from).collect(),
        }
    }
}

/// The result for one answer: scored, or the reason it could not be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerReport {
    /// The answer as named on the command line ("-" for stdin).
    pub answer: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub scored: Option<Scored>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detection: Option<DetectionInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl AnswerReport {
    pub fn scored(answer: String, scored: Scored, detection: Option<DetectionInfo>) -> Self {
        AnswerReport {
            answer,
            scored: Some(scored),
            detection,
            error: None,
        }
    }

    pub fn failed(answer: String, error: String) -> Self {
        AnswerReport {
            answer,
            scored: None,
            detection: None,
            error: Some(error),
        }
    }
}

/// Exit codes, documented in the README.
pub mod exit {
    /// Every answer passed.
    pub const PASS: u8 = 0;
    /// At least one answer fell short.
    pub const FAIL: u8 = 1;
    /// Bad input or usage.
    pub const BAD_INPUT: u8 = 2;
}

/// The results of `rubric score`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: u32,
    pub results: Vec<AnswerReport>,
}

impl Report {
    pub fn new(results: Vec<AnswerReport>) -> Self {
        Report { schema: 1, results }
    }

    /// 2 when an answer could not be scored, else 1 when one failed, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.results.iter().any(|r| r.error.is_some()) {
            exit::BAD_INPUT
        } else if self
            .results
            .iter()
            .any(|r| r.scored.as_ref().is_some_and(|s| !s.pass))
        {
            exit::FAIL
        } else {
            exit::PASS
        }
    }
}

/// The STAR analysis of one story, for `rubric star`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarReportEntry {
    pub answer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub star: Option<StarResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The results of `rubric star`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarReport {
    pub schema: u32,
    pub results: Vec<StarReportEntry>,
}

impl StarReport {
    /// 2 when a story could not be read, else 0: STAR findings are advice.
    pub fn exit_code(&self) -> u8 {
        if self.results.iter().any(|r| r.error.is_some()) {
            exit::BAD_INPUT
        } else {
            exit::PASS
        }
    }
}
