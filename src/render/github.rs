//! GitHub workflow commands (annotations).

use std::fmt::Write as _;

use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::Report;

/// Escapes data for a GitHub workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value for a GitHub workflow command.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub workflow commands: `::error` for failing answers and their missing
/// points, `::warning` for missing points of passing answers and red flags.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.results {
        let file = gh_property(&r.answer);
        let Some(s) = &r.scored else {
            let _ = writeln!(
                out,
                "::error file={file},line=1,title=rubric::{}",
                gh_data(r.error.as_deref().unwrap_or(""))
            );
            continue;
        };
        let level = if r.fails() { "error" } else { "warning" };
        if r.fails() {
            let _ = writeln!(
                out,
                "::error file={file},line=1,title={}::{}",
                gh_property(&format!("{}: score {}", s.rubric, score_text(r, s))),
                gh_data(&r.failures.join("; "))
            );
        }
        for c in missing(s) {
            let _ = writeln!(
                out,
                "::{level} file={file},line=1,title={}::{}",
                gh_property(&format!("{}/{}", s.rubric, c.id)),
                gh_data(&format!("Missing: {}. {}", c.label, hint_of(c)))
            );
        }
        for f in &s.red_flags {
            let line = f.evidence.first().map_or(1, |e| e.line);
            let _ = writeln!(
                out,
                "::warning file={file},line={line},title={}::{}",
                gh_property(&format!("{}/{}", s.rubric, f.id)),
                gh_data(&format!("Red flag: {}", f.label))
            );
        }
    }
    out
}
