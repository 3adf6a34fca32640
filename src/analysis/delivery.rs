//! Delivery metrics: how an answer was said (or written): words, pace,
//! fillers and hedges from a list kept as data (`data/fillers.toml`), the
//! most repeated content words, and long pauses in timed transcripts.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::analysis::spoken::PAUSE_SECONDS;
use crate::analysis::text::{AnalyzedText, Analyzer};
use crate::answer::transcript::mmss;
use crate::model::diag::{Diagnostics, Locator};
use crate::model::words::class;

/// The filler list shipped with the tool.
pub const DEFAULT_FILLERS: &str = include_str!("../../data/fillers.toml");

/// A word or phrase with how often it occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub text: String,
    pub count: usize,
}

/// Fillers or hedges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    pub count: usize,
    pub per_100_words: f64,
    /// For timed transcripts.
    pub per_minute: Option<f64>,
    /// Most frequent first (at most 3).
    pub most_frequent: Vec<Count>,
}

/// Long silences between segments of a timed transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pauses {
    pub count: usize,
    /// Seconds.
    pub longest: Option<f64>,
    /// `mm:ss` where each long pause starts.
    pub at: Vec<String>,
}

/// How the answer was delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub words: usize,
    /// Seconds from the first segment's start to the last one's end.
    pub duration: Option<f64>,
    pub words_per_minute: Option<f64>,
    pub fillers: Tally,
    pub hedges: Tally,
    /// Content words said three times or more, most repeated first (at most 5).
    pub repeated_words: Vec<Count>,
    pub long_pauses: Option<Pauses>,
    /// Caveats, e.g. that a cleaned transcript undercounts fillers.
    pub notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    filler: Vec<RawEntry>,
    hedge: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    words: String,
    #[serde(default)]
    sentence_start: bool,
    #[serde(default)]
    only_after: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
}

#[derive(Debug, Clone)]
struct Entry {
    text: String,
    words: Vec<Arc<str>>,
    sentence_start: bool,
    only_after: Vec<String>,
    not_before: Vec<String>,
}

/// Entries by their first word, longest first within a word. Most words
/// of an answer start no entry; a table of the (first byte, length) pairs
/// of the first words turns those away before the word is hashed.
#[derive(Debug, Clone, Default)]
struct ByFirst {
    map: FxHashMap<Arc<str>, Vec<Entry>>,
    /// Per first byte, a bit per length (64 and longer share the last).
    quick: Vec<u64>,
}

impl ByFirst {
    #[inline]
    fn bit(word: &str) -> Option<(usize, u64)> {
        let first = *word.as_bytes().first()?;
        Some((usize::from(first), 1u64 << word.len().min(63)))
    }

    fn push(&mut self, first: Arc<str>, entry: Entry) {
        if let Some((byte, bit)) = Self::bit(&first) {
            self.quick.resize(256, 0);
            self.quick[byte] |= bit;
        }
        self.map.entry(first).or_default().push(entry);
    }

    /// The entries `word` starts. Asked of every word of an answer, twice:
    /// the table test is inlined where it is asked, the hash lookup is not.
    #[inline]
    fn get(&self, word: &str) -> Option<&Vec<Entry>> {
        let (byte, bit) = Self::bit(word)?;
        if self.quick.get(byte).is_none_or(|b| b & bit == 0) {
            return None;
        }
        self.lookup(word)
    }

    #[inline(never)]
    fn lookup(&self, word: &str) -> Option<&Vec<Entry>> {
        self.map.get(word)
    }
}

/// A compiled filler and hedge list.
#[derive(Debug, Clone)]
pub struct FillerList {
    fillers: ByFirst,
    hedges: ByFirst,
}

impl FillerList {
    pub fn builtin(analyzer: &mut Analyzer) -> FillerList {
        FillerList::parse(
            Path::new("<built-in fillers.toml>"),
            DEFAULT_FILLERS,
            analyzer,
        )
        .expect("the built-in filler list is valid (checked by a test)")
    }

