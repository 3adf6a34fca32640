//! Markdown, for a pull request.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::stream::{render_to_string, Head, ReportWriter, Spool};
use super::{fmt_num, missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::{Report, Summary};
use crate::scoring::result::AnswerReport;

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown report for a pull request: a summary table, then the missing
/// points of each failing answer with hints.
pub fn markdown(report: &Report) -> String {
    render_to_string(MarkdownWriter::new(), report)
}

/// The table's rows, then the failing answers' details.
const ROWS: u8 = 0;
const DETAILS: u8 = 1;

/// [`markdown`] as answers arrive: its first line counts them all, so the
/// table rows and the failing answers' details are set aside (in a
/// [`Spool`]) and written after it at the end.
pub struct MarkdownWriter {
    spool: Spool<u8>,
}

impl Default for MarkdownWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl MarkdownWriter {
    pub fn new() -> Self {
        MarkdownWriter {
            spool: Spool::new(),
        }
    }
}

impl ReportWriter for MarkdownWriter {
    fn begin(&mut self, _out: &mut dyn Write, _head: &Head<'_>) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        let mut row = String::new();
        match &r.scored {
            Some(sc) => {
                let _ = writeln!(
                    row,
                    "| {} | {} | {} | {} | {} |",
                    md_cell(&r.answer),
                    sc.rubric,
                    score_text(r, sc),
                    if r.fails() { "❌ fail" } else { "✅ pass" },
                    sc.missing.len()
                );
            }
            None => {
                let _ = writeln!(
                    row,
                    "| {} | — | — | ⚠️ error | {} |",
                    md_cell(&r.answer),
                    md_cell(r.error.as_deref().unwrap_or(""))
                );
            }
        }
        self.spool.write(&ROWS, row.as_bytes())?;
        let Some(sc) = r.scored.as_ref().filter(|_| r.fails()) else {
            return Ok(());
        };
        let mut out = String::new();
        let _ = writeln!(out, "\n### {} — {}\n", md_cell(&r.answer), sc.rubric);
        let _ = writeln!(out, "{}\n", md_cell(&r.failures.join("; ")));
        for c in missing(sc) {
            let req = if c.required { " **(required)**" } else { "" };
            let _ = writeln!(
                out,
                "- {}{req}: {}",
                md_cell(&c.label),
                md_cell(&hint_of(c))
            );
        }
        for f in &sc.red_flags {
            let _ = writeln!(out, "- 🚩 {}", md_cell(&f.label));
        }
        self.spool.write(&DETAILS, out.as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        write!(
            out,
            "## rubric: {}{}\n\n",
            super::run_counts(s),
            s.mean_score
                .map(|m| format!(" (mean score {})", fmt_num(m)))
                .unwrap_or_default()
        )?;
        out.write_all(
            b"| Answer | Rubric | Score | Result | Missing |\n| --- | --- | ---: | --- | ---: |\n",
        )?;
        self.spool.copy(&ROWS, out)?;
        self.spool.copy(&DETAILS, out)
    }

    fn retained(&self) -> usize {
        self.spool.retained()
    }
}
