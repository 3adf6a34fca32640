//! The STAR sequence labeller: a linear-chain CRF over the sentences of a
//! story. Each sentence is described by features (position, tense and
//! modality, grammatical subject, the cue lexicon's hits, numbers with
//! units, outcome verbs, discourse markers, its words); the model's weights
//! score every label per sentence and every label-to-label step, and Viterbi
//! decoding picks the best sequence for the whole story at once.
//!
//! The weights are learned from the labelled corpus in `data/star/corpus/`
//! (by `cargo run --release --example star_train`, with the `crfs` port of
//! CRFsuite) and ship as a plain-text table, `data/star/model.tsv`. Decoding
//! here also gives each sentence's marginal probability and the features
//! that weighed most, which `rubric star --explain` prints.

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

use crate::analysis::text::{AnalyzedText, Analyzer};
use crate::model::diag::{Diagnostic, Diagnostics, Severity};
use crate::model::words::{class, WordSet};

/// The model shipped with the tool.
pub const DEFAULT_MODEL: &str = include_str!("../../data/star/model.tsv");

/// The labels, in the model's order: S, T, A, R and O (other).
pub const LABELS: [Label; 5] = [
    Label::Situation,
    Label::Task,
    Label::Action,
    Label::Result,
    Label::Other,
];

/// A sentence's label: a STAR component, or other (reflection, lesson, aside,
/// or a sentence of a text that tells no story).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Situation,
    Task,
    Action,
    Result,
    Other,
}

impl Label {
    pub fn letter(self) -> char {
        match self {
            Label::Situation => 'S',
            Label::Task => 'T',
            Label::Action => 'A',
            Label::Result => 'R',
            Label::Other => 'O',
        }
    }

    pub fn from_letter(c: char) -> Option<Label> {
        LABELS.into_iter().find(|l| l.letter() == c)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Situation => "situation",
            Label::Task => "task",
            Label::Action => "action",
            Label::Result => "result",
            Label::Other => "other",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One feature of a sentence: a name and a value (1 for yes/no features).
pub type Feature = (String, f64);

/// The trained weights.
#[derive(Debug, Clone, PartialEq)]
pub struct StarModel {
    /// `trans[from][to]`.
    trans: [[f64; 5]; 5],
    /// Per feature name, a weight per label.
    state: FxHashMap<String, [f64; 5]>,
    /// The `w=STEM` and `w0=STEM` features by their stem, with their
    /// names: a sentence's words are looked up without building names.
    by_stem: [ByStem; 2],
}

/// Weights of features named after a stem, by the stem: the feature's
/// name and its weight per label.
type ByStem = FxHashMap<Box<str>, (Box<str>, [f64; 5])>;

/// The labels of one story, with what decided them.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub labels: Vec<Label>,
    /// Marginal probability of each sentence's chosen label.
    pub probability: Vec<f64>,
    /// Per sentence, the features that weighed most for the chosen label
    /// (name and weight × value), strongest first.
    pub reasons: Vec<Vec<(String, f64)>>,
}

impl StarModel {
    /// The model shipped with the tool.
    pub fn builtin() -> StarModel {
        StarModel::parse(Path::new("<built-in star model>"), DEFAULT_MODEL)
            .expect("the built-in STAR model is valid (checked by a test)")
    }

    /// Reads a model file (`--star-model`); its problems, every one located.
    pub fn load(path: &Path) -> Result<StarModel, Diagnostics> {
        let src = crate::model::diag::read_source(path, "STAR model")?;
        StarModel::parse(path, &src)
    }

