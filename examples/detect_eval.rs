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

use rubric::analysis::detect::{self, Fit};
use rubric::analysis::namedrop;
use rubric::analysis::prepare::prepare;
use rubric::model::bank::Bank;
use rubric::scoring::engine::Choice;
use rubric::scoring::score::ScoreOptions;
use rubric::Engine;

#[path = "common/seeds.rs"]
mod seeds;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| seeds::fail(format!("{}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// The rubric id a file name stands for: the part before the first dot.
fn expected(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    name.split('.').next().unwrap().to_string()
}

fn read(path: &Path) -> (String, String) {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| seeds::fail(format!("{name}: {e}")));
    (name, text)
}

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
        let mut examples: Vec<(Vec<Fit>, Option<usize>)> = Vec::new();
        let dev = PathBuf::from("eval/detect/dev");
        for path in files(&dev.join("on-topic")) {
            let (name, text) = read(&path);
            let own = expected(&path);
            let p = prepare(&name, &text, None).expect("a plain answer");
            let fits = engine
                .measure(&engine.analyze_prepared(&p), Some(&own))
                .expect("the index");
            if let Some(i) = fits.iter().position(|f| f.rubric == own) {
                examples.push((fits, Some(i)));
            }
        }
        for path in files(&dev.join("off-topic")) {
            let (name, text) = read(&path);
            let p = prepare(&name, &text, None).expect("a plain answer");
            let fits = engine
                .measure(&engine.analyze_prepared(&p), None)
                .expect("the index");
            examples.push((fits, None));
        }
        let m = detect::fit(&examples);
        let toml = format!(
            "# Question detection: the weights of the conditional logit over candidate fits\n\
             # ({}) and the utility of \"no rubric\".\n\
             # Fitted on eval/detect/dev by `cargo run --release --example detect_eval -- --fit`.\n\
             weights = [{}]\nnone = {:.4}\n",
            detect::FEATURES.join(", "),
            m.weights
                .iter()
                .map(|w| format!("{w:.4}"))
                .collect::<Vec<_>>()
                .join(", "),
            m.none
        );
        std::fs::write("data/detect-model.toml", &toml).expect("write the model");
        println!("fitted on {} dev examples:\n{toml}", examples.len());
        let model = detect::DetectModel::parse(Path::new("data/detect-model.toml"), &toml)
            .expect("the fitted model");
        engine.set_detect_model(model);

        // Name-dropping: dev on-topic answers (no) against dev buzzword
        // answers (yes), each against its own rubric.
        let mut examples: Vec<([f64; 6], bool)> = Vec::new();
        for (folder, yes) in [("on-topic", false), ("buzzword", true)] {
            for path in files(&dev.join(folder)) {
                let (name, text) = read(&path);
                let own = bank.get(&expected(&path)).expect("a bank rubric id");
                let p = prepare(&name, &text, None).expect("a plain answer");
                examples.push((
                    engine.name_drop_features(own, &engine.analyze_prepared(&p)),
                    yes,
                ));
            }
        }
        let m = namedrop::fit(&examples);
        let toml = format!(
            "# Name-dropping: the weights of the logistic model over answer measures\n\
             # ({}) and its bias.\n\
             # Fitted on eval/detect/dev by `cargo run --release --example detect_eval -- --fit`.\n\
             weights = [{}]\nbias = {:.4}\n",
            namedrop::FEATURES.join(", "),
            m.weights
                .iter()
                .map(|w| format!("{w:.4}"))
                .collect::<Vec<_>>()
                .join(", "),
            m.bias
        );
        std::fs::write("data/namedrop-model.toml", &toml).expect("write the model");
        println!("fitted on {} dev answers:\n{toml}", examples.len());
        println!("(rebuild for scoring to use the new name-dropping weights)");
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
