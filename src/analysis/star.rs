//! STAR analysis: label each sentence of a story as Situation, Task, Action,
//! Result or none, from a cue lexicon kept as data (`data/star-cues.toml`).
//!
//! The STAR score (0–100) is documented in `docs/scoring.md`:
//! presence of Situation 15, Task 15, Action 25, Result 25; a quantified
//! Result 10; components in S→T→A→R order 5 (when two or more are present);
//! action told mostly with "I" 5.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::analysis::matcher::{CueSet, PhraseFilter, WordIndex};
use crate::analysis::star_model::{self, Cues, Feature, Label, StarModel};
use crate::analysis::text::{AnalyzedText, Analyzer};
use crate::model::diag::{Diagnostics, Locator, Severity};
use crate::model::rubric::{parse_phrase, LazyRegex, Pattern, Phrase, Pos};

/// The lexicon shipped with the tool.
pub const DEFAULT_CUES: &str = include_str!("../../data/star-cues.toml");

/// Points of the STAR score.
pub const POINTS_SITUATION: f64 = 15.0;
pub const POINTS_TASK: f64 = 15.0;
pub const POINTS_ACTION: f64 = 25.0;
pub const POINTS_RESULT: f64 = 25.0;
pub const POINTS_QUANTIFIED: f64 = 10.0;
pub const POINTS_ORDER: f64 = 5.0;
pub const POINTS_FIRST_PERSON: f64 = 5.0;
/// Below this share of "I" in action sentences, the story is "mostly we".
pub const FIRST_PERSON_THRESHOLD: f64 = 0.5;

/// A STAR component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    Situation,
    Task,
    Action,
    Result,
}

impl Component {
    pub const ALL: [Component; 4] = [
        Component::Situation,
        Component::Task,
        Component::Action,
        Component::Result,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Component::Situation => "situation",
            Component::Task => "task",
            Component::Action => "action",
            Component::Result => "result",
        }
    }

    /// The component a model label stands for (`None` for other).
    pub fn of(label: Label) -> Option<Component> {
        match label {
            Label::Situation => Some(Component::Situation),
            Label::Task => Some(Component::Task),
            Label::Action => Some(Component::Action),
            Label::Result => Some(Component::Result),
            Label::Other => None,
        }
    }

    pub fn letter(self) -> char {
        match self {
            Component::Situation => 'S',
            Component::Task => 'T',
            Component::Action => 'A',
            Component::Result => 'R',
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A named problem with a story's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Finding {
    NoSituation,
    NoTask,
    NoAction,
    NoResult,
    ResultNotQuantified,
    MostlyWe,
    OutOfOrder,
    FalseStar,
}

impl Finding {
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::NoSituation => "no-situation",
            Finding::NoTask => "no-task",
            Finding::NoAction => "no-action",
            Finding::NoResult => "no-result",
            Finding::ResultNotQuantified => "result-not-quantified",
            Finding::MostlyWe => "mostly-we",
            Finding::OutOfOrder => "out-of-order",
            Finding::FalseStar => "false-star",
        }
    }

    pub const ALL: [Finding; 8] = [
        Finding::NoSituation,
        Finding::NoTask,
        Finding::NoAction,
        Finding::NoResult,
        Finding::ResultNotQuantified,
        Finding::MostlyWe,
        Finding::OutOfOrder,
        Finding::FalseStar,
    ];

    /// The finding named `name` (as printed by [`Finding::as_str`]).
    pub fn parse(name: &str) -> Option<Finding> {
        Finding::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// A sentence of advice for the finding.
    pub fn advice(self) -> &'static str {
        match self {
            Finding::NoSituation => {
                "Set the scene first: where you were, what system, what was going wrong."
            }
            Finding::NoTask => "Say what you personally had to achieve or were responsible for.",
            Finding::NoAction => "Walk through the concrete steps you took, one by one.",
            Finding::NoResult => "Close with the outcome: what changed because of what you did.",
            Finding::ResultNotQuantified => {
                "Put a number on the result: a percentage, a time saved, a count of incidents."
            }
            Finding::MostlyWe => {
                "Tell the actions as \"I\": the interviewer is assessing you, not the team."
            }
            Finding::OutOfOrder => "Tell it in order: situation, task, action, then result.",
            Finding::FalseStar => {
                "Tell one real event you lived, in the past tense, not what you would do."
            }
        }
    }
}

