//! The fail-on policy: when an answer fails, and how many failures a run
//! tolerates.

use crate::model::config::FailOn;
use crate::scoring::result::AnswerReport;

/// When answers fail, and how many failures a run tolerates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    pub fail_on: FailOn,
    pub min_score: Option<f64>,
    pub max_failures: usize,
}

impl Policy {
    /// Why an answer fails under this policy (empty when it does not).
    pub fn failures(&self, r: &AnswerReport) -> Vec<String> {
        let Some(s) = &r.scored else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let decided_by_review = r.review.is_some();
        if let Some(review) = &r.review {
            if review.score < s.pass_mark {
                out.push(format!(
                    "reviewer score {} is below the pass mark {}",
                    review.score, s.pass_mark
                ));
            }
        } else if s.score < s.pass_mark {
            out.push(format!(
                "score {} is below the pass mark {}",
                s.score, s.pass_mark
            ));
        }
        if !decided_by_review && !s.required_missing.is_empty() {
            out.push(format!(
                "required concept missing: {}",
                s.required_missing.join(", ")
            ));
        }
        if let Some(min) = self.min_score {
            if s.score < min {
                out.push(format!("score {} is below --min-score {min}", s.score));
            }
        }
        if self.fail_on == FailOn::Warning {
            if let Some(star) = &s.star {
                if !star.findings.is_empty() {
                    out.push(format!("STAR findings: {}", star.findings.join(", ")));
                }
            }
        }
        out
    }
}
