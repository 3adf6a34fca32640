//! The `rubric` binary: parses arguments, calls the library, picks a
//! renderer, writes the output, and turns the report into an exit code.

mod args;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use args::{BankArgs, CheckArgs, Cli, ColorChoice, Command, Common, FailOnArg, Format};
use rubric::bank::Bank;
use rubric::check::{self, Policy};
use rubric::config::{self, Config, FailOn};
use rubric::delivery::FillerList;
use rubric::engine::with_analyzer;
use rubric::input::read_answer;
use rubric::render::{self, ci, Style};
use rubric::report::{exit, AnswerReport, Report, StarReport, StarReportEntry};
use rubric::rubric::Rubric;
use rubric::spoken::Glossary;
use rubric::star::Lexicon;
use rubric::Engine;

/// CSV has one table to give: the cohort's candidates × questions.
const CSV_ONLY_FOR_COHORT: &str =
    "--format csv is for the cohort table: use `rubric report --cohort DIR --format csv`, or json for other commands";

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
    let tty = std::io::stdout().is_terminal();
    let color = match common.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && tty,
    };
    let width = if tty {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100)
    } else {
        100
    };
    Style {
        color,
        width,
        guide,
    }
}

fn lexicon(common: &Common) -> Result<Lexicon, String> {
    match &common.star_cues {
        Some(path) => with_analyzer(|a| Lexicon::load(path, a)).map_err(|e| e.to_string()),
        None => Ok(with_analyzer(Lexicon::builtin)),
    }
}

/// An engine with the lexicon, glossary and filler list the flags name.
fn engine(bank: Bank, common: &Common) -> Result<Engine, String> {
    let mut engine = Engine::new(bank, lexicon(common)?);
    if let Some(path) = &common.stt_glossary {
        let g = with_analyzer(|a| Glossary::load(path, a)).map_err(|e| e.to_string())?;
        engine.set_glossary(g);
    }
    if let Some(path) = &common.fillers {
        let f = with_analyzer(|a| FillerList::load(path, a)).map_err(|e| e.to_string())?;
        engine.set_fillers(f);
    }
    Ok(engine)
}

fn bank(args: &BankArgs, extra: &[PathBuf]) -> Result<Bank, String> {
    let mut dirs = extra.to_vec();
    dirs.extend(args.rubrics.iter().cloned());
    Bank::load(&dirs, !args.no_builtin).map_err(|e| e.to_string())
}

/// `--rubric` names a file when it ends in `.toml` or is an existing file.
fn is_rubric_path(name: &str) -> bool {
    name.ends_with(".toml") || Path::new(name).is_file()
}

/// Resolves `--rubric` against a bank (or as a file).
fn resolve_rubric(bank: &Bank, name: Option<&str>) -> Result<Option<Rubric>, String> {
    match name {
        None => Ok(None),
        Some(n) if is_rubric_path(n) => rubric::rubric::load(Path::new(n))
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(n) => bank.resolve(n).map(Some).map_err(|e| e.to_string()),
    }
}

fn emit(text: &str) -> Result<(), String> {
    emit_with(|out| out.write_all(text.as_bytes()))
}

/// Writes to stdout through a buffer.
fn emit_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), String> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

/// Writes a file atomically: a temporary file beside it, renamed over it,
/// so a failed run never leaves a half-written report.
fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    let mut buffered = std::io::BufWriter::new(tmp);
    write(&mut buffered)
        .and_then(|_| buffered.flush())
        .map_err(fail)?;
    let tmp = buffered.into_inner().map_err(|e| fail(e.into_error()))?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    // Temporary files are private (0600); a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).map_err(fail)?;
    }
    Ok(())
}

/// Writes a score/check report in a format. JSON is streamed: a bank of
/// many answers never holds its whole document in memory.
fn write_report(
    out: &mut dyn Write,
    report: &Report,
    format: Format,
    style: &Style,
    summary_table: bool,
) -> std::io::Result<()> {
    let text = match format {
        Format::Json => return render::write_json(out, report),
        Format::Table if summary_table => render::check_table(report, style),
        Format::Table => render::table(report, style),
        Format::Brief => ci::brief(report),
        Format::Junit => ci::junit(report),
        Format::Github => ci::github(report),
        Format::Sarif => ci::sarif(report),
        Format::Markdown => ci::markdown(report),
        Format::Csv => return Err(std::io::Error::other(CSV_ONLY_FOR_COHORT)),
    };
    out.write_all(text.as_bytes())
}

