//! Rendering glue: which renderer a command's format means, and where each
//! rendering goes (through the one writer in [`crate::output`]). Renderers
//! only format; nothing here computes an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use rubric::render::{self, Style};
use rubric::report::coach::Coached;
use rubric::report::{Report, StarReport};
use rubric::run::Error;

use crate::args::{CoachFormat, ReportFormat, TableFormat};
use crate::output::{self, text, write, OutputSet, Target};

/// What renderers of CI formats need besides the report.
pub struct Ci {
    /// GitHub annotations at most.
    pub max_annotations: usize,
    /// The current directory, where relative answer paths start.
    pub cwd: Option<PathBuf>,
    /// SARIF's `%SRCROOT%`: the root of the git repository around the
    /// current directory (code scanning resolves URIs against it), else the
    /// current directory.
    pub srcroot: Option<PathBuf>,
}

impl Ci {
    pub fn new(max_annotations: usize) -> Self {
        let cwd = std::env::current_dir().ok();
        let srcroot = cwd.as_ref().map(|cwd| {
            cwd.ancestors()
                .find(|d| d.join(".git").exists())
                .unwrap_or(cwd)
                .to_path_buf()
        });
        Ci {
            max_annotations,
            cwd,
            srcroot,
        }
    }

    fn sarif_root(&self) -> Option<render::SarifRoot<'_>> {
        Some(render::SarifRoot {
            srcroot: self.srcroot.as_deref()?,
            cwd: self.cwd.as_deref()?,
        })
    }
}

/// Renders a score or check report (`summary`: one row per answer).
fn render_report(
    out: &mut dyn Write,
    report: &Report,
    format: ReportFormat,
    style: &Style,
    ci: &Ci,
    summary: bool,
) -> std::io::Result<()> {
    let text = match format {
        // Streamed: a bank of many answers never holds its whole document.
        ReportFormat::Json => return render::write_json(out, report),
        ReportFormat::Jsonl => {
            for r in &report.results {
                out.write_all(render::json_line(r).as_bytes())?;
            }
            return Ok(());
        }
        // JSON inside, which keeps the text exact.
        ReportFormat::Sarif => {
            return out.write_all(render::sarif(report, ci.sarif_root()).as_bytes())
        }
        ReportFormat::Table if summary => render::check_table(report, style),
        ReportFormat::Table => render::table(report, style),
        ReportFormat::Brief => render::brief(report),
        ReportFormat::Junit => render::junit(report),
        ReportFormat::Github => render::github(report, ci.max_annotations),
        ReportFormat::Markdown => render::markdown(report),
    };
    // Human formats never carry an answer's control characters raw.
    let color = style.color && format == ReportFormat::Table;
    out.write_all(render::visible_output(&text, color).as_bytes())
}

/// Each answer that could not be scored, once, on stderr.
pub fn answer_errors(report: &Report) {
    for e in report.results.iter().filter_map(|r| r.error.as_deref()) {
        for line in e.lines() {
            eprintln!("error: {}", render::visible(line));
        }
    }
}

/// Each story that could not be analyzed, once, on stderr.
pub fn star_errors(report: &StarReport) {
    for e in report.results.iter().filter_map(|r| r.error.as_deref()) {
        eprintln!("error: {}", render::visible(e));
    }
}

/// Table or JSON of a value, to stdout.
pub fn table_or_json<T: serde::Serialize>(
    format: TableFormat,
    value: &T,
    color: bool,
    table: impl FnOnce() -> String,
) -> Result<(), Error> {
    let out = match format {
        TableFormat::Json => render::json(value),
        TableFormat::Table => render::visible_output(&table(), color).into_owned(),
    };
    text(Target::Stdout, &out)
}

/// `rubric score`: the per-answer view, to stdout.
pub fn score(report: &Report, format: ReportFormat, style: &Style, ci: &Ci) -> Result<(), Error> {
    answer_errors(report);
    write(Target::Stdout, |out| {
        render_report(out, report, format, style, ci, false)
    })?;
    if format == ReportFormat::Github {
        output::github_step_summary(&render::step_summary(report))?;
    }
    Ok(())
}

