//! Word lists shared by analysis and authoring.

/// English stop-words: a phrase made only of these says nothing.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with", "i", "we", "you", "our", "my", "me", "so", "do",
    "does", "did", "have", "has", "had", "can", "could", "would", "should", "from", "up", "out",
    "about", "all", "any", "some", "more", "most", "very", "just", "also",
];

/// Function words beyond [`STOP_WORDS`] (auxiliaries, pronouns,
/// determiners, prepositions, conjunctions): never content words.
pub const FUNCTION_WORDS: &[&str] = &[
    "were",
    "been",
    "being",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "how",
    "them",
    "those",
    "your",
    "yours",
    "ours",
    "mine",
    "his",
    "her",
    "hers",
    "him",
    "she",
    "he",
    "its",
    "itself",
    "myself",
    "ourselves",
    "themselves",
    "here",
    "than",
    "each",
    "other",
    "others",
    "over",
    "under",
    "after",
    "before",
    "because",
    "since",
    "until",
    "only",
    "both",
    "either",
    "neither",
    "every",
    "much",
    "many",
    "such",
    "same",
    "through",
    "between",
    "against",
    "during",
    "without",
    "within",
    "upon",
    "onto",
    "across",
    "toward",
    "towards",
    "again",
    "once",
    "still",
    "even",
    "ever",
    "never",
    "always",
    "often",
    "then",
    "there",
    "these",
    "this",
    "that",
    "does",
    "doing",
    "done",
    "have",
    "having",
    "will",
    "would",
    "shall",
    "should",
    "might",
    "must",
    "could",
    "cannot",
    "into",
    "from",
    "with",
    "about",
    "also",
    "just",
    "like",
    "well",
    "some",
    "somebody",
    "someone",
    "something",
    "anything",
    "everything",
    "nothing",
    "whether",
    "though",
    "although",
    "however",
    "therefore",
    "thus",
    "yet",
    "went",
    "going",
    "gets",
    "got",
    "getting",
    "make",
    "made",
    "makes",
    "said",
    "says",
    "it's",
    "i'm",
    "we're",
    "that's",
    "didn't",
    "don't",
    "wasn't",
    "there's",
    "let's",
    "i've",
    "we've",
    "i'd",
];

/// The words of a text as everyone counts them: whitespace-separated
/// tokens with a letter or digit in them (a lone dash is no word).
pub fn count_words(text: &str) -> usize {
    token_counts(text).1
}

/// The whitespace-separated tokens of a text (as `split_whitespace` cuts
/// them): how many there are, and how many hold a letter or digit. One pass
/// over the bytes; only non-ASCII characters are decoded.
pub fn token_counts(text: &str) -> (usize, usize) {
    // Per ASCII byte: 1 white space, 2 letter or digit, 0 anything else.
    const KIND: [u8; 128] = {
        let mut k = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            k[b] = match b as u8 {
                b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
                c if c.is_ascii_alphanumeric() => 2,
                _ => 0,
            };
            b += 1;
        }
        k
    };
    let bytes = text.as_bytes();
    let (mut tokens, mut words) = (0, 0);
    let (mut in_token, mut alnum) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let kind = if b < 0x80 {
            i += 1;
            KIND[b as usize]
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if c.is_whitespace() {
                1
            } else {
                2 * u8::from(c.is_alphanumeric())
            }
        };
        if kind == 1 {
            if in_token {
                tokens += 1;
                words += usize::from(alnum);
            }
            in_token = false;
            alnum = false;
        } else {
            in_token = true;
            alnum |= kind == 2;
        }
    }
    if in_token {
        tokens += 1;
        words += usize::from(alnum);
    }
    (tokens, words)
}

/// Texts with every kind of white space, dashes, marks, `C++`/`C#` and
/// emoji, for the tests of word counting and tokenizing.
#[cfg(test)]
pub(crate) const TRICKY_TEXTS: &[&str] = &[
    "",
    "  one two\tthree\n",
    "a - b — c",
    "x\u{0B}y\u{85}z\u{3000}w",
    "café, naïve! 42 ... ?",
    "\u{a0}lead trail\u{2029}",
    "ends on a word",
    "-- ! 7 ?? x\r\n\x0c--y",
    "\x0b\x0b",
    "a",
    "C++ and C# or F#, c++x",
    "a.b.c d-e",
    "emoji🙂word 🙂 x",
];

