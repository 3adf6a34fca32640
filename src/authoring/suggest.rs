//! `rubric suggest`: draft a rubric from a model answer.
//!
//! The draft's phrases are the answer's most distinctive words and word pairs:
//! every rubric of the bank is indexed with tantivy in RAM (one document per
//! rubric: question, concept labels and phrases), the model answer as one more
//! document, and each word of the answer is scored by its frequency in the
//! answer times its inverse document frequency in that index (TF-IDF). Pairs
//! of adjacent words within a sentence are scored from their words. The best
//! candidates are grouped into concepts by the sentences they occur in, and
//! the draft is linted before it is returned: phrases or concepts that would
//! draw a warning are dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::Serialize;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{doc, Index, IndexWriter, Term};

use crate::analysis::text::{AnalyzedText, Analyzer, Word};
use crate::model::bank::Bank;
use crate::model::words::{COMMON_WORDS, STOP_WORDS};

/// Why a draft could not be made.
#[derive(Debug)]
pub enum SuggestError {
    /// The model answer has no words.
    NoWords,
    /// The model answer has too few distinctive words.
    TooFewWords,
    /// The bank's term statistics could not be computed.
    TermStats(tantivy::TantivyError),
    /// The draft does not load (a bug: drafts are made to load).
    Draft(crate::model::rubric::RubricError),
    /// The draft draws lint warnings that dropping phrases cannot cure.
    Lint(crate::model::diag::Diagnostics),
    /// The draft cannot be written as TOML.
    Toml(toml::ser::Error),
}

impl fmt::Display for SuggestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuggestError::NoWords => write!(f, "suggest: the model answer has no words"),
            SuggestError::TooFewWords => write!(
                f,
                "suggest: the model answer has too few distinctive words for a rubric"
            ),
            SuggestError::TermStats(_) => write!(f, "suggest: term statistics"),
            SuggestError::Draft(_) => write!(f, "suggest: the draft does not load"),
            SuggestError::Lint(d) if d.0.is_empty() => {
                write!(f, "suggest: no concept of the draft lints clean")
            }
            SuggestError::Lint(_) => write!(f, "suggest: the draft does not lint clean"),
            SuggestError::Toml(_) => write!(f, "suggest: cannot write the draft"),
        }
    }
}

impl std::error::Error for SuggestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SuggestError::TermStats(e) => Some(e),
            SuggestError::Draft(e) => Some(e),
            SuggestError::Lint(d) if !d.0.is_empty() => Some(d),
            SuggestError::Toml(e) => Some(e),
            _ => None,
        }
    }
}

impl From<tantivy::TantivyError> for SuggestError {
    fn from(e: tantivy::TantivyError) -> Self {
        SuggestError::TermStats(e)
    }
}

/// The fewest and most concepts of a draft.
const MIN_CONCEPTS: usize = 5;
const MAX_CONCEPTS: usize = 10;
/// The fewest and most phrases of a concept.
const MIN_PHRASES: usize = 2;
const MAX_PHRASES: usize = 6;
/// A candidate joins a group when the sentences it occurs in overlap the
/// group's this much (Jaccard) or more.
const JOIN_SIMILARITY: f64 = 0.5;
/// Score bonus per repetition of a word pair beyond the first.
const PAIR_REPEAT_BONUS: f64 = 0.5;
/// Shortest word (in characters) that can be a candidate on its own.
const MIN_LETTERS: usize = 3;
/// A single word counts this much of its score against word pairs, which
/// name a point more precisely.
const SINGLE_FACTOR: f64 = 0.75;

const TOKENIZER: &str = "rubric";
const QUESTION_PLACEHOLDER: &str = "TODO: write the question this rubric scores";
const HEADER: &str = "# Draft rubric written by `rubric suggest` from a model answer.\n\
# Every concept is a guess: merge, split, relabel and reweight them, add the\n\
# ways other candidates would say each point, and write the hints.\n";

