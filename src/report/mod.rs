//! Reports: the results of a run judged under a policy, the exit code they
//! mean, and the views made from them: guide mode, stats, diff, coaching.
//! Renderers turn these into text; nothing here formats.

pub mod coach;
pub mod diff;
pub mod exit;
pub mod guide;
pub mod listing;
pub mod policy;
pub mod stats;

use serde::Serialize;

use crate::scoring::result::{AnswerReport, StarReportEntry};
use policy::Policy;

/// Totals over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub answers: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    /// Mean score of the scored answers, rounded to 0.1; `null` when no
    /// answer was scored.
    pub mean_score: Option<f64>,
    /// Failures a run tolerates before it exits 1.
    pub max_failures: usize,
}

/// The results of a run (`rubric score`, `rubric check`, `rubric report`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: u32,
    pub results: Vec<AnswerReport>,
    pub summary: Summary,
    /// Guide mode: missing points are held back (see [`guide`]), and
    /// renderers show coaching questions.
    #[serde(skip)]
    pub guide: bool,
}

impl Report {
    /// A report where an answer fails when it does not pass.
    pub fn new(results: Vec<AnswerReport>) -> Self {
        Report::judge(results, &Policy::default(), false)
    }

    /// A report judged under `policy`; in guide mode every missing point is
    /// held back first, so no format can give it away.
    pub fn judge(mut results: Vec<AnswerReport>, policy: &Policy, guide: bool) -> Self {
        if guide {
            guide::hold_back(&mut results);
        }
        for r in &mut results {
            r.failures = policy.failures(r);
        }
        let scored: Vec<f64> = results
            .iter()
            .filter_map(|r| r.scored.as_ref().map(|s| s.score))
            .collect();
        let failed = results.iter().filter(|r| r.fails()).count();
        let errors = results.iter().filter(|r| r.error.is_some()).count();
        let mean_score = (!scored.is_empty()).then(|| {
            crate::scoring::score::round1(scored.iter().sum::<f64>() / scored.len() as f64)
        });
        let summary = Summary {
            answers: results.len(),
            passed: scored.len() - failed,
            failed,
            errors,
            mean_score,
            max_failures: policy.max_failures,
        };
        Report {
            schema: 1,
            results,
            summary,
            guide,
        }
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

    /// The exit code of a run that only reports (`stats`, `report`): 2 when an
    /// answer could not be scored, else 0.
    pub fn input_exit_code(&self) -> u8 {
        if self.summary.errors > 0 {
            exit::BAD_INPUT
        } else {
            exit::PASS
        }
    }
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