/// Appends the Markdown summary to `$GITHUB_STEP_SUMMARY` when set.
fn github_step_summary(report: &Report) -> Result<(), String> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| {
            format!(
                "{}: cannot append the step summary: {e}",
                PathBuf::from(&path).display()
            )
        })?;
    file.write_all(ci::markdown(report).as_bytes())
        .map_err(|e| format!("cannot append the step summary: {e}"))
}

/// Parses `--output FORMAT=PATH` values.
fn outputs(values: &[String]) -> Result<Vec<(Format, PathBuf)>, String> {
    values
        .iter()
        .map(|v| {
            let (f, p) = v
                .split_once('=')
                .ok_or_else(|| format!("--output `{v}`: expected FORMAT=PATH, e.g. junit=report.xml"))?;
            if f.eq_ignore_ascii_case("csv") {
                return Err(format!("--output `{v}`: {CSV_ONLY_FOR_COHORT}"));
            }
            let format = Format::parse(f).ok_or_else(|| {
                format!("--output `{v}`: unknown format `{f}` (table, brief, json, junit, github, sarif, markdown)")
            })?;
            if p.is_empty() {
                return Err(format!("--output `{v}`: the path is empty"));
            }
            Ok((format, PathBuf::from(p)))
        })
        .collect()
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Score(args) => {
            if args.common.format == Some(Format::Csv) {
                return Err(CSV_ONLY_FOR_COHORT.into());
            }
            let style = style(&args.common, args.guide);
            // A rubric given as a file needs no bank: skip loading it.
            let by_path =
                args.rubric.as_deref().is_some_and(is_rubric_path) && args.bank.rubrics.is_empty();
            let bank = if by_path {
                Bank::default()
            } else {
                bank(&args.bank, &[])?
            };
            let rubric = resolve_rubric(&bank, args.rubric.as_deref())?;
            let engine = engine(bank, &args.common)?;
            // `score` maps answers like `check`: front matter, name, then the index.
            let config = Config::default();
            let mut stdin = std::io::stdin().lock();
            let mut results = Vec::with_capacity(args.answers.len());
            for name in &args.answers {
                let result = match read_answer(name, &mut stdin as &mut dyn Read) {
                    Ok(answer) => {
                        let run = check::RunOptions {
                            rubric: rubric.as_ref(),
                            speaker: args.common.speaker.as_deref(),
                            annotate: false,
                            pass: args.pass,
                        };
                        check::score_text(&engine, Path::new(name), &answer.text, &config, run)
                    }
                    Err(e) => AnswerReport::failed(name.clone(), e.to_string()),
                };
                if let Some(e) = &result.error {
                    print_error(e);
                }
                results.push(result);
            }
            let report = Report::new(results);
            let format = args.common.format.unwrap_or(Format::Table);
            emit_with(|out| write_report(out, &report, format, &style, false))?;
            if format == Format::Github {
                github_step_summary(&report)?;
            }
            Ok(report.exit_code())
        }
        Command::Check(args) => {
            // Bad --output values are usage errors: report them before any work.
            let outputs = outputs(&args.output)?;
            let (report, format, style) = check_report(&args)?;
            for r in &report.results {
                if let Some(e) = &r.error {
                    print_error(e);
                }
            }
            for (f, path) in &outputs {
                write_atomic(path, |out| write_report(out, &report, *f, &style, true))?;
            }
            emit_with(|out| write_report(out, &report, format, &style, true))?;
            if format == Format::Github || outputs.iter().any(|(f, _)| *f == Format::Github) {
                github_step_summary(&report)?;
            }
            Ok(report.exit_code())
        }
        Command::Report(args) => {
            let mut check = args.check;
            if let Some(dir) = &args.cohort {
                if !check.paths.is_empty() {
                    return Err(
                        "give answers either as paths or with --cohort DIR, not both".into(),
                    );
                }
                check.paths = vec![dir.clone()];
            }
            if check.paths.is_empty() {
                return Err(
                    "rubric report needs answer files or directories, or --cohort DIR".into(),
                );
            }
            let (mut report, _, style) = check_report_with(&check, true)?;
            for r in &report.results {
                if let Some(e) = &r.error {
                    print_error(e);
                }
            }
            let root = args.cohort.as_deref();
            if let Some(root) = root {
                for r in &mut report.results {
                    if r.candidate.is_none() {
                        r.candidate = Some(rubric::coach::person(r, Some(root)));
                    }
                }
            }
            let cohort = root.map(|r| rubric::coach::cohort(&report, Some(r)));
            let trends = rubric::coach::progress(&report, root);
            if let Some(dir) = &args.out {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
                let html = render::coach::html(&report, cohort.as_ref(), &trends, style.guide);
                let md = render::coach::markdown(&report, cohort.as_ref(), &trends, style.guide);
                write_atomic(&dir.join("report.html"), |out| {
                    out.write_all(html.as_bytes())
                })?;
                write_atomic(&dir.join("report.md"), |out| out.write_all(md.as_bytes()))?;
            }
            let text = match check.common.format.unwrap_or(Format::Table) {
                Format::Csv => match &cohort {
                    Some(c) => c.csv(),
                    None => return Err("--format csv needs --cohort DIR".into()),
                },
                Format::Json => render::json(&serde_json::json!({
                    "schema": 1,
                    "summary": report.summary,
                    "cohort": cohort,
                    "progress": trends,
                })),
                Format::Markdown => {
                    render::coach::markdown(&report, cohort.as_ref(), &trends, style.guide)
                }
                _ => render::coach_summary(
                    &report,
                    cohort.as_ref(),
                    &trends,
                    args.out.as_deref(),
                    &style,
                ),
            };
            emit(&text)?;
            Ok(if report.summary.errors > 0 {
                exit::BAD_INPUT
            } else {
                exit::PASS
            })
        }
        Command::Suggest(args) => {
            let mut stdin = std::io::stdin().lock();
            let answer = read_answer(&args.answer, &mut stdin as &mut dyn Read)
                .map_err(|e| e.to_string())?;
            let id = args.id.clone().unwrap_or_else(|| {
                Path::new(&args.answer)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .filter(|s| s != "-")
                    .unwrap_or_else(|| "draft".to_string())
            });
            let bank = bank(&args.bank, &[])?;
            let toml = rubric::suggest::draft(&answer.text, args.question.as_deref(), &id, &bank)
                .map_err(|e| format!("{}: {e}", args.answer))?;
            match &args.out {
                Some(path) => write_atomic(path, |out| out.write_all(toml.as_bytes()))?,
                None => emit(&toml)?,
            }
            Ok(exit::PASS)
        }
        Command::Stats(args) => {
            let (report, _, style) = check_report(&args)?;
            let stats = rubric::stats::from_report(&report);
            let text = match args.common.format {
                Some(Format::Json) => render::json(&stats),
                Some(Format::Table) | None => render::stats_table(&stats, &style),
                Some(other) => {
                    return Err(format!("stats prints table or json, not {other:?}").to_lowercase())
                }
            };
            emit(&text)?;
            Ok(if report.summary.errors > 0 {
                exit::BAD_INPUT
            } else {
                exit::PASS
            })
        }
        Command::Diff(args) => {
            let d = rubric::diff::diff(&args.old, &args.new).map_err(|e| e.to_string())?;
            let style = Style::default();
            let text = match args.format {
                Some(Format::Json) => render::json(&d),
                Some(Format::Table) | None => render::diff_table(&d, &style),
                Some(other) => {
                    return Err(format!("diff prints table or json, not {other:?}").to_lowercase())
                }
            };
            emit(&text)?;
            Ok(if args.fail_on_regression && d.regressions > 0 {
                exit::FAIL
            } else {
                exit::PASS
            })
        }
        Command::Config(args) => {
            let config = load_config(args.config.as_deref(), None)?;
            let rows = config.rows();
            let text = match args.format {
                Some(Format::Json) => render::json(
                    &rows
                        .iter()
                        .map(|(k, v, o)| serde_json::json!({ "setting": k, "value": v, "from": o }))
                        .collect::<Vec<_>>(),
                ),
                _ => render::config_table(&rows, &Style::default()),
            };
            emit(&text)?;
            Ok(exit::PASS)
        }
        Command::Star(args) => {
            let style = style(&args.common, false);
            let engine = engine(Bank::default(), &args.common)?;
            let mut stdin = std::io::stdin().lock();
            let mut results = Vec::new();
            for name in &args.answers {
                let entry = match read_answer(name, &mut stdin as &mut dyn Read) {
                    Ok(answer) => engine.star(name, &answer.text, args.common.speaker.as_deref()),
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
                Some(Format::Json) => render::json(&report),
                _ => render::star_table(&report, &style),
            };
            emit(&text)?;
            Ok(report.exit_code())
        }
        Command::Search(args) => {
            let style = style(&args.common, false);
            let engine = Engine::with_builtin_lexicon(bank(&args.bank, &[])?);
            let words = args.words.join(" ");
            let hits = engine
                .index()
                .and_then(|i| i.search(&words, args.limit))
                .map_err(|e| e.to_string())?;
            let text = match args.common.format {
                Some(Format::Json) => {
                    render::json(&serde_json::json!({ "schema": 1, "query": words, "hits": hits }))
                }
                _ => render::search_table(&hits, &style),
            };
            emit(&text)?;
            Ok(exit::PASS)
        }
        Command::List(args) => {
            let style = style(&args.common, false);
            let bank = bank(&args.bank, &[])?;
            let rows: Vec<&Rubric> = bank
                .rubrics()
                .iter()
                .filter(|r| args.kind.as_deref().is_none_or(|k| r.kind.as_str() == k))
                .filter(|r| args.tag.is_empty() || r.tags.iter().any(|t| args.tag.contains(t)))
                .collect();
            let text = match args.common.format {
                Some(Format::Json) => render::json(&render::list_json(&rows)),
                _ => render::list_table(&rows, &style),
            };
            emit(&text)?;
            Ok(exit::PASS)
        }
        Command::Lint(args) => {
            let loaded = if args.dirs.is_empty() {
                rubric::bank::BUILTIN
                    .iter()
                    .map(|(path, src)| rubric::rubric::parse(Path::new(path), src))
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
                Some(Format::Json) => render::json(&render::lint_json(&report)),
                _ => render::lint_text(&report),
            };
            emit(&text)?;
            Ok(report.exit_code())
        }
    }
}

