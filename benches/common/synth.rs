//! Synthetic banks and answers for benchmarks: deterministic (a fixed-seed
//! generator), realistic in shape (80 rubrics × 12 concepts, ~250-word
//! answers that hit some concepts and miss others).

use std::fmt::Write as _;

/// A tiny deterministic generator (SplitMix64), so benches need no extra crate.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

const FILLER: &[&str] = &[
    "the",
    "we",
    "a",
    "to",
    "and",
    "of",
    "in",
    "that",
    "it",
    "is",
    "for",
    "on",
    "with",
    "as",
    "then",
    "so",
    "this",
    "our",
    "when",
    "which",
    "service",
    "team",
    "system",
    "request",
    "data",
    "users",
    "because",
    "would",
    "should",
    "could",
    "first",
    "after",
    "during",
    "problem",
    "approach",
    "design",
    "change",
    "production",
    "traffic",
    "latency",
    "queue",
    "database",
    "cache",
    "client",
    "server",
    "version",
    "deploy",
    "monitor",
    "error",
];

const SYLLABLES: &[&str] = &[
    "ka", "ro", "ti", "mes", "lon", "dra", "vi", "pel", "sun", "tor", "qua", "zen", "fir", "gol",
    "hex", "bri", "nav", "plo", "stra", "wen",
];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// A generated rubric: its id, TOML text, and its concepts' phrases.
#[derive(Debug, Clone)]
pub struct SynthRubric {
    pub id: String,
    pub toml: String,
    pub phrases: Vec<Vec<String>>,
    pub behavioral: bool,
}

/// `count` rubrics of `concepts` concepts each, every tenth behavioral.
pub fn bank(count: usize, concepts: usize, seed: u64) -> Vec<SynthRubric> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|i| {
            let id = format!("synth-{i:03}");
            let behavioral = i % 10 == 9;
            let mut toml = format!(
                "question = \"Synthetic question {i} about {} and {}?\"\nkind = \"{}\"\n",
                word(&mut rng),
                word(&mut rng),
                if behavioral { "behavioral" } else { "technical" }
            );
            let mut all = Vec::new();
            for c in 0..concepts {
                let phrases: Vec<String> = (0..6)
                    .map(|_| {
                        let n = 1 + rng.below(3);
                        (0..n).map(|_| word(&mut rng)).collect::<Vec<_>>().join(" ")
                    })
                    .collect();
                let quoted: Vec<String> = phrases.iter().map(|p| format!("\"{p}\"")).collect();
                let _ = write!(
                    toml,
                    "\n[[concept]]\nid = \"c{c}\"\nlabel = \"Concept {c}\"\nweight = {}\nphrases = [{}]\nhint = \"Mention {}.\"\n",
                    1 + c % 3,
                    quoted.join(", "),
                    phrases[0]
                );
                all.push(phrases);
            }
            toml.push_str("\n[[red_flag]]\nid = \"flag\"\nphrases = [\"restart every server at once\"]\npenalty = 10\n");
            SynthRubric {
                id,
                toml,
                phrases: all,
                behavioral,
            }
        })
        .collect()
}

/// An answer of about `words` words to `rubric` that uses the phrases of
/// roughly two thirds of its concepts, some with a word in between.
pub fn answer(rubric: &SynthRubric, words: usize, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(words * 7);
    let mut count = 0;
    let mut sentence_len = 0;
    let story = [
        "At my previous company our checkout service kept failing.",
        "I was responsible for fixing it before the sale.",
        "I added a circuit breaker and traced the slow queries.",
        "As a result errors dropped by 80% in two weeks.",
    ];
    if rubric.behavioral {
        for s in story {
            out.push_str(s);
            out.push(' ');
            count += s.split_whitespace().count();
        }
    }
    while count < words {
        if rng.below(8) == 0 {
            let c = rng.below(rubric.phrases.len());
            if c % 3 != 2 {
                let p = &rubric.phrases[c][rng.below(rubric.phrases[c].len())];
                out.push_str(p);
                count += p.split_whitespace().count();
            }
        } else {
            out.push_str(FILLER[rng.below(FILLER.len())]);
            count += 1;
        }
        sentence_len += 1;
        if sentence_len > 12 + rng.below(10) {
            out.push_str(". ");
            sentence_len = 0;
        } else {
            out.push(' ');
        }
    }
    out.push_str(".\n");
    out
}
