//! The commands, one call each: from the options the binary builds to a
//! finished report. Config discovery, policy merging, rubric resolution and
//! the engine's data files are decided here, once.

pub mod check;
mod error;
pub mod paths;
pub mod practice;

use std::io::Read;
use std::path::{Path, PathBuf};

pub use error::Error;

use crate::analysis::delivery::FillerList;
use crate::analysis::spoken::Glossary;
use crate::analysis::star::Lexicon;
use crate::analysis::star_model::StarModel;
use crate::answer::input::{read_answer, Limits};
use crate::authoring::lint::LintReport;
use crate::model::bank::Bank;
use crate::model::config::{self, Config, FailOn};
use crate::model::rubric::{Kind, Rubric};
use crate::report::coach::Coached;
use crate::report::listing::Found;
use crate::report::policy::Policy;
use crate::report::stats::BankStats;
use crate::report::{Report, StarReport};
use crate::scoring::engine::{with_analyzer, Engine};
use crate::scoring::result::{AnswerReport, StarReportEntry};

/// Which rubrics make the bank.
#[derive(Debug, Clone, Default)]
pub struct BankOptions {
    /// Rubric directories (or files) added to the shipped bank.
    pub rubrics: Vec<PathBuf>,
    /// Leave the shipped rubrics out.
    pub no_builtin: bool,
}

impl BankOptions {
    /// The bank, with `extra` directories (the config's) first.
    pub fn load(&self, extra: &[PathBuf]) -> Result<Bank, Error> {
        let mut dirs = extra.to_vec();
        dirs.extend(self.rubrics.iter().cloned());
        Ok(Bank::load(&dirs, !self.no_builtin)?)
    }
}

/// Data files that replace the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct DataFiles {
    pub star_cues: Option<PathBuf>,
    pub star_model: Option<PathBuf>,
    pub stt_glossary: Option<PathBuf>,
    pub fillers: Option<PathBuf>,
}

impl DataFiles {
    /// An engine over `bank` with these data files.
    pub fn engine(&self, bank: Bank) -> Result<Engine, Error> {
        let lexicon = match &self.star_cues {
            Some(path) => with_analyzer(|a| Lexicon::load(path, a)).map_err(Error::DataFile)?,
            None => with_analyzer(Lexicon::builtin),
        };
        let lexicon = match &self.star_model {
            Some(path) => lexicon.with_model(StarModel::load(path).map_err(Error::DataFile)?),
            None => lexicon,
        };
        let mut engine = Engine::new(bank, lexicon);
        if let Some(path) = &self.stt_glossary {
            engine
                .set_glossary(with_analyzer(|a| Glossary::load(path, a)).map_err(Error::DataFile)?);
        }
        if let Some(path) = &self.fillers {
            engine.set_fillers(
                with_analyzer(|a| FillerList::load(path, a)).map_err(Error::DataFile)?,
            );
        }
        Ok(engine)
    }
}

/// What scoring needs besides the answers.
#[derive(Debug, Clone, Default)]
pub struct Scoring {
    /// The rubric: an id from the bank or a path to a `.toml` file; without
    /// it each answer is mapped (front matter, config, name, concept index).
    pub rubric: Option<String>,
    /// Whose speech to score in transcripts with several speakers.
    pub speaker: Option<String>,
    /// Guide mode: missing points held back, coaching questions instead.
    pub guide: bool,
    pub bank: BankOptions,
    pub data: DataFiles,
    /// The largest answer read.
    pub limits: Limits,
}

/// `--rubric` names a file when it ends in `.toml` or is an existing file.
fn is_rubric_path(name: &str) -> bool {
    name.ends_with(".toml") || Path::new(name).is_file()
}

