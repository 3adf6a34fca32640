//! Text analysis: sentences, tokens and their normalized (stemmed) forms.
//!
//! Rubric phrases and answers go through the same tantivy pipeline
//! (tokenize → lowercase → ASCII-fold → English stem), so both sides are
//! normalized the same way. The tokenizer keeps technical terms whole where
//! tantivy's `SimpleTokenizer` would break them (`C++`, `C#`, `F#`).

#[cfg(test)]
use crate::model::diag::{line_col, line_starts};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// The forms of one distinct word, shared by all its occurrences.
#[derive(Debug, PartialEq, Eq)]
pub struct Forms {
    /// Lowercased, folded surface form, used for fuzzy comparison.
    pub raw: Arc<str>,
    /// Normalized form: lowercased, folded, stemmed. Matching compares these.
    pub stem: Arc<str>,
    /// Which word lists `raw` is on ([`crate::model::words::class`] bits).
    pub class: u16,
    /// [`stem_key`] of `stem`, computed once for every occurrence.
    pub key: u64,
}

/// The hash a stem is filed under in a word index: kept with the word's
/// forms and with a phrase word's, so neither is hashed again at a lookup.
/// The stem cache files folded words under it too.
pub fn stem_key(stem: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(stem)
}

impl Forms {
    pub fn new(raw: Arc<str>, stem: Arc<str>, class: u16) -> Arc<Forms> {
        let key = stem_key(&stem);
        Arc::new(Forms {
            raw,
            stem,
            class,
            key,
        })
    }

    /// Whether `raw` is on the word list(s) of `bits`.
    pub fn is(&self, bits: u16) -> bool {
        self.class & bits != 0
    }

    /// The forms of a word absorbed by a speech-to-text repair: empty.
    pub fn absorbed() -> Arc<Forms> {
        static EMPTY: std::sync::OnceLock<Arc<Forms>> = std::sync::OnceLock::new();
        EMPTY
            .get_or_init(|| Forms::new(Arc::from(""), Arc::from(""), 0))
            .clone()
    }
}

/// A word of a phrase (a rubric's, a glossary's, a filler list's): its
/// forms, shared with every other occurrence of the word, and its byte
/// range in the phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedWord {
    pub forms: Arc<Forms>,
    pub start: u32,
    pub end: u32,
}

impl OwnedWord {
    /// Normalized form: lowercased, folded, stemmed. Matching compares these.
    pub fn stem(&self) -> &str {
        &self.forms.stem
    }

    /// Lowercased, folded surface form, used for fuzzy comparison.
    pub fn raw(&self) -> &str {
        &self.forms.raw
    }

    /// Whether `raw` is on the word list(s) of `bits`.
    pub fn is(&self, bits: u16) -> bool {
        self.forms.is(bits)
    }
}

/// A word of an analyzed text as it is kept: 8 bytes, its byte offset and
/// the number of its forms in the text's table of distinct forms (a word
/// is kept for every few bytes of a large answer). Its end is its start
/// plus the length its forms were read from, kept once per distinct form;
/// its sentence is [`AnalyzedText::sentence_of`], and whether a
/// speech-to-text repair changed it [`AnalyzedText::is_heard`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stored {
    start: u32,
    form: u32,
}

/// One word of an analyzed text, as [`AnalyzedText::word`] gives it out.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub forms: &'a Forms,
    /// The number of the word's forms in its text: two words of one text
    /// with the same number have the same forms.
    pub id: u32,
    /// Byte offsets of the word in the analyzed text (32 bits: answers are
    /// read up to `--max-answer-bytes`, at most 4 GiB).
    pub start: u32,
    pub end: u32,
}

impl<'a> Word<'a> {
    /// Normalized form: lowercased, folded, stemmed. Matching compares these.
    pub fn stem(&self) -> &'a str {
        &self.forms.stem
    }

    /// Lowercased, folded surface form, used for fuzzy comparison.
    pub fn raw(&self) -> &'a str {
        &self.forms.raw
    }

    /// Whether `raw` is on the word list(s) of `bits`.
    pub fn is(&self, bits: u16) -> bool {
        self.forms.is(bits)
    }
}

/// The words of a stretch of an analyzed text, in order.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    words: std::slice::Iter<'a, Stored>,
    forms: &'a [(Arc<Forms>, u32)],
}

/// The word `w` of a text whose forms are `forms`.
#[inline]
fn view(forms: &[(Arc<Forms>, u32)], w: Stored) -> Word<'_> {
    let (f, len) = &forms[w.form as usize];
    Word {
        forms: f,
        id: w.form,
        start: w.start,
        end: w.start + len,
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    #[inline]
    fn next(&mut self) -> Option<Word<'a>> {
        Some(view(self.forms, *self.words.next()?))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.words.size_hint()
    }
}

impl ExactSizeIterator for Words<'_> {}

impl DoubleEndedIterator for Words<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        Some(view(self.forms, *self.words.next_back()?))
    }
}

/// A stretch of a transcript's text that came from one timed segment: 32
/// bytes, one for every cue of a transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Timed {
    /// Byte range in the analyzed text (32-bit, as word offsets).
    start_byte: u32,
    end_byte: u32,
    /// 1-based line of the segment in the transcript file.
    line: u32,
    /// Another speaker spoke just before this segment.
    after_other_speaker: bool,
    /// Seconds; NaN where the segment has no time (transcripts never give
    /// NaN: their times are range-checked numbers).
    start: f64,
    end: f64,
}

impl Timed {
    pub fn new(
        bytes: std::ops::Range<usize>,
        line: usize,
        start: Option<f64>,
        end: Option<f64>,
        after_other_speaker: bool,
    ) -> Timed {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Timed {
            start_byte: small(bytes.start),
            end_byte: small(bytes.end),
            line: small(line),
            after_other_speaker,
            start: start.unwrap_or(f64::NAN),
            end: end.unwrap_or(f64::NAN),
        }
    }

    pub fn start_byte(&self) -> usize {
        self.start_byte as usize
    }

    pub fn end_byte(&self) -> usize {
        self.end_byte as usize
    }

    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// Seconds from the start of the recording.
    pub fn start(&self) -> Option<f64> {
        Some(self.start).filter(|s| !s.is_nan())
    }

    pub fn end(&self) -> Option<f64> {
        Some(self.end).filter(|s| !s.is_nan())
    }

    /// Another speaker spoke just before this segment.
    pub fn after_other_speaker(&self) -> bool {
        self.after_other_speaker
    }
}