    /// Parses the model table: `trans FROM TO WEIGHT` and
    /// `state FEATURE LABEL WEIGHT` lines (tab-separated), `#` comments.
    pub fn parse(path: &Path, src: &str) -> Result<StarModel, Diagnostics> {
        let mut trans = [[0.0; 5]; 5];
        let mut state: FxHashMap<String, [f64; 5]> = FxHashMap::default();
        let mut diags = Vec::new();
        let label = |s: &str| {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Label::from_letter(c),
                _ => None,
            }
        };
        for (n, line) in src.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let weight = fields
                .last()
                .and_then(|w| w.parse::<f64>().ok())
                .and_then(crate::model::number::model_weight);
            let ok = match (fields.as_slice(), weight) {
                (["trans", from, to, _], Some(w)) => match (label(from), label(to)) {
                    (Some(f), Some(t)) => {
                        trans[f.index()][t.index()] = w;
                        true
                    }
                    _ => false,
                },
                (["state", name, l, _], Some(w)) if !name.is_empty() => match label(l) {
                    Some(l) => {
                        state.entry(name.to_string()).or_insert([0.0; 5])[l.index()] = w;
                        true
                    }
                    None => false,
                },
                _ => false,
            };
            if !ok {
                diags.push(Diagnostic {
                    path: path.to_path_buf(),
                    line: n + 1,
                    column: 1,
                    severity: Severity::Error,
                    message: "expected `trans<TAB>FROM<TAB>TO<TAB>WEIGHT` or \
                              `state<TAB>FEATURE<TAB>LABEL<TAB>WEIGHT` with labels S, T, A, R, O \
                              and a weight between -1e6 and 1e6"
                        .to_string(),
                });
            }
        }
        if state.is_empty() && diags.is_empty() {
            diags.push(Diagnostic {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: "the model has no state features".to_string(),
            });
        }
        if diags.is_empty() {
            let mut by_stem: [ByStem; 2] = Default::default();
            for (name, w) in &state {
                for (k, prefix) in ["w=", "w0="].into_iter().enumerate() {
                    if let Some(stem) = name.strip_prefix(prefix) {
                        by_stem[k].insert(Box::from(stem), (Box::from(name.as_str()), *w));
                    }
                }
            }
            Ok(StarModel {
                trans,
                state,
                by_stem,
            })
        } else {
            Err(Diagnostics(diags))
        }
    }

    /// Turns a `crfs` model dump (`Model::dump`) into the model table.
    pub fn table_from_dump(dump: &str) -> String {
        let mut out = String::from(
            "# STAR sequence labeller: CRF weights trained from data/star/corpus/\n\
             # by `cargo run --release --example star_train`. Do not edit by hand.\n",
        );
        let mut section = "";
        for line in dump.lines() {
            if let Some(name) = line.strip_suffix(" = {") {
                section = if name == "TRANSITIONS" || name == "STATE_FEATURES" {
                    name
                } else {
                    ""
                };
                continue;
            }
            // `  (1) source --> target: weight`
            let Some(rest) = line.trim().split_once(") ").map(|(_, r)| r) else {
                continue;
            };
            let Some((source, tail)) = rest.split_once(" --> ") else {
                continue;
            };
            let Some((target, weight)) = tail.rsplit_once(": ") else {
                continue;
            };
            match section {
                "TRANSITIONS" => out.push_str(&format!("trans\t{source}\t{target}\t{weight}\n")),
                "STATE_FEATURES" => out.push_str(&format!("state\t{source}\t{target}\t{weight}\n")),
                _ => {}
            }
        }
        out
    }

    /// Per sentence and label, the sum of the weights of its features.
    fn emissions(&self, features: &[Vec<Feature>]) -> Vec<[f64; 5]> {
        features
            .iter()
            .map(|fs| {
                let mut e = [0.0; 5];
                for (name, value) in fs {
                    if let Some(w) = self.state.get(name) {
                        for l in 0..5 {
                            e[l] += w[l] * value;
                        }
                    }
                }
                e
            })
            .collect()
    }

    /// Labels a story: Viterbi for the best sequence, forward-backward for
    /// each label's marginal probability.
    pub fn decode(&self, features: &[Vec<Feature>]) -> Decoded {
        let em = self.emissions(features);
        let (labels, probability, path) = self.sequence(&em);
        let reasons = features
            .iter()
            .zip(&path)
            .map(|(fs, &l)| {
                top_reasons(
                    fs.iter()
                        .filter_map(|(name, v)| {
                            self.reason(name, *v, l).map(|c| (name.as_str(), c))
                        })
                        .collect(),
                )
            })
            .collect();
        Decoded {
            labels,
            probability,
            reasons,
        }
    }

    /// [`StarModel::decode`] of a story's [`features`], computed without
    /// listing them: the same labels, probabilities and reasons.
    pub fn decode_text(&self, text: &AnalyzedText, cues: &Cues<'_>) -> Decoded {
        let n = text.sentences.len();
        let per = all_facts(text, cues);
        // The model's features of each sentence, looked up once: emissions
        // now, reasons once the path is known. One list for the story,
        // sentence `i`'s features at `known[from[i]..from[i + 1]]` (features
        // are emitted sentence by sentence), not a list per sentence grown
        // feature by feature.
        let mut known: Vec<(&str, &[f64; 5], f64)> = Vec::with_capacity(n * 32);
        let mut from: Vec<usize> = Vec::with_capacity(n + 1);
        let mut pair = String::new();
        emit_features(&per, cues.counts, &mut |i, name, value| {
            debug_assert!(i + 1 >= from.len(), "features come sentence by sentence");
            while from.len() <= i {
                from.push(known.len());
            }
            let found = match name {
                Name::Fixed(n) => self.state.get_key_value(n).map(|(k, w)| (k.as_str(), w)),
                Name::Word(stem) => self.by_stem[0].get(stem).map(|(k, w)| (&**k, w)),
                Name::First(stem) => self.by_stem[1].get(stem).map(|(k, w)| (&**k, w)),
                Name::Pair(..) => {
                    pair.clear();
                    name.write_to(&mut pair);
                    self.state
                        .get_key_value(pair.as_str())
                        .map(|(k, w)| (k.as_str(), w))
                }
            };
            if let Some((key, w)) = found {
                known.push((key, w, value));
            }
        });
        while from.len() <= n {
            from.push(known.len());
        }
        let sentence = |i: usize| &known[from[i]..from[i + 1]];
        let em: Vec<[f64; 5]> = (0..n)
            .map(|i| {
                let fs = sentence(i);
                let mut e = [0.0; 5];
                for (_, w, value) in fs {
                    for l in 0..5 {
                        e[l] += w[l] * value;
                    }
                }
                e
            })
            .collect();
        let (labels, probability, path) = self.sequence(&em);
        let reasons = path
            .iter()
            .enumerate()
            .map(|(i, &l)| {
                top_reasons(
                    sentence(i)
                        .iter()
                        .filter_map(|(name, w, v)| contribution(w, *v, l).map(|c| (*name, c)))
                        .collect(),
                )
            })
            .collect();
        Decoded {
            labels,
            probability,
            reasons,
        }
    }

    /// How much a feature favours label `l` over the average of the
    /// others, when it does.
    fn reason(&self, name: &str, value: f64, l: usize) -> Option<f64> {
        contribution(self.state.get(name)?, value, l)
    }

    /// Viterbi path, its labels and each sentence's marginal probability.
    fn sequence(&self, em: &[[f64; 5]]) -> (Vec<Label>, Vec<f64>, Vec<usize>) {
        let n = em.len();
        if n == 0 {
            return (Vec::new(), Vec::new(), Vec::new());
        }
        // Viterbi.
        let mut score = vec![[0.0f64; 5]; n];
        let mut back = vec![[0usize; 5]; n];
        score[0] = em[0];
        for t in 1..n {
            for j in 0..5 {
                let (best, arg) = (0..5)
                    .map(|i| (score[t - 1][i] + self.trans[i][j], i))
                    .fold((f64::NEG_INFINITY, 0), |a, b| if b.0 > a.0 { b } else { a });
                score[t][j] = best + em[t][j];
                back[t][j] = arg;
            }
        }
        let mut path = vec![0usize; n];
        path[n - 1] = (0..5)
            .fold(None::<(f64, usize)>, |a, j| match a {
                Some((s, _)) if s >= score[n - 1][j] => a,
                _ => Some((score[n - 1][j], j)),
            })
            .map_or(0, |(_, j)| j);
        for t in (1..n).rev() {
            path[t - 1] = back[t][path[t]];
        }
        // Forward-backward in log space.
        let lse = |xs: &[f64]| {
            let m = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            m + xs.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
        };
        let mut alpha = vec![[0.0f64; 5]; n];
        alpha[0] = em[0];
        for t in 1..n {
            for j in 0..5 {
                let xs: [f64; 5] = std::array::from_fn(|i| alpha[t - 1][i] + self.trans[i][j]);
                alpha[t][j] = lse(&xs) + em[t][j];
            }
        }
        let mut beta = vec![[0.0f64; 5]; n];
        for t in (0..n - 1).rev() {
            for i in 0..5 {
                let xs: [f64; 5] =
                    std::array::from_fn(|j| self.trans[i][j] + em[t + 1][j] + beta[t + 1][j]);
                beta[t][i] = lse(&xs);
            }
        }
        let log_z = lse(&alpha[n - 1]);
        let labels: Vec<Label> = path.iter().map(|&j| LABELS[j]).collect();
        let probability = (0..n)
            .map(|t| (alpha[t][path[t]] + beta[t][path[t]] - log_z).exp())
            .collect();
        (labels, probability, path)
    }
}

