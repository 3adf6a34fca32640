//! Rubric files: the model and its loader.
//!
//! The loader reads a TOML file into a [`Rubric`] and reports every problem
//! of the file at once, each as `path:line:col: message`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder};
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::model::diag::{Diagnostic, Diagnostics, Locator, Severity};

/// The default pass mark, in percent, when neither the rubric nor the bank sets one.
pub const DEFAULT_PASS: f64 = 60.0;
/// The default share of the score carried by STAR structure for behavioral rubrics.
pub const DEFAULT_STAR_WEIGHT: f64 = 0.3;
/// The default number of other words allowed between two words of a phrase.
pub const DEFAULT_GAP: usize = 2;
/// The default red-flag penalty, in points.
pub const DEFAULT_PENALTY: f64 = 10.0;

/// What kind of question a rubric scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Technical,
    Behavioral,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Technical => "technical",
            Kind::Behavioral => "behavioral",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where something was written in its rubric file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A phrase as written in a rubric: its words, and the gap allowed between them.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// The phrase without its `~N` suffix.
    pub text: String,
    /// Other words allowed between two consecutive words of the phrase.
    pub gap: usize,
    pub pos: Pos,
}

/// A regular expression entry, matched case-insensitively on a sentence.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub regex: LazyRegex,
    pub pos: Pos,
}

/// A pattern's regular expression, compiled on first use: a bank holds
/// many patterns and one run uses few of them, and compiling costs more
/// than scoring an answer. Its syntax is checked when it is read; one whose
/// compiled form exceeds the size limit (1 MiB) never matches, and
/// `rubric lint` names it. Clones share the compiled expression.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    source: std::sync::Arc<str>,
    cell: std::sync::Arc<std::sync::OnceLock<Option<Regex>>>,
}

impl LazyRegex {
    /// Checks the syntax of `source`; the message is the regex crate's.
    pub fn new(source: &str) -> Result<LazyRegex, String> {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(source)
            .map_err(|e| e.to_string())?;
        Ok(LazyRegex {
            source: std::sync::Arc::from(source),
            cell: Default::default(),
        })
    }

    /// The compiled expression (None when it is too large to compile).
    pub fn get(&self) -> Option<&Regex> {
        self.cell
            .get_or_init(|| compile_pattern(&self.source).ok())
            .as_ref()
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_some_and(|r| r.is_match(text))
    }

    /// Why the expression does not compile, if it does not.
    pub fn compile_error(&self) -> Option<String> {
        compile_pattern(&self.source).err()
    }
}

/// One point an answer is expected to make.
#[derive(Debug, Clone)]
pub struct Concept {
    pub id: String,
    pub label: String,
    pub weight: f64,
    pub required: bool,
    pub min: usize,
    pub phrases: Vec<Phrase>,
    pub patterns: Vec<Pattern>,
    /// How speech-to-text tends to mishear this concept's terms.
    pub sounds_like: Vec<Phrase>,
    pub hint: Option<String>,
    /// A coaching question for guide mode that does not give the phrases away.
    pub question_hint: Option<String>,
    pub pos: Pos,
}

/// Something an interviewer marks down.
#[derive(Debug, Clone)]
pub struct RedFlag {
    pub id: String,
    pub label: String,
    pub phrases: Vec<Phrase>,
    pub patterns: Vec<Pattern>,
    pub penalty: f64,
    pub hint: Option<String>,
    pub pos: Pos,
}

/// A rubric for one interview question.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub id: String,
    pub path: PathBuf,
    pub question: String,
    pub kind: Kind,
    pub tags: Vec<String>,
    pub pass: Option<f64>,
    pub words: Option<(usize, usize)>,
    /// Where the question comes from (seed file and number).
    pub source: Option<String>,
    /// Bank questions that ask the same thing in other words: detection and
    /// reports treat them as alternatives.
    pub siblings: Vec<String>,
    pub concepts: Vec<Concept>,
    pub red_flags: Vec<RedFlag>,
    /// The STAR share of the score; `None` for technical rubrics.
    pub star_weight: Option<f64>,
    pub pos_question: Pos,
}

impl Rubric {
    /// The sum of the concept weights.
    pub fn total_weight(&self) -> f64 {
        self.concepts.iter().map(|c| c.weight).sum()
    }
}