/// The config named by `--config`, else the one discovered from `start`
/// (the first path checked, or the current directory) upward, else the
/// defaults.
fn load_config(explicit: Option<&Path>, start: Option<&Path>) -> Result<Config, String> {
    let start = start
        .map(|p| {
            if p.is_dir() {
                p
            } else {
                p.parent().unwrap_or(Path::new("."))
            }
        })
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => config::discover(start).map(|p| config::relative_to_cwd(&p)),
    };
    match path {
        Some(p) => config::load(&p).map_err(|e| e.to_string()),
        None => Ok(Config::default()),
    }
}

/// Runs `rubric check` (and `stats`): config, bank, answers, scoring.
fn check_report(args: &CheckArgs) -> Result<(Report, Format, Style), String> {
    check_report_with(args, false)
}

/// [`check_report`], keeping the annotated text when `annotate` (reports).
fn check_report_with(args: &CheckArgs, annotate: bool) -> Result<(Report, Format, Style), String> {
    if args.common.format == Some(Format::Csv) && !annotate {
        return Err(CSV_ONLY_FOR_COHORT.into());
    }
    let mut config = load_config(
        args.config.as_deref(),
        args.paths.first().map(PathBuf::as_path),
    )?;
    if let Some(p) = args.pass {
        config.pass.set_by_flag(Some(p), "--pass");
    }
    if let Some(m) = args.min_score {
        config.min_score.set_by_flag(Some(m), "--min-score");
    }
    if let Some(m) = args.max_failures {
        config.max_failures.set_by_flag(m, "--max-failures");
    }
    if let Some(f) = args.fail_on {
        let value = match f {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
        };
        config.fail_on.set_by_flag(value, "--fail-on");
    }
    let format = match args.common.format {
        Some(f) => f,
        None => Format::parse(&config.format.value).unwrap_or(Format::Table),
    };
    let style = style(&args.common, args.guide);
    let bank = bank(&args.bank, &config.rubrics.value)?;
    let rubric = resolve_rubric(&bank, args.rubric.as_deref())?;
    let files = check::collect_answers(&args.paths, &config)?;
    let engine = engine(bank, &args.common)?;
    let policy = Policy {
        fail_on: config.fail_on.value,
        min_score: config.min_score.value,
        max_failures: config.max_failures.value,
    };
    let run = check::RunOptions {
        rubric: rubric.as_ref(),
        speaker: args.common.speaker.as_deref(),
        annotate,
        pass: None,
    };
    let mut report = check::run(&engine, &files, &config, &policy, run);
    // Reports keep the labels (they render guide mode themselves); every
    // other format gets coaching questions in place of hints.
    if args.guide && !annotate {
        report = report.into_guide();
    }
    Ok((report, format, style))
}
