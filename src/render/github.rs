//! GitHub workflow commands (annotations) and the step summary, within
//! GitHub's limits: a step shows only a few annotations (10 errors and 10
//! warnings), so they are capped (most severe first, then one notice with
//! the count left out); a step summary may not exceed 1 MiB.

use std::fmt::Write as _;

use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::Report;

/// Annotations written by default (`--max-annotations`).
pub const DEFAULT_MAX_ANNOTATIONS: usize = 50;

/// GitHub's limit on a step summary.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

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

/// GitHub workflow commands: `::error` for problems of the run, answers
/// that could not be scored, failing answers and their missing points;
/// `::warning` for missing points of passing answers and red flags. Errors
/// come first; after `max` annotations one `::notice` says how many were
/// left out.
pub fn github(report: &Report, max: usize) -> String {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for p in &report.problems {
        let at = match &p.file {
            Some(f) => format!("file={},line={},col={},", gh_property(f), p.line, p.column),
            None => String::new(),
        };
        errors.push(format!("::error {at}title=rubric::{}", gh_data(&p.message)));
    }
    for r in &report.results {
        let file = gh_property(&r.answer);
        let Some(s) = &r.scored else {
            errors.push(format!(
                "::error file={file},line=1,title=rubric::{}",
                gh_data(r.error.as_deref().unwrap_or(""))
            ));
            continue;
        };
        if r.fails() {
            errors.push(format!(
                "::error file={file},line=1,title={}::{}",
                gh_property(&format!("{}: score {}", s.rubric, score_text(r, s))),
                gh_data(&r.failures.join("; "))
            ));
        }
        for c in missing(s) {
            let line = format!(
                "file={file},line=1,title={}::{}",
                gh_property(&format!("{}/{}", s.rubric, c.id)),
                gh_data(&format!("Missing: {}. {}", c.label, hint_of(c)))
            );
            if r.fails() {
                errors.push(format!("::error {line}"));
            } else {
                warnings.push(format!("::warning {line}"));
            }
        }
        for f in &s.red_flags {
            let line = f.evidence.first().map_or(1, |e| e.line);
            warnings.push(format!(
                "::warning file={file},line={line},title={}::{}",
                gh_property(&format!("{}/{}", s.rubric, f.id)),
                gh_data(&format!("Red flag: {}", f.label))
            ));
        }
    }
    let total = errors.len() + warnings.len();
    let mut out = String::new();
    for a in errors.iter().chain(&warnings).take(max) {
        let _ = writeln!(out, "{a}");
    }
    if total > max {
        let _ = writeln!(
            out,
            "::notice title=rubric::{} more annotations left out (--max-annotations {max}); every finding is in the SARIF, JUnit and JSON outputs",
            total - max
        );
    }
    out
}

/// The Markdown step summary, cut at a line so that it stays under
/// [`STEP_SUMMARY_LIMIT`], with a note saying so.
pub fn step_summary(report: &Report) -> String {
    let mut md = super::markdown(report);
    let note_room = 200;
    if md.len() > STEP_SUMMARY_LIMIT - note_room {
        let mut cut = STEP_SUMMARY_LIMIT - note_room;
        while !md.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = md[..cut].rfind('\n').map_or(0, |i| i + 1);
        let left_out = md[cut..].lines().count();
        md.truncate(cut);
        let _ = writeln!(
            md,
            "\n_Summary cut to stay under GitHub's 1 MiB limit: {left_out} more lines left out; the full report is in the other outputs._"
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Problem;
    use crate::scoring::result::AnswerReport;

    fn errors(n: usize) -> Report {
        Report::new(
            (0..n)
                .map(|i| AnswerReport::failed(format!("a{i}.md"), format!("a{i}.md: unreadable")))
                .collect(),
        )
    }

    #[test]
    fn annotations_are_capped_with_a_notice() {
        let text = github(&errors(60), 50);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 51);
        assert!(lines[50].starts_with("::notice title=rubric::10 more annotations left out"));
        assert_eq!(github(&errors(3), 50).lines().count(), 3);
    }

    #[test]
    fn problems_of_the_run_are_annotations() {
        let report = Report::aborted(vec![Problem {
            file: Some(".rubric-bank.toml".into()),
            line: 2,
            column: 8,
            message: "`pass` must be between 0 and 100".into(),
        }]);
        assert_eq!(
            github(&report, 50),
            "::error file=.rubric-bank.toml,line=2,col=8,title=rubric::`pass` must be between 0 and 100\n"
        );
    }

    #[test]
    fn step_summary_stays_under_the_limit() {
        let md = step_summary(&errors(30_000));
        assert!(md.len() < STEP_SUMMARY_LIMIT, "{}", md.len());
        assert!(md.contains("Summary cut to stay under GitHub's 1 MiB limit"));
        assert!(!step_summary(&errors(3)).contains("Summary cut"));
    }
}