impl Scoring {
    /// The bank and the `--rubric` rubric; a rubric given as a file needs
    /// no bank, so none is loaded when no directories are added either.
    fn bank_and_rubric(&self, extra: &[PathBuf]) -> Result<(Bank, Option<Rubric>), Error> {
        let by_path = self.rubric.as_deref().is_some_and(is_rubric_path)
            && self.bank.rubrics.is_empty()
            && extra.is_empty();
        let bank = if by_path {
            Bank::default()
        } else {
            self.bank.load(extra)?
        };
        let rubric = match self.rubric.as_deref() {
            Some(name) => Some(bank.resolve(name)?),
            None => None,
        };
        Ok((bank, rubric))
    }
}

/// `rubric score`: answer files (`-` is `stdin`), each mapped like `check`
/// maps them; `pass` beats every other pass mark.
pub fn score(
    answers: &[String],
    pass: Option<f64>,
    scoring: &Scoring,
    stdin: &mut dyn Read,
) -> Result<Report, Error> {
    let (bank, rubric) = scoring.bank_and_rubric(&[])?;
    let engine = scoring.data.engine(bank)?;
    let config = Config::default();
    let options = check::RunOptions {
        rubric: rubric.as_ref(),
        speaker: scoring.speaker.as_deref(),
        annotate: false,
        pass,
        limits: scoring.limits,
    };
    let results = answers
        .iter()
        .map(|name| match read_answer(name, stdin, scoring.limits) {
            Ok(answer) => stdin_named(check::score_text(
                &engine,
                Path::new(name),
                answer.text,
                &config,
                options,
            )),
            Err(e) => AnswerReport::failed(name.clone(), e.to_string()),
        })
        .collect();
    Ok(Report::judge(results, &Policy::default(), scoring.guide))
}

/// One answer of a JSON Lines stream (`--input jsonl`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerLine {
    /// Names the answer in the results [default: `<stdin>:LINE`].
    id: Option<String>,
    text: String,
    /// A rubric id from the bank [default: mapped like a file named `id`].
    rubric: Option<String>,
}

/// One line of a JSON Lines stream, or the note that it was too long (its
/// bytes past the limit are skipped, never held).
enum Line {
    Text(Vec<u8>),
    TooLong,
}

/// The longest JSON line read: room for an answer of the largest size with
/// some escaping, its id and rubric.
fn jsonl_line_limit(limits: Limits) -> u64 {
    limits
        .max_answer_bytes
        .saturating_mul(2)
        .saturating_add(64 * 1024)
}

/// The next line of `input` (without reading more than `limit` bytes of
/// it into memory), or `None` at the end.
fn read_line_bounded(
    input: &mut dyn std::io::BufRead,
    limit: u64,
) -> std::io::Result<Option<Line>> {
    let mut buf = Vec::new();
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => (&chunk[..=at], true),
            None => (chunk, false),
        };
        let used = part.len();
        if !too_long {
            if (buf.len() + used) as u64 > limit.saturating_add(1) {
                too_long = true;
                buf = Vec::new();
            } else {
                buf.extend_from_slice(part);
            }
        }
        input.consume(used);
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => None,
        (true, true) => Some(Line::TooLong),
        (true, false) => Some(Line::Text(buf)),
    })
}

/// Where the results of a streamed run go, one judged answer at a time.
pub type Sink<'a> = dyn FnMut(&AnswerReport) -> std::io::Result<()> + 'a;

