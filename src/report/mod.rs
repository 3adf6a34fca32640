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

/// The version of the JSON report's layout (`schema`).
pub const SCHEMA: u32 = 1;

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
    /// Answers the config's `exclude` left out (JUnit shows them as
    /// skipped); not in JSON.
    #[serde(skip)]
    pub excluded: Vec<String>,
    /// Problems of the whole run (a bad config): the run did not happen.
    /// SARIF and GitHub annotations report them; not in JSON.
    #[serde(skip)]
    pub problems: Vec<Problem>,
}

/// A problem of the whole run, located in a file when it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    /// One problem per located diagnostic.
    pub fn from_diagnostics(d: &crate::model::diag::Diagnostics) -> Vec<Problem> {
        d.0.iter()
            .map(|d| Problem {
                file: Some(d.path.display().to_string()),
                line: d.line,
                column: d.column,
                message: d.message.clone(),
            })
            .collect()
    }

    /// A problem without a place (every line of `message`).
    pub fn unlocated(message: &str) -> Problem {
        Problem {
            file: None,
            line: 1,
            column: 1,
            message: message.to_string(),
        }
    }
}

impl Report {
    /// A report where an answer fails when it does not pass.
    pub fn new(results: Vec<AnswerReport>) -> Self {
        Report::judge(results, &Policy::default(), false)
    }

    /// A report judged under `policy`; in guide mode every missing point is
    /// held back first, so no format can give it away.
    pub fn judge(mut results: Vec<AnswerReport>, policy: &Policy, guide: bool) -> Self {
        let mut tally = Tally::default();
        for r in &mut results {
            judge_one(r, policy, guide);
            tally.add(r);
        }
        Report {
            schema: SCHEMA,
            results,
            summary: tally.summary(policy.max_failures),
            guide,
            excluded: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// A report of answers already judged one at a time (see [`judge_one`]).
    pub fn from_judged(results: Vec<AnswerReport>, summary: Summary, guide: bool) -> Self {
        Report {
            schema: SCHEMA,
            results,
            summary,
            guide,
            excluded: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The report of a run that could not happen (a bad config): no
    /// results, only its problems; its exit code is 2.
    pub fn aborted(problems: Vec<Problem>) -> Self {
        let mut report = Report::new(Vec::new());
        report.summary.errors = problems.len().max(1);
        report.problems = problems;
        report
    }

    /// 2 when an answer could not be scored, else 1 when more answers failed
    /// than the policy tolerates, else 0.
    pub fn exit_code(&self) -> u8 {
        self.summary.exit_code()
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

/// Judges one answer under `policy` (its missing points held back first in
/// guide mode): what [`Report::judge`] does to each, for runs that stream.
pub fn judge_one(r: &mut AnswerReport, policy: &Policy, guide: bool) {
    if guide {
        guide::hold_back(std::slice::from_mut(r));
    }
    r.failures = policy.failures(r);
}

/// The totals of a run, counted one answer at a time.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    answers: usize,
    failed: usize,
    errors: usize,
    scores: usize,
    sum: f64,
}

impl Tally {
    /// Counts a judged answer.
    pub fn add(&mut self, r: &AnswerReport) {
        self.answers += 1;
        self.failed += usize::from(r.fails());
        self.errors += usize::from(r.error.is_some());
        if let Some(s) = &r.scored {
            self.scores += 1;
            self.sum += s.score;
        }
    }

    pub fn summary(&self, max_failures: usize) -> Summary {
        Summary {
            answers: self.answers,
            passed: self.scores - self.failed,
            failed: self.failed,
            errors: self.errors,
            mean_score: (self.scores > 0)
                .then(|| crate::scoring::score::round1(self.sum / self.scores as f64)),
            max_failures,
        }
    }
}

impl Summary {
    /// The exit code of a run with these totals (see [`Report::exit_code`]).
    pub fn exit_code(&self) -> u8 {
        if self.errors > 0 {
            exit::BAD_INPUT
        } else if self.failed > self.max_failures {
            exit::FAIL
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
