//! SARIF 2.1.0, for code-scanning tools: valid against the OASIS schema,
//! within GitHub's limits (at most [`MAX_RESULTS`] results per run), with
//! percent-encoded URIs relative to `%SRCROOT%`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::stream::{render_to_string, write_pretty, Head, ReportWriter, Spool};
use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::{Report, Summary};
use crate::scoring::result::AnswerReport;

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
    render_to_string(SarifWriter::new(root), report)
}

/// Results of each severity (errors first), then the notifications.
const ERRORS: u8 = 0;
const WARNINGS: u8 = 1;
const NOTIFICATIONS: u8 = 2;

/// [`sarif`] as answers arrive. Rules come before results and each result
/// names its rule's place among all of them, so the rules (one per rubric
/// concept, red flag and score) are kept, and results are set aside (in a
/// [`Spool`]) as small records by severity, only as many as can be written;
/// notifications too. The document is put together at the end.
pub struct SarifWriter<'a> {
    root: Option<SarifRoot<'a>>,
    rules: BTreeMap<String, Rule>,
    spool: Spool<u8>,
    /// Results found, of each severity.
    counts: [usize; 2],
    notifications: usize,
    problems: bool,
}

/// A result set aside: rule id, line, message, answer.
type Record = (String, usize, String, String);

impl<'a> SarifWriter<'a> {
    pub fn new(root: Option<SarifRoot<'a>>) -> Self {
        SarifWriter {
            root,
            rules: BTreeMap::new(),
            spool: Spool::new(),
            counts: [0, 0],
            notifications: 0,
            problems: false,
        }
    }

