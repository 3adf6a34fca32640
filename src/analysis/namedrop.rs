//! Name-dropping: an answer that strings concept names together without
//! saying anything about them.
//!
//! Two levels. Per concept, [`explained_hits`] tells whether some list item
//! that names it also says something of its own. Per answer, a logistic
//! model over a few measures of the whole text ([`features`]: how much of it
//! is concept names, how list-like it is, how many function words it has,
//! the share of its concepts explained, its length, concepts per sentence)
//! gives the probability that the answer is name-dropping. Its weights are
//! fitted on the detection dev set (`eval/detect/dev`: on-topic answers
//! against buzzword answers) by `cargo run --release --example detect_eval
//! -- --fit` and ship in `data/namedrop-model.toml`. In an answer judged
//! name-dropping, a concept that is not explained earns only
//! [`NAMED_ONLY_CREDIT`] of its weight; in any other answer, a list of
//! further points reads as a summary and earns full credit.

use std::path::Path;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use crate::analysis::matcher::Found;
use crate::analysis::text::{AnalyzedText, Words};
use crate::model::diag::{Diagnostics, Locator};
use crate::model::words::class;

/// The model shipped with the tool.
pub const DEFAULT_MODEL: &str = include_str!("../../data/namedrop-model.toml");
/// The share of a concept's weight earned when it is only named in an
/// answer judged name-dropping.
pub const NAMED_ONLY_CREDIT: f64 = 0.25;
/// From this probability on, an answer is judged name-dropping.
pub const THRESHOLD: f64 = 0.9;
/// The measures the model weighs, in [`features`] order.
pub const FEATURES: [&str; MEASURES] = [
    "names",
    "list",
    "function_words",
    "explained",
    "length",
    "concepts_per_sentence",
    "connectives",
    "item_length",
];
/// How many measures the model weighs.
pub const MEASURES: usize = 8;
/// An answer's measures, in [`FEATURES`] order.
pub type Measures = [f64; MEASURES];

/// A concept is explained where the list item that names it has at least
/// this many words of its own (see [`explained_hits`]): for the model's
/// measures, and for crediting concepts in an answer judged name-dropping.
pub const EXPLAIN_WORDS: usize = 1;
pub const EXPLAIN_WORDS_WHEN_NAME_DROPPING: usize = 2;

/// Whether a byte is where one list item of a sentence ends and the next
/// begins: commas, semicolons, colons, brackets, slashes and dashes.
fn is_item_break(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '(' | ')' | '/' | '—' | '–' | '[' | ']')
}

/// For each concept, whether it is explained somewhere: a sentence strings
/// concept names together when its list items (split at commas,
/// semicolons, brackets, slashes, and at "and", "or", "plus", "versus")
/// hold nothing but the names. A hit is explained when its item has at
/// least `min_words` content words that no matched phrase covers
/// (stop-words, words every answer uses and list verbs such as "use" do
/// not count). "Throttling limits the request rate" explains throttling;
/// "token bucket, leaky bucket, Redis" explains nothing.
pub fn explained_hits(text: &AnalyzedText, found: &[Found], min_words: usize) -> Vec<bool> {
    let mut ranges: Vec<(usize, usize)> = found
        .iter()
        .filter(|f| f.matched)
        .flat_map(|f| f.hits.iter().map(|h| (h.start, h.end)))
        .collect();
    ranges.sort_unstable();
    // The furthest end among the ranges before each: a sentence's sweep
    // starts at its own ranges, not at the first of the text.
    let mut reach_before = Vec::with_capacity(ranges.len() + 1);
    reach_before.push(None);
    for &(_, end) in &ranges {
        let last: Option<usize> = *reach_before.last().expect("one at least");
        reach_before.push(Some(last.map_or(end, |r| r.max(end))));
    }
    let ranges = Ranges {
        list: &ranges,
        reach_before: &reach_before,
    };
    // The list items of a sentence, worked out for the sentences that hold
    // a hit only (a phrase reports one hit: few sentences of a long text).
    let mut items: HashMap<usize, Items> = HashMap::default();
    found
        .iter()
        .map(|f| {
            f.matched
                && f.hits.iter().any(|h| {
                    let items = items
                        .entry(h.sentence)
                        .or_insert_with(|| Items::of(text, h.sentence, ranges));
                    text.sentence_words(h.sentence)
                        .zip(&items.of_word)
                        .any(|(w, &item)| {
                            w.start as usize >= h.start
                                && w.end as usize <= h.end
                                && items.free[item as usize] >= min_words
                        })
                })
        })
        .collect()
}