/// How much a feature with weights `w` favours label `l` over the average
/// of the others, when it does.
fn contribution(w: &[f64; 5], value: f64, l: usize) -> Option<f64> {
    let others = (0..5).filter(|&k| k != l).map(|k| w[k]).sum::<f64>() / 4.0;
    let c = (w[l] - others) * value;
    (c > 0.0).then_some(c)
}

/// The strongest four reasons, strongest first (ties by name).
fn top_reasons(mut r: Vec<(&str, f64)>) -> Vec<(String, f64)> {
    let order = |a: &(&str, f64), b: &(&str, f64)| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0));
    // The four first in that order, then only they are sorted.
    if r.len() > 4 {
        r.select_nth_unstable_by(3, order);
        r.truncate(4);
    }
    r.sort_by(order);
    r.into_iter()
        .map(|(name, c)| (name.to_string(), c))
        .collect()
}

const OUTCOME_STEMS_LIST: &[&str] = &[
    "reduc", "drop", "improv", "increas", "decreas", "recov", "save", "saved", "cut", "grew",
    "fell", "ship", "shipped", "launch", "finish", "pass", "close", "resolv", "thank", "prais",
    "promot", "renew", "stabil", "succeed", "success", "halv", "doubl", "went", "result", "outcom",
    "impact", "end", "adopt", "happier", "happi", "thrill", "pleas", "appreci", "relief", "reliev",
    "deliv", "met", "hit", "won", "lost", "no", "longer", "zero", "fewer", "faster", "lower",
    "higher", "better", "again", "back", "since", "now", "still", "later", "approv", "accept",
    "complet", "made",
];
static OUTCOME_STEMS: WordSet = WordSet::new(OUTCOME_STEMS_LIST);