/// `rubric score --input jsonl`: answers as JSON lines
/// (`{"id": …, "text": …, "rubric": …}`, `rubric` optional) scored a chunk
/// at a time and handed to `sink` in input order, so a stream of any length
/// runs in constant memory. A line that is not an answer is an error row
/// for that line; the stream goes on.
pub fn score_jsonl(
    pass: Option<f64>,
    scoring: &Scoring,
    input: &mut dyn std::io::BufRead,
    progress: &dyn check::Progress,
    sink: &mut Sink<'_>,
) -> Result<crate::report::Summary, Error> {
    let (bank, rubric) = scoring.bank_and_rubric(&[])?;
    let engine = scoring.data.engine(bank)?;
    let config = Config::default();
    let max_line = jsonl_line_limit(scoring.limits);
    let lines = std::iter::from_fn(|| match read_line_bounded(input, max_line) {
        Ok(None) => None,
        Ok(Some(line)) => Some(Ok(line)),
        Err(e) => Some(Err(e)),
    })
    .enumerate()
    .filter(|(_, l)| !matches!(l, Ok(Line::Text(b)) if b.iter().all(u8::is_ascii_whitespace)));
    let max_text = scoring.limits.max_answer_bytes;
    let score = |(i, line): (usize, std::io::Result<Line>)| {
        let name = format!("<stdin>:{}", i + 1);
        let parsed = line
            .map_err(|e| e.to_string())
            .and_then(|l| match l {
                Line::Text(b) => Ok(b),
                Line::TooLong => Err(format!(
                    "longer than the limit of {} (--max-answer-bytes)",
                    crate::model::fsread::bytes(max_line)
                )),
            })
            .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8".to_string()))
            .and_then(|t| serde_json::from_str::<AnswerLine>(&t).map_err(|e| e.to_string()))
            .and_then(|l| {
                if l.text.len() as u64 > max_text {
                    Err(format!(
                        "its text is longer than the limit of {} (--max-answer-bytes)",
                        crate::model::fsread::bytes(max_text)
                    ))
                } else {
                    Ok(l)
                }
            });
        let line = match parsed {
            Ok(l) => l,
            Err(e) => {
                return AnswerReport::failed(
                    name.clone(),
                    format!("{name}: not an answer line: {e}"),
                )
            }
        };
        let id = line.id.unwrap_or(name);
        let given = match line.rubric.as_deref() {
            Some(r) => match engine.bank().get(r) {
                Some(r) => Some(r),
                None => {
                    return AnswerReport::failed(
                        id.clone(),
                        format!("{id}: rubric `{r}` is not in the bank"),
                    )
                }
            },
            None => rubric.as_ref(),
        };
        let options = check::RunOptions {
            rubric: given,
            speaker: scoring.speaker.as_deref(),
            annotate: false,
            pass,
            limits: scoring.limits,
        };
        check::score_text(&engine, Path::new(&id), line.text, &config, options)
    };
    check::stream(
        lines,
        &score,
        &Policy::default(),
        scoring.guide,
        progress,
        sink,
    )
    .map_err(stdout_error)
}

/// A failed write to standard output.
fn stdout_error(source: std::io::Error) -> Error {
    Error::Write {
        path: PathBuf::from("stdout"),
        source,
    }
}

/// `rubric score --format jsonl`: the answers streamed to `sink` in order.
pub fn score_stream(
    answers: &[String],
    pass: Option<f64>,
    scoring: &Scoring,
    stdin: &mut dyn Read,
    sink: &mut Sink<'_>,
) -> Result<crate::report::Summary, Error> {
    // Standard input can be read once, before the parallel part.
    let report = score(answers, pass, scoring, stdin)?;
    for r in &report.results {
        sink(r).map_err(stdout_error)?;
    }
    Ok(report.summary)
}

/// `rubric check`, streamed: the answers [`prepare`] selected, scored a
/// chunk at a time, each judged answer handed to `sink` in input order; a
/// run of any length holds two chunks of results (one written while the
/// next is scored). Returns the totals; an
/// error of `sink` stops the run.
pub fn check_stream(
    prepared: &Prepared,
    scoring: &Scoring,
    progress: &dyn check::Progress,
    sink: &mut Sink<'_>,
) -> Result<crate::report::Summary, Error> {
    let run = prepared.run_options(scoring, false);
    let files = &prepared.selection.files;
    progress.start(files.len());
    let score = |f: PathBuf| check::check_one(&prepared.engine, &f, &prepared.config, run);
    let summary = check::stream(
        files.iter(),
        &score,
        &prepared.policy,
        scoring.guide,
        progress,
        sink,
    )
    .map_err(stdout_error);
    progress.finish();
    summary
}