/// Drafts a rubric (TOML text) from a model answer. `question` fills the `question` key
/// (a placeholder when None); `id` the `id` key. The bank supplies term statistics.
pub fn draft(
    model_answer: &str,
    question: Option<&str>,
    id: &str,
    bank: &Bank,
) -> Result<String, SuggestError> {
    let mut analyzer = Analyzer::new();
    let text = analyzer.analyze(model_answer);
    if text.words().len() == 0 {
        return Err(SuggestError::NoWords);
    }
    let stats = TermStats::build(bank, model_answer)?;
    let stop = stem_set(&mut analyzer, STOP_WORDS);
    let common = stem_set(&mut analyzer, COMMON_WORDS);
    let words = word_scores(&text, &stats, &stop)?;
    let mut verbish = BTreeSet::new();
    let candidates = candidates(&text, &words, &stop, &common, &mut verbish);
    let chosen = choose(candidates);
    if chosen.len() < MIN_PHRASES {
        return Err(SuggestError::TooFewWords);
    }
    let groups = group(chosen);
    let question = question
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .unwrap_or(QUESTION_PLACEHOLDER);
    let mut concepts = concepts(&groups);
    // Lint the draft; drop what draws a warning and try again.
    for _ in 0..8 {
        let toml = render(id, question, &concepts, &verbish)?;
        let rubric = crate::model::rubric::parse(Path::new(&format!("{id}.toml")), &toml)
            .map_err(SuggestError::Draft)?;
        let report = crate::authoring::lint::lint_loaded(vec![Ok(rubric.clone())]);
        if report.diagnostics.is_empty() {
            return Ok(toml);
        }
        let mut changed = false;
        for d in &report.diagnostics {
            let at = |p: crate::model::rubric::Pos| p.line == d.line && p.column == d.column;
            for (ci, c) in rubric.concepts.iter().enumerate() {
                if at(c.pos) {
                    concepts[ci].phrases.clear();
                    changed = true;
                }
                for (pi, p) in c.phrases.iter().enumerate() {
                    if at(p.pos) {
                        concepts[ci].drop.insert(pi);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return Err(SuggestError::Lint(crate::model::diag::Diagnostics(
                report.diagnostics,
            )));
        }
        for c in &mut concepts {
            let drop = std::mem::take(&mut c.drop);
            c.phrases = c
                .phrases
                .iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, p)| p.clone())
                .collect();
        }
        concepts.retain(|c| !c.phrases.is_empty());
        if concepts.is_empty() {
            return Err(SuggestError::Lint(crate::model::diag::Diagnostics(
                Vec::new(),
            )));
        }
        settle(&mut concepts);
    }
    Err(SuggestError::Lint(crate::model::diag::Diagnostics(
        Vec::new(),
    )))
}

/// Document frequencies from an in-RAM tantivy index of the bank plus the answer.
struct TermStats {
    searcher: tantivy::Searcher,
    field: tantivy::schema::Field,
    docs: f64,
}

impl TermStats {
    fn build(bank: &Bank, answer: &str) -> Result<TermStats, SuggestError> {
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let field = schema.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(indexing),
        );
        let index = Index::create_in_ram(schema.build());
        index
            .tokenizers()
            .register(TOKENIZER, Analyzer::text_analyzer());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for r in bank.rubrics() {
            let mut body = format!("{}\n", r.question);
            for c in &r.concepts {
                body.push_str(&c.label);
                body.push('\n');
                for p in &c.phrases {
                    body.push_str(&p.text);
                    body.push('\n');
                }
            }
            writer.add_document(doc!(field => body))?;
        }
        writer.add_document(doc!(field => answer.to_string()))?;
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let docs = searcher.num_docs() as f64;
        Ok(TermStats {
            searcher,
            field,
            docs,
        })
    }

    /// BM25's inverse document frequency of a stem (the answer counts as a document).
    fn idf(&self, stem: &str) -> Result<f64, SuggestError> {
        let df = self
            .searcher
            .doc_freq(&Term::from_field_text(self.field, stem))? as f64;
        let df = df.max(1.0);
        Ok((1.0 + (self.docs - df + 0.5) / (df + 0.5)).ln())
    }
}

