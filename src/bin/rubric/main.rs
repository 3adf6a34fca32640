//! The `rubric` binary, only glue: arguments → options → one library call →
//! renderer → writer → exit code.

mod args;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use args::{Cli, CoachFormat, Command, ReportFormat, TableFormat};
use output::{print_error, style, text, write, Target};
use rubric::render::{self, ci, Style};
use rubric::report::{exit, Report};
use rubric::run::{self, Error};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2, never 1.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::PASS
            });
        }
    };
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            print_error(&e);
            ExitCode::from(exit::BAD_INPUT)
        }
    }
}

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
        ReportFormat::Table if summary => render::check_table(report, style),
        ReportFormat::Table => render::table(report, style),
        ReportFormat::Brief => ci::brief(report),
        ReportFormat::Junit => ci::junit(report),
        ReportFormat::Github => ci::github(report),
        ReportFormat::Sarif => ci::sarif(report),
        ReportFormat::Markdown => ci::markdown(report),
    };
    out.write_all(text.as_bytes())
}

/// Each answer that could not be scored, once, on stderr.
fn answer_errors(report: &Report) {
    for e in report.results.iter().filter_map(|r| r.error.as_deref()) {
        for line in e.lines() {
            eprintln!("error: {line}");
        }
    }
}

/// Table or JSON of a value.
fn table_or_json<T: serde::Serialize>(format: TableFormat, value: &T, table: String) -> String {
    match format {
        TableFormat::Json => render::json(value),
        TableFormat::Table => table,
    }
}

fn run(command: Command) -> Result<u8, Error> {
    let mut stdin = std::io::stdin().lock();
    match command {
        Command::Score(a) => {
            let report = run::score(&a.answers, a.pass, &a.scoring(), &mut stdin)?;
            answer_errors(&report);
            let style = style(&a.color);
            write(Target::Stdout, |out| {
                render_report(out, &report, a.format, &style, false)
            })?;
            if a.format == ReportFormat::Github {
                output::github_step_summary(&ci::markdown(&report))?;
            }
            Ok(report.exit_code())
        }
        Command::Check(a) => {
            let checked = run::check(&a.options())?;
            let (report, style) = (&checked.report, style(&a.color));
            answer_errors(report);
            let configured = ReportFormat::from_str(&checked.config.format.value, true).ok();
            let format = a.format.or(configured).unwrap_or(ReportFormat::Table);
            for (f, path) in &a.output {
                write(Target::File(path), |out| {
                    render_report(out, report, *f, &style, true)
                })?;
            }
            write(Target::Stdout, |out| {
                render_report(out, report, format, &style, true)
            })?;
            if format == ReportFormat::Github
                || a.output.iter().any(|(f, _)| *f == ReportFormat::Github)
            {
                output::github_step_summary(&ci::markdown(report))?;
            }
            Ok(report.exit_code())
        }
        Command::Report(a) => {
            let coached = run::coach(&a.options(), a.cohort.as_deref())?;
            answer_errors(&coached.report);
            if let Some(dir) = &a.out {
                std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                    path: dir.clone(),
                    source,
                })?;
                text(
                    Target::File(&dir.join("report.html")),
                    &render::coach::html(&coached),
                )?;
                text(
                    Target::File(&dir.join("report.md")),
                    &render::coach::markdown(&coached),
                )?;
            }
            let out = match (a.format, &coached.cohort) {
                (CoachFormat::Csv, Some(c)) => render::csv::cohort(c),
                (CoachFormat::Csv, None) => {
                    return Err(Error::Usage("--format csv needs --cohort DIR"))
                }
                (CoachFormat::Json, _) => render::json(&coached),
                (CoachFormat::Markdown, _) => render::coach::markdown(&coached),
                (CoachFormat::Table, _) => {
                    render::coach_summary(&coached, a.out.as_deref(), &style(&a.color))
                }
            };
            text(Target::Stdout, &out)?;
            Ok(coached.report.input_exit_code())
        }
        Command::Stats(a) => {
            let (report, stats) = run::stats(&a.options())?;
            answer_errors(&report);
            let table = render::stats_table(&stats, &style(&a.color));
            text(Target::Stdout, &table_or_json(a.format, &stats, table))?;
            Ok(report.input_exit_code())
        }
        Command::Suggest(a) => {
            let toml = run::suggest(
                &a.answer,
                a.question.as_deref(),
                a.id.as_deref(),
                &a.bank.options(),
                &mut stdin,
            )?;
            let target = a.out.as_deref().map_or(Target::Stdout, Target::File);
            text(target, &toml)?;
            Ok(exit::PASS)
        }
        Command::Diff(a) => {
            let d = run::diff(&a.old, &a.new)?;
            text(
                Target::Stdout,
                &table_or_json(a.format, &d, render::diff_table(&d, &Style::default())),
            )?;
            Ok(d.exit_code(a.fail_on_regression))
        }
        Command::Config(a) => {
            let config = run::load_config(a.config.as_deref(), None)?;
            let rows = config.rows();
            text(
                Target::Stdout,
                &table_or_json(
                    a.format,
                    &rows,
                    render::config_table(&rows, &Style::default()),
                ),
            )?;
            Ok(exit::PASS)
        }
        Command::Star(a) => {
            let report = run::star(
                &a.answers,
                a.speaker.as_deref(),
                a.explain,
                &a.data(),
                &mut stdin,
            )?;
            for e in report.results.iter().filter_map(|r| r.error.as_deref()) {
                eprintln!("error: {e}");
            }
            text(
                Target::Stdout,
                &table_or_json(
                    a.format,
                    &report,
                    render::star_table(&report, &style(&a.color)),
                ),
            )?;
            Ok(report.exit_code())
        }
        Command::Search(a) => {
            let found = run::search(&a.bank.options(), &a.words.join(" "), a.limit)?;
            text(
                Target::Stdout,
                &table_or_json(
                    a.format,
                    &found,
                    render::search_table(&found.hits, &style(&a.color)),
                ),
            )?;
            Ok(exit::PASS)
        }
        Command::List(a) => {
            let bank = run::list(&a.bank.options(), &a.tag, a.kind())?;
            let listing = rubric::report::listing::Listing::new(bank.rubrics());
            text(
                Target::Stdout,
                &table_or_json(
                    a.format,
                    &listing,
                    render::list_table(bank.rubrics(), &style(&a.color)),
                ),
            )?;
            Ok(exit::PASS)
        }
        Command::Lint(a) => {
            let report = run::lint(&a.dirs)?;
            text(
                Target::Stdout,
                &table_or_json(a.format, &report, render::lint_text(&report)),
            )?;
            Ok(report.exit_code())
        }
    }
}