    pub fn load(path: &Path, analyzer: &mut Analyzer) -> Result<FillerList, Diagnostics> {
        let src = crate::model::diag::read_source(path, "filler list")?;
        FillerList::parse(path, &src, analyzer)
    }

    pub fn parse(
        path: &Path,
        src: &str,
        analyzer: &mut Analyzer,
    ) -> Result<FillerList, Diagnostics> {
        let loc = Locator::new(path, src);
        let raw: RawList = crate::model::diag::from_toml(&loc, src)?;
        let mut compile = |list: Vec<RawEntry>| -> ByFirst {
            let mut out = ByFirst::default();
            for e in list {
                let words: Vec<Arc<str>> = analyzer
                    .words(&e.words)
                    .into_iter()
                    .map(|w| w.forms.raw.clone())
                    .collect();
                let Some(first) = words.first().cloned() else {
                    continue;
                };
                out.push(
                    first,
                    Entry {
                        words,
                        text: e.words,
                        sentence_start: e.sentence_start,
                        only_after: e.only_after,
                        not_before: e.not_before,
                    },
                );
            }
            // Longest first: "i think maybe" before "i think".
            for list in out.map.values_mut() {
                list.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
            }
            out
        };
        Ok(FillerList {
            fillers: compile(raw.filler),
            hedges: compile(raw.hedge),
        })
    }

