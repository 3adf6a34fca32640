//! Property tests for every parser (issue 13): rubric TOML, front matter,
//! SRT, WebVTT, Whisper JSON, Otter, the bank config, each data file (STAR
//! cues, fillers, speech-to-text glossary, the STAR model table), answer
//! bytes and the JSON reports `diff` reads. Each gets real inputs mutated
//! with hostile pieces (NaN, 1e300, huge hours, NUL, escapes, fences…) and
//! random text, and must give a result or an error: no panic, numbers in
//! range, and within a time bound.
//!
//! CI runs proptest's default 256 cases per property (about 30 s in debug).
//! The longer run: `PROPTEST_CASES=20000 cargo test --release --test proptest`.

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use rubric::analysis::delivery::FillerList;
use rubric::analysis::spoken::Glossary;
use rubric::analysis::star::Lexicon;
use rubric::analysis::star_model::StarModel;
use rubric::analysis::text::Analyzer;
use rubric::answer::transcript::{self, Format};
use rubric::model::number::MAX_SECONDS;

/// One parse of a small input, even in a debug build on a busy machine.
const BOUND: Duration = Duration::from_secs(3);

const PIECES: &[&str] = &[
    "nan",
    "NaN",
    ".nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "-50",
    "250",
    "1e300",
    "-1e308",
    "1e308",
    "18446744073709551615",
    "5124095576030432",
    "99999999999999999999",
    "\0",
    "\u{1b}[31m",
    "\u{1b}]0;x\u{7}",
    "\u{feff}",
    "\u{fffe}",
    "-->",
    " --> ",
    "<v ",
    "<v.loud A>",
    ">",
    "<",
    "&amp;",
    "\n",
    "\r\n",
    "\n\n",
    "---\n",
    "+++\n",
    ":",
    "::",
    "=",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "[[concept]]",
    "[[override]]",
    "\t",
    "00:00:01,000 --> 00:00:02,000",
    "99:59:59.999",
    "WEBVTT",
    "NOTE",
    "Alex  0:00",
    "Sam 99999999999:00",
    "é",
    "\u{202e}",
    "𝔘",
    "\\",
    "#",
    "phrases = []",
    "weight = ",
    "pass = ",
    "score: ",
    "segments",
    "\"start\": ",
    "\"end\": ",
    "trans\tS\tT\t",
    "state\tx\tS\t",
    "schema",
    "\"answer\": \"a.md\"",
];

/// `seed` with up to 8 edits: a hostile piece inserted, a span deleted, or
/// a span replaced by a piece.
fn mutated(seed: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec((0.0f64..1.0, 0..PIECES.len(), 0u8..3, 0usize..40), 0..8).prop_map(
        move |edits| {
            let mut s = seed.to_string();
            for (at, piece, op, len) in edits {
                let mut i = (s.len() as f64 * at) as usize;
                while !s.is_char_boundary(i) {
                    i -= 1;
                }
                let mut j = (i + len).min(s.len());
                while !s.is_char_boundary(j) {
                    j -= 1;
                }
                match op {
                    0 => s.insert_str(i, PIECES[piece]),
                    1 => s.replace_range(i..j, ""),
                    _ => s.replace_range(i..j, PIECES[piece]),
                }
            }
            s
        },
    )
}

/// Random text: any characters, or a sequence of hostile pieces.
fn random_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..300).prop_map(String::from_iter),
        prop::collection::vec(0..PIECES.len(), 0..60)
            .prop_map(|v| v.into_iter().map(|i| PIECES[i]).collect::<String>()),
    ]
}

fn input(seed: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![4 => mutated(seed), 1 => random_text()]
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < BOUND,
        "{what} took {:?} (bound {BOUND:?})",
        start.elapsed()
    );
    out
}

const RUBRIC: &str = include_str!("../rubrics/api/idempotency-in-apis.toml");
const CONFIG: &str = include_str!("../samples/bank/.rubric-bank.toml");
const CUES: &str = include_str!("../data/star-cues.toml");
const FILLERS: &str = include_str!("../data/fillers.toml");
const GLOSSARY: &str = include_str!("../data/stt-glossary.toml");
const MODEL: &str = include_str!("../data/star/model.tsv");
const SRT: &str = include_str!("../samples/transcripts/idempotency-strong.srt");
const VTT: &str = include_str!("../samples/transcripts/idempotency-strong.vtt");
const OTTER: &str = include_str!("../tests/fixtures/answers/otter.txt");
const WHISPER: &str = r#"{"text": "hi", "segments": [
  {"id": 0, "start": 0.0, "end": 4.2, "text": " An idempotency key makes retries safe.", "speaker": "SPEAKER_00"},
  {"id": 1, "start": 4.2, "end": 9.9, "text": " The server stores the response per key.", "speaker": "SPEAKER_01"}
]}"#;
const FRONT_YAML: &str = "---\nrubric: idempotency\npass: 70\nignore: [key-retention]\ncandidate: Ana\ndate: 2026-03-01\nspeaker: Ana\nreview:\n  score: 80\n  note: good\n---\nAn idempotency key makes retries safe.\n";
const FRONT_TOML: &str = "+++\nrubric = \"cqrs\"\npass = 55.5\ndate = 2026-03-02\nreview = { score = 55, note = \"thin\" }\n+++\nBody.\n";
const REPORT: &str = r#"{"schema": 1, "results": [
  {"answer": "a.md", "rubric": "idempotency", "score": 72.5, "pass": true, "missing": ["key-retention"], "failures": []},
  {"answer": "b.md", "rubric": "cqrs", "score": 40, "pass": false, "missing": [], "failures": ["below"], "error": null}
]}"#;