/// Every problem found in one rubric file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricError {
    pub path: PathBuf,
    pub diagnostics: Diagnostics,
}

impl fmt::Display for RubricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.diagnostics)
    }
}

impl std::error::Error for RubricError {}

/// Reads and parses a rubric file.
pub fn load(path: &Path) -> Result<Rubric, RubricError> {
    let limit = crate::model::fsread::MAX_DATA_BYTES;
    let bytes = crate::model::fsread::read_regular(path, limit).map_err(|e| RubricError {
        path: path.to_path_buf(),
        diagnostics: Diagnostics(vec![Diagnostic {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            severity: Severity::Error,
            message: format!("cannot read rubric: {e}"),
        }]),
    })?;
    match String::from_utf8(bytes) {
        Ok(src) => parse(path, &src),
        Err(e) => {
            let loc_src = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let locator = Locator::new(path, &loc_src);
            let at = e.utf8_error().valid_up_to();
            Err(RubricError {
                path: path.to_path_buf(),
                diagnostics: Diagnostics(vec![locator.at(
                    at..at,
                    Severity::Error,
                    "rubric is not valid UTF-8 text".into(),
                )]),
            })
        }
    }
}

const RUBRIC_KEYS: &[&str] = &[
    "id", "question", "kind", "tags", "pass", "words", "source", "siblings", "concept", "red_flag",
    "star",
];
const CONCEPT_KEYS: &[&str] = &[
    "id",
    "label",
    "weight",
    "required",
    "min",
    "phrases",
    "patterns",
    "sounds_like",
    "hint",
    "question_hint",
];
const RED_FLAG_KEYS: &[&str] = &["id", "label", "phrases", "patterns", "penalty", "hint"];
const STAR_KEYS: &[&str] = &["weight"];

/// Parses rubric source text. `path` names the file in messages and gives
/// the default id (its stem).
pub fn parse(path: &Path, src: &str) -> Result<Rubric, RubricError> {
    let mut cx = Cx {
        loc: Locator::new(path, src),
        diags: Vec::new(),
    };
    let (root, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            cx.error(span, format!("invalid TOML: {}", e.message().trim()));
        }
        return Err(cx.finish_err());
    }
    let root_span = root.span();
    let root = root.into_inner();
    let rubric = read_rubric(&mut cx, &root, root_span);
    if cx.diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(cx.finish_err());
    }
    Ok(rubric)
}

