//! The README stays true: its quick-start output is the real output, and
//! the commands it names exist.

mod common;

use common::{rubric, stdout};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn quick_start_output_is_real() {
    let out = rubric(&["score", "samples/strong-technical.md"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the README's first command passes"
    );
    let text = stdout(&out);
    let readme = readme();
    for line in text.lines().take(9) {
        assert!(
            readme.contains(line),
            "README quick start is stale; expected the line:\n{line}"
        );
    }
}

#[test]
fn every_command_in_the_table_exists() {
    let help = stdout(&rubric(&["--help"]));
    for line in readme().lines().filter(|l| l.starts_with("| `rubric ")) {
        let name = line
            .trim_start_matches("| `rubric ")
            .split([' ', '`'])
            .next()
            .unwrap();
        assert!(
            help.contains(&format!("  {name} ")),
            "README names `rubric {name}`, which --help does not list"
        );
    }
}

/// Every `cargo run -- …` line of the README's `sh` blocks runs, with the
/// exit code its comment names (`exit 1: …`) or else 0 or 1, never 2.
/// `practice` is interactive and has its own pseudo-terminal tests.
#[test]
fn every_cargo_run_snippet_runs() {
    let readme = readme();
    let mut in_sh = false;
    let mut ran = 0;
    for line in readme.lines() {
        match line.trim() {
            "```sh" => in_sh = true,
            "```" => in_sh = false,
            l if in_sh && l.starts_with("cargo run -- ") => {
                let (command, comment) = l.split_once('#').unwrap_or((l, ""));
                let args: Vec<&str> = command
                    .trim_start_matches("cargo run -- ")
                    .split_whitespace()
                    .collect();
                if args.first() == Some(&"practice") {
                    continue;
                }
                let out = rubric(&args);
                let code = out.status.code();
                match comment.trim().strip_prefix("exit ") {
                    Some(rest) => {
                        let expected: i32 = rest[..1].parse().unwrap();
                        assert_eq!(code, Some(expected), "{l}\n{}", stdout(&out));
                    }
                    None => assert!(
                        matches!(code, Some(0) | Some(1)),
                        "{l} exited {code:?}\n{}",
                        String::from_utf8_lossy(&out.stderr)
                    ),
                }
                ran += 1;
            }
            _ => {}
        }
    }
    assert!(ran >= 6, "only {ran} README commands ran");
}
