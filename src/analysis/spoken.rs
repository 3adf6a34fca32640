//! Spoken answers: the text of a transcript's segments with its timeline,
//! and speech-to-text repairs applied to the analyzed words before
//! matching: a glossary of common mishearings (`data/stt-glossary.toml`)
//! and spelled-out numbers read as digits ("four twenty nine" → 429).
//! Words changed this way are marked, and so is the evidence they give.

use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::analysis::text::{AnalyzedText, Analyzer, Forms, Timed};
use crate::answer::transcript::Transcript;
use crate::model::diag::{Diagnostics, Locator, Severity};

/// The glossary shipped with the tool.
pub const DEFAULT_GLOSSARY: &str = include_str!("../../data/stt-glossary.toml");

/// A pause between two segments at least this long ends a sentence and is
/// reported as a long pause.
pub const PAUSE_SECONDS: f64 = 1.5;

/// A transcript's text, ready to analyze.
#[derive(Debug, Clone, PartialEq)]
pub struct SpokenText {
    pub text: String,
    pub timeline: Vec<Timed>,
}

/// Joins a transcript's segments into one text. A segment starts a new
/// sentence after terminal punctuation or a pause of [`PAUSE_SECONDS`];
/// otherwise segments run on, as cues often cut a sentence in two.
pub fn assemble(t: &Transcript) -> SpokenText {
    // Sized once: at most two separator bytes before each segment, and the
    // final line break (growing by doubling left up to half unused).
    let size = t
        .segments
        .iter()
        .map(|s| s.text.trim().len() + 2)
        .sum::<usize>()
        + 1;
    let mut text = String::with_capacity(size);
    let mut timeline = Vec::with_capacity(t.segments.len());
    let mut prev: Option<(&str, Option<f64>)> = None;
    for s in &t.segments {
        if let Some((prev_text, prev_end)) = prev {
            let pause = match (prev_end, s.start) {
                (Some(e), Some(st)) => st - e >= PAUSE_SECONDS,
                _ => false,
            };
            let stop = prev_text.trim_end().ends_with(['.', '!', '?']);
            text.push_str(if pause || stop || s.start.is_none() {
                "\n\n"
            } else {
                " "
            });
        }
        let start_byte = text.len();
        text.push_str(s.text.trim());
        timeline.push(Timed::new(
            start_byte..text.len(),
            s.line,
            s.start,
            s.end,
            s.after_other_speaker,
        ));
        prev = Some((s.text.as_str(), s.end));
    }
    text.push('\n');
    SpokenText { text, timeline }
}

/// Whether plain text reads like unpunctuated speech: 30 words or more and
/// hardly a sentence mark among them.
pub fn looks_spoken(text: &str) -> bool {
    let marks = count_bytes(text.as_bytes(), |b| matches!(b, b'.' | b'!' | b'?'));
    // A token ends at white space or at the end, so there are at most one
    // more than the white space characters, which are at most the ASCII
    // white space bytes plus the lead bytes of the others (U+0085, U+00A0,
    // U+1680, U+2000 to U+3000). Most written text has too many sentence
    // marks for that bound, and is settled without counting its words.
    let bound = 1 + count_bytes(text.as_bytes(), |b| {
        b.is_ascii_whitespace() || b == 0x0B || matches!(b, 0xC2 | 0xE1..=0xE3)
    });
    if bound < 30 || marks * 40 >= bound {
        return false;
    }
    let (words, _) = crate::model::words::token_counts(text);
    words >= 30 && marks * 40 < words
}

/// How many bytes `accept` takes, counted in blocks of 255 into a byte
/// counter (which cannot overflow) rather than one `usize` per byte.
fn count_bytes(bytes: &[u8], accept: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let mut n = 0u8;
            for &b in block {
                n = n.wrapping_add(u8::from(accept(b)));
            }
            usize::from(n)
        })
        .sum()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    term: Vec<RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    means: toml::Spanned<String>,
    heard: Vec<String>,
}

#[derive(Debug, Clone)]
struct Entry {
    heard: Vec<Arc<str>>,
    means: Vec<Arc<Forms>>,
}

/// A compiled speech-to-text glossary.
#[derive(Debug, Clone)]
pub struct Glossary {
    /// Longest `heard` first, so "cash aside" wins over "cash".
    entries: Vec<Entry>,
    /// Indices into `entries` by the first word heard, in `entries` order:
    /// each word of a text is tried against its own few entries only.
    by_first: FxHashMap<Arc<str>, Vec<usize>>,
}