/// Messages about standard input call it `<stdin>`, as the views do; the
/// answer itself stays `-`.
fn stdin_named(mut r: AnswerReport) -> AnswerReport {
    if r.answer == "-" {
        if let Some(e) = &mut r.error {
            if let Some(rest) = e.strip_prefix('-') {
                *e = format!("<stdin>{rest}");
            }
        }
    }
    r
}

/// The flags of `check` that beat the config file.
#[derive(Debug, Clone, Default)]
pub struct PolicyFlags {
    pub pass: Option<f64>,
    pub min_score: Option<f64>,
    pub max_failures: Option<usize>,
    pub fail_on: Option<FailOn>,
}

/// `rubric check`, `stats` and `report`: a bank of answers.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Answer files, directories or globs; none: the config's `answers` globs.
    pub paths: Vec<PathBuf>,
    /// Selecting no answer is not an error (`--allow-empty`).
    pub allow_empty: bool,
    /// The config; none: discovered from the first path upward.
    pub config: Option<PathBuf>,
    pub flags: PolicyFlags,
    pub scoring: Scoring,
}

/// A checked bank: the report, and the config it was checked under (its
/// `format` is the default output format).
#[derive(Debug)]
pub struct Checked {
    pub report: Report,
    pub config: Config,
    /// Answers named on the command line that the config excludes.
    pub named_but_excluded: Vec<PathBuf>,
}

/// The config named by `explicit`, else the one discovered from `start`
/// (the first path checked, or the current directory) upward, else the
/// defaults.
pub fn load_config(explicit: Option<&Path>, start: Option<&Path>) -> Result<Config, Error> {
    let glob_prefix = start
        .filter(|p| !p.exists() && check::is_glob(&p.to_string_lossy()))
        .map(check::literal_prefix);
    let start = glob_prefix
        .as_deref()
        .or(start)
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
        Some(p) => config::load(&p).map_err(Error::Config),
        None => Ok(Config::default()),
    }
}

/// A bank ready to check: config, engine, policy, the answers selected.
pub struct Prepared {
    pub config: Config,
    pub engine: Engine,
    pub policy: Policy,
    rubric: Option<Rubric>,
    pub selection: check::Selection,
}

impl Prepared {
    /// How this bank's answers are scored.
    pub fn run_options<'a>(
        &'a self,
        scoring: &'a Scoring,
        annotate: bool,
    ) -> check::RunOptions<'a> {
        check::RunOptions {
            rubric: self.rubric.as_ref(),
            speaker: scoring.speaker.as_deref(),
            annotate,
            pass: None,
            limits: scoring.limits,
        }
    }
}

/// Config (with the flags over it), bank, engine and the answers selected;
/// selecting none is an error unless `allow_empty`.
pub fn prepare(options: &CheckOptions) -> Result<Prepared, Error> {
    let mut config = load_config(
        options.config.as_deref(),
        options.paths.first().map(PathBuf::as_path),
    )?;
    let flags = &options.flags;
    if let Some(p) = flags.pass {
        config.pass.set_by_flag(Some(p), "--pass");
    }
    if let Some(m) = flags.min_score {
        config.min_score.set_by_flag(Some(m), "--min-score");
    }
    if let Some(m) = flags.max_failures {
        config.max_failures.set_by_flag(m, "--max-failures");
    }
    if let Some(f) = flags.fail_on {
        config.fail_on.set_by_flag(f, "--fail-on");
    }
    let scoring = &options.scoring;
    // The answers are walked on a thread of their own while the bank loads
    // on the pool: the walk is serial, and so is the time it takes. The
    // bank's errors come first, as they would one after the other.
    let (loaded, walked) = std::thread::scope(|s| {
        let walking = s.spawn(|| check::collect_answers(&options.paths, &config));
        let loaded = scoring.bank_and_rubric(&config.rubrics.value);
        (loaded, walking.join())
    });
    let (bank, rubric) = loaded?;
    let selection = walked.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    if !selection.unmatched.is_empty() && !options.allow_empty {
        return Err(Error::NothingSelected(selection.unmatched));
    }
    let engine = scoring.data.engine(bank)?;
    let policy = Policy {
        fail_on: config.fail_on.value,
        min_score: config.min_score.value,
        max_failures: config.max_failures.value,
    };
    Ok(Prepared {
        config,
        engine,
        policy,
        rubric,
        selection,
    })
}

