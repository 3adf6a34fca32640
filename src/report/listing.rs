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
