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

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::text::{AnalyzedText, Analyzer};
use crate::model::diag::{Diagnostic, Diagnostics, Severity};

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
    state: HashMap<String, [f64; 5]>,
}

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
        let mut state: HashMap<String, [f64; 5]> = HashMap::new();
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
            Ok(StarModel { trans, state })
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
        let n = features.len();
        if n == 0 {
            return Decoded {
                labels: Vec::new(),
                probability: Vec::new(),
                reasons: Vec::new(),
            };
        }
        let em = self.emissions(features);
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
                let xs: Vec<f64> = (0..5).map(|i| alpha[t - 1][i] + self.trans[i][j]).collect();
                alpha[t][j] = lse(&xs) + em[t][j];
            }
        }
        let mut beta = vec![[0.0f64; 5]; n];
        for t in (0..n - 1).rev() {
            for i in 0..5 {
                let xs: Vec<f64> = (0..5)
                    .map(|j| self.trans[i][j] + em[t + 1][j] + beta[t + 1][j])
                    .collect();
                beta[t][i] = lse(&xs);
            }
        }
        let log_z = lse(&alpha[n - 1]);
        let labels: Vec<Label> = path.iter().map(|&j| LABELS[j]).collect();
        let probability = (0..n)
            .map(|t| (alpha[t][path[t]] + beta[t][path[t]] - log_z).exp())
            .collect();
        let reasons = features
            .iter()
            .zip(&path)
            .map(|(fs, &l)| {
                let mut r: Vec<(String, f64)> = fs
                    .iter()
                    .filter_map(|(name, v)| {
                        let w = self.state.get(name)?;
                        // How much the feature favours this label over the
                        // average of the others.
                        let others = (0..5).filter(|&k| k != l).map(|k| w[k]).sum::<f64>() / 4.0;
                        Some((name.clone(), (w[l] - others) * v))
                    })
                    .filter(|(_, c)| *c > 0.0)
                    .collect();
                r.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                r.truncate(4);
                r
            })
            .collect();
        Decoded {
            labels,
            probability,
            reasons,
        }
    }
}

/// Irregular past-tense verbs common in stories.
const IRREGULAR_PAST: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "made",
    "took",
    "got",
    "went",
    "came",
    "saw",
    "told",
    "said",
    "gave",
    "found",
    "thought",
    "knew",
    "felt",
    "left",
    "kept",
    "began",
    "brought",
    "built",
    "wrote",
    "ran",
    "led",
    "met",
    "sent",
    "spent",
    "set",
    "put",
    "chose",
    "drove",
    "fell",
    "grew",
    "held",
    "heard",
    "lost",
    "paid",
    "sat",
    "sold",
    "spoke",
    "stood",
    "taught",
    "understood",
    "won",
    "broke",
    "caught",
    "cut",
    "hit",
    "let",
    "meant",
    "read",
    "rose",
    "shut",
    "bought",
    "became",
    "forgot",
    "learnt",
    "dealt",
    "sought",
    "wasn",
    "weren",
    "didn",
    "hadn",
    "couldn",
];

/// Words that end in "ed" without being past tense.
const NOT_PAST: &[&str] = &[
    "need",
    "needed_",
    "feed",
    "speed",
    "seed",
    "indeed",
    "bed",
    "red",
    "shed",
    "embed",
    "proceed",
    "succeed",
    "exceed",
    "based",
    "related",
    "detailed",
    "advanced",
    "distributed",
    "automated",
    "dedicated",
    "limited",
    "unexpected",
    "red",
    "ted",
];

const MODALS: &[&str] = &[
    "would", "d", "could", "should", "will", "ll", "might", "may", "can", "must", "shall",
];

const PRESENT: &[&str] = &[
    "am", "is", "are", "m", "s", "re", "get", "go", "say", "tell", "have", "do", "need", "want",
    "see", "think", "look", "call", "start", "ask", "decide", "try", "realise", "realize", "find",
];

const OUTCOME_STEMS: &[&str] = &[
    "reduc", "drop", "improv", "increas", "decreas", "recov", "save", "saved", "cut", "grew",
    "fell", "ship", "shipped", "launch", "finish", "pass", "close", "resolv", "thank", "prais",
    "promot", "renew", "stabil", "succeed", "success", "halv", "doubl", "went", "result", "outcom",
    "impact", "end", "adopt", "happier", "happi", "thrill", "pleas", "appreci", "relief", "reliev",
    "deliv", "met", "hit", "won", "lost", "no", "longer", "zero", "fewer", "faster", "lower",
    "higher", "better", "again", "back", "since", "now", "still", "later", "approv", "accept",
    "complet", "made",
];

