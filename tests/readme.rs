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
