//! Reports: the finished results of a run, and the exit code they imply.

use serde::Serialize;

use crate::check::Policy;
use crate::frontmatter::Review;
use crate::score::{Scored, StarResult};

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
        }
    }

    /// Whether the answer fails under the run's policy.
    pub fn fails(&self) -> bool {
        !self.failures.is_empty()
    }
}

/// Totals over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub answers: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    /// Mean score of the scored answers, rounded to 0.1.
    pub mean_score: f64,
    /// Failures a run tolerates before it exits 1.
    pub max_failures: usize,
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

/// The results of a run (`rubric score`, `rubric check`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: u32,
    pub results: Vec<AnswerReport>,
    pub summary: Summary,
}

impl Report {
    /// A report where an answer fails when it does not pass.
    pub fn new(results: Vec<AnswerReport>) -> Self {
        Report::with_policy(results, &Policy::default())
    }

    /// A report judged under `policy`.
    pub fn with_policy(mut results: Vec<AnswerReport>, policy: &Policy) -> Self {
        for r in &mut results {
            r.failures = policy.failures(r);
        }
        let scored: Vec<f64> = results
            .iter()
            .filter_map(|r| r.scored.as_ref().map(|s| s.score))
            .collect();
        let failed = results.iter().filter(|r| r.fails()).count();
        let errors = results.iter().filter(|r| r.error.is_some()).count();
        let mean = if scored.is_empty() {
            0.0
        } else {
            scored.iter().sum::<f64>() / scored.len() as f64
        };
        let summary = Summary {
            answers: results.len(),
            passed: scored.len() - failed,
            failed,
            errors,
            mean_score: crate::score::round1(mean),
            max_failures: policy.max_failures,
        };
        Report {
            schema: 1,
            results,
            summary,
        }
    }

    /// Guide mode for every format: missing points keep their ids but their
    /// labels are held back and their hints become coaching questions, so
    /// the report does not hand over the rubric's answer.
    pub fn into_guide(mut self) -> Self {
        for r in &mut self.results {
            let Some(s) = &mut r.scored else { continue };
            for c in s.concepts.iter_mut().filter(|c| !c.matched && !c.ignored) {
                let question = crate::render::advice(c, true);
                c.label = "(a point to find)".to_string();
                c.hint = Some(question);
            }
        }
        self
    }

    /// 2 when an answer could not be scored, else 1 when more answers failed
    /// than the policy tolerates, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.summary.errors > 0 {
            exit::BAD_INPUT
        } else if self.summary.failed > self.summary.max_failures {
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
