//! Matching rubric entries (phrases, patterns, sounds-like phrases) against
//! an analyzed answer, keeping the evidence of every hit.
//!
//! Semantics (documented in `docs/rubric-format.md`):
//! - a phrase's words must appear in order within one sentence, with at most
//!   `gap` other words between two consecutive phrase words;
//! - words compare by their stems; a phrase word of 8 letters or more also
//!   matches an answer word with the same first letter at Damerau (OSA)
//!   distance 1 (2 from 11 letters), so "Kuberentes" and "idempotancy" match;
//! - patterns are case-insensitive regexes run on each sentence's text;
//! - a concept matches when `min` different entries match.

use rustc_hash::FxHashMap as HashMap;

use crate::analysis::text::{AnalyzedText, Analyzer};
use crate::model::rubric::{Concept, LazyRegex, Pattern, Phrase, RedFlag, Rubric};

/// Up to this many words, the word index keeps each word's slots while it
/// is built (speed); beyond, it looks them up again (memory). An index
/// built for phrases keeps every word up to this many too (asking the
/// filter about each distinct word costs more than it saves); beyond, only
/// the words the phrases could match.
const KEEP_SLOTS_UP_TO: usize = 1 << 16;

/// Phrase words shorter than this are never matched fuzzily.
pub const FUZZY_MIN_LEN: usize = 8;
/// From this length on, two edits are tolerated.
pub const FUZZY_TWO_EDITS_LEN: usize = 11;

/// How an entry matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Via {
    Phrase,
    Pattern,
    SoundsLike,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Phrase => "phrase",
            Via::Pattern => "pattern",
            Via::SoundsLike => "sounds_like",
        }
    }
}

/// One place where an entry matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The entry as written in the rubric.
    pub entry: String,
    pub via: Via,
    /// True when at least one word matched only through a spelling slip.
    pub fuzzy: bool,
    /// True when the match needed a speech-to-text repair: a glossary
    /// entry, a spelled-out number, or split or joined words.
    pub stt: bool,
    /// Sentence index in the analyzed text.
    pub sentence: usize,
    /// Byte range of the matched words in the text.
    pub start: usize,
    pub end: usize,
}

/// What was found for one concept (or red flag).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The first hit of each entry that matched, in text order.
    pub hits: Vec<Hit>,
    /// Number of different entries that matched.
    pub distinct: usize,
    pub matched: bool,
}

#[derive(Debug, Clone)]
struct PWord {
    stem: String,
    /// [`crate::analysis::text::stem_key`] of `stem`.
    key: u64,
    raw: String,
    fuzzy: bool,
    /// The first character and the length in characters of `raw`, for
    /// the fuzzy lookup.
    first: char,
    len: usize,
    /// [`letter_bits`] of `raw`.
    letters: u32,
}

impl PWord {
    /// How many edits a fuzzy match may make.
    fn allowed(&self) -> usize {
        if self.len >= FUZZY_TWO_EDITS_LEN {
            2
        } else {
            1
        }
    }

    /// How far in length (characters) a match may be.
    fn reach(&self) -> usize {
        if self.fuzzy {
            self.allowed()
        } else {
            0
        }
    }
}

/// Whether the neighbouring words `a` and `b` (with `letters`, the
/// [`letter_bits`] of both) read as one word match the phrase word `w`
/// (of the same first character and a length within its reach). `joined`
/// is a buffer.
fn pair_matches(joined: &mut String, a: &str, b: &str, letters: u32, w: &PWord) -> bool {
    let allowed = w.allowed();
    if (letters ^ w.letters).count_ones() as usize > 2 * allowed {
        return false;
    }
    joined.clear();
    joined.push_str(a);
    joined.push_str(b);
    *joined == w.raw || (w.fuzzy && within_edits(joined, &w.raw, allowed))
}

/// The length of `word` in characters (its bytes when it is ASCII, as
/// most words are).
fn char_len(word: &str) -> usize {
    if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    }
}

/// A bit per character of `word` (its code modulo 32). Each edit adds or
/// removes at most one character from a word's set of characters, so two
/// words within `k` edits differ in at most `2k` of these bits: most
/// fuzzy candidates are ruled out by that before their edits are counted.
fn letter_bits(word: &str) -> u32 {
    word.chars()
        .fold(0, |bits, c| bits | 1 << (u32::from(c) % 32))
}

/// Which words of an answer a set of phrase words could match: the words
/// of their stems, the long words within their edits, and for speech the
/// joined pairs ("micro services" read as "microservices"). A pair is
/// turned away by its first character and its length in characters (read
/// as one word) where no phrase word is near, and otherwise compared as a
/// lookup of those words would compare it. An index built for phrases
/// keeps only the words and pairs admitted: most words of a long answer,
/// and most pairs of a long transcript, could match no phrase word of the
/// rubrics it is scored against.
#[derive(Debug, Clone)]
pub struct PhraseFilter {
    /// For a first character below 128, a bit per length (63 and longer
    /// share the last bit): most pairs are turned away by these.
    ascii: [u64; 128],
    wide: HashMap<char, u64>,
    /// The phrase words, by first character and length, for the full
    /// comparison a lookup makes.
    words: Vec<PWord>,
    /// The stems of the phrase words.
    stems: rustc_hash::FxHashSet<String>,
}

impl Default for PhraseFilter {
    fn default() -> Self {
        PhraseFilter {
            ascii: [0; 128],
            wide: HashMap::default(),
            words: Vec::new(),
            stems: Default::default(),
        }
    }
}

impl PhraseFilter {
    fn bit(len: usize) -> u64 {
        1 << len.min(63)
    }

    fn add_bits(&mut self, first: char, bits: u64) {
        match self.ascii.get_mut(first as usize) {
            Some(slot) => *slot |= bits,
            None => *self.wide.entry(first).or_default() |= bits,
        }
    }

    /// Adds the words of every phrase (and of its glued variants): a pair
    /// of a length within a word's reach (as [`WordIndex::positions`]
    /// windows them) is compared with it.
    fn add_entries(&mut self, entries: &CompiledEntries) {
        for p in &entries.phrases {
            for w in p.words.iter().chain(p.joined.iter().flatten()) {
                let reach = w.reach();
                let bits =
                    (w.len.saturating_sub(reach)..=w.len + reach).fold(0, |b, l| b | Self::bit(l));
                self.add_bits(w.first, bits);
                self.stems.insert(w.stem.clone());
                self.words.push(w.clone());
            }
        }
        self.settle();
    }

    /// Sorts the words for [`PhraseFilter::admits`] and drops repeats.
    fn settle(&mut self) {
        self.words.sort_by(|a, b| {
            (a.first, a.len, &a.raw, a.fuzzy).cmp(&(b.first, b.len, &b.raw, b.fuzzy))
        });
        self.words.dedup_by(|a, b| {
            (a.first, a.len, &a.raw, a.fuzzy) == (b.first, b.len, &b.raw, b.fuzzy)
        });
    }