fn check_with(
    options: &CheckOptions,
    annotate: bool,
    progress: &dyn check::Progress,
) -> Result<Checked, Error> {
    let prepared = prepare(options)?;
    let run = prepared.run_options(&options.scoring, annotate);
    let files: Vec<PathBuf> = prepared.selection.files.iter().collect();
    let mut report = check::run(
        &prepared.engine,
        &files,
        &prepared.config,
        &prepared.policy,
        run,
        options.scoring.guide,
        progress,
    );
    report.excluded = prepared.selection.excluded_names();
    Ok(Checked {
        report,
        named_but_excluded: prepared.selection.named_but_excluded.clone(),
        config: prepared.config,
    })
}

/// `rubric check`: config, bank, answers, scoring in parallel, policy.
pub fn check(options: &CheckOptions, progress: &dyn check::Progress) -> Result<Checked, Error> {
    check_with(options, false, progress)
}

/// The paths of a file list (`--files-from`): one a line, blank lines
/// skipped. At most [`crate::model::fsread::MAX_DATA_BYTES`] are read.
pub fn file_list(list: &mut dyn Read) -> std::io::Result<Vec<PathBuf>> {
    use crate::model::fsread;
    let bytes = fsread::read_bounded(list, fsread::MAX_DATA_BYTES, 0).map_err(read_to_io)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8 (byte {}); save it as UTF-8",
                e.utf8_error().valid_up_to() + 1
            ),
        )
    })?;
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect())
}

/// The file list at `path`: a regular file only (a FIFO or device is
/// refused before it is opened), bounded like [`file_list`].
pub fn file_list_at(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    crate::model::fsread::check_regular(path).map_err(read_to_io)?;
    let mut file = std::fs::File::open(path)?;
    file_list(&mut file)
}

fn read_to_io(e: crate::model::fsread::ReadError) -> std::io::Error {
    use crate::model::fsread::ReadError;
    match e {
        ReadError::Missing(e) | ReadError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    }
}

/// `rubric stats`: per rubric and per concept, the share of answers that hit it.
pub fn stats(
    options: &CheckOptions,
    progress: &dyn check::Progress,
) -> Result<(Report, BankStats), Error> {
    let report = check(options, progress)?.report;
    let stats = crate::report::stats::from_report(&report);
    Ok((report, stats))
}

/// `rubric report`: answers (or a cohort folder; with neither, the config's
/// `answers`) for a person to read.
pub fn coach(
    options: &CheckOptions,
    cohort: Option<&Path>,
    progress: &dyn check::Progress,
) -> Result<Coached, Error> {
    let mut options = options.clone();
    if let Some(dir) = cohort {
        if !options.paths.is_empty() {
            return Err(Error::Usage(
                "give answers either as paths or with --cohort DIR, not both",
            ));
        }
        options.paths = vec![dir.to_path_buf()];
    }
    let report = check_with(&options, true, progress)?.report;
    Ok(Coached::new(report, cohort))
}

