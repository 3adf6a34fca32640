//! Training the STAR sequence labeller with `crfs` (a Rust port of
//! CRFsuite): L-BFGS on the CRF's log-likelihood with an L2 penalty.
//! Included with `#[path]` by the `star_train` and `star_eval` examples and
//! by the test that retrains the shipped model.

use rubric::analysis::matcher::WordIndex;
use rubric::analysis::star::Lexicon;
use rubric::analysis::star_model::{Feature, LabelledStory, StarModel};
use rubric::analysis::text::Analyzer;

/// The L2 penalty (CRFsuite's `c2`), chosen by cross-validation on the corpus.
pub const C2: f64 = 1.0;
/// L-BFGS iterations: training stops earlier when it converges.
pub const MAX_ITERATIONS: usize = 300;

/// Each story's sentence features.
pub fn story_features(
    story: &LabelledStory,
    lexicon: &Lexicon,
    analyzer: &mut Analyzer,
) -> Vec<Vec<Feature>> {
    let analyzed = story.analyze(analyzer);
    lexicon.features(&WordIndex::new(&analyzed))
}

/// Trains on the stories; returns the model table (`data/star/model.tsv`).
pub fn train(stories: &[LabelledStory], lexicon: &Lexicon, analyzer: &mut Analyzer) -> String {
    let mut trainer = crfs::train::Trainer::lbfgs();
    for story in stories {
        let xseq: Vec<Vec<crfs::Attribute>> = story_features(story, lexicon, analyzer)
            .into_iter()
            .map(|fs| {
                fs.into_iter()
                    .map(|(name, value)| crfs::Attribute::new(name, value))
                    .collect()
            })
            .collect();
        let yseq: Vec<String> = story
            .labels
            .iter()
            .map(|l| l.letter().to_string())
            .collect();
        trainer.append(&xseq, &yseq).expect("a labelled story");
    }
    trainer.params_mut().set_c2(C2).expect("a valid c2");
    trainer
        .params_mut()
        .set_max_iterations(MAX_ITERATIONS)
        .expect("a valid iteration count");
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    trainer.train(file.path()).expect("training succeeds");
    let bytes = std::fs::read(file.path()).expect("the trained model");
    let model = crfs::Model::new(&bytes).expect("a model crfs wrote");
    let mut dump = Vec::new();
    model.dump(&mut dump).expect("dump to memory");
    StarModel::table_from_dump(&String::from_utf8_lossy(&dump))
}