/// The list items of one sentence: the item of each of its words, and how
/// many words of its own each item has.
struct Items {
    of_word: Vec<u32>,
    free: Vec<usize>,
}

/// The matched byte ranges of a text, sorted, with the furthest end among
/// the ranges before each (`reach_before[k]` of `list[..k]`).
#[derive(Clone, Copy)]
struct Ranges<'r> {
    list: &'r [(usize, usize)],
    reach_before: &'r [Option<usize>],
}

impl Items {
    fn of(text: &AnalyzedText, i: usize, ranges: Ranges<'_>) -> Items {
        let sentence = &text.sentences[i];
        let words = text.sentence_words(i);
        let mut of_word = Vec::with_capacity(words.len());
        let mut free = vec![0usize];
        let mut prev_end = sentence.start;
        // The ranges starting before the sentence reach its words only
        // through their furthest end: the sweep starts after them.
        let skip = ranges.list.partition_point(|r| r.0 < sentence.start);
        let covered = covered_from(words.clone(), ranges.list, skip, ranges.reach_before[skip]);
        for (k, (w, covered)) in words.zip(covered).enumerate() {
            let between = &text.text[prev_end.min(w.start as usize)..w.start as usize];
            let joiner = w.is(class::JOINER);
            if k > 0 && (joiner || (between != " " && between.chars().any(is_item_break))) {
                free.push(0);
            }
            of_word.push(free.len() as u32 - 1);
            if !w.is(class::STOP | class::COMMON | class::LIST_VERB) && !covered {
                *free.last_mut().expect("one item at least") += 1;
            }
            prev_end = w.end as usize;
        }
        Items { of_word, free }
    }
}

/// For each word, whether one of the byte ranges (sorted) holds it whole.
/// One sweep: words are in text order, so a word is held when the furthest
/// end among the ranges starting at or before it reaches its end.
fn covered_words<'w>(
    words: Words<'w>,
    ranges: &'w [(usize, usize)],
) -> impl Iterator<Item = bool> + 'w {
    covered_from(words, ranges, 0, None)
}

/// [`covered_words`] with the sweep started at `ranges[next]`, the ranges
/// before reaching up to `reach`: the same answers for words that start
/// after them.
fn covered_from<'w>(
    words: Words<'w>,
    ranges: &'w [(usize, usize)],
    mut next: usize,
    mut reach: Option<usize>,
) -> impl Iterator<Item = bool> + 'w {
    words.map(move |w| {
        while next < ranges.len() && ranges[next].0 <= w.start as usize {
            reach = Some(reach.map_or(ranges[next].1, |r| r.max(ranges[next].1)));
            next += 1;
        }
        reach.is_some_and(|r| w.end as usize <= r)
    })
}