/// `rubric check`: every `--output` file, then stdout, in the summary view.
pub fn check(
    report: &Report,
    format: ReportFormat,
    outputs: &[(ReportFormat, PathBuf)],
    style: &Style,
    ci: &Ci,
) -> Result<(), Error> {
    answer_errors(report);
    // All --output files or none.
    let mut set = OutputSet::default();
    for (f, path) in outputs {
        set.add(path, |out| render_report(out, report, *f, style, ci, true))?;
    }
    set.commit()?;
    write(Target::Stdout, |out| {
        render_report(out, report, format, style, ci, true)
    })?;
    if format == ReportFormat::Github || outputs.iter().any(|(f, _)| *f == ReportFormat::Github) {
        output::github_step_summary(&render::step_summary(report))?;
    }
    Ok(())
}

/// A run that could not happen (a bad config) in the CI formats asked for:
/// SARIF with `executionSuccessful: false` and a notification per problem,
/// GitHub annotations. The error itself is printed by the caller.
pub fn aborted(
    report: &Report,
    format: Option<ReportFormat>,
    outputs: &[(ReportFormat, PathBuf)],
    ci: &Ci,
) -> Result<(), Error> {
    let ci_format = |f: ReportFormat| matches!(f, ReportFormat::Sarif | ReportFormat::Github);
    // All of these files or none, like a run's.
    let mut set = OutputSet::default();
    for (f, path) in outputs.iter().filter(|(f, _)| ci_format(*f)) {
        set.add(path, |out| {
            render_report(out, report, *f, &Style::default(), ci, true)
        })?;
    }
    set.commit()?;
    if let Some(f) = format.filter(|f| ci_format(*f)) {
        write(Target::Stdout, |out| {
            render_report(out, report, f, &Style::default(), ci, true)
        })?;
    }
    Ok(())
}

/// A streaming JSON Lines writer to stdout: each answer's line as it
/// arrives, its error (if any) on stderr; flushed a chunk at a time by the
/// caller's buffer.
pub fn jsonl_sink(
    out: &mut dyn Write,
) -> impl FnMut(&rubric::scoring::result::AnswerReport) -> std::io::Result<()> + '_ {
    move |r| {
        if let Some(e) = &r.error {
            for line in e.lines() {
                eprintln!("error: {}", render::visible(line));
            }
        }
        out.write_all(render::json_line(r).as_bytes())?;
        out.flush()
    }
}

/// `rubric report`: report.html and report.md into `dir` when given, then
/// the chosen format to stdout.
pub fn coach(
    coached: &Coached,
    format: CoachFormat,
    dir: Option<&Path>,
    style: &Style,
) -> Result<(), Error> {
    answer_errors(&coached.report);
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        // Both files or neither: never new HTML beside old Markdown.
        let mut set = OutputSet::default();
        let html = render::coach::html(coached);
        set.add(&dir.join("report.html"), |out| {
            out.write_all(html.as_bytes())
        })?;
        let md = render::coach::markdown(coached);
        set.add(&dir.join("report.md"), |out| out.write_all(md.as_bytes()))?;
        set.commit()?;
    }
    let out = match (format, &coached.cohort) {
        (CoachFormat::Csv, Some(c)) => render::csv::cohort(c),
        (CoachFormat::Csv, None) => return Err(Error::Usage("--format csv needs --cohort DIR")),
        (CoachFormat::Json, _) => render::json(coached),
        (CoachFormat::Markdown, _) => {
            render::visible(&render::coach::markdown(coached)).into_owned()
        }
        (CoachFormat::Table, _) => {
            render::visible_output(&render::coach_summary(coached, dir, style), style.color)
                .into_owned()
        }
    };
    text(Target::Stdout, &out)
}