fn check_transcript(t: &transcript::Transcript) {
    assert!(!t.segments.is_empty());
    for s in &t.segments {
        for v in [s.start, s.end].into_iter().flatten() {
            assert!((0.0..=MAX_SECONDS).contains(&v), "time {v}");
        }
    }
}

proptest! {
    #[test]
    fn rubric_toml(src in input(RUBRIC)) {
        let r = timed("rubric", || rubric::model::rubric::parse(Path::new("r.toml"), &src));
        if let Ok(r) = r {
            if let Some(p) = r.pass {
                prop_assert!((0.0..=100.0).contains(&p));
            }
            for c in &r.concepts {
                prop_assert!(c.weight > 0.0 && c.weight.is_finite());
            }
        }
    }

    #[test]
    fn front_matter(src in prop_oneof![input(FRONT_YAML), input(FRONT_TOML)]) {
        if let Ok((Some(m), body)) = timed("front matter", || rubric::answer::frontmatter::split(&src)) {
            if let Some(p) = m.pass {
                prop_assert!((0.0..=100.0).contains(&p));
            }
            if let Some(r) = m.review {
                prop_assert!((0.0..=100.0).contains(&r.score));
            }
            // The block is blanked, lines kept.
            prop_assert!(body.len() <= src.len());
        }
    }

    #[test]
    fn srt(src in input(SRT)) {
        if let Ok(t) = timed("srt", || transcript::parse(Format::Srt, &src)) {
            check_transcript(&t);
        }
    }

    #[test]
    fn webvtt(src in input(VTT)) {
        if let Ok(mut t) = timed("vtt", || transcript::parse(Format::Vtt, &src)) {
            check_transcript(&t);
            let _ = timed("speaker", || transcript::select_speaker(&mut t, None));
        }
    }

    #[test]
    fn whisper_json(src in input(WHISPER)) {
        if let Ok(t) = timed("whisper", || transcript::parse(Format::WhisperJson, &src)) {
            check_transcript(&t);
        }
    }

    #[test]
    fn otter(src in input(OTTER)) {
        let format = transcript::detect("a.txt", &src);
        if let Ok(t) = timed("otter", || transcript::parse(Format::Otter, &src)) {
            check_transcript(&t);
        }
        let _ = timed("detected", || transcript::parse(format, &src));
    }

    #[test]
    fn bank_config(src in input(CONFIG)) {
        if let Ok(c) = timed("config", || rubric::model::config::parse(Path::new("b/.rubric-bank.toml"), &src)) {
            for p in [c.pass.value, c.min_score.value].into_iter().flatten() {
                prop_assert!((0.0..=100.0).contains(&p));
            }
        }
    }

    #[test]
    fn star_cues(src in input(CUES)) {
        let mut analyzer = Analyzer::new();
        let _ = timed("star cues", || Lexicon::parse(Path::new("cues.toml"), &src, &mut analyzer));
    }

    #[test]
    fn fillers(src in input(FILLERS)) {
        let mut analyzer = Analyzer::new();
        let _ = timed("fillers", || FillerList::parse(Path::new("fillers.toml"), &src, &mut analyzer));
    }

    #[test]
    fn stt_glossary(src in input(GLOSSARY)) {
        let mut analyzer = Analyzer::new();
        let _ = timed("glossary", || Glossary::parse(Path::new("glossary.toml"), &src, &mut analyzer));
    }

    #[test]
    fn analyzed_text_counts_words_like_count_words(src in random_text()) {
        // The analysis counts words while it tokenizes; the count must be
        // the one everyone else uses.
        let t = Analyzer::new().analyze(&src);
        prop_assert_eq!(t.counted_words(), rubric::model::words::count_words(&src));
    }

    #[test]
    fn star_model_table(src in input(MODEL)) {
        let _ = timed("star model", || StarModel::parse(Path::new("model.tsv"), &src));
    }

    #[test]
    fn run_json_for_diff(old in input(REPORT), new in input(REPORT)) {
        let _ = timed("diff", || {
            rubric::report::diff::diff_texts((Path::new("old.json"), &old), (Path::new("new.json"), &new))
        });
    }

    #[test]
    fn answer_bytes(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        input(FRONT_YAML).prop_map(String::into_bytes),
    ]) {
        if let Ok(text) = timed("decode", || rubric::answer::input::decode(&bytes)) {
            prop_assert!(!text.contains('\0'));
        }
    }
}