fn stem_set(analyzer: &mut Analyzer, list: &[&str]) -> BTreeSet<String> {
    list.iter()
        .flat_map(|w| analyzer.words(w))
        .map(|w| w.stem().to_string())
        .collect()
}

/// What the answer says about one stem.
struct WordStat {
    score: f64,
    /// The most frequent surface form, lowercased.
    surface: String,
}

fn surface(text: &AnalyzedText, w: &Word) -> String {
    text.text[w.start as usize..w.end as usize].to_lowercase()
}

/// TF-IDF of every stem of the answer that is not a stop-word.
fn word_scores(
    text: &AnalyzedText,
    stats: &TermStats,
    stop: &BTreeSet<String>,
) -> Result<BTreeMap<String, WordStat>, SuggestError> {
    let mut forms: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for w in text.words() {
        if w.stem().is_empty() || is_stop(&w, stop) {
            continue;
        }
        *forms
            .entry(w.stem().to_string())
            .or_default()
            .entry(surface(text, &w))
            .or_default() += 1;
    }
    let mut out = BTreeMap::new();
    for (stem, forms) in forms {
        let tf: usize = forms.values().sum();
        // Most frequent form; ties go to the first in text order of the map (alphabetical).
        let surface = forms
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(f, _)| f.clone())
            .unwrap_or_default();
        let score = (1.0 + (tf as f64).ln()) * stats.idf(&stem)?;
        out.insert(stem, WordStat { score, surface });
    }
    Ok(out)
}

/// Function words beyond the linter's stop-words: they make weak phrases
/// ("behind load", "independently per").
const FUNCTION_WORDS: &[&str] = &[
    "per", "via", "each", "both", "when", "where", "which", "what", "how", "why", "who", "whom",
    "than", "while", "behind", "across", "after", "before", "between", "over", "under", "within",
    "without", "only", "even", "like", "instead", "rather", "its", "your", "them", "those",
    "other", "others", "here", "because", "since", "through", "until", "been", "being", "were",
    "may", "might", "must", "shall", "am", "him", "her", "his", "she", "he", "us", "whether",
    "either", "neither", "nor", "own", "same", "too", "again", "once", "off", "down", "onto",
    "upon", "against", "among", "around", "during", "toward", "towards", "etc", "let", "lets",
    "let's", "get", "gets", "got", "one", "ones", "many", "much", "few", "several", "every",
    "often", "always", "never", "usually", "really", "what's", "it's", "i'm", "i've", "we've",
    "don't", "doesn't", "there's", "that's", "whose", "yet", "still", "already", "now", "next",
    "last", "way", "ways", "lot", "lots", "kind",
];

/// Words that open a noun phrase: after a verb, rarely after a noun.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "its", "their", "it", "them", "this", "that", "these", "those", "our", "my",
    "your", "his", "her", "every", "each", "some", "any",
];

/// Words that follow a verb more often than a noun ("goes back", "sits in").
const PARTICLES: &[&str] = &[
    "to", "into", "in", "back", "out", "off", "up", "down", "through", "half", "again", "away",
];

/// Words any answer could use about anything: praise, emphasis and vague
/// nouns ("crucial", "ensures", "good fit", "hard part", "single long").
const GENERIC_WORDS: &[&str] = &[
    "crucial",
    "crucially",
    "ensure",
    "ensures",
    "ensured",
    "ensuring",
    "important",
    "importantly",
    "good",
    "fit",
    "hard",
    "part",
    "parts",
    "great",
    "single",
    "long",
    "critical",
    "essential",
    "vital",
    "significant",
    "various",
    "different",
    "specific",
    "overall",
    "whole",
    "certain",
    "able",
    "better",
    "best",
    "nice",
    "simple",
    "easy",
    "approach",
    "thing",
    "things",
    "stuff",
    "basically",
    "actually",
    "simply",
    "help",
    "helps",
    "allow",
    "allows",
    "make",
    "makes",
    "making",
    "sure",
    "need",
    "needs",
    "needed",
    "want",
    "wants",
    "use",
    "used",
    "uses",
    "using",
    "also",
    "just",
    "well",
    "lot",
    "lots",
    "tricky",
];

