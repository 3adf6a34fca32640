//! Scoring: from an analyzed answer and a rubric to a [`Scored`] result.
//!
//! The formula (documented in `docs/scoring.md` and shown per answer):
//! - coverage = 100 × weight of matched concepts ÷ total weight;
//! - technical: raw = coverage;
//! - behavioral: raw = (1 − star.weight) × coverage + star.weight × STAR score;
//! - score = raw − red-flag penalties, clipped to 0..100, rounded to 0.1;
//! - pass when score ≥ pass mark and no required concept is missing.

use serde::Serialize;

use crate::analysis::matcher::{CompiledRubric, Found, Via, WordIndex};
use crate::analysis::namedrop::{self, NameDropModel};
use crate::analysis::star::{Component, Lexicon, StarAnalysis};
use crate::analysis::text::AnalyzedText;
use crate::model::rubric::{Kind, Rubric, DEFAULT_PASS};

/// A sentence that shows a concept (or a red flag, or a STAR component).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The whole sentence.
    pub text: String,
    /// 1-based line and column of the matched words (of the sentence for STAR).
    pub line: usize,
    pub column: usize,
    /// The rubric entry that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
    /// How it matched: "phrase", "pattern" or "sounds_like".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<&'static str>,
    /// True when a word matched only through a spelling slip.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fuzzy: bool,
    /// True when the match needed a speech-to-text repair (glossary,
    /// spelled-out number, split or joined words).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub speech_to_text: bool,
    /// For timed transcripts: when the sentence was said, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
}

/// One concept's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConceptResult {
    pub id: String,
    pub label: String,
    pub weight: f64,
    pub required: bool,
    pub matched: bool,
    /// The share of the weight the concept earns: 1 when explained,
    /// [`namedrop::NAMED_ONLY_CREDIT`] when only named (see `docs/scoring.md`),
    /// 0 when missing.
    pub credit: f64,
    /// Matched, but only named: in a bare list item, or in a sentence that
    /// strings concept names together without saying anything about them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub named_only: bool,
    /// Ignored concepts (front matter `ignore`) count neither way.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignored: bool,
    pub evidence: Vec<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question_hint: Option<String>,
}

/// A red flag the answer raised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedFlagResult {
    pub id: String,
    pub label: String,
    pub penalty: f64,
    pub evidence: Vec<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// One STAR component in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarComponent {
    pub present: bool,
    pub evidence: Vec<Evidence>,
}

/// A labelled sentence of the STAR timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarSentence {
    pub line: usize,
    pub column: usize,
    /// "situation", "task", "action", "result" or "other".
    pub label: &'static str,
    /// The sequence model's probability of the label (0..1).
    pub probability: f64,
    pub text: String,
    /// The features that weighed most for the label (`rubric star --explain`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<FeatureWeight>,
}

/// A feature of a sentence and how much it favoured the sentence's label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureWeight {
    pub feature: String,
    pub weight: f64,
}

impl StarResult {
    /// The result without the per-sentence feature lists (kept only for
    /// `rubric star --explain`).
    pub fn without_features(mut self) -> StarResult {
        for s in &mut self.sentences {
            s.features.clear();
        }
        self
    }
}

/// The STAR part of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarResult {
    pub score: f64,
    pub situation: StarComponent,
    pub task: StarComponent,
    pub action: StarComponent,
    pub result: StarComponent,
    pub quantified_result: bool,
    pub in_order: bool,
    pub first_person_share: f64,
    pub action_share: f64,
    pub findings: Vec<&'static str>,
    pub sentences: Vec<StarSentence>,
}

/// How the total was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub matched_weight: f64,
    pub total_weight: f64,
    pub coverage: f64,
    /// The STAR share of the score, for behavioral rubrics.
    pub star_weight: Option<f64>,
    pub star_score: Option<f64>,
    pub penalties: f64,
    pub pass_mark: f64,
    /// The formula with the numbers filled in.
    pub formula: String,
}

/// The answer's length against the rubric's expected range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Length {
    pub words: usize,
    pub min: usize,
    pub max: usize,
    /// "short", "ok" or "long".
    pub verdict: &'static str,
}

