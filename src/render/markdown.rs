//! Markdown, for a pull request.

use std::fmt::Write as _;

use super::{fmt_num, missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::Report;

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown report for a pull request: a summary table, then the missing
/// points of each failing answer with hints.
pub fn markdown(report: &Report) -> String {
    let s = &report.summary;
    let mut out = format!(
        "## rubric: {}{}\n\n",
        super::run_counts(s),
        s.mean_score
            .map(|m| format!(" (mean score {})", fmt_num(m)))
            .unwrap_or_default()
    );
    out.push_str(
        "| Answer | Rubric | Score | Result | Missing |\n| --- | --- | ---: | --- | ---: |\n",
    );
    for r in &report.results {
        match &r.scored {
            Some(sc) => {
                let _ = writeln!(
                    out,
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
                    out,
                    "| {} | — | — | ⚠️ error | {} |",
                    md_cell(&r.answer),
                    md_cell(r.error.as_deref().unwrap_or(""))
                );
            }
        }
    }
    for r in report.results.iter().filter(|r| r.fails()) {
        let Some(sc) = &r.scored else { continue };
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
    }
    out
}
