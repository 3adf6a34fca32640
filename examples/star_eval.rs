//! Evaluates the STAR sequence labeller.
//!
//! - k-fold cross-validation over `data/star/corpus/`, split by story: each
//!   fold is labelled by a model trained on the other folds;
//! - with `--test`, the held-out stories in `eval/star/test/`, labelled by a
//!   model trained on the whole corpus (never used for training or tuning);
//! - the same figures for the position-only baseline (first sentence S, last
//!   R, the rest A).
//!
//! Prints sentence accuracy, precision and recall per label, and component
//! presence per story (is there an S, a T, an A, an R: the share of the four
//! yes/no questions answered right, over all stories).
//!
//! Run: `cargo run --release --example star_eval [-- --folds 5] [--test]`.

use std::path::Path;

use rubric::analysis::star::Lexicon;
use rubric::analysis::star_model::{
    load_corpus, position_baseline, Label, LabelledStory, StarModel, LABELS,
};
use rubric::analysis::text::Analyzer;

#[path = "common/star_train.rs"]
mod star_train;

#[derive(Default)]
struct Tally {
    sentences: usize,
    correct: usize,
    /// Per label: predicted, gold, both.
    per_label: [(usize, usize, usize); 5],
    presence_questions: usize,
    presence_right: usize,
    /// Texts that tell no story: (gold, flagged `false-star`, both), and
    /// stories wrongly flagged.
    non_stories: (usize, usize, usize),
}

impl Tally {
    fn add_story(&mut self, is_story: bool, predicted: &[Label]) {
        // The rule `rubric star` uses: most sentences labelled other.
        let other = predicted.iter().filter(|l| **l == Label::Other).count();
        let flagged = other * 2 > predicted.len();
        self.non_stories.0 += usize::from(!is_story);
        self.non_stories.1 += usize::from(flagged);
        self.non_stories.2 += usize::from(flagged && !is_story);
    }

    fn add(&mut self, gold: &[Label], predicted: &[Label]) {
        for (g, p) in gold.iter().zip(predicted) {
            self.sentences += 1;
            self.per_label[*p as usize].0 += 1;
            self.per_label[*g as usize].1 += 1;
            if g == p {
                self.correct += 1;
                self.per_label[*g as usize].2 += 1;
            }
        }
        for l in &LABELS[..4] {
            self.presence_questions += 1;
            if gold.contains(l) == predicted.contains(l) {
                self.presence_right += 1;
            }
        }
    }

    fn accuracy(&self) -> f64 {
        self.correct as f64 / self.sentences.max(1) as f64
    }

    fn presence(&self) -> f64 {
        self.presence_right as f64 / self.presence_questions.max(1) as f64
    }

    fn print(&self, title: &str) {
        println!("{title}");
        println!(
            "  sentence accuracy {:.3} ({} of {})",
            self.accuracy(),
            self.correct,
            self.sentences
        );
        println!(
            "  component presence per story {:.3} ({} of {})",
            self.presence(),
            self.presence_right,
            self.presence_questions
        );
        let (gold, flagged, both) = self.non_stories;
        if gold > 0 {
            println!(
                "  false-star: {both} of {gold} non-stories flagged; {} of the stories flagged",
                flagged - both
            );
        }
        for l in LABELS {
            let (p, g, b) = self.per_label[l as usize];
            println!(
                "  {}: precision {:.3}  recall {:.3}  (gold {g}, predicted {p})",
                l.letter(),
                b as f64 / p.max(1) as f64,
                b as f64 / g.max(1) as f64
            );
        }
    }
}

fn label_all(
    model: &StarModel,
    stories: &[LabelledStory],
    lexicon: &Lexicon,
    analyzer: &mut Analyzer,
    tally: &mut Tally,
    baseline: &mut Tally,
) {
    for story in stories {
        let features = star_train::story_features(story, lexicon, analyzer);
        let decoded = model.decode(&features);
        tally.add(&story.labels, &decoded.labels);
        tally.add_story(story.is_story, &decoded.labels);
        baseline.add(&story.labels, &position_baseline(story.units.len()));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let folds: usize = args
        .iter()
        .position(|a| a == "--folds")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(5);
    let test = args.iter().any(|a| a == "--test");
    let corpus = load_corpus(Path::new("data/star/corpus")).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2)
    });
    let mut analyzer = Analyzer::new();
    let lexicon = Lexicon::builtin(&mut analyzer);
    let sentences: usize = corpus.iter().map(|s| s.units.len()).sum();
    println!(
        "corpus: {} stories, {sentences} sentences; {folds}-fold cross-validation by story",
        corpus.len()
    );
    let (mut cv, mut cv_base) = (Tally::default(), Tally::default());
    for k in 0..folds {
        let (held, train): (Vec<_>, Vec<_>) =
            corpus.iter().enumerate().partition(|(i, _)| i % folds == k);
        let train: Vec<LabelledStory> = train.into_iter().map(|(_, s)| s.clone()).collect();
        let held: Vec<LabelledStory> = held.into_iter().map(|(_, s)| s.clone()).collect();
        let table = star_train::train(&train, &lexicon, &mut analyzer);
        let model = StarModel::parse(Path::new("<fold>"), &table).expect("a trained model");
        label_all(
            &model,
            &held,
            &lexicon,
            &mut analyzer,
            &mut cv,
            &mut cv_base,
        );
    }
    cv.print("CRF, held-out folds");
    cv_base.print("position-only baseline, same stories");
    println!(
        "  CRF − baseline: {:+.1} points of sentence accuracy",
        100.0 * (cv.accuracy() - cv_base.accuracy())
    );
    if test {
        let held = load_corpus(Path::new("eval/star/test")).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            std::process::exit(2)
        });
        let table = star_train::train(&corpus, &lexicon, &mut analyzer);
        let model = StarModel::parse(Path::new("<full>"), &table).expect("a trained model");
        let (mut t, mut b) = (Tally::default(), Tally::default());
        label_all(&model, &held, &lexicon, &mut analyzer, &mut t, &mut b);
        let n: usize = held.iter().map(|s| s.units.len()).sum();
        println!(
            "\nheld-out test set eval/star/test: {} stories, {n} sentences",
            held.len()
        );
        t.print("CRF trained on the whole corpus");
        b.print("position-only baseline");
        println!(
            "  CRF − baseline: {:+.1} points of sentence accuracy",
            100.0 * (t.accuracy() - b.accuracy())
        );
    }
}
