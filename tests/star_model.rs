//! The shipped STAR model is what training on the shipped corpus gives:
//! retrain from `data/star/corpus/` and compare with `data/star/model.tsv`.

use std::path::Path;

use rubric::analysis::star::Lexicon;
use rubric::analysis::star_model::load_corpus;
use rubric::analysis::text::Analyzer;

#[path = "../examples/common/star_train.rs"]
mod star_train;

#[test]
fn shipped_model_is_retrained_from_the_corpus() {
    let corpus = load_corpus(Path::new("data/star/corpus")).expect("the corpus loads");
    assert!(corpus.len() >= 120, "{} stories", corpus.len());
    let sentences: usize = corpus.iter().map(|s| s.units.len()).sum();
    assert!(sentences >= 1000, "{sentences} sentences");
    let mut analyzer = Analyzer::new();
    let lexicon = Lexicon::builtin(&mut analyzer);
    let table = star_train::train(&corpus, &lexicon, &mut analyzer);
    let shipped = std::fs::read_to_string("data/star/model.tsv").expect("the shipped model");
    assert!(
        table == shipped,
        "data/star/model.tsv differs from a model retrained on data/star/corpus: \
         run `cargo run --release --example star_train`"
    );
}

#[test]
fn held_out_stories_load() {
    let test = load_corpus(Path::new("eval/star/test")).expect("the test set loads");
    assert!(test.len() >= 50);
}
