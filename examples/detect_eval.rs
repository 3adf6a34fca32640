//! Evaluates question detection and name-dropping on the sets in
//! `eval/detect/` (written for it, never used to write or tune rubrics).
//!
//! - on-topic answers (`<rubric-id>.<n>.md|txt`): is the chosen rubric the
//!   answer's own or a declared sibling; is any refused;
//! - off-topic texts: the share reported as matching no rubric;
//! - buzzword answers (`<rubric-id>.b.md`): their score against their own
//!   rubric (mean, highest, how many pass);
//! - the seed banks' sample answers: their mean score against their own
//!   rubric (they must keep ≥ 85 while buzzwords earn little);
//! - calibration: the mean printed confidence against the share right.
//!
//! Run: `cargo run --release --example detect_eval [-- --split dev|test]
//! [--seeds DIR] [--fit]`. `--fit` refits the detection model on the dev
//! split and writes `data/detect-model.toml`; the test split is for
//! reporting only.

use std::path::{Path, PathBuf};

use rubric::analysis::detect;
use rubric::analysis::namedrop;
use rubric::model::bank::Bank;
use rubric::scoring::engine::Choice;
use rubric::scoring::score::ScoreOptions;
use rubric::Engine;

#[path = "common/fit_models.rs"]
mod fit_models;
#[path = "common/seeds.rs"]
mod seeds;
use fit_models::{expected, files, read};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let split = value("--split").unwrap_or_else(|| "dev".to_string());
    // Optional here: without the seed banks that part of the report is skipped.
    let seeds_dir = PathBuf::from(value("--seeds").unwrap_or_else(|| "../shared/seeds".into()));
    let refit = args.iter().any(|a| a == "--fit");
    let root = PathBuf::from("eval/detect").join(&split);
    let bank = Bank::builtin().unwrap_or_else(|e| seeds::fail(e));
    let mut engine = Engine::with_builtin_lexicon(bank.clone());

    if refit {
        let dev = Path::new("eval/detect/dev");
        let (detect_toml, namedrop_toml) = fit_models::fit(&engine, dev);
        std::fs::write("data/detect-model.toml", &detect_toml).expect("write the model");
        std::fs::write("data/namedrop-model.toml", &namedrop_toml).expect("write the model");
        println!("{detect_toml}\n{namedrop_toml}");
        println!("(rebuild for scoring and detection to use the new weights)");
        let model = detect::DetectModel::parse(Path::new("data/detect-model.toml"), &detect_toml)
            .expect("the fitted model");
        engine.set_detect_model(model);
    }

    let options = ScoreOptions::default();
    println!("split: {}", root.display());

    // On-topic answers.
    let (mut right, mut refused, mut total, mut on_flagged) = (0, 0, 0, 0);
    let mut confidence_sum = 0.0;
    let mut bins = [(0usize, 0usize, 0.0f64); 5];
    for path in files(&root.join("on-topic")) {
        let (name, text) = read(&path);
        let own = expected(&path);
        total += 1;
        let r = engine.score_answer(&name, &text, Choice::Detect, &options);
        if let Some(own_rubric) = bank.get(&own) {
            let g = engine.score_answer(&name, &text, Choice::Given(own_rubric), &options);
            if g.scored
                .is_some_and(|s| s.name_dropping >= namedrop::THRESHOLD)
            {
                on_flagged += 1;
                println!("  on-topic judged name-dropping: {name}");
            }
        }
        match (&r.scored, &r.detection) {
            (Some(s), Some(d)) => {
                let ok = s.rubric == own
                    || bank
                        .get(&own)
                        .is_some_and(|o| o.siblings.contains(&s.rubric));
                if ok {
                    right += 1;
                } else {
                    println!("  wrong: {name} → {} ({:.2})", s.rubric, d.confidence);
                }
                confidence_sum += d.confidence;
                let b = ((d.confidence * 5.0) as usize).min(4);
                bins[b].0 += 1;
                bins[b].1 += usize::from(ok);
                bins[b].2 += d.confidence;
            }
            _ => {
                refused += 1;
                println!("  refused: {}", r.error.as_deref().unwrap_or("?"));
            }
        }
    }
    let chosen = (total - refused).max(1) as f64;
    println!("on-topic judged name-dropping against their own rubric: {on_flagged}");
    println!(
        "on-topic: {total} answers; own rubric or a declared sibling chosen for {right} ({:.1}%); refused {refused}",
        100.0 * right as f64 / total.max(1) as f64
    );
    println!(
        "calibration: mean confidence {:.3}, share right {:.3}",
        confidence_sum / chosen,
        right as f64 / chosen
    );
    for (i, (n, ok, c)) in bins.iter().enumerate() {
        if *n > 0 {
            println!(
                "  confidence {:.1}–{:.1}: {n} answers, mean confidence {:.2}, right {:.2}",
                i as f64 / 5.0,
                (i + 1) as f64 / 5.0,
                c / *n as f64,
                *ok as f64 / *n as f64
            );
        }
    }

    // Off-topic texts.
    let (mut off_total, mut off_refused) = (0, 0);
    for path in files(&root.join("off-topic")) {
        let (name, text) = read(&path);
        off_total += 1;
        let r = engine.score_answer(&name, &text, Choice::Detect, &options);
        match &r.scored {
            None => off_refused += 1,
            Some(s) => println!(
                "  scored off-topic: {name} → {} ({:.2})",
                s.rubric,
                r.detection.as_ref().map_or(0.0, |d| d.confidence)
            ),
        }
    }
    println!(
        "off-topic: {off_total} texts; reported as matching no rubric: {off_refused} ({:.1}%)",
        100.0 * off_refused as f64 / off_total.max(1) as f64
    );

    // Buzzword answers against their own rubric.
    let (mut n, mut sum, mut max, mut passes, mut flagged) = (0, 0.0, 0.0f64, 0, 0);
    for path in files(&root.join("buzzword")) {
        let (name, text) = read(&path);
        let own = bank.get(&expected(&path)).expect("a bank rubric id");
        let r = engine.score_answer(&name, &text, Choice::Given(own), &options);
        let s = r.scored.expect("scored against its own rubric");
        n += 1;
        sum += s.score;
        max = max.max(s.score);
        if s.pass {
            passes += 1;
        }
        if s.name_dropping >= namedrop::THRESHOLD {
            flagged += 1;
        }
        if std::env::var_os("DEBUG_SEEDS").is_some() {
            let e = s
                .concepts
                .iter()
                .filter(|c| c.matched && !c.named_only)
                .count();
            let nm = s.concepts.iter().filter(|c| c.named_only).count();
            println!("  buzz E={e} N={nm} {} p={}", s.score, s.name_dropping);
        }
        if s.score > 20.0 {
            println!("  buzzword above 20: {name}: {}", s.score);
        }
    }
    println!(
        "buzzword: {n} answers; mean score {:.1}; highest {max:.1}; passing {passes}; judged name-dropping {flagged}",
        sum / n.max(1) as f64
    );

    // Seed sample answers against their own rubric.
    if seeds_dir.is_dir() {
        let rubrics = bank.rubrics().to_vec();
        let (mut n, mut sum, mut seeds_flagged) = (0, 0.0, 0);
        for seed in seeds::seeds(&seeds_dir) {
            if let Some(own) = seeds::own_rubric(&rubrics, &seed) {
                let analyzed = engine.analyze(&seed.answer);
                let sc = engine.score_analyzed(own, &analyzed, &options);
                if std::env::var_os("DEBUG_SEEDS").is_some() {
                    let named: Vec<&str> = sc
                        .concepts
                        .iter()
                        .filter(|c| c.named_only)
                        .map(|c| c.id.as_str())
                        .collect();
                    let e = sc
                        .concepts
                        .iter()
                        .filter(|c| c.matched && !c.named_only)
                        .count();
                    println!(
                        "  seedEN E={e} N={} {} {} p={}",
                        named.len(),
                        seed.source,
                        sc.score,
                        sc.name_dropping
                    );
                }
                sum += sc.score;
                seeds_flagged += usize::from(sc.name_dropping >= namedrop::THRESHOLD);
                n += 1;
            }
        }
        println!(
            "seed sample answers: {n}; mean score against their own rubric {:.1}; judged name-dropping {seeds_flagged}",
            sum / n.max(1) as f64
        );
    } else {
        println!(
            "seed sample answers: {} not found (give --seeds DIR)",
            seeds_dir.display()
        );
    }
}