fn is_stop(w: &Word, stop: &BTreeSet<String>) -> bool {
    STOP_WORDS.contains(&w.raw())
        || FUNCTION_WORDS.contains(&w.raw())
        || GENERIC_WORDS.contains(&w.raw())
        || stop.contains(w.stem())
}

/// Whether two neighbouring words are written as one expression: only white
/// space, or a hyphen or slash ("dead-letter", "CI/CD"), between them.
fn adjacent(text: &AnalyzedText, a: &Word, b: &Word) -> bool {
    let between = &text.text[a.end as usize..b.start as usize];
    between.chars().all(char::is_whitespace) || between == "-" || between == "/"
}

fn is_number(w: &Word) -> bool {
    w.raw().chars().all(|c| c.is_ascii_digit())
}

/// A word or word pair that could be a phrase of the draft.
#[derive(Debug, Clone)]
struct Candidate {
    /// The stems, one or two.
    stems: Vec<String>,
    /// The phrase as the answer writes it, lowercased.
    text: String,
    score: f64,
    /// Sentences it occurs in.
    sentences: BTreeSet<usize>,
    /// Index of its first word in the answer.
    first: usize,
}

/// A word pair as the answer writes it: its forms with their counts, the
/// sentences it occurs in, and the index of its first word.
type Pair = (BTreeMap<String, usize>, BTreeSet<usize>, usize);