/// What the cue lexicon says of a story's sentences.
pub struct Cues<'a> {
    /// For S, T, A and R, how many of the component's cues each sentence hits.
    pub counts: &'a [Vec<u32>; 4],
    /// Whether a sentence puts a number on something.
    pub quantified: &'a dyn Fn(&str) -> bool,
}

/// The features of each sentence of a story, for the model.
pub fn features(text: &AnalyzedText, cues: &Cues<'_>) -> Vec<Vec<Feature>> {
    let mut out: Vec<Vec<Feature>> = vec![Vec::new(); text.sentences.len()];
    let per = all_facts(text, cues);
    emit_features(&per, cues.counts, &mut |i, name, value| {
        let mut s = String::new();
        name.write_to(&mut s);
        out[i].push((s, value))
    });
    out
}

/// A feature's name as features are emitted: a fixed name, or one made of
/// a sentence's stems, written out only where a name is wanted (decoding
/// looks the stems up as they are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name<'a> {
    Fixed(&'a str),
    /// `w=STEM`: a word of the sentence.
    Word(&'a str),
    /// `w0=STEM`: its first word.
    First(&'a str),
    /// `w01=A_B`: its first two words.
    Pair(&'a str, &'a str),
}

impl Name<'_> {
    /// Appends the feature's name to `out`.
    pub fn write_to(self, out: &mut String) {
        let parts: [&str; 4] = match self {
            Name::Fixed(n) => [n, "", "", ""],
            Name::Word(w) => ["w=", w, "", ""],
            Name::First(w) => ["w0=", w, "", ""],
            Name::Pair(a, b) => ["w01=", a, "_", b],
        };
        parts.iter().for_each(|p| out.push_str(p));
    }
}

/// What each sentence of a story says about itself.
fn all_facts<'t>(text: &'t AnalyzedText, cues: &Cues<'_>) -> Vec<SentenceFacts<'t>> {
    (0..text.sentences.len())
        .map(|i| facts(text, i, cues.quantified))
        .collect()
}

fn emit_features<'t>(
    per: &[SentenceFacts<'t>],
    cues: &[Vec<u32>; 4],
    emit: &mut dyn FnMut(usize, Name<'t>, f64),
) {
    let n = per.len();
    let share = |f: &dyn Fn(&SentenceFacts) -> bool| {
        per.iter().filter(|s| f(s)).count() as f64 / n.max(1) as f64
    };
    let past_share = share(&|s| s.past);
    let modal_share = share(&|s| s.modal);
    let story_len = match n {
        0..=5 => "storylen=short",
        6..=12 => "storylen=mid",
        _ => "storylen=long",
    };
    let bucket = |x: f64| {
        if x < 0.2 {
            0
        } else if x < 0.5 {
            1
        } else {
            2
        }
    };
    let story_past = ["story_past=lo", "story_past=mid", "story_past=hi"][bucket(past_share)];
    let story_modal = ["story_modal=lo", "story_modal=mid", "story_modal=hi"][bucket(modal_share)];
    const CUE: [&str; 4] = ["cue=S", "cue=T", "cue=A", "cue=R"];
    const PREV_CUE: [&str; 4] = ["prev_cue=S", "prev_cue=T", "prev_cue=A", "prev_cue=R"];
    const NEXT_CUE: [&str; 4] = ["next_cue=S", "next_cue=T", "next_cue=A", "next_cue=R"];
    for i in 0..n {
        let s = &per[i];
        let mut yes = |f: &'static str| emit(i, Name::Fixed(f), 1.0);
        yes("bias");
        if i == 0 {
            yes("pos=first");
        }
        if i + 1 == n {
            yes("pos=last");
        }
        if i == 1 {
            yes("pos=second");
        }
        let rel = if n <= 1 { 0 } else { (i * 5 / n).min(4) };
        yes(["rel=0", "rel=1", "rel=2", "rel=3", "rel=4"][rel]);
        yes(story_len);
        yes(story_past);
        yes(story_modal);
        for flag in &s.flags {
            yes(flag);
        }
        for w in &s.stems {
            emit(i, Name::Word(w), 1.0);
        }
        if let Some(w) = s.stems_in_order.first() {
            emit(i, Name::First(w), 1.0);
        }
        if s.stems_in_order.len() > 1 {
            emit(i, Name::Pair(s.stems_in_order[0], s.stems_in_order[1]), 1.0);
        }
        for k in 0..4 {
            let count = cues[k][i];
            if count > 0 {
                emit(i, Name::Fixed(CUE[k]), f64::from(count.min(3)));
            }
            if i > 0 && cues[k][i - 1] > 0 {
                emit(i, Name::Fixed(PREV_CUE[k]), 1.0);
            }
            if i + 1 < n && cues[k][i + 1] > 0 {
                emit(i, Name::Fixed(NEXT_CUE[k]), 1.0);
            }
        }
        if i > 0 && per[i - 1].past {
            emit(i, Name::Fixed("prev_past"), 1.0);
        }
    }
}

/// What one sentence says about itself.
struct SentenceFacts<'t> {
    flags: Vec<&'static str>,
    stems: Vec<&'t str>,
    stems_in_order: Vec<&'t str>,
    past: bool,
    modal: bool,
}

fn facts<'t>(
    text: &'t AnalyzedText,
    i: usize,
    quantified: &dyn Fn(&str) -> bool,
) -> SentenceFacts<'t> {
    let raw_text = text.sentence_text(i);
    let words = text.sentence_words(i);
    let raws: Vec<&str> = words.clone().map(|w| w.raw()).collect();
    let mut flags = Vec::new();
    let trimmed = raw_text.trim_start();
    let line_start = text.line_start(text.sentences[i].start);
    let before = text.text[line_start..text.sentences[i].start].trim();
    if before.starts_with(['-', '*', '•']) || trimmed.starts_with(['-', '*', '•']) {
        flags.push("bullet");
    }
    let head = raws.first().copied().unwrap_or("");
    let head_feature = match head {
        "situation" | "context" | "background" => Some("head=S"),
        "task" | "goal" => Some("head=T"),
        "action" | "actions" => Some("head=A"),
        "result" | "results" | "outcome" => Some("head=R"),
        _ => None,
    };
    if let Some(feature) = head_feature {
        let after = trimmed.trim_start_matches(['-', '*', '•', ' ']);
        if after
            .get(head.len()..)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '-', '–']))
        {
            flags.push(feature);
        }
    }
    // The grammatical subject: the first pronoun-like word among the first three.
    let subject = words
        .clone()
        .take(4)
        .find_map(|w| match w.raw() {
            "i" => Some("subj=i"),
            "we" => Some("subj=we"),
            "you" => Some("subj=you"),
            _ if w.is(class::OTHER_SUBJECT) => Some("subj=other"),
            _ => None,
        })
        .unwrap_or("subj=none");
    flags.push(subject);
    if raws
        .iter()
        .any(|w| matches!(*w, "i" | "me" | "my" | "myself" | "mine"))
    {
        flags.push("has_i");
    }
    if raws
        .iter()
        .any(|w| matches!(*w, "we" | "us" | "our" | "ours"))
    {
        flags.push("has_we");
    }
    let past = words.clone().any(|w| {
        w.is(class::PAST)
            || (w.raw().len() > 4 && w.raw().ends_with("ed") && !w.is(class::NOT_PAST))
    });
    // "going to" ends a word in "going" (its letters belong to one token,
    // whose folded form keeps them): most sentences are settled by that.
    let modal = words.clone().any(|w| w.is(class::MODAL))
        || (raws.iter().any(|w| w.ends_with("going")) && contains_ascii_ci(raw_text, "going to"));
    let present = words.clone().any(|w| w.is(class::PRESENT));
    if past {
        flags.push("past");
    }
    if modal {
        flags.push("modal");
    }
    if present && !past {
        flags.push("present_only");
    }
    if raws.windows(2).any(|p| {
        matches!(p[0], "was" | "were" | "been" | "be" | "got" | "being")
            && (p[1].ends_with("ed") || p[1].ends_with("en") || p[1].ends_with("wn"))
    }) {
        flags.push("passive");
    }
    if matches!(head, "if" | "when" | "whenever") && !past {
        flags.push("conditional");
    }
    if raw_text.contains('?') {
        flags.push("question");
    }
    if raw_text.chars().any(|c| c.is_ascii_digit()) {
        flags.push("digit");
    }
    if quantified(raw_text) {
        flags.push("quantity");
    }
    flags.push(match words.len() {
        0..=5 => "len=short",
        6..=19 => "len=mid",
        _ => "len=long",
    });
    let stems_in_order: Vec<&str> = words.clone().map(|w| w.stem()).collect();
    if stems_in_order.iter().any(|s| OUTCOME_STEMS.contains(s)) {
        flags.push("outcome_word");
    }
    // Discourse markers: whole words in sequence, found by their first word.
    type ByFirst = FxHashMap<&'static str, Vec<(&'static [&'static str], &'static str)>>;
    static BY_FIRST: std::sync::OnceLock<ByFirst> = std::sync::OnceLock::new();
    let by_first = BY_FIRST.get_or_init(|| {
        let mut m = ByFirst::default();
        for &(marker, name) in MARKERS {
            m.entry(marker[0]).or_default().push((marker, name));
        }
        m
    });
    for k in 0..raws.len() {
        for &(marker, name) in by_first.get(raws[k]).into_iter().flatten() {
            if raws.len() - k >= marker.len()
                && marker.iter().zip(&raws[k..]).all(|(m, w)| m == w)
                && !flags.contains(&name)
            {
                flags.push(name);
            }
        }
    }
    flags.sort_unstable_by(|a, b| cmp_short(a, b));
    flags.dedup();
    let mut stems = stems_in_order.clone();
    stems.sort_unstable_by(|a, b| cmp_short(a, b));
    stems.dedup();
    SentenceFacts {
        flags,
        stems,
        stems_in_order,
        past,
        modal,
    }
}

