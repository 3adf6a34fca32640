//! Rendering glue: which renderer a command's format means, and where each
//! rendering goes (through the one writer in [`crate::output`]). Renderers
//! only format; nothing here computes an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use rubric::render::{self, Head, ReportWriter, Style, Visible};
use rubric::report::coach::Coached;
use rubric::report::{Report, StarReport, Summary};
use rubric::run::check::Progress;
use rubric::run::{self, Error};

use crate::args::{CoachFormat, ReportFormat, TableFormat};
use crate::output::{self, text, write, OutputSet, Staging, Target};

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

/// The streaming renderer of a format, in the summary view of `check`.
fn check_writer<'a>(format: ReportFormat, style: &Style, ci: &'a Ci) -> Box<dyn ReportWriter + 'a> {
    match format {
        ReportFormat::Table => Box::new(render::CheckTableWriter::new(*style)),
        ReportFormat::Brief => Box::new(render::BriefWriter),
        ReportFormat::Json => Box::new(render::JsonWriter::new()),
        ReportFormat::Jsonl => Box::new(render::JsonLinesWriter),
        ReportFormat::Junit => Box::new(render::JunitWriter::new()),
        ReportFormat::Github => Box::new(render::GithubWriter::new(ci.max_annotations)),
        ReportFormat::Sarif => Box::new(render::SarifWriter::new(ci.sarif_root())),
        ReportFormat::Markdown => Box::new(render::MarkdownWriter::new()),
    }
}

/// Whether a format's text is for a person, whose output never carries an
/// answer's control characters raw, and with color if so. JSON and SARIF
/// keep the text exact.
fn for_a_person(format: ReportFormat, style: &Style) -> Option<bool> {
    match format {
        ReportFormat::Json | ReportFormat::Jsonl | ReportFormat::Sarif => None,
        ReportFormat::Table => Some(style.color),
        _ => Some(false),
    }
}

/// Renders a finished score or check report (`summary`: one row per answer).
fn render_report(
    out: &mut dyn Write,
    report: &Report,
    format: ReportFormat,
    style: &Style,
    ci: &Ci,
    summary: bool,
) -> std::io::Result<()> {
    if format == ReportFormat::Table && !summary {
        let text = render::table(report, style);
        return out.write_all(render::visible_output(&text, style.color).as_bytes());
    }
    let mut writer = check_writer(format, style, ci);
    match for_a_person(format, style) {
        None => render::write_report(&mut *writer, out, report),
        Some(color) => {
            let mut visible = Visible::new(out, color);
            render::write_report(&mut *writer, &mut visible, report)?;
            visible.into_inner().map(|_| ())
        }
    }
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

/// Where one rendering of a streamed check goes.
enum Dest<'a> {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'a>>),
    File(Staging),
}

impl Write for Dest<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Dest::Stdout(w) => w.write(buf),
            Dest::File(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Dest::Stdout(w) => w.write_all(buf),
            Dest::File(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Dest::Stdout(w) => w.flush(),
            Dest::File(w) => w.flush(),
        }
    }
}

/// A rendering's text on its way, made visible for a person's formats.
enum Text<'a> {
    Exact(Dest<'a>),
    Visible(Visible<Dest<'a>>),
}

impl<'a> Text<'a> {
    fn new(dest: Dest<'a>, format: ReportFormat, style: &Style) -> Self {
        match for_a_person(format, style) {
            None => Text::Exact(dest),
            Some(color) => Text::Visible(Visible::new(dest, color)),
        }
    }

    fn into_dest(self) -> std::io::Result<Dest<'a>> {
        match self {
            Text::Exact(d) => Ok(d),
            Text::Visible(v) => v.into_inner(),
        }
    }
}

impl Write for Text<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Text::Exact(w) => w.write(buf),
            Text::Visible(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Text::Exact(w) => w.flush(),
            Text::Visible(w) => w.flush(),
        }
    }
}

/// One format of a streamed check and where it goes.
struct Rendering<'a> {
    writer: Box<dyn ReportWriter + 'a>,
    /// `None` once stdout's reader has gone (`| head`): a closed pipe is not
    /// an error worth reporting, and the run goes on for the other outputs
    /// and the exit code.
    text: Option<Text<'a>>,
    /// The file, or `stdout`, for messages.
    name: PathBuf,
}

