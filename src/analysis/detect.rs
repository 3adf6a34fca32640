//! Question detection: which rubric of the bank an answer answers, or none.
//!
//! BM25 over the concept index proposes candidates; each candidate is then
//! measured by how well the answer actually fits it ([`Fit`]: the concepts
//! it has evidence for, how much of the answer's content the rubric accounts
//! for, how many of the question's own words it uses). A small conditional
//! logit model turns the fits into probabilities, with a "no rubric" option
//! of its own: P(candidate i) = exp(u_i) / (exp(θ) + Σ_j exp(u_j)), where
//! u_i = w · fit_i. Its weights are fitted by maximum likelihood on the
//! detection dev set (`eval/detect/dev`, by `cargo run --release --example
//! detect_eval -- --fit`) and ship in `data/detect-model.toml`, so the
//! printed confidence is the estimated probability that the choice is right.
//!
//! Two rules bound the model: a candidate with evidence for fewer than
//! [`MIN_CONCEPTS`] distinct concepts is never chosen (one stray word, or a
//! bank word used in another sense, is not enough), and an answer whose
//! best candidate has evidence for [`CLEAR_CONCEPTS`] or more concepts is
//! never refused.

use std::fmt;
use std::path::Path;

use rustc_hash::FxHashSet;
use serde::Deserialize;

use crate::analysis::matcher::Found;
use crate::analysis::text::{AnalyzedText, Analyzer};
use crate::model::diag::Diagnostics;
use crate::model::rubric::Rubric;

/// The model shipped with the tool.
pub const DEFAULT_MODEL: &str = include_str!("../../data/detect-model.toml");
/// How many BM25 candidates are measured.
pub const CANDIDATES: usize = 6;
/// A candidate needs evidence for this many distinct concepts to be chosen.
pub const MIN_CONCEPTS: usize = 2;
/// With evidence for this many concepts, the best candidate is always chosen.
pub const CLEAR_CONCEPTS: usize = 3;

/// The names of the fit's measures, in [`Fit::features`] order.
pub const FEATURES: [&str; 5] = ["coverage", "concepts", "content", "question", "bm25"];

/// How well an answer fits one candidate rubric.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub rubric: String,
    /// BM25 score of the answer against the rubric's question document.
    pub bm25: f64,
    /// Weighted share of the rubric's concepts with evidence (0..1).
    pub coverage: f64,
    /// How many distinct concepts have evidence.
    pub concepts: usize,
    /// Share of the answer's content words that the rubric's question,
    /// labels and phrases use (0..1).
    pub content: f64,
    /// Share of the question's content words that the answer uses (0..1).
    pub question: f64,
}

impl Fit {
    /// Measures an answer against a candidate from its concept matches.
    pub fn measure(
        rubric: &Rubric,
        found: &[Found],
        answer: &Vocabulary,
        vocabulary: &Vocabulary,
        question: &Vocabulary,
        bm25: f64,
    ) -> Fit {
        let total = rubric.total_weight();
        let matched: f64 = rubric
            .concepts
            .iter()
            .zip(found)
            .filter(|(_, f)| f.matched)
            .map(|(c, _)| c.weight)
            .sum();
        let share = |of: &Vocabulary, within: &Vocabulary| {
            if of.0.is_empty() {
                0.0
            } else {
                of.0.iter().filter(|s| within.0.contains(*s)).count() as f64 / of.0.len() as f64
            }
        };
        Fit {
            rubric: rubric.id.clone(),
            bm25,
            coverage: if total > 0.0 { matched / total } else { 0.0 },
            concepts: found.iter().filter(|f| f.matched).count(),
            content: share(answer, vocabulary),
            question: share(question, answer),
        }
    }

    /// The measures the model weighs, each about 0..1; `bm25` relative to
    /// the best candidate's.
    pub fn features(&self, best_bm25: f64) -> [f64; 5] {
        [
            self.coverage,
            (self.concepts.min(8) as f64) / 8.0,
            self.content,
            self.question,
            if best_bm25 > 0.0 {
                self.bm25 / best_bm25
            } else {
                0.0
            },
        ]
    }
}

/// The distinct content-word stems of a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary(pub FxHashSet<String>);

impl Vocabulary {
    /// The content words of analyzed text (stop-words and words every
    /// backend answer uses left out).
    pub fn of_text(text: &AnalyzedText) -> Vocabulary {
        Vocabulary(
            text.distinct_forms()
                .filter(|w| is_content(w))
                .map(|w| w.stem.to_string())
                .collect(),
        )
    }

    /// The content words of a rubric: question, concept labels, phrases.
    pub fn of_rubric(rubric: &Rubric, analyzer: &mut Analyzer) -> Vocabulary {
        let mut text = rubric.question.clone();
        for c in &rubric.concepts {
            text.push('\n');
            text.push_str(&c.label);
            for p in c.phrases.iter().chain(&c.sounds_like) {
                text.push('\n');
                text.push_str(&p.text);
            }
        }
        Vocabulary::of_words(&text, analyzer)
    }