struct Cx<'s> {
    loc: Locator<'s>,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn error(&mut self, span: Range<usize>, message: String) {
        self.diags.push(self.loc.at(span, Severity::Error, message));
    }

    fn pos(&self, span: &Range<usize>) -> Pos {
        let (line, column) = self.loc.line_col(span.start);
        Pos { line, column }
    }

    fn finish_err(mut self) -> RubricError {
        self.diags.sort();
        self.diags.dedup();
        RubricError {
            path: self.loc.path().to_path_buf(),
            diagnostics: Diagnostics(self.diags),
        }
    }

    /// Reports keys of `table` that are not in `allowed`.
    fn check_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], what: &str) {
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            self.error(
                key.span(),
                crate::model::diag::unknown_key(name, allowed, what),
            );
        }
    }

    /// Deserializes `table[key]` into `T`, reporting a type error at the value.
    fn get<T: DeserializeOwned>(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
    ) -> Option<(T, Range<usize>)> {
        let value = table.get(key)?;
        let span = value.span();
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(v) => Some((v, span)),
            Err(e) => {
                let at = e.span().unwrap_or_else(|| span.clone());
                self.error(at, format!("`{key}`: {}", e.message().trim()));
                None
            }
        }
    }

    /// A required non-empty string.
    fn required_str(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        table_span: &Range<usize>,
        what: &str,
    ) -> Option<(String, Range<usize>)> {
        if table.get(key).is_none() {
            self.error(
                table_span.start..table_span.start,
                format!("missing required key `{key}` in {what}"),
            );
            return None;
        }
        let (s, span) = self.get::<String>(table, key)?;
        if s.trim().is_empty() {
            self.error(span, format!("`{key}` must not be empty"));
            return None;
        }
        Some((s, span))
    }

    /// A list of strings, each with its span.
    fn str_list(&mut self, table: &DeTable<'_>, key: &str) -> Vec<(String, Range<usize>)> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            self.error(
                value.span(),
                format!(
                    "`{key}`: expected an array of strings, found {}",
                    value.get_ref().type_str()
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in array.iter() {
            match item.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => out.push((s.to_string(), item.span())),
                Some(_) => self.error(item.span(), format!("`{key}`: empty string")),
                None => self.error(
                    item.span(),
                    format!(
                        "`{key}`: expected a string, found {}",
                        item.get_ref().type_str()
                    ),
                ),
            }
        }
        out
    }

    fn phrases(&mut self, table: &DeTable<'_>, key: &str) -> Vec<Phrase> {
        self.str_list(table, key)
            .into_iter()
            .filter_map(|(s, span)| match parse_phrase(&s) {
                Ok((text, gap)) => Some(Phrase {
                    text,
                    gap,
                    pos: self.pos(&span),
                }),
                Err(msg) => {
                    self.error(span, format!("`{key}`: {msg}"));
                    None
                }
            })
            .collect()
    }

    fn patterns(&mut self, table: &DeTable<'_>) -> Vec<Pattern> {
        self.str_list(table, "patterns")
            .into_iter()
            .filter_map(|(s, span)| match LazyRegex::new(&s) {
                Ok(regex) => Some(Pattern {
                    source: s,
                    regex,
                    pos: self.pos(&span),
                }),
                Err(e) => {
                    let first = e.lines().last().unwrap_or("").trim().to_string();
                    self.error(
                        span,
                        format!("`patterns`: invalid regular expression `{s}`: {first}"),
                    );
                    None
                }
            })
            .collect()
    }

    /// The tables of an array of tables (`[[concept]]`).
    fn tables<'a, 'i>(
        &mut self,
        root: &'a DeTable<'i>,
        key: &str,
    ) -> Vec<(&'a DeTable<'i>, Range<usize>)> {
        let Some(value) = root.get(key) else {
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            self.error(
                value.span(),
                format!(
                    "`{key}`: expected an array of tables (`[[{key}]]`), found {}",
                    value.get_ref().type_str()
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in array.iter() {
            match item.get_ref().as_table() {
                Some(t) => out.push((t, item.span())),
                None => self.error(
                    item.span(),
                    format!(
                        "`{key}`: expected a table, found {}",
                        item.get_ref().type_str()
                    ),
                ),
            }
        }
        out
    }
}

/// Splits a phrase's optional `~N` gap suffix off.
pub fn parse_phrase(s: &str) -> Result<(String, usize), String> {
    if let Some((text, gap)) = s.rsplit_once('~') {
        if !gap.is_empty() && gap.bytes().all(|b| b.is_ascii_digit()) {
            let gap: usize = gap
                .parse()
                .map_err(|_| format!("gap in `{s}` is too large"))?;
            if gap > 20 {
                return Err(format!("gap {gap} in `{s}` is larger than 20"));
            }
            if text.trim().is_empty() {
                return Err(format!("`{s}` has a gap but no words"));
            }
            return Ok((text.trim().to_string(), gap));
        }
    }
    Ok((s.trim().to_string(), DEFAULT_GAP))
}

/// Compiles a pattern case-insensitively.
pub fn compile_pattern(s: &str) -> Result<Regex, String> {
    RegexBuilder::new(s)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string())
}

fn read_rubric(cx: &mut Cx<'_>, root: &DeTable<'_>, root_span: Range<usize>) -> Rubric {
    cx.check_keys(root, RUBRIC_KEYS, "the rubric");
    let path = cx.loc.path().to_path_buf();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = match cx.get::<String>(root, "id") {
        Some((id, span)) => {
            if let Some(msg) = bad_id(&id) {
                cx.error(span, format!("`id`: {msg}"));
            }
            id
        }
        None => stem,
    };
    let (question, q_span) = cx
        .required_str(root, "question", &root_span, "the rubric")
        .unwrap_or((String::new(), 0..0));
    let pos_question = cx.pos(&q_span);
    let kind = match cx.get::<String>(root, "kind") {
        Some((k, _)) if k == "technical" => Kind::Technical,
        Some((k, _)) if k == "behavioral" || k == "behavioural" => Kind::Behavioral,
        Some((k, span)) => {
            cx.error(
                span,
                format!("`kind`: expected \"technical\" or \"behavioral\", found \"{k}\""),
            );
            Kind::Technical
        }
        None => Kind::Technical,
    };
    let tags = cx
        .str_list(root, "tags")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let pass =
        cx.get::<f64>(root, "pass").and_then(|(p, span)| {
            match crate::model::number::percent("pass", p) {
                Ok(p) => Some(p),
                Err(message) => {
                    cx.error(span, message);
                    None
                }
            }
        });
    let words = cx
        .get::<(usize, usize)>(root, "words")
        .and_then(|((lo, hi), span)| {
            if lo <= hi {
                Some((lo, hi))
            } else {
                cx.error(
                    span,
                    format!("`words`: the minimum {lo} is larger than the maximum {hi}"),
                );
                None
            }
        });
    let source = cx.get::<String>(root, "source").map(|(s, _)| s);
    let siblings = cx
        .get::<Vec<String>>(root, "siblings")
        .map(|(s, _)| s)
        .unwrap_or_default();

    let mut concepts = Vec::new();
    let concept_tables = cx.tables(root, "concept");
    if root.get("concept").is_some() && concept_tables.is_empty() {
        // The shape error was reported by `tables`.
    } else if concept_tables.is_empty() {
        cx.error(
            root_span.start..root_span.start,
            "the rubric has no `[[concept]]`: add at least one".into(),
        );
    }
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    for (table, span) in concept_tables {
        if let Some(c) = read_concept(cx, table, &span) {
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == c.id) {
                let (line, col) = cx.loc.line_col(first.start);
                cx.error(
                    id_span(table, &span),
                    format!(
                        "duplicate concept id `{}` (first defined at line {line}, column {col})",
                        c.id
                    ),
                );
            }
            seen.push((c.id.clone(), id_span(table, &span)));
            concepts.push(c);
        }
    }

    let mut red_flags = Vec::new();
    let mut seen_flags: Vec<String> = Vec::new();
    for (table, span) in cx.tables(root, "red_flag") {
        if let Some(f) = read_red_flag(cx, table, &span) {
            if seen_flags.contains(&f.id) {
                cx.error(
                    id_span(table, &span),
                    format!("duplicate red flag id `{}`", f.id),
                );
            }
            seen_flags.push(f.id.clone());
            red_flags.push(f);
        }
    }

    let mut star_weight = None;
    if let Some(value) = root.get("star") {
        match value.get_ref().as_table() {
            Some(star) => {
                cx.check_keys(star, STAR_KEYS, "[star]");
                if let Some((w, span)) = cx.get::<f64>(star, "weight") {
                    if (0.0..=1.0).contains(&w) {
                        star_weight = Some(w);
                    } else {
                        cx.error(
                            span,
                            format!("`star.weight` must be between 0 and 1, found {w}"),
                        );
                    }
                }
            }
            None => cx.error(
                value.span(),
                format!(
                    "`star`: expected a table, found {}",
                    value.get_ref().type_str()
                ),
            ),
        }
    }
    let star_weight = match kind {
        Kind::Behavioral => Some(star_weight.unwrap_or(DEFAULT_STAR_WEIGHT)),
        Kind::Technical => None,
    };

    Rubric {
        id,
        path,
        question,
        kind,
        tags,
        pass,
        words,
        source,
        siblings,
        concepts,
        red_flags,
        star_weight,
        pos_question,
    }
}