    /// Measures an analyzed answer. `timed` says whether the text came from a
    /// timed transcript; `cleaned` whether it came from a transcriber known to
    /// drop fillers (Whisper).
    pub fn measure(&self, text: &AnalyzedText, cleaned: bool) -> Delivery {
        // The one word count (the speaker choice counts the same way).
        let n = text.counted_words();
        let mut starts = vec![false; text.words().len()];
        for s in &text.sentences {
            starts[s.first_word] = true;
        }
        let (duration, pauses) = timing(text);
        let minutes = duration.filter(|d| *d > 0.0).map(|d| d / 60.0);
        let fillers = tally(&self.fillers, text, &starts, n, minutes);
        let hedges = tally(&self.hedges, text, &starts, n, minutes);
        let mut notes = Vec::new();
        if cleaned && fillers.count == 0 {
            notes.push(
                "the transcript looks cleaned (Whisper drops most fillers): filler counts are a lower bound"
                    .to_string(),
            );
        }
        Delivery {
            words: n,
            duration: duration.map(round1),
            words_per_minute: minutes.map(|m| round1(n as f64 / m)),
            fillers,
            hedges,
            repeated_words: repeated(text, &self.fillers),
            long_pauses: pauses,
            notes,
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn tally(
    entries: &ByFirst,
    text: &AnalyzedText,
    starts: &[bool],
    n: usize,
    minutes: Option<f64>,
) -> Tally {
    let n_words = text.words().len();
    let raw = |i: usize| text.word(i).raw();
    let mut used = vec![false; n_words];
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    // The entries each distinct word starts, asked once per word of the
    // text's table of forms instead of at every occurrence.
    let starting: Vec<Option<&Vec<Entry>>> = (0..text.form_count() as u32)
        .map(|id| entries.get(&text.forms_of(id).raw))
        .collect();
    let mut i = 0;
    while i < n_words {
        let Some(candidates) = starting[text.word(i).id as usize] else {
            i += 1;
            continue;
        };
        // A sentence still "starts" after fillers already counted ("um so …").
        let mut k = i;
        while k > 0 && !starts[k] && used[k - 1] {
            k -= 1;
        }
        let at_start = starts[k];
        let found = candidates.iter().find(|e| {
            let len = e.words.len();
            i + len <= n_words
                && e.words
                    .iter()
                    .zip(text.words_in(i..i + len))
                    .all(|(a, b)| **a == *b.raw())
                && (!e.sentence_start || at_start)
                && (e.only_after.is_empty()
                    || at_start
                    || e.only_after.iter().any(|a| i > 0 && a == raw(i - 1)))
                && !text
                    .get_word(i + len)
                    .is_some_and(|next| e.not_before.iter().any(|b| b == next.raw()))
        });
        match found {
            Some(e) => {
                let len = e.words.len();
                used[i..i + len].iter_mut().for_each(|u| *u = true);
                *counts.entry(e.text.clone()).or_default() += 1;
                i += len;
            }
            None => i += 1,
        }
    }
    let count: usize = counts.values().sum();
    let mut most: Vec<Count> = counts
        .into_iter()
        .map(|(text, count)| Count { text, count })
        .collect();
    most.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    most.truncate(3);
    Tally {
        count,
        per_100_words: round1(100.0 * count as f64 / n.max(1) as f64),
        per_minute: minutes.map(|m| round1(count as f64 / m)),
        most_frequent: most,
    }
}

fn repeated(text: &AnalyzedText, fillers: &ByFirst) -> Vec<Count> {
    let filler_word = |raw: &str| {
        fillers
            .get(raw)
            .is_some_and(|list| list.iter().any(|e| e.words.len() == 1))
    };
    // Counted by the number of a word's forms in the text, then by text:
    // one hash of each distinct word's text, not of every word, and
    // whether a word counts is decided once per distinct word.
    let mut per_form = vec![0u32; text.form_count()];
    for w in text.words() {
        if !w.is(class::STOP | class::FUNCTION | class::NOT_CONTENT) {
            per_form[w.id as usize] += 1;
        }
    }
    let seen = per_form.iter().filter(|&&n| n > 0).count();
    let mut counts: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(seen.min(1024), Default::default());
    for (id, &n) in per_form.iter().enumerate().filter(|&(_, &n)| n > 0) {
        let raw: &str = &text.forms_of(id as u32).raw;
        let long = raw.len() >= 16 || (raw.len() >= 4 && raw.chars().count() >= 4);
        if long && !filler_word(raw) && raw.chars().any(char::is_alphabetic) {
            *counts.entry(raw).or_default() += n as usize;
        }
    }
    let mut out: Vec<Count> = counts
        .into_iter()
        .filter(|(_, c)| *c >= 3)
        .map(|(t, count)| Count {
            text: t.to_string(),
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    out.truncate(5);
    out
}

/// Duration and long pauses of a timed text (None for untimed text). Only
/// the chosen speaker's speech counts: the time another speaker holds the
/// floor is neither speaking time nor a pause.
fn timing(text: &AnalyzedText) -> (Option<f64>, Option<Pauses>) {
    let mut times: Vec<(f64, f64, bool)> = Vec::with_capacity(text.timeline.len());
    times.extend(
        text.timeline
            .iter()
            .filter_map(|t| Some((t.start()?, t.end().or(t.start())?, t.after_other_speaker()))),
    );
    if times.is_empty() {
        return (None, None);
    }
    let mut duration = 0.0;
    let mut turn_start = times[0].0;
    let mut gaps = Vec::new();
    for w in times.windows(2) {
        if w[1].2 {
            duration += w[0].1 - turn_start;
            turn_start = w[1].0;
            continue;
        }
        let gap = w[1].0 - w[0].1;
        if gap >= PAUSE_SECONDS {
            gaps.push((w[0].1, gap));
        }
    }
    duration += times[times.len() - 1].1 - turn_start;
    let pauses = Pauses {
        count: gaps.len(),
        longest: gaps
            .iter()
            .map(|g| round1(g.1))
            .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.max(g)))),
        at: gaps.iter().map(|g| mmss(g.0)).collect(),
    };
    (Some(duration), Some(pauses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::spoken::assemble;
    use crate::answer::transcript::{parse, Format};

    fn measure(text: &str) -> Delivery {
        let mut a = Analyzer::new();
        let list = FillerList::builtin(&mut a);
        let t = a.analyze(text);
        list.measure(&t, false)
    }

    #[test]
    fn fillers_respect_context() {
        let d = measure(
            "So um I like Kafka. It was like really slow, you know. You know what happened? Tools like Redis help, so that we cope. Um, basically it worked.",
        );
        let found: Vec<(&str, usize)> = d
            .fillers
            .most_frequent
            .iter()
            .map(|c| (c.text.as_str(), c.count))
            .collect();
        // um ×2, so ×1 (sentence start), like ×1 (after "was"), you know ×1, basically ×1.
        assert_eq!(d.fillers.count, 6, "{found:?}");
        assert_eq!(found[0], ("um", 2));
        assert!(d.fillers.per_100_words > 0.0);
        assert_eq!(d.fillers.per_minute, None);
        assert_eq!(d.duration, None);
    }

    #[test]
    fn hedges_count_longest_first() {
        let d = measure("I think maybe we could cache it. Maybe. It is kind of slow, I guess.");
        assert_eq!(d.hedges.count, 4);
        assert!(d
            .hedges
            .most_frequent
            .iter()
            .any(|c| c.text == "i think maybe"));
    }

    #[test]
    fn timed_transcripts_get_pace_and_pauses() {
        let srt = "1\n00:00:00,000 --> 00:00:04,000\num so we had one two three four five\n\n2\n00:00:06,500 --> 00:00:12,000\nsix seven eight nine ten words here\n";
        let t = parse(Format::Srt, srt).unwrap();
        let s = assemble(&t);
        let mut a = Analyzer::new();
        let mut analyzed = a.analyze_spoken(&s.text);
        analyzed.timeline = s.timeline;
        let d = FillerList::builtin(&mut a).measure(&analyzed, true);
        assert_eq!(d.duration, Some(12.0));
        assert_eq!(d.words, 16);
        assert_eq!(d.words_per_minute, Some(80.0));
        let p = d.long_pauses.unwrap();
        assert_eq!(
            (p.count, p.longest, p.at.clone()),
            (1, Some(2.5), vec!["00:04".to_string()])
        );
        // "um" and "so" (a sentence opener after "um"): 2 in 0.2 minutes.
        assert_eq!(d.fillers.per_minute, Some(10.0));
        assert!(
            d.notes.is_empty(),
            "fillers were found, so no lower-bound note"
        );
    }

    #[test]
    fn pauses_and_words_count_only_the_chosen_speakers_speech() {
        use crate::answer::transcript::select_speaker;
        let vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Ana>How would you limit requests?\n\n00:00:04.700 --> 00:00:09.000\n<v Sam>I would use a token bucket per key.\n\n00:00:09.200 --> 00:00:11.000\n<v Ana>Why that one?\n\n00:00:13.700 --> 00:00:18.000\n<v Sam>It allows short bursts, which our clients need.\n";
        let mut t = parse(Format::Vtt, vtt).unwrap();
        let choice = select_speaker(&mut t, None).unwrap().unwrap();
        assert_eq!(choice.speaker, "Sam");
        let s = assemble(&t);
        let mut a = Analyzer::new();
        let mut analyzed = a.analyze_spoken(&s.text);
        analyzed.timeline = s.timeline;
        let d = FillerList::builtin(&mut a).measure(&analyzed, false);
        // Ana's question sat in the 4.7 s between Sam's turns: no pause.
        assert_eq!(d.long_pauses.unwrap().count, 0);
        // Sam spoke 4.3 + 4.3 seconds.
        assert_eq!(d.duration, Some(8.6));
        let sam = choice.speakers.iter().find(|s| s.0 == "Sam").unwrap().1;
        assert_eq!(d.words, sam, "one word count everywhere");
    }

    #[test]
    fn repeated_words_are_content_words() {
        let d = measure("We were slow. Caches were cold. Caches were cleared, caches were big.");
        let words: Vec<&str> = d.repeated_words.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(words, ["caches"]);
    }

    #[test]
    fn repeated_content_words() {
        let d = measure("The cache is fast. The cache is warm. A cache miss hurts. Cache cache.");
        assert_eq!(
            d.repeated_words[0],
            Count {
                text: "cache".into(),
                count: 5
            }
        );
    }
}