    /// The content words of a short text (a question).
    pub fn of_words(text: &str, analyzer: &mut Analyzer) -> Vocabulary {
        Vocabulary(
            analyzer
                .words(text)
                .into_iter()
                .filter(|w| is_content(&w.forms))
                .map(|w| w.stem().to_string())
                .collect(),
        )
    }
}

fn is_content(w: &crate::analysis::text::Forms) -> bool {
    use crate::model::words::class;
    w.raw.len() > 1
        && !w.is(class::STOP | class::COMMON)
        && !w.raw.chars().all(|c| c.is_ascii_digit())
}

/// The fitted weights.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectModel {
    /// One weight per measure, in [`FEATURES`] order.
    pub weights: [f64; 5],
    /// The utility of "no rubric".
    pub none: f64,
}

/// Problems in a detection model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectModelError(pub Diagnostics);

impl fmt::Display for DetectModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for DetectModelError {}

impl DetectModel {
    pub fn builtin() -> DetectModel {
        DetectModel::parse(Path::new("<built-in detect-model.toml>"), DEFAULT_MODEL)
            .expect("the built-in detection model is valid (checked by a test)")
    }

    pub fn parse(path: &Path, src: &str) -> Result<DetectModel, DetectModelError> {
        let loc = crate::model::diag::Locator::new(path, src);
        let m: DetectModel = crate::model::diag::from_toml(&loc, src).map_err(DetectModelError)?;
        if m.weights.iter().chain([&m.none]).any(|w| !w.is_finite()) {
            return Err(DetectModelError(Diagnostics(vec![loc.at(
                0..0,
                crate::model::diag::Severity::Error,
                "weights must be finite numbers".to_string(),
            )])));
        }
        Ok(m)
    }

    fn utility(&self, x: &[f64; 5]) -> f64 {
        self.weights.iter().zip(x).map(|(w, x)| w * x).sum()
    }

    /// The probability of each candidate and of "no rubric" (last).
    pub fn probabilities(&self, fits: &[Fit]) -> Vec<f64> {
        let best = fits.iter().map(|f| f.bm25).fold(0.0, f64::max);
        let mut u: Vec<f64> = fits
            .iter()
            .map(|f| self.utility(&f.features(best)))
            .collect();
        u.push(self.none);
        let m = u.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let z: f64 = u.iter().map(|x| (x - m).exp()).sum();
        u.iter().map(|x| (x - m).exp() / z).collect()
    }

    /// Chooses among measured candidates (in BM25 order). The confidence is
    /// the probability of the chosen rubric and of its declared siblings
    /// among the candidates (`siblings(a, b)`): the chance that the answer
    /// answers this question or one asked in other words.
    pub fn decide(
        &self,
        fits: Vec<Fit>,
        siblings: impl Fn(&str, &str) -> bool,
    ) -> Result<Detection, NoRubric> {
        let p = self.probabilities(&fits);
        let none = *p.last().unwrap_or(&1.0);
        let mut ranked: Vec<(Fit, f64)> = fits.into_iter().zip(p).collect();
        // Most probable first; ties keep BM25 order (a stable sort).
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let Some((best, p_best)) = ranked.first().cloned() else {
            return Err(NoRubric { candidates: ranked });
        };
        let supported = best.concepts >= MIN_CONCEPTS;
        let clear = best.concepts >= CLEAR_CONCEPTS;
        if !supported || (!clear && none > p_best) {
            return Err(NoRubric { candidates: ranked });
        }
        let confidence = p_best
            + ranked
                .iter()
                .skip(1)
                .filter(|(f, _)| siblings(&best.rubric, &f.rubric))
                .map(|(_, p)| p)
                .sum::<f64>();
        Ok(Detection {
            rubric: best.rubric.clone(),
            confidence: confidence.min(1.0),
            candidates: ranked,
        })
    }
}

/// The rubric chosen for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub rubric: String,
    /// The estimated probability that the choice is right.
    pub confidence: f64,
    /// Every candidate measured with its probability, most probable first.
    pub candidates: Vec<(Fit, f64)>,
}

/// No candidate fits well enough.
#[derive(Debug, Clone, PartialEq)]
pub struct NoRubric {
    pub candidates: Vec<(Fit, f64)>,
}

impl fmt::Display for NoRubric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "matches no rubric in the bank")?;
        if let Some((best, _)) = self.candidates.first() {
            let n = best.concepts;
            write!(
                f,
                " (closest: {}, with evidence for {n} concept{})",
                best.rubric,
                if n == 1 { "" } else { "s" }
            )?;
        }
        write!(
            f,
            "; to score it anyway, name the rubric with --rubric ID or front matter `rubric: ID`"
        )
    }
}

