//! Evaluation of `rubric::suggest::draft` over the seed question banks.
//!
//! For every seed question with a shipped rubric (found through its `source`
//! key), drafts a rubric from the seed's sample answer with the shipped bank
//! minus that question's own rubric (so the answer is never compared with
//! its own rubric's statistics), then measures how many of the hand-written
//! rubric's concepts the draft recovers:
//! - covered: the hand-written concepts the sample answer itself matches;
//! - recovered: those of them matched by the draft's phrases read as text
//!   (every phrase of every draft concept, one per line; by default with a
//!   blank line between them so that each phrase is a sentence of its own and
//!   two neighbouring phrases cannot combine into a match; `--joined` puts
//!   them on consecutive lines instead).
//! - baseline: the same count for the answer's most frequent words, one per
//!   line, as many as the draft's phrases have words (no term statistics, no
//!   word pairs); and the answer cut after that many words, as written.
//!
//! Run: `cargo run --release --example suggest_eval [-- SEEDS_DIR] [--joined]`.
//! Target: recovered / covered ≥ 70%.

use std::path::{Path, PathBuf};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use rubric::bank::Bank;
use rubric::score::ScoreOptions;
use rubric::suggest::draft;
use rubric::Engine;

/// One seed question with its sample answer.
struct Seed {
    source: String,
    answer: String,
}

fn is_question_number(line: &str) -> Option<(u32, &str)> {
    let (n, rest) = line.split_once(". ")?;
    let n: u32 = n.parse().ok()?;
    Some((n, rest))
}

/// `N. Question` then a one-paragraph answer (seed 000).
fn parse_short(file: &str, text: &str) -> Vec<Seed> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let number = if let Some((n, _)) = is_question_number(line) {
            n.to_string()
        } else if line.starts_with("Bonus:") {
            "bonus".to_string()
        } else {
            continue;
        };
        if let Some(answer) = lines[i + 1..].iter().find(|l| !l.trim().is_empty()) {
            out.push(Seed {
                source: format!("{file}#{number}"),
                answer: answer.to_string(),
            });
        }
    }
    out
}

/// Numbered blocks with "Sample Answer" (seed 001).
fn parse_sample_answers(file: &str, text: &str) -> Vec<Seed> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut number: Option<u32> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Ok(n) = line.trim().parse::<u32>() {
            number = Some(n);
        } else if line.trim() == "Sample Answer" {
            if let (Some(n), Some(answer)) =
                (number, lines[i + 1..].iter().find(|l| !l.trim().is_empty()))
            {
                out.push(Seed {
                    source: format!("{file}#{n}"),
                    answer: answer.to_string(),
                });
            }
        }
    }
    out
}

/// `N. Question`, then "Example: …" running to the next question (seed 002).
fn parse_examples(file: &str, text: &str) -> Vec<Seed> {
    let mut out: Vec<Seed> = Vec::new();
    let mut number: Option<u32> = None;
    let mut collecting = false;
    for line in text.lines() {
        if let Some((n, _)) = is_question_number(line) {
            number = Some(n);
            collecting = false;
            continue;
        }
        if line.trim() == "Previous" {
            collecting = false;
        }
        if let Some(rest) = line.strip_prefix("Example:") {
            if let Some(n) = number {
                out.push(Seed {
                    source: format!("{file}#{n}"),
                    answer: rest.trim().to_string(),
                });
                collecting = true;
            }
        } else if collecting && !line.trim().is_empty() {
            let last = out.last_mut().expect("collecting follows a push");
            last.answer.push('\n');
            last.answer.push_str(line);
        }
    }
    out
}

/// `Question N: …`, then "Answer framework:" paragraphs (seed 003).
fn parse_frameworks(file: &str, text: &str) -> Vec<Seed> {
    let mut out: Vec<Seed> = Vec::new();
    let mut number: Option<u32> = None;
    let mut collecting = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Question ") {
            if let Some((n, _)) = rest.split_once(':') {
                if let Ok(n) = n.parse() {
                    number = Some(n);
                    collecting = false;
                    continue;
                }
            }
        }
        if line.trim() == "How to Practice" {
            collecting = false;
        }
        if line.trim() == "Answer framework:" {
            if let Some(n) = number {
                out.push(Seed {
                    source: format!("{file}#{n}"),
                    answer: String::new(),
                });
                collecting = true;
            }
        } else if collecting && !line.trim().is_empty() {
            let last = out.last_mut().expect("collecting follows a push");
            last.answer.push_str(line);
            last.answer.push('\n');
        }
    }
    out
}

fn seeds(dir: &Path) -> Vec<Seed> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("seed files are UTF-8");
        let parsed = match &name[..3] {
            "000" => parse_short(&name, &text),
            "001" => parse_sample_answers(&name, &text),
            "002" => parse_examples(&name, &text),
            _ => parse_frameworks(&name, &text),
        };
        out.extend(parsed);
    }
    out
}

