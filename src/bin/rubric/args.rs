//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Score interview answers against TOML rubrics: the points you covered, with
/// the sentence that shows each, and the points you missed, with a hint.
#[derive(Debug, Parser)]
#[command(name = "rubric", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score answers against a rubric (named, or found in the bank).
    Score(ScoreArgs),
    /// STAR analysis of a story alone, no rubric needed.
    Star(StarArgs),
    /// Questions and concepts in the bank that match some words.
    Search(SearchArgs),
    /// The bank as a table: id, kind, concepts, tags, source.
    List(ListArgs),
    /// Check rubric files: every loading error, plus warnings.
    Lint(LintArgs),
    /// Score every answer of an answer bank and fail below the bar (for CI).
    Check(CheckArgs),
    /// The effective bank configuration and where each value comes from.
    Config(ConfigArgs),
    /// What a bank of answers keeps missing, per rubric and per concept.
    Stats(CheckArgs),
    /// Answers whose score or missed concepts changed between two JSON reports.
    Diff(DiffArgs),
    /// Reports a person reads: HTML and Markdown with highlighted evidence,
    /// STAR timeline, coverage chart; cohort view and progress over attempts.
    Report(ReportArgs),
    /// Draft a rubric (TOML) from a model answer, ready to edit.
    Suggest(SuggestArgs),
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The model answer to draft from (`-` for stdin).
    #[arg(value_name = "MODEL_ANSWER")]
    pub answer: String,
    /// The question the answer answers.
    #[arg(long)]
    pub question: Option<String>,
    /// The rubric id [default: the answer file's stem].
    #[arg(long)]
    pub id: Option<String>,
    /// Write the draft to this file (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub bank: BankArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Write report.html and report.md into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// A folder of many candidates' answers: a subfolder per candidate (or
    /// front matter `candidate:`); prints the candidates × questions table.
    #[arg(long, value_name = "DIR")]
    pub cohort: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Below the pass mark, or a required concept missing.
    Error,
    /// Also STAR findings.
    Warning,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Answer files or directories [default: the config's `answers` globs].
    #[arg(value_name = "PATHS")]
    pub paths: Vec<std::path::PathBuf>,
    /// The bank config [default: .rubric-bank.toml here or in a parent directory].
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Score every answer against this rubric instead of mapping each one.
    #[arg(long, short = 'r', value_name = "ID|PATH")]
    pub rubric: Option<String>,
    /// Default pass mark for rubrics that set none.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub pass: Option<f64>,
    /// Fail any answer scoring below this.
    #[arg(long, value_name = "N", value_parser = percent)]
    pub min_score: Option<f64>,
    /// Exit 1 only when more than N answers fail.
    #[arg(long, value_name = "N")]
    pub max_failures: Option<usize>,
    /// What fails an answer: `error` (below its bar) or `warning` (STAR findings too).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Also write FORMAT to PATH (repeatable), e.g. --output junit=report.xml.
    #[arg(long, value_name = "FORMAT=PATH")]
    pub output: Vec<String>,
    /// Show missing points as coaching questions instead of hints.
    #[arg(long)]
    pub guide: bool,
    #[command(flatten)]
    pub bank: BankArgs,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The bank config [default: .rubric-bank.toml here or in a parent directory].
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report (`rubric check --format json`).
    pub old: std::path::PathBuf,
    /// The later JSON report.
    pub new: std::path::PathBuf,
    /// Exit 1 when an answer regressed.
    #[arg(long)]
    pub fail_on_regression: bool,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only rubrics with this tag (repeatable: any of them).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Only rubrics of this kind.
    #[arg(long, value_parser = ["technical", "behavioral"])]
    pub kind: Option<String>,
    #[command(flatten)]
    pub bank: BankArgs,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rubric directories or files; without one, the shipped bank.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for a person to read.
    Table,
    /// One grep-friendly line per answer and per missing point.
    Brief,
    /// One JSON document (see docs/json-output.md).
    Json,
    /// JUnit XML: a testsuite per rubric, a testcase per answer.
    Junit,
    /// GitHub workflow commands (annotations), plus a step summary.
    Github,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// A Markdown report for a pull request.
    Markdown,
    /// The cohort table as CSV (`rubric report --cohort`).
    Csv,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        <Format as ValueEnum>::from_str(name, true).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct Common {
    /// Output format [default: table, or the config's `format` for check].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// When to color the table output (NO_COLOR turns "auto" off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// A STAR cue lexicon to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub star_cues: Option<PathBuf>,
    /// A speech-to-text glossary to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub stt_glossary: Option<PathBuf>,
    /// A filler and hedge list to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub fillers: Option<PathBuf>,
    /// In transcripts with several speakers, score this speaker's speech
    /// [default: whoever speaks most].
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
}

#[derive(Debug, Args)]
pub struct BankArgs {
    /// More rubric directories (or files), added to the shipped bank; a rubric
    /// with the id of a shipped one replaces it.
    #[arg(long = "rubrics", value_name = "DIR")]
    pub rubrics: Vec<PathBuf>,
    /// Leave the shipped rubrics out of the bank.
    #[arg(long)]
    pub no_builtin: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Answer files; `-` reads standard input.
    #[arg(required = true, value_name = "ANSWER")]
    pub answers: Vec<String>,
    /// The rubric: an id from the bank or a path to a .toml file. Without it,
    /// the bank is searched for the question each answer answers.
    #[arg(long, short = 'r', value_name = "ID|PATH")]
    pub rubric: Option<String>,
    /// Pass mark in percent, overriding the rubric's.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub pass: Option<f64>,
    /// Show missing points as coaching questions instead of hints.
    #[arg(long)]
    pub guide: bool,
    #[command(flatten)]
    pub bank: BankArgs,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct StarArgs {
    /// Story files; `-` reads standard input.
    #[arg(required = true, value_name = "STORY")]
    pub answers: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for.
    #[arg(required = true, value_name = "WORDS")]
    pub words: Vec<String>,
    /// How many results at most.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    pub bank: BankArgs,
    #[command(flatten)]
    pub common: Common,
}

fn percent(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 100"))
    }
}
