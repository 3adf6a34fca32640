//! Evaluation of `rubric::authoring::suggest::draft` over the seed question banks.
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

use std::path::Path;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use rubric::authoring::suggest::draft;
use rubric::model::bank::Bank;
use rubric::scoring::score::ScoreOptions;
use rubric::Engine;

#[path = "common/seeds.rs"]
mod seeds;
use seeds::seeds;

/// The baseline a draft is compared with: the answer's `n` most frequent
/// words (stop-words, numbers and words under 3 letters left out; ties in
/// text order), without term statistics or word pairs.
fn frequent_words(engine: &Engine, answer: &str, n: usize) -> Vec<String> {
    let analyzed = engine.analyze(answer);
    let mut counts: Vec<(usize, usize, String)> = Vec::new();
    for (i, w) in analyzed.words().enumerate() {
        let raw: &str = w.raw();
        if raw.chars().count() < 3
            || raw.chars().all(|c| c.is_ascii_digit())
            || rubric::model::words::STOP_WORDS.contains(&raw)
        {
            continue;
        }
        match counts.iter_mut().find(|c| c.2 == *w.stem()) {
            Some(c) => c.0 += 1,
            None => counts.push((1, i, w.stem().to_string())),
        }
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    counts
        .into_iter()
        .take(n)
        .map(|(_, i, _)| analyzed.word(i).raw().to_string())
        .collect()
}

/// The second baseline: the answer cut after its first `n` words, as written.
fn lead(engine: &Engine, answer: &str, n: usize) -> String {
    let analyzed = engine.analyze(answer);
    match analyzed.get_word(n) {
        Some(w) => answer[..w.start as usize].to_string(),
        None => answer.to_string(),
    }
}

/// The ids of the concepts of `rubric` that `text` matches.
fn matched(engine: &Engine, rubric: &rubric::model::rubric::Rubric, text: &str) -> Vec<String> {
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
    let dir = seeds::seed_dir(&args, None);
    let bank = Bank::builtin().unwrap_or_else(|e| seeds::fail(e));
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
        let Some(own) = seeds::own_rubric(&rubrics, seed) else {
            unmatched.push(seed.source.clone());
            continue;
        };
        questions += 1;
        let others: Vec<_> = rubrics.iter().filter(|r| r.id != own.id).cloned().collect();
        let others = Bank::assemble(others, vec![], vec![]).unwrap_or_else(|e| seeds::fail(e));
        let toml = draft(&seed.answer, Some(&own.question), &own.id, &others)
            .unwrap_or_else(|e| seeds::fail(format!("{}: {e}", seed.source)));
        let drafted =
            rubric::model::rubric::parse(Path::new("draft.toml"), &toml).unwrap_or_else(|e| {
                seeds::fail(format!("{}: the draft does not parse: {e}", seed.source))
            });
        let phrases: Vec<&str> = drafted
            .concepts
            .iter()
            .flat_map(|c| c.phrases.iter().map(|p| p.text.as_str()))
            .collect();
        let covered = matched(&engine, own, &seed.answer);
        let by_draft = matched(&engine, own, &phrases.join(separator));
        let recovered: Vec<&String> = covered.iter().filter(|c| by_draft.contains(c)).collect();
        let draft_words = engine.analyze(&phrases.join(separator)).words().len();
        let baseline = frequent_words(&engine, &seed.answer, draft_words);
        let by_baseline = matched(&engine, own, &baseline.join(separator));
        let baseline = covered.iter().filter(|c| by_baseline.contains(c)).count();
        baseline_sum += baseline;
        let by_lead = matched(&engine, own, &lead(&engine, &seed.answer, draft_words));
        lead_sum += covered.iter().filter(|c| by_lead.contains(c)).count();
        answer_words += engine.analyze(&seed.answer).words().len();
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
