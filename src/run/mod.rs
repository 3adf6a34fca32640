//! The commands, one call each: from the options the binary builds to a
//! finished report. Config discovery, policy merging, rubric resolution and
//! the engine's data files are decided here, once.

pub mod check;
mod error;

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
                &answer.text,
                &config,
                options,
            )),
            Err(e) => AnswerReport::failed(name.clone(), e.to_string()),
        })
        .collect();
    Ok(Report::judge(results, &Policy::default(), scoring.guide))
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
    /// Answer files or directories; none: the config's `answers` globs.
    pub paths: Vec<PathBuf>,
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
}

/// The config named by `explicit`, else the one discovered from `start`
/// (the first path checked, or the current directory) upward, else the
/// defaults.
pub fn load_config(explicit: Option<&Path>, start: Option<&Path>) -> Result<Config, Error> {
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
        Some(p) => config::load(&p).map_err(Error::Config),
        None => Ok(Config::default()),
    }
}

fn check_with(options: &CheckOptions, annotate: bool) -> Result<Checked, Error> {
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
    let (bank, rubric) = scoring.bank_and_rubric(&config.rubrics.value)?;
    let files = check::collect_answers(&options.paths, &config)?;
    let engine = scoring.data.engine(bank)?;
    let policy = Policy {
        fail_on: config.fail_on.value,
        min_score: config.min_score.value,
        max_failures: config.max_failures.value,
    };
    let run = check::RunOptions {
        rubric: rubric.as_ref(),
        speaker: scoring.speaker.as_deref(),
        annotate,
        pass: None,
        limits: scoring.limits,
    };
    let report = check::run(&engine, &files, &config, &policy, run, scoring.guide);
    Ok(Checked { report, config })
}

/// `rubric check`: config, bank, answers, scoring in parallel, policy.
pub fn check(options: &CheckOptions) -> Result<Checked, Error> {
    check_with(options, false)
}

/// `rubric stats`: per rubric and per concept, the share of answers that hit it.
pub fn stats(options: &CheckOptions) -> Result<(Report, BankStats), Error> {
    let report = check(options)?.report;
    let stats = crate::report::stats::from_report(&report);
    Ok((report, stats))
}

/// `rubric report`: answers (or a cohort folder) for a person to read.
pub fn coach(options: &CheckOptions, cohort: Option<&Path>) -> Result<Coached, Error> {
    let mut options = options.clone();
    if let Some(dir) = cohort {
        if !options.paths.is_empty() {
            return Err(Error::Usage(
                "give answers either as paths or with --cohort DIR, not both",
            ));
        }
        options.paths = vec![dir.to_path_buf()];
    }
    if options.paths.is_empty() {
        return Err(Error::Usage(
            "rubric report needs answer files or directories, or --cohort DIR",
        ));
    }
    let report = check_with(&options, true)?.report;
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
                let body = match crate::answer::frontmatter::split(&answer.text) {
                    Ok((_, body)) => body,
                    Err(e) => {
                        return StarReportEntry {
                            answer: name.clone(),
                            star: None,
                            error: Some(format!("{name}:{e}")),
                        }
                    }
                };
                let mut entry = engine.star(name, &body, speaker);
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

/// `rubric diff`: what changed between two JSON reports.
pub fn diff(old: &Path, new: &Path) -> Result<crate::report::diff::Diff, Error> {
    crate::report::diff::diff(old, new).map_err(Error::Diff)
}
