//! The usual entry points stay in step with the README: the composite
//! action, the pre-commit hooks, and the README's workflow, hook, JSON Lines
//! and install snippets (`.ci/run` runs the install itself).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{rubric_in, stderr, stdout};
use serde_norway::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap()
}

/// The fenced blocks of the README in `lang`, each after the heading or
/// paragraph it follows.
fn readme_blocks(lang: &str) -> Vec<String> {
    let readme = read("README.md");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match &mut current {
            None if line.trim() == format!("```{lang}") => current = Some(String::new()),
            Some(_) if line.trim() == "```" => blocks.push(current.take().unwrap()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

fn yaml(text: &str) -> Value {
    serde_norway::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

#[test]
fn action_installs_from_path_runs_check_and_uploads_sarif() {
    let action = yaml(&read("action.yml"));
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs
        .iter()
        .any(|r| r.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\"")));
    assert!(runs
        .iter()
        .any(|r| r.starts_with("rubric check") && r.contains("--output \"sarif=")));
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert!(upload["if"].as_str().unwrap().contains("always()"));

    // The README's workflow uses the action with inputs it has.
    let workflow = readme_blocks("yaml")
        .into_iter()
        .map(|b| yaml(&b))
        .find(|y| y["jobs"].is_mapping())
        .expect("the README's workflow");
    let step = workflow["jobs"]["check"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["uses"].as_str() == Some("./"))
        .expect("the workflow uses this repository's action");
    let inputs = action["inputs"].as_mapping().unwrap();
    for (key, _) in step["with"].as_mapping().unwrap() {
        assert!(
            inputs.contains_key(key),
            "README passes unknown input {key:?}"
        );
    }
    assert!(!read("README.md").contains("OWNER"));
}

#[test]
fn the_workflows_check_passes_on_the_example_bank() {
    // What the README's workflow runs: the action's command in samples/bank
    // with the workflow's `args`.
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("rubric.sarif");
    let out = rubric_in(
        &root().join("samples/bank"),
        &[
            "check",
            "--format",
            "github",
            "--output",
            &format!("sarif={}", sarif.display()),
            "--max-failures",
            "1",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(sarif.is_file());
}

#[test]
fn pre_commit_hooks_and_the_readme_hook_pass_excluded_files() {
    let hooks = yaml(&read(".pre-commit-hooks.yaml"));
    let hook = &hooks.as_sequence().unwrap()[0];
    assert_eq!(hook["id"].as_str(), Some("rubric-check"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    let entry = hook["entry"].as_str().unwrap();

    let config = readme_blocks("yaml")
        .into_iter()
        .map(|b| yaml(&b))
        .find(|y| y["repos"].is_sequence())
        .expect("the README's pre-commit config");
    let readme_hook = &config["repos"][0]["hooks"][0];
    assert_eq!(readme_hook["entry"].as_str(), Some(entry));

    // pre-commit passes the changed files after the entry's arguments.
    let mut args: Vec<&str> = entry.split_whitespace().skip(1).collect();
    args.extend(["answers/idempotency.md", "answers/drafts/wip.md"]);
    let out = rubric_in(&root().join("samples/bank"), &args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("note: answers/drafts/wip.md: skipped"));
}

#[test]
fn readme_jsonl_snippet_runs() {
    let block = readme_blocks("sh")
        .into_iter()
        .find(|b| b.contains("--input jsonl"))
        .expect("the README's JSON Lines snippet");
    let line = block
        .split('\'')
        .find(|part| part.starts_with('{'))
        .expect("a JSON line in the snippet");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["score", "--input", "jsonl", "--format", "jsonl"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(child.stdin.take().unwrap(), "{line}").unwrap();
    let out = child.wait_with_output().unwrap();
    let row: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(row["answer"], "a1");
    assert_eq!(row["rubric"], "idempotency");
}

#[test]
fn readme_install_section_is_what_ci_runs() {
    let install = readme_blocks("sh")
        .into_iter()
        .filter(|b| b.contains("cargo install --path .") || b.contains("rubric completions"))
        .collect::<String>();
    let ci = read(".ci/run");
    assert!(ci.contains("cargo install --path . --locked --root"));
    for command in ["init", "check", "completions bash", "man"] {
        assert!(install.contains(&format!("rubric {command}")), "{command}");
        assert!(
            ci.contains(&format!("\"$installed\" {command}")),
            "{command}"
        );
    }
}