/// The measures of an answer for the model (each about 0..1).
pub fn features(text: &AnalyzedText, found: &[Found], explained: &[bool]) -> Measures {
    let words = text.words().len().max(1) as f64;
    // One walk over the words: classes counted, and list items broken by
    // separators between words ("and"/"or" joiners count as breaks too).
    let (mut stop, mut breaks, mut connectives) = (0usize, 0usize, 0usize);
    let mut prev_end: Option<usize> = None;
    for w in text.words() {
        let class = w.forms.class;
        stop += usize::from(class & class::STOP != 0);
        breaks += usize::from(class & class::AND_OR != 0);
        connectives += usize::from(class & class::CONNECTIVE != 0);
        if let Some(end) = prev_end {
            let between = &text.text[end.min(w.start as usize)..w.start as usize];
            if between != " " && between.chars().any(|c| is_item_break(c) || c == '\n') {
                breaks += 1;
            }
        }
        prev_end = Some(w.end as usize);
    }
    let stop = stop as f64;
    let content = (words - stop).max(1.0);
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for f in found.iter().filter(|f| f.matched) {
        covered.extend(f.hits.iter().map(|h| (h.start, h.end)));
    }
    covered.sort_unstable();
    let names = covered_words(text.words(), &covered).filter(|c| *c).count() as f64;
    let matched = found.iter().filter(|f| f.matched).count();
    let explained_n = explained.iter().filter(|e| **e).count();
    let sentences = text.sentences.len().max(1) as f64;
    [
        (names / content).min(1.0),
        (breaks as f64 / words).min(1.0),
        stop / words,
        if matched == 0 {
            1.0
        } else {
            explained_n as f64 / matched as f64
        },
        ((1.0 + words).ln() / 400f64.ln()).min(1.5),
        (matched as f64 / sentences / 4.0).min(2.0),
        (connectives as f64 / sentences / 3.0).min(1.0),
        (words / (breaks as f64 + sentences) / 10.0).min(1.0),
    ]
}

/// The fitted answer-level model.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameDropModel {
    /// One weight per measure, in [`FEATURES`] order.
    pub weights: Measures,
    pub bias: f64,
}

impl NameDropModel {
    /// The model shipped with the tool (parsed once).
    pub fn builtin() -> &'static NameDropModel {
        static MODEL: OnceLock<NameDropModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            NameDropModel::parse(Path::new("<built-in namedrop-model.toml>"), DEFAULT_MODEL)
                .expect("the built-in name-dropping model is valid (checked by a test)")
        })
    }

    pub fn parse(path: &Path, src: &str) -> Result<NameDropModel, Diagnostics> {
        let loc = Locator::new(path, src);
        let m: NameDropModel = crate::model::diag::from_toml(&loc, src)?;
        if m.weights.iter().chain([&m.bias]).any(|w| !w.is_finite()) {
            return Err(Diagnostics(vec![loc.at(
                0..0,
                crate::model::diag::Severity::Error,
                "weights must be finite numbers".to_string(),
            )]));
        }
        Ok(m)
    }

    /// The probability that an answer with these measures is name-dropping.
    pub fn probability(&self, x: &Measures) -> f64 {
        let z = self.bias + self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Fits the model by maximum likelihood (gradient ascent with a small L2
/// penalty, a fixed number of steps: deterministic). `true`: name-dropping.
pub fn fit(examples: &[(Measures, bool)]) -> NameDropModel {
    let mut m = NameDropModel {
        weights: [0.0; MEASURES],
        bias: 0.0,
    };
    let (lambda, rate) = (0.001, 1.0);
    let n = examples.len().max(1) as f64;
    for _ in 0..20000 {
        let mut g = [0.0f64; MEASURES + 1];
        for (x, y) in examples {
            let err = f64::from(u8::from(*y)) - m.probability(x);
            for (g, x) in g.iter_mut().zip(x) {
                *g += err * x;
            }
            g[MEASURES] += err;
        }
        for (w, g) in m.weights.iter_mut().zip(&g) {
            *w += rate * (g / n - lambda * *w);
        }
        m.bias += rate * g[MEASURES] / n;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_parses() {
        NameDropModel::builtin();
    }

    #[test]
    fn fitting_separates_lists_from_prose() {
        let list = [0.8, 0.5, 0.1, 0.0, 0.5, 1.0, 0.0, 0.1];
        let prose = [0.2, 0.1, 0.45, 0.8, 0.9, 0.3, 0.6, 0.6];
        let m = fit(&[(list, true), (prose, false)]);
        assert!(m.probability(&list) > 0.5);
        assert!(m.probability(&prose) < 0.5);
    }

    #[test]
    fn non_finite_weights_are_refused() {
        let e = NameDropModel::parse(
            Path::new("m.toml"),
            "weights = [1, 1, 1, 1, 1, 1, 1, nan]\nbias = 0\n",
        );
        assert!(e.is_err());
    }
}
