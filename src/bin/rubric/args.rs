//! Command-line arguments, and the library options they build. Each command
//! takes only the formats it can render and the options it uses.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rubric::answer::input::Limits;
use rubric::model::config::FailOn;
use rubric::model::rubric::Kind;
use rubric::run::{BankOptions, CheckOptions, DataFiles, PolicyFlags, Scoring};

/// Score interview answers against TOML rubrics: the points you covered, with
/// the sentence that shows each, and the points you missed, with a hint.
#[derive(Debug, Parser)]
#[command(name = "rubric", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Say less on stderr: no progress bar, no notes (errors still).
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more on stderr: every answer excluded, how many were selected.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
}

/// How much goes to stderr besides errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Cli {
    pub fn verbosity(&self) -> Verbosity {
        if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score answers against a rubric (named, or found in the bank).
    Score(ScoreArgs),
    /// STAR analysis of a story alone, no rubric needed.
    Star(StarArgs),
    /// Questions and concepts in the bank that match some words.
    Search(SearchArgs),
    /// The bank as a table: id, kind, question, concepts, tags, source.
    List(ListArgs),
    /// One rubric: its question, concepts with weights and hints (with
    /// --guide only the coaching questions).
    Show(ShowArgs),
    /// Check rubric files: every loading error, plus warnings.
    Lint(LintArgs),
    /// Score every answer of an answer bank and fail below the bar (for CI).
    Check(CheckArgs),
    /// The effective bank configuration and where each value comes from.
    Config(ConfigArgs),
    /// What a bank of answers keeps missing, per rubric and per concept.
    Stats(StatsArgs),
    /// Answers whose score or missed concepts changed between two JSON reports.
    Diff(DiffArgs),
    /// Reports a person reads: HTML and Markdown with highlighted evidence,
    /// STAR timeline, coverage chart; cohort view and progress over attempts.
    Report(ReportArgs),
    /// Draft a rubric (TOML) from a model answer, ready to edit.
    Suggest(SuggestArgs),
    /// Start an answer bank here: .rubric-bank.toml, an example answer and an
    /// example rubric (never overwrites).
    Init(InitArgs),
    /// Print a shell completion script (e.g. `rubric completions bash`).
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `rubric man > rubric.1`.
    Man,
    /// Practice answering: a question, your answer (from $EDITOR, or typed),
    /// feedback, the attempt saved and your trend; then retry, next, hint or quit.
    Practice(PracticeArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to start the bank in.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// How `rubric score` reads its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Answer files (or `-` for one answer on stdin).
    Files,
    /// JSON lines on stdin: {"id": …, "text": …, "rubric": …}, rubric optional.
    Jsonl,
}

/// The formats of `score` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Tables for a person to read.
    Table,
    /// One grep-friendly line per answer and per missing point.
    Brief,
    /// One JSON document (see docs/json-output.md).
    Json,
    /// JSON Lines: one JSON object per answer, written as results arrive.
    Jsonl,
    /// JUnit XML: a testsuite per rubric, a testcase per answer.
    Junit,
    /// GitHub workflow commands (annotations), plus a step summary.
    Github,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// A Markdown report for a pull request.
    Markdown,
}

/// The formats of `rubric report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CoachFormat {
    /// The cohort table, progress and totals.
    Table,
    /// Summary, cohort and progress as JSON.
    Json,
    /// The whole report in Markdown.
    Markdown,
    /// The cohort table (candidates × questions) as CSV; needs --cohort.
    Csv,
}

/// The formats of commands that print one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// A table for a person to read.
    Table,
    /// One JSON document.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Below the pass mark, or a required concept missing.
    Error,
    /// Also STAR findings.
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Technical,
    Behavioral,
}

#[derive(Debug, Args)]
pub struct ColorArg {
    /// When to color the table output (NO_COLOR turns "auto" off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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

impl BankArgs {
    pub fn options(&self) -> BankOptions {
        BankOptions {
            rubrics: self.rubrics.clone(),
            no_builtin: self.no_builtin,
        }
    }
}

/// The data files of STAR and speech analysis that replace the built-in ones
/// (`score`, `check`, `stats`, `report` and `star` take them).
#[derive(Debug, Args)]
pub struct StarDataArgs {
    /// A STAR cue lexicon to use instead of the built-in one (it feeds the
    /// sequence model's cue features).
    #[arg(long, value_name = "FILE")]
    pub star_cues: Option<PathBuf>,
    /// A STAR sequence model (weights table) to use instead of the built-in
    /// `data/star/model.tsv`.
    #[arg(long, value_name = "FILE")]
    pub star_model: Option<PathBuf>,
    /// A speech-to-text glossary to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub stt_glossary: Option<PathBuf>,
    /// The largest answer or transcript read, in bytes; larger ones are
    /// refused [default: 16777216, 16 MiB].
    // At most 4 GiB: word offsets in an analyzed text are 32-bit.
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..=u64::from(u32::MAX)))]
    pub max_answer_bytes: Option<u64>,
}

