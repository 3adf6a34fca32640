//! What the bank commands report: the rubrics of `rubric list` and the hits
//! of `rubric search`, as their JSON documents.

use serde::Serialize;

use crate::analysis::index::SearchHit;
use crate::model::rubric::Rubric;

/// One rubric of `rubric list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricRow {
    pub id: String,
    pub kind: &'static str,
    pub question: String,
    pub concepts: usize,
    pub tags: Vec<String>,
    pub source: Option<String>,
    /// The source as a person reads it: "seed 000 · question 2".
    pub source_label: Option<String>,
    pub path: String,
}

/// `rubric list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listing {
    pub schema: u32,
    pub rubrics: Vec<RubricRow>,
}

impl Listing {
    pub fn new(rubrics: &[Rubric]) -> Self {
        let rubrics = rubrics
            .iter()
            .map(|r| RubricRow {
                id: r.id.clone(),
                kind: r.kind.as_str(),
                question: r.question.clone(),
                concepts: r.concepts.len(),
                tags: r.tags.clone(),
                source: r.source.clone(),
                source_label: r.source.as_deref().map(readable_source),
                path: r.path.display().to_string(),
            })
            .collect();
        Listing { schema: 1, rubrics }
    }
}

/// `rubric search`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub schema: u32,
    pub query: String,
    pub hits: Vec<SearchHit>,
}

/// A rubric's source as a person reads it: `000_bf5bbdffecf1b6bc.txt#2`
/// (seed file 000, question 2) becomes "seed 000 · question 2"; any other
/// source is shown as written.
pub fn readable_source(source: &str) -> String {
    let (file, number) = match source.rsplit_once('#') {
        Some((f, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => (f, Some(n)),
        _ => (source, None),
    };
    let seed = file
        .split_once('_')
        .map(|(seed, _)| seed)
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()));
    match (seed, number) {
        (Some(seed), Some(n)) => format!("seed {seed} · question {n}"),
        (Some(seed), None) => format!("seed {seed}"),
        _ => source.to_string(),
    }
}

/// One concept of `rubric show`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownConcept {
    pub id: String,
    pub label: String,
    pub weight: f64,
    pub required: bool,
    pub hint: Option<String>,
}

/// `rubric show`: one rubric as a person reads it. In guide mode only the
/// question and the coaching questions, nothing that names a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub schema: u32,
    pub id: String,
    pub kind: &'static str,
    pub question: String,
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub guide: bool,
    /// Empty in guide mode.
    pub concepts: Vec<ShownConcept>,
    pub red_flags: Vec<ShownConcept>,
    /// Guide mode: one coaching question per concept.
    pub coaching: Vec<String>,
}

impl Shown {
    pub fn new(r: &Rubric, guide: bool) -> Self {
        let concepts = r
            .concepts
            .iter()
            .map(|c| ShownConcept {
                id: c.id.clone(),
                label: c.label.clone(),
                weight: c.weight,
                required: c.required,
                hint: c.hint.clone(),
            })
            .collect();
        let red_flags = r
            .red_flags
            .iter()
            .map(|f| ShownConcept {
                id: f.id.clone(),
                label: f.label.clone(),
                weight: -f.penalty,
                required: false,
                hint: f.hint.clone(),
            })
            .collect();
        let coaching = r
            .concepts
            .iter()
            .map(|c| {
                c.question_hint
                    .clone()
                    .unwrap_or_else(|| crate::report::guide::GENERIC_QUESTION.to_string())
            })
            .collect::<Vec<_>>();
        Shown {
            schema: 1,
            id: r.id.clone(),
            kind: r.kind.as_str(),
            question: r.question.clone(),
            tags: r.tags.clone(),
            source: r.source.as_deref().map(readable_source),
            guide,
            concepts: if guide { Vec::new() } else { concepts },
            red_flags: if guide { Vec::new() } else { red_flags },
            coaching: if guide { dedup(coaching) } else { Vec::new() },
        }
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_read_as_seed_and_question() {
        assert_eq!(
            readable_source("000_bf5bbdffecf1b6bc.txt#2"),
            "seed 000 · question 2"
        );
        assert_eq!(readable_source("003_dc1f6dedfcb2d760.txt"), "seed 003");
        assert_eq!(readable_source("my notes"), "my notes");
    }
}