/// The scored answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub rubric: String,
    pub question: String,
    pub kind: &'static str,
    pub score: f64,
    pub coverage: f64,
    pub pass: bool,
    pub pass_mark: f64,
    pub concepts: Vec<ConceptResult>,
    pub missing: Vec<String>,
    pub required_missing: Vec<String>,
    pub red_flags: Vec<RedFlagResult>,
    pub star: Option<StarResult>,
    pub words: usize,
    /// The probability that the answer strings concept names together
    /// without explaining them (0..1); from `namedrop::THRESHOLD` its unexplained concepts
    /// earn partial credit.
    pub name_dropping: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<Length>,
    pub breakdown: Breakdown,
    /// How the answer was delivered: pace, fillers, hedges, pauses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<crate::analysis::delivery::Delivery>,
    /// For transcripts: the format, whose speech was scored, and notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<TranscriptInfo>,
    /// The answer sentence by sentence with its marks, for reports a person
    /// reads (only with [`ScoreOptions::annotate`]; not part of the JSON).
    #[serde(skip)]
    pub annotated: Vec<AnnotatedSentence>,
}

/// A sentence of the answer with what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedSentence {
    pub text: String,
    pub line: usize,
    /// Seconds, for timed transcripts.
    pub start: Option<f64>,
    /// The STAR component, for behavioral rubrics.
    pub star: Option<&'static str>,
    pub marks: Vec<Mark>,
}

/// Matched words inside a sentence: byte range in the sentence text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub from: usize,
    pub to: usize,
    /// The concept (or red flag) id and label.
    pub id: String,
    pub label: String,
    pub red_flag: bool,
}

/// What the report says about a transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscriptInfo {
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<crate::answer::transcript::SpeakerChoice>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Options that change how an answer is scored.
#[derive(Debug, Clone, Default)]
pub struct ScoreOptions {
    /// Overrides the pass mark of the rubric.
    pub pass: Option<f64>,
    /// The pass mark when the rubric has none (bank config); else 60.
    pub default_pass: Option<f64>,
    /// Concept ids left out on purpose.
    pub ignore: Vec<String>,
    /// Keep the answer sentence by sentence with marks (for `rubric report`).
    pub annotate: bool,
}