const OTHER_PRONOUNS: &[&str] = &[
    "he",
    "she",
    "they",
    "it",
    "the",
    "our",
    "my",
    "his",
    "her",
    "their",
    "this",
    "that",
    "there",
    "everyone",
    "nobody",
    "management",
    "customers",
];

/// What the cue lexicon says of a story's sentences.
pub struct Cues<'a> {
    /// For S, T, A and R, how many of the component's cues each sentence hits.
    pub counts: &'a [Vec<u32>; 4],
    /// Whether a sentence puts a number on something.
    pub quantified: &'a dyn Fn(&str) -> bool,
}

/// The features of each sentence of a story, for the model.
pub fn features(text: &AnalyzedText, cues: &Cues<'_>) -> Vec<Vec<Feature>> {
    let n = text.sentences.len();
    let per: Vec<SentenceFacts> = (0..n).map(|i| facts(text, i, cues.quantified)).collect();
    let cues = cues.counts;
    let share = |f: &dyn Fn(&SentenceFacts) -> bool| {
        per.iter().filter(|s| f(s)).count() as f64 / n.max(1) as f64
    };
    let past_share = share(&|s| s.past);
    let modal_share = share(&|s| s.modal);
    let story_len = match n {
        0..=5 => "short",
        6..=12 => "mid",
        _ => "long",
    };
    let bucket = |x: f64| {
        if x < 0.2 {
            "lo"
        } else if x < 0.5 {
            "mid"
        } else {
            "hi"
        }
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let s = &per[i];
        let mut f: Vec<Feature> = Vec::new();
        let mut yes = |name: String| f.push((name, 1.0));
        yes("bias".into());
        if i == 0 {
            yes("pos=first".into());
        }
        if i + 1 == n {
            yes("pos=last".into());
        }
        if i == 1 {
            yes("pos=second".into());
        }
        let rel = if n <= 1 { 0 } else { (i * 5 / n).min(4) };
        yes(format!("rel={rel}"));
        yes(format!("storylen={story_len}"));
        yes(format!("story_past={}", bucket(past_share)));
        yes(format!("story_modal={}", bucket(modal_share)));
        for name in &s.flags {
            yes(name.clone());
        }
        for w in &s.stems {
            yes(format!("w={w}"));
        }
        if let Some(w) = s.stems_in_order.first() {
            yes(format!("w0={w}"));
        }
        if s.stems_in_order.len() > 1 {
            yes(format!(
                "w01={}_{}",
                s.stems_in_order[0], s.stems_in_order[1]
            ));
        }
        for (k, c) in LABELS[..4].iter().enumerate() {
            let count = cues[k][i];
            if count > 0 {
                f.push((format!("cue={}", c.letter()), f64::from(count.min(3))));
            }
            if i > 0 && cues[k][i - 1] > 0 {
                f.push((format!("prev_cue={}", c.letter()), 1.0));
            }
            if i + 1 < n && cues[k][i + 1] > 0 {
                f.push((format!("next_cue={}", c.letter()), 1.0));
            }
        }
        if i > 0 && per[i - 1].past {
            f.push(("prev_past".into(), 1.0));
        }
        out.push(f);
    }
    out
}

/// What one sentence says about itself.
struct SentenceFacts {
    flags: Vec<String>,
    stems: Vec<String>,
    stems_in_order: Vec<String>,
    past: bool,
    modal: bool,
}