/// Where a piece of text is: line and column in the answer file, and for
/// transcripts the time of the segment it was said in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Locus {
    pub line: usize,
    pub column: usize,
    pub start: Option<f64>,
    pub end: Option<f64>,
}

/// A sentence (or list item, or heading) of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the analyzed text.
    pub start: usize,
    pub end: usize,
    /// Range of indices into [`AnalyzedText::words`].
    pub first_word: usize,
    pub word_count: usize,
}

/// A text split into sentences and analyzed words.
#[derive(Debug, Clone)]
pub struct AnalyzedText {
    pub text: String,
    pub sentences: Vec<Sentence>,
    words: Vec<Stored>,
    /// The distinct forms of the text's words, by number, with the byte
    /// length of the text they were read from (a word's end is its start
    /// plus that length).
    forms: Vec<(Arc<Forms>, u32)>,
    /// Byte offsets at which the lines start (32-bit, as word offsets).
    line_starts: Vec<u32>,
    /// For transcripts: which segment each stretch of the text came from.
    pub timeline: Vec<Timed>,
    /// True for speech (transcripts, unpunctuated text): split and joined
    /// words are matched too.
    pub spoken: bool,
    /// [`crate::model::words::count_words`] of `text`, counted once.
    counted_words: usize,
    /// Whether `text` is ASCII (columns are then byte distances).
    ascii: bool,
    /// The words speech-to-text repairs (glossary, spelled-out numbers)
    /// changed; an empty stem marks a word absorbed by a repair.
    heard: FxHashSet<u32>,
    /// The numbers of the forms repairs put in, by their forms and length.
    repairs: FxHashMap<(usize, u32), u32>,
}

impl AnalyzedText {
    /// The text of sentence `i`, trimmed.
    pub fn sentence_text(&self, i: usize) -> &str {
        let s = &self.sentences[i];
        self.text[s.start..s.end].trim()
    }

    /// The words of sentence `i`.
    pub fn sentence_words(&self, i: usize) -> Words<'_> {
        let s = &self.sentences[i];
        self.words_in(s.first_word..s.first_word + s.word_count)
    }

    /// Word `i` of the text.
    #[inline]
    pub fn word(&self, i: usize) -> Word<'_> {
        view(&self.forms, self.words[i])
    }

    /// Word `i` of the text, if there is one.
    pub fn get_word(&self, i: usize) -> Option<Word<'_>> {
        (i < self.words.len()).then(|| self.word(i))
    }

    /// The words of the text, in order.
    pub fn words(&self) -> Words<'_> {
        self.words_in(0..self.words.len())
    }

    /// The words `range` of the text, in order.
    pub fn words_in(&self, range: std::ops::Range<usize>) -> Words<'_> {
        Words {
            words: self.words[range].iter(),
            forms: &self.forms,
        }
    }

    /// The [`Word::id`] of each word, in order: for a walk that needs only
    /// the numbers of the words' forms.
    pub fn word_ids(&self) -> impl ExactSizeIterator<Item = u32> + Clone + '_ {
        self.words.iter().map(|w| w.form)
    }

    /// How many distinct forms the words have: every [`Word::id`] is below it.
    pub fn form_count(&self) -> usize {
        self.forms.len()
    }

    /// The distinct forms of the words, in the order of their numbers (forms
    /// under two numbers come twice): what a set of the words' forms holds,
    /// from one look at each distinct word.
    pub fn distinct_forms(&self) -> impl Iterator<Item = &Forms> + '_ {
        let mut used = vec![false; self.forms.len()];
        for w in &self.words {
            used[w.form as usize] = true;
        }
        self.forms
            .iter()
            .zip(used)
            .filter(|&(_, used)| used)
            .map(|((forms, _), _)| &**forms)
    }

    /// The forms numbered `id` ([`Word::id`]).
    pub fn forms_of(&self, id: u32) -> &Forms {
        &self.forms[id as usize].0
    }

    /// Gives word `i` the forms a speech-to-text repair read (its place in
    /// the text stays).
    pub fn set_forms(&mut self, i: usize, forms: Arc<Forms>) {
        let w = self.words[i];
        let len = self.forms[w.form as usize].1;
        let key = (Arc::as_ptr(&forms) as usize, len);
        let table = &mut self.forms;
        let id = *self.repairs.entry(key).or_insert_with(|| {
            table.push((forms, len));
            table.len() as u32 - 1
        });
        self.words[i].form = id;
    }

    /// The sentence word `i` belongs to (every word belongs to one).
    pub fn sentence_of(&self, i: usize) -> usize {
        self.sentences
            .partition_point(|s| s.first_word <= i)
            .saturating_sub(1)
    }

    /// The index one past the last word of the sentence word `i` is in.
    pub fn sentence_end(&self, i: usize) -> usize {
        self.sentences
            .get(self.sentence_of(i))
            .map_or(self.words.len(), |s| s.first_word + s.word_count)
    }

    /// Whether a speech-to-text repair changed word `i`.
    pub fn is_heard(&self, i: usize) -> bool {
        !self.heard.is_empty() && self.heard.contains(&(i as u32))
    }

    /// Records that a speech-to-text repair changed word `i`.
    pub fn mark_heard(&mut self, i: usize) {
        self.heard.insert(i as u32);
    }

    /// The byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        let line = self.line_starts.partition_point(|&s| s as usize <= offset);
        self.line_starts[line.saturating_sub(1)] as usize
    }

    /// 1-based line and column (in characters) of a byte offset. In an
    /// ASCII text a byte is a character, and nothing needs counting.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self
            .line_starts
            .partition_point(|&s| s as usize <= offset)
            .max(1);
        let start = self.line_starts[line - 1] as usize;
        let end = offset.min(self.text.len());
        let column = if self.ascii {
            end - start
        } else {
            self.text[start..end].chars().count()
        };
        (line, column + 1)
    }

    /// Where a byte offset of the text is in the answer file (and when it
    /// was said, for transcripts).
    pub fn locate(&self, offset: usize) -> Locus {
        // The timeline is in text order: the last segment starting at or
        // before the offset, by binary search.
        let timed = self
            .timeline
            .partition_point(|t| t.start_byte() <= offset)
            .checked_sub(1)
            .map(|k| &self.timeline[k])
            .filter(|t| offset <= t.end_byte());
        match timed {
            Some(t) => Locus {
                line: t.line(),
                column: self.text[t.start_byte()..offset.min(t.end_byte())]
                    .chars()
                    .count()
                    + 1,
                start: t.start(),
                end: t.end(),
            },
            None => {
                let (line, column) = self.line_col(offset);
                Locus {
                    line,
                    column,
                    start: None,
                    end: None,
                }
            }
        }
    }

    /// The words of the text as everyone counts them
    /// ([`crate::model::words::count_words`]).
    pub fn counted_words(&self) -> usize {
        self.counted_words
    }

    /// Number of words (words absorbed by a speech-to-text repair, as in
    /// "item potent" → "idempotent", count once).
    pub fn word_count(&self) -> usize {
        self.words().filter(|w| !w.raw().is_empty()).count()
    }
}