/// Words every backend answer uses: a concept cannot rest on one of them alone.
pub const COMMON_WORDS: &[&str] = &[
    "data",
    "system",
    "systems",
    "service",
    "services",
    "api",
    "apis",
    "performance",
    "scale",
    "scaling",
    "fast",
    "use",
    "using",
    "team",
    "teams",
    "test",
    "tests",
    "testing",
    "time",
    "work",
    "good",
    "problem",
    "problems",
    "issue",
    "issues",
    "code",
    "user",
    "users",
    "request",
    "requests",
    "server",
    "servers",
    "database",
    "application",
    "app",
    "process",
    "change",
    "changes",
    "design",
    "approach",
    "way",
    "thing",
    "things",
    "value",
    "make",
    "need",
    "new",
    "different",
    "important",
    "better",
    "best",
    "project",
    "example",
    "level",
    "layer",
    "model",
    "first",
    "then",
    "also",
    "well",
    "high",
    "low",
    "large",
    "small",
];

/// Words that relate one thing to another: explanations use them, lists
/// of names do not.
pub const CONNECTIVES: &[&str] = &[
    "because",
    "so",
    "when",
    "if",
    "to",
    "by",
    "which",
    "that",
    "means",
    "since",
    "instead",
    "without",
    "while",
    "until",
    "before",
    "after",
    "than",
    "unless",
    "otherwise",
    "then",
    "why",
    "how",
    "where",
    "whether",
    "but",
];

/// Verbs that introduce a list without saying anything about its items.
pub const LIST_VERBS: &[&str] = &[
    "use",
    "used",
    "uses",
    "using",
    "d",
    "ll",
    "s",
    "re",
    "ve",
    "m",
    "would",
    "like",
    "add",
    "apply",
    "implement",
    "consider",
    "choose",
    "pick",
    "go",
    "basically",
    "also",
    "plus",
    "etc",
    "things",
    "stuff",
    "thing",
    "other",
    "others",
    "various",
    "different",
    "best",
    "practices",
    "practice",
    "make",
    "sure",
    "always",
    "well",
    "really",
    "just",
    "lots",
    "lot",
    "key",
];

/// Words that say nothing about content even when repeated.
pub const NOT_CONTENT: &[&str] = &[
    "know", "really", "just", "thing", "things", "mean", "yeah", "okay",
];

/// Which of the lists above a (lowercased, folded) word is on, as bits:
/// computed once per distinct word by the analyzer and kept with each
/// word, so the hot paths test a bit instead of scanning a list.
pub mod class {
    /// On [`super::STOP_WORDS`].
    pub const STOP: u16 = 1;
    /// On [`super::FUNCTION_WORDS`].
    pub const FUNCTION: u16 = 1 << 1;
    /// On [`super::COMMON_WORDS`].
    pub const COMMON: u16 = 1 << 2;
    /// On [`super::CONNECTIVES`].
    pub const CONNECTIVE: u16 = 1 << 3;
    /// On [`super::LIST_VERBS`].
    pub const LIST_VERB: u16 = 1 << 4;
    /// On [`super::NOT_CONTENT`].
    pub const NOT_CONTENT: u16 = 1 << 5;
    /// Joins two list items: "and", "or", "plus", "versus", "vs", "nor".
    pub const JOINER: u16 = 1 << 6;
    /// Of those, "and", "or" and "plus".
    pub const AND_OR: u16 = 1 << 7;
    /// On [`super::IRREGULAR_PAST`].
    pub const PAST: u16 = 1 << 8;
    /// On [`super::NOT_PAST`].
    pub const NOT_PAST: u16 = 1 << 9;
    /// On [`super::MODALS`].
    pub const MODAL: u16 = 1 << 10;
    /// On [`super::PRESENT`].
    pub const PRESENT: u16 = 1 << 11;
    /// On [`super::OTHER_SUBJECTS`].
    pub const OTHER_SUBJECT: u16 = 1 << 12;
}

/// Each list with its [`class`] bit: a word's bits are looked up once,
/// when its forms are made, and every later test of it is a bit test.
const CLASSED: [(&[&str], u16); 11] = [
    (STOP_WORDS, class::STOP),
    (FUNCTION_WORDS, class::FUNCTION),
    (COMMON_WORDS, class::COMMON),
    (CONNECTIVES, class::CONNECTIVE),
    (LIST_VERBS, class::LIST_VERB),
    (NOT_CONTENT, class::NOT_CONTENT),
    (IRREGULAR_PAST, class::PAST),
    (NOT_PAST, class::NOT_PAST),
    (MODALS, class::MODAL),
    (PRESENT, class::PRESENT),
    (OTHER_SUBJECTS, class::OTHER_SUBJECT),
];