    /// Whether a phrase word has this stem.
    fn has_stem(&self, stem: &str) -> bool {
        self.stems.contains(stem)
    }

    /// Whether a lookup of a fuzzy phrase word would take the long word
    /// `l` of the answer, whose surface form is `raw` and stem `stem`: the
    /// comparison [`WordIndex::positions`] makes, once per distinct word.
    fn admits_long(&self, l: &LongWord, raw: &str, stem: &str) -> bool {
        let len = l.len as usize;
        let from = self
            .words
            .partition_point(|w| (w.first, w.len) < (l.first, len.saturating_sub(2)));
        self.words[from..]
            .iter()
            .take_while(|w| (w.first, w.len) <= (l.first, len + 2))
            .any(|w| {
                let allowed = w.allowed();
                w.fuzzy
                    && len + allowed >= w.len
                    && len <= w.len + allowed
                    && (l.letters ^ w.letters).count_ones() as usize <= 2 * allowed
                    && stem != w.stem
                    && raw != w.raw
                    && within_edits(raw, &w.raw, allowed)
            })
    }

    /// Whether a phrase word could be a pair of this first character and
    /// length: a quick test before the pair is looked up.
    fn may_admit(&self, first: char, len: u32) -> bool {
        let bits = match self.ascii.get(first as usize) {
            Some(&b) => b,
            None => self.wide.get(&first).copied().unwrap_or(0),
        };
        bits & Self::bit(len as usize) != 0
    }

    /// Whether the pair `a b` (its first character, length in characters
    /// and letter bits) matches a phrase word: what a lookup of that word
    /// would find.
    fn admits(
        &self,
        joined: &mut String,
        a: &str,
        b: &str,
        (first, len, letters): (char, u32, u32),
    ) -> bool {
        let len = len as usize;
        let from = self
            .words
            .partition_point(|w| (w.first, w.len) < (first, len.saturating_sub(2)));
        self.words[from..]
            .iter()
            .take_while(|w| (w.first, w.len) <= (first, len + 2))
            .any(|w| {
                len + w.reach() >= w.len
                    && len <= w.len + w.reach()
                    && pair_matches(joined, a, b, letters, w)
            })
    }
}

#[derive(Debug, Clone)]
struct CompiledPhrase {
    text: String,
    words: Vec<PWord>,
    /// The phrase with two neighbouring words written as one ("dead
    /// letter" → "deadletter"), tried on speech only.
    joined: Vec<Vec<PWord>>,
    gap: usize,
    via: Via,
}

/// A match of one phrase word: the first and last answer word it covers
/// (two words when split speech is joined).
type Span = (u32, u32);

#[derive(Debug, Clone)]
struct CompiledEntries {
    phrases: Vec<CompiledPhrase>,
    patterns: Vec<(String, LazyRegex)>,
    min: usize,
    /// Skip hits preceded by a negation ("never", "not", "avoid"): for red flags.
    negatable: bool,
}

/// A rubric with its phrases analyzed, ready to match answers.
#[derive(Debug, Clone)]
pub struct CompiledRubric {
    concepts: Vec<CompiledEntries>,
    red_flags: Vec<CompiledEntries>,
    /// The words and joined pairs of speech its phrases could match.
    filter: std::sync::OnceLock<PhraseFilter>,
}

fn pword(w: crate::analysis::text::OwnedWord) -> PWord {
    let letters = w.raw().chars().count();
    PWord {
        fuzzy: letters >= FUZZY_MIN_LEN && w.raw().chars().all(char::is_alphabetic),
        stem: w.stem().to_string(),
        key: w.forms.key,
        raw: w.raw().to_string(),
        first: w.raw().chars().next().unwrap_or(' '),
        len: letters,
        letters: letter_bits(w.raw()),
    }
}

fn compile_phrase(analyzer: &mut Analyzer, p: &Phrase, via: Via) -> CompiledPhrase {
    let words: Vec<PWord> = analyzer.words(&p.text).into_iter().map(pword).collect();
    let mut joined = Vec::new();
    for k in 0..words.len().saturating_sub(1) {
        let glued = format!("{}{}", words[k].raw, words[k + 1].raw);
        let mut variant: Vec<PWord> = words[..k].to_vec();
        variant.extend(analyzer.words(&glued).into_iter().map(pword));
        variant.extend_from_slice(&words[k + 2..]);
        joined.push(variant);
    }
    CompiledPhrase {
        text: p.text.clone(),
        words,
        joined,
        gap: p.gap,
        via,
    }
}

fn compile_entries(
    analyzer: &mut Analyzer,
    phrases: &[Phrase],
    sounds_like: &[Phrase],
    patterns: &[Pattern],
    min: usize,
    negatable: bool,
) -> CompiledEntries {
    // Entries that analyze alike ("audit", "audits") are one entry: `min`
    // counts different ways of saying the point, not spellings of one word.
    let mut compiled: Vec<CompiledPhrase> = Vec::new();
    let all = phrases
        .iter()
        .map(|p| (p, Via::Phrase))
        .chain(sounds_like.iter().map(|p| (p, Via::SoundsLike)));
    for (p, via) in all {
        let c = compile_phrase(analyzer, p, via);
        let same = |o: &CompiledPhrase| {
            o.words.len() == c.words.len()
                && o.words.iter().zip(&c.words).all(|(a, b)| a.stem == b.stem)
        };
        if !compiled.iter().any(same) {
            compiled.push(c);
        }
    }
    CompiledEntries {
        phrases: compiled,
        patterns: patterns
            .iter()
            .map(|p| (p.source.clone(), p.regex.clone()))
            .collect(),
        min,
        negatable,
    }
}

impl CompiledRubric {
    pub fn new(rubric: &Rubric, analyzer: &mut Analyzer) -> Self {
        let concepts: Vec<CompiledEntries> = rubric
            .concepts
            .iter()
            .map(|c: &Concept| {
                compile_entries(
                    analyzer,
                    &c.phrases,
                    &c.sounds_like,
                    &c.patterns,
                    c.min,
                    false,
                )
            })
            .collect();
        let red_flags = rubric
            .red_flags
            .iter()
            .map(|f: &RedFlag| compile_entries(analyzer, &f.phrases, &[], &f.patterns, 1, true))
            .collect();
        CompiledRubric {
            concepts,
            red_flags,
            filter: std::sync::OnceLock::new(),
        }
    }

    /// The words and joined pairs of speech its phrases could match
    /// (worked out on first use).
    pub fn phrase_filter(&self) -> &PhraseFilter {
        self.filter.get_or_init(|| {
            let mut filter = PhraseFilter::default();
            for e in self.concepts.iter().chain(&self.red_flags) {
                filter.add_entries(e);
            }
            filter
        })
    }