/// Stems kept per analyzer before the cache is cleared.
const STEM_CACHE_LIMIT: usize = 100_000;

/// Long numbers kept per analyzer before their cache is cleared.
const NUMBER_CACHE_LIMIT: usize = 4096;

/// The analysis pipeline. Cheap to clone; one per thread.
///
/// Text is cut into tokens like tantivy's tokenizer (keeping `C++`, `C#`),
/// each token lowercased and ASCII-folded (plain ASCII directly, anything
/// else through tantivy's lowercaser and folding filter), then each
/// distinct folded word goes through tantivy's English stemmer once: the
/// stems are cached, as most words of an answer recur. The result is the
/// same as [`Analyzer::text_analyzer`] (checked by a test), which the
/// concept index uses.
#[derive(Clone)]
pub struct Analyzer {
    folder: TextAnalyzer,
    stemmer: TextAnalyzer,
    cache: FormsCache,
    /// Numbers of five digits or more, apart from the words.
    numbers: FormsCache,
    buf: String,
    /// Texts analyzed so far: the number of the one being analyzed.
    texts: u64,
}

/// The forms of a folded word, and the number they have in the text
/// analyzed last (`text`), read from text of byte length `len`.
#[derive(Clone)]
struct Cached {
    forms: Arc<Forms>,
    text: u64,
    id: u32,
    len: u32,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer {
            folder: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            cache: Default::default(),
            numbers: Default::default(),
            buf: String::new(),
            texts: 0,
        }
    }

    /// The whole pipeline as one tantivy analyzer: registered in the concept index.
    pub fn text_analyzer() -> TextAnalyzer {
        TextAnalyzer::builder(TechTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build()
    }

    /// The forms of a folded word, made for the cache.
    fn forms(stemmer: &mut TextAnalyzer, folded: &str) -> Cached {
        let mut stream = stemmer.token_stream(folded);
        let raw: Arc<str> = Arc::from(folded);
        // Most words are their own stem: the two forms share one string.
        let stem: Arc<str> = if stream.advance() && stream.token().text != folded {
            Arc::from(stream.token().text.as_str())
        } else {
            raw.clone()
        };
        Cached {
            forms: Forms::new(raw, stem, crate::model::words::classify(folded)),
            text: 0,
            id: 0,
            len: 0,
        }
    }

    /// Analyze a whole text: split it into sentences, then into words.
    /// Words outside every sentence span (stray punctuation) cannot occur:
    /// spans cover all alphanumeric text.
    pub fn analyze(&mut self, text: &str) -> AnalyzedText {
        self.analyze_string(text.to_string())
    }

    /// [`Analyzer::analyze`] of a text the result takes over (no copy).
    pub fn analyze_string(&mut self, text: String) -> AnalyzedText {
        let spans = sentence_spans(&text);
        self.analyze_spans(text, spans)
    }

    /// Analyze spoken text: sentences also end before discourse markers
    /// ("so then", "after that") where the speech has no punctuation.
    pub fn analyze_spoken(&mut self, text: &str) -> AnalyzedText {
        self.analyze_spoken_string(text.to_string())
    }

    /// [`Analyzer::analyze_spoken`] of a text the result takes over.
    pub fn analyze_spoken_string(&mut self, text: String) -> AnalyzedText {
        let spans = spoken_spans(&text);
        let mut analyzed = self.analyze_spans(text, spans);
        analyzed.spoken = true;
        analyzed
    }

    /// Analyze a text given as its sentences (a labelled story): the units
    /// are joined by a space, or a line break before a bullet item, and
    /// each unit is one sentence.
    pub fn analyze_units(&mut self, units: &[&str]) -> AnalyzedText {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(units.len());
        for (i, u) in units.iter().enumerate() {
            if i > 0 {
                text.push(if u.starts_with("- ") { '\n' } else { ' ' });
            }
            spans.push((text.len(), text.len() + u.len()));
            text.push_str(u);
        }
        self.analyze_spans(text, spans)
    }

    fn analyze_spans(&mut self, text: String, spans: Vec<(usize, usize)>) -> AnalyzedText {
        // Word offsets are 32-bit; answers are read up to 4 GiB at most.
        debug_assert!(u32::try_from(text.len()).is_ok());
        // Room for a word every three bytes: English averages one every
        // five or six, and growing the list of a large text would hold the
        // old and the new list at once. Room not filled is address space,
        // not memory: its pages are never touched.
        let mut words: Vec<Stored> = Vec::with_capacity(text.len() / 3 + 16);
        // The forms of this text, numbered as they first occur. The cache
        // remembers each word's number for the text analyzed last, so a
        // word's number is found with its forms; the same forms read from
        // text of another length (a capital that folds to more or fewer
        // bytes) are numbered apart.
        self.texts += 1;
        let this = self.texts;
        // Room for the distinct words of an answer (fewer than one for every
        // eight bytes of one), bounded for a large text, so the table is not
        // grown word by word.
        let mut forms: Vec<(Arc<Forms>, u32)> = Vec::with_capacity((text.len() / 8).min(4096));
        let mut other_lengths: FxHashMap<(usize, u32), u32> = FxHashMap::default();
        let counted_words = self.each_word(&text, |c, start, end| {
            let len = end - start;
            let form = if c.text == this && c.len == len {
                c.id
            } else {
                number_forms(c, this, len, &mut forms, &mut other_lengths)
            };
            words.push(Stored { start, form });
        });
        drop(other_lengths);
        // Each word takes its sentence in place (a second list of words cost
        // as much memory again for a large answer); words outside the spans
        // (cannot happen for alphanumeric text) are dropped.
        let mut sentences = Vec::with_capacity(spans.len());
        let mut kept = 0;
        let mut next = 0;
        let end_of = |w: &Stored| w.start as usize + forms[w.form as usize].1 as usize;
        for (start, end) in spans {
            while next < words.len() && (words[next].start as usize) < start {
                next += 1;
            }
            let first_word = kept;
            while next < words.len() && end_of(&words[next]) <= end {
                words.swap(kept, next);
                kept += 1;
                next += 1;
            }
            let word_count = kept - first_word;
            if word_count > 0 {
                sentences.push(Sentence {
                    start,
                    end,
                    first_word,
                    word_count,
                });
            }
        }
        words.truncate(kept);
        let line_starts = line_starts_of(&text);
        AnalyzedText {
            counted_words,
            ascii: text.is_ascii(),
            text,
            sentences,
            words,
            forms,
            line_starts,
            timeline: Vec::new(),
            spoken: false,
            heard: FxHashSet::default(),
            repairs: FxHashMap::default(),
        }
    }

    /// Analyze a short piece of text (a rubric phrase) into its words.
    pub fn words(&mut self, text: &str) -> Vec<OwnedWord> {
        let mut out = Vec::new();
        self.words_into(text, &mut out);
        out
    }

    /// Appends the words of `text` to `out`; returns how many words
    /// [`crate::model::words::count_words`] counts in it.
    fn words_into(&mut self, text: &str, out: &mut Vec<OwnedWord>) -> usize {
        self.each_word(text, |c, start, end| {
            out.push(OwnedWord {
                forms: c.forms.clone(),
                start,
                end,
            })
        })
    }

    /// Hands each word of `text` to `f`, with its cached forms and its
    /// byte range; returns how many words
    /// [`crate::model::words::count_words`] counts in it, found on the way:
    /// a token holds no white space and starts with a letter or digit, so
    /// the whitespace-separated words holding one are the tokens with white
    /// space between them and the token before (and the first token).
    #[inline(always)]
    fn each_word(&mut self, text: &str, mut f: impl FnMut(&mut Cached, u32, u32)) -> usize {
        let Analyzer {
            folder,
            stemmer,
            cache,
            numbers,
            buf,
            ..
        } = self;
        let mut pos = 0;
        let mut counted = 0;
        while let Some(Found {
            start,
            end,
            wide,
            upper,
        }) = next_token(text, pos)
        {
            let gap = &text.as_bytes()[pos..start];
            if pos == 0 || gap_has_white_space(gap) {
                counted += 1;
            }
            pos = end;
            let token = &text[start..end];
            // tantivy's lowercaser does this for ASCII, and folding leaves
            // it: most words are lowercase already and need no copy.
            let folded: &str = if wide {
                buf.clear();
                let mut stream = folder.token_stream(token);
                while stream.advance() {
                    buf.push_str(&stream.token().text);
                }
                buf
            } else if upper {
                buf.clear();
                buf.push_str(token);
                buf.make_ascii_lowercase();
                buf
            } else {
                token
            };
            // Long numbers (ids, times, amounts) rarely recur: in the stem
            // cache, a transcript numbering its lines filled it and pushed
            // every word out. They have a small cache of their own.
            if is_long_number(folded) {
                long_number(numbers, stemmer, folded, start as u32, end as u32, &mut f);
                continue;
            }
            if cache.len() >= STEM_CACHE_LIMIT {
                cache.clear();
            }
            // One probe finds the forms or makes room for them.
            let c = probe(cache, folded, || Self::forms(stemmer, folded));
            f(c, start as u32, end as u32);
        }
        counted
    }
}