/// Discourse markers (word sequences) and the feature each sets.
const MARKERS: &[(&[&str], &str)] = &[
    (&["so"], "dm=so"),
    (&["then"], "dm=then"),
    (&["first"], "dm=first"),
    (&["finally"], "dm=finally"),
    (&["in", "the", "end"], "dm=in_the_end"),
    (&["eventually"], "dm=eventually"),
    (&["since", "then"], "dm=since_then"),
    (&["from", "then", "on"], "dm=since_then"),
    (&["as", "a", "result"], "dm=as_a_result"),
    (&["because"], "dm=because"),
    (&["at", "the", "time"], "dm=at_the_time"),
    (&["back", "then"], "dm=at_the_time"),
    (&["ago"], "dm=ago"),
    (&["last"], "dm=last"),
    (&["when", "i", "joined"], "dm=joined"),
    (&["looking", "back"], "dm=looking_back"),
    (&["in", "hindsight"], "dm=looking_back"),
    (&["next", "time"], "dm=next_time"),
    (&["i", "learned"], "dm=learned"),
    (&["i", "learnt"], "dm=learned"),
    (&["lesson"], "dm=learned"),
    (&["taught", "me"], "dm=learned"),
    (&["after", "that"], "dm=after"),
    (&["afterwards"], "dm=after"),
    (&["later"], "dm=after"),
    (&["within"], "dm=within"),
    (&["by", "the", "end"], "dm=by_the_end"),
    (&["my", "job"], "dm=goal"),
    (&["my", "role"], "dm=goal"),
    (&["my", "goal"], "dm=goal"),
    (&["the", "goal"], "dm=goal"),
    (&["objective"], "dm=goal"),
    (&["responsible"], "dm=goal"),
    (&["needed", "to"], "dm=goal"),
    (&["had", "to"], "dm=goal"),
    (&["asked", "to"], "dm=goal"),
    (&["asked", "me"], "dm=goal"),
    (&["tasked"], "dm=goal"),
    (&["in", "charge"], "dm=goal"),
    (&["make", "sure"], "dm=goal"),
    (&["deadline"], "dm=goal"),
    (&["um"], "dm=filler"),
    (&["uh"], "dm=filler"),
    (&["you", "know"], "dm=filler"),
    (&["like"], "dm=filler"),
];

