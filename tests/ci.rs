//! CI-grade checks (issue 12), checked as a CI user would: SARIF against the
//! official OASIS 2.1.0 schema, JUnit with a real parser, GitHub's limits,
//! finding answers like linters do, JSON Lines in and out.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{rubric_in, stderr, stdout};
use serde_json::Value;

fn bank_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/bank")
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json"))
        .expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(doc: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF fails the 2.1.0 schema:\n{}",
        errors.join("\n")
    );
}

/// A bank in a temporary folder: the config and answers named as given.
fn temp_bank(config: &str, answers: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".rubric-bank.toml"), config).unwrap();
    for (name, text) in answers {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// An answer that passes its rubric (named in front matter).
const STRONG: &str = concat!(
    "+++\nrubric = \"idempotency\"\n+++\n",
    include_str!("../samples/bank/answers/idempotency.md")
);

#[test]
fn sarif_passes_the_official_schema_with_awkward_file_names() {
    let name = "answers/my answer 100%é.md";
    let dir = temp_bank(
        "answers = [\"answers/**/*.md\"]\n",
        &[
            (
                name,
                "+++\nrubric = \"idempotency\"\n+++\nI would just retry.\n",
            ),
            ("answers/bad.md", ""),
        ],
    );
    let out = rubric_in(dir.path(), &["check", "--format", "sarif"], &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an empty answer is an input error"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&v);
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    for rule in driver["rules"].as_array().unwrap() {
        assert!(rule["fullDescription"]["text"].is_string(), "{rule}");
        assert!(rule["help"]["text"].is_string(), "{rule}");
    }
    let loc = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "answers/my%20answer%20100%25%C3%A9.md");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(notes.iter().any(
        |n| n["message"]["text"].as_str().unwrap().contains("bad.md")
            && n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "answers/bad.md"
    ));
    // serde-sarif reads it too.
    let _: serde_sarif::sarif::Sarif = serde_json::from_value(v).unwrap();
}

#[test]
fn sarif_of_the_example_bank_is_valid_and_relative_from_a_subfolder() {
    let out = rubric_in(
        &bank_dir().join("answers"),
        &["check", "--format", "sarif"],
        &[],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&v);
    let uri = v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !uri.starts_with('/'),
        "never an absolute path without a scheme: {uri}"
    );
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn a_config_error_is_reported_in_sarif_and_as_annotations() {
    let dir = temp_bank("answers = [\"*.md\"]\npass = 120\n", &[("a.md", STRONG)]);
    let out = rubric_in(dir.path(), &["check", "--format", "sarif"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`pass` must be between 0 and 100"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&v);
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert!(note["message"]["text"]
        .as_str()
        .unwrap()
        .contains("`pass` must be between"));
    assert_eq!(
        note["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let gh = rubric_in(dir.path(), &["check", "--format", "github"], &[]);
    assert!(
        stdout(&gh).starts_with("::error file=.rubric-bank.toml,line=2,col=8,title=rubric::"),
        "{}",
        stdout(&gh)
    );
}

/// A bank of `n` answers that each miss points, for the limits.
fn big_bank(n: usize) -> tempfile::TempDir {
    let answers: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("answers/a{i:03}.md"),
                "+++\nrubric = \"idempotency\"\n+++\nI would retry the request.\n".to_string(),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = answers
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    temp_bank("answers = [\"answers/**/*.md\"]\n", &refs)
}

#[test]
fn annotations_are_capped_with_one_notice() {
    let dir = big_bank(30);
    let out = rubric_in(dir.path(), &["check", "--format", "github"], &[]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 51, "50 annotations and a notice");
    assert!(
        lines[..50].iter().all(|l| l.starts_with("::error ")),
        "errors first"
    );
    assert!(
        lines[50].starts_with("::notice title=rubric::")
            && lines[50].contains("more annotations left out")
    );
    let out = rubric_in(
        dir.path(),
        &["check", "--format", "github", "--max-annotations", "5"],
        &[],
    );
    assert_eq!(stdout(&out).lines().count(), 6);
}

#[test]
fn finding_answers_respects_gitignore_ignore_and_hidden_files() {
    let dir = temp_bank(
        "answers = [\"**/*.md\"]\nexclude = [\"drafts/**\"]\n",
        &[
            ("a.md", STRONG),
            (".gitignore", "node_modules/\n"),
            ("node_modules/pkg/README.md", STRONG),
            (".ignore", "scratch.md\n"),
            ("scratch.md", STRONG),
            (".hidden/b.md", STRONG),
            ("drafts/wip.md", STRONG),
        ],
    );
    for args in [
        vec!["check", "--format", "json"],
        vec!["check", ".", "--format", "json"],
    ] {
        let out = rubric_in(dir.path(), &args, &[]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let names = common::answers(&v);
        assert_eq!(names, ["a.md"], "{args:?}");
    }
    // An excluded file named on the command line is skipped with a note.
    let out = rubric_in(
        dir.path(),
        &["check", "a.md", "drafts/wip.md", "--format", "brief"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("wip.md"));
    assert!(
        stderr(&out).contains("note: drafts/wip.md: skipped, excluded by the config's `exclude`"),
        "{}",
        stderr(&out)
    );
    let quiet = rubric_in(dir.path(), &["check", "drafts/wip.md", "--quiet"], &[]);
    assert_eq!(
        quiet.status.code(),
        Some(0),
        "only excluded files named: nothing to do"
    );
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    // JUnit lists it as skipped.
    let out = rubric_in(dir.path(), &["check", "--format", "junit"], &[]);
    let suites = junit_parser::from_reader(std::io::Cursor::new(out.stdout)).unwrap();
    let cases: Vec<_> = suites.suites.iter().flat_map(|s| &s.cases).collect();
    assert_eq!(cases.iter().filter(|c| c.status.is_skipped()).count(), 1);
    let skipped = cases.iter().find(|c| c.status.is_skipped()).unwrap();
    assert_eq!(skipped.original_name, "drafts/wip.md");
    let scored = cases.iter().find(|c| c.original_name == "a.md").unwrap();
    assert_eq!(scored.file.as_deref(), Some("a.md"));
    assert_eq!(scored.line, Some(1));
    assert!(scored.time > 0.0, "time is measured: {}", scored.time);
}

#[test]
fn globs_and_files_from() {
    let dir = temp_bank(
        "exclude = [\"drafts/**\"]\n",
        &[
            ("x/a.md", STRONG),
            ("x/b.txt", STRONG),
            ("y/c.md", STRONG),
            ("drafts/d.md", STRONG),
        ],
    );
    let names = |out: &std::process::Output| -> Vec<String> {
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        common::answers(&v).into_iter().map(String::from).collect()
    };
    let out = rubric_in(dir.path(), &["check", "**/*.md", "--format", "json"], &[]);
    assert_eq!(names(&out), ["x/a.md", "y/c.md"]);
    let out = rubric_in(dir.path(), &["check", "x/*", "--format", "json"], &[]);
    assert_eq!(names(&out), ["x/a.md", "x/b.txt"]);
    std::fs::write(dir.path().join("list.txt"), "y/c.md\n\nx/b.txt\n").unwrap();
    let out = rubric_in(
        dir.path(),
        &["check", "--files-from", "list.txt", "--format", "json"],
        &[],
    );
    assert_eq!(names(&out), ["x/b.txt", "y/c.md"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["check", "--files-from", "-", "--format", "json"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"x/a.md\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(names(&out), ["x/a.md"]);
}

#[test]
fn selecting_nothing_is_an_error_unless_allowed() {
    let dir = temp_bank("answers = [\"answers/**/*.md\"]\n", &[("empty/.keep", "")]);
    let out = rubric_in(dir.path(), &["check", "*.mdx"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error: no answer selected: `*.mdx` matched no answer file"),
        "{}",
        stderr(&out)
    );
    let out = rubric_in(dir.path(), &["check", "empty"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`empty` matched no answer file"),
        "{}",
        stderr(&out)
    );
    let out = rubric_in(dir.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the config's `answers` (answers/**/*.md) matched no answer file"),
        "{}",
        stderr(&out)
    );
    let out = rubric_in(dir.path(), &["check", "empty", "--allow-empty"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn pipe(dir: &Path, args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// A small JSONL sample: good lines, a bad line, a line with an unknown rubric.
fn sample_jsonl() -> String {
    let mut lines = Vec::new();
    for i in 0..12 {
        let text = if i % 2 == 0 {
            "Clients send an idempotency key; the server stores the key with the first response and replays it for retries."
        } else {
            "I would add a retry loop."
        };
        lines.push(
            serde_json::json!({ "id": format!("a{i}"), "text": text, "rubric": "idempotency" })
                .to_string(),
        );
    }
    lines.insert(5, "{not json".to_string());
    lines.push(serde_json::json!({ "id": "z", "text": "Hello.", "rubric": "no-such" }).to_string());
    lines.join("\n") + "\n"
}

#[test]
fn jsonl_in_and_out_with_error_rows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = pipe(
        root,
        &["score", "--input", "jsonl", "--format", "jsonl"],
        sample_jsonl().as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2), "bad lines are input errors");
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        rows.len(),
        14,
        "one row per line, the stream goes on after a bad one"
    );
    assert_eq!(rows[0]["answer"], "a0");
    assert_eq!(rows[5]["answer"], "<stdin>:6");
    assert!(rows[5]["error"]
        .as_str()
        .unwrap()
        .contains("not an answer line"));
    assert_eq!(rows[6]["answer"], "a5", "input order");
    assert!(rows[13]["error"]
        .as_str()
        .unwrap()
        .contains("rubric `no-such` is not in the bank"));
    assert_eq!(rows[0]["rubric"], "idempotency");
}

/// The recipe for a bank too large for one machine (Spark's `RDD.pipe`,
/// Hadoop Streaming): each worker pipes its share of the lines through
/// `rubric score --input jsonl --format jsonl`; the shares' outputs,
/// concatenated, are the output of one run.
#[test]
fn jsonl_shares_piped_separately_equal_one_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = ["score", "--input", "jsonl", "--format", "jsonl"];
    let input = sample_jsonl();
    let whole = stdout(&pipe(root, &args, input.as_bytes()));
    let lines: Vec<&str> = input.lines().collect();
    let mut joined = String::new();
    for share in lines.chunks(4) {
        // Bad lines are named by their line in the share: compare the rest.
        joined.push_str(&stdout(&pipe(
            root,
            &args,
            (share.join("\n") + "\n").as_bytes(),
        )));
    }
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.contains("<stdin>:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(strip(&joined), strip(&whole));
    assert_eq!(joined.lines().count(), whole.lines().count());
}

#[test]
fn check_streams_jsonl_in_input_order() {
    let dir = big_bank(300);
    let out = rubric_in(dir.path(), &["check", "--format", "jsonl"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let names: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["answer"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names.len(), 300);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn init_makes_a_bank_that_checks_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = rubric_in(dir.path(), &["init"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for f in [
        ".rubric-bank.toml",
        "answers/example-caching.md",
        "rubrics/example-caching.toml",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    let check = rubric_in(dir.path(), &["check"], &[]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    let lint = rubric_in(dir.path(), &["lint", "rubrics"], &[]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    std::fs::write(dir.path().join("answers/example-caching.md"), "mine\n").unwrap();
    let again = rubric_in(dir.path(), &["init"], &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("never overwrites"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("answers/example-caching.md")).unwrap(),
        "mine\n"
    );
}

#[test]
fn completions_and_man_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = rubric_in(root, &["completions", shell], &[]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("check"), "{shell}");
    }
    let man = rubric_in(root, &["man"], &[]);
    assert_eq!(man.status.code(), Some(0));
    let text = stdout(&man);
    assert!(
        text.starts_with(".ie") || text.contains(".TH rubric"),
        "{}",
        &text[..200.min(text.len())]
    );
}

#[test]
fn stats_names_the_answers_it_could_not_score() {
    let dir = temp_bank(
        "",
        &[
            ("x.md", "I like turtles and long walks on the beach.\n"),
            ("y.md", STRONG),
        ],
    );
    let out = rubric_in(dir.path(), &["stats", "."], &[]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains("1 of 2 answers could not be scored"),
        "{text}"
    );
    assert!(
        text.contains("x.md: matches no rubric in the bank"),
        "{text}"
    );
}

#[test]
fn report_uses_the_configs_answers_when_given_none() {
    let out = rubric_in(&bank_dir(), &["report", "--format", "json"], &[]);
    // Printed to stdout, a report exits as `check` would: one answer fails.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["answers"], 5, "{v}");
}
