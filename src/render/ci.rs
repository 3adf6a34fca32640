//! Renderers for CI systems and pull requests: brief lines, JUnit XML,
//! GitHub workflow commands, SARIF 2.1.0 and Markdown.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, Report as JUnitReport, TestCase, TestCaseStatus, TestSuite};
use serde_json::json;

use super::fmt_num;
use crate::report::guide::hint as hint_of;
use crate::report::Report;
use crate::scoring::result::AnswerReport;
use crate::scoring::score::Scored;

fn verdict(r: &AnswerReport) -> &'static str {
    if r.fails() {
        "FAIL"
    } else {
        "PASS"
    }
}

/// The score as shown in CI formats: the reviewer's beside the automatic one.
fn score_text(r: &AnswerReport, s: &Scored) -> String {
    match &r.review {
        Some(v) => format!("{} (reviewer: {})", fmt_num(s.score), fmt_num(v.score)),
        None => fmt_num(s.score),
    }
}

fn missing(s: &Scored) -> impl Iterator<Item = &crate::scoring::score::ConceptResult> {
    s.concepts.iter().filter(|c| !c.matched && !c.ignored)
}

/// One grep-friendly line per answer and per missing point:
/// `path:line: rubric/concept: message`.
pub fn brief(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.results {
        let Some(s) = &r.scored else {
            let error = r.error.as_deref().unwrap_or("");
            // Messages name the file already; do not say it twice.
            let error = error
                .strip_prefix(r.answer.as_str())
                .map_or(error, |e| e.trim_start_matches([':', ' ']));
            let _ = writeln!(out, "{}:1: error: {error}", r.answer);
            continue;
        };
        let why = if r.failures.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.failures.join("; "))
        };
        let _ = writeln!(
            out,
            "{}:1: {}: score {} {}{why}",
            r.answer,
            s.rubric,
            score_text(r, s),
            verdict(r)
        );
        for c in missing(s) {
            let req = if c.required { "required, " } else { "" };
            let _ = writeln!(
                out,
                "{}:1: {}/{}: missing ({req}weight {}): {} — {}",
                r.answer,
                s.rubric,
                c.id,
                fmt_num(c.weight),
                c.label,
                hint_of(c)
            );
        }
        for f in &s.red_flags {
            let line = f.evidence.first().map_or(1, |e| e.line);
            let _ = writeln!(
                out,
                "{}:{line}: {}/{}: red flag (−{}): {}",
                r.answer,
                s.rubric,
                f.id,
                fmt_num(f.penalty),
                f.label
            );
        }
        if let Some(star) = &s.star {
            for f in &star.findings {
                let advice = crate::analysis::star::Finding::parse(f).map_or("", |f| f.advice());
                let _ = writeln!(out, "{}:1: {}/star: {f}: {advice}", r.answer, s.rubric);
            }
        }
    }
    out
}

/// JUnit XML: one testsuite per rubric, one testcase per answer; a failing
/// answer's failure lists its missing points with hints.
pub fn junit(report: &Report) -> String {
    let mut suites: BTreeMap<String, Vec<&AnswerReport>> = BTreeMap::new();
    for r in &report.results {
        let key = r
            .scored
            .as_ref()
            .map_or_else(|| "(unscored)".to_string(), |s| s.rubric.clone());
        suites.entry(key).or_default().push(r);
    }
    let mut junit = JUnitReport::new("rubric");
    for (rubric, answers) in suites {
        let mut suite = TestSuite::new(rubric.clone());
        for r in answers {
            let status = match (&r.scored, &r.error) {
                (_, Some(e)) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Error);
                    st.set_message(e.clone()).set_type("input");
                    st
                }
                (Some(s), None) if r.fails() => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let mut description = String::new();
                    for c in missing(s) {
                        let req = if c.required { " (required)" } else { "" };
                        let _ = writeln!(description, "- {}{req}: {}", c.label, hint_of(c));
                    }
                    for f in &s.red_flags {
                        let _ = writeln!(description, "- red flag: {}", f.label);
                    }
                    st.set_message(format!(
                        "score {} / 100: {}",
                        score_text(r, s),
                        r.failures.join("; ")
                    ))
                    .set_type("rubric")
                    .set_description(description);
                    st
                }
                _ => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(r.answer.clone(), status);
            case.set_classname(rubric.clone());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    let mut xml = junit.to_string().expect("JUnit XML serializes");
    if !xml.ends_with('\n') {
        xml.push('\n');
    }
    xml
}