/// The baseline a draft is compared with: the answer's `n` most frequent
/// words (stop-words, numbers and words under 3 letters left out; ties in
/// text order), without term statistics or word pairs.
fn frequent_words(engine: &Engine, answer: &str, n: usize) -> Vec<String> {
    let analyzed = engine.analyze(answer);
    let mut counts: Vec<(usize, usize, String)> = Vec::new();
    for (i, w) in analyzed.words.iter().enumerate() {
        let raw: &str = &w.raw;
        if raw.chars().count() < 3
            || raw.chars().all(|c| c.is_ascii_digit())
            || rubric::lint::STOP_WORDS.contains(&raw)
        {
            continue;
        }
        match counts.iter_mut().find(|c| c.2 == *w.stem) {
            Some(c) => c.0 += 1,
            None => counts.push((1, i, w.stem.to_string())),
        }
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    counts
        .into_iter()
        .take(n)
        .map(|(_, i, _)| analyzed.words[i].raw.to_string())
        .collect()
}

/// The second baseline: the answer cut after its first `n` words, as written.
fn lead(engine: &Engine, answer: &str, n: usize) -> String {
    let analyzed = engine.analyze(answer);
    match analyzed.words.get(n) {
        Some(w) => answer[..w.start].to_string(),
        None => answer.to_string(),
    }
}

/// The ids of the concepts of `rubric` that `text` matches.
fn matched(engine: &Engine, rubric: &rubric::rubric::Rubric, text: &str) -> Vec<String> {
    let analyzed = engine.analyze(text);
    engine
        .score_analyzed(rubric, &analyzed, &ScoreOptions::default())
        .concepts
        .into_iter()
        .filter(|c| c.matched)
        .map(|c| c.id)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let joined = args.iter().any(|a| a == "--joined");
    let verbose = args.iter().any(|a| a == "--verbose");
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/seeds"));
    let bank = Bank::builtin().expect("the shipped bank loads");
    let rubrics = bank.rubrics().to_vec();
    let engine = Engine::with_builtin_lexicon(bank);
    let seeds = seeds(&dir);
    let separator = if joined { "\n" } else { "\n\n" };

    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "source",
        "rubric",
        "draft concepts",
        "covered",
        "recovered",
        "baseline (frequent words)",
        "missed",
    ]);
    let (mut questions, mut covered_sum, mut recovered_sum, mut baseline_sum) = (0, 0, 0, 0);
    let (mut phrase_sum, mut lead_sum, mut answer_words) = (0, 0, 0);
    let mut unmatched = Vec::new();
    for seed in &seeds {
        let Some(own) = rubrics
            .iter()
            .find(|r| r.source.as_deref() == Some(&seed.source))
        else {
            unmatched.push(seed.source.clone());
            continue;
        };
        questions += 1;
        let others: Vec<_> = rubrics.iter().filter(|r| r.id != own.id).cloned().collect();
        let others = Bank::assemble(others, vec![], vec![]).expect("a sub-bank assembles");
        let toml = draft(&seed.answer, Some(&own.question), &own.id, &others)
            .unwrap_or_else(|e| panic!("{}: {e}", seed.source));
        let drafted = rubric::rubric::parse(Path::new("draft.toml"), &toml)
            .unwrap_or_else(|e| panic!("{}: the draft does not parse: {e}", seed.source));
        let phrases: Vec<&str> = drafted
            .concepts
            .iter()
            .flat_map(|c| c.phrases.iter().map(|p| p.text.as_str()))
            .collect();
        let covered = matched(&engine, own, &seed.answer);
        let by_draft = matched(&engine, own, &phrases.join(separator));
        let recovered: Vec<&String> = covered.iter().filter(|c| by_draft.contains(c)).collect();
        let draft_words = engine.analyze(&phrases.join(separator)).words.len();
        let baseline = frequent_words(&engine, &seed.answer, draft_words);
        let by_baseline = matched(&engine, own, &baseline.join(separator));
        let baseline = covered.iter().filter(|c| by_baseline.contains(c)).count();
        baseline_sum += baseline;
        let by_lead = matched(&engine, own, &lead(&engine, &seed.answer, draft_words));
        lead_sum += covered.iter().filter(|c| by_lead.contains(c)).count();
        answer_words += engine.analyze(&seed.answer).words.len();
        phrase_sum += draft_words;
        let missed: Vec<&str> = covered
            .iter()
            .filter(|c| !by_draft.contains(c))
            .map(String::as_str)
            .collect();
        covered_sum += covered.len();
        recovered_sum += recovered.len();
        table.add_row(vec![
            seed.source.clone(),
            own.id.clone(),
            format!("{} ({} phrases)", drafted.concepts.len(), phrases.len()),
            covered.len().to_string(),
            recovered.len().to_string(),
            baseline.to_string(),
            missed.join(", "),
        ]);
        if verbose {
            println!("== {} {}\n{toml}", seed.source, own.id);
        }
    }
    println!("{table}");
    println!(
        "questions: {questions}; concepts covered by the sample answers: {covered_sum}; \
         recovered by the drafts: {recovered_sum} ({:.1}%){}",
        100.0 * recovered_sum as f64 / covered_sum.max(1) as f64,
        if joined {
            " [phrases on consecutive lines]"
        } else {
            ""
        }
    );
    println!(
        "baseline (the answer's most frequent words, as many as the drafts' phrases have \
         words: {phrase_sum} in all): {baseline_sum} ({:.1}%)",
        100.0 * baseline_sum as f64 / covered_sum.max(1) as f64
    );
    println!(
        "baseline (each answer cut after as many words, as written; the answers have \
         {answer_words} words in all): {lead_sum} ({:.1}%)",
        100.0 * lead_sum as f64 / covered_sum.max(1) as f64
    );
    if !unmatched.is_empty() {
        println!("seed questions with no rubric: {}", unmatched.join(", "));
    }
}
