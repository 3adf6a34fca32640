//! `rubric practice` in a real pseudo-terminal: typed answers ended by a
//! lone `.`, `$EDITOR`, Ctrl-D, an empty answer, the saved attempts and the
//! trend, hints and reveal. The date is pinned with RUBRIC_TODAY.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::{ControlCode, Eof, Expect, Session};

const ANSWER_1: &str = "We use a token bucket per API key stored in Redis.";
const ANSWER_2: &str =
    "A token bucket in Redis keyed by API key; over the limit we return 429 with Retry-After and X-RateLimit headers.";

fn practice(dir: &Path, args: &[&str], editor: Option<&str>) -> expectrl::session::OsSession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rubric"));
    cmd.arg("practice")
        .args(args)
        .arg("--dir")
        .arg(dir)
        .env("RUBRIC_TODAY", "2026-03-01")
        .env("NO_COLOR", "1")
        .env_remove("VISUAL");
    match editor {
        Some(e) => cmd.env("EDITOR", e),
        None => cmd.env_remove("EDITOR"),
    };
    let mut p = Session::spawn(cmd).expect("spawn rubric practice in a pty");
    p.set_expect_timeout(Some(Duration::from_secs(60)));
    p
}

fn exits_zero(mut p: expectrl::session::OsSession) {
    p.expect(Eof).unwrap();
    let status = p.get_process_mut().wait().unwrap();
    assert_eq!(
        status,
        expectrl::process::unix::WaitStatus::Exited(p.get_process().pid(), 0),
        "practice exits 0"
    );
}

#[test]
fn typed_attempts_are_scored_saved_and_trended() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = practice(dir.path(), &["--rubric", "rate-limiting"], None);
    p.expect("How do you implement rate limiting?").unwrap();
    p.expect("$EDITOR is not set").unwrap();
    p.expect("a single `.`").unwrap();
    p.send_line(ANSWER_1).unwrap();
    p.send_line(".").unwrap();
    // Guide mode: coaching questions, the rubric's wording held back.
    p.expect("Questions to think about").unwrap();
    p.expect("rate-limiting-2026-03-01.md").unwrap();
    p.expect("Trend: first saved attempt").unwrap();
    p.expect("[q]uit > ").unwrap();
    p.send_line("h").unwrap();
    p.expect("Hint: ").unwrap();
    p.expect("[q]uit > ").unwrap();
    p.send_line("v").unwrap();
    p.expect("Missing points").unwrap();
    p.expect("[q]uit > ").unwrap();
    p.send_line("r").unwrap();
    p.expect("a single `.`").unwrap();
    p.send_line(ANSWER_2).unwrap();
    p.send_line(".").unwrap();
    p.expect("rate-limiting-2026-03-01-2.md").unwrap();
    p.expect("Trend (saved attempts at this question)").unwrap();
    p.expect("since the last attempt").unwrap();
    p.expect("[q]uit > ").unwrap();
    p.send_line("q").unwrap();
    p.expect("Bye.").unwrap();
    exits_zero(p);

    let first = std::fs::read_to_string(dir.path().join("rate-limiting-2026-03-01.md")).unwrap();
    assert_eq!(
        first,
        format!("---\nrubric: rate-limiting\ndate: 2026-03-01\n---\n{ANSWER_1}\n")
    );
    assert!(dir.path().join("rate-limiting-2026-03-01-2.md").is_file());
}

#[test]
fn guide_feedback_does_not_hand_out_the_wording() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = practice(dir.path(), &["--rubric", "rate-limiting", "--guide"], None);
    p.expect("a single `.`").unwrap();
    p.send_line(ANSWER_1).unwrap();
    p.send_line(".").unwrap();
    let shown = p.expect("[q]uit > ").unwrap();
    let shown = String::from_utf8_lossy(shown.before()).into_owned();
    // A missed point's label in the rubric: held back in guide mode.
    assert!(!shown.contains("Enforces limits at the gateway"), "{shown}");
    assert!(shown.contains("(a point to find)"), "{shown}");
    p.send_line("q").unwrap();
    exits_zero(p);
}

#[test]
fn ctrl_d_at_the_answer_quits() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = practice(dir.path(), &["--rubric", "rate-limiting"], None);
    p.expect("a single `.`").unwrap();
    p.send(ControlCode::EndOfTransmission).unwrap();
    p.expect("Bye.").unwrap();
    exits_zero(p);
    assert_eq!(std::fs::read_dir(dir.path()).map_or(0, |d| d.count()), 0);
}

#[test]
fn an_empty_answer_is_not_scored_or_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = practice(dir.path(), &["--rubric", "rate-limiting"], None);
    p.expect("a single `.`").unwrap();
    p.send_line(".").unwrap();
    p.expect("The answer is empty").unwrap();
    p.expect("[q]uit > ").unwrap();
    // Ctrl-D at the menu quits too.
    p.send(ControlCode::EndOfTransmission).unwrap();
    p.expect("Bye.").unwrap();
    exits_zero(p);
    assert!(!dir.path().join("rate-limiting-2026-03-01.md").exists());
}

#[test]
fn the_answer_comes_from_editor_when_it_is_set() {
    let dir = tempfile::tempdir().unwrap();
    // An "editor" that writes the answer into the file it is given.
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\nprintf '%s\\n' '{ANSWER_2}' >> \"$1\"\n"),
    )
    .unwrap();
    let editor = format!("sh {}", editor.display());
    let attempts = dir.path().join("attempts");
    let mut p = practice(&attempts, &["--rubric", "rate-limiting"], Some(&editor));
    p.expect("rate-limiting-2026-03-01.md").unwrap();
    p.expect("[q]uit > ").unwrap();
    p.send_line("n").unwrap();
    // The next question opens the editor again.
    p.expect("Question 2 of").unwrap();
    p.expect("[q]uit > ").unwrap();
    p.send_line("q").unwrap();
    exits_zero(p);
    let saved = std::fs::read_to_string(attempts.join("rate-limiting-2026-03-01.md")).unwrap();
    assert!(saved.ends_with(&format!("---\n{ANSWER_2}\n")), "{saved}");
}

#[test]
fn a_failing_editor_falls_back_to_typing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = practice(
        dir.path(),
        &["--rubric", "rate-limiting"],
        Some("/nonexistent/editor"),
    );
    p.expect("failed").unwrap();
    p.expect("type the answer here instead").unwrap();
    p.expect("a single `.`").unwrap();
    p.send(ControlCode::EndOfTransmission).unwrap();
    p.expect("Bye.").unwrap();
    exits_zero(p);
}

#[test]
fn weakest_starts_with_a_question_never_attempted() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = practice(dir.path(), &["--weakest"], None);
    p.expect("Question 1 of").unwrap();
    p.expect("a single `.`").unwrap();
    p.send(ControlCode::EndOfTransmission).unwrap();
    exits_zero(p);
}
