//! Views for coaches and for progress over time: the cohort (candidates ×
//! questions), the concepts a cohort keeps missing, and each person's trend
//! over dated attempts at a question.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::report::Report;
use crate::scoring::result::AnswerReport;

/// What `rubric report` shows: the report, the cohort table when answers
/// come from a cohort folder, and progress over dated attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coached {
    pub schema: u32,
    #[serde(skip)]
    pub report: Report,
    pub summary: crate::report::Summary,
    pub cohort: Option<Cohort>,
    pub progress: Vec<Trend>,
}

impl Coached {
    /// The views of a report; `root` is the cohort folder (a subfolder per
    /// candidate), when there is one.
    pub fn new(mut report: Report, root: Option<&Path>) -> Self {
        if let Some(root) = root {
            for r in &mut report.results {
                if r.candidate.is_none() {
                    r.candidate = Some(person(r, Some(root)));
                }
            }
        }
        let cohort = root.map(|r| cohort(&report, Some(r)));
        let mut progress = progress(&report, root);
        if report.guide {
            hold_back_dropped(&report, &mut progress);
        }
        Coached {
            schema: 1,
            summary: report.summary.clone(),
            report,
            cohort,
            progress,
        }
    }
}

/// In guide mode a concept dropped since the last attempt is missing now:
/// it goes by its held-back id, its place in the rubric (found in an
/// attempt that covered it).
fn hold_back_dropped(report: &Report, trends: &mut [Trend]) {
    for t in trends.iter_mut() {
        let rubric = t.rubric.clone();
        let position = |id: &str| {
            report
                .results
                .iter()
                .filter_map(|r| r.scored.as_ref())
                .filter(|s| s.rubric == rubric)
                .find_map(|s| s.concepts.iter().position(|c| c.id == id))
        };
        for a in &mut t.attempts {
            for id in &mut a.dropped {
                *id = position(id).map_or_else(
                    || crate::report::guide::HIDDEN_LABEL.to_string(),
                    crate::report::guide::hidden_id,
                );
            }
        }
    }
}

/// The person an answer belongs to: front matter `candidate`, else the
/// first folder of its path below `root`, else "me".
pub fn person(r: &AnswerReport, root: Option<&Path>) -> String {
    if let Some(c) = &r.candidate {
        return c.clone();
    }
    if let Some(root) = root {
        let rel = Path::new(&r.answer)
            .strip_prefix(root)
            .ok()
            .map(Path::to_path_buf);
        if let Some(rel) = rel {
            let mut parts = rel.components();
            let first = parts.next();
            if parts.next().is_some() {
                if let Some(first) = first {
                    return first.as_os_str().to_string_lossy().into_owned();
                }
            }
        }
    }
    "me".to_string()
}

/// The date of an attempt: front matter `date`, else a `YYYY-MM-DD` in the
/// file name.
pub fn date_of(r: &AnswerReport) -> Option<String> {
    if let Some(d) = &r.date {
        return Some(d.chars().take(10).collect());
    }
    let name = Path::new(&r.answer)
        .file_name()?
        .to_string_lossy()
        .into_owned();
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let s = &name[i..i + 10];
        let b = s.as_bytes();
        let ok = b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit());
        ok.then(|| s.to_string())
    })
}

/// An answer's name as an order: attempts saved the same day as
/// `q-2026-03-01.md`, `q-2026-03-01-2.md`, … come in their number's order
/// (`-2` sorts before `.md` as text).
pub fn numbered(answer: &str) -> (&str, u32) {
    let stem = answer.rsplit_once('.').map_or(answer, |(s, _)| s);
    match stem.rsplit_once('-') {
        Some((base, n))
            if n.len() <= 3 && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (base, n.parse().unwrap_or(1))
        }
        _ => (stem, 1),
    }
}

/// One cell of the cohort table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub score: f64,
    pub pass: bool,
    /// The reviewer's score, when one was given.
    pub review: Option<f64>,
    pub answer: String,
}

/// A concept the cohort missed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missed {
    pub rubric: String,
    pub concept: String,
    pub label: String,
    /// Candidates who missed it, of those who answered the question.
    pub missed_by: usize,
    pub answered: usize,
}

/// Candidates × questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    pub candidates: Vec<String>,
    pub questions: Vec<String>,
    /// `cells[candidate][question]`, `None` where a candidate has no answer.
    pub cells: Vec<Vec<Option<Cell>>>,
    /// Most missed first.
    pub most_missed: Vec<Missed>,
}