    /// What each concept found in the answer, in rubric order.
    pub fn match_concepts(&self, index: &WordIndex<'_>) -> Vec<Found> {
        self.concepts.iter().map(|c| find(c, index)).collect()
    }

    /// What each red flag found in the answer, in rubric order.
    pub fn match_red_flags(&self, index: &WordIndex<'_>) -> Vec<Found> {
        self.red_flags.iter().map(|c| find(c, index)).collect()
    }

    /// The analyzed words of every phrase, for the linter: `(concept index,
    /// phrase text, stems)`.
    pub fn phrase_stems(&self) -> impl Iterator<Item = (usize, &str, Vec<&str>)> {
        self.concepts.iter().enumerate().flat_map(|(i, c)| {
            c.phrases.iter().map(move |p| {
                (
                    i,
                    p.text.as_str(),
                    p.words.iter().map(|w| w.stem.as_str()).collect(),
                )
            })
        })
    }
}

/// Where each word of an answer occurs, by stem, for fast phrase lookup.
/// Positions are kept in flat arrays (one per kind, grouped by slot), not a
/// vector per distinct word.
pub struct WordIndex<'a> {
    text: &'a AnalyzedText,
    /// The slot of each distinct stem in `stems`, as `(key, number of the
    /// forms of a word with the stem, slot)`, filed under the key, the
    /// stem's [`crate::analysis::text::stem_key`] taken from the word's
    /// forms (not hashed again); the stem is compared through the forms.
    by_stem: hashbrown::HashTable<(u64, u32, u32)>,
    stems: Grouped<u32>,
    /// Distinct long surface forms with their positions (slots of
    /// `long_spans`), for fuzzy lookup, sorted by first letter and length
    /// so a lookup scans only the words of its letter within its edit
    /// distance in length.
    long_words: Vec<LongWord>,
    /// Where the long words of each ASCII first character start in
    /// `long_words` (those of `c` are `long_from[c]..long_from[c + 1]`; the
    /// rest, of wider first characters, from `long_from[128]`): a lookup
    /// goes straight to its letter's words.
    long_from: [u32; 129],
    long_spans: Grouped<u32>,
    /// For speech: the length (in characters) and [`letter_bits`] of the
    /// surface form of each of the text's forms, by [`Word::id`], as
    /// [`Join`] refers to them.
    forms: Vec<(u32, u32)>,
    /// For speech: each distinct pair of neighbouring words, read as one
    /// word ("micro services" as "microservices"), with the two words it
    /// covers in `join_spans`. Sorted like `long_words`.
    joins: Vec<Join>,
    join_spans: Grouped<Span>,
}

/// Two neighbouring words of speech read as one, by the numbers of their
/// forms: the joined text is only built while a lookup compares it.
struct Join {
    first: char,
    /// Length of the joined text, in characters.
    len: u32,
    a: u32,
    b: u32,
    /// Its slot in the spans.
    slot: u32,
}

/// A distinct long word of the text, by the number of its forms: 20 bytes.
struct LongWord {
    first: char,
    /// Length of its surface form, in characters.
    len: u32,
    /// [`letter_bits`] of its surface form.
    letters: u32,
    /// [`Word::id`] of its forms.
    form: u32,
    /// Its slot in the spans.
    slot: u32,
}

impl LongWord {
    fn new(raw: &str, form: u32, slot: u32) -> Self {
        LongWord {
            first: raw.chars().next().unwrap_or(' '),
            len: char_len(raw) as u32,
            letters: letter_bits(raw),
            form,
            slot,
        }
    }
}

/// Items grouped by slot: slot `s` holds `spans[starts[s]..starts[s + 1]]`,
/// in the order they were added. The items are word positions (`u32`) or
/// spans of words.
#[derive(Default)]
struct Grouped<T> {
    starts: Vec<u32>,
    spans: Vec<T>,
}

impl<T: Copy + Default> Grouped<T> {
    /// Groups `(slot, item)` pairs (slots below `slots`) by slot, keeping
    /// their order within a slot. The items are walked twice (count, then
    /// place), so a caller can derive them instead of storing them.
    fn new(slots: usize, items: impl Iterator<Item = (u32, T)> + Clone) -> Self {
        let mut counts = vec![0u32; slots];
        for (slot, _) in items.clone() {
            counts[slot as usize] += 1;
        }
        let mut placing = Self::placing(&counts);
        for (slot, item) in items {
            placing.place(slot, item);
        }
        placing.grouped
    }

    /// Room for `counts[s]` items in each slot `s`, to be placed in order.
    fn placing(counts: &[u32]) -> Placing<T> {
        let mut starts = Vec::with_capacity(counts.len() + 1);
        let mut total = 0u32;
        starts.push(0);
        for &c in counts {
            total += c;
            starts.push(total);
        }
        Placing {
            next: starts[..counts.len()].to_vec(),
            grouped: Grouped {
                starts,
                spans: vec![T::default(); total as usize],
            },
        }
    }

    fn get(&self, slot: u32) -> &[T] {
        let s = slot as usize;
        &self.spans[self.starts[s] as usize..self.starts[s + 1] as usize]
    }
}

/// A [`Grouped`] being filled: the next free place of each slot.
struct Placing<T> {
    grouped: Grouped<T>,
    next: Vec<u32>,
}

impl<T> Placing<T> {
    fn place(&mut self, slot: u32, item: T) {
        let next = &mut self.next[slot as usize];
        self.grouped.spans[*next as usize] = item;
        *next += 1;
    }
}

impl<'a> WordIndex<'a> {
    /// The index of `text`, with every joined pair of speech.
    pub fn new(text: &'a AnalyzedText) -> Self {
        Self::build(text, None)
    }

    /// The index of `text` for looking up the phrases `filters` were
    /// built from: the same lookups, with only the words and joined pairs
    /// of speech they could match kept. A lookup of any other phrase finds
    /// less than it should.
    pub fn for_phrases(text: &'a AnalyzedText, filters: &[&PhraseFilter]) -> Self {
        Self::build(text, Some(filters))
    }

