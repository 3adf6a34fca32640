//! The shipped detection and name-dropping weights are what fitting on the
//! dev split of `eval/detect` gives: refit and compare.

use std::path::Path;

use rubric::model::bank::Bank;
use rubric::Engine;

#[path = "../examples/common/fit_models.rs"]
mod fit_models;

#[test]
fn shipped_models_are_refitted_from_the_dev_split() {
    let engine = Engine::with_builtin_lexicon(Bank::builtin().expect("the shipped bank"));
    let (detect, namedrop) = fit_models::fit(&engine, Path::new("eval/detect/dev"));
    let shipped = |p: &str| std::fs::read_to_string(p).expect("a shipped model");
    assert!(
        detect == shipped("data/detect-model.toml"),
        "data/detect-model.toml differs from a refit on eval/detect/dev: \
         run `cargo run --release --example detect_eval -- --fit`\n{detect}"
    );
    assert!(
        namedrop == shipped("data/namedrop-model.toml"),
        "data/namedrop-model.toml differs from a refit on eval/detect/dev: \
         run `cargo run --release --example detect_eval -- --fit`\n{namedrop}"
    );
}