/// Rounds to one decimal, so output is stable and readable.
pub fn round1(x: f64) -> f64 {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn evidence_of(text: &AnalyzedText, found: &Found) -> Vec<Evidence> {
    found
        .hits
        .iter()
        .map(|h| {
            let at = text.locate(h.start);
            Evidence {
                text: text.sentence_text(h.sentence).to_string(),
                line: at.line,
                column: at.column,
                phrase: Some(h.entry.clone()),
                via: Some(match h.via {
                    Via::Phrase => "phrase",
                    Via::Pattern => "pattern",
                    Via::SoundsLike => "sounds_like",
                }),
                fuzzy: h.fuzzy,
                speech_to_text: h.stt,
                start: at.start,
                end: at.end,
            }
        })
        .collect()
}

fn sentence_evidence(text: &AnalyzedText, i: usize) -> Evidence {
    let at = text.locate(text.sentences[i].start);
    Evidence {
        text: text.sentence_text(i).to_string(),
        line: at.line,
        column: at.column,
        phrase: None,
        via: None,
        fuzzy: false,
        speech_to_text: false,
        start: at.start,
        end: at.end,
    }
}

pub fn star_result(text: &AnalyzedText, a: &StarAnalysis) -> StarResult {
    let component = |c: Component| StarComponent {
        present: a.present(c),
        evidence: a.evidence[c as usize]
            .iter()
            .map(|&i| sentence_evidence(text, i))
            .collect(),
    };
    StarResult {
        score: round1(a.score),
        situation: component(Component::Situation),
        task: component(Component::Task),
        action: component(Component::Action),
        result: component(Component::Result),
        quantified_result: a.quantified_result,
        in_order: a.in_order,
        first_person_share: round2(a.first_person_share),
        action_share: round2(a.action_share),
        findings: a.findings.iter().map(|f| f.as_str()).collect(),
        sentences: a
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let e = sentence_evidence(text, i);
                StarSentence {
                    line: e.line,
                    column: e.column,
                    label: l.map_or("other", Component::as_str),
                    probability: round2(a.probability.get(i).copied().unwrap_or(0.0)),
                    text: e.text,
                    features: a
                        .reasons
                        .get(i)
                        .into_iter()
                        .flatten()
                        .map(|(f, w)| FeatureWeight {
                            feature: f.clone(),
                            weight: round2(*w),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// The name-dropping measures of an answer against a rubric (for fitting
/// the model; see [`namedrop::features`]).
pub fn name_drop_features(
    compiled: &CompiledRubric,
    text: &AnalyzedText,
) -> crate::analysis::namedrop::Measures {
    let found = compiled.match_concepts(&WordIndex::new(text));
    let explained = namedrop::explained_hits(text, &found, namedrop::EXPLAIN_WORDS);
    namedrop::features(text, &found, &explained)
}

/// Scores one analyzed answer against a rubric.
pub fn score(
    rubric: &Rubric,
    compiled: &CompiledRubric,
    lexicon: &Lexicon,
    text: &AnalyzedText,
    options: &ScoreOptions,
) -> Scored {
    // The index keeps only the words (and for speech the joined pairs) a
    // phrase of the rubric, its red flags or (for a behavioral question,
    // whose STAR parts are looked up) the STAR cues could match.
    let filters = [compiled.phrase_filter(), lexicon.phrase_filter()];
    let looked_up = match rubric.kind {
        Kind::Behavioral => &filters[..],
        Kind::Technical => &filters[..1],
    };
    let index = WordIndex::for_phrases(text, looked_up);
    let found = compiled.match_concepts(&index);
    let explained = namedrop::explained_hits(text, &found, namedrop::EXPLAIN_WORDS);
    // Only an answer judged name-dropping as a whole earns partial credit
    // for the concepts it names without explaining (by a stricter measure).
    let name_dropping =
        NameDropModel::builtin().probability(&namedrop::features(text, &found, &explained));
    let name_drop = name_dropping >= namedrop::THRESHOLD;
    let explained = if name_drop {
        namedrop::explained_hits(text, &found, namedrop::EXPLAIN_WORDS_WHEN_NAME_DROPPING)
    } else {
        explained
    };
    let mut concepts = Vec::with_capacity(rubric.concepts.len());
    let (mut matched_weight, mut total_weight) = (0.0, 0.0);
    let mut missing = Vec::new();
    let mut required_missing = Vec::new();
    for (k, (c, f)) in rubric.concepts.iter().zip(&found).enumerate() {
        let ignored = options.ignore.contains(&c.id);
        let named_only = name_drop && f.matched && !explained[k];
        let credit = match (f.matched, named_only) {
            (false, _) => 0.0,
            (true, true) => namedrop::NAMED_ONLY_CREDIT,
            (true, false) => 1.0,
        };
        if !ignored {
            total_weight += c.weight;
            if f.matched {
                matched_weight += c.weight * credit;
            } else {
                missing.push(c.id.clone());
                if c.required {
                    required_missing.push(c.id.clone());
                }
            }
        }
        concepts.push(ConceptResult {
            id: c.id.clone(),
            label: c.label.clone(),
            weight: c.weight,
            required: c.required,
            matched: f.matched,
            credit,
            named_only,
            ignored,
            evidence: if f.matched {
                evidence_of(text, f)
            } else {
                Vec::new()
            },
            hint: c.hint.clone(),
            question_hint: c.question_hint.clone(),
        });
    }
    let coverage = if total_weight > 0.0 {
        100.0 * matched_weight / total_weight
    } else {
        0.0
    };

    let flag_hits = compiled.match_red_flags(&index);
    let annotated = if options.annotate {
        annotate(text, rubric, &found, &flag_hits)
    } else {
        Vec::new()
    };
    let red_flags: Vec<RedFlagResult> = rubric
        .red_flags
        .iter()
        .zip(flag_hits)
        .filter(|(_, f)| f.matched)
        .map(|(r, f)| RedFlagResult {
            id: r.id.clone(),
            label: r.label.clone(),
            penalty: r.penalty,
            evidence: evidence_of(text, &f),
            hint: r.hint.clone(),
        })
        .collect();
    let penalties: f64 = red_flags.iter().map(|r| r.penalty).sum();

    let star = match rubric.kind {
        Kind::Behavioral => Some(lexicon.analyze(&index)),
        Kind::Technical => None,
    };
    let star_weight = rubric.star_weight.filter(|_| star.is_some());
    let pass_mark = options
        .pass
        .or(rubric.pass)
        .or(options.default_pass)
        .unwrap_or(DEFAULT_PASS);

    let coverage_r = round1(coverage);
    let (raw, formula_head) = match (&star, star_weight) {
        // A name-dropped story tells no story: its STAR part earns the
        // same partial credit as its concepts.
        (Some(a), Some(w)) if name_drop => (
            (1.0 - w) * coverage + w * a.score * namedrop::NAMED_ONLY_CREDIT,
            format!(
                "(1 − {w}) × coverage {coverage_r} + {w} × STAR {} × {} (name-dropping)",
                round1(a.score),
                namedrop::NAMED_ONLY_CREDIT
            ),
        ),
        (Some(a), Some(w)) => (
            (1.0 - w) * coverage + w * a.score,
            format!(
                "(1 − {w}) × coverage {coverage_r} + {w} × STAR {}",
                round1(a.score)
            ),
        ),
        _ => (coverage, format!("coverage {coverage_r}")),
    };
    let final_score = round1((raw - penalties).clamp(0.0, 100.0));
    let mut formula = format!(
        "coverage = {} / {} = {coverage_r}; score = {formula_head}",
        round2(matched_weight),
        round2(total_weight)
    );
    if penalties > 0.0 {
        formula.push_str(&format!(" − red flags {}", round1(penalties)));
    }
    formula.push_str(&format!(" = {final_score}"));
    let pass = final_score >= pass_mark && required_missing.is_empty();
    // The one word count shown everywhere (delivery, the speaker choice).
    let words = text.counted_words();
    let length = rubric.words.map(|(min, max)| Length {
        words,
        min,
        max,
        verdict: if words < min {
            "short"
        } else if words > max {
            "long"
        } else {
            "ok"
        },
    });

    Scored {
        rubric: rubric.id.clone(),
        question: rubric.question.clone(),
        kind: rubric.kind.as_str(),
        score: final_score,
        coverage: coverage_r,
        pass,
        pass_mark,
        concepts,
        missing,
        required_missing,
        red_flags,
        star: star
            .as_ref()
            .map(|a| star_result(text, a).without_features()),
        words,
        name_dropping: round2(name_dropping),
        length,
        breakdown: Breakdown {
            matched_weight: round2(matched_weight),
            total_weight: round2(total_weight),
            coverage: coverage_r,
            star_weight,
            star_score: star.as_ref().map(|a| round1(a.score)),
            penalties: round1(penalties),
            pass_mark,
            formula,
        },
        delivery: None,
        transcript: None,
        annotated: with_star(annotated, star.as_ref()),
    }
}

fn with_star(
    mut sentences: Vec<AnnotatedSentence>,
    star: Option<&StarAnalysis>,
) -> Vec<AnnotatedSentence> {
    if let Some(a) = star {
        for (s, l) in sentences.iter_mut().zip(&a.labels) {
            s.star = l.map(Component::as_str);
        }
    }
    sentences
}

/// The answer sentence by sentence, with the words each matched concept and
/// red flag hit.
fn annotate(
    text: &AnalyzedText,
    rubric: &Rubric,
    concepts: &[Found],
    flags: &[Found],
) -> Vec<AnnotatedSentence> {
    let mut out: Vec<AnnotatedSentence> = (0..text.sentences.len())
        .map(|i| {
            let e = sentence_evidence(text, i);
            AnnotatedSentence {
                text: e.text,
                line: e.line,
                start: e.start,
                star: None,
                marks: Vec::new(),
            }
        })
        .collect();
    let labelled = rubric
        .concepts
        .iter()
        .map(|c| (c.id.as_str(), c.label.as_str(), false))
        .zip(concepts)
        .chain(
            rubric
                .red_flags
                .iter()
                .map(|f| (f.id.as_str(), f.label.as_str(), true))
                .zip(flags),
        );
    for ((id, label, red_flag), found) in labelled {
        if !found.matched {
            continue;
        }
        for h in &found.hits {
            let sentence = &text.sentences[h.sentence];
            let raw = &text.text[sentence.start..sentence.end];
            let lead = raw.len() - raw.trim_start().len();
            let base = sentence.start + lead;
            if h.start < base || h.end > base + out[h.sentence].text.len() {
                continue;
            }
            out[h.sentence].marks.push(Mark {
                from: h.start - base,
                to: h.end - base,
                id: id.to_string(),
                label: label.to_string(),
                red_flag,
            });
        }
    }
    for s in &mut out {
        s.marks
            .sort_by(|a, b| (a.from, a.to, &a.id).cmp(&(b.from, b.to, &b.id)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::text::Analyzer;
    use crate::model::rubric::parse;
    use std::path::Path;

    const RUBRIC: &str = r#"
question = "Q?"
pass = 50
[[concept]]
id = "a"
weight = 3
required = true
phrases = ["alpha"]
hint = "Say alpha."
[[concept]]
id = "b"
phrases = ["beta"]
[[red_flag]]
id = "bad"
phrases = ["gamma"]
penalty = 20
"#;

    fn run(src: &str, answer: &str, options: &ScoreOptions) -> Scored {
        let rubric = parse(Path::new("t.toml"), src).unwrap();
        let mut analyzer = Analyzer::new();
        let compiled = CompiledRubric::new(&rubric, &mut analyzer);
        let lexicon = Lexicon::builtin(&mut analyzer);
        let text = analyzer.analyze(answer);
        score(&rubric, &compiled, &lexicon, &text, options)
    }

    #[test]
    fn weighted_coverage_and_pass() {
        let s = run(RUBRIC, "Alpha only.", &ScoreOptions::default());
        assert_eq!(s.coverage, 75.0);
        assert_eq!(s.score, 75.0);
        assert!(s.pass);
        assert_eq!(s.missing, vec!["b"]);
        assert_eq!(
            s.breakdown.formula,
            "coverage = 3 / 4 = 75; score = coverage 75 = 75"
        );
    }

    #[test]
    fn required_missing_fails_whatever_the_score() {
        let s = run(
            RUBRIC,
            "Beta only.",
            &ScoreOptions {
                pass: Some(0.0),
                ..Default::default()
            },
        );
        assert!(!s.pass);
        assert_eq!(s.required_missing, vec!["a"]);
    }

    #[test]
    fn red_flags_subtract_and_clip() {
        let s = run(RUBRIC, "Alpha keeps each retried request from charging the customer twice, and beta isolates failing dependencies behind timeouts. Gamma!", &ScoreOptions::default());
        assert_eq!(s.score, 80.0);
        assert_eq!(s.red_flags[0].id, "bad");
        let s = run(RUBRIC, "Gamma.", &ScoreOptions::default());
        assert_eq!(s.score, 0.0);
    }

    #[test]
    fn names_strung_together_earn_partial_credit() {
        let listed = run(RUBRIC, "Alpha, beta.", &ScoreOptions::default());
        assert!(listed.name_dropping >= crate::analysis::namedrop::THRESHOLD);
        assert!(listed
            .concepts
            .iter()
            .all(|c| c.named_only && c.credit == 0.25));
        assert_eq!(listed.coverage, 25.0);
        let explained = run(RUBRIC, "Alpha keeps each retried request from charging the customer twice, and beta isolates failing dependencies behind timeouts.", &ScoreOptions::default());
        assert!(explained.name_dropping < crate::analysis::namedrop::THRESHOLD);
        assert!(explained
            .concepts
            .iter()
            .all(|c| !c.named_only && c.credit == 1.0));
        assert_eq!(explained.coverage, 100.0);
    }

    #[test]
    fn ignored_concepts_leave_the_total() {
        let opts = ScoreOptions {
            ignore: vec!["b".into()],
            ..Default::default()
        };
        let s = run(
            RUBRIC,
            "Alpha keeps each retried request from charging the customer twice.",
            &opts,
        );
        assert_eq!(s.coverage, 100.0);
        assert!(s.missing.is_empty());
        assert!(s.concepts[1].ignored);
    }

    #[test]
    fn behavioral_blends_star() {
        let src = format!("kind = \"behavioral\"\n{RUBRIC}\n[star]\nweight = 0.5\n");
        let s = run(&src, "Alpha keeps each retried request from charging the customer twice, and beta isolates failing dependencies behind timeouts.", &ScoreOptions::default());
        let star = s.star.as_ref().unwrap();
        let expected = round1(0.5 * 100.0 + 0.5 * star.score);
        assert_eq!(s.score, expected);
        assert!(s
            .breakdown
            .formula
            .contains("(1 − 0.5) × coverage 100 + 0.5 × STAR"));
    }

    #[test]
    fn pass_mark_precedence() {
        let no_pass = RUBRIC.replace("pass = 50\n", "");
        let s = run(&no_pass, "Alpha.", &ScoreOptions::default());
        assert_eq!(s.pass_mark, DEFAULT_PASS);
        let s = run(
            &no_pass,
            "Alpha.",
            &ScoreOptions {
                default_pass: Some(80.0),
                ..Default::default()
            },
        );
        assert_eq!(s.pass_mark, 80.0);
        let s = run(
            RUBRIC,
            "Alpha.",
            &ScoreOptions {
                pass: Some(90.0),
                default_pass: Some(80.0),
                ..Default::default()
            },
        );
        assert_eq!(s.pass_mark, 90.0);
    }
}
