//! Renderers: turn a finished report into text, one file per format. They
//! only format; the caller decides where the text goes and which exit code
//! the report means. This module keeps what the formats share.

mod charts;
pub mod coach;
pub mod csv;
pub mod practice;
mod table;

mod brief;
mod github;
mod junit;
mod markdown;
mod sarif;

pub use brief::brief;
pub use github::{github, step_summary, DEFAULT_MAX_ANNOTATIONS, STEP_SUMMARY_LIMIT};
pub use junit::junit;
pub use markdown::markdown;
pub use sarif::{sarif, SarifRoot, MAX_RESULTS};
pub use table::{
    check_table, coach_summary, config_table, diff_table, lint_text, list_table, search_table,
    show_text, star_table, stats_table, table,
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
    let mut s = serde_json::to_string(r).expect("reports serialize to JSON");
    s.push('\n');
    s
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