/// A cache of folded words' forms, filed under their [`stem_key`]: a word
/// is compared with a key in place ([`same_bytes`]), not through a call to
/// `memcmp`, which cost a probe of every word more than the rest of it.
type FormsCache = hashbrown::HashTable<(Box<str>, Cached)>;

/// The cached forms of `folded`, made by `make` when the cache has none.
#[inline(always)]
fn probe<'c>(
    cache: &'c mut FormsCache,
    folded: &str,
    make: impl FnOnce() -> Cached,
) -> &'c mut Cached {
    let found = cache.entry(
        stem_key(folded),
        |(k, _)| same_bytes(k.as_bytes(), folded.as_bytes()),
        |(k, _)| stem_key(k),
    );
    match found {
        hashbrown::hash_table::Entry::Occupied(e) => &mut e.into_mut().1,
        hashbrown::hash_table::Entry::Vacant(e) => {
            &mut e.insert((Box::from(folded), make())).into_mut().1
        }
    }
}

/// `a == b` for the short strings words are: up to 16 bytes compared as two
/// overlapping machine words (or bytes), longer ones by the slices.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4 bytes"));
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// Hands a long number to `f` with its forms from the numbers' cache.
#[cold]
#[inline(never)]
fn long_number(
    numbers: &mut FormsCache,
    stemmer: &mut TextAnalyzer,
    folded: &str,
    start: u32,
    end: u32,
    f: &mut impl FnMut(&mut Cached, u32, u32),
) {
    // The probe of the stem cache in each_word, for this cache: one shared
    // function kept the hot path from inlining its insertion (callgrind,
    // score_10k: 2% more instructions).
    if numbers.len() >= NUMBER_CACHE_LIMIT {
        numbers.clear();
    }
    let c = probe(numbers, folded, || Analyzer::forms(stemmer, folded));
    f(c, start, end);
}

/// Whether a folded word is a number of five digits or more, which the
/// stem cache leaves to the numbers' own.
#[inline(always)]
fn is_long_number(folded: &str) -> bool {
    // Most words start with a letter: one comparison settles them.
    let bytes = folded.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.len() >= 5
        && bytes.iter().all(u8::is_ascii_digit)
}

/// Byte offsets at which each line of `text` starts (it is at most 4 GiB),
/// counted first so the list is made at its size.
fn line_starts_of(text: &str) -> Vec<u32> {
    let breaks = || memchr::memchr_iter(b'\n', text.as_bytes());
    let mut starts = Vec::with_capacity(breaks().count() + 1);
    starts.push(0);
    starts.extend(breaks().map(|i| (i + 1) as u32));
    starts
}

