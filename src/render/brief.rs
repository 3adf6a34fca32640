//! Brief: one grep-friendly line per answer and per missing point.

use std::fmt::Write as _;

use super::{fmt_num, missing, score_text, verdict};
use crate::report::guide::hint as hint_of;
use crate::report::Report;

/// One grep-friendly line per answer and per missing point:
/// `path:line: rubric/concept: message`.
pub fn brief(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.results {
        let Some(s) = &r.scored else {
            let error = r.error.as_deref().unwrap_or("");
            // Messages name the file already; do not say it twice.
            let error = error
                .strip_prefix(r.answer.as_str())
                .map_or(error, |e| e.trim_start_matches([':', ' ']));
            let _ = writeln!(out, "{}:1: error: {error}", r.answer);
            continue;
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
    }
    out
}
