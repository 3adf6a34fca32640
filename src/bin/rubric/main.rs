//! The `rubric` binary: parses arguments, calls the library, picks a
//! renderer, and turns the report into an exit code.

mod args;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{BankArgs, Cli, ColorChoice, Command, Common, Format};
use rubric::bank::Bank;
use rubric::engine::Choice;
use rubric::input::read_answer;
use rubric::render::{self, Style};
use rubric::report::{exit, AnswerReport, Report, StarReport, StarReportEntry};
use rubric::score::ScoreOptions;
use rubric::star::Lexicon;
use rubric::text::Analyzer;
use rubric::Engine;

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
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            print_error(&message);
            ExitCode::from(exit::BAD_INPUT)
        }
    }
}

/// Prints an error, one `error: ` line per problem (a rubric may have many).
fn print_error(message: &str) {
    for line in message.lines() {
        eprintln!("error: {line}");
    }
}

fn style(common: &Common, guide: bool) -> Style {
    let color = match common.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let width = if std::io::stdout().is_terminal() {
        terminal_width().unwrap_or(100)
    } else {
        100
    };
    Style {
        color,
        width,
        guide,
    }
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS").ok()?.parse().ok()
}

fn lexicon(common: &Common) -> Result<Lexicon, String> {
    let mut analyzer = Analyzer::new();
    match &common.star_cues {
        Some(path) => Lexicon::load(path, &mut analyzer).map_err(|e| e.to_string()),
        None => Ok(Lexicon::builtin(&mut analyzer)),
    }
}

fn bank(args: &BankArgs) -> Result<Bank, String> {
    Bank::load(&args.rubrics, !args.no_builtin).map_err(|e| e.to_string())
}

/// `--rubric` names a file when it ends in `.toml` or is an existing file.
fn is_rubric_path(name: &str) -> bool {
    name.ends_with(".toml") || std::path::Path::new(name).is_file()
}

fn emit(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    let mut stdin = std::io::stdin().lock();
    match cli.command {
        Command::Score(args) => {
            let style = style(&args.common, args.guide);
            // A rubric given as a file needs no bank: skip loading it.
            let by_path = args.rubric.as_deref().filter(|r| is_rubric_path(r));
            let (engine_bank, rubric) = match by_path {
                Some(path) => {
                    let r = rubric::rubric::load(std::path::Path::new(path))
                        .map_err(|e| e.to_string())?;
                    (Bank::default(), Some(r))
                }
                None => {
                    let b = bank(&args.bank)?;
                    let r = match &args.rubric {
                        Some(id) => Some(b.resolve(id).map_err(|e| e.to_string())?),
                        None => None,
                    };
                    (b, r)
                }
            };
            let engine = Engine::new(engine_bank, lexicon(&args.common)?);
            let choice = match &rubric {
                Some(r) => Choice::Given(r),
                None => Choice::Detect,
            };
            let options = ScoreOptions {
                pass: args.pass,
                ..Default::default()
            };
            let mut results = Vec::with_capacity(args.answers.len());
            for name in &args.answers {
                let result = match read_answer(name, &mut stdin as &mut dyn Read) {
                    Ok(answer) => engine.score_answer(name, &answer.text, choice, &options),
                    Err(e) => AnswerReport::failed(name.clone(), e.to_string()),
                };
                if let Some(e) = &result.error {
                    print_error(e);
                }
                results.push(result);
            }
            let report = Report::new(results);
            let text = match args.common.format {
                Format::Table => render::table(&report, &style),
                Format::Json => render::json(&report),
            };
            emit(&text)?;
            Ok(report.exit_code())
        }
        Command::Star(args) => {
            let style = style(&args.common, false);
            let engine = Engine::new(Bank::default(), lexicon(&args.common)?);
            let mut results = Vec::new();
            for name in &args.answers {
                let entry = match read_answer(name, &mut stdin as &mut dyn Read) {
                    Ok(answer) => engine.star(name, &answer.text),
                    Err(e) => {
                        print_error(&e.to_string());
                        StarReportEntry {
                            answer: name.clone(),
                            star: None,
                            error: Some(e.to_string()),
                        }
                    }
                };
                results.push(entry);
            }
            let report = StarReport { schema: 1, results };
            let text = match args.common.format {
                Format::Table => render::star_table(&report, &style),
                Format::Json => render::json(&report),
            };
            emit(&text)?;
            Ok(report.exit_code())
        }
        Command::List(args) => {
            let style = style(&args.common, false);
            let bank = bank(&args.bank)?;
            let rows: Vec<&rubric::rubric::Rubric> = bank
                .rubrics()
                .iter()
                .filter(|r| args.kind.as_deref().is_none_or(|k| r.kind.as_str() == k))
                .filter(|r| args.tag.is_empty() || r.tags.iter().any(|t| args.tag.contains(t)))
                .collect();
            let text = match args.common.format {
                Format::Table => render::list_table(&rows, &style),
                Format::Json => render::json(&render::list_json(&rows)),
            };
            emit(&text)?;
            Ok(exit::PASS)
        }
        Command::Lint(args) => {
            let loaded = if args.dirs.is_empty() {
                rubric::bank::BUILTIN
                    .iter()
                    .map(|(path, src)| rubric::rubric::parse(std::path::Path::new(path), src))
                    .collect()
            } else {
                let mut loaded = Vec::new();
                for dir in &args.dirs {
                    let files = rubric::bank::rubric_files(dir).map_err(|d| d.to_string())?;
                    loaded.extend(files.iter().map(|f| rubric::rubric::load(f)));
                }
                loaded
            };
            let report = rubric::lint::lint_loaded(loaded);
            let text = match args.format {
                Format::Table => render::lint_text(&report),
                Format::Json => render::json(&render::lint_json(&report)),
            };
            emit(&text)?;
            Ok(report.exit_code())
        }
        Command::Search(args) => {
            let style = style(&args.common, false);
            let engine = Engine::with_builtin_lexicon(bank(&args.bank)?);
            let words = args.words.join(" ");
            let hits = engine
                .index()
                .and_then(|i| i.search(&words, args.limit))
                .map_err(|e| e.to_string())?;
            let text = match args.common.format {
                Format::Table => render::search_table(&hits, &style),
                Format::Json => {
                    render::json(&serde_json::json!({ "schema": 1, "query": words, "hits": hits }))
                }
            };
            emit(&text)?;
            Ok(exit::PASS)
        }
    }
}
