//! GitHub workflow commands (annotations) and the step summary, within
//! GitHub's limits: a step shows only a few annotations (10 errors and 10
//! warnings), so they are capped (most severe first, then one notice with
//! the count left out); a step summary may not exceed 1 MiB.

use std::io::{self, Write};

use super::markdown::MarkdownWriter;
use super::stream::{render_to_string, Head, ReportWriter, Spool};
use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::{Report, Summary};
use crate::scoring::result::AnswerReport;

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
    render_to_string(GithubWriter::new(max), report)
}

/// Errors come before warnings.
const ERRORS: u8 = 0;
const WARNINGS: u8 = 1;

/// [`github`] as answers arrive: errors and warnings are set aside (in a
/// [`Spool`]), each up to the `max` that can be written, and counted.
pub struct GithubWriter {
    max: usize,
    spool: Spool<u8>,
    /// Annotations found, of each kind.
    counts: [usize; 2],
}

impl GithubWriter {
    pub fn new(max: usize) -> Self {
        GithubWriter {
            max,
            spool: Spool::new(),
            counts: [0, 0],
        }
    }

    fn add(&mut self, kind: u8, line: &str) -> io::Result<()> {
        let count = &mut self.counts[usize::from(kind)];
        *count += 1;
        if *count <= self.max {
            self.spool.write(&kind, line.as_bytes())?;
            self.spool.write(&kind, b"\n")?;
        }
        Ok(())
    }
}

impl ReportWriter for GithubWriter {
    fn begin(&mut self, _out: &mut dyn Write, head: &Head<'_>) -> io::Result<()> {
        for p in head.problems {
            let at = match &p.file {
                Some(f) => format!("file={},line={},col={},", gh_property(f), p.line, p.column),
                None => String::new(),
            };
            self.add(
                ERRORS,
                &format!("::error {at}title=rubric::{}", gh_data(&p.message)),
            )?;
        }
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        let file = gh_property(&r.answer);
        let Some(s) = &r.scored else {
            return self.add(
                ERRORS,
                &format!(
                    "::error file={file},line=1,title=rubric::{}",
                    gh_data(r.error.as_deref().unwrap_or(""))
                ),
            );
        };
        if r.fails() {
            self.add(
                ERRORS,
                &format!(
                    "::error file={file},line=1,title={}::{}",
                    gh_property(&format!("{}: score {}", s.rubric, score_text(r, s))),
                    gh_data(&r.failures.join("; "))
                ),
            )?;
        }
        for c in missing(s) {
            let line = format!(
                "file={file},line=1,title={}::{}",
                gh_property(&format!("{}/{}", s.rubric, c.id)),
                gh_data(&format!("Missing: {}. {}", c.label, hint_of(c)))
            );
            if r.fails() {
                self.add(ERRORS, &format!("::error {line}"))?;
            } else {
                self.add(WARNINGS, &format!("::warning {line}"))?;
            }
        }
        for f in &s.red_flags {
            let line = f.evidence.first().map_or(1, |e| e.line);
            self.add(
                WARNINGS,
                &format!(
                    "::warning file={file},line={line},title={}::{}",
                    gh_property(&format!("{}/{}", s.rubric, f.id)),
                    gh_data(&format!("Red flag: {}", f.label))
                ),
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let max = self.max;
        let [errors, warnings] = self.counts;
        let shown_errors = errors.min(max);
        // Each line of the spool is one annotation (their text is escaped).
        self.spool.copy(&ERRORS, out)?;
        let room = max - shown_errors;
        let mut lines = io::BufRead::lines(io::BufReader::new(self.spool.reader(&WARNINGS)));
        for _ in 0..warnings.min(room) {
            match lines.next() {
                Some(line) => writeln!(out, "{}", line?)?,
                None => break,
            }
        }
        let total = errors + warnings;
        if total > max {
            writeln!(
                out,
                "::notice title=rubric::{} more annotations left out (--max-annotations {max}); every finding is in the SARIF, JUnit and JSON outputs",
                total - max
            )?;
        }
        Ok(())
    }

    fn retained(&self) -> usize {
        self.spool.retained()
    }
}

/// The Markdown step summary, cut at a line so that it stays under
/// [`STEP_SUMMARY_LIMIT`], with a note saying so.
pub fn step_summary(report: &Report) -> String {
    render_to_string(StepSummaryWriter::new(), report)
}

/// Room left for the note that says a step summary was cut.
const NOTE_ROOM: usize = 200;

/// [`step_summary`] as answers arrive: the Markdown report, of which only
/// the part that fits is kept in memory when it is put together.
#[derive(Default)]
pub struct StepSummaryWriter {
    markdown: MarkdownWriter,
}

impl StepSummaryWriter {
    pub fn new() -> Self {
        Self::default()
    }
}

impl ReportWriter for StepSummaryWriter {
    fn begin(&mut self, out: &mut dyn Write, head: &Head<'_>) -> io::Result<()> {
        self.markdown.begin(out, head)
    }

    fn result(&mut self, out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        self.markdown.result(out, r)
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let mut cut = Cut::new(STEP_SUMMARY_LIMIT - NOTE_ROOM);
        self.markdown.finish(&mut cut, summary)?;
        cut.finish(out)
    }

    fn retained(&self) -> usize {
        self.markdown.retained()
    }
}

/// Keeps the first `limit` bytes of what is written to it and counts the
/// lines of the rest.
struct Cut {
    limit: usize,
    kept: Vec<u8>,
    /// Bytes written in all.
    total: usize,
    /// Newlines past the first `limit` bytes.
    newlines_past: usize,
    last: Option<u8>,
}

impl Cut {
    fn new(limit: usize) -> Self {
        Cut {
            limit,
            kept: Vec::new(),
            total: 0,
            newlines_past: 0,
            last: None,
        }
    }

    /// The text if it fits; else its lines that fit and a note saying how
    /// many were left out.
    fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        if self.total <= self.limit {
            return out.write_all(&self.kept);
        }
        // A newline is never part of a longer character, so the last one
        // before the limit is where the text can be cut.
        let cut = self
            .kept
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let rest_newlines = self.kept[cut..].iter().filter(|&&b| b == b'\n').count();
        let left_out = rest_newlines + self.newlines_past + usize::from(self.last != Some(b'\n'));
        out.write_all(&self.kept[..cut])?;
        writeln!(
            out,
            "\n_Summary cut to stay under GitHub's 1 MiB limit: {left_out} more lines left out; the full report is in the other outputs._"
        )
    }
}

impl Write for Cut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.limit.saturating_sub(self.kept.len());
        let (keep, past) = buf.split_at(room.min(buf.len()));
        self.kept.extend_from_slice(keep);
        self.newlines_past += past.iter().filter(|&&b| b == b'\n').count();
        self.total += buf.len();
        if let Some(&b) = buf.last() {
            self.last = Some(b);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