    fn build(text: &'a AnalyzedText, filter: Option<&[&PhraseFilter]>) -> Self {
        const NONE: u32 = u32::MAX;
        // A form no word has reached yet (no slot is numbered this high).
        const UNSEEN: u32 = u32::MAX - 1;
        // The text's distinct forms; the stems kept are at most as many,
        // and the maps of them start small (a large text filtered for
        // phrases keeps few).
        let distinct = text.form_count();
        // Which words a large text keeps: those the phrases could match.
        let words_filter = filter.filter(|_| text.words().len() > KEEP_SLOTS_UP_TO);
        let mut by_stem: hashbrown::HashTable<(u64, u32, u32)> =
            hashbrown::HashTable::with_capacity(distinct.min(4096));
        // Room for the long words of an answer at once (they are a part of
        // its distinct forms), bounded for a large text.
        let mut long_words: Vec<LongWord> = Vec::with_capacity(distinct.min(1024));
        // Occurrences of one word share the number of their forms: its
        // slots are looked up once, by that number, instead of hashing its
        // text at every use.
        let mut by_forms: Vec<(u32, u32)> = vec![(UNSEEN, 0); distinct];
        // Occurrences per stem and per long word, counted in the first
        // walk; the second places them. The slots of each word are kept for
        // the second walk up to `KEEP_SLOTS_UP_TO` words; a larger text
        // looks them up again instead of holding 8 bytes a word more.
        let mut stem_counts: Vec<u32> = Vec::with_capacity(distinct.min(4096));
        let mut long_counts: Vec<u32> = Vec::with_capacity(distinct.min(1024));
        let keep_slots = text.words().len() <= KEEP_SLOTS_UP_TO;
        let mut word_slots: Vec<(u32, u32)> = Vec::new();
        if keep_slots {
            word_slots.reserve_exact(text.words().len());
        }
        // For speech: the length and letters of each form's surface form,
        // and each distinct pair of neighbouring words by the numbers of
        // their forms.
        let mut forms: Vec<(u32, u32)> = if text.spoken {
            vec![(0, 0); distinct]
        } else {
            Vec::new()
        };
        // Walked by the numbers of the words' forms: a word's forms are
        // read the first time its number comes.
        for id in text.word_ids() {
            let (stem_slot, long_slot) = match by_forms[id as usize] {
                slots if slots.0 != UNSEEN => slots,
                _ if text.forms_of(id).raw.is_empty() && text.forms_of(id).stem.is_empty() => {
                    // Absorbed by a speech repair: no word, and no gap either.
                    by_forms[id as usize] = (NONE, NONE);
                    (NONE, NONE)
                }
                _ => {
                    let w = text.forms_of(id);
                    let next = by_stem.len() as u32;
                    let stem_slot = if w.stem.is_empty()
                        || words_filter.is_some_and(|f| !f.iter().any(|f| f.has_stem(&w.stem)))
                    {
                        NONE
                    } else {
                        let (key, stem) = (w.key, &*w.stem);
                        let same =
                            |e: &(u64, u32, u32)| e.0 == key && *text.forms_of(e.1).stem == *stem;
                        by_stem
                            .entry(key, same, |e| e.0)
                            .or_insert((key, id, next))
                            .get()
                            .2
                    };
                    // Forms of the same surface form under two numbers
                    // (read from text of two lengths) are two long words:
                    // a lookup takes the positions of both.
                    let long_slot = if !w.stem.is_empty() && w.raw.len() + 1 >= FUZZY_MIN_LEN {
                        let next = long_words.len() as u32;
                        let long = LongWord::new(&w.raw, id, next);
                        if words_filter
                            .is_none_or(|f| f.iter().any(|f| f.admits_long(&long, &w.raw, &w.stem)))
                        {
                            long_words.push(long);
                            next
                        } else {
                            NONE
                        }
                    } else {
                        NONE
                    };
                    if text.spoken {
                        forms[id as usize] = (char_len(&w.raw) as u32, letter_bits(&w.raw));
                    }
                    by_forms[id as usize] = (stem_slot, long_slot);
                    (stem_slot, long_slot)
                }
            };
            if keep_slots {
                word_slots.push((stem_slot, long_slot));
            }
            if stem_slot != NONE {
                if stem_slot as usize == stem_counts.len() {
                    stem_counts.push(0);
                }
                stem_counts[stem_slot as usize] += 1;
            }
            if long_slot != NONE {
                if long_slot as usize == long_counts.len() {
                    long_counts.push(0);
                }
                long_counts[long_slot as usize] += 1;
            }
        }
        // For speech: each distinct pair of neighbouring words by the
        // numbers of their forms (only the pairs a phrase word could match
        // are kept), and where each kept pair occurs: listed as they are
        // found up to `KEEP_SLOTS_UP_TO` words, counted and then placed in a
        // second walk beyond (a list of a long transcript's pairs held
        // twelve bytes a pair more).
        let mut pairs: HashMap<(u32, u32), u32> = HashMap::default();
        let mut joins: Vec<Join> = Vec::new();
        let mut pair_at: Vec<(u32, Span)> = Vec::new();
        let mut pair_counts: Vec<u32> = Vec::new();
        let mut joined = String::new();
        for (p_i, p_id, i, id) in speech_pairs(text) {
            let (a, b) = (
                text.forms_of(p_id).raw.as_ref(),
                text.forms_of(id).raw.as_ref(),
            );
            let ((a_len, a_letters), (b_len, b_letters)) =
                (forms[p_id as usize], forms[id as usize]);
            let first = a.chars().next().unwrap_or(' ');
            let len = a_len + b_len;
            if filter.is_some_and(|f| !f.iter().any(|f| f.may_admit(first, len))) {
                continue;
            }
            // A pair no phrase word matches is remembered as such.
            let slot = *pairs.entry((p_id, id)).or_insert_with(|| {
                let pair = (first, len, a_letters | b_letters);
                if filter.is_some_and(|f| !f.iter().any(|f| f.admits(&mut joined, a, b, pair))) {
                    return NONE;
                }
                joins.push(Join {
                    first,
                    len,
                    a: p_id,
                    b: id,
                    slot: joins.len() as u32,
                });
                pair_counts.push(0);
                joins.len() as u32 - 1
            });
            if slot == NONE {
                continue;
            }
            if keep_slots {
                pair_at.push((slot, (p_i, i)));
            } else {
                pair_counts[slot as usize] += 1;
            }
        }
        let join_spans = if keep_slots {
            Grouped::new(joins.len(), pair_at.into_iter())
        } else {
            let mut spans = Grouped::placing(&pair_counts);
            for (p_i, p_id, i, id) in speech_pairs(text) {
                match pairs.get(&(p_id, id)) {
                    Some(&slot) if slot != NONE => spans.place(slot, (p_i, i)),
                    _ => {}
                }
            }
            spans.grouped
        };
        drop(pairs);
        let mut stems = Grouped::placing(&stem_counts);
        let mut long_spans = Grouped::placing(&long_counts);
        let mut place = |i: usize, (stem_slot, long_slot): (u32, u32)| {
            if stem_slot != NONE {
                stems.place(stem_slot, i as u32);
            }
            if long_slot != NONE {
                long_spans.place(long_slot, i as u32);
            }
        };
        if keep_slots {
            word_slots
                .iter()
                .enumerate()
                .for_each(|(i, &slots)| place(i, slots));
        } else {
            for (i, id) in text.word_ids().enumerate() {
                let (stem_slot, long_slot) = by_forms[id as usize];
                if stem_slot != UNSEEN {
                    place(i, (stem_slot, long_slot));
                }
            }
        }
        let (stems, long_spans) = (stems.grouped, long_spans.grouped);
        // By first letter, then length: the order lookups search (the
        // positions a lookup finds are sorted, so the order among words of
        // one letter and length does not matter).
        long_words.sort_unstable_by_key(|l| (l.first, l.len, l.form));
        let mut long_from = [0u32; 129];
        let mut k = 0;
        for (c, from) in long_from.iter_mut().enumerate() {
            while long_words.get(k).is_some_and(|l| (l.first as usize) < c) {
                k += 1;
            }
            *from = k as u32;
        }
        joins.sort_unstable_by_key(|j| (j.first, j.len, j.slot));
        if joins.is_empty() {
            forms = Vec::new();
        }
        WordIndex {
            text,
            by_stem,
            stems,
            long_words,
            long_from,
            long_spans,
            forms,
            joins,
            join_spans,
        }
    }