/// `rubric star`: the STAR analysis of stories alone (front matter left
/// out, as `score` does). With `explain`, each sentence keeps the features
/// that weighed most for its label.
pub fn star(
    stories: &[String],
    speaker: Option<&str>,
    explain: bool,
    data: &DataFiles,
    limits: Limits,
    stdin: &mut dyn Read,
) -> Result<StarReport, Error> {
    let engine = data.engine(Bank::default())?;
    let results = stories
        .iter()
        .map(|name| match read_answer(name, stdin, limits) {
            Ok(answer) => {
                let body = match crate::answer::frontmatter::split_owned(answer.text) {
                    Ok((_, body)) => body,
                    Err(e) => {
                        return StarReportEntry {
                            answer: name.clone(),
                            star: None,
                            error: Some(format!("{name}:{e}")),
                        }
                    }
                };
                let mut entry = engine.star(name, body, speaker);
                if !explain {
                    entry.star = entry.star.map(|s| s.without_features());
                }
                entry
            }
            Err(e) => StarReportEntry {
                answer: name.clone(),
                star: None,
                error: Some(e.to_string()),
            },
        })
        .collect();
    Ok(StarReport { schema: 1, results })
}

/// `rubric search`: questions and concepts matching some words (BM25).
pub fn search(bank: &BankOptions, words: &str, limit: usize) -> Result<Found, Error> {
    let engine = Engine::with_builtin_lexicon(bank.load(&[])?);
    let hits = engine
        .index()
        .and_then(|i| i.search(words, limit))
        .map_err(Error::Index)?;
    Ok(Found {
        schema: 1,
        query: words.to_string(),
        hits,
    })
}

/// `rubric show`: one rubric of the bank (an id, or a path to a `.toml`).
pub fn show(bank: &BankOptions, id: &str) -> Result<Rubric, Error> {
    let bank = if is_rubric_path(id) && bank.rubrics.is_empty() {
        Bank::default()
    } else {
        bank.load(&[])?
    };
    Ok(bank.resolve(id)?)
}

/// `rubric list`: the bank's rubrics with any of `tags` (all when empty) and
/// of `kind`.
pub fn list(bank: &BankOptions, tags: &[String], kind: Option<Kind>) -> Result<Bank, Error> {
    let bank = bank.load(&[])?;
    let keep: Vec<Rubric> = bank
        .rubrics()
        .iter()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .filter(|r| tags.is_empty() || r.tags.iter().any(|t| tags.contains(t)))
        .cloned()
        .collect();
    Ok(Bank::assemble(keep, Vec::new(), Vec::new())?)
}

/// `rubric lint`: rubric directories or files; none: the shipped bank.
pub fn lint(dirs: &[PathBuf]) -> Result<LintReport, Error> {
    crate::authoring::lint::lint_paths(dirs)
        .map_err(|d| Error::Bank(crate::model::bank::BankError::Files(vec![d])))
}

/// `rubric suggest`: a draft rubric (TOML) from a model answer; the id
/// defaults to the answer file's stem.
pub fn suggest(
    answer: &str,
    question: Option<&str>,
    id: Option<&str>,
    bank: &BankOptions,
    stdin: &mut dyn Read,
) -> Result<String, Error> {
    let text = read_answer(answer, stdin, Limits::default())
        .map_err(Error::Input)?
        .text;
    let id = id.map(str::to_string).unwrap_or_else(|| {
        Path::new(answer)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| s != "-")
            .unwrap_or_else(|| "draft".to_string())
    });
    let bank = bank.load(&[])?;
    crate::authoring::suggest::draft(&text, question, &id, &bank).map_err(|source| Error::Suggest {
        answer: answer.to_string(),
        source,
    })
}

/// `rubric init`: a starter bank in `dir` (config, example rubric, example
/// answer); never overwrites. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    use crate::authoring::init::InitError;
    crate::authoring::init::init(dir).map_err(|e| match e {
        InitError::Exists(p) => Error::WouldOverwrite(p),
        InitError::Io(path, source) => Error::Write { path, source },
    })
}

/// `rubric diff`: what changed between two JSON reports.
pub fn diff(old: &Path, new: &Path) -> Result<crate::report::diff::Diff, Error> {
    crate::report::diff::diff(old, new).map_err(Error::Diff)
}