/// The STAR analysis of one text.
#[derive(Debug, Clone, PartialEq)]
pub struct StarAnalysis {
    /// One label per sentence of the analyzed text (`None`: other).
    pub labels: Vec<Option<Component>>,
    /// The model's probability of each sentence's label.
    pub probability: Vec<f64>,
    /// Per sentence, the features that weighed most for its label.
    pub reasons: Vec<Vec<(String, f64)>>,
    /// Sentence indices per component, in S, T, A, R order.
    pub evidence: [Vec<usize>; 4],
    pub quantified_result: bool,
    pub in_order: bool,
    /// Share of the words told in action sentences (0..1).
    pub action_share: f64,
    /// Share of action sentences told with "I" rather than "we" (0..1).
    pub first_person_share: f64,
    pub score: f64,
    pub findings: Vec<Finding>,
}

impl StarAnalysis {
    pub fn present(&self, c: Component) -> bool {
        !self.evidence[c.index()].is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    situation: RawCues,
    task: RawCues,
    action: RawCues,
    result: RawCues,
    quantifiers: RawPatterns,
    voice: RawVoice,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCues {
    #[serde(default)]
    weight: Option<Spanned<f64>>,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPatterns {
    patterns: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVoice {
    first_person: Vec<String>,
    collective: Vec<String>,
}

/// A compiled cue lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    cues: [(f64, CueSet); 4],
    /// The sequence model: the built-in one is parsed on first use (most
    /// runs score no story).
    model: std::sync::OnceLock<StarModel>,
    quantifiers: Vec<LazyRegex>,
    /// The quantifiers as one alternation: one search of a sentence
    /// instead of one per pattern (the decoder asks of every sentence).
    any_quantifier: Option<LazyRegex>,
    first_person: Vec<String>,
    collective: Vec<String>,
    /// The words and joined pairs of speech its cue phrases could match.
    filter: std::sync::OnceLock<PhraseFilter>,
}

impl Lexicon {
    /// The lexicon shipped with the tool.
    pub fn builtin(analyzer: &mut Analyzer) -> Lexicon {
        Lexicon::parse(
            Path::new("<built-in star-cues.toml>"),
            DEFAULT_CUES,
            analyzer,
        )
        .expect("the built-in STAR lexicon is valid (checked by a test)")
    }

    /// Reads a lexicon file; its problems, every one located.
    pub fn load(path: &Path, analyzer: &mut Analyzer) -> Result<Lexicon, Diagnostics> {
        let src = crate::model::diag::read_source(path, "STAR cue lexicon")?;
        Lexicon::parse(path, &src, analyzer)
    }

    /// Parses lexicon text, reporting every bad pattern at once.
    pub fn parse(path: &Path, src: &str, analyzer: &mut Analyzer) -> Result<Lexicon, Diagnostics> {
        let loc = Locator::new(path, src);
        let raw: RawLexicon = crate::model::diag::from_toml(&loc, src)?;
        let mut diags = Vec::new();
        let mut compile = |list: &[Spanned<String>]| -> Vec<Pattern> {
            list.iter()
                .filter_map(|p| match LazyRegex::new(p.get_ref()) {
                    Ok(regex) => Some(Pattern {
                        source: p.get_ref().clone(),
                        regex,
                        pos: Pos::default(),
                    }),
                    Err(e) => {
                        let msg = e.lines().last().unwrap_or("").trim().to_string();
                        diags.push(loc.at(
                            p.span(),
                            Severity::Error,
                            format!("invalid regular expression `{}`: {msg}", p.get_ref()),
                        ));
                        None
                    }
                })
                .collect()
        };
        let mut sets = Vec::new();
        let mut weight_problems = Vec::new();
        for cues in [&raw.situation, &raw.task, &raw.action, &raw.result] {
            let patterns = compile(&cues.patterns);
            let phrases: Vec<Phrase> = cues
                .phrases
                .iter()
                .filter_map(|p| parse_phrase(p.get_ref()).ok())
                .map(|(text, gap)| Phrase {
                    text,
                    gap,
                    pos: Pos::default(),
                })
                .collect();
            let weight = match &cues.weight {
                Some(w) => {
                    crate::model::number::weight("weight", *w.get_ref()).map_err(|message| {
                        weight_problems.push(loc.at(w.span(), Severity::Error, message));
                    })
                }
                None => Ok(1.0),
            };
            sets.push((weight.unwrap_or(1.0), phrases, patterns));
        }
        let quantifiers = compile(&raw.quantifiers.patterns);
        let any_quantifier = (quantifiers.len() > 1)
            .then(|| {
                let sources: Vec<String> = quantifiers
                    .iter()
                    .map(|p| format!("(?:{})", p.source))
                    .collect();
                LazyRegex::new(&sources.join("|")).ok()
            })
            .flatten();
        let quantifiers: Vec<LazyRegex> = quantifiers.into_iter().map(|p| p.regex).collect();
        diags.extend(weight_problems);
        if !diags.is_empty() {
            diags.sort();
            return Err(Diagnostics(diags));
        }
        let mut built = sets
            .into_iter()
            .map(|(w, phrases, patterns)| (w, CueSet::new(analyzer, &phrases, &patterns)));
        let mut next = || built.next().expect("four components");
        let cues = [next(), next(), next(), next()];
        Ok(Lexicon {
            cues,
            filter: std::sync::OnceLock::new(),
            model: std::sync::OnceLock::new(),
            quantifiers,
            any_quantifier,
            first_person: raw.voice.first_person,
            collective: raw.voice.collective,
        })
    }

    /// The words and joined pairs of speech its cue phrases could match
    /// (worked out on first use).
    pub fn phrase_filter(&self) -> &PhraseFilter {
        self.filter.get_or_init(|| {
            let mut filter = PhraseFilter::default();
            for (_, set) in &self.cues {
                set.add_to(&mut filter);
            }
            filter
        })
    }

    /// For each component (S, T, A, R), how many cues each sentence hits.
    pub fn cue_counts(&self, index: &WordIndex<'_>) -> [Vec<u32>; 4] {
        let mut counts = self.cues.iter().map(|(_, set)| set.per_sentence(index));
        let mut next = || counts.next().expect("four components");
        [next(), next(), next(), next()]
    }

    /// Whether a sentence puts a number on something (a quantifier pattern).
    pub fn is_quantified(&self, sentence: &str) -> bool {
        // The alternation, unless it is too large to compile.
        match self.any_quantifier.as_ref().and_then(LazyRegex::get) {
            Some(any) => any.is_match(sentence),
            None => self.quantifiers.iter().any(|q| q.is_match(sentence)),
        }
    }

    /// The sequence model.
    pub fn model(&self) -> &StarModel {
        self.model.get_or_init(StarModel::builtin)
    }

    /// The same cues with another sequence model (`--star-model`).
    pub fn with_model(mut self, model: StarModel) -> Lexicon {
        self.model = std::sync::OnceLock::from(model);
        self
    }

    /// Each sentence's features for the sequence model.
    pub fn features(&self, index: &WordIndex<'_>) -> Vec<Vec<Feature>> {
        let counts = self.cue_counts(index);
        let quantified = |s: &str| self.is_quantified(s);
        star_model::features(
            index.text(),
            &Cues {
                counts: &counts,
                quantified: &quantified,
            },
        )
    }

    /// Labels every sentence with the sequence model and computes the STAR
    /// figures.
    pub fn analyze(&self, index: &WordIndex<'_>) -> StarAnalysis {
        let text: &AnalyzedText = index.text();
        let n = text.sentences.len();
        let counts = self.cue_counts(index);
        let quantified = |s: &str| self.is_quantified(s);
        let decoded = self.model().decode_text(
            text,
            &Cues {
                counts: &counts,
                quantified: &quantified,
            },
        );
        let labels: Vec<Option<Component>> =
            decoded.labels.iter().map(|l| Component::of(*l)).collect();

        let mut evidence: [Vec<usize>; 4] = Default::default();
        for (i, l) in labels.iter().enumerate() {
            if let Some(c) = l {
                evidence[c.index()].push(i);
            }
        }
        let quantified_result = evidence[Component::Result.index()]
            .iter()
            .any(|&i| self.is_quantified(text.sentence_text(i)));

        let firsts: Vec<usize> = evidence.iter().filter_map(|e| e.first().copied()).collect();
        let in_order = firsts.windows(2).all(|w| w[0] <= w[1]);

        let total_words = text.word_count().max(1);
        let action = &evidence[Component::Action.index()];
        let action_words: usize = action.iter().map(|&i| text.sentences[i].word_count).sum();
        let action_share = action_words as f64 / total_words as f64;

        let (mut mine, mut ours) = (0usize, 0usize);
        for &i in action {
            let mut words = text.sentence_words(i);
            if words
                .clone()
                .any(|w| self.first_person.iter().any(|f| **f == *w.raw()))
            {
                mine += 1;
            } else if words.any(|w| self.collective.iter().any(|f| **f == *w.raw())) {
                ours += 1;
            }
        }
        let first_person_share = if mine + ours == 0 {
            0.0
        } else {
            mine as f64 / (mine + ours) as f64
        };

        let present = |c: Component| !evidence[c.index()].is_empty();
        let mut findings = Vec::new();
        let mut score = 0.0;
        for (c, points, finding) in [
            (Component::Situation, POINTS_SITUATION, Finding::NoSituation),
            (Component::Task, POINTS_TASK, Finding::NoTask),
            (Component::Action, POINTS_ACTION, Finding::NoAction),
            (Component::Result, POINTS_RESULT, Finding::NoResult),
        ] {
            if present(c) {
                score += points;
            } else {
                findings.push(finding);
            }
        }
        if quantified_result {
            score += POINTS_QUANTIFIED;
        } else if present(Component::Result) {
            findings.push(Finding::ResultNotQuantified);
        }
        if firsts.len() >= 2 {
            if in_order {
                score += POINTS_ORDER;
            } else {
                findings.push(Finding::OutOfOrder);
            }
        }
        if present(Component::Action) {
            if first_person_share >= FIRST_PERSON_THRESHOLD {
                score += POINTS_FIRST_PERSON;
            } else {
                findings.push(Finding::MostlyWe);
            }
        }
        // A text most of whose sentences tell no part of a story (a
        // technical explanation, a hypothetical "I would first…").
        let other = labels.iter().filter(|l| l.is_none()).count();
        if n > 0 && other * 2 > n {
            findings.push(Finding::FalseStar);
        }
        findings.sort();

        StarAnalysis {
            labels,
            probability: decoded.probability,
            reasons: decoded.reasons,
            evidence,
            quantified_result,
            in_order,
            action_share,
            first_person_share,
            score,
            findings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(text: &str) -> StarAnalysis {
        let mut analyzer = Analyzer::new();
        let lexicon = Lexicon::builtin(&mut analyzer);
        let analyzed = analyzer.analyze(text);
        lexicon.analyze(&WordIndex::new(&analyzed))
    }

    #[test]
    fn every_sentence_gets_a_label_and_a_probability() {
        let a = analyze(
            "I was the on-call engineer, so it was my job to restore service. \
             I looked at the dashboards and rolled back the release. \
             Checkout recovered within 15 minutes and we lost about 2% of orders.",
        );
        let labels: Vec<Option<char>> = a.labels.iter().map(|l| l.map(Component::letter)).collect();
        assert_eq!(labels, vec![Some('T'), Some('A'), Some('R')]);
        assert_eq!(a.probability.len(), 3);
        assert!(a.probability.iter().all(|p| (0.0..=1.0).contains(p)));
        assert!(a.reasons.iter().all(|r| !r.is_empty()));
    }

    /// Decoding a story's sentences straight from its facts (stems looked
    /// up as they are) gives what decoding its listed, named features does.
    #[test]
    fn decoding_the_text_agrees_with_decoding_its_named_features() {
        let mut analyzer = Analyzer::new();
        let lexicon = Lexicon::builtin(&mut analyzer);
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/star/corpus");
        let stories = star_model::load_corpus(&dir).expect("the corpus reads");
        assert!(stories.len() > 100);
        let mut named = 0;
        for story in &stories {
            let analyzed = story.analyze(&mut analyzer);
            let index = WordIndex::new(&analyzed);
            let features = lexicon.features(&index);
            named += features
                .iter()
                .flatten()
                .filter(|(name, _)| name.starts_with("w=") || name.starts_with("w0="))
                .count();
            let counts = lexicon.cue_counts(&index);
            let quantified = |s: &str| lexicon.is_quantified(s);
            let cues = Cues {
                counts: &counts,
                quantified: &quantified,
            };
            let direct = lexicon.model().decode_text(&analyzed, &cues);
            assert_eq!(direct, lexicon.model().decode(&features), "{}", story.name);
        }
        assert!(named > 1000);
    }

    #[test]
    fn hypothetical_plan_is_a_false_star() {
        let a = analyze(
            "I would first gather the team and agree on what we know. \
             Then I would look at the dashboards to find the failing service. \
             I would probably roll back the release if it looks related. \
             After that I'd write a post-mortem so it doesn't happen again.",
        );
        assert!(a.findings.contains(&Finding::FalseStar), "{:?}", a.labels);
    }

    #[test]
    fn the_quantifier_alternation_agrees_with_each_pattern() {
        let lexicon = Lexicon::builtin(&mut Analyzer::new());
        assert!(lexicon
            .any_quantifier
            .as_ref()
            .and_then(LazyRegex::get)
            .is_some());
        // One sentence for each built-in quantifier, then some without.
        let quantified = [
            "Latency fell by 40% in a week.",
            "The new path was 3x faster.",
            "It saved us €200 a month.",
            "We served 12k rps at peak.",
            "Build time went from 9 minutes to 2 minutes.",
            "The error rate halved.",
            "Costs dropped by twenty percent.",
        ];
        let plain = ["We shipped it.", "The team agreed on a plan.", "It was 5."];
        for s in quantified.iter().chain(&plain) {
            let each = lexicon.quantifiers.iter().any(|q| q.is_match(s));
            assert_eq!(lexicon.is_quantified(s), each, "{s}");
            assert_eq!(each, quantified.contains(s), "{s}");
        }
    }

    #[test]
    fn builtin_lexicon_parses() {
        let mut analyzer = Analyzer::new();
        Lexicon::parse(
            Path::new("data/star-cues.toml"),
            DEFAULT_CUES,
            &mut analyzer,
        )
        .unwrap();
    }

    #[test]
    fn full_story_scores_high() {
        let a = analyze(
            "At my previous company, our checkout service started returning errors every evening. \
             I was responsible for finding the cause before the holiday sale. \
             I traced the errors to connection pool exhaustion and added a circuit breaker. \
             As a result, errors dropped by 90% and we had zero incidents during the sale.",
        );
        let labels: Vec<Option<char>> = a.labels.iter().map(|l| l.map(Component::letter)).collect();
        assert_eq!(labels, vec![Some('S'), Some('T'), Some('A'), Some('R')]);
        assert!(a.quantified_result);
        assert!(a.in_order);
        assert_eq!(a.first_person_share, 1.0);
        assert_eq!(a.score, 100.0);
        assert!(a.findings.is_empty(), "{:?}", a.findings);
    }

    #[test]
    fn we_story_without_result() {
        let a = analyze("We implemented a cache. We added retries. Then we moved on.");
        assert!(!a.present(Component::Result));
        assert!(a.findings.contains(&Finding::NoResult));
        assert!(a.findings.contains(&Finding::MostlyWe));
        assert_eq!(a.first_person_share, 0.0);
    }

    #[test]
    fn unquantified_and_out_of_order() {
        let a = analyze(
            "In the end the service was stable again. I added a circuit breaker. At the time we were running one big database.",
        );
        assert!(a.findings.contains(&Finding::ResultNotQuantified));
        assert!(a.findings.contains(&Finding::OutOfOrder));
        assert!(!a.in_order);
    }

    #[test]
    fn bad_lexicon_pattern_is_located() {
        let src = DEFAULT_CUES.replacen("patterns = []", "patterns = ['(oops']", 1);
        let mut analyzer = Analyzer::new();
        let err = Lexicon::parse(Path::new("cues.toml"), &src, &mut analyzer).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("cues.toml:"), "{msg}");
        assert!(msg.contains("invalid regular expression `(oops`"), "{msg}");
    }

    #[test]
    fn cue_weights_follow_the_rubric_rule() {
        for bad in ["nan", "0.0", "-1.0", "inf"] {
            let src = DEFAULT_CUES.replacen("weight = 1.0", &format!("weight = {bad}"), 1);
            let mut analyzer = Analyzer::new();
            let err = Lexicon::parse(Path::new("cues.toml"), &src, &mut analyzer).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.contains("`weight` must be a positive number"),
                "{bad}: {msg}"
            );
            assert!(msg.starts_with("cues.toml:10:10:"), "{bad}: {msg}");
        }
    }
}