impl Glossary {
    pub fn builtin(analyzer: &mut Analyzer) -> Glossary {
        Glossary::parse(
            Path::new("<built-in stt-glossary.toml>"),
            DEFAULT_GLOSSARY,
            analyzer,
        )
        .expect("the built-in glossary is valid (checked by a test)")
    }

    pub fn load(path: &Path, analyzer: &mut Analyzer) -> Result<Glossary, Diagnostics> {
        let src = crate::model::diag::read_source(path, "glossary")?;
        Glossary::parse(path, &src, analyzer)
    }

    /// Parses a glossary; an entry whose meaning has more words than what is
    /// heard cannot replace it word for word and is an error.
    pub fn parse(path: &Path, src: &str, analyzer: &mut Analyzer) -> Result<Glossary, Diagnostics> {
        let loc = Locator::new(path, src);
        let raw: RawGlossary = crate::model::diag::from_toml(&loc, src)?;
        let mut diags = Vec::new();
        let mut entries = Vec::new();
        for t in raw.term {
            let means: Vec<Arc<Forms>> = analyzer
                .words(t.means.get_ref())
                .into_iter()
                .map(|w| w.forms)
                .collect();
            for h in &t.heard {
                let heard: Vec<Arc<str>> = analyzer
                    .words(h)
                    .into_iter()
                    .map(|w| w.forms.raw.clone())
                    .collect();
                if heard.is_empty() || means.is_empty() || means.len() > heard.len() {
                    diags.push(loc.at(
                        t.means.span(),
                        Severity::Error,
                        format!(
                            "`{}` has more words than `{h}`: a mishearing is replaced word for word",
                            t.means.get_ref()
                        ),
                    ));
                    continue;
                }
                entries.push(Entry {
                    heard,
                    means: means.clone(),
                });
            }
        }
        if !diags.is_empty() {
            return Err(Diagnostics(diags));
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.heard.len()));
        let mut by_first: FxHashMap<Arc<str>, Vec<usize>> = FxHashMap::default();
        for (k, e) in entries.iter().enumerate() {
            by_first.entry(e.heard[0].clone()).or_default().push(k);
        }
        Ok(Glossary { entries, by_first })
    }

    /// Replaces mishearings in the analyzed words, in place.
    pub fn apply(&self, text: &mut AnalyzedText) {
        let n = text.words().len();
        let mut i = 0;
        while i < n {
            let mut advanced = false;
            let candidates = match self.by_first.get(text.word(i).raw()) {
                Some(c) => c.as_slice(),
                None => &[],
            };
            for e in candidates.iter().map(|&k| &self.entries[k]) {
                let h = e.heard.len();
                if i + h > n {
                    continue;
                }
                if i + h > text.sentence_end(i)
                    || (i..i + h).any(|k| text.is_heard(k))
                    || !e
                        .heard
                        .iter()
                        .zip(text.words_in(i..i + h))
                        .all(|(a, w)| **a == *w.raw())
                {
                    continue;
                }
                for k in 0..h {
                    let forms = match e.means.get(k) {
                        Some(forms) => forms.clone(),
                        None => Forms::absorbed(),
                    };
                    text.set_forms(i + k, forms);
                }
                for k in i..i + h {
                    text.mark_heard(k);
                }
                i += h;
                advanced = true;
                break;
            }
            if !advanced {
                i += 1;
            }
        }
    }
}