    pub fn text(&self) -> &'a AnalyzedText {
        self.text
    }

    /// The long words whose surface form starts with `first`, by length.
    fn long_words_of(&self, first: char) -> &[LongWord] {
        let c = first as usize;
        let list = &self.long_words;
        if c < 128 {
            &list[self.long_from[c] as usize..self.long_from[c + 1] as usize]
        } else {
            let wide = &list[self.long_from[128] as usize..];
            let from = wide.partition_point(|l| l.first < first);
            let to = from + wide[from..].partition_point(|l| l.first == first);
            &wide[from..to]
        }
    }

    /// Spans of answer words matching a phrase word; the flag says whether
    /// some matched only fuzzily or through joined words.
    fn positions(&self, w: &PWord) -> (Positions<'_>, bool) {
        let exact: &[u32] = self
            .by_stem
            .find(w.key, |e| {
                e.0 == w.key && *self.text.forms_of(e.1).stem == w.stem
            })
            .map_or(&[], |&(_, _, slot)| self.stems.get(slot));
        if !w.fuzzy && self.joins.is_empty() {
            return (Positions::Words(exact), false);
        }
        let allowed = w.allowed();
        // Only words of the same first letter whose length is within the
        // edits allowed (the same length for an exact match).
        let window = |reach: usize| {
            (
                (w.first, w.len.saturating_sub(reach)),
                (w.first, w.len + reach),
            )
        };
        let mut extra: Vec<Span> = Vec::new();
        if w.fuzzy {
            let (lo, hi) = (w.len.saturating_sub(allowed), w.len + allowed);
            let list = self.long_words_of(w.first);
            let from = list.partition_point(|l| (l.len as usize) < lo);
            for l in list[from..].iter().take_while(|l| l.len as usize <= hi) {
                if (l.letters ^ w.letters).count_ones() as usize > 2 * allowed {
                    continue;
                }
                let forms = self.text.forms_of(l.form);
                if *forms.stem != w.stem
                    && *forms.raw != w.raw
                    && within_edits(&forms.raw, &w.raw, allowed)
                {
                    extra.extend(self.long_spans.get(l.slot).iter().map(|&i| (i, i)));
                }
            }
        }
        let (lo, hi) = window(w.reach());
        let list = &self.joins;
        let from = list.partition_point(|j| (j.first, j.len as usize) < lo);
        let mut joined = String::new();
        for j in list[from..]
            .iter()
            .take_while(|j| (j.first, j.len as usize) <= hi)
        {
            let (a, b) = (self.text.forms_of(j.a), self.text.forms_of(j.b));
            let letters = self.forms[j.a as usize].1 | self.forms[j.b as usize].1;
            if pair_matches(&mut joined, &a.raw, &b.raw, letters, w) {
                extra.extend_from_slice(self.join_spans.get(j.slot));
            }
        }
        if extra.is_empty() {
            return (Positions::Words(exact), false);
        }
        extra.extend(exact.iter().map(|&i| (i, i)));
        extra.sort_unstable();
        extra.dedup();
        (Positions::Spans(extra), true)
    }
}

/// Each pair of neighbouring words of speech within one sentence, as
/// `(first word, number of its forms, second word, number of its forms)`:
/// words absorbed by a speech repair are passed over (they leave no gap),
/// and written text has none.
fn speech_pairs(text: &AnalyzedText) -> impl Iterator<Item = (u32, u32, u32, u32)> + '_ {
    // The sentences begun so far (which labels the current word's
    // sentence), where the current one ends, and the previous live word:
    // its form number, sentence and position.
    let (mut sentence, mut sentence_end) = (0u32, 0usize);
    let mut prev: Option<(u32, u32, u32)> = None;
    let words = if text.spoken { text.words().len() } else { 0 };
    text.words_in(0..words)
        .enumerate()
        .filter_map(move |(i, w)| {
            while i >= sentence_end {
                let Some(s) = text.sentences.get(sentence as usize) else {
                    break;
                };
                sentence_end = s.first_word + s.word_count;
                sentence += 1;
            }
            if w.raw().is_empty() {
                return None;
            }
            let i = i as u32;
            let pair = prev
                .filter(|&(_, s, _)| s == sentence)
                .map(|(p_id, _, p_i)| (p_i, p_id, i, w.id));
            prev = Some((w.id, sentence, i));
            pair
        })
}

/// Whether `a` and `b` are at most `allowed` OSA edits apart. Strips the
/// common prefix and suffix first: with k edits the differing middles are at
/// most 2k characters long, which rules most pairs out without strsim.
fn within_edits(a: &str, b: &str, allowed: usize) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let prefix = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let (x, y) = (&x[prefix..], &y[prefix..]);
    let suffix = x
        .iter()
        .rev()
        .zip(y.iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    let (mx, my) = (x.len() - suffix.min(x.len()), y.len() - suffix.min(y.len()));
    // Bytes bound characters from above, so this only rules out true negatives.
    if mx.max(my) > 2 * allowed * 4 || (a.is_ascii() && b.is_ascii() && mx.max(my) > 2 * allowed) {
        return false;
    }
    strsim::osa_distance(a, b) <= allowed
}

/// Cue phrases and patterns that say which sentences they occur in (used
/// to label STAR components).
#[derive(Debug, Clone)]
pub struct CueSet {
    entries: CompiledEntries,
}

impl CueSet {
    /// Adds the joined pairs of speech its phrases could match to `f`.
    pub fn add_to(&self, f: &mut PhraseFilter) {
        f.add_entries(&self.entries);
    }
}

impl CueSet {
    pub fn new(analyzer: &mut Analyzer, phrases: &[Phrase], patterns: &[Pattern]) -> Self {
        CueSet {
            entries: compile_entries(analyzer, phrases, &[], patterns, 1, false),
        }
    }