/// Distinctive single words and pairs of adjacent non-stop-words.
fn candidates(
    text: &AnalyzedText,
    words: &BTreeMap<String, WordStat>,
    stop: &BTreeSet<String>,
    common: &BTreeSet<String>,
    verbish: &mut BTreeSet<String>,
) -> Vec<Candidate> {
    // A phrase followed by a determiner, a particle or an -ing form ends in
    // a verb ("client sends a key", "call goes half open", "callers start failing").
    // The sentence of each word.
    let sentence_of: Vec<usize> = text
        .sentences
        .iter()
        .enumerate()
        .flat_map(|(k, s)| std::iter::repeat_n(k, s.word_count))
        .collect();
    let object_after = |k: usize, sentence: usize| {
        text.get_word(k).is_some_and(|w| {
            sentence_of[k] == sentence
                && (DETERMINERS.contains(&w.raw())
                    || PARTICLES.contains(&w.raw())
                    || w.raw().ends_with("ing"))
        })
    };
    let distinctive = |w: &Word| {
        !w.stem().is_empty()
            && !is_stop(w, stop)
            && !common.contains(w.stem())
            && !is_number(w)
            && w.raw().chars().count() >= MIN_LETTERS
    };
    // An adverb ("potentially", "additionally") says nothing on its own.
    let single = |w: &Word| distinctive(w) && !w.raw().ends_with("ly");
    let mut singles: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut pairs: BTreeMap<Vec<String>, Pair> = BTreeMap::new();
    for (i, w) in text.words().enumerate() {
        let w = &w;
        if single(w) {
            let stat = &words[w.stem()];
            let c = singles.entry(w.stem().to_string()).or_insert(Candidate {
                stems: vec![w.stem().to_string()],
                text: stat.surface.clone(),
                score: stat.score * SINGLE_FACTOR,
                sentences: BTreeSet::new(),
                first: i,
            });
            c.sentences.insert(sentence_of[i]);
        }
        let Some(ref next) = text.get_word(i + 1) else {
            continue;
        };
        let usable = |w: &Word| !w.stem().is_empty() && !is_stop(w, stop) && w.raw().len() >= 2;
        let sentence = sentence_of[i];
        if sentence_of[i + 1] != sentence || !usable(w) || !usable(next) || !adjacent(text, w, next)
        {
            continue;
        }
        if !distinctive(w) && !distinctive(next) {
            continue;
        }
        if w.stem() == next.stem() {
            continue;
        }
        let form = |end: usize| {
            text.text[w.start as usize..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
                .replace('~', " ")
        };
        let entry = pairs
            .entry(vec![w.stem().to_string(), next.stem().to_string()])
            .or_insert_with(|| (BTreeMap::new(), BTreeSet::new(), i));
        *entry.0.entry(form(next.end as usize)).or_default() += 1;
        entry.1.insert(sentence);
        if object_after(i + 2, sentence) {
            verbish.insert(form(next.end as usize));
        }
        // Three words the answer writes as one expression ("rate limit headers").
        if let Some(ref third) = text.get_word(i + 2) {
            if sentence_of[i + 2] == sentence
                && usable(third)
                && adjacent(text, next, third)
                && third.stem() != next.stem()
                && !third.raw().ends_with("ly")
            {
                let entry = pairs
                    .entry(vec![
                        w.stem().to_string(),
                        next.stem().to_string(),
                        third.stem().to_string(),
                    ])
                    .or_insert_with(|| (BTreeMap::new(), BTreeSet::new(), i));
                *entry.0.entry(form(third.end as usize)).or_default() += 1;
                entry.1.insert(sentence);
                if object_after(i + 3, sentence) {
                    verbish.insert(form(third.end as usize));
                }
            }
        }
    }
    let mut out: Vec<Candidate> = singles.into_values().collect();
    for (stems, (forms, sentences, first)) in pairs {
        let count: usize = forms.values().sum();
        // Three words make a phrase when the answer uses them more than once.
        if stems.len() == 3 && count < 2 {
            continue;
        }
        let form = forms
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(f, _)| f.clone())
            .unwrap_or_default();
        let mean = stems.iter().map(|s| words[s].score).sum::<f64>() / stems.len() as f64;
        let score = mean * (1.0 + PAIR_REPEAT_BONUS * (count as f64 - 1.0));
        out.push(Candidate {
            stems,
            text: form,
            score,
            sentences,
            first,
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.text.cmp(&b.text)));
    out
}

/// The best candidates, at most enough for the largest draft. A single word
/// already inside a chosen pair is left out, unless the answer is too short
/// to fill the smallest draft without it.
fn choose(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let limit = MAX_CONCEPTS * MAX_PHRASES;
    let mut chosen: Vec<Candidate> = Vec::new();
    let mut inside: Vec<Candidate> = Vec::new();
    for c in candidates {
        if chosen.len() >= limit {
            break;
        }
        if c.stems.len() == 1 {
            let covered = chosen
                .iter()
                .any(|o| o.stems.len() > 1 && o.stems.contains(&c.stems[0]));
            if covered {
                inside.push(c);
                continue;
            }
        } else {
            let (kept, covered): (Vec<_>, Vec<_>) = std::mem::take(&mut chosen)
                .into_iter()
                .partition(|o| !(o.stems.len() == 1 && c.stems.contains(&o.stems[0])));
            chosen = kept;
            inside.extend(covered);
        }
        chosen.push(c);
    }
    let smallest = MIN_CONCEPTS * MIN_PHRASES;
    if chosen.len() < smallest {
        inside.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.text.cmp(&b.text)));
        let missing = smallest - chosen.len();
        chosen.extend(inside.into_iter().take(missing));
        chosen.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.text.cmp(&b.text)));
    }
    chosen
}

fn jaccard(a: &BTreeSet<usize>, b: &BTreeSet<usize>) -> f64 {
    let inter = a.intersection(b).count() as f64;
    let union = a.union(b).count() as f64;
    if union == 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// A group of candidates that occur in the same sentences.
#[derive(Debug, Clone)]
struct Group {
    members: Vec<Candidate>,
    sentences: BTreeSet<usize>,
}

impl Group {
    fn new(c: Candidate) -> Group {
        Group {
            sentences: c.sentences.clone(),
            members: vec![c],
        }
    }

    fn add(&mut self, c: Candidate) {
        self.sentences.extend(c.sentences.iter().copied());
        self.members.push(c);
    }

    fn score(&self) -> f64 {
        self.members.iter().map(|m| m.score).fold(0.0, f64::max)
    }
}

/// The group with room that `c` fits best: highest overlap, then the earliest.
fn best_group(groups: &[Group], c: &Candidate) -> Option<(usize, f64)> {
    groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.members.len() < MAX_PHRASES)
        .map(|(i, g)| (i, jaccard(&g.sentences, &c.sentences)))
        .fold(None, |best, (i, s)| match best {
            Some((_, bs)) if bs >= s => best,
            _ => Some((i, s)),
        })
}

