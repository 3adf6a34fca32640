//! Helpers shared by the integration tests: run the real binary.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `rubric` with `args` in the repository root, without color.
pub fn rubric(args: &[&str]) -> Output {
    rubric_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}

/// Runs `rubric` in `dir` with extra environment variables.
pub fn rubric_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rubric"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the rubric binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 stderr")
}

/// The `answer` of each result of a JSON report, in order.
pub fn answers(report: &serde_json::Value) -> Vec<&str> {
    report["results"]
        .as_array()
        .expect("a report's results")
        .iter()
        .map(|r| r["answer"].as_str().expect("each result names its answer"))
        .collect()
}
