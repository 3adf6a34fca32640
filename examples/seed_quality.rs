//! Quality of the shipped bank over the seed question banks.
//!
//! Reads the four seed files (default `../shared/seeds`), takes the sample /
//! example answer (or answer framework) of every question, and reports:
//! - its score against its own rubric (found through the rubric's `source`);
//! - whether the concept index detects its own rubric;
//! - its mean score against the rubrics of other themes (first tag).
//!
//! Run: `cargo run --release --example seed_quality [-- SEEDS_DIR]`.
//! Targets: own score ≥ 70 for each, detection ≥ 95%, cross-theme mean ≤ 15.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use rubric::model::bank::Bank;
use rubric::scoring::score::ScoreOptions;
use rubric::Engine;

#[path = "common/seeds.rs"]
mod seeds;
use seeds::seeds;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = seeds::seed_dir(&args, None);
    let bank = Bank::builtin().unwrap_or_else(|e| seeds::fail(e));
    let rubrics = bank.rubrics().to_vec();
    let engine = Engine::with_builtin_lexicon(bank);
    let options = ScoreOptions::default();
    let seeds = seeds(&dir);

    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "source",
        "rubric",
        "own score",
        "detected",
        "other themes (mean)",
    ]);
    let (mut total, mut at_least_70, mut detected_ok, mut cross_sum) = (0, 0, 0, 0.0);
    let mut own_sum = 0.0;
    let mut unmatched = Vec::new();
    for seed in &seeds {
        let Some(own) = seeds::own_rubric(&rubrics, seed) else {
            unmatched.push(seed.source.clone());
            continue;
        };
        total += 1;
        let analyzed = engine.analyze(&seed.answer);
        let score = engine.score_analyzed(own, &analyzed, &options).score;
        own_sum += score;
        if score >= 70.0 {
            at_least_70 += 1;
        }
        let detected = match engine.detect(&analyzed) {
            Ok((r, _)) => r.id.clone(),
            Err(_) => "(ambiguous)".to_string(),
        };
        if detected == own.id {
            detected_ok += 1;
        }
        let theme = own.tags.first();
        let others: Vec<f64> = rubrics
            .iter()
            .filter(|r| r.tags.first() != theme)
            .map(|r| engine.score_analyzed(r, &analyzed, &options).score)
            .collect();
        let cross = others.iter().sum::<f64>() / others.len().max(1) as f64;
        cross_sum += cross;
        table.add_row(vec![
            seed.source.clone(),
            own.id.clone(),
            format!("{score:.1}{}", if score < 70.0 { " ✗" } else { "" }),
            if detected == own.id {
                "✓".to_string()
            } else {
                format!("✗ {detected}")
            },
            format!("{cross:.1}"),
        ]);
    }
    println!("{table}");
    let n = total.max(1) as f64;
    println!(
        "answers: {total}; own score ≥ 70: {at_least_70}/{total}; mean own score: {:.1}; \
         own rubric detected: {detected_ok}/{total} ({:.1}%); mean score against other themes: {:.1}",
        own_sum / n,
        100.0 * detected_ok as f64 / n,
        cross_sum / n
    );
    // Every rubric's question is the seed's exact text.
    let mut verbatim = 0;
    for r in &rubrics {
        let Some(file) = r.source.as_deref().and_then(|s| s.split('#').next()) else {
            continue;
        };
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        if text.contains(&r.question) {
            verbatim += 1;
        } else {
            println!("question of {} is not verbatim in {file}", r.id);
        }
    }
    println!(
        "questions verbatim in their seed file: {verbatim}/{}",
        rubrics.len()
    );
    if !unmatched.is_empty() {
        println!("seed questions with no rubric: {}", unmatched.join(", "));
    }
}
