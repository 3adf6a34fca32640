//! `rubric stats`: what a bank of answers keeps missing, per rubric and per
//! concept.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::report::Report;
use crate::scoring::score::round1;

/// How often one concept was hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConceptStats {
    pub id: String,
    pub label: String,
    pub answers: usize,
    pub hits: usize,
    /// Share of the answers that hit it, in percent.
    pub hit_rate: f64,
}

/// One rubric's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricStats {
    pub rubric: String,
    pub answers: usize,
    pub passed: usize,
    pub mean_score: f64,
    /// Least-hit concepts first.
    pub concepts: Vec<ConceptStats>,
}

/// The whole bank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankStats {
    pub schema: u32,
    pub answers: usize,
    pub rubrics: Vec<RubricStats>,
    /// Answers that could not be scored (unreadable, or no rubric maps
    /// them): counted in `answers`, left out of the figures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unscored: Vec<Unscored>,
}

/// An answer left out of the figures, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unscored {
    pub answer: String,
    pub error: String,
}

/// Aggregates a report: rubrics by id, concepts least hit first.
pub fn from_report(report: &Report) -> BankStats {
    let mut by_rubric: BTreeMap<&str, Vec<&crate::scoring::result::AnswerReport>> = BTreeMap::new();
    for r in &report.results {
        if let Some(s) = &r.scored {
            by_rubric.entry(s.rubric.as_str()).or_default().push(r);
        }
    }
    let rubrics = by_rubric
        .into_iter()
        .map(|(id, answers)| {
            let n = answers.len();
            let mut concepts: Vec<ConceptStats> = Vec::new();
            for r in &answers {
                let s = r.scored.as_ref().expect("grouped scored answers");
                for c in s.concepts.iter().filter(|c| !c.ignored) {
                    match concepts.iter_mut().find(|x| x.id == c.id) {
                        Some(x) => {
                            x.answers += 1;
                            x.hits += usize::from(c.matched);
                        }
                        None => concepts.push(ConceptStats {
                            id: c.id.clone(),
                            label: c.label.clone(),
                            answers: 1,
                            hits: usize::from(c.matched),
                            hit_rate: 0.0,
                        }),
                    }
                }
            }
            for c in &mut concepts {
                c.hit_rate = round1(100.0 * c.hits as f64 / c.answers.max(1) as f64);
            }
            concepts.sort_by(|a, b| {
                a.hit_rate
                    .total_cmp(&b.hit_rate)
                    .then_with(|| a.id.cmp(&b.id))
            });
            let mean = answers
                .iter()
                .filter_map(|r| r.scored.as_ref().map(|s| s.score))
                .sum::<f64>()
                / n.max(1) as f64;
            RubricStats {
                rubric: id.to_string(),
                answers: n,
                passed: answers.iter().filter(|r| !r.fails()).count(),
                mean_score: round1(mean),
                concepts,
            }
        })
        .collect();
    BankStats {
        schema: 1,
        answers: report.results.len(),
        rubrics,
        unscored: report
            .results
            .iter()
            .filter_map(|r| {
                r.error.as_ref().map(|e| Unscored {
                    answer: r.answer.clone(),
                    error: e.clone(),
                })
            })
            .collect(),
    }
}