    /// The rules an answer's results refer to; as before, a rule seen again
    /// is described by the answer seen last.
    fn add_rules(&mut self, s: &crate::scoring::score::Scored) {
        self.rules.insert(
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
            self.rules.insert(
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
            self.rules.insert(
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

    /// Sets a result aside, unless more severe ones already fill the run.
    fn add_result(&mut self, rank: u8, record: &(&str, usize, &str, &str)) -> io::Result<()> {
        let count = &mut self.counts[usize::from(rank)];
        *count += 1;
        if *count <= MAX_RESULTS {
            self.spool
                .write(&rank, &serde_json::to_vec(record).map_err(io::Error::from)?)?;
            self.spool.write(&rank, b"\n")?;
        }
        Ok(())
    }

    fn add_notification(&mut self, n: &Value) -> io::Result<()> {
        self.notifications += 1;
        self.spool.write(
            &NOTIFICATIONS,
            &serde_json::to_vec(n).map_err(io::Error::from)?,
        )?;
        self.spool.write(&NOTIFICATIONS, b"\n")
    }
}

impl ReportWriter for SarifWriter<'_> {
    fn begin(&mut self, _out: &mut dyn Write, head: &Head<'_>) -> io::Result<()> {
        self.problems = !head.problems.is_empty();
        for p in head.problems {
            let mut n = json!({ "level": "error", "message": { "text": p.message } });
            if let Some(file) = &p.file {
                n["locations"] = json!([{ "physicalLocation": {
                    "artifactLocation": artifact(file, self.root),
                    "region": { "startLine": p.line.max(1), "startColumn": p.column.max(1) }
                }}]);
            }
            self.add_notification(&n)?;
        }
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        let Some(s) = &r.scored else {
            return self.add_notification(&json!({
                "level": "error",
                "message": { "text": r.error.as_deref().unwrap_or("cannot be scored") },
                "locations": location(&r.answer, 1, self.root),
            }));
        };
        self.add_rules(s);
        let rank = if r.fails() { 0 } else { 1 };
        if r.fails() {
            let id = format!("{}/score", s.rubric);
            let message = format!(
                "Score {} / 100: {}",
                score_text(r, s),
                r.failures.join("; ")
            );
            self.add_result(0, &(&id, 1, &message, &r.answer))?;
        }
        for c in missing(s) {
            let id = format!("{}/{}", s.rubric, c.id);
            let message = format!("Missing: {}. {}", c.label, hint_of(c));
            self.add_result(rank, &(&id, 1, &message, &r.answer))?;
        }
        for f in &s.red_flags {
            let id = format!("{}/{}", s.rubric, f.id);
            let line = f.evidence.first().map_or(1, |e| e.line);
            let message = format!("Red flag: {}", f.label);
            self.add_result(1, &(&id, line, &message, &r.answer))?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let root = self.root;
        let [errors, warnings] = self.counts;
        let total = errors + warnings;
        if total > MAX_RESULTS {
            let left_out = total - MAX_RESULTS;
            self.add_notification(&json!({
                "level": "warning",
                "message": { "text": format!(
                    "{left_out} more results left out: GitHub code scanning accepts at most {MAX_RESULTS} results per run (the most severe are kept)"
                ) },
            }))?;
        }
        let index: BTreeMap<&str, usize> = self
            .rules
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let rules: Vec<_> = self
            .rules
            .iter()
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
        let successful = !self.problems && summary.errors == 0;
        // The document with the two long lists left as placeholders: the
        // lists are written in their place.
        let mut invocation = json!({ "executionSuccessful": successful });
        if self.notifications > 0 {
            invocation["toolExecutionNotifications"] = Value::Null;
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
                "results": Value::Null,
            }]
        });
        let skeleton = super::json(&doc);
        let mut rest = skeleton.as_str();
        // Keys in order: `invocations` comes before `results`.
        let lists: [(&str, u8); 2] = [
            ("\"toolExecutionNotifications\": null", NOTIFICATIONS),
            ("\"results\": null", ERRORS),
        ];
        for (placeholder, list) in lists {
            // A key and `null` outside a string: no text in a string has
            // unescaped quotes, so this is the placeholder.
            let Some(at) = rest.find(placeholder) else {
                continue;
            };
            let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
            let indent = " ".repeat(at - line_start);
            let key_len = placeholder.len() - "null".len();
            out.write_all(&rest.as_bytes()[..at + key_len])?;
            if list == NOTIFICATIONS {
                let mut items = Items::new(out, &indent);
                let mut lines =
                    io::BufRead::lines(io::BufReader::new(self.spool.reader(&NOTIFICATIONS)));
                for line in lines.by_ref() {
                    let n: Value = serde_json::from_str(&line?).map_err(io::Error::from)?;
                    items.item(&n)?;
                }
                items.end()?;
            } else {
                let mut items = Items::new(out, &indent);
                let mut left = MAX_RESULTS;
                for (rank, level) in [(ERRORS, "error"), (WARNINGS, "warning")] {
                    let lines = io::BufRead::lines(io::BufReader::new(self.spool.reader(&rank)));
                    for line in lines.take(left) {
                        let (id, line, message, answer): Record =
                            serde_json::from_str(&line?).map_err(io::Error::from)?;
                        let result = json!({
                            "ruleId": id, "ruleIndex": index[id.as_str()], "level": level,
                            "message": { "text": message },
                            "locations": location(&answer, line, root),
                        });
                        items.item(&result)?;
                        left -= 1;
                    }
                }
                items.end()?;
            }
            rest = &rest[at + placeholder.len()..];
        }
        out.write_all(rest.as_bytes())
    }

    fn retained(&self) -> usize {
        self.spool.retained()
            + self
                .rules
                .iter()
                .map(|(id, r)| {
                    id.capacity()
                        + r.name.capacity()
                        + r.short.capacity()
                        + r.full.capacity()
                        + r.help.capacity()
                        + std::mem::size_of::<(String, Rule)>()
                })
                .sum::<usize>()
    }
}

/// The items of a pretty JSON array written one at a time, where its key
/// starts `indent` in.
struct Items<'o> {
    out: &'o mut dyn Write,
    indent: String,
    inner: String,
    any: bool,
}

impl<'o> Items<'o> {
    fn new(out: &'o mut dyn Write, indent: &str) -> Self {
        Items {
            out,
            indent: indent.to_string(),
            inner: format!("{indent}  "),
            any: false,
        }
    }

    fn item(&mut self, value: &Value) -> io::Result<()> {
        let mut text = Vec::with_capacity(1024);
        text.extend_from_slice(if self.any { b",\n" } else { b"[\n" });
        text.extend_from_slice(self.inner.as_bytes());
        write_pretty(&mut text, value, self.inner.len() / 2)?;
        self.out.write_all(&text)?;
        self.any = true;
        Ok(())
    }

    fn end(self) -> io::Result<()> {
        if self.any {
            self.out.write_all(b"\n")?;
            self.out.write_all(self.indent.as_bytes())?;
            self.out.write_all(b"]")
        } else {
            self.out.write_all(b"[]")
        }
    }
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
