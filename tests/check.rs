//! `rubric check` on the example bank (samples/bank): mapping, policy,
//! every output format parsed back by a real consumer, atomic --output files.

mod common;

use std::path::Path;

use common::{rubric, rubric_in, stderr, stdout};
use serde_json::Value;

fn bank_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/bank")
}

fn check_json(extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = rubric_in(&bank_dir(), &args, &[]);
    (
        serde_json::from_str(&stdout(&out)).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn maps_every_answer_and_fails_the_weak_one() {
    let (v, code) = check_json(&[]);
    assert_eq!(code, 1, "one answer falls short");
    let results = v["results"].as_array().unwrap();
    let row = |name: &str| {
        results
            .iter()
            .find(|r| r["answer"].as_str().unwrap().ends_with(name))
            .unwrap()
    };
    assert_eq!(results.len(), 5, "drafts/ is excluded by the config");
    assert_eq!(row("idempotency.md")["mapped_by"], "name");
    assert_eq!(
        row("production-incident-2026-03-01.md")["mapped_by"],
        "name"
    );
    assert_eq!(
        row("production-incident-2026-03-01.md")["pass_mark"],
        55.0,
        "per-glob override"
    );
    assert_eq!(row("code-review.md")["mapped_by"], "front-matter");
    assert_eq!(
        row("code-review.md")["pass_mark"],
        65.0,
        "config default pass for a rubric without one"
    );
    assert_eq!(row("code-review.md")["date"], "2026-11-02");
    assert_eq!(row("limits.md")["mapped_by"], "index");
    assert_eq!(row("limits.md")["rubric"], "rate-limiting-algorithms");
    let weak = row("resilience-notes.md");
    assert_eq!(weak["candidate"], "sam");
    assert_eq!(weak["pass"], false);
    assert!(weak["failures"][0]
        .as_str()
        .unwrap()
        .contains("below the pass mark"));
    let s = &v["summary"];
    assert_eq!(
        (
            s["answers"].as_u64(),
            s["passed"].as_u64(),
            s["failed"].as_u64()
        ),
        (Some(5), Some(4), Some(1))
    );
    // Sorted by path, whatever the thread scheduling.
    let names: Vec<&str> = results
        .iter()
        .map(|r| r["answer"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn policy_flags_change_the_exit_code() {
    assert_eq!(check_json(&["--max-failures", "1"]).1, 0);
    let out = rubric_in(&bank_dir(), &["check", "--min-score", "101"], &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "101 is not a percentage: a usage error"
    );
    assert!(stderr(&out).contains("must be between 0 and 100, found 101"));
    let (v, code) = check_json(&["--min-score", "100", "--max-failures", "0"]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["failed"], 1, "every other answer scores 100");
}

#[test]
fn fail_on_warning_counts_star_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("disaster-recovery.md"),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/strong-behavioral.md"),
        )
        .unwrap()
        // A strong story whose result has no number: `result-not-quantified`.
        .replace(
            "in 22 minutes, well inside our one-hour RTO, and we lost about 40 seconds of writes",
            "quickly, well inside our RTO, and we lost very few writes",
        ),
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let plain = rubric(&["check", path, "--format", "json"]);
    let warn = rubric(&["check", path, "--format", "json", "--fail-on", "warning"]);
    let plain_v: Value = serde_json::from_str(&stdout(&plain)).unwrap();
    let warn_v: Value = serde_json::from_str(&stdout(&warn)).unwrap();
    // The story must have STAR findings, or this test proves nothing.
    let findings: Vec<&str> = plain_v["results"][0]["star"]["findings"]
        .as_array()
        .expect("a behavioral answer has a STAR analysis")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!findings.is_empty(), "{}", stdout(&plain));
    // Without --fail-on warning, findings are advice: the answer passes.
    assert_eq!(plain_v["summary"]["failed"], 0, "{}", stdout(&plain));
    assert!(plain_v["results"][0].get("failures").is_none());
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    // With it, the findings alone fail the answer and the run.
    assert_eq!(warn_v["summary"]["failed"], 1, "{}", stdout(&warn));
    let failures: Vec<&str> = warn_v["results"][0]["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        failures,
        [format!("STAR findings: {}", findings.join(", "))],
        "the findings, and nothing else, fail it"
    );
    assert_eq!(warn.status.code(), Some(1), "{}", stderr(&warn));
}

/// Output with JUnit's measured `time` attributes blanked: the only bytes
/// that differ between two runs.
fn without_times(out: &[u8]) -> String {
    let text = String::from_utf8_lossy(out);
    regex::Regex::new(r#" time="[0-9.]+""#)
        .unwrap()
        .replace_all(&text, r#" time="""#)
        .into_owned()
}

#[test]
fn junit_parses_with_a_real_consumer() {
    let out = rubric_in(&bank_dir(), &["check", "--format", "junit"], &[]);
    let suites =
        junit_parser::from_reader(std::io::Cursor::new(out.stdout)).expect("valid JUnit XML");
    assert_eq!(suites.tests, 6, "5 answers and the excluded draft");
    assert_eq!(suites.failures, 1);
    let cases: Vec<_> = suites.suites.iter().flat_map(|s| &s.cases).collect();
    assert_eq!(cases.iter().filter(|c| c.status.is_skipped()).count(), 1);
    let breaker = suites
        .suites
        .iter()
        .find(|s| s.name == "circuit-breaker")
        .unwrap();
    let case = &breaker.cases[0];
    assert!(case.status.is_failure());
    let failure = case.status.failure_as_ref();
    assert!(failure.message.contains("below the pass mark"));
    assert!(
        failure.text.contains("Stops calling a failing dependency"),
        "missing points with hints: {}",
        failure.text
    );
    let names: Vec<&str> = suites.suites.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"code-review") && names.contains(&"idempotency"));
}

#[test]
fn sarif_parses_with_a_real_consumer() {
    let out = rubric_in(&bank_dir(), &["check", "--format", "sarif"], &[]);
    let sarif: serde_sarif::sarif::Sarif =
        serde_json::from_slice(&out.stdout).expect("valid SARIF 2.1.0");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(sarif.runs.len(), 1);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"circuit-breaker/stop-calls"));
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "stable, sorted rule ids");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let stop = results
        .iter()
        .find(|r| r["ruleId"] == "circuit-breaker/stop-calls")
        .unwrap();
    assert_eq!(stop["level"], "error");
    assert_eq!(
        rules[stop["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "circuit-breaker/stop-calls"
    );
    // Relative to %SRCROOT%, the root of the repository (code scanning
    // resolves URIs against it), not to the folder rubric ran in.
    let in_git = Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists();
    assert_eq!(
        stop["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        if in_git {
            "samples/bank/answers/resilience-notes.md"
        } else {
            "answers/resilience-notes.md"
        }
    );
}

#[test]
fn github_annotations_and_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let out = rubric_in(
        &bank_dir(),
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    let text = stdout(&out);
    assert!(text.lines().any(|l| l.starts_with(
        "::error file=answers/resilience-notes.md,line=1,title=circuit-breaker/stop-calls::Missing: "
    )), "{text}");
    assert!(
        text.contains("title=circuit-breaker%3A score 7.7::"),
        "properties are escaped: {text}"
    );
    let md = std::fs::read_to_string(summary).unwrap();
    assert!(md.starts_with("## rubric: 5 answers, 4 passed, 1 failed"));
}

#[test]
fn brief_lines_are_grep_friendly() {
    let out = rubric_in(&bank_dir(), &["check", "--format", "brief"], &[]);
    for line in stdout(&out).lines() {
        let mut parts = line.splitn(3, ':');
        let (path, lineno) = (parts.next().unwrap(), parts.next().unwrap());
        assert!(path.starts_with("answers/"), "{line}");
        assert!(lineno.parse::<usize>().is_ok(), "{line}");
    }
    assert!(stdout(&out)
        .contains("answers/resilience-notes.md:1: circuit-breaker/fallback: missing (weight 2)"));
}

#[test]
fn output_files_are_written_and_identical_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("r.xml");
    let sarif = dir.path().join("r.sarif");
    let md = dir.path().join("r.md");
    let out = rubric_in(
        &bank_dir(),
        &[
            "check",
            "--format",
            "json",
            "--output",
            &format!("junit={}", junit.display()),
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("markdown={}", md.display()),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let again = rubric_in(&bank_dir(), &["check", "--format", "junit"], &[]);
    assert!(
        without_times(&std::fs::read(&junit).unwrap()) == without_times(&again.stdout),
        "same bytes as on stdout, but for the measured times"
    );
    assert!(std::fs::read_to_string(&md)
        .unwrap()
        .contains("| answers/limits.md | rate-limiting-algorithms | 100 |"));
    assert!(sarif.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 3, "no temporary files left: {leftovers:?}");
}

#[test]
fn bad_output_argument_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = rubric_in(
        &bank_dir(),
        &[
            "check",
            "--output",
            &format!("pdf={}/x.pdf", dir.path().display()),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown format `pdf`"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn every_format_is_deterministic() {
    for format in [
        "table", "brief", "json", "jsonl", "junit", "github", "sarif", "markdown",
    ] {
        let a = rubric_in(&bank_dir(), &["check", "--format", format], &[]);
        let b = rubric_in(&bank_dir(), &["check", "--format", format], &[]);
        assert!(
            without_times(&a.stdout) == without_times(&b.stdout),
            "{format}"
        );
    }
}

#[test]
fn config_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".rubric-bank.toml"),
        "answers = [\"*.md\"]\npass = 120\nfail_on = \"sometimes\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.md"), "An answer.\n").unwrap();
    let out = rubric_in(dir.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("error: .rubric-bank.toml:2:8: `pass` must be between 0 and 100, found 120"),
        "{err}"
    );
    assert!(
        err.contains("error: .rubric-bank.toml:3:11: `fail_on` must be"),
        "{err}"
    );
    std::fs::write(
        dir.path().join(".rubric-bank.toml"),
        "answerz = [\"*.md\"]\n",
    )
    .unwrap();
    let out = rubric_in(dir.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            ".rubric-bank.toml:1:1: unknown key `answerz` in the config (did you mean `answers`?)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unmappable_answer_is_an_error_not_a_skip() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.md"),
        "I like turtles and long walks on the beach.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("y.md"),
        "---\nrubric: no-such-rubric\n---\nText.\n",
    )
    .unwrap();
    let out = rubric(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["results"][0]["error"]
        .as_str()
        .unwrap()
        .contains("matches no rubric in the bank"));
    assert!(v["results"][1]["error"]
        .as_str()
        .unwrap()
        .contains("front matter names rubric `no-such-rubric`"));
}

