//! `rubric check`: find the answers of a bank, map each to its rubric,
//! score them in parallel, and judge them under the fail-on policy.

use std::path::{Path, PathBuf};

use globset::GlobSet;
use rayon::prelude::*;

use super::Error;
use crate::answer::frontmatter;
use crate::answer::input;
use crate::model::bank::Bank;
use crate::model::config::Config;
use crate::model::rubric::Rubric;
use crate::model::walk::Walked;
use crate::report::policy::Policy;
use crate::report::Report;
use crate::scoring::engine::{Choice, Engine};
use crate::scoring::result::AnswerReport;
use crate::scoring::score::ScoreOptions;

/// File extensions taken as answers when a directory is walked.
pub const ANSWER_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "text", "srt", "vtt", "json"];

/// Every answer file under `paths` (files are taken as they are; directories
/// are walked for answer files), or, with no paths, the config's `answers`
/// globs under its root. Hidden files and directories and `exclude` globs
/// are skipped. Sorted, without duplicates. A directory or a set of globs
/// that yields no answer is an error that names it, and so is a link loop.
pub fn collect_answers(paths: &[PathBuf], config: &Config) -> Result<Vec<PathBuf>, Error> {
    let exclude = config.exclude_set();
    let mut out = Vec::new();
    if paths.is_empty() {
        if config.answers.value.is_empty() {
            return Err(Error::NoAnswers);
        }
        let include = config.answer_set();
        let walked = walk(
            &config.root,
            &config.root,
            Some(&include),
            &exclude,
            &mut out,
        )?;
        if out.is_empty() {
            let file = config.file.as_ref().map_or_else(
                || ".rubric-bank.toml".to_string(),
                |f| f.display().to_string(),
            );
            return Err(Error::NothingFound(format!(
                "{file}: the `answers` globs ({}) match no file under {}{}",
                config.answers.value.join(", "),
                config.root.display(),
                skipped(&walked)
            )));
        }
    } else {
        for p in paths {
            if p.is_dir() {
                let before = out.len();
                let walked = walk(p, &config.root, None, &exclude, &mut out)?;
                if out.len() == before {
                    return Err(Error::NothingFound(format!(
                        "{}: no answer files (.{}) in this directory{}",
                        p.display(),
                        ANSWER_EXTENSIONS.join(", ."),
                        skipped(&walked)
                    )));
                }
            } else {
                // A named file is an answer even if it does not exist: reading
                // it later reports it as missing, with the others still scored.
                out.push(p.clone());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// "; skipped N links leading out of the directory: a, b" when any were.
fn skipped(walked: &Walked) -> String {
    if walked.outside.is_empty() {
        return String::new();
    }
    let names: Vec<String> = walked
        .outside
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    format!(
        "; skipped {} symbolic link(s) leading out of it (pass such files by name): {}",
        names.len(),
        names.join(", ")
    )
}

fn walk(
    dir: &Path,
    root: &Path,
    include: Option<&GlobSet>,
    exclude: &GlobSet,
    out: &mut Vec<PathBuf>,
) -> Result<Walked, Error> {
    let walked = crate::model::walk::walk(dir, |path| {
        let rel = path.strip_prefix(root).unwrap_or(path);
        if exclude.is_match(rel) || exclude.is_match(path) {
            return false;
        }
        match include {
            Some(set) => set.is_match(rel),
            None => path
                .extension()
                .is_some_and(|e| ANSWER_EXTENSIONS.contains(&e.to_string_lossy().as_ref())),
        }
    })
    .map_err(Error::Walk)?;
    if !walked.problems.is_empty() {
        return Err(Error::WalkProblems(walked.problems));
    }
    // "./answers/x.md" reads better as "answers/x.md".
    out.extend(
        walked
            .files
            .iter()
            .map(|path| path.strip_prefix(".").unwrap_or(path).to_path_buf()),
    );
    Ok(walked)
}

/// The rubric an answer is named after: its file stem, a folder on its path,
/// or the longest rubric id its stem starts with (followed by `-`, `_` or `.`,
/// as in `idempotency-2026-03-01.md`).
pub fn rubric_by_name<'b>(path: &Path, bank: &'b Bank) -> Option<&'b Rubric> {
    let stem = path.file_stem()?.to_string_lossy();
    if let Some(r) = bank.get(&stem) {
        return Some(r);
    }
    for dir in path.parent()?.ancestors() {
        if let Some(name) = dir.file_name() {
            if let Some(r) = bank.get(&name.to_string_lossy()) {
                return Some(r);
            }
        }
    }
    bank.rubrics()
        .iter()
        .filter(|r| {
            stem.len() > r.id.len()
                && stem.starts_with(r.id.as_str())
                && matches!(stem.as_bytes()[r.id.len()], b'-' | b'_' | b'.')
        })
        .max_by_key(|r| r.id.len())
}

/// Reads, maps and scores one answer file.
/// How a run scores its answers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions<'a> {
    /// Score every answer against this rubric instead of mapping each one.
    pub rubric: Option<&'a Rubric>,
    /// Whose speech to score in transcripts with several speakers.
    pub speaker: Option<&'a str>,
    /// Keep the annotated text for reports a person reads.
    pub annotate: bool,
    /// A pass mark that beats every other (`score --pass`).
    pub pass: Option<f64>,
    /// The largest answer read.
    pub limits: crate::answer::input::Limits,
}

pub fn check_one(
    engine: &Engine,
    path: &Path,
    config: &Config,
    run: RunOptions<'_>,
) -> AnswerReport {
    let name = path.display().to_string();
    let answer = match input::read_answer(&name, &mut std::io::empty(), run.limits) {
        Ok(a) => a,
        Err(e) => return AnswerReport::failed(name, e.to_string()),
    };
    score_text(engine, path, &answer.text, config, run)
}

/// Maps and scores the text of one answer named `path` (front matter,
/// config override, name, then the concept index), for `check`, `report`
/// and `score`.
pub fn score_text(
    engine: &Engine,
    path: &Path,
    text: &str,
    config: &Config,
    run: RunOptions<'_>,
) -> AnswerReport {
    let RunOptions {
        rubric,
        speaker,
        annotate,
        pass,
        ..
    } = run;
    let name = path.display().to_string();
    let (matter, body) = match frontmatter::split(text) {
        Ok(x) => x,
        Err(e) => return AnswerReport::failed(name.clone(), format!("{name}:{e}")),
    };
    let matter = matter.unwrap_or_default();
    let (override_pass, override_rubric) = config.override_for(path);
    let bank = engine.bank();

    let (choice, mapped_by) = if let Some(r) = rubric {
        (Choice::Given(r), "given")
    } else if let Some(id) = matter.rubric.as_deref() {
        match bank.get(id) {
            Some(r) => (Choice::Given(r), "front-matter"),
            None => {
                return AnswerReport::failed(
                    name.clone(),
                    format!("{name}: front matter names rubric `{id}`, which is not in the bank"),
                )
            }
        }
    } else if let Some(r) = override_rubric.and_then(|id| bank.get(id)) {
        (Choice::Given(r), "config")
    } else if let Some(r) = rubric_by_name(path, bank) {
        (Choice::Given(r), "name")
    } else {
        (Choice::Detect, "index")
    };

    if let Choice::Given(r) = choice {
        if let Some(bad) = matter
            .ignore
            .iter()
            .find(|i| !r.concepts.iter().any(|c| &c.id == *i))
        {
            return AnswerReport::failed(
                name.clone(),
                format!(
                    "{name}: front matter ignores `{bad}`, which is not a concept of rubric `{}`",
                    r.id
                ),
            );
        }
    }
    let options = ScoreOptions {
        pass: pass.or(matter.pass).or(override_pass),
        default_pass: config.pass.value,
        ignore: matter.ignore.clone(),
        annotate,
    };
    let speaker = speaker.or(matter.speaker.as_deref());
    let prepared = match crate::analysis::prepare::prepare(&name, &body, speaker) {
        Ok(p) => p,
        Err(e) => return AnswerReport::failed(name, e.to_string()),
    };
    let mut report = engine.score_prepared(&name, &prepared, choice, &options);
    report.mapped_by = Some(mapped_by);
    report.review = matter.review;
    report.candidate = matter.candidate;
    report.date = matter.date;
    if let (Some(review), Some(scored)) = (&report.review, &mut report.scored) {
        // A reviewer's score decides pass/fail; the automatic score stays.
        scored.pass = review.score >= scored.pass_mark;
    }
    report
}

/// Checks every answer in parallel; results keep the order of `files`.
pub fn run(
    engine: &Engine,
    files: &[PathBuf],
    config: &Config,
    policy: &Policy,
    run: RunOptions<'_>,
    guide: bool,
) -> Report {
    let results: Vec<AnswerReport> = files
        .par_iter()
        .map(|f| check_one(engine, f, config, run))
        .collect();
    Report::judge(results, policy, guide)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rubric::parse;

    fn bank(ids: &[&str]) -> Bank {
        let rubrics = ids
            .iter()
            .map(|id| {
                parse(
                    Path::new(&format!("{id}.toml")),
                    "question = \"Q\"\n[[concept]]\nid = \"a\"\nphrases = [\"x\"]\n",
                )
                .unwrap()
            })
            .collect();
        Bank::assemble(rubrics, vec![], vec![]).unwrap()
    }

    #[test]
    fn rubric_from_names() {
        let b = bank(&["rate-limiting", "rate-limiting-algorithms", "cqrs"]);
        let id = |p: &str| rubric_by_name(Path::new(p), &b).map(|r| r.id.clone());
        assert_eq!(id("answers/cqrs.md").as_deref(), Some("cqrs"));
        assert_eq!(id("answers/cqrs/take-2.md").as_deref(), Some("cqrs"));
        assert_eq!(
            id("a/rate-limiting-algorithms-2026-01-02.md").as_deref(),
            Some("rate-limiting-algorithms")
        );
        assert_eq!(
            id("a/rate-limiting_v2.md").as_deref(),
            Some("rate-limiting")
        );
        assert_eq!(id("a/cqrsish.md"), None);
    }
}