impl StarDataArgs {
    fn data(&self, fillers: Option<PathBuf>) -> DataFiles {
        DataFiles {
            star_cues: self.star_cues.clone(),
            star_model: self.star_model.clone(),
            stt_glossary: self.stt_glossary.clone(),
            fillers,
        }
    }

    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(max) = self.max_answer_bytes {
            limits.max_answer_bytes = max;
        }
        limits
    }
}

/// How answers are scored: the data files, the speaker, the bank.
#[derive(Debug, Args)]
pub struct ScoringArgs {
    #[command(flatten)]
    pub data: StarDataArgs,
    /// A filler and hedge list to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub fillers: Option<PathBuf>,
    /// In transcripts with several speakers, score this speaker's speech
    /// [default: whoever speaks most].
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    #[command(flatten)]
    pub bank: BankArgs,
}

impl ScoringArgs {
    fn options(&self, rubric: &Option<String>, guide: bool) -> Scoring {
        Scoring {
            rubric: rubric.clone(),
            speaker: self.speaker.clone(),
            guide,
            bank: self.bank.options(),
            data: self.data.data(self.fillers.clone()),
            limits: self.data.limits(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Answer files; `-` reads standard input.
    #[arg(required_unless_present = "input", value_name = "ANSWER")]
    pub answers: Vec<String>,
    /// Read answers as JSON lines on stdin instead of files.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "answers")]
    pub input: Option<InputFormat>,
    /// GitHub annotations written at most (then one notice with the count).
    #[arg(long, value_name = "N", default_value_t = rubric::render::DEFAULT_MAX_ANNOTATIONS)]
    pub max_annotations: usize,
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

impl ScoreArgs {
    pub fn scoring(&self) -> Scoring {
        self.scoring.options(&self.rubric, self.guide)
    }
}

/// The answers of a bank and the config they are checked under.
#[derive(Debug, Args)]
pub struct BankOfAnswers {
    /// Answer files, directories (walked; .gitignore, .ignore and hidden
    /// files skipped) or globs [default: the config's `answers` globs].
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Also the paths listed in FILE, one a line (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// Selecting no answer (a glob or folder matching none) is not an error.
    #[arg(long)]
    pub allow_empty: bool,
    /// The bank config [default: .rubric-bank.toml here or in a parent directory].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Score every answer against this rubric instead of mapping each one.
    #[arg(long, short = 'r', value_name = "ID|PATH")]
    pub rubric: Option<String>,
    /// Default pass mark for rubrics that set none.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub pass: Option<f64>,
}

/// What fails an answer, beyond its pass mark.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Fail any answer scoring below this.
    #[arg(long, value_name = "N", value_parser = percent)]
    pub min_score: Option<f64>,
    /// What fails an answer: `error` (below its bar) or `warning` (STAR findings too).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
}

impl BankOfAnswers {
    fn options(
        &self,
        policy: Option<&PolicyArgs>,
        max_failures: Option<usize>,
        scoring: Scoring,
    ) -> CheckOptions {
        CheckOptions {
            paths: self.paths.clone(),
            allow_empty: self.allow_empty,
            config: self.config.clone(),
            flags: PolicyFlags {
                pass: self.pass,
                min_score: policy.and_then(|p| p.min_score),
                max_failures,
                fail_on: policy.and_then(|p| p.fail_on).map(|f| match f {
                    FailOnArg::Error => FailOn::Error,
                    FailOnArg::Warning => FailOn::Warning,
                }),
            },
            scoring,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub answers: BankOfAnswers,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Exit 1 only when more than N answers fail.
    #[arg(long, value_name = "N")]
    pub max_failures: Option<usize>,
    /// Also write FORMAT to PATH (repeatable), e.g. --output junit=report.xml.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = output)]
    pub output: Vec<(ReportFormat, PathBuf)>,
    /// GitHub annotations written at most (then one notice with the count).
    #[arg(long, value_name = "N", default_value_t = rubric::render::DEFAULT_MAX_ANNOTATIONS)]
    pub max_annotations: usize,
    /// Show missing points as coaching questions instead of hints.
    #[arg(long)]
    pub guide: bool,
    /// Output format [default: the config's `format`, else table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

impl CheckArgs {
    pub fn options(&self) -> CheckOptions {
        let scoring = self.scoring.options(&self.answers.rubric, self.guide);
        self.answers
            .options(Some(&self.policy), self.max_failures, scoring)
    }
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub answers: BankOfAnswers,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

impl StatsArgs {
    pub fn options(&self) -> CheckOptions {
        let scoring = self.scoring.options(&self.answers.rubric, false);
        self.answers.options(None, None, scoring)
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub answers: BankOfAnswers,
    /// Write report.html and report.md into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// A folder of many candidates' answers: a subfolder per candidate (or
    /// front matter `candidate:`); prints the candidates × questions table.
    #[arg(long, value_name = "DIR")]
    pub cohort: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Show missing points as coaching questions instead of hints.
    #[arg(long)]
    pub guide: bool,
    /// Output format [default: markdown (the whole report) without --out,
    /// table (totals and where the files went) with it].
    #[arg(long, value_enum)]
    pub format: Option<CoachFormat>,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

impl ReportArgs {
    /// The format to print: markdown when no files are written.
    pub fn format(&self) -> CoachFormat {
        self.format.unwrap_or(if self.out.is_some() {
            CoachFormat::Table
        } else {
            CoachFormat::Markdown
        })
    }

    pub fn options(&self) -> CheckOptions {
        let scoring = self.scoring.options(&self.answers.rubric, self.guide);
        self.answers.options(Some(&self.policy), None, scoring)
    }
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
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub bank: BankArgs,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The bank config [default: .rubric-bank.toml here or in a parent directory].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report (`rubric check --format json`).
    pub old: PathBuf,
    /// The later JSON report.
    pub new: PathBuf,
    /// Exit 1 when an answer regressed.
    #[arg(long)]
    pub fail_on_regression: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only rubrics with this tag (repeatable: any of them).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Only rubrics of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub bank: BankArgs,
}

impl ListArgs {
    pub fn kind(&self) -> Option<Kind> {
        self.kind.map(|k| match k {
            KindArg::Technical => Kind::Technical,
            KindArg::Behavioral => Kind::Behavioral,
        })
    }
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("pick").args(["tag", "rubric", "weakest"]))]
pub struct PracticeArgs {
    /// Practice the questions with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Start with this question (an id from the bank or a .toml file).
    #[arg(long, short = 'r', value_name = "ID|PATH")]
    pub rubric: Option<String>,
    /// Start with the question of lowest latest score, or one never attempted.
    #[arg(long)]
    pub weakest: bool,
    /// Where attempts are saved, as <rubric-id>-<date>[-n].md.
    #[arg(long, value_name = "DIR", default_value = "practice")]
    pub dir: PathBuf,
    /// Feedback as coaching questions, holding the rubric's wording back
    /// (the default; `v` after an attempt, or --reveal, shows it).
    #[arg(long, conflicts_with = "reveal")]
    pub guide: bool,
    /// Show the rubric's wording (missing points and hints) after each attempt.
    #[arg(long)]
    pub reveal: bool,
    /// Type the answer here even when $EDITOR is set.
    #[arg(long = "type")]
    pub type_answer: bool,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub bank: BankArgs,
}

impl PracticeArgs {
    pub fn data(&self) -> DataFiles {
        DataFiles::default()
    }
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The rubric: an id from the bank or a path to a .toml file.
    #[arg(value_name = "ID|PATH")]
    pub id: String,
    /// Only the question and its coaching questions: nothing that gives a
    /// point away.
    #[arg(long)]
    pub guide: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub bank: BankArgs,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rubric directories or files; without one, the shipped bank.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct StarArgs {
    /// Story files; `-` reads standard input.
    #[arg(required = true, value_name = "STORY")]
    pub answers: Vec<String>,
    #[command(flatten)]
    pub data: StarDataArgs,
    /// In transcripts with several speakers, analyze this speaker's speech
    /// [default: whoever speaks most].
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Show each sentence's label probability and the features that
    /// weighed most for it.
    #[arg(long)]
    pub explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    #[command(flatten)]
    pub color: ColorArg,
}

impl StarArgs {
    pub fn data(&self) -> DataFiles {
        self.data.data(None)
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for.
    #[arg(required = true, value_name = "WORDS")]
    pub words: Vec<String>,
    /// How many results at most.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub bank: BankArgs,
}

/// A percentage flag, under the rule (and message) of rubric files.
fn percent(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    rubric::model::number::percent_value(v)
}

/// `--output FORMAT=PATH`.
fn output(v: &str) -> Result<(ReportFormat, PathBuf), String> {
    let (f, p) = v
        .split_once('=')
        .ok_or_else(|| "expected FORMAT=PATH, e.g. junit=report.xml".to_string())?;
    let format = ReportFormat::from_str(f, true).map_err(|_| {
        format!("unknown format `{f}` (table, brief, json, jsonl, junit, github, sarif, markdown)")
    })?;
    if p.is_empty() {
        return Err("the path is empty".to_string());
    }
    Ok((format, PathBuf::from(p)))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