/// The number of a cached word's forms in the text `this` (read from text
/// of byte length `len`), when the cache does not hold it yet: the forms
/// are numbered as they first occur, and the same forms read from text of
/// another length are numbered apart.
#[cold]
fn number_forms(
    c: &mut Cached,
    this: u64,
    len: u32,
    forms: &mut Vec<(Arc<Forms>, u32)>,
    other_lengths: &mut FxHashMap<(usize, u32), u32>,
) -> u32 {
    if c.text != this {
        forms.push((c.forms.clone(), len));
        c.text = this;
        c.len = len;
        c.id = forms.len() as u32 - 1;
        return c.id;
    }
    *other_lengths
        .entry((Arc::as_ptr(&c.forms) as usize, len))
        .or_insert_with(|| {
            forms.push((c.forms.clone(), len));
            forms.len() as u32 - 1
        })
}

/// Whether the text between two tokens holds white space (as
/// `char::is_whitespace` has it; the text is whole characters).
#[inline(always)]
fn gap_has_white_space(gap: &[u8]) -> bool {
    // Most gaps between words: settled where the question is asked.
    gap.first() == Some(&b' ') || other_gap_has_white_space(gap)
}

fn other_gap_has_white_space(gap: &[u8]) -> bool {
    if gap.is_ascii() {
        gap.iter()
            .any(|b| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '))
    } else {
        std::str::from_utf8(gap).is_ok_and(|g| g.chars().any(char::is_whitespace))
    }
}

/// [`Analyzer::text_analyzer`] as a tantivy tokenizer with the stems
/// cached: indexing a bank stems each distinct word once instead of once
/// per occurrence. Tokens, offsets and positions are the same.
#[derive(Clone, Default)]
pub struct CachedTokenizer {
    analyzer: Analyzer,
    tokens: Vec<Token>,
    words: Vec<OwnedWord>,
}

pub struct CachedTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for CachedTokenizer {
    type TokenStream<'a> = CachedTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CachedTokenStream<'a> {
        self.words.clear();
        self.analyzer.words_into(text, &mut self.words);
        self.tokens.clear();
        for (position, w) in self.words.drain(..).enumerate() {
            self.tokens.push(Token {
                offset_from: w.start as usize,
                offset_to: w.end as usize,
                position,
                text: w.stem().to_string(),
                position_length: 1,
            });
        }
        CachedTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for CachedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The length of the character at byte `i` (not ASCII) and whether it is
/// a letter or digit.
#[cold]
fn wide_char(text: &str, i: usize) -> (bool, usize) {
    match text[i..].chars().next() {
        Some(c) => (c.is_alphanumeric(), c.len_utf8()),
        None => (false, 1),
    }
}

/// A token found by [`next_token`]: its byte range, whether it holds a
/// character beyond ASCII, and whether it holds an ASCII capital.
struct Found {
    start: usize,
    end: usize,
    wide: bool,
    upper: bool,
}

/// The next token of `text` at or after `pos`: a run of alphanumeric
/// characters, with `C++`, `C#` and `F#` kept whole.
#[inline(always)]
fn next_token(text: &str, pos: usize) -> Option<Found> {
    // Per byte: an ASCII capital, another ASCII letter or digit, another
    // ASCII byte, or a byte of a wider character (decoded to tell).
    const WORD: u8 = 1;
    const OTHER: u8 = 0;
    const UPPER: u8 = 3;
    const KIND: [u8; 256] = {
        let mut k = [2u8; 256];
        let mut b = 0;
        while b < 128 {
            k[b] = if (b as u8).is_ascii_uppercase() {
                UPPER
            } else if (b as u8).is_ascii_alphanumeric() {
                WORD
            } else {
                OTHER
            };
            b += 1;
        }
        k
    };
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = pos;
    loop {
        if i >= n {
            return None;
        }
        match KIND[usize::from(bytes[i])] {
            WORD | UPPER => break,
            OTHER => i += 1,
            _ => {
                let (word, len) = wide_char(text, i);
                if word {
                    break;
                }
                i += len;
            }
        }
    }
    let start = i;
    let (mut wide, mut upper) = (false, false);
    loop {
        // Most bytes of a word are lowercase letters or digits: a tight
        // loop takes them, the rest are told apart below.
        while i < n && KIND[usize::from(bytes[i])] == WORD {
            i += 1;
        }
        if i >= n {
            break;
        }
        match KIND[usize::from(bytes[i])] {
            UPPER => {
                upper = true;
                i += 1;
            }
            OTHER => break,
            _ => {
                let (word, len) = wide_char(text, i);
                if !word {
                    break;
                }
                wide = true;
                i += len;
            }
        }
    }
    let mut end = i;
    // A lone letter c/f followed by ++ or # names a language: keep the suffix.
    let word = &text[start..end];
    if word.eq_ignore_ascii_case("c") || word.eq_ignore_ascii_case("f") {
        let after = &text[end..];
        let suffix = if word.eq_ignore_ascii_case("c") && after.starts_with("++") {
            2
        } else if after.starts_with('#') {
            1
        } else {
            0
        };
        let next_is_word = after[suffix..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
        if suffix > 0 && !next_is_word {
            end += suffix;
        }
    }
    Some(Found {
        start,
        end,
        wide,
        upper,
    })
}

/// Splits on anything that is not alphanumeric, like tantivy's
/// `SimpleTokenizer`, but keeps `C++`, `C#` and `F#` as single tokens.
#[derive(Clone, Default)]
pub struct TechTokenizer {
    token: Token,
}

pub struct TechTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl Tokenizer for TechTokenizer {
    type TokenStream<'a> = TechTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> TechTokenStream<'a> {
        self.token.reset();
        TechTokenStream {
            text,
            pos: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for TechTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let Some(Found { start, end, .. }) = next_token(self.text, self.pos) else {
            self.pos = self.text.len();
            return false;
        };
        self.pos = end;
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.text.push_str(&self.text[start..end]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "approx", "mr", "mrs", "dr", "eg", "ie",
];

/// Byte ranges of the sentences of `text`: blocks are separated by blank
/// lines; a heading, list item or table row is a sentence of its own; inside
/// a block, a sentence ends at `.`, `!` or `?` followed by white space.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::with_capacity(16);
    let mut block_start: Option<usize> = None;
    for (line_start, line_end) in line_ranges(text) {
        let line = &text[line_start..line_end];
        let trimmed = line.trim();
        let standalone = is_standalone_line(trimmed);
        if trimmed.is_empty() || standalone {
            if let Some(start) = block_start.take() {
                split_block(text, start, line_start, &mut spans);
            }
            if standalone {
                split_block(text, line_start, line_end, &mut spans);
            }
        } else if block_start.is_none() {
            block_start = Some(line_start);
        }
    }
    if let Some(start) = block_start {
        split_block(text, start, text.len(), &mut spans);
    }
    spans
}

/// The byte ranges of the lines of `text`, each with its line break: the
/// lines `split_inclusive('\n')` gives, found by the memchr crate's byte
/// search (a written answer is one long line).
fn line_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
    let mut start = 0;
    // Only the end of a text that ends with a break gives an empty line.
    ends.chain(std::iter::once(text.len()))
        .filter_map(move |end| {
            let line = (start, end);
            start = end;
            (line.0 < line.1).then_some(line)
        })
}

/// Lines that stand alone whatever follows them: Markdown headings, list
/// items and table rows.
fn is_standalone_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    if line.starts_with('#') || line.starts_with('|') || line.starts_with('>') {
        return true;
    }
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    if line.starts_with('•') || line.starts_with('–') {
        return true;
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0
        && digits < 4
        && matches!(bytes.get(digits), Some(b'.') | Some(b')'))
        && matches!(bytes.get(digits + 1), Some(b' '))
}

/// Discourse markers that open a new sentence in unpunctuated speech.
pub const DISCOURSE_MARKERS: &[&str] = &[
    "so then",
    "and then",
    "after that",
    "so what i did",
    "what i did was",
    "so i",
    "then i",
    "and so",
    "in the end",
    "as a result",
    "the result was",
    "eventually",
    "finally",
    "first of all",
    "the problem was",
    "my task was",
    "my job was",
    "my role was",
    "at that point",
    "so basically",
    "the next step",
    "next i",
    "because of that",
    "so we",
    "then we",
    "but then",
    "which meant",
    "so the",
    "so my",
    "and the result",
    "what we did",
    "the outcome",
    "the goal was",
    "that meant",
    "on top of that",
    "another thing",
    "the other thing",
    "also i",
    "and i",
    "i also",
    "afterwards",
    "and afterwards",
    "over the next",
    "and over the next",
    "i learned",
    "the root cause",
    "by the end",
    "overall",
    "so to",
    "so when",
    "so as",
];

/// Spoken sentences longer than this are cut at a conjunction near their middle.
const MAX_SPOKEN_SENTENCE: usize = 30;
/// Where a long spoken sentence may be cut: before a conjunction that opens
/// a clause. A bare "and" is not one: it joins "the old and the new".
const CONJUNCTIONS: &[&str] = &[
    "and i", "and we", "and then", "and so", "and it", "and they", "but", "so", "then", "because",
];

/// Fewest words a sentence keeps before a marker may end it.
const MIN_SPOKEN_SENTENCE: usize = 5;

/// Sentence spans for speech: [`sentence_spans`], then every span without
/// terminal punctuation is cut before discourse markers.
pub fn spoken_spans(text: &str) -> Vec<(usize, usize)> {
    // Split once, not once per word of a long transcript, and find them
    // by their first word.
    let mut markers: FxHashMap<&str, Vec<Vec<&str>>> = FxHashMap::default();
    for m in DISCOURSE_MARKERS {
        let words: Vec<&str> = m.split(' ').collect();
        markers.entry(words[0]).or_default().push(words);
    }
    let longest = markers.values().flatten().map(Vec::len).max().unwrap_or(1);
    let mut out = Vec::new();
    // The words of a sentence are read as they come, with the few after
    // each that a marker could span: an unpunctuated transcript is one
    // sentence, and its whole list of words cost three times its size.
    let mut ahead: std::collections::VecDeque<(usize, String)> =
        std::collections::VecDeque::with_capacity(longest);
    let mut spare: Vec<String> = Vec::new();
    for (start, end) in sentence_spans(text) {
        let piece = &text[start..end];
        if piece.trim_end().ends_with(['.', '!', '?']) && piece.matches(['.', '!', '?']).count() > 1
        {
            cut_long(text, start, end, &mut out);
            continue;
        }
        // Each word lowercased, letters, digits and apostrophes only; the
        // buffers of words passed are used again.
        let mut words = piece.split_whitespace();
        let mut sentence_start = 0;
        let mut words_in_sentence = 0;
        loop {
            while ahead.len() < longest {
                let Some(w) = words.next() else { break };
                let mut clean = spare.pop().unwrap_or_default();
                clean.clear();
                clean.extend(
                    w.chars()
                        .filter(|c| c.is_alphanumeric() || *c == '\'')
                        .flat_map(char::to_lowercase),
                );
                ahead.push_back((w.as_ptr() as usize - piece.as_ptr() as usize, clean));
            }
            let Some((offset, word)) = ahead.front() else {
                break;
            };
            let opens = markers.get(word.as_str()).is_some_and(|list| {
                list.iter().any(|mw| {
                    mw.len() <= ahead.len() && mw.iter().zip(&ahead).all(|(a, (_, w))| a == w)
                })
            });
            if opens && words_in_sentence >= MIN_SPOKEN_SENTENCE {
                let cut = *offset;
                cut_long(text, start + sentence_start, start + cut, &mut out);
                sentence_start = cut;
                words_in_sentence = 0;
            }
            words_in_sentence += 1;
            if let Some((_, clean)) = ahead.pop_front() {
                spare.push(clean);
            }
        }
        cut_long(text, start + sentence_start, end, &mut out);
    }
    out
}

/// Whether `word` lowercased is `lower` (which is lowercase ASCII),
/// without allocating for ASCII words.
fn lower_eq(word: &str, lower: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(lower)
    } else {
        word.to_lowercase() == lower
    }
}

/// Cuts an unpunctuated spoken sentence of more than [`MAX_SPOKEN_SENTENCE`]
/// words at the conjunction nearest its middle, again and again, and adds
/// the pieces to `out`, trimmed (pieces of white space only are left out).
fn cut_long(text: &str, a: usize, b: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[a..b];
    if piece.split_whitespace().nth(MAX_SPOKEN_SENTENCE).is_none()
        || piece.contains(['.', '!', '?'])
    {
        return push_trimmed(text, a, b, out);
    }
    let words: Vec<(usize, &str)> = piece
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - piece.as_ptr() as usize, w))
        .collect();
    let middle = words.len() / 2;
    let cut = (MIN_SPOKEN_SENTENCE..words.len() - MIN_SPOKEN_SENTENCE)
        .filter(|&k| {
            CONJUNCTIONS.iter().any(|c| match c.split_once(' ') {
                None => lower_eq(words[k].1, c),
                Some((x, y)) => lower_eq(words[k].1, x) && lower_eq(words[k + 1].1, y),
            })
        })
        .min_by_key(|&k| k.abs_diff(middle));
    match cut {
        Some(k) => {
            let at = a + words[k].0;
            drop(words);
            cut_long(text, a, at, out);
            cut_long(text, at, b, out);
        }
        None => push_trimmed(text, a, b, out),
    }
}

/// Adds the span `a..b` of `text` to `out` without its leading and
/// trailing white space, unless nothing else is left.
fn push_trimmed(text: &str, a: usize, b: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[a..b];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if a + lead < b - trail {
        out.push((a + lead, b - trail));
    }
}

fn split_block(text: &str, start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    let block = &text[start..end];
    let bytes = block.as_bytes();
    let mut sentence_start = 0;
    // The marks are ASCII, so a byte search finds them (never inside a
    // multi-byte character); what follows them is read as characters.
    for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        let b = bytes[i];
        // Closing quotes and brackets after the mark belong to the sentence:
        // `.”`, `!"`, `?)` followed by a space end it.
        let mut j = i + 1;
        let mut next = block[j..].chars().next();
        while let Some(n) = next.filter(|n| matches!(n, '"' | '\'' | '”' | '’' | ')' | ']' | '»'))
        {
            j += n.len_utf8();
            next = block[j..].chars().next();
        }
        if !next.is_none_or(|n| n.is_whitespace()) {
            continue;
        }
        if b == b'.' && ends_with_abbreviation(&block[sentence_start..i]) {
            continue;
        }
        push_span(block, start, sentence_start, j, spans);
        sentence_start = j;
    }
    push_span(block, start, sentence_start, block.len(), spans);
}

fn ends_with_abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    // Dotted initialisms ("a.m", "u.s", "e.g") never end a sentence.
    let dotted = last.len() >= 3
        && last.split('.').all(|part| {
            let mut chars = part.chars();
            matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
        });
    // Compared in place, not lowercased into a new string: asked at every
    // full stop.
    dotted || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(last))
}

