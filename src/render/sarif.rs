//! SARIF 2.1.0, for code-scanning tools: valid against the OASIS schema,
//! within GitHub's limits (at most [`MAX_RESULTS`] results per run), with
//! percent-encoded URIs relative to `%SRCROOT%`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::Report;

/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// Where the tool is documented (the driver's `informationUri`).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_HOMEPAGE");

/// Everything but RFC 3986's unreserved characters is encoded in a path
/// segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The URI reference of a relative path: each segment percent-encoded,
/// joined with `/`.
fn relative_uri(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => {
                Some(utf8_percent_encode(&s.to_string_lossy(), SEGMENT).to_string())
            }
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A `file://` URI of an absolute path (a directory ends with `/`).
fn file_uri(path: &Path, dir: bool) -> String {
    let mut uri = format!("file:///{}", relative_uri(path));
    if dir && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Where answer paths start from: `%SRCROOT%` (the root of the repository,
/// which code scanning resolves URIs against) and the directory relative
/// answer paths are relative to (where rubric ran).
#[derive(Debug, Clone, Copy)]
pub struct SarifRoot<'a> {
    pub srcroot: &'a Path,
    pub cwd: &'a Path,
}

/// `path` without `.` and with `..` taken back, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The artifact location of an answer: relative to `%SRCROOT%` when it
/// lies below it, else an absolute `file://` URI.
fn artifact(answer: &str, root: Option<SarifRoot<'_>>) -> Value {
    let path = Path::new(answer);
    let Some(root) = root else {
        return if path.is_absolute() {
            json!({ "uri": file_uri(path, false) })
        } else {
            json!({ "uri": relative_uri(&normalize(path)), "uriBaseId": "%SRCROOT%" })
        };
    };
    let abs = normalize(&root.cwd.join(path));
    match abs.strip_prefix(root.srcroot) {
        Ok(rel) => json!({ "uri": relative_uri(rel), "uriBaseId": "%SRCROOT%" }),
        Err(_) => json!({ "uri": file_uri(&abs, false) }),
    }
}

fn location(answer: &str, line: usize, root: Option<SarifRoot<'_>>) -> Value {
    json!([{ "physicalLocation": {
        "artifactLocation": artifact(answer, root),
        "region": { "startLine": line.max(1) }
    }}])
}

struct Rule {
    name: String,
    short: String,
    full: String,
    help: String,
}

/// SARIF 2.1.0: one rule per concept (id `rubric/concept`), per red flag and
/// per rubric score; results with the answer file as location, most severe
/// first and at most [`MAX_RESULTS`]; answers that could not be scored and
/// problems of the run as tool execution notifications. Without `root`,
/// relative answer paths are taken as relative to `%SRCROOT%`, which has no
/// URI then.
pub fn sarif(report: &Report, root: Option<SarifRoot<'_>>) -> String {
    let mut rules: BTreeMap<String, Rule> = BTreeMap::new();
    for r in &report.results {
        let Some(s) = &r.scored else { continue };
        rules.insert(
            format!("{}/score", s.rubric),
            Rule {
                name: "score".into(),
                short: format!("Answer scores at least the pass mark of `{}`", s.rubric),
                full: format!(
                    "An answer to \"{}\" scores at least its pass mark and covers every required concept.",
                    s.question
                ),
                help: format!("Question: {}", s.question),
            },
        );
        for c in &s.concepts {
            rules.insert(
                format!("{}/{}", s.rubric, c.id),
                Rule {
                    name: c.id.clone(),
                    short: c.label.clone(),
                    full: format!(
                        "An answer to \"{}\" covers: {}{}.",
                        s.question,
                        c.label,
                        if c.required { " (required)" } else { "" }
                    ),
                    help: hint_of(c),
                },
            );
        }
        for f in &s.red_flags {
            rules.insert(
                format!("{}/{}", s.rubric, f.id),
                Rule {
                    name: f.id.clone(),
                    short: f.label.clone(),
                    full: format!("Red flag in an answer to \"{}\": {}.", s.question, f.label),
                    help: f.hint.clone().unwrap_or_else(|| f.label.clone()),
                },
            );
        }
    }
    let index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // (severity rank: 0 error, 1 warning; result), in report order.
    let mut results: Vec<(u8, Value)> = Vec::new();
    let mut notifications = Vec::new();
    for p in &report.problems {
        let mut n = json!({ "level": "error", "message": { "text": p.message } });
        if let Some(file) = &p.file {
            n["locations"] = json!([{ "physicalLocation": {
                "artifactLocation": artifact(file, root),
                "region": { "startLine": p.line.max(1), "startColumn": p.column.max(1) }
            }}]);
        }
        notifications.push(n);
    }
    for r in &report.results {
        let Some(s) = &r.scored else {
            notifications.push(json!({
                "level": "error",
                "message": { "text": r.error.as_deref().unwrap_or("cannot be scored") },
                "locations": location(&r.answer, 1, root),
            }));
            continue;
        };
        let (rank, level) = if r.fails() {
            (0, "error")
        } else {
            (1, "warning")
        };
        if r.fails() {
            let id = format!("{}/score", s.rubric);
            results.push((0, json!({
                "ruleId": id, "ruleIndex": index[id.as_str()], "level": "error",
                "message": { "text": format!("Score {} / 100: {}", score_text(r, s), r.failures.join("; ")) },
                "locations": location(&r.answer, 1, root),
            })));
        }
        for c in missing(s) {
            let id = format!("{}/{}", s.rubric, c.id);
            results.push((
                rank,
                json!({
                    "ruleId": id, "ruleIndex": index[id.as_str()], "level": level,
                    "message": { "text": format!("Missing: {}. {}", c.label, hint_of(c)) },
                    "locations": location(&r.answer, 1, root),
                }),
            ));
        }
        for f in &s.red_flags {
            let id = format!("{}/{}", s.rubric, f.id);
            let line = f.evidence.first().map_or(1, |e| e.line);
            results.push((
                1,
                json!({
                    "ruleId": id, "ruleIndex": index[id.as_str()], "level": "warning",
                    "message": { "text": format!("Red flag: {}", f.label) },
                    "locations": location(&r.answer, line, root),
                }),
            ));
        }
    }
    // Most severe first (stable: report order within a level), then cut.
    results.sort_by_key(|(rank, _)| *rank);
    if results.len() > MAX_RESULTS {
        let left_out = results.len() - MAX_RESULTS;
        results.truncate(MAX_RESULTS);
        notifications.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{left_out} more results left out: GitHub code scanning accepts at most {MAX_RESULTS} results per run (the most severe are kept)"
            ) },
        }));
    }
    let results: Vec<Value> = results.into_iter().map(|(_, v)| v).collect();
    let rules: Vec<_> = rules
        .into_iter()
        .map(|(id, rule)| {
            json!({
                "id": id,
                "name": rule.name,
                "shortDescription": { "text": rule.short },
                "fullDescription": { "text": rule.full },
                "help": { "text": rule.help, "markdown": rule.help },
            })
        })
        .collect();
    let successful = report.problems.is_empty() && report.summary.errors == 0;
    let mut invocation = json!({ "executionSuccessful": successful });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let base = match root {
        Some(r) => json!({ "uri": file_uri(r.srcroot, true) }),
        None => json!({ "description": { "text": "The directory rubric ran in." } }),
    };
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "rubric",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "invocations": [invocation],
            "originalUriBaseIds": { "%SRCROOT%": base },
            "results": results,
        }]
    });
    super::json(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_relative() {
        let root = Some(SarifRoot {
            srcroot: Path::new("/repo"),
            cwd: Path::new("/repo/bank"),
        });
        assert_eq!(
            artifact("answers/my answer 100%é.md", root)["uri"],
            "bank/answers/my%20answer%20100%25%C3%A9.md"
        );
        assert_eq!(artifact("/repo/answers/a.md", root)["uri"], "answers/a.md");
        assert_eq!(artifact("../x/./a.md", root)["uri"], "x/a.md");
        let outside = artifact("/elsewhere/a b.md", root);
        assert_eq!(outside["uri"], "file:///elsewhere/a%20b.md");
        assert!(outside.get("uriBaseId").is_none());
        assert_eq!(artifact("a b.md", None)["uri"], "a%20b.md");
        assert_eq!(file_uri(Path::new("/my repo"), true), "file:///my%20repo/");
    }
}