    /// For each sentence, how many different cues occur in it.
    pub fn per_sentence(&self, index: &WordIndex<'_>) -> Vec<u32> {
        let text = index.text;
        let mut counts = vec![0u32; text.sentences.len()];
        let mut seen = vec![usize::MAX; text.sentences.len()];
        for (e, phrase) in self.entries.phrases.iter().enumerate() {
            let Some((lists, _)) = phrase_lists(&phrase.words, index) else {
                continue;
            };
            let mut chain = Vec::with_capacity(lists.len());
            for p in lists[0].iter() {
                let s = text.sentence_of(p.0 as usize);
                if seen[s] == e {
                    continue;
                }
                chain.clear();
                chain.push(p);
                if extend(
                    &lists,
                    1,
                    phrase.gap,
                    sentence_limit(text, &lists, p),
                    &mut chain,
                ) {
                    seen[s] = e;
                    counts[s] += 1;
                }
            }
        }
        for (_, regex) in &self.entries.patterns {
            let Some(regex) = regex.get() else { continue };
            for (i, s) in text.sentences.iter().enumerate() {
                if regex.is_match(&text.text[s.start..s.end]) {
                    counts[i] += 1;
                }
            }
        }
        counts
    }
}

/// Words that, just before a red-flag phrase, turn it around ("never restart all servers").
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "t", "avoid", "avoided", "avoiding", "without", "instead", "against",
    "nor", "rather", "stop", "don", "shouldn", "wouldn", "isn",
];

fn negated(text: &AnalyzedText, first_word: usize) -> bool {
    let start = text.sentences[text.sentence_of(first_word)].first_word;
    let from = first_word.saturating_sub(4).max(start);
    text.words_in(from..first_word)
        .any(|w| NEGATIONS.contains(&w.raw()))
}

fn find(entries: &CompiledEntries, index: &WordIndex<'_>) -> Found {
    let text = index.text;
    let mut hits = Vec::with_capacity(entries.phrases.len().min(16));
    for phrase in &entries.phrases {
        if let Some(hit) = find_phrase(phrase, index, entries.negatable) {
            hits.push(hit);
        }
    }
    for (source, regex) in &entries.patterns {
        let Some(regex) = regex.get() else { continue };
        'sentences: for (i, s) in text.sentences.iter().enumerate() {
            let sentence = &text.text[s.start..s.end];
            for m in regex.find_iter(sentence) {
                if m.as_str().trim().is_empty() {
                    continue;
                }
                let start = s.start + m.start();
                if entries.negatable {
                    let first = text
                        .sentence_words(i)
                        .position(|w| w.end as usize > start)
                        .map(|k| s.first_word + k);
                    if first.is_some_and(|k| negated(text, k)) {
                        continue;
                    }
                }
                hits.push(Hit {
                    entry: source.clone(),
                    via: Via::Pattern,
                    fuzzy: false,
                    stt: false,
                    sentence: i,
                    start,
                    end: s.start + m.end(),
                });
                break 'sentences;
            }
        }
    }
    // Exact hits before fuzzy ones on the same words, so evidence shows them.
    hits.sort_by(|a, b| {
        (a.start, a.fuzzy, a.end, &a.entry).cmp(&(b.start, b.fuzzy, b.end, &b.entry))
    });
    // Entries count as different only where they match different words:
    // "token bucket" and "bucket" on the same words are one piece of evidence.
    let mut distinct = 0;
    let mut covered_to = 0;
    for h in &hits {
        if distinct == 0 || h.start >= covered_to {
            distinct += 1;
        }
        covered_to = covered_to.max(h.end);
    }
    Found {
        matched: distinct >= entries.min && distinct > 0,
        distinct,
        hits,
    }
}

fn find_phrase(phrase: &CompiledPhrase, index: &WordIndex<'_>, negatable: bool) -> Option<Hit> {
    let variants = std::iter::once((&phrase.words, false)).chain(
        phrase
            .joined
            .iter()
            .filter(|_| index.text.spoken)
            .map(|v| (v, true)),
    );
    for (pwords, joined) in variants {
        if let Some(hit) = find_words(phrase, pwords, joined, index, negatable) {
            return Some(hit);
        }
    }
    None
}

fn find_words(
    phrase: &CompiledPhrase,
    pwords: &[PWord],
    joined: bool,
    index: &WordIndex<'_>,
    negatable: bool,
) -> Option<Hit> {
    let (lists, loose) = phrase_lists(pwords, index)?;
    let text = index.text;
    let mut chain: Vec<Span> = Vec::with_capacity(lists.len());
    for p in lists[0].iter() {
        chain.clear();
        chain.push(p);
        if !extend(
            &lists,
            1,
            phrase.gap,
            sentence_limit(text, &lists, p),
            &mut chain,
        ) {
            continue;
        }
        let first = chain[0].0 as usize;
        if negatable && negated(index.text, first) {
            continue;
        }
        let last = chain.last().expect("chain is not empty").1 as usize;
        // How this chain matched: through speech repairs, or a spelling slip.
        let mut stt = joined;
        let mut fuzzy = false;
        for (&(a, b), w) in chain.iter().zip(pwords) {
            let word = text.word(a as usize);
            if a != b || text.is_heard(a as usize) {
                stt = true;
            } else if loose && *word.stem() != *w.stem {
                fuzzy = true;
            }
        }
        return Some(Hit {
            entry: phrase.text.clone(),
            via: phrase.via,
            fuzzy,
            stt,
            sentence: text.sentence_of(first),
            start: text.word(first).start as usize,
            end: text.word(last).end as usize,
        });
    }
    None
}

/// The spans of each word of a phrase, or `None` when a word is absent; the
/// flag says whether any matched loosely (fuzzy or joined).
fn phrase_lists<'i>(pwords: &[PWord], index: &'i WordIndex<'_>) -> Option<(Lists<'i>, bool)> {
    if pwords.is_empty() {
        return None;
    }
    let mut lists = Lists::new();
    let mut loose = false;
    for w in pwords {
        let (positions, f) = index.positions(w);
        if positions.is_empty() {
            return None;
        }
        loose |= f;
        lists.push(positions);
    }
    Some((lists, loose))
}

/// The position lists of a phrase's words (most phrases are short).
type Lists<'i> = smallvec::SmallVec<[Positions<'i>; 4]>;

/// Where a phrase word occurs in an answer, in text order: words of the
/// index (word `i` is the span `(i, i)`), or spans once fuzzy or joined
/// matches are merged in.
enum Positions<'i> {
    Words(&'i [u32]),
    Spans(Vec<Span>),
}

