//! Renderers: turn a report into text, one file per format. They only
//! format; the caller decides where the text goes and which exit code the
//! report means. The formats of `check` are also [`ReportWriter`]s, fed one
//! answer at a time (see [`stream`]). This module keeps what the formats
//! share.

mod charts;
pub mod coach;
pub mod csv;
mod fastjson;
pub mod practice;
mod table;

pub mod stream;

mod brief;
mod github;
mod json;
mod junit;
mod markdown;
mod sarif;

pub use brief::{brief, BriefWriter};
pub use github::{
    github, step_summary, GithubWriter, StepSummaryWriter, DEFAULT_MAX_ANNOTATIONS,
    STEP_SUMMARY_LIMIT,
};
pub use json::{JsonLinesWriter, JsonWriter};
pub use junit::{junit, JunitWriter};
pub use markdown::{markdown, MarkdownWriter};
pub use sarif::{sarif, SarifRoot, SarifWriter, MAX_RESULTS};
pub use stream::{write_report, Head, ReportWriter, Visible};
pub use table::{
    check_table, coach_summary, config_table, diff_table, lint_text, list_table, search_table,
    show_text, star_table, stats_table, table, CheckTableWriter,
};

use serde::Serialize;

use crate::scoring::result::AnswerReport;
use crate::scoring::score::Scored;

/// How human-readable output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub color: bool,
    /// Table width in columns; `None`: the terminal's (comfy-table detects
    /// it), or [`DEFAULT_WIDTH`] when stdout is not a terminal.
    pub width: Option<u16>,
}

/// The table width when output does not go to a terminal.
pub const DEFAULT_WIDTH: u16 = 100;

/// Text from an answer made safe for a terminal: every control character
/// but line feed and tab (ESC, BEL, NUL, DEL, the C1 controls) is shown as
/// `\u{1b}`, so an answer can never move the cursor, retitle the window or
/// color the output. JSON keeps the text exact; human formats use this.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    visible_output(text, false)
}

/// [`visible`] for a whole rendering: with `color`, the SGR sequences
/// (`ESC [ digits ; … m`) the renderer painted with are kept; answer text
/// was made [`visible`] before it was painted, so none of them is an answer's.
pub fn visible_output(text: &str, color: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' && color {
            if let Some(len) = sgr_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// The length of an SGR sequence (`ESC [ 1;31 m`) at the start of `text`.
fn sgr_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let n = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(n) == Some(&b'm')).then_some(2 + n + 1)
}

/// Any report as pretty JSON, with a final newline.
pub fn json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("reports serialize to JSON");
    s.push('\n');
    s
}

/// Streams any report as pretty JSON (the same bytes as [`json`]).
pub fn write_json<T: Serialize>(out: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// One answer as a line of JSON Lines (compact JSON and a newline).
pub fn json_line(r: &AnswerReport) -> String {
    let mut out = Vec::with_capacity(4096);
    if fastjson::write(&mut out, r, None).is_err() {
        out.clear();
        serde_json::to_writer(&mut out, r).expect("reports serialize to JSON");
    }
    out.push(b'\n');
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// `n thing` or `n things`.
pub fn plural(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// The counts of a run: "N answers, a passed, b failed, c errors".
pub fn run_counts(s: &crate::report::Summary) -> String {
    format!("{}, {}", plural(s.answers, "answer"), outcomes(s))
}

/// "a passed, b failed, c errors".
fn outcomes(s: &crate::report::Summary) -> String {
    format!(
        "{} passed, {} failed, {}",
        s.passed,
        s.failed,
        plural(s.errors, "error")
    )
}

/// The totals of a run in one line: "N answers: a passed, b failed, c
/// errors; mean score m" (no mean when nothing was scored).
pub fn summary_line(s: &crate::report::Summary) -> String {
    let mean = s
        .mean_score
        .map(|m| format!("; mean score {}", fmt_num(m)))
        .unwrap_or_default();
    format!("{}: {}{mean}", plural(s.answers, "answer"), outcomes(s))
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

fn verdict(r: &AnswerReport) -> &'static str {
    if r.fails() {
        "FAIL"
    } else {
        "PASS"
    }
}

/// The score as shown in CI formats: the reviewer's beside the automatic one.
fn score_text(r: &AnswerReport, s: &Scored) -> String {
    match &r.review {
        Some(v) => format!("{} (reviewer: {})", fmt_num(s.score), fmt_num(v.score)),
        None => fmt_num(s.score),
    }
}

/// The concepts an answer missed (not matched, not ignored on purpose).
fn missing(s: &Scored) -> impl Iterator<Item = &crate::scoring::score::ConceptResult> {
    s.concepts.iter().filter(|c| !c.matched && !c.ignored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        let hostile = "ok \u{1b}]0;pwned\u{7}\u{1b}[31mred\u{0}\u{9b}\ttab\nline";
        assert_eq!(
            visible(hostile),
            "ok \\u{1b}]0;pwned\\u{7}\\u{1b}[31mred\\u{0}\\u{9b}\ttab\nline"
        );
        assert!(matches!(visible("plain"), std::borrow::Cow::Borrowed(_)));
        // The renderer's own colors survive, an OSC does not.
        assert_eq!(
            visible_output("\u{1b}[1;32mPASS\u{1b}[0m \u{1b}]0;x\u{7}", true),
            "\u{1b}[1;32mPASS\u{1b}[0m \\u{1b}]0;x\\u{7}"
        );
    }
}