#[test]
fn config_command_shows_origins() {
    let out = rubric_in(&bank_dir(), &["config", "--format", "json"], &[]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let row = |k: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["setting"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(row("pass")["value"], "65");
    assert_eq!(row("pass")["from"], ".rubric-bank.toml:10:8");
    assert_eq!(row("max_failures")["from"], "default");
}

#[test]
fn stats_and_diff() {
    let out = rubric_in(&bank_dir(), &["stats", "--format", "json"], &[]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let breaker = v["rubrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rubric"] == "circuit-breaker")
        .unwrap();
    assert_eq!(breaker["answers"], 1);
    assert_eq!(breaker["concepts"][0]["hit_rate"], 0.0, "least hit first");

    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    let report = rubric_in(&bank_dir(), &["check", "--format", "json"], &[]);
    std::fs::write(&old, &report.stdout).unwrap();
    // The new run: the strong idempotency answer loses a point, limits.md is gone.
    let mut v: Value = serde_json::from_slice(&report.stdout).unwrap();
    let results = v["results"].as_array_mut().unwrap();
    results.retain(|r| !r["answer"].as_str().unwrap().ends_with("limits.md"));
    for r in results.iter_mut() {
        if r["answer"].as_str().unwrap().ends_with("idempotency.md") {
            r["score"] = 85.0.into();
            r["missing"] = serde_json::json!(["key-retention"]);
        }
    }
    std::fs::write(&new, serde_json::to_vec(&v).unwrap()).unwrap();
    let out = rubric(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let d: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(d["regressions"], 1);
    assert_eq!(d["changes"][0]["change"], "regression");
    assert_eq!(
        d["changes"][0]["newly_missing"],
        serde_json::json!(["key-retention"])
    );
    assert_eq!(d["changes"][0]["delta"], -15.0);
    assert_eq!(d["changes"][1]["change"], "removed");
    let out = rubric(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--fail-on-regression",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = rubric(&[
        "diff",
        old.to_str().unwrap(),
        "samples/bank/.rubric-bank.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a rubric JSON report"));
}
