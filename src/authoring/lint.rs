//! `rubric lint`: everything the loader rejects (errors), plus warnings about
//! rubrics that load but will score badly.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::text::Analyzer;
use crate::model::diag::{Diagnostic, Severity};
use crate::model::rubric::{Kind, Phrase, Pos, Rubric};
use crate::model::words::{COMMON_WORDS, STOP_WORDS};

/// The outcome of linting a set of rubric files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintReport {
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl LintReport {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// 2 when a rubric does not load, 1 when there are warnings, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.errors() > 0 {
            crate::report::exit::BAD_INPUT
        } else if self.warnings() > 0 {
            crate::report::exit::FAIL
        } else {
            crate::report::exit::PASS
        }
    }
}

impl serde::Serialize for LintReport {
    /// `rubric lint --format json`: the counts, then every diagnostic.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("LintReport", 5)?;
        st.serialize_field("schema", &1)?;
        st.serialize_field("files", &self.files)?;
        st.serialize_field("errors", &self.errors())?;
        st.serialize_field("warnings", &self.warnings())?;
        st.serialize_field("diagnostics", &self.diagnostics)?;
        st.end()
    }
}

/// Lints the rubric files under `paths` (directories or files); with no
/// path, the shipped bank. A directory that cannot be read is an error.
pub fn lint_paths(paths: &[std::path::PathBuf]) -> Result<LintReport, Diagnostic> {
    let mut walk_problems = Vec::new();
    let loaded = if paths.is_empty() {
        crate::model::bank::BUILTIN
            .iter()
            .map(|(path, src)| crate::model::rubric::parse(std::path::Path::new(path), src))
            .collect()
    } else {
        let mut loaded = Vec::new();
        for dir in paths {
            let (files, problems) = crate::model::bank::rubric_files(dir)?;
            walk_problems.extend(problems);
            loaded.extend(files.iter().map(|f| crate::model::rubric::load(f)));
        }
        loaded
    };
    let mut report = lint_loaded(loaded);
    if !walk_problems.is_empty() {
        report.diagnostics.extend(walk_problems);
        report.diagnostics.sort();
    }
    Ok(report)
}

/// Lints loaded (or failed) rubric files: loader errors, duplicate ids, warnings.
pub fn lint_loaded(loaded: Vec<Result<Rubric, crate::model::rubric::RubricError>>) -> LintReport {
    let files = loaded.len();
    let mut diagnostics = Vec::new();
    let mut rubrics = Vec::new();
    for l in loaded {
        match l {
            Ok(r) => rubrics.push(r),
            Err(e) => diagnostics.extend(e.diagnostics.0),
        }
    }
    let mut ids: BTreeMap<&str, &Rubric> = BTreeMap::new();
    for r in &rubrics {
        if let Some(first) = ids.get(r.id.as_str()) {
            diagnostics.push(crate::model::bank::duplicate(r, &first.path));
        } else {
            ids.insert(&r.id, r);
        }
    }
    diagnostics.extend(lint(&rubrics));
    diagnostics.sort();
    LintReport { files, diagnostics }
}

fn warn(r: &Rubric, pos: Pos, message: String) -> Diagnostic {
    Diagnostic {
        path: r.path.clone(),
        line: pos.line.max(1),
        column: pos.column.max(1),
        severity: Severity::Warning,
        message,
    }
}

fn stems(analyzer: &mut Analyzer, text: &str) -> Vec<String> {
    analyzer
        .words(text)
        .into_iter()
        .map(|w| w.stem().to_string())
        .collect()
}

fn stem_set(analyzer: &mut Analyzer, list: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = list.iter().flat_map(|w| stems(analyzer, w)).collect();
    out.sort();
    out.dedup();
    out
}

/// Two rubrics overlap heavily when, on average over the two, at least this
/// share of their concepts are the same point as a concept of the other.
pub const OVERLAP_SHARE: f64 = 0.7;

/// How much two rubrics of a bank overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    pub a: usize,
    pub b: usize,
    /// Concepts of `a` and of `b` that share an analyzed phrase with a
    /// concept of the other.
    pub shared_a: usize,
    pub shared_b: usize,
    /// The mean of the two shares (0..1).
    pub share: f64,
    /// Up to three phrases both rubrics use.
    pub phrases: Vec<String>,
}

