//! What scoring one answer gives: its score and evidence, how its rubric
//! was chosen, or why it could not be scored.

use serde::Serialize;

use crate::answer::frontmatter::Review;
use crate::scoring::score::{Scored, StarResult};

/// How the rubric of an answer was chosen, when it was detected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectionInfo {
    /// The estimated probability that the chosen rubric is right (0..1).
    pub confidence: f64,
    /// The candidates measured, most probable first (the chosen one first).
    pub candidates: Vec<CandidateInfo>,
    /// Declared siblings of the chosen rubric among the candidates, with
    /// the answer's score under each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_fits: Vec<AlsoFits>,
}

/// A candidate rubric with the probability that the answer answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateInfo {
    pub rubric: String,
    pub probability: f64,
    /// How many of its concepts the answer has evidence for.
    pub concepts: usize,
}

/// A sibling question the answer also fits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlsoFits {
    pub rubric: String,
    pub score: f64,
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
    /// How the rubric was chosen: given, front-matter, config, name, index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapped_by: Option<&'static str>,
    /// A reviewer's score from front matter: it decides pass/fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Why the answer fails under the run's policy (empty when it passes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How long reading and scoring took (JUnit's `time`); not in JSON, so
    /// that the same input gives the same JSON.
    #[serde(skip)]
    pub elapsed: Option<std::time::Duration>,
}

impl AnswerReport {
    pub fn scored(answer: String, scored: Scored, detection: Option<DetectionInfo>) -> Self {
        AnswerReport {
            answer,
            scored: Some(scored),
            detection,
            mapped_by: None,
            review: None,
            candidate: None,
            date: None,
            failures: Vec::new(),
            error: None,
            elapsed: None,
        }
    }

    pub fn failed(answer: String, error: String) -> Self {
        AnswerReport {
            answer,
            scored: None,
            detection: None,
            mapped_by: None,
            review: None,
            candidate: None,
            date: None,
            failures: Vec::new(),
            error: Some(error),
            elapsed: None,
        }
    }

    /// Whether the answer fails under the run's policy.
    pub fn fails(&self) -> bool {
        !self.failures.is_empty()
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