fn id_span(table: &DeTable<'_>, table_span: &Range<usize>) -> Range<usize> {
    table
        .get("id")
        .map(Spanned::span)
        .unwrap_or_else(|| table_span.clone())
}

fn bad_id(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("must not be empty".into());
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some(format!(
            "`{id}` may only contain ASCII letters, digits, `-`, `_` and `.`"
        ));
    }
    None
}

fn read_concept(cx: &mut Cx<'_>, table: &DeTable<'_>, span: &Range<usize>) -> Option<Concept> {
    cx.check_keys(table, CONCEPT_KEYS, "a [[concept]]");
    let id = cx.required_str(table, "id", span, "a [[concept]]");
    if let Some((id, span)) = &id {
        if let Some(msg) = bad_id(id) {
            cx.error(span.clone(), format!("`id`: {msg}"));
        }
    }
    let label = cx.get::<String>(table, "label").map(|(s, _)| s);
    let weight = match cx.get::<f64>(table, "weight") {
        Some((w, span)) => crate::model::number::weight("weight", w).unwrap_or_else(|message| {
            cx.error(span, message);
            1.0
        }),
        None => 1.0,
    };
    let required = cx.get::<bool>(table, "required").is_some_and(|(r, _)| r);
    let min = cx.get::<i64>(table, "min");
    let phrases = cx.phrases(table, "phrases");
    let patterns = cx.patterns(table);
    let sounds_like = cx.phrases(table, "sounds_like");
    let hint = cx.get::<String>(table, "hint").map(|(s, _)| s);
    let question_hint = cx.get::<String>(table, "question_hint").map(|(s, _)| s);
    let has_phrases = table.contains_key("phrases") || table.contains_key("patterns");
    let entries = phrases.len() + patterns.len() + sounds_like.len();
    if !has_phrases {
        cx.error(
            id_span(table, span),
            format!(
                "concept `{}` has neither `phrases` nor `patterns`: it can never match",
                id.as_ref().map_or("?", |(s, _)| s.as_str())
            ),
        );
    }
    let min = match min {
        None => 1,
        Some((m, span)) if m < 1 => {
            cx.error(span, format!("`min` must be at least 1, found {m}"));
            1
        }
        Some((m, span)) => {
            let m = m as usize;
            if has_phrases && m > entries {
                cx.error(
                    span,
                    format!("`min` is {m} but the concept has only {entries} phrases/patterns"),
                );
            }
            m
        }
    };
    let (id, id_sp) = id?;
    Some(Concept {
        label: label.unwrap_or_else(|| id.clone()),
        id,
        weight,
        required,
        min,
        phrases,
        patterns,
        sounds_like,
        hint,
        question_hint,
        pos: cx.pos(&id_sp),
    })
}

