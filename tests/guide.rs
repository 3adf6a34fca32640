//! Guide mode holds every missing point back, in every format of `score`,
//! `check` and `report`: no id, label, phrase or hint of a missing concept
//! (as its rubric file has them) appears in the output.

mod common;

use std::path::{Path, PathBuf};

use common::{rubric, stderr, stdout};
use rubric::model::bank::Bank;
use serde_json::Value;

const SCORE_FORMATS: [&str; 8] = [
    "table", "brief", "json", "jsonl", "junit", "github", "sarif", "markdown",
];
const REPORT_FORMATS: [&str; 3] = ["table", "json", "markdown"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What would give a missing point away, per answer of a plain (not guide)
/// JSON run: each missing concept's id, label, phrases and hint. Words the
/// output may show anyway are left out: those of the answer itself, the
/// question, the covered concepts and the coaching questions.
fn secrets(plain_json: &str, bank: &Bank) -> Vec<String> {
    let plain: Value = serde_json::from_str(plain_json).unwrap();
    let mut secrets = Vec::new();
    let mut public = String::new();
    for r in plain["results"].as_array().unwrap() {
        let answer = r["answer"].as_str().unwrap();
        public.push_str(&std::fs::read_to_string(root().join(answer)).unwrap());
        let id = r["rubric"].as_str().expect("every answer is scored");
        let rubric = bank.get(id).unwrap();
        public.push_str(&rubric.question);
        let missing: Vec<&str> = r["missing"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for c in &rubric.concepts {
            public.extend(c.question_hint.as_deref());
            if missing.contains(&c.id.as_str()) {
                secrets.push(c.id.clone());
                secrets.push(c.label.clone());
                secrets.extend(c.phrases.iter().map(|p| p.text.clone()));
                secrets.extend(c.hint.clone());
            } else {
                public.push_str(&c.label);
                public.extend(c.hint.as_deref());
                public.extend(c.phrases.iter().map(|p| p.text.as_str()));
            }
        }
    }
    let public = public.to_lowercase();
    secrets.retain(|s| !public.contains(&s.to_lowercase()));
    assert!(!secrets.is_empty(), "the answers must miss something");
    secrets
}

fn assert_holds_back(what: &str, output: &str, secrets: &[String]) {
    let lower = output.to_lowercase();
    let leaked: Vec<&String> = secrets
        .iter()
        .filter(|s| lower.contains(&s.to_lowercase()))
        .collect();
    assert!(leaked.is_empty(), "{what} gives away {leaked:?}:\n{output}");
}

/// The secrets of the answers that `score_args` (a `score` or `check`
/// command) scores, from a plain JSON run.
fn secrets_of(score_args: &[&str], bank: &Bank) -> Vec<String> {
    let plain = rubric(&[score_args, &["--format", "json"]].concat());
    secrets(&stdout(&plain), bank)
}

/// Runs `args` with `--guide` in every format.
fn check_every_format(args: &[&str], formats: &[&str], secrets: &[String]) {
    for format in formats {
        let out = rubric(&[args, &["--guide", "--format", format]].concat());
        assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
        let what = format!("{} --guide --format {format}", args.join(" "));
        assert_holds_back(&what, &stdout(&out), secrets);
        assert_holds_back(&what, &stderr(&out), secrets);
    }
}

fn shipped_bank() -> Bank {
    Bank::load(&[], true).unwrap()
}

#[test]
fn score_guide_holds_back_missing_points_in_every_format() {
    let args = [
        "score",
        "samples/weak-technical.md",
        "--rubric",
        "background-jobs",
    ];
    let secrets = secrets_of(&args, &shipped_bank());
    check_every_format(&args, &SCORE_FORMATS, &secrets);
}

#[test]
fn check_guide_holds_back_missing_points_in_every_format() {
    let bank = Bank::load(&[PathBuf::from("samples/bank/rubrics")], true).unwrap();
    let args = ["check", "samples/bank"];
    check_every_format(&args, &SCORE_FORMATS, &secrets_of(&args, &bank));
}

#[test]
fn report_guide_holds_back_missing_points_in_every_format_and_file() {
    let answer = ["samples/weak-technical.md", "--rubric", "background-jobs"];
    let secrets = secrets_of(&[&["score"], &answer[..]].concat(), &shipped_bank());
    let args = [&["report"], &answer[..]].concat();
    check_every_format(&args, &REPORT_FORMATS, &secrets);
    // The files a person reads: report.html and report.md.
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let out = rubric(&[&args[..], &["--guide", "--out", out_dir]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in ["report.html", "report.md"] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert_holds_back(&format!("report --guide: {file}"), &text, &secrets);
    }
}