/// Groups candidates (best first) by sentence co-occurrence into at most
/// `MAX_CONCEPTS` groups of at most `MAX_PHRASES`, then merges lone
/// candidates and splits large groups to reach `MIN_CONCEPTS` when it can.
fn group(chosen: Vec<Candidate>) -> Vec<Group> {
    let target = chosen.len().div_ceil(3).clamp(MIN_CONCEPTS, MAX_CONCEPTS);
    let mut groups: Vec<Group> = Vec::new();
    for c in chosen {
        match best_group(&groups, &c) {
            Some((i, s)) if s >= JOIN_SIMILARITY || groups.len() >= target => groups[i].add(c),
            None if groups.len() >= MAX_CONCEPTS => {}
            _ => groups.push(Group::new(c)),
        }
    }
    // A lone candidate joins the group it fits best.
    while let Some(lone) = groups.iter().rposition(|g| g.members.len() < MIN_PHRASES) {
        if groups.len() <= 1 {
            break;
        }
        let g = groups.remove(lone);
        for c in g.members {
            if let Some((i, _)) = best_group(&groups, &c) {
                groups[i].add(c);
            }
        }
    }
    // Too few groups: split the largest, by position in the answer, or make
    // one of the weakest members of the two largest.
    while groups.len() < MIN_CONCEPTS {
        let mut by_size: Vec<usize> = (0..groups.len()).collect();
        by_size.sort_by(|&a, &b| {
            groups[b]
                .members
                .len()
                .cmp(&groups[a].members.len())
                .then(a.cmp(&b))
        });
        let Some(&i) = by_size.first() else {
            break;
        };
        if groups[i].members.len() < 2 * MIN_PHRASES {
            let spare: Vec<usize> = by_size
                .iter()
                .copied()
                .filter(|&j| groups[j].members.len() > MIN_PHRASES)
                .take(MIN_PHRASES)
                .collect();
            if spare.len() < MIN_PHRASES {
                break;
            }
            let mut taken = Vec::new();
            for j in spare {
                let weakest = (0..groups[j].members.len())
                    .min_by(|&a, &b| {
                        let (ma, mb) = (&groups[j].members[a], &groups[j].members[b]);
                        ma.score.total_cmp(&mb.score).then(mb.text.cmp(&ma.text))
                    })
                    .expect("the group has members");
                taken.push(groups[j].members.remove(weakest));
                let g = &mut groups[j];
                g.sentences = g
                    .members
                    .iter()
                    .flat_map(|m| m.sentences.iter().copied())
                    .collect();
            }
            let mut it = taken.into_iter();
            let mut g = Group::new(it.next().expect("two members were taken"));
            for c in it {
                g.add(c);
            }
            groups.push(g);
            continue;
        }
        let mut members = std::mem::take(&mut groups[i].members);
        members.sort_by(|a, b| a.first.cmp(&b.first).then(a.text.cmp(&b.text)));
        let second = members.split_off(members.len() / 2);
        let rebuild = |ms: Vec<Candidate>| {
            let mut it = ms.into_iter();
            let mut g = Group::new(it.next().expect("halves are not empty"));
            for c in it {
                g.add(c);
            }
            g
        };
        groups[i] = rebuild(members);
        groups.push(rebuild(second));
    }
    // Pairs first: the top phrase names the concept.
    for g in &mut groups {
        g.members.sort_by(|a, b| {
            b.stems
                .len()
                .cmp(&a.stems.len())
                .then(b.score.total_cmp(&a.score))
                .then(a.text.cmp(&b.text))
        });
    }
    groups.sort_by(|a, b| {
        b.score()
            .total_cmp(&a.score())
            .then(a.members[0].text.cmp(&b.members[0].text))
    });
    groups
}

