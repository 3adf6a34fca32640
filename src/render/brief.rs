//! Brief: one grep-friendly line per answer and per missing point.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::stream::{render_to_string, Head, ReportWriter};
use super::{fmt_num, missing, score_text, verdict};
use crate::report::guide::hint as hint_of;
use crate::report::{Report, Summary};
use crate::scoring::result::AnswerReport;

/// One grep-friendly line per answer and per missing point:
/// `path:line: rubric/concept: message`.
pub fn brief(report: &Report) -> String {
    render_to_string(BriefWriter, report)
}

/// [`brief`] as answers arrive: each answer's lines at once, nothing kept.
#[derive(Debug, Default)]
pub struct BriefWriter;

impl ReportWriter for BriefWriter {
    fn begin(&mut self, _out: &mut dyn Write, _head: &Head<'_>) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        out.write_all(lines(r).as_bytes())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn retained(&self) -> usize {
        0
    }
}

/// The lines of one answer.
fn lines(r: &AnswerReport) -> String {
    let mut out = String::new();
    let Some(s) = &r.scored else {
        let error = r.error.as_deref().unwrap_or("");
        // Messages name the file already; do not say it twice.
        let error = error
            .strip_prefix(r.answer.as_str())
            .map_or(error, |e| e.trim_start_matches([':', ' ']));
        let _ = writeln!(out, "{}:1: error: {error}", r.answer);
        return out;
    };
    let why = if r.failures.is_empty() {
        String::new()
    } else {
        format!(" ({})", r.failures.join("; "))
    };
    let _ = writeln!(
        out,
        "{}:1: {}: score {} {}{why}",
        r.answer,
        s.rubric,
        score_text(r, s),
        verdict(r)
    );
    for c in missing(s) {
        let req = if c.required { "required, " } else { "" };
        let _ = writeln!(
            out,
            "{}:1: {}/{}: missing ({req}weight {}): {} — {}",
            r.answer,
            s.rubric,
            c.id,
            fmt_num(c.weight),
            c.label,
            hint_of(c)
        );
    }
    for f in &s.red_flags {
        let line = f.evidence.first().map_or(1, |e| e.line);
        let _ = writeln!(
            out,
            "{}:{line}: {}/{}: red flag (−{}): {}",
            r.answer,
            s.rubric,
            f.id,
            fmt_num(f.penalty),
            f.label
        );
    }
    if let Some(star) = &s.star {
        for f in &star.findings {
            let advice = crate::analysis::star::Finding::parse(f).map_or("", |f| f.advice());
            let _ = writeln!(out, "{}:1: {}/star: {f}: {advice}", r.answer, s.rubric);
        }
    }
    out
}
