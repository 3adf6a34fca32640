//! The commands whose glue is longer than a line or two: `score` and
//! `check` (streaming JSON Lines, progress, notes, CI outputs), and the entry
//! points `init`, `completions` and `man`.

use clap::{CommandFactory, ValueEnum};

use crate::args::{
    self, CheckArgs, Cli, CompletionsArgs, InitArgs, InputFormat, ReportFormat, ScoreArgs,
    Verbosity,
};
use crate::output::{self, style, Target};
use crate::progress::{excluded_notes, Bar};
use crate::report::{self, Ci};
use rubric::render;
use rubric::report::exit;
use rubric::run::{self, Error};

/// The check options with `--files-from` read in.
pub fn with_files_from(
    mut options: run::CheckOptions,
    answers: &args::BankOfAnswers,
    stdin: &mut dyn std::io::Read,
) -> Result<run::CheckOptions, Error> {
    if let Some(list) = &answers.files_from {
        let paths = if list.as_os_str() == "-" {
            run::file_list(stdin)
        } else {
            run::file_list_at(list)
        }
        .map_err(|source| Error::Read {
            path: list.clone(),
            source,
        })?;
        options.paths.extend(paths);
    }
    Ok(options)
}

/// `rubric score`.
pub fn score(
    a: &ScoreArgs,
    stdin: &mut std::io::StdinLock<'_>,
    verbosity: Verbosity,
) -> Result<u8, Error> {
    let mut stdin = stdin;
    let ci = Ci::new(a.max_annotations);
    if a.input == Some(InputFormat::Jsonl) {
        let bar = Bar::new(verbosity);
        if a.format == ReportFormat::Jsonl {
            let mut out = crate::output::buffered(std::io::stdout().lock());
            let summary = run::score_jsonl(
                a.pass,
                &a.scoring(),
                &mut stdin,
                &bar,
                &mut report::jsonl_sink(&mut out),
            )?;
            return Ok(summary.exit_code());
        }
        let mut results = Vec::new();
        let summary = run::score_jsonl(a.pass, &a.scoring(), &mut stdin, &bar, &mut |r| {
            results.push(r.clone());
            Ok(())
        })?;
        drop(bar);
        let report = rubric::report::Report::from_judged(results, summary, a.guide);
        report::score(&report, a.format, &style(&a.color), &ci)?;
        return Ok(report.exit_code());
    }
    let report = run::score(&a.answers, a.pass, &a.scoring(), &mut stdin)?;
    report::score(&report, a.format, &style(&a.color), &ci)?;
    Ok(report.exit_code())
}

/// `rubric check`.
pub fn check(
    a: &CheckArgs,
    stdin: &mut std::io::StdinLock<'_>,
    verbosity: Verbosity,
) -> Result<u8, Error> {
    let mut stdin = stdin;
    let ci = Ci::new(a.max_annotations);
    let options = with_files_from(a.options(), &a.answers, &mut stdin)?;
    let prepared = match run::prepare(&options) {
        Ok(p) => p,
        Err(e) => {
            if let Some(aborted) = aborted_report(&e) {
                report::aborted(&aborted, a.format, &a.output, &ci)?;
            }
            return Err(e);
        }
    };
    let selection = &prepared.selection;
    excluded_notes(&selection.named_but_excluded, verbosity);
    if verbosity == Verbosity::Verbose {
        for p in selection
            .excluded
            .iter()
            .filter(|p| !selection.named_but_excluded.contains(p))
        {
            eprintln!(
                "note: {}: skipped, excluded by the config's `exclude`",
                p.display()
            );
        }
        eprintln!(
            "note: {} selected, {} excluded",
            render::plural(selection.files.len(), "answer"),
            selection.excluded.len()
        );
    }
    let configured = ReportFormat::from_str(&prepared.config.format.value, true).ok();
    let format = a.format.or(configured).unwrap_or(ReportFormat::Table);
    let bar = Bar::new(verbosity);
    let summary = report::check(
        &prepared,
        &options.scoring,
        format,
        &a.output,
        &style(&a.color),
        &ci,
        &bar,
    )?;
    // The process ends next and its memory goes with it: freeing the bank's
    // compiled rubrics one by one (17M instructions for 80) only delays the
    // exit.
    std::mem::forget(prepared);
    Ok(summary.exit_code())
}

/// `rubric init`.
pub fn init(a: &InitArgs, verbosity: Verbosity) -> Result<u8, Error> {
    let created = run::init(&a.dir)?;
    if verbosity != Verbosity::Quiet {
        for p in created {
            eprintln!("created {}", p.display());
        }
    }
    Ok(exit::PASS)
}

/// `rubric completions SHELL`.
pub fn completions(a: &CompletionsArgs) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "rubric", &mut out);
    output::write(Target::Stdout, |w| w.write_all(&out))?;
    Ok(exit::PASS)
}

/// `rubric man`.
pub fn man() -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|source| Error::Write {
            path: "stdout".into(),
            source,
        })?;
    output::write(Target::Stdout, |w| w.write_all(&out))?;
    Ok(exit::PASS)
}

/// The report of a run a bad config stopped, for the CI formats.
fn aborted_report(e: &Error) -> Option<rubric::report::Report> {
    use rubric::report::{Problem, Report};
    match e {
        Error::Config(d) => Some(Report::aborted(Problem::from_diagnostics(d))),
        Error::Bank(_) | Error::DataFile(_) | Error::NothingSelected(_) | Error::BadGlob { .. } => {
            Some(Report::aborted(
                e.to_string().lines().map(Problem::unlocated).collect(),
            ))
        }
        _ => None,
    }
}
