//! Fitting the detection and name-dropping models on the dev split of
//! `eval/detect` (never the test split). Included with `#[path]` by the
//! `detect_eval` example (`--fit` writes the shipped files) and by the test
//! that refits them and compares with `data/detect-model.toml` and
//! `data/namedrop-model.toml`, so the shipped weights never drift from
//! their data.

use std::path::{Path, PathBuf};

use rubric::analysis::detect::{self, Fit};
use rubric::analysis::namedrop;
use rubric::analysis::prepare::prepare;
use rubric::Engine;

/// The files of a folder, in name order.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// The rubric id a file name stands for: the part before the first dot.
pub fn expected(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.split('.').next().unwrap_or_default().to_string()
}

/// A file's name (as shown) and text.
pub fn read(path: &Path) -> (String, String) {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    (name, text)
}

fn weights(ws: &[f64]) -> String {
    ws.iter()
        .map(|w| format!("{w:.4}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Fits both models on the dev split; returns their TOML files.
pub fn fit(engine: &Engine, dev: &Path) -> (String, String) {
    let bank = engine.bank();
    let analyzed = |path: &Path| {
        let (name, text) = read(path);
        let p = prepare(&name, text.clone(), None).expect("a plain answer");
        engine.analyze_prepared(&p)
    };
    // Detection: each on-topic answer's candidates (its own rubric added
    // when BM25 missed it) with the right ones; off-topic texts: none.
    let mut examples: Vec<(Vec<Fit>, Vec<usize>)> = Vec::new();
    for path in files(&dev.join("on-topic")) {
        let own = expected(&path);
        let fits = engine
            .measure(&analyzed(&path), Some(&own))
            .expect("the index");
        let right: Vec<usize> = fits
            .iter()
            .enumerate()
            .filter(|(_, f)| f.rubric == own || bank.are_siblings(&own, &f.rubric))
            .map(|(i, _)| i)
            .collect();
        if !right.is_empty() {
            examples.push((fits, right));
        }
    }
    for path in files(&dev.join("off-topic")) {
        let fits = engine.measure(&analyzed(&path), None).expect("the index");
        examples.push((fits, Vec::new()));
    }
    let m = detect::fit(&examples);
    let detect_toml = format!(
        "# Question detection: the weights of the conditional logit over candidate fits\n\
         # ({}) and the utility of \"no rubric\".\n\
         # Fitted on eval/detect/dev ({} examples) by\n\
         # `cargo run --release --example detect_eval -- --fit`.\n\
         weights = [{}]\nnone = {:.4}\n",
        detect::FEATURES.join(", "),
        examples.len(),
        weights(&m.weights),
        m.none
    );

    // Name-dropping: on-topic answers (no) against buzzword answers (yes),
    // each against its own rubric.
    let mut examples: Vec<(namedrop::Measures, bool)> = Vec::new();
    for (folder, yes) in [("on-topic", false), ("buzzword", true)] {
        for path in files(&dev.join(folder)) {
            let own = bank.get(&expected(&path)).expect("a bank rubric id");
            examples.push((engine.name_drop_features(own, &analyzed(&path)), yes));
        }
    }
    let m = namedrop::fit(&examples);
    let namedrop_toml = format!(
        "# Name-dropping: the weights of the logistic model over answer measures\n\
         # ({}) and its bias.\n\
         # Fitted on eval/detect/dev ({} answers) by\n\
         # `cargo run --release --example detect_eval -- --fit`.\n\
         weights = [{}]\nbias = {:.4}\n",
        namedrop::FEATURES.join(", "),
        examples.len(),
        weights(&m.weights),
        m.bias
    );
    (detect_toml, namedrop_toml)
}
