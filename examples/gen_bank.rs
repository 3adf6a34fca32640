//! Writes a synthetic answer bank for measuring `rubric check`:
//! `DIR/.rubric-bank.toml`, 80 rubrics × 12 concepts in `DIR/rubrics/`,
//! and N answers of ~250 words in `DIR/answers/` (front matter names the
//! rubric, as in a real bank).
//!
//! Run: `cargo run --release --example gen_bank -- DIR N`, then
//! `rubric check --config DIR/.rubric-bank.toml --format json > /dev/null`.

use std::path::PathBuf;

use synth::{answer, bank, Rng};

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
    let rubrics = bank(80, 12, 7);
    std::fs::create_dir_all(dir.join("rubrics")).unwrap();
    std::fs::create_dir_all(dir.join("answers")).unwrap();
    std::fs::write(
        dir.join(".rubric-bank.toml"),
        "rubrics = [\"rubrics\"]\nanswers = [\"answers/**/*.md\"]\n",
    )
    .unwrap();
    for r in &rubrics {
        std::fs::write(dir.join("rubrics").join(format!("{}.toml", r.id)), &r.toml).unwrap();
    }
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