impl Rendering<'_> {
    /// Writes with `write`; the error of a file (or of stdout, but a closed
    /// pipe) stops the run.
    fn step(
        &mut self,
        set: &mut OutputSet,
        write: impl FnOnce(&mut dyn ReportWriter, &mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        let Some(text) = &mut self.text else {
            return Ok(());
        };
        let Err(e) = write(&mut *self.writer, text) else {
            return Ok(());
        };
        match self.text.take().map(Text::into_dest) {
            Some(Ok(Dest::File(file))) => Err(set.fail(file, e)),
            _ if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            _ => Err(Error::Write {
                path: self.name.clone(),
                source: e,
            }),
        }
    }
}

/// `rubric check`, streamed: each answer is rendered in every format asked
/// for (each `--output` file, stdout, the GitHub step summary) as soon as
/// it is judged, and nothing keeps the whole report. The `--output` files
/// are renamed into place only when all were written, then stdout is
/// finished; answers that could not be scored are named on stderr as they
/// come. Returns the totals, which decide the exit code.
pub fn check(
    prepared: &run::Prepared,
    scoring: &run::Scoring,
    format: ReportFormat,
    outputs: &[(ReportFormat, PathBuf)],
    style: &Style,
    ci: &Ci,
    progress: &dyn Progress,
) -> Result<Summary, Error> {
    let excluded = prepared.selection.excluded_names();
    let head = Head {
        excluded: &excluded,
        problems: &[],
    };
    // All --output files or none: each to a temporary file until the end.
    let mut set = OutputSet::default();
    let mut files = Vec::new();
    for (f, path) in outputs {
        let dest = Dest::File(set.open(path)?);
        files.push(Rendering {
            writer: check_writer(*f, style, ci),
            text: Some(Text::new(dest, *f, style)),
            name: path.clone(),
        });
    }
    let stdout = Dest::Stdout(crate::output::buffered(std::io::stdout().lock()));
    let mut stdout = Rendering {
        writer: check_writer(format, style, ci),
        text: Some(Text::new(stdout, format, style)),
        name: "stdout".into(),
    };
    let github =
        format == ReportFormat::Github || outputs.iter().any(|(f, _)| *f == ReportFormat::Github);
    let mut step_summary =
        (github && output::has_github_step_summary()).then(render::StepSummaryWriter::new);
    let mut renderings: Vec<&mut Rendering<'_>> = files.iter_mut().collect();
    renderings.push(&mut stdout);
    for r in &mut renderings {
        r.step(&mut set, |w, out| w.begin(out, &head))?;
    }
    let mut none = std::io::sink();
    if let Some(s) = &mut step_summary {
        s.begin(&mut none, &head).map_err(step_summary_error)?;
    }
    // The first error stops the run; the stream only learns that it stopped.
    let mut failed = None;
    let streamed = run::check_stream(prepared, scoring, progress, &mut |r| {
        if let Some(e) = &r.error {
            for line in e.lines() {
                eprintln!("error: {}", render::visible(line));
            }
        }
        let mut step = || -> Result<(), Error> {
            for rendering in renderings.iter_mut() {
                rendering.step(&mut set, |w, out| w.result(out, r))?;
            }
            if let Some(s) = &mut step_summary {
                s.result(&mut none, r).map_err(step_summary_error)?;
            }
            Ok(())
        };
        step().map_err(|e| {
            failed = Some(e);
            std::io::Error::other("stopped")
        })
    });
    let summary = match (streamed, failed) {
        (_, Some(e)) | (Err(e), None) => return Err(e),
        (Ok(summary), None) => summary,
    };
    drop(renderings);
    for mut file in files {
        file.step(&mut set, |w, out| w.finish(out, &summary))?;
        if let Some(text) = file.text {
            match text.into_dest() {
                Ok(Dest::File(staging)) => set.close(staging)?,
                Ok(Dest::Stdout(_)) => {}
                Err(source) => {
                    return Err(Error::Write {
                        path: file.name,
                        source,
                    })
                }
            }
        }
    }
    set.commit()?;
    stdout.step(&mut set, |w, out| {
        w.finish(out, &summary)?;
        out.flush()
    })?;
    if let Some(mut s) = step_summary {
        let mut markdown = Vec::new();
        s.finish(&mut markdown, &summary)
            .map_err(step_summary_error)?;
        output::github_step_summary(&String::from_utf8_lossy(&markdown))?;
    }
    Ok(summary)
}

fn step_summary_error(source: std::io::Error) -> Error {
    Error::Write {
        path: "the GitHub step summary".into(),
        source,
    }
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