/// A concept of the draft, before rendering.
#[derive(Debug, Clone)]
struct DraftConcept {
    phrases: Vec<String>,
    /// Phrases to drop after a lint pass (indices into `phrases`).
    drop: BTreeSet<usize>,
}

fn concepts(groups: &[Group]) -> Vec<DraftConcept> {
    groups
        .iter()
        .map(|g| DraftConcept {
            phrases: g.members.iter().map(|m| m.text.clone()).collect(),
            drop: BTreeSet::new(),
        })
        .collect()
}

/// After phrases were dropped: nothing to do but keep the order (best first).
fn settle(concepts: &mut [DraftConcept]) {
    for c in concepts.iter_mut() {
        c.drop.clear();
    }
}

/// Whether a phrase reads as a noun phrase: it ends in a word that is not
/// an adverb, a participle or a past form ("token bucket", not "retries
/// safely" or "client generated").
fn noun_like(phrase: &str, verbish: &BTreeSet<String>) -> bool {
    const NOT_LAST: &[&str] = &["ly", "ing", "ed", "'s", "al", "ive", "ous", "ful", "ble"];
    const NUMBERS: &[&str] = &["one", "two", "three", "four", "five", "ten", "hundred"];
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    !verbish.contains(phrase)
        && !NOT_LAST.iter().any(|s| last.ends_with(s))
        && !NUMBERS.contains(last)
        && !last.chars().all(|c| c.is_ascii_digit())
        && (words.len() == 1
            || !(first.ends_with("ed")
                || first.ends_with("ing")
                || first.ends_with("ly")
                || VERBS.contains(first)))
}

/// Verbs that open subject-less fragments ("goes half", "trips open").
const VERBS: &[&str] = &[
    "go", "goes", "went", "sit", "sits", "trip", "trips", "stop", "stops", "start", "starts",
    "run", "runs", "come", "comes", "keep", "keeps", "take", "takes", "give", "gives", "say",
    "says", "know", "knows", "seem", "seems", "look", "looks", "fail", "fails", "return",
    "returns", "send", "sends", "get", "gets", "put", "puts",
];

/// A concept's label from the answer's own words: its best noun phrases
/// (several words first), capitalized, e.g. "Idempotency key, unique constraint".
fn label(phrases: &[String], verbish: &BTreeSet<String>) -> String {
    let mut nouns: Vec<&String> = phrases.iter().filter(|p| noun_like(p, verbish)).collect();
    if nouns.is_empty() {
        nouns = phrases.iter().collect();
    }
    let mut multi: Vec<&String> = nouns.iter().copied().filter(|p| p.contains(' ')).collect();
    if multi.is_empty() {
        multi = nouns;
    }
    let mut picked: Vec<&str> = Vec::new();
    for p in multi {
        if picked.len() == 2 {
            break;
        }
        if !picked
            .iter()
            .any(|q| q.contains(p.as_str()) || p.contains(q))
        {
            picked.push(p);
        }
    }
    let text = picked.join(", ");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => "A point of the answer".to_string(),
    }
}

/// Kebab-case of a phrase, for a concept id.
fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("concept");
    }
    out
}

#[derive(Serialize)]
struct RubricOut<'a> {
    id: &'a str,
    question: &'a str,
    kind: &'a str,
    tags: Vec<&'a str>,
    pass: u32,
    concept: Vec<ConceptOut>,
}

#[derive(Serialize)]
struct ConceptOut {
    id: String,
    label: String,
    weight: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    phrases: Vec<String>,
    hint: String,
    question_hint: String,
}

