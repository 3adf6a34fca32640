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

/// Renders a score or check report (`summary`: one row per answer).
fn render_report(
    out: &mut dyn Write,
    report: &Report,
    format: ReportFormat,
    style: &Style,
    summary: bool,
) -> std::io::Result<()> {
    let text = match format {
        // Streamed: a bank of many answers never holds its whole document.
        ReportFormat::Json => return render::write_json(out, report),
        // JSON inside, which keeps the text exact.
        ReportFormat::Sarif => return out.write_all(render::sarif(report).as_bytes()),
        ReportFormat::Table if summary => render::check_table(report, style),
        ReportFormat::Table => render::table(report, style),
        ReportFormat::Brief => render::brief(report),
        ReportFormat::Junit => render::junit(report),
        ReportFormat::Github => render::github(report),
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
pub fn score(report: &Report, format: ReportFormat, style: &Style) -> Result<(), Error> {
    answer_errors(report);
    write(Target::Stdout, |out| {
        render_report(out, report, format, style, false)
    })?;
    if format == ReportFormat::Github {
        output::github_step_summary(&render::markdown(report))?;
    }
    Ok(())
}

/// `rubric check`: every `--output` file, then stdout, in the summary view.
pub fn check(
    report: &Report,
    format: ReportFormat,
    outputs: &[(ReportFormat, PathBuf)],
    style: &Style,
) -> Result<(), Error> {
    answer_errors(report);
    // All --output files or none.
    let mut set = OutputSet::default();
    for (f, path) in outputs {
        set.add(path, |out| render_report(out, report, *f, style, true))?;
    }
    set.commit()?;
    write(Target::Stdout, |out| {
        render_report(out, report, format, style, true)
    })?;
    if format == ReportFormat::Github || outputs.iter().any(|(f, _)| *f == ReportFormat::Github) {
        output::github_step_summary(&render::markdown(report))?;
    }
    Ok(())
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