/// `a.cmp(b)`, compared byte by byte in place: a sentence's flags and
/// stems are a few bytes long and differ early, and sorting them spent
/// most of its time calling `memcmp`. Equal strings are equal bytes, so an
/// unstable sort puts them in the same order as a stable one.
#[inline]
fn cmp_short(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `text` contains `needle` (ASCII), ignoring ASCII case.
fn contains_ascii_ci(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// One labelled story of the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledStory {
    pub name: String,
    /// `story: no` in the header: no past event is told.
    pub is_story: bool,
    pub voice: String,
    pub units: Vec<String>,
    pub labels: Vec<Label>,
}

impl LabelledStory {
    /// The story's text: units joined by a space, bullet items by a line break.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, u) in self.units.iter().enumerate() {
            if i > 0 {
                out.push(if u.starts_with("- ") { '\n' } else { ' ' });
            }
            out.push_str(u);
        }
        out
    }

    /// The story analyzed with the labelled units as its sentences.
    pub fn analyze(&self, analyzer: &mut Analyzer) -> AnalyzedText {
        let units: Vec<&str> = self.units.iter().map(String::as_str).collect();
        analyzer.analyze_units(&units)
    }
}

/// Parses one corpus file (format in `data/star/GUIDE.md`).
pub fn parse_story(name: &str, src: &str) -> Result<LabelledStory, String> {
    let mut story = LabelledStory {
        name: name.to_string(),
        is_story: true,
        voice: String::new(),
        units: Vec::new(),
        labels: Vec::new(),
    };
    for (n, line) in src.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if let Some(h) = line.strip_prefix('#') {
            if let Some((k, v)) = h.split_once(':') {
                match k.trim() {
                    "story" => story.is_story = v.trim() != "no",
                    "voice" => story.voice = v.trim().to_string(),
                    _ => {}
                }
            }
            continue;
        }
        let label = line
            .split_once(':')
            .filter(|(l, _)| l.len() == 1)
            .and_then(|(l, t)| Some((Label::from_letter(l.chars().next()?)?, t.trim())));
        match label {
            Some((l, t)) if !t.is_empty() => {
                story.labels.push(l);
                story.units.push(t.to_string());
            }
            _ => {
                return Err(format!(
                    "{name}:{}: expected `L: text` with L in S T A R O",
                    n + 1
                ))
            }
        }
    }
    if story.units.is_empty() {
        return Err(format!("{name}: no labelled sentences"));
    }
    Ok(story)
}

