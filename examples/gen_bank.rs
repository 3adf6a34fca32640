//! Writes a synthetic answer bank for measuring `rubric check`:
//! `DIR/.rubric-bank.toml`, 80 rubrics × 12 concepts in `DIR/rubrics/`,
//! and N answers of ~250 words in `DIR/answers/` (front matter names the
//! rubric, as in a real bank). With `--shipped`, the answers are written
//! against the shipped bank instead (its rubrics in turn, each answer using
//! the phrases of about two thirds of the concepts) and no rubrics are
//! added to it.
//!
//! Run: `cargo run --release --example gen_bank -- DIR N [--shipped]`, then
//! `rubric check --config DIR/.rubric-bank.toml --format json > /dev/null`.

use std::path::PathBuf;

use rubric::model::bank::Bank;
use rubric::model::rubric::Kind;
use synth::{answer, bank, Rng, SynthRubric};

#[path = "../benches/common/synth.rs"]
mod synth;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: gen_bank DIR N"));
    let n: usize = args
        .next()
        .expect("usage: gen_bank DIR N")
        .parse()
        .expect("N is a number");
    let shipped = args.next().is_some_and(|a| a == "--shipped");
    std::fs::create_dir_all(dir.join("answers")).unwrap();
    let rubrics = if shipped {
        std::fs::write(
            dir.join(".rubric-bank.toml"),
            "answers = [\"answers/**/*.md\"]\n",
        )
        .unwrap();
        shipped_rubrics()
    } else {
        let rubrics = bank(80, 12, 7);
        std::fs::create_dir_all(dir.join("rubrics")).unwrap();
        std::fs::write(
            dir.join(".rubric-bank.toml"),
            "rubrics = [\"rubrics\"]\nanswers = [\"answers/**/*.md\"]\n",
        )
        .unwrap();
        for r in &rubrics {
            std::fs::write(dir.join("rubrics").join(format!("{}.toml", r.id)), &r.toml).unwrap();
        }
        rubrics
    };
    let mut rng = Rng::new(11);
    for i in 0..n {
        let r = &rubrics[i % rubrics.len()];
        let sub = dir.join("answers").join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&sub).unwrap();
        let text = format!("---\nrubric: {}\n---\n{}", r.id, answer(r, 250, &mut rng));
        std::fs::write(sub.join(format!("answer-{i:06}.md")), text).unwrap();
    }
    println!(
        "wrote {} rubrics and {n} answers under {}",
        rubrics.len(),
        dir.display()
    );
}

/// The shipped rubrics as the generator's rubrics: each concept's phrases
/// (concepts matched by patterns only are left out).
fn shipped_rubrics() -> Vec<SynthRubric> {
    let bank = Bank::builtin().expect("the shipped bank loads");
    bank.rubrics()
        .iter()
        .map(|r| SynthRubric {
            id: r.id.clone(),
            toml: String::new(),
            phrases: r
                .concepts
                .iter()
                .map(|c| c.phrases.iter().map(|p| p.text.clone()).collect::<Vec<_>>())
                .filter(|p| !p.is_empty())
                .collect(),
            behavioral: r.kind == Kind::Behavioral,
        })
        .filter(|r| !r.phrases.is_empty())
        .collect()
}
