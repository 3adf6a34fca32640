//! SARIF 2.1.0, for code-scanning tools.

use std::collections::BTreeMap;

use serde_json::json;

use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::Report;

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