/// Every pair of rubrics that share at least one phrase, with how much.
pub fn overlaps(rubrics: &[Rubric], analyzer: &mut Analyzer) -> Vec<Overlap> {
    // Per rubric, per concept, its phrases as analyzed stems joined.
    let phrase_sets: Vec<Vec<BTreeSet<String>>> = rubrics
        .iter()
        .map(|r| {
            r.concepts
                .iter()
                .map(|c| {
                    c.phrases
                        .iter()
                        .map(|p| stems(analyzer, &p.text).join(" "))
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for a in 0..rubrics.len() {
        for b in a + 1..rubrics.len() {
            let all = |i: usize| -> BTreeSet<&String> { phrase_sets[i].iter().flatten().collect() };
            let (all_a, all_b) = (all(a), all(b));
            let common: Vec<&String> = all_a.intersection(&all_b).copied().collect();
            if common.is_empty() {
                continue;
            }
            // A concept of one is the same point as a concept of the other
            // when they share two phrases, or half the smaller phrase list.
            let same = |x: &BTreeSet<String>, y: &BTreeSet<String>| {
                let n = x.intersection(y).count();
                n >= 2 || (n >= 1 && 2 * n >= x.len().min(y.len()))
            };
            let shared = |i: usize, j: usize| {
                phrase_sets[i]
                    .iter()
                    .filter(|c| phrase_sets[j].iter().any(|d| same(c, d)))
                    .count()
            };
            let (shared_a, shared_b) = (shared(a, b), shared(b, a));
            let share = (shared_a as f64 / phrase_sets[a].len().max(1) as f64
                + shared_b as f64 / phrase_sets[b].len().max(1) as f64)
                / 2.0;
            out.push(Overlap {
                a,
                b,
                shared_a,
                shared_b,
                share,
                phrases: common.iter().take(3).map(|s| s.to_string()).collect(),
            });
        }
    }
    out
}

/// Warnings for loaded rubrics. Errors come from the loader itself.
pub fn lint(rubrics: &[Rubric]) -> Vec<Diagnostic> {
    let mut analyzer = Analyzer::new();
    let stop = stem_set(&mut analyzer, STOP_WORDS);
    let common = stem_set(&mut analyzer, COMMON_WORDS);
    let mut out = Vec::new();
    for r in rubrics {
        lint_rubric(r, &mut analyzer, &stop, &common, &mut out);
    }

    let mut questions: BTreeMap<String, &Rubric> = BTreeMap::new();
    for r in rubrics {
        let key: String = r
            .question
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if let Some(first) = questions.get(&key) {
            out.push(warn(
                r,
                r.pos_question,
                format!(
                    "same question as `{}` ({}): merge them or reword one",
                    first.id,
                    first.path.display()
                ),
            ));
        } else {
            questions.insert(key, r);
        }
    }
    overlap_warnings(rubrics, &mut analyzer, &mut out);
    out.sort();
    out
}

/// Heavy overlaps between rubrics not declared siblings, and siblings that
/// are in neither the linted rubrics nor the shipped bank.
fn overlap_warnings(rubrics: &[Rubric], analyzer: &mut Analyzer, out: &mut Vec<Diagnostic>) {
    let declared =
        |a: &Rubric, b: &Rubric| a.siblings.contains(&b.id) || b.siblings.contains(&a.id);
    for o in overlaps(rubrics, analyzer) {
        let (a, b) = (&rubrics[o.a], &rubrics[o.b]);
        if o.share >= OVERLAP_SHARE && !declared(a, b) {
            out.push(warn(
                a,
                a.pos_question,
                format!(
                    "overlaps heavily with `{}` ({}): {} of its {} concepts and {} of their {} \
                     are the same points (phrases such as {}); if both ask the same question, \
                     declare `siblings = [\"{}\"]`, else make them distinct",
                    b.id,
                    b.path.display(),
                    o.shared_a,
                    a.concepts.len(),
                    o.shared_b,
                    b.concepts.len(),
                    o.phrases
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    b.id
                ),
            ));
        }
    }
    // The shipped bank is parsed only when a sibling is not among the
    // linted rubrics (a user's rubric naming a shipped one).
    let builtin = std::cell::OnceCell::new();
    for r in rubrics {
        for s in &r.siblings {
            let known = rubrics.iter().any(|x| &x.id == s)
                || builtin
                    .get_or_init(|| crate::model::bank::Bank::builtin().ok())
                    .as_ref()
                    .is_some_and(|b| b.get(s).is_some());
            if !known || s == &r.id {
                out.push(warn(
                    r,
                    r.pos_question,
                    format!("sibling `{s}` is not another rubric of the bank"),
                ));
            }
        }
    }
}

fn lint_rubric(
    r: &Rubric,
    analyzer: &mut Analyzer,
    stop: &[String],
    common: &[String],
    out: &mut Vec<Diagnostic>,
) {
    // Patterns are compiled on first use when scoring; here, all of them.
    let patterns = r
        .concepts
        .iter()
        .flat_map(|c| &c.patterns)
        .chain(r.red_flags.iter().flat_map(|f| &f.patterns));
    for p in patterns {
        if let Some(e) = p.regex.compile_error() {
            let first = e.lines().last().unwrap_or("").trim().to_string();
            out.push(warn(
                r,
                p.pos,
                format!(
                    "pattern `{}` does not compile ({first}): it never matches; use fewer or shorter repetitions",
                    p.source
                ),
            ));
        }
    }
    // Phrase (as analyzed) → the concept that lists it first.
    let mut owners: BTreeMap<Vec<String>, &str> = BTreeMap::new();
    for c in &r.concepts {
        if c.hint.as_deref().is_none_or(|h| h.trim().is_empty()) {
            out.push(warn(
                r,
                c.pos,
                format!("concept `{}` has no hint: say how to cover the point", c.id),
            ));
        }
        let mut seen_here: Vec<Vec<String>> = Vec::new();
        let entries: Vec<(&Phrase, &str)> = c
            .phrases
            .iter()
            .map(|p| (p, "phrase"))
            .chain(c.sounds_like.iter().map(|p| (p, "sounds_like")))
            .collect();
        for (p, kind) in &entries {
            let s = stems(analyzer, &p.text);
            if s.is_empty() {
                out.push(warn(
                    r,
                    p.pos,
                    format!(
                        "{kind} `{}` has no words after analysis: it can never match",
                        p.text
                    ),
                ));
                continue;
            }
            if s.iter().all(|w| stop.contains(w)) {
                out.push(warn(
                    r,
                    p.pos,
                    format!(
                        "{kind} `{}` is only stop-words: it matches almost any answer",
                        p.text
                    ),
                ));
            }
            if seen_here.contains(&s) {
                // A repeated phrase is harmless (the matcher counts it once),
                // but a sounds-like entry that is already a phrase is a mistake.
                if *kind == "sounds_like" {
                    out.push(warn(
                        r,
                        p.pos,
                        format!(
                            "sounds_like `{}` of concept `{}` reads the same as one of its phrases: list how it is misheard instead",
                            p.text, c.id
                        ),
                    ));
                }
                continue;
            }
            seen_here.push(s.clone());
            match owners.get(&s) {
                Some(owner) if *owner != c.id => out.push(warn(
                    r,
                    p.pos,
                    format!(
                        "{kind} `{}` of concept `{}` is also listed under concept `{owner}`",
                        p.text, c.id
                    ),
                )),
                _ => {
                    owners.insert(s, &c.id);
                }
            }
        }
        let single_common = c.patterns.is_empty()
            && !c.phrases.is_empty()
            && c.phrases.iter().all(|p| {
                let s = stems(analyzer, &p.text);
                s.len() == 1 && (common.contains(&s[0]) || stop.contains(&s[0]))
            });
        if single_common {
            out.push(warn(
                r,
                c.pos,
                format!(
                    "concept `{}` rests only on common words ({}): almost any answer matches it",
                    c.id,
                    c.phrases
                        .iter()
                        .map(|p| p.text.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    for f in &r.red_flags {
        if f.hint.as_deref().is_none_or(|h| h.trim().is_empty()) {
            out.push(warn(
                r,
                f.pos,
                format!("red flag `{}` has no hint: say what to do instead", f.id),
            ));
        }
        for p in &f.phrases {
            let s = stems(analyzer, &p.text);
            if let Some(owner) = owners.get(&s) {
                out.push(warn(
                    r,
                    p.pos,
                    format!(
                        "red-flag phrase `{}` is also a phrase of concept `{owner}`",
                        p.text
                    ),
                ));
            }
        }
    }
    if r.kind == Kind::Technical && r.star_weight.is_some() {
        out.push(warn(
            r,
            r.pos_question,
            "a [star] table has no effect on a technical rubric".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rubric::parse;
    use std::path::Path;

    fn warnings(src: &str) -> Vec<String> {
        let r = parse(Path::new("w.toml"), src).unwrap();
        lint(&[r]).into_iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn clean_rubric_has_no_warnings() {
        let w = warnings(
            "question = \"Q\"\n[[concept]]\nid = \"a\"\nphrases = [\"jitter\"]\nhint = \"h\"\n",
        );
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn each_warning_kind() {
        let src = r#"question = "Q"
[[concept]]
id = "a"
phrases = ["retry with jitter", "the of"]
[[concept]]
id = "b"
phrases = ["retries with jitter", "data", "!!!"]
hint = "h"
[[concept]]
id = "c"
phrases = ["database"]
hint = "h"
[[red_flag]]
id = "f"
phrases = ["database"]
"#;
        let w = warnings(src).join("\n");
        assert!(
            w.contains("w.toml:3:6: warning: concept `a` has no hint"),
            "{w}"
        );
        assert!(
            w.contains("w.toml:4:33: warning: phrase `the of` is only stop-words"),
            "{w}"
        );
        assert!(w.contains("w.toml:7:12: warning: phrase `retries with jitter` of concept `b` is also listed under concept `a`"), "{w}");
        assert!(
            w.contains("phrase `!!!` has no words after analysis"),
            "{w}"
        );
        assert!(
            w.contains("concept `c` rests only on common words (database)"),
            "{w}"
        );
        assert!(w.contains("red flag `f` has no hint"), "{w}");
        assert!(
            w.contains("red-flag phrase `database` is also a phrase of concept `c`"),
            "{w}"
        );
    }

    #[test]
    fn sounds_like_that_is_a_phrase() {
        let w = warnings("question = \"Q\"\n[[concept]]\nid = \"k\"\nphrases = [\"kubernetes\"]\nsounds_like = [\"Kubernetes\", \"cooper netties\"]\nhint = \"h\"\n");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains(
            "sounds_like `Kubernetes` of concept `k` reads the same as one of its phrases"
        ));
    }

    #[test]
    fn heavy_overlap_warns_unless_siblings() {
        let body = "[[concept]]\nid = \"a\"\nphrases = [\"jitter\", \"backoff\"]\nhint = \"h\"\n\
                    [[concept]]\nid = \"b\"\nphrases = [\"circuit breaker\"]\nhint = \"h\"\n";
        let a = parse(
            Path::new("a.toml"),
            &format!("question = \"Retries?\"\n{body}"),
        )
        .unwrap();
        let b = parse(
            Path::new("b.toml"),
            &format!("question = \"Failures?\"\n{body}"),
        )
        .unwrap();
        let w = lint(&[a.clone(), b.clone()]);
        assert_eq!(w.len(), 1, "{w:?}");
        let msg = w[0].to_string();
        assert!(msg.starts_with("a.toml:1:"), "{msg}");
        assert!(
            msg.contains(
                "overlaps heavily with `b` (b.toml): 2 of its 2 concepts and 2 of their 2"
            ),
            "{msg}"
        );
        let a = parse(
            Path::new("a.toml"),
            &format!("question = \"Retries?\"\nsiblings = [\"b\"]\n{body}"),
        )
        .unwrap();
        assert!(lint(&[a, b]).is_empty());
    }

    #[test]
    fn unknown_sibling_warns() {
        let a = parse(Path::new("a.toml"), "question = \"Q?\"\nsiblings = [\"nope\"]\n[[concept]]\nid = \"a\"\nphrases = [\"jitter\"]\nhint = \"h\"\n").unwrap();
        let w = lint(&[a]);
        assert_eq!(w.len(), 1);
        assert!(w[0]
            .to_string()
            .contains("sibling `nope` is not another rubric of the bank"));
    }

    #[test]
    fn shipped_bank_overlaps_are_declared() {
        let bank = crate::model::bank::Bank::builtin().unwrap();
        let heavy: Vec<String> = overlaps(bank.rubrics(), &mut Analyzer::new())
            .into_iter()
            .filter(|o| o.share >= OVERLAP_SHARE)
            .map(|o| format!("{} {}", bank.rubrics()[o.a].id, bank.rubrics()[o.b].id))
            .collect();
        assert!(!heavy.is_empty());
        for pair in heavy {
            let (a, b) = pair.split_once(' ').unwrap();
            assert!(
                bank.get(a).unwrap().siblings.iter().any(|s| s == b),
                "{pair}"
            );
        }
    }

    #[test]
    fn same_question_twice() {
        let a = parse(Path::new("a.toml"), "question = \"What is X?\"\n[[concept]]\nid = \"a\"\nphrases = [\"jitter\"]\nhint = \"h\"\n").unwrap();
        let b = parse(Path::new("b.toml"), "question = \"what is x\"\n[[concept]]\nid = \"a\"\nphrases = [\"jitter\"]\nhint = \"h\"\n").unwrap();
        let w: Vec<String> = lint(&[a, b])
            .iter()
            .map(ToString::to_string)
            .filter(|w| w.contains("same question as `a`"))
            .collect();
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn a_pattern_too_large_to_compile_is_named() {
        // Valid syntax (accepted when read), but its compiled form exceeds
        // the 1 MiB size limit: scoring skips it, lint names it.
        let a = parse(Path::new("a.toml"), "question = \"Q?\"\n[[concept]]\nid = \"a\"\nphrases = [\"jitter\"]\npatterns = [\"\\\\w{500}\\\\w{500}\"]\nhint = \"h\"\n").unwrap();
        let w: Vec<String> = lint(&[a]).iter().map(ToString::to_string).collect();
        assert!(
            w.iter()
                .any(|w| w.contains("does not compile") && w.contains("never matches")),
            "{w:?}"
        );
    }
}