fn read_red_flag(cx: &mut Cx<'_>, table: &DeTable<'_>, span: &Range<usize>) -> Option<RedFlag> {
    cx.check_keys(table, RED_FLAG_KEYS, "a [[red_flag]]");
    let id = cx.required_str(table, "id", span, "a [[red_flag]]");
    let label = cx.get::<String>(table, "label").map(|(s, _)| s);
    let phrases = cx.phrases(table, "phrases");
    let patterns = cx.patterns(table);
    let penalty = match cx.get::<f64>(table, "penalty") {
        Some((p, _)) if p > 0.0 && p <= 100.0 => p,
        Some((p, span)) => {
            cx.error(
                span,
                format!("`penalty` must be between 0 (exclusive) and 100, found {p}"),
            );
            DEFAULT_PENALTY
        }
        None => DEFAULT_PENALTY,
    };
    let hint = cx.get::<String>(table, "hint").map(|(s, _)| s);
    if !table.contains_key("phrases") && !table.contains_key("patterns") {
        cx.error(
            id_span(table, span),
            "red flag has neither `phrases` nor `patterns`: it can never match".into(),
        );
    }
    let (id, id_sp) = id?;
    Some(RedFlag {
        label: label.unwrap_or_else(|| id.clone()),
        id,
        phrases,
        patterns,
        penalty,
        hint,
        pos: cx.pos(&id_sp),
    })
}

