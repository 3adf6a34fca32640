//! The `rubric` binary, only glue: arguments → options → one library call →
//! renderer → writer → exit code.

mod args;
mod output;
mod practice;
mod progress;
mod report;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, ValueEnum};

use args::{Cli, Command, InputFormat, ReportFormat, Verbosity};
use output::{print_error, style, text, Target};
use progress::{excluded_notes, Bar};
use report::{answer_errors, star_errors, table_or_json, Ci};
use rubric::render::{self, Style};
use rubric::report::exit;
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
    output::remove_temporaries_on_signal();
    let verbosity = cli.verbosity();
    match run(cli.command, verbosity) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            print_error(&e);
            ExitCode::from(exit::BAD_INPUT)
        }
    }
}

/// The check options with `--files-from` read in.
fn with_files_from(
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

fn run(command: Command, verbosity: Verbosity) -> Result<u8, Error> {
    let mut stdin = std::io::stdin().lock();
    match command {
        Command::Score(a) => {
            let ci = Ci::new(a.max_annotations);
            if a.input == Some(InputFormat::Jsonl) {
                let bar = Bar::new(verbosity);
                if a.format == ReportFormat::Jsonl {
                    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
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
        Command::Check(a) => {
            let ci = Ci::new(a.max_annotations);
            let options = with_files_from(a.options(), &a.answers, &mut stdin)?;
            if a.format == Some(ReportFormat::Jsonl) && a.output.is_empty() {
                let bar = Bar::new(verbosity);
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                let (summary, named) =
                    run::check_stream(&options, &bar, &mut report::jsonl_sink(&mut out))?;
                drop(bar);
                excluded_notes(&named, verbosity);
                return Ok(summary.exit_code());
            }
            let bar = Bar::new(verbosity);
            let checked = match run::check(&options, &bar) {
                Ok(c) => c,
                Err(e) => {
                    drop(bar);
                    if let Some(aborted) = aborted_report(&e) {
                        report::aborted(&aborted, a.format, &a.output, &ci)?;
                    }
                    return Err(e);
                }
            };
            drop(bar);
            excluded_notes(&checked.named_but_excluded, verbosity);
            if verbosity == Verbosity::Verbose {
                for p in checked.report.excluded.iter().filter(|p| {
                    !checked
                        .named_but_excluded
                        .iter()
                        .any(|n| n.display().to_string() == **p)
                }) {
                    eprintln!("note: {p}: skipped, excluded by the config's `exclude`");
                }
                eprintln!(
                    "note: {} selected, {} excluded",
                    render::plural(checked.report.results.len(), "answer"),
                    checked.report.excluded.len()
                );
            }
            let configured = ReportFormat::from_str(&checked.config.format.value, true).ok();
            let format = a.format.or(configured).unwrap_or(ReportFormat::Table);
            report::check(&checked.report, format, &a.output, &style(&a.color), &ci)?;
            Ok(checked.report.exit_code())
        }
        Command::Report(a) => {
            let options = with_files_from(a.options(), &a.answers, &mut stdin)?;
            let bar = Bar::new(verbosity);
            let coached = run::coach(&options, a.cohort.as_deref(), &bar)?;
            drop(bar);
            report::coach(&coached, a.format(), a.out.as_deref(), &style(&a.color))?;
            // Printed to stdout, the report is a check: it exits as `check` would.
            Ok(if a.out.is_some() {
                coached.report.input_exit_code()
            } else {
                coached.report.exit_code()
            })
        }
        Command::Init(a) => {
            let created = run::init(&a.dir)?;
            if verbosity != Verbosity::Quiet {
                for p in created {
                    eprintln!("created {}", p.display());
                }
            }
            Ok(exit::PASS)
        }
        Command::Completions(a) => {
            let mut out = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "rubric", &mut out);
            output::write(Target::Stdout, |w| w.write_all(&out))?;
            Ok(exit::PASS)
        }
        Command::Man => {
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
        Command::Stats(a) => {
            let options = with_files_from(a.options(), &a.answers, &mut stdin)?;
            let bar = Bar::new(verbosity);
            let (report, stats) = run::stats(&options, &bar)?;
            drop(bar);
            answer_errors(&report);
            table_or_json(a.format, &stats, style(&a.color).color, || {
                render::stats_table(&stats, &style(&a.color))
            })?;
            Ok(report.input_exit_code())
        }
        Command::Suggest(a) => {
            let (question, id) = (a.question.as_deref(), a.id.as_deref());
            let toml = run::suggest(&a.answer, question, id, &a.bank.options(), &mut stdin)?;
            text(a.out.as_deref().map_or(Target::Stdout, Target::File), &toml)?;
            Ok(exit::PASS)
        }
        Command::Diff(a) => {
            let d = run::diff(&a.old, &a.new)?;
            table_or_json(a.format, &d, false, || {
                render::diff_table(&d, &Style::default())
            })?;
            Ok(d.exit_code(a.fail_on_regression))
        }
        Command::Config(a) => {
            let rows = run::load_config(a.config.as_deref(), None)?.rows();
            table_or_json(a.format, &rows, false, || {
                render::config_table(&rows, &Style::default())
            })?;
            Ok(exit::PASS)
        }
        Command::Star(a) => {
            let data = a.data();
            let report = run::star(
                &a.answers,
                a.speaker.as_deref(),
                a.explain,
                &data,
                a.data.limits(),
                &mut stdin,
            )?;
            star_errors(&report);
            table_or_json(a.format, &report, style(&a.color).color, || {
                render::star_table(&report, &style(&a.color))
            })?;
            Ok(report.exit_code())
        }
        Command::Search(a) => {
            let found = run::search(&a.bank.options(), &a.words.join(" "), a.limit)?;
            table_or_json(a.format, &found, style(&a.color).color, || {
                render::search_table(&found.hits, &style(&a.color))
            })?;
            Ok(exit::PASS)
        }
        Command::List(a) => {
            let bank = run::list(&a.bank.options(), &a.tag, a.kind())?;
            let listing = rubric::report::listing::Listing::new(bank.rubrics());
            table_or_json(a.format, &listing, style(&a.color).color, || {
                render::list_table(bank.rubrics(), &style(&a.color))
            })?;
            Ok(exit::PASS)
        }
        Command::Practice(a) => practice::run(&a, &mut stdin, &style(&a.color)),
        Command::Show(a) => {
            let rubric = run::show(&a.bank.options(), &a.id)?;
            let shown = rubric::report::listing::Shown::new(&rubric, a.guide);
            table_or_json(a.format, &shown, style(&a.color).color, || {
                render::show_text(&shown, &style(&a.color))
            })?;
            Ok(exit::PASS)
        }
        Command::Lint(a) => {
            let report = run::lint(&a.dirs)?;
            table_or_json(a.format, &report, false, || render::lint_text(&report))?;
            Ok(report.exit_code())
        }
    }
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