/// Irregular past-tense verbs common in stories (STAR's tense features).
pub const IRREGULAR_PAST: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "made",
    "took",
    "got",
    "went",
    "came",
    "saw",
    "told",
    "said",
    "gave",
    "found",
    "thought",
    "knew",
    "felt",
    "left",
    "kept",
    "began",
    "brought",
    "built",
    "wrote",
    "ran",
    "led",
    "met",
    "sent",
    "spent",
    "set",
    "put",
    "chose",
    "drove",
    "fell",
    "grew",
    "held",
    "heard",
    "lost",
    "paid",
    "sat",
    "sold",
    "spoke",
    "stood",
    "taught",
    "understood",
    "won",
    "broke",
    "caught",
    "cut",
    "hit",
    "let",
    "meant",
    "read",
    "rose",
    "shut",
    "bought",
    "became",
    "forgot",
    "learnt",
    "dealt",
    "sought",
    "wasn",
    "weren",
    "didn",
    "hadn",
    "couldn",
];

/// Words that end in "ed" without being past tense.
pub const NOT_PAST: &[&str] = &[
    "need",
    "needed_",
    "feed",
    "speed",
    "seed",
    "indeed",
    "bed",
    "red",
    "shed",
    "embed",
    "proceed",
    "succeed",
    "exceed",
    "based",
    "related",
    "detailed",
    "advanced",
    "distributed",
    "automated",
    "dedicated",
    "limited",
    "unexpected",
    "red",
    "ted",
];

/// Modal verbs, whole or clipped ("d", "ll").
pub const MODALS: &[&str] = &[
    "would", "d", "could", "should", "will", "ll", "might", "may", "can", "must", "shall",
];

/// Present-tense verbs common in told stories.
pub const PRESENT: &[&str] = &[
    "am", "is", "are", "m", "s", "re", "get", "go", "say", "tell", "have", "do", "need", "want",
    "see", "think", "look", "call", "start", "ask", "decide", "try", "realise", "realize", "find",
];

/// Subjects of a sentence other than I, we and you.
pub const OTHER_SUBJECTS: &[&str] = &[
    "he",
    "she",
    "they",
    "it",
    "the",
    "our",
    "my",
    "his",
    "her",
    "their",
    "this",
    "that",
    "there",
    "everyone",
    "nobody",
    "management",
    "customers",
];

/// The [`class`] bits of a lowercased, folded word.
pub fn classify(raw: &str) -> u16 {
    static TABLE: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, u16>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = rustc_hash::FxHashMap::default();
        for (list, bit) in CLASSED {
            for w in list {
                *t.entry(*w).or_insert(0) |= bit;
            }
        }
        for w in ["and", "or", "plus", "versus", "vs", "nor"] {
            *t.entry(w).or_insert(0) |= class::JOINER;
        }
        for w in ["and", "or", "plus"] {
            *t.entry(w).or_insert(0) |= class::AND_OR;
        }
        t
    });
    table.get(raw).copied().unwrap_or(0)
}

/// A word list looked up by hashing: built on first use from its list.
pub struct WordSet {
    list: &'static [&'static str],
    set: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>>,
}

impl WordSet {
    pub const fn new(list: &'static [&'static str]) -> WordSet {
        WordSet {
            list,
            set: std::sync::OnceLock::new(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.list.iter().copied().collect())
            .contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_counts_cut_like_split_whitespace() {
        for text in TRICKY_TEXTS {
            let tokens = text.split_whitespace().count();
            let words = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            assert_eq!(token_counts(text), (tokens, words), "{text:?}");
        }
    }

    #[test]
    fn classes_match_the_lists() {
        let listed = CLASSED.iter().flat_map(|(list, _)| list.iter().copied());
        for w in listed.chain(["data", "thing", "kafka", "shipped"]) {
            for (list, bit) in CLASSED {
                assert_eq!(list.contains(&w), classify(w) & bit != 0, "{w} {bit}");
            }
        }
        assert_ne!(classify("vs") & class::JOINER, 0);
        assert_eq!(classify("vs") & class::AND_OR, 0);
        assert_eq!(classify("kafka"), 0);
    }
}
