//! Trains the STAR sequence labeller on `data/star/corpus/` and writes the
//! model table the tool ships, `data/star/model.tsv`.
//!
//! Run: `cargo run --release --example star_train [-- OUT]`.
//! A test (`tests/star_model.rs`) retrains and checks the shipped table is
//! what training gives, so the two never drift.

use std::path::{Path, PathBuf};

use rubric::analysis::star::Lexicon;
use rubric::analysis::star_model::load_corpus;
use rubric::analysis::text::Analyzer;

#[path = "common/star_train.rs"]
mod star_train;

fn main() {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("data/star/model.tsv"));
    let corpus = load_corpus(Path::new("data/star/corpus")).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2)
    });
    let mut analyzer = Analyzer::new();
    let lexicon = Lexicon::builtin(&mut analyzer);
    let table = star_train::train(&corpus, &lexicon, &mut analyzer);
    std::fs::write(&out, table).unwrap_or_else(|e| {
        eprintln!("error: {}: {e}", out.display());
        std::process::exit(2)
    });
    let sentences: usize = corpus.iter().map(|s| s.units.len()).sum();
    println!(
        "trained on {} stories, {sentences} sentences → {}",
        corpus.len(),
        out.display()
    );
}