const UNITS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS: &[&str] = &[
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn unit(w: &str) -> Option<u64> {
    match w {
        "oh" => Some(0),
        _ => UNITS.iter().position(|u| *u == w).map(|p| p as u64),
    }
}

/// A number word's value and kind: 0 unit, 1 teen, 2 tens, 3 hundred, 4 thousand.
fn number_word(w: &str) -> Option<(u64, u8)> {
    if let Some(v) = unit(w) {
        return Some((v, 0));
    }
    if let Some(p) = TEENS.iter().position(|t| *t == w) {
        return Some((10 + p as u64, 1));
    }
    if let Some(p) = TENS.iter().position(|t| !t.is_empty() && *t == w) {
        return Some((10 * p as u64, 2));
    }
    match w {
        "hundred" => Some((100, 3)),
        "thousand" => Some((1000, 4)),
        _ => None,
    }
}

/// The digits a run of number words means. Status-code style ("four oh
/// four", "four twenty nine", "five oh three") when a unit opens the run
/// and no "hundred" follows; cardinal numbers otherwise ("ninety nine",
/// "two hundred and fifty").
pub fn spoken_number(words: &[&str]) -> Option<String> {
    let parsed: Vec<(u64, u8)> = words
        .iter()
        .map(|w| number_word(w))
        .collect::<Option<_>>()?;
    if parsed.is_empty() {
        return None;
    }
    let has_scale = parsed.iter().any(|(_, k)| *k >= 3);
    if parsed.len() >= 2 && parsed[0].1 == 0 && !has_scale && words[0] != "oh" {
        // Digit groups: each unit is a digit, tens (+ unit) are two digits.
        let mut out = String::new();
        let mut k = 0;
        while k < parsed.len() {
            let (v, kind) = parsed[k];
            match kind {
                0 => out.push_str(&v.to_string()),
                1 => out.push_str(&v.to_string()),
                2 => {
                    let next_unit = parsed.get(k + 1).filter(|(u, kind)| *kind == 0 && *u > 0);
                    match next_unit {
                        Some((u, _)) => {
                            out.push_str(&(v + u).to_string());
                            k += 1;
                        }
                        None => out.push_str(&v.to_string()),
                    }
                }
                _ => return None,
            }
            k += 1;
        }
        return Some(out);
    }
    // Cardinal.
    let (mut total, mut current) = (0u64, 0u64);
    for (v, kind) in parsed {
        match kind {
            3 => current = current.max(1) * 100,
            4 => {
                total += current.max(1) * 1000;
                current = 0;
            }
            _ => current += v,
        }
    }
    Some((total + current).to_string())
}

/// The folded surface form of word `i`.
fn raw(text: &AnalyzedText, i: usize) -> &str {
    text.word(i).raw()
}

/// Reads runs of spelled-out numbers as digits: runs of two or more number
/// words, or one word of ten or more ("ninety", "hundred").
pub fn apply_numbers(text: &mut AnalyzedText, analyzer: &mut Analyzer) {
    let n = text.words().len();
    let mut i = 0;
    while i < n {
        let start = i;
        let mut end = i;
        // The end of the sentence, looked up once a number word is found.
        let mut limit = None;
        while end < n
            && (number_word(raw(text, end)).is_some()
                || (raw(text, end) == "and"
                    && end > start
                    && end + 1 < n
                    && number_word(raw(text, end + 1)).is_some()
                    && number_word(raw(text, end - 1)).is_some_and(|(_, k)| k == 3)))
            && end < *limit.get_or_insert_with(|| text.sentence_end(start))
            && !text.is_heard(end)
        {
            end += 1;
        }
        if end == start {
            i += 1;
            continue;
        }
        let raws: Vec<String> = text
            .words_in(start..end)
            .filter(|w| w.raw() != "and")
            .map(|w| w.raw().to_string())
            .collect();
        let refs: Vec<&str> = raws.iter().map(String::as_str).collect();
        let single_big = refs.len() == 1 && number_word(refs[0]).is_some_and(|(v, _)| v >= 10);
        if refs.len() >= 2 || single_big {
            if let Some(digits) = spoken_number(&refs) {
                let forms = analyzer.words(&digits);
                if let Some(first) = forms.first() {
                    for k in start..end {
                        let forms = if k == start {
                            first.forms.clone()
                        } else {
                            Forms::absorbed()
                        };
                        text.set_forms(k, forms);
                    }
                    for k in start..end {
                        text.mark_heard(k);
                    }
                }
            }
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::transcript::{parse, Format};

    fn stems(t: &AnalyzedText) -> Vec<String> {
        t.words().map(|w| w.stem().to_string()).collect()
    }

    #[test]
    fn numbers() {
        let n = |s: &str| spoken_number(&s.split(' ').collect::<Vec<_>>());
        assert_eq!(n("four twenty nine").as_deref(), Some("429"));
        assert_eq!(n("four oh four").as_deref(), Some("404"));
        assert_eq!(n("five oh three").as_deref(), Some("503"));
        assert_eq!(n("ninety nine").as_deref(), Some("99"));
        assert_eq!(n("two hundred fifty").as_deref(), Some("250"));
        assert_eq!(n("five hundred").as_deref(), Some("500"));
        assert_eq!(n("three thousand two hundred").as_deref(), Some("3200"));
        assert_eq!(n("fish"), None);
    }

    #[test]
    fn glossary_and_numbers_rewrite_words() {
        let mut a = Analyzer::new();
        let g = Glossary::builtin(&mut a);
        let mut t = a.analyze_spoken("we ran it on cooper netties with reddis and sent a four twenty nine and kept p ninety nine low with cash aside");
        g.apply(&mut t);
        apply_numbers(&mut t, &mut a);
        let s = stems(&t);
        assert!(s.contains(&"kubernet".to_string()), "{s:?}");
        assert!(
            s.contains(&"redi".to_string()) || s.contains(&"redis".to_string()),
            "{s:?}"
        );
        assert!(s.contains(&"429".to_string()), "{s:?}");
        assert!(s.contains(&"p99".to_string()), "{s:?}");
        assert!(
            s.contains(&"cach".to_string()) && s.contains(&"asid".to_string()),
            "{s:?}"
        );
        assert!((0..t.words().len()).filter(|&i| t.is_heard(i)).count() >= 8);
        // Untouched words stay as they were.
        assert_eq!(t.word(0).stem(), "we");
        assert!(!t.is_heard(0));
    }

    #[test]
    fn builtin_glossary_parses_and_bad_entries_are_located() {
        let mut a = Analyzer::new();
        Glossary::parse(Path::new("g.toml"), DEFAULT_GLOSSARY, &mut a).unwrap();
        let e = Glossary::parse(
            Path::new("g.toml"),
            "[[term]]\nmeans = \"dead letter queue\"\nheard = [\"dlq\"]\n",
            &mut a,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("g.toml:2:9: `dead letter queue` has more words"),
            "{e}"
        );
    }

    #[test]
    fn assembly_breaks_at_pauses_and_full_stops() {
        let srt = "1\n00:00:00,000 --> 00:00:02,000\nso we had a\n\n2\n00:00:02,100 --> 00:00:04,000\nbig outage\n\n3\n00:00:06,000 --> 00:00:08,000\ni fixed it.\n\n4\n00:00:08,000 --> 00:00:09,000\nit stayed fixed\n";
        let t = parse(Format::Srt, srt).unwrap();
        let s = assemble(&t);
        assert_eq!(
            s.text,
            "so we had a big outage\n\ni fixed it.\n\nit stayed fixed\n"
        );
        assert_eq!(s.timeline.len(), 4);
        assert_eq!(s.timeline[1].line(), 7);
        assert_eq!(s.timeline[1].start(), Some(2.1));
    }

    #[test]
    fn spoken_looking_text() {
        let words =
            "so um basically what i would do is put a cache in front of the database ".repeat(3);
        assert!(looks_spoken(&words));
        assert!(!looks_spoken("Short answer."));
        assert!(!looks_spoken(&"I use caches. They help. ".repeat(10)));
    }

    #[test]
    fn bytes_are_counted_past_a_block() {
        // Blocks of 255 bytes count into a byte: every byte accepted, at
        // and around the block size, must still give the length.
        for n in [0, 1, 254, 255, 256, 510, 511, 4000] {
            let text = ".".repeat(n);
            assert_eq!(count_bytes(text.as_bytes(), |b| b == b'.'), n);
            let mixed = ". x".repeat(n);
            let expected = mixed.bytes().filter(|b| b.is_ascii_whitespace()).count();
            assert_eq!(
                count_bytes(mixed.as_bytes(), |b| b.is_ascii_whitespace()),
                expected
            );
        }
    }

    /// The shortcut that settles written text without counting its words
    /// agrees with counting them, for every kind of white space.
    #[test]
    fn the_word_bound_never_changes_the_answer() {
        let counted = |text: &str| {
            let words = text.split_whitespace().count();
            let marks = text
                .chars()
                .filter(|c| matches!(c, '.' | '!' | '?'))
                .count();
            words >= 30 && marks * 40 < words
        };
        for sep in [
            " ", "\t", "\u{0B}", "\u{85}", "\u{a0}", "\u{1680}", "\u{2003}", "\u{3000}", " - ",
        ] {
            for n in [10, 29, 30, 31, 39, 40, 41, 79, 80, 81, 120] {
                for marks in [0, 1, 2, 3] {
                    let mut text = vec!["word"; n].join(sep);
                    text.push_str(&".".repeat(marks));
                    assert_eq!(looks_spoken(&text), counted(&text), "{sep:?} {n} {marks}");
                }
            }
        }
    }
}