/// Escapes data for a GitHub workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value for a GitHub workflow command.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub workflow commands: `::error` for failing answers and their missing
/// points, `::warning` for missing points of passing answers and red flags.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.results {
        let file = gh_property(&r.answer);
        let Some(s) = &r.scored else {
            let _ = writeln!(
                out,
                "::error file={file},line=1,title=rubric::{}",
                gh_data(r.error.as_deref().unwrap_or(""))
            );
            continue;
        };
        let level = if r.fails() { "error" } else { "warning" };
        if r.fails() {
            let _ = writeln!(
                out,
                "::error file={file},line=1,title={}::{}",
                gh_property(&format!("{}: score {}", s.rubric, score_text(r, s))),
                gh_data(&r.failures.join("; "))
            );
        }
        for c in missing(s) {
            let _ = writeln!(
                out,
                "::{level} file={file},line=1,title={}::{}",
                gh_property(&format!("{}/{}", s.rubric, c.id)),
                gh_data(&format!("Missing: {}. {}", c.label, hint_of(c)))
            );
        }
        for f in &s.red_flags {
            let line = f.evidence.first().map_or(1, |e| e.line);
            let _ = writeln!(
                out,
                "::warning file={file},line={line},title={}::{}",
                gh_property(&format!("{}/{}", s.rubric, f.id)),
                gh_data(&format!("Red flag: {}", f.label))
            );
        }
    }
    out
}

/// SARIF 2.1.0: one rule per concept (id `rubric/concept`) and per rubric
/// score, results with the answer file as location.
pub fn sarif(report: &Report) -> String {
    // rule id → (name, short description, help)
    let mut rules: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for r in &report.results {
        let Some(s) = &r.scored else { continue };
        rules.insert(
            format!("{}/score", s.rubric),
            (
                "score".into(),
                format!("Answer scores at least the pass mark of `{}`", s.rubric),
                s.question.clone(),
            ),
        );
        for c in &s.concepts {
            rules.insert(
                format!("{}/{}", s.rubric, c.id),
                (c.id.clone(), c.label.clone(), hint_of(c)),
            );
        }
        for f in &s.red_flags {
            rules.insert(
                format!("{}/{}", s.rubric, f.id),
                (
                    f.id.clone(),
                    f.label.clone(),
                    f.hint.clone().unwrap_or_default(),
                ),
            );
        }
    }
    let index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let location = |file: &str, line: usize| {
        json!([{ "physicalLocation": {
            "artifactLocation": { "uri": file.replace('\\', "/") },
            "region": { "startLine": line }
        }}])
    };
    let mut results = Vec::new();
    for r in &report.results {
        let Some(s) = &r.scored else { continue };
        let level = if r.fails() { "error" } else { "warning" };
        if r.fails() {
            let id = format!("{}/score", s.rubric);
            results.push(json!({
                "ruleId": id, "ruleIndex": index[id.as_str()], "level": "error",
                "message": { "text": format!("Score {} / 100: {}", score_text(r, s), r.failures.join("; ")) },
                "locations": location(&r.answer, 1),
            }));
        }
        for c in missing(s) {
            let id = format!("{}/{}", s.rubric, c.id);
            results.push(json!({
                "ruleId": id, "ruleIndex": index[id.as_str()], "level": level,
                "message": { "text": format!("Missing: {}. {}", c.label, hint_of(c)) },
                "locations": location(&r.answer, 1),
            }));
        }
        for f in &s.red_flags {
            let id = format!("{}/{}", s.rubric, f.id);
            let line = f.evidence.first().map_or(1, |e| e.line);
            results.push(json!({
                "ruleId": id, "ruleIndex": index[id.as_str()], "level": "warning",
                "message": { "text": format!("Red flag: {}", f.label) },
                "locations": location(&r.answer, line),
            }));
        }
    }
    let rules: Vec<_> = rules
        .into_iter()
        .map(|(id, (name, short, help))| {
            json!({ "id": id, "name": name, "shortDescription": { "text": short }, "help": { "text": help } })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "rubric",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    });
    super::json(&doc)
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown report for a pull request: a summary table, then the missing
/// points of each failing answer with hints.
pub fn markdown(report: &Report) -> String {
    let s = &report.summary;
    let mut out = format!(
        "## rubric: {}{}\n\n",
        super::run_counts(s),
        s.mean_score
            .map(|m| format!(" (mean score {})", fmt_num(m)))
            .unwrap_or_default()
    );
    out.push_str(
        "| Answer | Rubric | Score | Result | Missing |\n| --- | --- | ---: | --- | ---: |\n",
    );
    for r in &report.results {
        match &r.scored {
            Some(sc) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    md_cell(&r.answer),
                    sc.rubric,
                    score_text(r, sc),
                    if r.fails() { "❌ fail" } else { "✅ pass" },
                    sc.missing.len()
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "| {} | — | — | ⚠️ error | {} |",
                    md_cell(&r.answer),
                    md_cell(r.error.as_deref().unwrap_or(""))
                );
            }
        }
    }
    for r in report.results.iter().filter(|r| r.fails()) {
        let Some(sc) = &r.scored else { continue };
        let _ = writeln!(out, "\n### {} — {}\n", md_cell(&r.answer), sc.rubric);
        let _ = writeln!(out, "{}\n", md_cell(&r.failures.join("; ")));
        for c in missing(sc) {
            let req = if c.required { " **(required)**" } else { "" };
            let _ = writeln!(
                out,
                "- {}{req}: {}",
                md_cell(&c.label),
                md_cell(&hint_of(c))
            );
        }
        for f in &sc.red_flags {
            let _ = writeln!(out, "- 🚩 {}", md_cell(&f.label));
        }
    }
    out
}