fn facts(text: &AnalyzedText, i: usize, quantified: &dyn Fn(&str) -> bool) -> SentenceFacts {
    let raw_text = text.sentence_text(i);
    let words = text.sentence_words(i);
    let raws: Vec<&str> = words.iter().map(|w| &*w.raw).collect();
    let mut flags = Vec::new();
    let trimmed = raw_text.trim_start();
    let line_start = text.text[..text.sentences[i].start]
        .rfind('\n')
        .map_or(0, |p| p + 1);
    let before = text.text[line_start..text.sentences[i].start].trim();
    if before.starts_with(['-', '*', '•']) || trimmed.starts_with(['-', '*', '•']) {
        flags.push("bullet".to_string());
    }
    let head = raws.first().copied().unwrap_or("");
    for (word, letter) in [
        ("situation", 'S'),
        ("context", 'S'),
        ("background", 'S'),
        ("task", 'T'),
        ("goal", 'T'),
        ("action", 'A'),
        ("actions", 'A'),
        ("result", 'R'),
        ("results", 'R'),
        ("outcome", 'R'),
    ] {
        let after = trimmed.trim_start_matches(['-', '*', '•', ' ']);
        if head == word
            && after
                .get(word.len()..)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '-', '–']))
        {
            flags.push(format!("head={letter}"));
        }
    }
    // The grammatical subject: the first pronoun-like word among the first three.
    let subject = raws
        .iter()
        .take(4)
        .find_map(|w| match *w {
            "i" => Some("i"),
            "we" => Some("we"),
            "you" => Some("you"),
            w if OTHER_PRONOUNS.contains(&w) => Some("other"),
            _ => None,
        })
        .unwrap_or("none");
    flags.push(format!("subj={subject}"));
    if raws
        .iter()
        .any(|w| matches!(*w, "i" | "me" | "my" | "myself" | "mine"))
    {
        flags.push("has_i".into());
    }
    if raws
        .iter()
        .any(|w| matches!(*w, "we" | "us" | "our" | "ours"))
    {
        flags.push("has_we".into());
    }
    let past = raws.iter().any(|w| {
        IRREGULAR_PAST.contains(w) || (w.len() > 4 && w.ends_with("ed") && !NOT_PAST.contains(w))
    });
    let modal =
        raws.iter().any(|w| MODALS.contains(w)) || raw_text.to_lowercase().contains("going to");
    let present = raws.iter().any(|w| PRESENT.contains(w));
    if past {
        flags.push("past".into());
    }
    if modal {
        flags.push("modal".into());
    }
    if present && !past {
        flags.push("present_only".into());
    }
    if raws.windows(2).any(|p| {
        matches!(p[0], "was" | "were" | "been" | "be" | "got" | "being")
            && (p[1].ends_with("ed") || p[1].ends_with("en") || p[1].ends_with("wn"))
    }) {
        flags.push("passive".into());
    }
    if matches!(head, "if" | "when" | "whenever") && !past {
        flags.push("conditional".into());
    }
    if raw_text.contains('?') {
        flags.push("question".into());
    }
    if raw_text.chars().any(|c| c.is_ascii_digit()) {
        flags.push("digit".into());
    }
    if quantified(raw_text) {
        flags.push("quantity".into());
    }
    let len = match words.len() {
        0..=5 => "short",
        6..=19 => "mid",
        _ => "long",
    };
    flags.push(format!("len={len}"));
    let stems_in_order: Vec<String> = words.iter().map(|w| w.stem.to_string()).collect();
    if stems_in_order
        .iter()
        .any(|s| OUTCOME_STEMS.contains(&s.as_str()))
    {
        flags.push("outcome_word".into());
    }
    let joined = format!(" {} ", raws.join(" "));
    for (marker, name) in [
        (" so ", "so"),
        (" then ", "then"),
        (" first ", "first"),
        (" finally ", "finally"),
        (" in the end ", "in_the_end"),
        (" eventually ", "eventually"),
        (" since then ", "since_then"),
        (" from then on ", "since_then"),
        (" as a result ", "as_a_result"),
        (" because ", "because"),
        (" at the time ", "at_the_time"),
        (" back then ", "at_the_time"),
        (" ago ", "ago"),
        (" last ", "last"),
        (" when i joined ", "joined"),
        (" looking back ", "looking_back"),
        (" in hindsight ", "looking_back"),
        (" next time ", "next_time"),
        (" i learned ", "learned"),
        (" i learnt ", "learned"),
        (" lesson ", "learned"),
        (" taught me ", "learned"),
        (" after that ", "after"),
        (" afterwards ", "after"),
        (" later ", "after"),
        (" within ", "within"),
        (" by the end ", "by_the_end"),
        (" my job ", "goal"),
        (" my role ", "goal"),
        (" my goal ", "goal"),
        (" the goal ", "goal"),
        (" objective ", "goal"),
        (" responsible ", "goal"),
        (" needed to ", "goal"),
        (" had to ", "goal"),
        (" asked to ", "goal"),
        (" asked me ", "goal"),
        (" tasked ", "goal"),
        (" in charge ", "goal"),
        (" make sure ", "goal"),
        (" deadline ", "goal"),
        (" um ", "filler"),
        (" uh ", "filler"),
        (" you know ", "filler"),
        (" like ", "filler"),
    ] {
        if joined.contains(marker) {
            flags.push(format!("dm={name}"));
        }
    }
    flags.sort();
    flags.dedup();
    let mut stems = stems_in_order.clone();
    stems.sort();
    stems.dedup();
    SentenceFacts {
        flags,
        stems,
        stems_in_order,
        past,
        modal,
    }
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