/// Reads every `*.star` file of a folder, in name order.
pub fn load_corpus(dir: &Path) -> Result<Vec<LabelledStory>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "star"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let src = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            parse_story(&p.display().to_string(), &src)
        })
        .collect()
}

/// The position-only baseline: first sentence S, last R, the rest A.
pub fn position_baseline(n: usize) -> Vec<Label> {
    (0..n)
        .map(|i| {
            if i == 0 {
                Label::Situation
            } else if i + 1 == n {
                Label::Result
            } else {
                Label::Action
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_parses() {
        let m = StarModel::builtin();
        assert!(m.state.len() > 100);
    }

    #[test]
    fn bad_model_lines_are_all_reported() {
        let src = "state\tbias\tS\t0.5\nstate\tbias\tX\t1\ntrans\tS\tT\tnan\nnonsense\n";
        let err = StarModel::parse(Path::new("m.tsv"), src).unwrap_err();
        let lines: Vec<usize> = err.0.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert!(err.to_string().starts_with("m.tsv:2:1: "), "{err}");
    }

    #[test]
    fn decoding_follows_transitions_and_gives_probabilities() {
        // Sentence features favour A then R; a strong A→R transition agrees.
        let src = "trans\tA\tR\t2\nstate\tdid\tA\t1\nstate\tgot\tR\t1\n";
        let m = StarModel::parse(Path::new("m"), src).unwrap();
        let f = |n: &str| vec![(n.to_string(), 1.0)];
        let d = m.decode(&[f("did"), f("got")]);
        assert_eq!(d.labels, vec![Label::Action, Label::Result]);
        assert!(d.probability.iter().all(|p| *p > 0.5 && *p <= 1.0));
        assert_eq!(d.reasons[0][0].0, "did");
        assert!(m.decode(&[]).labels.is_empty());
    }

    #[test]
    fn corpus_lines_need_a_label() {
        assert!(parse_story("x", "# story: no\nO: An explanation.\n").is_ok_and(|s| !s.is_story));
        let err = parse_story("x.star", "S: fine\nQ: bad\n").unwrap_err();
        assert_eq!(err, "x.star:2: expected `L: text` with L in S T A R O");
    }

    #[test]
    fn dump_becomes_a_table() {
        let dump = "LABELS = {\n  0: S\n}\n\nTRANSITIONS = {\n  (1) S --> T: 1.500000\n}\n\n\
                    STATE_FEATURES = {\n  (0) w=a --> S: -0.250000\n}\n";
        let table = StarModel::table_from_dump(dump);
        assert!(
            table.ends_with("trans\tS\tT\t1.500000\nstate\tw=a\tS\t-0.250000\n"),
            "{table}"
        );
    }
}