/// Builds the cohort view; with several attempts at a question, a
/// candidate's latest (by date, then name) counts.
pub fn cohort(report: &Report, root: Option<&Path>) -> Cohort {
    let mut latest: BTreeMap<(String, String), &AnswerReport> = BTreeMap::new();
    for r in &report.results {
        let Some(s) = &r.scored else { continue };
        let key = (person(r, root), s.rubric.clone());
        let newer = latest.get(&key).is_none_or(|old| {
            (date_of(old), numbered(&old.answer)) <= (date_of(r), numbered(&r.answer))
        });
        if newer {
            latest.insert(key, r);
        }
    }
    let candidates: Vec<String> = latest
        .keys()
        .map(|k| k.0.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let questions: Vec<String> = latest
        .keys()
        .map(|k| k.1.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let cells = candidates
        .iter()
        .map(|c| {
            questions
                .iter()
                .map(|q| {
                    latest.get(&(c.clone(), q.clone())).map(|r| {
                        let s = r.scored.as_ref().expect("only scored answers are kept");
                        Cell {
                            score: s.score,
                            pass: !r.fails(),
                            review: r.review.as_ref().map(|v| v.score),
                            answer: r.answer.clone(),
                        }
                    })
                })
                .collect()
        })
        .collect();
    let mut missed: BTreeMap<(String, String), Missed> = BTreeMap::new();
    for r in latest.values() {
        let s = r.scored.as_ref().expect("only scored answers are kept");
        for c in s.concepts.iter().filter(|c| !c.ignored) {
            let m = missed
                .entry((s.rubric.clone(), c.id.clone()))
                .or_insert_with(|| Missed {
                    rubric: s.rubric.clone(),
                    concept: c.id.clone(),
                    label: c.label.clone(),
                    missed_by: 0,
                    answered: 0,
                });
            m.answered += 1;
            m.missed_by += usize::from(!c.matched);
        }
    }
    let mut most_missed: Vec<Missed> = missed.into_values().filter(|m| m.missed_by > 0).collect();
    most_missed.sort_by(|a, b| {
        b.missed_by
            .cmp(&a.missed_by)
            .then_with(|| a.rubric.cmp(&b.rubric))
            .then_with(|| a.concept.cmp(&b.concept))
    });
    Cohort {
        candidates,
        questions,
        cells,
        most_missed,
    }
}

/// One dated attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub date: String,
    pub answer: String,
    pub score: f64,
    /// Concepts covered now and missed in the previous attempt.
    pub newly_covered: Vec<String>,
    /// Concepts missed now and covered in the previous attempt.
    pub dropped: Vec<String>,
}

/// A person's attempts at one question, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub person: String,
    pub rubric: String,
    pub attempts: Vec<Attempt>,
}

/// Trends for every person and question with at least two dated attempts.
pub fn progress(report: &Report, root: Option<&Path>) -> Vec<Trend> {
    let mut groups: BTreeMap<(String, String), Vec<(String, &AnswerReport)>> = BTreeMap::new();
    for r in &report.results {
        let (Some(s), Some(date)) = (&r.scored, date_of(r)) else {
            continue;
        };
        groups
            .entry((person(r, root), s.rubric.clone()))
            .or_default()
            .push((date, r));
    }
    groups
        .into_iter()
        .filter(|(_, v)| v.len() >= 2)
        .map(|((person, rubric), mut attempts)| {
            attempts
                .sort_by(|a, b| (&a.0, numbered(&a.1.answer)).cmp(&(&b.0, numbered(&b.1.answer))));
            let mut previous: Option<BTreeSet<String>> = None;
            let attempts = attempts
                .into_iter()
                .map(|(date, r)| {
                    let s = r.scored.as_ref().expect("scored");
                    let covered: BTreeSet<String> = s
                        .concepts
                        .iter()
                        .filter(|c| c.matched)
                        .map(|c| c.id.clone())
                        .collect();
                    let (newly_covered, dropped) = match &previous {
                        Some(p) => (
                            covered.difference(p).cloned().collect(),
                            p.difference(&covered).cloned().collect(),
                        ),
                        None => (Vec::new(), Vec::new()),
                    };
                    previous = Some(covered);
                    Attempt {
                        date,
                        answer: r.answer.clone(),
                        score: r.review.as_ref().map_or(s.score, |v| v.score),
                        newly_covered,
                        dropped,
                    }
                })
                .collect();
            Trend {
                person,
                rubric,
                attempts,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare(answer: &str, date: Option<&str>, candidate: Option<&str>) -> AnswerReport {
        let mut r = AnswerReport::failed(answer.to_string(), String::new());
        r.error = None;
        r.date = date.map(str::to_string);
        r.candidate = candidate.map(str::to_string);
        r
    }

    #[test]
    fn dates_from_front_matter_or_name() {
        assert_eq!(
            date_of(&bare("a/idempotency-2026-03-01.md", None, None)).as_deref(),
            Some("2026-03-01")
        );
        assert_eq!(
            date_of(&bare("a/x.md", Some("2026-04-02T10:00:00"), None)).as_deref(),
            Some("2026-04-02")
        );
        assert_eq!(date_of(&bare("a/v2-final.md", None, None)), None);
    }

    #[test]
    fn same_day_attempts_keep_their_number_order() {
        let mut names = ["q-2026-03-01-10.md", "q-2026-03-01-2.md", "q-2026-03-01.md"];
        names.sort_by_key(|n| numbered(n));
        assert_eq!(
            names,
            ["q-2026-03-01.md", "q-2026-03-01-2.md", "q-2026-03-01-10.md"]
        );
    }

    #[test]
    fn person_from_front_matter_or_folder() {
        let root = Path::new("cohort");
        assert_eq!(
            person(&bare("cohort/ana/q1.md", None, None), Some(root)),
            "ana"
        );
        assert_eq!(person(&bare("cohort/q1.md", None, None), Some(root)), "me");
        assert_eq!(
            person(&bare("cohort/ana/q1.md", None, Some("Bo")), Some(root)),
            "Bo"
        );
    }
}
