//! Hostile input (issue 13): each row of the issue's table, run against the
//! real binary with a deadline. Every one ends with a clear message naming
//! the file and exit 2, or the documented tolerant behaviour, and never
//! hangs: a run that outlives its deadline is killed and fails the test.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous for a debug build on a busy machine; a hang never ends.
const DEADLINE: Duration = Duration::from_secs(30);

const ANSWER: &str = "An idempotency key makes a retry safe: the server stores the \
    response for each key and replays it when the same key arrives again.\n";

/// Runs `rubric` in `dir` (without color) and kills it after [`DEADLINE`].
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rubric"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the rubric binary runs");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > DEADLINE {
            child.kill().unwrap();
            panic!("rubric {args:?} still running after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn err(o: &Output) -> String {
    common::stderr(o)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn tiny_rubric(dir: &Path) {
    std::fs::write(
        dir.join("tiny.toml"),
        "id = \"tiny\"\nquestion = \"Q?\"\n[[concept]]\nid = \"key\"\nphrases = [\"idempotency key\"]\n",
    )
    .unwrap();
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// --- Directory walks ------------------------------------------------------

/// The run exits 2 and says `needle` on stderr.
fn assert_refused(o: &std::process::Output, needle: &str) {
    assert_eq!(code(o), 2, "{}", err(o));
    assert!(err(o).contains(needle), "{}", err(o));
}

#[test]
fn two_links_to_the_rubric_dir_itself_are_named_not_followed() {
    let d = tmp();
    let rubrics = d.path().join("r");
    std::fs::create_dir(&rubrics).unwrap();
    tiny_rubric(&rubrics);
    symlink(".", rubrics.join("a")).unwrap();
    symlink(".", rubrics.join("b")).unwrap();
    for args in [
        vec!["lint", "r"],
        vec!["list", "--no-builtin", "--rubrics", "r"],
    ] {
        let o = run_in(d.path(), &args, &[]);
        assert_eq!(code(&o), 2, "{args:?}");
        let text = out(&o) + &err(&o);
        assert_eq!(text.matches("symbolic link loop").count(), 2, "{text}");
        assert!(text.contains("r/a:1:1: symbolic link loop"), "{text}");
        assert!(!text.contains("duplicate rubric id"), "{text}");
    }
}

#[test]
fn one_link_to_the_rubric_dir_is_one_message_not_forty_duplicates() {
    let d = tmp();
    let rubrics = d.path().join("r");
    std::fs::create_dir(&rubrics).unwrap();
    tiny_rubric(&rubrics);
    symlink(".", rubrics.join("self")).unwrap();
    let o = run_in(d.path(), &["lint", "r"], &[]);
    let text = out(&o);
    assert_eq!(code(&o), 2);
    assert_eq!(text.matches("symbolic link loop").count(), 1, "{text}");
    assert!(!text.contains("duplicate"), "{text}");
    assert!(text.contains("1 rubric file: 1 error"), "{text}");
}

#[test]
fn a_link_out_of_the_rubric_dir_is_not_followed() {
    let d = tmp();
    let rubrics = d.path().join("r");
    let outside = d.path().join("elsewhere");
    std::fs::create_dir_all(&rubrics).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    tiny_rubric(&rubrics);
    std::fs::write(outside.join("broken.toml"), "not = [valid").unwrap();
    symlink(&outside, rubrics.join("out")).unwrap();
    let o = run_in(d.path(), &["lint", "r"], &[]);
    assert_ne!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("1 rubric file: 0 errors"), "{}", out(&o));
    assert!(!out(&o).contains("broken"), "{}", out(&o));
}

#[test]
fn an_answer_walk_takes_a_linked_file_once_in_path_order_and_names_loops_in_order() {
    let d = tmp();
    let answers = d.path().join("answers");
    let elsewhere = d.path().join("elsewhere");
    std::fs::create_dir_all(answers.join("a")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    for f in [
        answers.join("a/x.md"),
        answers.join("a.md"),
        elsewhere.join("y.md"),
    ] {
        std::fs::write(f, ANSWER).unwrap();
    }
    // `b` reaches `a/x.md` a second time; `out` leads out of the walk.
    symlink("a", answers.join("b")).unwrap();
    symlink("../elsewhere", answers.join("out")).unwrap();
    let o = run_in(
        d.path(),
        &["check", "-r", "idempotency", "answers", "--format", "json"],
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&out(&o)).expect("JSON");
    let names = common::answers(&report);
    // A folder's files before the file named like it, as `Path` orders
    // them; the linked copy is the later path, so it is the one left out.
    assert_eq!(names, ["answers/a/x.md", "answers/a.md"], "{}", err(&o));

    let loops = d.path().join("loops");
    for sub in ["z", "c", "m"] {
        std::fs::create_dir_all(loops.join(sub)).unwrap();
        symlink("..", loops.join(sub).join("up")).unwrap();
    }
    let o = run_in(d.path(), &["check", "-r", "idempotency", "loops"], &[]);
    assert_eq!(code(&o), 2);
    let loops_named: Vec<String> = err(&o)
        .lines()
        .filter(|l| l.contains("symbolic link loop"))
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = ["c", "m", "z"]
        .iter()
        .map(|sub| {
            format!(
                "error: loops/{sub}/up: symbolic link loop: leads back to `loops`, \
                 which is being walked; not followed"
            )
        })
        .collect();
    assert_eq!(loops_named, expected, "{}", err(&o));
}

#[test]
fn a_bank_error_is_reported_before_a_walk_error() {
    // The answers are walked while the bank loads; the bank's error still
    // comes first, and alone, as when one ran after the other.
    let d = tmp();
    std::fs::write(
        d.path().join(".rubric-bank.toml"),
        "rubrics = [\"missing\"]\nanswers = [\"loops/**/*.md\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("loops/z")).unwrap();
    symlink("..", d.path().join("loops/z/up")).unwrap();
    let o = run_in(d.path(), &["check"], &[]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("missing:1:1: cannot read rubric directory"),
        "{}",
        err(&o)
    );
    assert!(!err(&o).contains("symbolic link loop"), "{}", err(&o));
}

#[test]
fn the_filesystem_root_as_rubric_dir_is_refused() {
    let d = tmp();
    std::fs::write(d.path().join("bank.toml"), "rubrics = [\"/\"]\n").unwrap();
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    let o = run_in(d.path(), &["check", "--config", "bank.toml", "a.md"], &[]);
    assert_refused(&o, "/:1:1: is the filesystem root");
}

// --- Only regular files, bounded reads ------------------------------------

#[test]
fn fifos_are_refused_without_blocking() {
    let d = tmp();
    mkfifo(&d.path().join("fifo.md"));
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["score", "-r", "idempotency", "fifo.md"],
            "fifo.md: is a FIFO (named pipe), not a regular file",
        ),
        (
            &["check", "--config", "fifo.md", "a.md"],
            "fifo.md:1:1: cannot read config: is a FIFO",
        ),
        (
            &["score", "-r", "idempotency", "--fillers", "fifo.md", "a.md"],
            "fifo.md:1:1: cannot read filler list: is a FIFO",
        ),
        (
            &["lint", "fifo.md"],
            "fifo.md:1:1: cannot read rubric: is a FIFO",
        ),
    ];
    for (args, want) in cases {
        let o = run_in(d.path(), args, &[]);
        assert_eq!(code(&o), 2, "{args:?}");
        let text = out(&o) + &err(&o);
        assert!(text.contains(want), "{args:?}: {text}");
    }
}

#[test]
fn dev_zero_is_refused() {
    let o = run_in(
        Path::new("/"),
        &["score", "-r", "idempotency", "/dev/zero"],
        &[],
    );
    assert_refused(&o, "/dev/zero: is a character device, not a regular file");
}

#[test]
fn an_answer_over_the_limit_is_refused_and_the_flag_raises_it() {
    let d = tmp();
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    let with_limit = |limit: &str| {
        run_in(
            d.path(),
            &[
                "score",
                "-r",
                "idempotency",
                "--max-answer-bytes",
                limit,
                "a.md",
            ],
            &[],
        )
    };
    let o = with_limit("100");
    assert_refused(
        &o,
        "a.md: larger than the answer limit of 100 bytes; raise it with --max-answer-bytes",
    );
    let o = with_limit("100000");
    assert_ne!(code(&o), 2, "{}", err(&o));
    // Word offsets are 32-bit: the limit goes up to 4 GiB and no further.
    let o = with_limit("4294967296");
    assert_refused(&o, "4294967296 is not in 1..=4294967295");
}

// --- Numbers --------------------------------------------------------------

#[test]
fn front_matter_numbers_follow_the_rubric_rules() {
    let d = tmp();
    for (i, (matter, want)) in [
        ("pass: .nan", "`pass` must be between 0 and 100, found NaN"),
        ("pass: -50", "`pass` must be between 0 and 100, found -50"),
        (
            "pass: 1e300",
            "`pass` must be between 0 and 100, found 1e300",
        ),
        (
            "review: { score: 250 }",
            "`review.score` must be between 0 and 100, found 250",
        ),
        (
            "review: { score: .nan }",
            "`review.score` must be between 0 and 100, found NaN",
        ),
    ]
    .iter()
    .enumerate()
    {
        let name = format!("a{i}.md");
        std::fs::write(
            d.path().join(&name),
            format!("---\n{matter}\n---\n{ANSWER}"),
        )
        .unwrap();
        let o = run_in(d.path(), &["score", "-r", "idempotency", &name], &[]);
        assert_eq!(code(&o), 2, "{matter}");
        assert!(err(&o).contains(&format!("{name}:2:")), "{}", err(&o));
        assert!(err(&o).contains(want), "{matter}: {}", err(&o));
    }
}

#[test]
fn star_cue_weights_follow_the_rubric_rules() {
    let d = tmp();
    let cues =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/star-cues.toml"))
            .unwrap();
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    for bad in ["nan", "0.0", "-1.0"] {
        std::fs::write(
            d.path().join("cues.toml"),
            cues.replacen("weight = 1.0", &format!("weight = {bad}"), 1),
        )
        .unwrap();
        let o = run_in(d.path(), &["star", "--star-cues", "cues.toml", "a.md"], &[]);
        assert_eq!(code(&o), 2, "{bad}");
        assert!(
            err(&o).contains("cues.toml:10:10: `weight` must be a positive number"),
            "{bad}: {}",
            err(&o)
        );
    }
}

#[test]
fn absurd_transcript_times_are_refused() {
    let d = tmp();
    for (name, text) in [
        ("a.srt", "1\n5124095576030432:00:00,000 --> 5124095576030432:00:01,000\nAn idempotency key.\n".to_string()),
        ("b.srt", "1\n18446744073709551615:00:00,000 --> 18446744073709551615:00:01,000\nAn idempotency key.\n".to_string()),
        ("c.json", r#"{"segments":[{"start":-5,"end":2,"text":"An idempotency key."}]}"#.to_string()),
        ("d.json", r#"{"segments":[{"start":0,"end":1e308,"text":"An idempotency key."}]}"#.to_string()),
        ("e.json", r#"{"segments":[{"start":-1e308,"end":1,"text":"An idempotency key."}]}"#.to_string()),
    ] {
        std::fs::write(d.path().join(name), text).unwrap();
        let o = run_in(d.path(), &["score", "-r", "idempotency", name], &[]);
        assert_eq!(code(&o), 2, "{name}: {}", out(&o));
        assert!(err(&o).contains(name), "{name}: {}", err(&o));
    }
}

#[test]
fn percent_flags_follow_the_rubric_rules() {
    for bad in ["nan", "-50", "250", "1e300"] {
        let flag = format!("--pass={bad}");
        let o = run_in(
            Path::new("."),
            &["score", "-r", "idempotency", &flag, "x.md"],
            &[],
        );
        assert_eq!(code(&o), 2, "{bad}");
        assert!(err(&o).contains("must be between 0 and 100"), "{}", err(&o));
    }
}

// --- Binary, UTF-16, control characters -----------------------------------

#[test]
fn a_nul_after_the_first_8_kib_is_binary_and_never_echoed() {
    let d = tmp();
    let mut bytes = ANSWER.repeat(200).into_bytes();
    assert!(bytes.len() > 8192);
    bytes.extend_from_slice(b"\0 and more\n");
    std::fs::write(d.path().join("a.md"), bytes).unwrap();
    let o = run_in(d.path(), &["score", "-r", "idempotency", "a.md"], &[]);
    assert_refused(&o, "a.md: looks like a binary file");
    assert!(!o.stdout.contains(&0) && !o.stderr.contains(&0));
}

#[test]
fn utf16_answers_say_utf16_and_how_to_convert() {
    let d = tmp();
    let mut bytes = vec![0xff, 0xfe];
    for u in ANSWER.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(d.path().join("a.md"), bytes).unwrap();
    let o = run_in(d.path(), &["score", "-r", "idempotency", "a.md"], &[]);
    assert_refused(&o, "a.md: UTF-16 text; convert it to UTF-8");
}

#[test]
fn terminal_escapes_in_answers_are_shown_escaped_but_kept_in_json() {
    let d = tmp();
    let hostile = "An idempotency key \u{1b}]0;pwned\u{7}makes a \u{1b}[31mretry\u{1b}[0m safe.\n";
    std::fs::write(d.path().join("a.md"), hostile).unwrap();
    for format in ["table", "brief", "markdown", "github", "junit"] {
        let o = run_in(
            d.path(),
            &["score", "-r", "idempotency", "--format", format, "a.md"],
            &[],
        );
        assert!(
            !o.stdout.contains(&0x1b) && !o.stdout.contains(&0x07),
            "{format}: {}",
            out(&o)
        );
    }
    let o = run_in(
        d.path(),
        &["score", "-r", "idempotency", "--format", "table", "a.md"],
        &[],
    );
    assert!(out(&o).contains("\\u{1b}]0;pwned\\u{7}"), "{}", out(&o));
    // With color on, only the renderer's own colors are raw.
    let o = run_in(
        d.path(),
        &["score", "-r", "idempotency", "--color", "always", "a.md"],
        &[],
    );
    assert!(
        !out(&o).contains("\u{1b}]0;") && !o.stdout.contains(&0x07),
        "{}",
        out(&o)
    );
    assert!(!out(&o).contains("\u{1b}[31mretry"), "{}", out(&o));
    let o = run_in(
        d.path(),
        &["score", "-r", "idempotency", "--format", "json", "a.md"],
        &[],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let quotes = v.to_string();
    assert!(quotes.contains("\\u001b[31mretry"), "{quotes}");
}

// --- Output sets ----------------------------------------------------------

#[test]
fn output_files_are_all_or_nothing() {
    let d = tmp();
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    let o = run_in(
        d.path(),
        &[
            "check",
            "-r",
            "idempotency",
            "a.md",
            "--output",
            "json=a.json",
            "--output",
            "junit=missing-dir/x.xml",
        ],
        &[],
    );
    assert_eq!(code(&o), 2);
    assert!(
        err(&o)
            .contains("missing-dir/x.xml: cannot write: the directory missing-dir does not exist"),
        "{}",
        err(&o)
    );
    let left: Vec<PathBuf> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        left,
        vec![d.path().join("a.md")],
        "nothing written, no temporaries"
    );
}

#[test]
fn report_out_writes_both_files_or_neither() {
    let d = tmp();
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    let out_dir = d.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    std::fs::write(out_dir.join("report.html"), "old").unwrap();
    // report.md cannot be replaced (it is a directory): the HTML stays old.
    std::fs::create_dir(out_dir.join("report.md")).unwrap();
    let o = run_in(
        d.path(),
        &["report", "-r", "idempotency", "a.md", "--out", "out"],
        &[],
    );
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(
        err(&o).contains("out/report.md: cannot write"),
        "{}",
        err(&o)
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("report.html")).unwrap(),
        "old"
    );
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        2,
        "no temporaries"
    );
}

#[test]
fn interrupted_runs_leave_no_temporary_files() {
    for signal in ["INT", "TERM"] {
        let d = tmp();
        std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
            .args([
                "check",
                "-r",
                "idempotency",
                "a.md",
                "--output",
                "json=a.json",
                "--output",
                "junit=b.xml",
            ])
            .current_dir(d.path())
            .env("RUBRIC_TEST_PAUSE_BEFORE_RENAME_MS", "20000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until both temporaries exist, then interrupt.
        let start = Instant::now();
        while std::fs::read_dir(d.path()).unwrap().count() < 3 {
            assert!(start.elapsed() < DEADLINE, "no temporaries appeared");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}");
        let left: Vec<PathBuf> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(left, vec![d.path().join("a.md")], "{signal}");
    }
}

#[test]
fn an_output_symlink_is_written_through_not_replaced() {
    let d = tmp();
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    std::fs::create_dir(d.path().join("real")).unwrap();
    std::fs::write(d.path().join("real/report.json"), "old").unwrap();
    symlink("real/report.json", d.path().join("link.json")).unwrap();
    let o = run_in(
        d.path(),
        &[
            "check",
            "-r",
            "idempotency",
            "a.md",
            "--output",
            "json=link.json",
        ],
        &[],
    );
    assert_ne!(code(&o), 2, "{}", err(&o));
    let meta = std::fs::symlink_metadata(d.path().join("link.json")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link stays a link");
    let written = std::fs::read_to_string(d.path().join("real/report.json")).unwrap();
    assert!(written.contains("\"schema\": 1"), "{written}");
}

/// Regression: `--output json=/dev/null`, run as root, renamed a regular
/// file over the device. A target that is no regular file (a device, a
/// named pipe) is written into and stays what it is; a named pipe no
/// process reads is refused at once, and the set's other files are not
/// written.
#[test]
fn an_output_that_is_no_regular_file_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let d = tmp();
    std::fs::write(d.path().join("a.md"), ANSWER).unwrap();
    let fifo = d.path().join("out.json");
    mkfifo(&fifo);
    let args = [
        "check",
        "-r",
        "idempotency",
        "a.md",
        "--output",
        "junit=report.xml",
        "--output",
        "json=out.json",
    ];
    let o = run_in(d.path(), &args, &[]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(
        err(&o).contains("out.json: cannot write: is a named pipe no process reads"),
        "{}",
        err(&o)
    );
    assert!(
        !d.path().join("report.xml").exists(),
        "nothing of the set is written"
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    // The reader opens the pipe in its own time: until it has, the pipe
    // has no reader and the run is refused, so it is tried again.
    let mut o = run_in(d.path(), &args, &[]);
    for _ in 0..100 {
        if !err(&o).contains("no process reads") {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        o = run_in(d.path(), &args, &[]);
    }
    assert_ne!(code(&o), 2, "{}", err(&o));
    let read = reader.join().unwrap();
    assert!(read.contains("\"schema\": 1"), "{read}");
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the pipe stays a pipe");
    assert!(d.path().join("report.xml").is_file());
}

// --- diff and empty runs --------------------------------------------------

#[test]
fn diff_refuses_unknown_schemas_and_repeated_answers() {
    let d = tmp();
    std::fs::write(d.path().join("ok.json"), r#"{"schema":1,"results":[]}"#).unwrap();
    std::fs::write(d.path().join("s99.json"), r#"{"schema":99,"results":[]}"#).unwrap();
    let twice = r#"{"schema":1,"results":[{"answer":"a.md","score":50,"pass":false},{"answer":"a.md","score":70,"pass":true}]}"#;
    std::fs::write(d.path().join("twice.json"), twice).unwrap();
    let o = run_in(d.path(), &["diff", "ok.json", "s99.json"], &[]);
    assert_refused(
        &o,
        "s99.json: report schema 99, but this version of rubric reads schema 1",
    );
    let o = run_in(d.path(), &["diff", "twice.json", "ok.json"], &[]);
    assert_refused(&o, "twice.json: answer `a.md` appears twice");
}

#[test]
fn globs_or_directories_that_find_no_answer_are_errors() {
    let d = tmp();
    std::fs::write(
        d.path().join(".rubric-bank.toml"),
        "answers = [\"answers/**/*.md\"]\n",
    )
    .unwrap();
    let o = run_in(d.path(), &["check"], &[]);
    assert_refused(
        &o,
        "no answer selected: the config's `answers` (answers/**/*.md) matched no answer file",
    );
    let elsewhere = tmp();
    std::fs::write(elsewhere.path().join("x.md"), ANSWER).unwrap();
    std::fs::create_dir(d.path().join("only-link")).unwrap();
    symlink(
        elsewhere.path().join("x.md"),
        d.path().join("only-link/x.md"),
    )
    .unwrap();
    let o = run_in(d.path(), &["check", "-r", "idempotency", "only-link"], &[]);
    assert_refused(
        &o,
        "no answer selected: `only-link` (skipped 1 symbolic link(s) leading out of it",
    );
    assert!(err(&o).contains("only-link/x.md"), "{}", err(&o));
}
