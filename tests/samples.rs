//! Every shipped sample answer is scored against its rubric with the
//! expected verdict and missing concepts (samples/expected-*.toml), and
//! strong samples are found by auto-detection.

use std::path::{Path, PathBuf};

use rubric::model::bank::Bank;
use rubric::scoring::score::ScoreOptions;
use rubric::Engine;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    sample: Vec<Sample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sample {
    file: String,
    rubric: String,
    pass: bool,
    missing: Vec<String>,
    #[serde(default)]
    detect: bool,
    note: String,
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn expectations() -> Vec<Sample> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("expected"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            toml::from_str::<Expected>(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()))
                .sample
        })
        .collect()
}

#[test]
fn samples_score_as_expected() {
    let engine = Engine::with_builtin_lexicon(Bank::builtin().unwrap());
    let mut failures = Vec::new();
    for s in expectations() {
        let text = std::fs::read_to_string(samples_dir().join(&s.file)).unwrap();
        let rubric = engine
            .bank()
            .get(&s.rubric)
            .unwrap_or_else(|| panic!("{}: no rubric {}", s.file, s.rubric))
            .clone();
        let analyzed = engine.analyze(&text);
        let scored = engine.score_analyzed(&rubric, &analyzed, &ScoreOptions::default());
        if scored.pass != s.pass || scored.missing != s.missing {
            failures.push(format!(
                "{} ({}): pass {} (expected {}), missing {:?} (expected {:?}), score {}",
                s.file, s.note, scored.pass, s.pass, scored.missing, s.missing, scored.score
            ));
        }
        if s.detect {
            match engine.detect(&analyzed) {
                Ok((r, _)) if r.id == s.rubric => {}
                Ok((r, _)) => failures.push(format!(
                    "{}: detected {} instead of {}",
                    s.file, r.id, s.rubric
                )),
                Err(e) => failures.push(format!("{}: not detected: {e}", s.file)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_sample_has_an_expectation() {
    let listed: Vec<String> = expectations().into_iter().map(|s| s.file).collect();
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(samples_dir()).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_file() && !name.starts_with("expected") && !listed.contains(&name) {
            unlisted.push(name);
        }
    }
    assert!(
        unlisted.is_empty(),
        "samples without an expectation: {unlisted:?}"
    );
    for kind in [
        "strong-technical",
        "weak-technical",
        "strong-behavioral",
        "weak-behavioral",
        "rambling",
        "bullets",
        "typos",
        "transcript",
    ] {
        assert!(
            listed.iter().any(|f| f.starts_with(kind)),
            "no {kind} sample"
        );
    }
}