/// The draft as TOML: concepts best first, the top third weighing 2, the
/// best one required.
fn render(
    id: &str,
    question: &str,
    concepts: &[DraftConcept],
    verbish: &BTreeSet<String>,
) -> Result<String, SuggestError> {
    let heavy = concepts.len().div_ceil(3);
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let out: Vec<ConceptOut> = concepts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let top = &c.phrases[0];
            let base = kebab(top);
            let mut cid = base.clone();
            let mut n = 2;
            while ids.contains(&cid) {
                cid = format!("{base}-{n}");
                n += 1;
            }
            ids.insert(cid.clone());
            ConceptOut {
                id: cid,
                label: label(&c.phrases, verbish),
                weight: if i < heavy { 2 } else { 1 },
                required: i == 0,
                phrases: c.phrases.clone(),
                hint: format!("TODO: say what a strong answer explains about {top}."),
                question_hint: format!("TODO: what would you ask to draw out {top}?"),
            }
        })
        .collect();
    let rubric = RubricOut {
        id,
        question,
        kind: "technical",
        tags: vec!["draft"],
        pass: 60,
        concept: out,
    };
    let body = toml::to_string_pretty(&rubric).map_err(SuggestError::Toml)?;
    Ok(format!("{HEADER}{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str =
        "Idempotency means that repeating a request leaves the system in the same \
state as sending it once. Clients retry after timeouts and network failures, so duplicates are \
normal. Without idempotency a retried payment charges the customer twice or creates a duplicate \
order. The client sends a unique idempotency key, usually a UUID, with every POST request and \
reuses the key on each retry. The server stores each idempotency key with its response under a \
unique constraint and returns the stored response when the key repeats. GET, PUT and DELETE are \
idempotent by definition while POST is not. Two identical requests arriving at once need an \
atomic insert or a lock, and stored keys expire after a TTL of a day.";

    fn bank() -> Bank {
        Bank::builtin().expect("the shipped bank loads")
    }

    #[test]
    fn draft_parses_lints_clean_and_is_deterministic() {
        let bank = bank();
        let a = draft(ANSWER, Some("Why does idempotency matter?"), "idem", &bank).unwrap();
        let b = draft(ANSWER, Some("Why does idempotency matter?"), "idem", &bank).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with("# Draft rubric"), "{a}");
        let r = crate::model::rubric::parse(Path::new("idem.toml"), &a).unwrap();
        assert_eq!(r.id, "idem");
        assert_eq!(r.question, "Why does idempotency matter?");
        assert_eq!(r.tags, vec!["draft".to_string()]);
        assert!(
            (MIN_CONCEPTS..=MAX_CONCEPTS).contains(&r.concepts.len()),
            "{a}"
        );
        assert_eq!(r.concepts.iter().filter(|c| c.required).count(), 1);
        for c in &r.concepts {
            assert!(
                (MIN_PHRASES..=MAX_PHRASES).contains(&c.phrases.len()),
                "{a}"
            );
        }
        let report = crate::authoring::lint::lint_loaded(vec![Ok(r.clone())]);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert!(a.contains("idempotency key"), "{a}");
        // Labels from the answer's own noun phrases; no generic words.
        for c in &r.concepts {
            assert!(!c.label.starts_with("Mentions"), "{}", c.label);
        }
        for generic in ["crucial", "ensures", "good fit", "hard part", "single long"] {
            assert!(!a.contains(generic), "{generic} in {a}");
        }
    }

    #[test]
    fn three_word_phrases_the_answer_repeats() {
        let answer = "Clients read the rate limit headers. The rate limit headers say how many \
requests remain. A token bucket refills steadily and a token bucket allows bursts. Redis keeps \
the counters for every instance. Requests over the limit get 429 and a Retry-After header. \
Keys are per user or per API key, and the gateway enforces the limit before the service.";
        let d = draft(answer, None, "rl", &bank()).unwrap();
        assert!(d.contains("\"rate limit headers\""), "{d}");
    }

    #[test]
    fn placeholder_question_and_bad_input() {
        let bank = bank();
        let a = draft(ANSWER, None, "x", &bank).unwrap();
        assert!(a.contains(QUESTION_PLACEHOLDER));
        assert!(draft("", None, "x", &bank).is_err());
        assert!(draft(ANSWER, None, "bad id", &bank).is_err());
    }

    #[test]
    fn kebab_ids() {
        assert_eq!(kebab("Dead-letter queue!"), "dead-letter-queue");
        assert_eq!(kebab("¿?"), "concept");
    }
}