fn push_span(block: &str, base: usize, from: usize, to: usize, spans: &mut Vec<(usize, usize)>) {
    let piece = &block[from..to];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        spans.push((base + from + lead, base + to - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_after_closing_quotes_and_brackets() {
        let text = "She said “ship it today.” I disagreed (we had no tests?) So I wrote them! \"Done!\" Then we shipped.";
        let got: Vec<&str> = sentence_spans(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(
            got,
            vec![
                "She said “ship it today.”",
                "I disagreed (we had no tests?)",
                "So I wrote them!",
                "\"Done!\"",
                "Then we shipped."
            ]
        );
    }

    fn stems(text: &str) -> Vec<String> {
        Analyzer::new()
            .words(text)
            .into_iter()
            .map(|w| w.stem().to_string())
            .collect()
    }

    /// The in-place comparison of the stem cache says what `==` says, for
    /// every length it treats apart and a difference at every place.
    #[test]
    fn same_bytes_agrees_with_equality() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            for k in 0..n {
                let mut b = a.clone();
                b[k] ^= 0x20;
                assert!(!same_bytes(&a, &b), "{n} at {k}");
            }
            let mut longer = a.clone();
            longer.push(b'a');
            assert!(!same_bytes(&a, &longer) && !same_bytes(&longer, &a), "{n}");
        }
    }

    /// Lines found by byte search are those of `split_inclusive('\n')`:
    /// blank lines, a final line with and without its break, no text.
    #[test]
    fn line_ranges_are_the_lines_split_inclusive_reads() {
        for text in [
            "",
            "\n",
            "\n\n",
            "One. Two.",
            "One.\n",
            "One.\n\nTwo.\n- item\n- item two",
            "# Heading\nText here.\n\n\n",
            "Line one\r\nline two.\r\n",
        ] {
            let mut at = 0;
            let expected: Vec<(usize, usize)> = text
                .split_inclusive('\n')
                .map(|line| {
                    at += line.len();
                    (at - line.len(), at)
                })
                .collect();
            assert_eq!(line_ranges(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn cached_stems_equal_the_full_tantivy_pipeline() {
        let text =
            "Retries, retried and RETRYING: the caches' invalidation of C++ and C# services \
                    at P99 with acks=all, café naïveté, ÉCOLE Straße, X-RateLimit-Remaining; retries again.";
        let mut full = Analyzer::text_analyzer();
        let mut expected = Vec::new();
        let mut stream = full.token_stream(text);
        while stream.advance() {
            expected.push(stream.token().text.clone());
        }
        let mut analyzer = Analyzer::new();
        for _ in 0..2 {
            let got: Vec<String> = analyzer
                .words(text)
                .into_iter()
                .map(|w| w.stem().to_string())
                .collect();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn words_are_counted_while_tokenizing() {
        for text in crate::model::words::TRICKY_TEXTS {
            let t = Analyzer::new().analyze(text);
            assert_eq!(
                t.counted_words(),
                crate::model::words::count_words(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_word_is_small_and_shares_its_forms() {
        // Memory of a large answer is mostly its words (issue 13).
        assert_eq!(std::mem::size_of::<Stored>(), 8);
        let t = Analyzer::new().analyze("retry, then Retry again; RETRY, retried");
        let ids: Vec<u32> = t.words().map(|w| w.id).collect();
        assert_eq!(ids[0], ids[2]);
        assert_eq!(ids[0], ids[4]);
        assert_ne!(ids[0], ids[5]);
        assert_eq!(t.form_count(), 4);
        for w in t.words() {
            assert_eq!(
                t.text[w.start as usize..w.end as usize].to_lowercase(),
                w.raw()
            );
        }
    }

    #[test]
    fn forms_read_from_text_of_another_length_keep_their_ends() {
        // "CAFÉ" and "café" fold to "cafe"; the ends stay where the text has them.
        let t = Analyzer::new().analyze("café CAFÉ cafe Café");
        let spans: Vec<(u32, u32)> = t.words().map(|w| (w.start, w.end)).collect();
        assert_eq!(spans, vec![(0, 5), (6, 11), (12, 16), (17, 22)]);
        assert!(t.words().all(|w| w.raw() == "cafe"));
        let ids: Vec<u32> = t.words().map(|w| w.id).collect();
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[0], ids[3]);
        assert_ne!(ids[0], ids[2]);
        // The distinct forms are those of the words, each looked at once;
        // a form a repair replaced everywhere is not among them.
        let mut t = Analyzer::new().analyze("cooper netties, café CAFÉ cafe Café cooper");
        let forms = Analyzer::new().words("kubernetes").remove(0).forms;
        t.set_forms(1, forms);
        let distinct: Vec<&str> = t.distinct_forms().map(|f| &*f.raw).collect();
        assert_eq!(distinct, vec!["cooper", "cafe", "cafe", "kubernetes"]);
        let mut of_words: Vec<&str> = t.words().map(|w| w.raw()).collect();
        of_words.sort_unstable();
        of_words.dedup();
        let mut set = distinct.clone();
        set.sort_unstable();
        set.dedup();
        assert_eq!(set, of_words);
        // A second text numbers its forms afresh, from the same cache.
        let mut a = Analyzer::new();
        a.analyze("one two three");
        let t = a.analyze("three and one");
        assert_eq!(t.words().map(|w| w.id).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(t.form_count(), 3);
    }

    #[test]
    fn long_numbers_keep_out_of_the_stem_cache() {
        let mut a = Analyzer::new();
        let text: String = (0..10_000)
            .map(|i| format!("we retry {} ", 100_000 + i))
            .collect();
        let t = a.analyze(&text);
        assert_eq!(t.words().len(), 30_000);
        assert_eq!(a.cache.len(), 2, "only the words");
        assert!(!a.numbers.is_empty() && a.numbers.len() <= NUMBER_CACHE_LIMIT);
        // A number that recurs still shares its forms; short ones are words.
        let t = a.analyze("12345 and 12345, 2024 and 2024");
        let ids: Vec<u32> = t.words().map(|w| w.id).collect();
        assert_eq!((ids[0], ids[3]), (ids[2], ids[5]));
        assert_eq!(t.word(0).stem(), "12345");
        let holds = |c: &FormsCache, w: &str| c.find(stem_key(w), |(k, _)| **k == *w).is_some();
        assert!(holds(&a.cache, "2024") && !holds(&a.cache, "12345"));
    }

    #[test]
    fn cached_tokenizer_gives_the_pipelines_tokens() {
        let text = "Retries, RETRYING and C++ at P99; café X-RateLimit. Retries again.";
        let collect = |mut a: TextAnalyzer| {
            let mut out = Vec::new();
            let mut stream = a.token_stream(text);
            while stream.advance() {
                let t = stream.token();
                out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
            }
            out
        };
        let expected = collect(Analyzer::text_analyzer());
        assert!(expected.len() > 5);
        let cached = TextAnalyzer::builder(CachedTokenizer::default()).build();
        assert_eq!(collect(cached.clone()), expected);
        assert_eq!(collect(cached), expected);
    }

    #[test]
    fn stems_inflections_alike() {
        assert_eq!(stems("retries"), stems("retry"));
        assert_eq!(stems("Dead-letter queues"), stems("dead letter queue"));
    }

    #[test]
    fn technical_terms_survive() {
        assert_eq!(stems("P99"), vec!["p99"]);
        assert_eq!(stems("/v1/users"), vec!["v1", "user"]);
        assert_eq!(stems("OAuth2 and gRPC"), vec!["oauth2", "and", "grpc"]);
        assert_eq!(stems("2PC"), vec!["2pc"]);
        assert_eq!(stems("acks=all"), vec!["ack", "all"]);
        assert_eq!(stems("CI/CD"), vec!["ci", "cd"]);
        assert_eq!(
            stems("X-RateLimit-Remaining"),
            stems("x ratelimit remaining")
        );
    }

    #[test]
    fn c_plus_plus_and_c_sharp_are_distinct() {
        assert_eq!(
            stems("C++ and C# and C"),
            vec!["c++", "and", "c#", "and", "c"]
        );
        assert_eq!(stems("F# code"), vec!["f#", "code"]);
        // A '#' glued to a following word is not a language name.
        assert_eq!(stems("c#d"), vec!["c", "d"]);
    }

    #[test]
    fn folds_accents() {
        assert_eq!(stems("café"), stems("cafe"));
    }

    #[test]
    fn sentences_split_on_terminators_and_lines() {
        let text = "First one. Second, e.g. with an abbreviation! Third?\n\n- item one\n- item two\n# Heading\nLast line";
        let analyzed = Analyzer::new().analyze(text);
        let sentences: Vec<&str> = (0..analyzed.sentences.len())
            .map(|i| analyzed.sentence_text(i))
            .collect();
        assert_eq!(
            sentences,
            vec![
                "First one.",
                "Second, e.g. with an abbreviation!",
                "Third?",
                "- item one",
                "- item two",
                "# Heading",
                "Last line"
            ]
        );
    }

    #[test]
    fn spoken_text_splits_at_discourse_markers() {
        let text = "so um at my last job the checkout kept failing every evening and i was the one on call so what i did was add a circuit breaker around the payment client and then errors dropped by ninety percent";
        let spans = spoken_spans(text);
        let sentences: Vec<&str> = spans.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(
            sentences,
            vec![
                "so um at my last job the checkout kept failing every evening",
                "and i was the one on call",
                "so what i did was add a circuit breaker around the payment client",
                "and then errors dropped by ninety percent",
            ]
        );
        // Punctuated speech keeps its own sentences.
        let punctuated = "So first I measured. Then I fixed it. And then it was fast.";
        assert_eq!(spoken_spans(punctuated).len(), 3);
    }

    #[test]
    fn decimals_do_not_split() {
        let analyzed = Analyzer::new().analyze("We run TLS 1.3 now. Done.");
        assert_eq!(analyzed.sentences.len(), 2);
        // Regression: "2 a.m. and" was split after "a.m." (sample review).
        let analyzed =
            Analyzer::new().analyze("It ran at 2 a.m. and nobody noticed. Then it failed.");
        assert_eq!(analyzed.sentences.len(), 2);
    }

    #[test]
    fn line_and_column_are_one_based_chars() {
        let analyzed = Analyzer::new().analyze("héllo\n  world");
        let world = analyzed.word(1);
        assert_eq!(analyzed.line_col(world.start as usize), (2, 3));
        let first = analyzed.word(0);
        assert_eq!(analyzed.line_col(first.start as usize), (1, 1));
        // An ASCII text takes the short way: the same answer at every offset.
        let text = "one two\n\n  three four\nfive";
        let ascii = Analyzer::new().analyze(text);
        let starts = line_starts(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                ascii.line_col(offset),
                line_col(text, &starts, offset),
                "{offset}"
            );
        }
    }
}
