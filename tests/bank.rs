//! Every shipped rubric loads, lints clean and is complete.

use std::collections::BTreeSet;

use rubric::authoring::lint::lint_loaded;
use rubric::model::bank::{Bank, BUILTIN};
use rubric::model::rubric::{parse, Kind};

#[test]
fn every_shipped_rubric_loads() {
    let bank = Bank::builtin().unwrap_or_else(|e| panic!("shipped bank does not load:\n{e}"));
    assert_eq!(bank.len(), BUILTIN.len());
    assert_eq!(bank.len(), 80, "one rubric per seed question");
}

#[test]
fn shipped_bank_lints_clean() {
    let loaded = BUILTIN
        .iter()
        .map(|(path, src)| parse(std::path::Path::new(path), src))
        .collect();
    let report = lint_loaded(loaded);
    let text: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(text.is_empty(), "lint problems:\n{}", text.join("\n"));
}

#[test]
fn shipped_rubrics_are_complete() {
    let bank = Bank::builtin().unwrap();
    let mut sources = BTreeSet::new();
    for r in bank.rubrics() {
        let folder = r
            .path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_eq!(
            r.tags.first(),
            Some(&folder),
            "{}: first tag names the folder",
            r.id
        );
        let source = r
            .source
            .clone()
            .unwrap_or_else(|| panic!("{} has no source", r.id));
        assert!(sources.insert(source.clone()), "{source} is used twice");
        let technical = (5..=12).contains(&r.concepts.len());
        match r.kind {
            Kind::Technical => assert!(technical, "{}: {} concepts", r.id, r.concepts.len()),
            Kind::Behavioral => {
                assert!(r.star_weight.is_some());
                assert_eq!(folder, "behavioral");
            }
        }
        let required = r.concepts.iter().filter(|c| c.required).count();
        assert!(
            (1..=2).contains(&required),
            "{}: {required} required concepts",
            r.id
        );
        for c in &r.concepts {
            assert!(
                c.hint.is_some() && c.question_hint.is_some(),
                "{}/{}",
                r.id,
                c.id
            );
        }
        assert!(!r.red_flags.is_empty(), "{} has no red flag", r.id);
    }
    // The four seed banks: 31 + 11 + 23 + 15 questions.
    let per_seed = |prefix: &str| sources.iter().filter(|s| s.starts_with(prefix)).count();
    assert_eq!(
        [
            per_seed("000_"),
            per_seed("001_"),
            per_seed("002_"),
            per_seed("003_")
        ],
        [31, 11, 23, 15]
    );
}