impl Positions<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Positions::Words(w) => w.is_empty(),
            Positions::Spans(s) => s.is_empty(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = Span> + '_ {
        self.starting_at(0)
    }

    /// The positions that start after word `prev`.
    fn after(&self, prev: u32) -> impl Iterator<Item = Span> + '_ {
        self.starting_at(match self {
            Positions::Words(w) => w.partition_point(|&q| q <= prev),
            Positions::Spans(s) => s.partition_point(|&(q, _)| q <= prev),
        })
    }

    /// The positions from the `k`-th on.
    fn starting_at(&self, k: usize) -> impl Iterator<Item = Span> + '_ {
        let (words, spans) = match self {
            Positions::Words(w) => (&w[k..], &[][..]),
            Positions::Spans(s) => (&[][..], &s[k..]),
        };
        words.iter().map(|&i| (i, i)).chain(spans.iter().copied())
    }
}

/// Where the sentence of a chain starting at `first` ends (one past its
/// last word); only looked up when the phrase has more than one word.
fn sentence_limit(text: &AnalyzedText, lists: &[Positions<'_>], first: Span) -> u32 {
    if lists.len() > 1 {
        text.sentence_end(first.0 as usize) as u32
    } else {
        0
    }
}

/// Extends `chain` with a position of each further phrase word, each at
/// most `gap` words after the one before and before word `limit` (the end
/// of the sentence).
fn extend(
    lists: &[Positions<'_>],
    level: usize,
    gap: usize,
    limit: u32,
    chain: &mut Vec<Span>,
) -> bool {
    if level == lists.len() {
        return true;
    }
    let prev = chain.last().expect("chain is not empty").1;
    for q in lists[level].after(prev) {
        if (q.0 - prev - 1) as usize > gap || q.0 >= limit {
            break;
        }
        chain.push(q);
        if extend(lists, level + 1, gap, limit, chain) {
            return true;
        }
        chain.pop();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rubric::parse;
    use std::path::Path;

    proptest::proptest! {
        /// The letter-bit filter never turns away a word within the edits
        /// allowed (small alphabets, so that near words are common).
        #[test]
        fn letter_bits_keep_every_word_within_the_edits(
            a in "[abcdé0]{0,9}",
            b in "[abcdé0]{0,9}",
            allowed in 1usize..=2,
        ) {
            if strsim::osa_distance(&a, &b) <= allowed {
                let differ = (letter_bits(&a) ^ letter_bits(&b)).count_ones() as usize;
                proptest::prop_assert!(differ <= 2 * allowed, "{a:?} {b:?}");
            }
        }
    }

    fn rubric(concepts: &str) -> Rubric {
        let src = format!("question = \"Q\"\n{concepts}");
        parse(Path::new("t.toml"), &src).unwrap()
    }

    fn matches(concepts: &str, answer: &str) -> Vec<Found> {
        let r = rubric(concepts);
        let mut analyzer = Analyzer::new();
        let compiled = CompiledRubric::new(&r, &mut analyzer);
        let text = analyzer.analyze(answer);
        let index = WordIndex::new(&text);
        compiled.match_concepts(&index)
    }

    /// Speech a transcript split ("micro services", "idem potency") or
    /// misspelt: an index keeping only the pairs the rubric's phrases could
    /// match finds what an index of every pair finds, from fewer pairs.
    #[test]
    fn an_index_for_the_phrases_finds_what_an_index_of_every_pair_finds() {
        let r = rubric(
            "[[concept]]\nid = \"a\"\nphrases = [\"microservices\"]\n\
             [[concept]]\nid = \"b\"\nphrases = [\"idempotency key\"]\n\
             [[concept]]\nid = \"c\"\nphrases = [\"downstream dependency\"]\n\
             [[concept]]\nid = \"d\"\nphrases = [\"dead letter queue\"]\n\
             [[concept]]\nid = \"e\"\nphrases = [\"canary release\"]\n",
        );
        let mut analyzer = Analyzer::new();
        let compiled = CompiledRubric::new(&r, &mut analyzer);
        let text = analyzer.analyze_spoken_string(
            "so we split the monolith into micro services and um the failures go to a \
             deadletter queue and every retry carries an idem potency key so the \
             consumer can tell and the breaker trips when a down stream dependancy \
             is slow and we ship with a blue green deploy"
                .to_string(),
        );
        let all = WordIndex::new(&text);
        let some = WordIndex::for_phrases(&text, &[compiled.phrase_filter()]);
        let found = compiled.match_concepts(&some);
        assert_eq!(found, compiled.match_concepts(&all));
        let matched: Vec<bool> = found.iter().map(|f| f.matched).collect();
        assert_eq!(matched, [true, true, true, true, false]);
        assert!(!some.joins.is_empty() && some.joins.len() * 4 < all.joins.len());
    }

    /// A text of more words than [`KEEP_SLOTS_UP_TO`]: an index for the
    /// phrases keeps only the stems and long words they could match, and
    /// every lookup of their words (exact, fuzzy, joined) finds what an
    /// index of every word finds.
    #[test]
    fn a_large_index_for_the_phrases_keeps_only_what_they_could_match() {
        let r = rubric(
            "[[concept]]\nid = \"a\"\nphrases = [\"idempotency key\"]\n\
             [[concept]]\nid = \"b\"\nphrases = [\"kubernetes\", \"retry\"]\n\
             [[concept]]\nid = \"c\"\nphrases = [\"microservices\"]\n",
        );
        let mut analyzer = Analyzer::new();
        let compiled = CompiledRubric::new(&r, &mut analyzer);
        for spoken in [false, true] {
            let mut speech = String::new();
            let mut n = 0;
            while n <= KEEP_SLOTS_UP_TO {
                // Misspelt, split and inflected forms of the phrase words,
                // among words no phrase could match (a new number each time).
                speech.push_str(&format!(
                    "we retried with the idempotancy keys on kuberentes and micro services \
                     number {n} then checked the dashboard again\n"
                ));
                n += 17;
            }
            let text = if spoken {
                analyzer.analyze_spoken_string(speech)
            } else {
                analyzer.analyze_string(speech)
            };
            assert!(text.words().len() > KEEP_SLOTS_UP_TO);
            let all = WordIndex::new(&text);
            let some = WordIndex::for_phrases(&text, &[compiled.phrase_filter()]);
            for c in &compiled.concepts {
                for p in &c.phrases {
                    for w in p.words.iter().chain(p.joined.iter().flatten()) {
                        let (kept, kept_loose) = some.positions(w);
                        let (every, every_loose) = all.positions(w);
                        assert_eq!(
                            kept.iter().collect::<Vec<_>>(),
                            every.iter().collect::<Vec<_>>()
                        );
                        assert_eq!(kept_loose, every_loose, "{}", w.raw);
                    }
                }
            }
            let found = compiled.match_concepts(&some);
            assert_eq!(found, compiled.match_concepts(&all));
            // "micro services" reads as "microservices" in speech only.
            let matched: Vec<bool> = found.iter().map(|f| f.matched).collect();
            assert_eq!(matched, [true, true, spoken]);
            // The numbers, "dashboard", "checked" … are not kept.
            assert!(some.by_stem.len() * 2 < all.by_stem.len());
            assert!(some.long_words.len() * 2 < all.long_words.len());
        }
    }

    fn one(phrases: &str, answer: &str) -> bool {
        matches(
            &format!("[[concept]]\nid = \"c\"\nphrases = [{phrases}]\n"),
            answer,
        )[0]
        .matched
    }

    #[test]
    fn stems_and_case() {
        assert!(one("\"retry\"", "We RETRIED it."));
        assert!(one(
            "\"dead-letter queue\"",
            "Failures go to dead letter queues."
        ));
    }

    #[test]
    fn words_in_order_with_small_gap() {
        assert!(one(
            "\"retry with jitter\"",
            "Retry them with some random jitter."
        ));
        assert!(!one("\"retry with jitter\"", "Jitter with retry."));
        assert!(!one("\"retry jitter\"", "Retry a b c d jitter."));
        assert!(one("\"retry jitter~4\"", "Retry a b c d jitter."));
        assert!(!one("\"same result~0\"", "the same final result"));
    }

    #[test]
    fn phrase_stays_within_one_sentence() {
        assert!(!one("\"retry jitter\"", "We retry. Jitter helps."));
    }

    #[test]
    fn fuzzy_long_words_only() {
        assert!(one("\"kubernetes\"", "We ran it on Kuberentes."));
        assert!(one("\"idempotency\"", "Idempotancy matters."));
        assert!(!one("\"cache\"", "Pay in cash."));
        assert!(!one("\"kubernetes\"", "We ran it on Nubernetes."));
    }

    #[test]
    fn word_index_keeps_or_looks_up_slots_alike() {
        // Short texts keep each word's slots while the index is built;
        // longer ones look them up again: the positions are the same.
        let mut analyzer = Analyzer::new();
        let sentence = "We retry with one idempotency key. Idempotancy keys retry! ";
        for repeats in [2, KEEP_SLOTS_UP_TO / 9 + 1] {
            let t = analyzer.analyze(&sentence.repeat(repeats));
            assert_eq!(t.words().len() > KEEP_SLOTS_UP_TO, repeats > 2);
            let index = WordIndex::new(&t);
            for (phrase, raws) in [
                ("retry", &["retry"][..]),
                ("key", &["key", "keys"]),
                ("idempotency", &["idempotency", "idempotancy"]),
            ] {
                let w = pword(analyzer.words(phrase).remove(0));
                let (found, _) = index.positions(&w);
                let expected: Vec<Span> = (0..t.words().len() as u32)
                    .filter(|&i| raws.contains(&t.word(i as usize).raw()))
                    .map(|i| (i, i))
                    .collect();
                assert_eq!(found.iter().collect::<Vec<_>>(), expected, "{phrase}");
            }
        }
    }

    #[test]
    fn edit_filter_agrees_with_strsim() {
        let words = [
            "kubernetes",
            "kuberentes",
            "kubernets",
            "idempotency",
            "idempotancy",
            "idempotent",
            "replication",
            "replicaton",
            "caching",
            "catching",
            "naïveté",
            "naivete",
        ];
        for a in words {
            for b in words {
                for k in 1..=2 {
                    assert_eq!(
                        within_edits(a, b, k),
                        strsim::osa_distance(a, b) <= k,
                        "{a} {b} {k}"
                    );
                }
            }
        }
    }

    #[test]
    fn exact_words_are_not_flagged_fuzzy() {
        // Regression (sample review): a typo elsewhere in the sentence marked
        // an exact match as a spelling match.
        let c = "[[concept]]\nid = \"m\"\nphrases = [\"max connections\", \"connections\"]\n";
        let found = &matches(
            c,
            "Postgres has max_connections, and too many conections fail.",
        )[0];
        assert!(found.hits.iter().all(|h| !h.fuzzy), "{:?}", found.hits);
    }

    #[test]
    fn min_counts_distinct_entries() {
        let c = "[[concept]]\nid = \"algos\"\nmin = 2\nphrases = [\"token bucket\", \"leaky bucket\", \"sliding window\"]\n";
        assert!(!matches(c, "We used a token bucket. A token bucket again.")[0].matched);
        let found = &matches(c, "A token bucket or a sliding window.")[0];
        assert!(found.matched);
        assert_eq!(found.distinct, 2);
        // Overlapping entries, or spellings of one word, are one piece of evidence.
        let c = "[[concept]]\nid = \"o\"\nmin = 2\nphrases = [\"token bucket\", \"bucket\", \"buckets\"]\n";
        assert!(!matches(c, "A token bucket.")[0].matched);
    }

    #[test]
    fn patterns_and_evidence_positions() {
        let c = "[[concept]]\nid = \"eo\"\npatterns = ['exactly[- ]once']\n";
        let found = &matches(c, "Intro.\nWe aim for exactly-once.")[0];
        assert!(found.matched);
        assert_eq!(found.hits[0].via, Via::Pattern);
        assert_eq!(found.hits[0].sentence, 1);
        assert_eq!(found.hits[0].start, 18);
    }

    #[test]
    fn technical_terms() {
        assert!(one("\"C++\"", "I wrote it in C++."));
        assert!(!one("\"C++\"", "I wrote it in C."));
        assert!(!one("\"C#\"", "I wrote it in C++."));
        assert!(one(
            "\"X-RateLimit-Remaining\"",
            "Send the x-ratelimit-remaining header."
        ));
        assert!(one("\"acks=all\"", "Set acks = all on the producer."));
        assert!(one("\"p99\"", "Watch P99 latency."));
    }

    #[test]
    fn red_flags_skip_negated_mentions() {
        let r = rubric(
            "[[concept]]\nid = \"c\"\nphrases = [\"x\"]\n[[red_flag]]\nid = \"f\"\nphrases = [\"restart all servers\"]\n",
        );
        let mut analyzer = Analyzer::new();
        let compiled = CompiledRubric::new(&r, &mut analyzer);
        for (answer, expected) in [
            ("Then restart all the servers.", true),
            ("Never restart all the servers at once.", false),
        ] {
            let text = analyzer.analyze(answer);
            let found = compiled.match_red_flags(&WordIndex::new(&text));
            assert_eq!(found[0].matched, expected, "{answer}");
        }
    }

    #[test]
    fn sounds_like_is_marked() {
        let c = "[[concept]]\nid = \"k\"\nphrases = [\"kubernetes\"]\nsounds_like = [\"cooper netties\"]\n";
        let found = &matches(c, "we deployed on cooper netties")[0];
        assert!(found.matched);
        assert_eq!(found.hits[0].via, Via::SoundsLike);
    }
}