// Keep `DeValue` in scope for readers of the signatures above.
#[allow(dead_code)]
type _Value<'i> = DeValue<'i>;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(src: &str) -> Result<Rubric, RubricError> {
        parse(Path::new("r/test.toml"), src)
    }

    fn messages(src: &str) -> Vec<String> {
        parse_str(src)
            .unwrap_err()
            .diagnostics
            .0
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    const OK: &str = r#"
question = "What?"
[[concept]]
id = "a"
phrases = ["alpha beta~4", "gamma"]
"#;

    #[test]
    fn minimal_rubric_gets_defaults() {
        let r = parse_str(OK).unwrap();
        assert_eq!(r.id, "test");
        assert_eq!(r.kind, Kind::Technical);
        assert_eq!(r.concepts[0].weight, 1.0);
        assert_eq!(r.concepts[0].min, 1);
        assert_eq!(r.concepts[0].label, "a");
        assert_eq!(r.concepts[0].phrases[0].text, "alpha beta");
        assert_eq!(r.concepts[0].phrases[0].gap, 4);
        assert_eq!(r.concepts[0].phrases[1].gap, DEFAULT_GAP);
        assert_eq!(r.star_weight, None);
    }

    #[test]
    fn behavioral_gets_default_star_weight() {
        let src = format!("kind = \"behavioral\"\n{OK}");
        assert_eq!(
            parse_str(&src).unwrap().star_weight,
            Some(DEFAULT_STAR_WEIGHT)
        );
    }

    #[test]
    fn reports_every_problem_with_positions() {
        let src = r#"question = "Q"
pass = 120
colour = "red"
[star]
weight = 1.5
[[concept]]
id = "a"
weight = 0
min = 3
phrases = ["x"]
patterns = ['(unclosed']
[[concept]]
id = "a"
label = "no phrases"
"#;
        let m = messages(src);
        let joined = m.join("\n");
        assert!(
            joined.contains("r/test.toml:2:8: `pass` must be between 0 and 100"),
            "{joined}"
        );
        assert!(
            joined.contains("r/test.toml:3:1: unknown key `colour`"),
            "{joined}"
        );
        assert!(
            joined.contains("r/test.toml:5:10: `star.weight` must be between 0 and 1"),
            "{joined}"
        );
        assert!(
            joined.contains("r/test.toml:8:10: `weight` must be a positive number"),
            "{joined}"
        );
        assert!(
            joined.contains("r/test.toml:9:7: `min` is 3 but the concept has only 1"),
            "{joined}"
        );
        assert!(
            joined.contains("r/test.toml:11:13: `patterns`: invalid regular expression"),
            "{joined}"
        );
        assert!(
            joined.contains("r/test.toml:13:6: duplicate concept id `a`"),
            "{joined}"
        );
        assert!(
            joined.contains("concept `a` has neither `phrases` nor `patterns`"),
            "{joined}"
        );
        assert_eq!(m.len(), 8, "{joined}");
    }

    #[test]
    fn wrong_type_is_located() {
        let m = messages("question = 5\n[[concept]]\nid = \"a\"\nphrases = \"x\"\n");
        assert!(m[0].starts_with("r/test.toml:1:12: `question`:"), "{m:?}");
        assert!(
            m[1].starts_with("r/test.toml:4:11: `phrases`: expected an array of strings"),
            "{m:?}"
        );
    }

    #[test]
    fn bad_toml_is_located() {
        let m = messages("question = \"unterminated\n");
        assert!(m[0].starts_with("r/test.toml:1:"), "{m:?}");
        assert!(m[0].contains("invalid TOML"), "{m:?}");
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let m = messages("question = \"Q\"\n[[concept]]\nid = \"a\"\nphrase = [\"x\"]\n");
        assert!(
            m.iter()
                .any(|s| s
                    .contains("unknown key `phrase` in a [[concept]] (did you mean `phrases`?)")),
            "{m:?}"
        );
    }

    #[test]
    fn missing_question_and_concepts() {
        let m = messages("kind = \"technical\"\n");
        assert!(
            m.iter()
                .any(|s| s.contains("missing required key `question`")),
            "{m:?}"
        );
        assert!(
            m.iter().any(|s| s.contains("has no `[[concept]]`")),
            "{m:?}"
        );
    }

    #[test]
    fn bad_kind() {
        let m = messages(&format!("kind = \"tech\"\n{OK}"));
        assert!(
            m[0].contains("expected \"technical\" or \"behavioral\""),
            "{m:?}"
        );
    }

    #[test]
    fn phrase_gap_suffix() {
        assert_eq!(parse_phrase("a b~0").unwrap(), ("a b".into(), 0));
        assert_eq!(parse_phrase("x~y").unwrap(), ("x~y".into(), DEFAULT_GAP));
        assert!(parse_phrase("a~99").is_err());
    }
}