impl std::error::Error for NoRubric {}

/// Fits the model's weights by maximum likelihood (gradient ascent with a
/// small L2 penalty, a fixed number of steps: deterministic). Each example
/// is the measured candidates and the indices of the right ones (the
/// answer's rubric and its declared siblings; empty: the text answers no
/// rubric). The likelihood is that of any right one.
pub fn fit(examples: &[(Vec<Fit>, Vec<usize>)]) -> DetectModel {
    let mut m = DetectModel {
        weights: [0.0; 5],
        none: 0.0,
    };
    let lambda = 0.001;
    let rate = 1.0;
    let n = examples.len().max(1) as f64;
    for _ in 0..10000 {
        let mut g = [0.0f64; 6];
        for (fits, right) in examples {
            let best = fits.iter().map(|f| f.bm25).fold(0.0, f64::max);
            let xs: Vec<[f64; 5]> = fits.iter().map(|f| f.features(best)).collect();
            let p = m.probabilities(fits);
            // d log Σ_right p_r = Σ_right (p_r / P) x_r − Σ_i p_i x_i (and
            // the same for "none").
            if right.is_empty() {
                g[5] += 1.0;
            } else {
                let total: f64 = right
                    .iter()
                    .map(|&r| p[r])
                    .sum::<f64>()
                    .max(f64::MIN_POSITIVE);
                for &r in right {
                    for (g, x) in g.iter_mut().zip(&xs[r]) {
                        *g += p[r] / total * x;
                    }
                }
            }
            for (p, x) in p.iter().zip(&xs) {
                for (g, x) in g.iter_mut().zip(x) {
                    *g -= p * x;
                }
            }
            g[5] -= p[fits.len()];
        }
        for (w, g) in m.weights.iter_mut().zip(&g) {
            *w += rate * (g / n - lambda * *w);
        }
        m.none += rate * (g[5] / n - lambda * m.none);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_siblings(_: &str, _: &str) -> bool {
        false
    }

    fn fit_of(rubric: &str, coverage: f64, concepts: usize, bm25: f64) -> Fit {
        Fit {
            rubric: rubric.into(),
            bm25,
            coverage,
            concepts,
            content: coverage,
            question: coverage,
        }
    }

    #[test]
    fn builtin_model_parses() {
        DetectModel::builtin();
    }

    #[test]
    fn one_concept_is_never_enough() {
        let m = DetectModel {
            weights: [10.0, 0.0, 0.0, 0.0, 0.0],
            none: -100.0,
        };
        let e = m
            .decide(vec![fit_of("a", 1.0, 1, 5.0)], no_siblings)
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("closest: a, with evidence for 1 concept)"),
            "{e}"
        );
    }

    #[test]
    fn clear_evidence_is_never_refused() {
        let m = DetectModel {
            weights: [0.0; 5],
            none: 100.0,
        };
        let d = m.decide(
            vec![fit_of("a", 0.6, 4, 5.0), fit_of("b", 0.2, 1, 6.0)],
            no_siblings,
        );
        assert_eq!(d.unwrap().rubric, "a");
    }

    #[test]
    fn the_better_fit_wins_over_bm25() {
        let m = DetectModel {
            weights: [5.0, 1.0, 1.0, 1.0, 0.5],
            none: 0.0,
        };
        let d = m
            .decide(
                vec![fit_of("a", 0.3, 2, 10.0), fit_of("b", 0.8, 5, 9.0)],
                no_siblings,
            )
            .unwrap();
        assert_eq!(d.rubric, "b");
        let with = m
            .decide(
                vec![fit_of("a", 0.3, 2, 10.0), fit_of("b", 0.8, 5, 9.0)],
                |_, _| true,
            )
            .unwrap();
        assert!(with.confidence > d.confidence);
        let total: f64 = m
            .probabilities(&[fit_of("a", 0.3, 2, 10.0), fit_of("b", 0.8, 5, 9.0)])
            .iter()
            .sum();
        assert!((total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn fitting_learns_to_prefer_coverage_and_refuse_nothing() {
        let examples = vec![
            (
                vec![fit_of("a", 0.8, 5, 5.0), fit_of("b", 0.1, 1, 6.0)],
                vec![0],
            ),
            (
                vec![fit_of("a", 0.1, 1, 5.0), fit_of("b", 0.7, 4, 4.0)],
                vec![1],
            ),
            (vec![fit_of("a", 0.05, 1, 2.0)], vec![]),
        ];
        let m = fit(&examples);
        assert!(m.weights[0] > 0.0);
        let p = m.probabilities(&examples[2].0);
        assert!(p[1] > p[0], "{p:?}");
    }
}
