//! Scoring throughput: 10,000 answers of ~250 words, each against its own
//! rubric in a bank of 80 synthetic rubrics × 12 concepts.
//!
//! Run: `cargo bench --bench score`. divan prints items/s (answers per
//! second, one thread) next to the time per batch.

use std::path::PathBuf;

use divan::counter::ItemsCount;
use divan::Bencher;
use rubric::model::bank::Bank;
use rubric::model::rubric::parse;
use rubric::scoring::engine::Choice;
use rubric::scoring::score::ScoreOptions;
use rubric::Engine;
use synth::{answer, bank, Rng};

#[path = "common/synth.rs"]
mod synth;

const RUBRICS: usize = 80;
const CONCEPTS: usize = 12;
const ANSWERS: usize = 10_000;
const WORDS: usize = 250;

/// The binary's allocator (see Cargo.toml), so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: rubric::alloc::Mimalloc = rubric::alloc::Mimalloc;

fn main() {
    divan::main();
}

struct Fixture {
    engine: Engine,
    rubrics: Vec<rubric::model::rubric::Rubric>,
    answers: Vec<(usize, String)>,
}

fn fixture() -> Fixture {
    let synth = bank(RUBRICS, CONCEPTS, 7);
    let rubrics: Vec<_> = synth
        .iter()
        .map(|s| {
            parse(&PathBuf::from(format!("{}.toml", s.id)), &s.toml)
                .expect("valid synthetic rubric")
        })
        .collect();
    let mut rng = Rng::new(11);
    let answers = (0..ANSWERS)
        .map(|i| {
            let r = i % RUBRICS;
            (r, answer(&synth[r], WORDS, &mut rng))
        })
        .collect();
    let bank = Bank::assemble(rubrics.clone(), Vec::new(), Vec::new()).expect("unique ids");
    Fixture {
        engine: Engine::with_builtin_lexicon(bank),
        rubrics,
        answers,
    }
}

/// Analysis + matching + STAR + scoring, rubric given, one thread.
#[divan::bench(sample_count = 5)]
fn score_10k_answers(bencher: Bencher) {
    let f = fixture();
    let options = ScoreOptions::default();
    bencher.counter(ItemsCount::new(ANSWERS)).bench_local(|| {
        let mut passed = 0usize;
        for (r, text) in &f.answers {
            let report =
                f.engine
                    .score_answer("bench", text, Choice::Given(&f.rubrics[*r]), &options);
            passed += usize::from(report.scored.is_some_and(|s| s.pass));
        }
        divan::black_box(passed)
    });
}

/// Rubric detection alone (the concept index, BM25) over 1,000 answers.
#[divan::bench(sample_count = 5)]
fn detect_1k_answers(bencher: Bencher) {
    let f = fixture();
    let texts: Vec<_> = f
        .answers
        .iter()
        .take(1000)
        .map(|(_, t)| f.engine.analyze(t))
        .collect();
    f.engine.index().expect("index builds");
    bencher
        .counter(ItemsCount::new(texts.len()))
        .bench_local(|| {
            let mut found = 0usize;
            for t in &texts {
                found += usize::from(f.engine.detect(t).is_ok());
            }
            divan::black_box(found)
        });
}
