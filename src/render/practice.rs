//! The text of `rubric practice`: the question, the feedback on an attempt
//! (the answer table, guide mode unless revealed), the trend over saved
//! attempts, and the menu.

use std::fmt::Write as _;

use super::{fmt_num, Style};
use crate::model::rubric::Rubric;
use crate::report::coach::Trend;
use crate::report::Report;

/// The question, with its place in the session.
pub fn question(r: &Rubric, n: usize, total: usize) -> String {
    let tags = if r.tags.is_empty() {
        String::new()
    } else {
        format!(" · {}", r.tags.join(", "))
    };
    format!(
        "\nQuestion {n} of {total} — {} ({}{tags})\n\n  {}\n\n",
        r.id,
        r.kind.as_str(),
        r.question
    )
}

/// How to give the answer.
pub fn typing_prompt() -> &'static str {
    "Type or paste your answer; end it with a line holding a single `.` (Ctrl-D quits).\n"
}

/// The feedback on one attempt: the answer table of `rubric score`.
pub fn feedback(report: &Report, style: &Style) -> String {
    super::table(report, style)
}

/// The trend over saved attempts at the question: one line per attempt
/// with its date, score and a bar, then what changed since the last one.
pub fn trend(t: Option<&Trend>, latest: f64) -> String {
    let Some(t) = t else {
        return format!(
            "Trend: first saved attempt, score {}. Attempts to come are compared with it.\n",
            fmt_num(latest)
        );
    };
    let mut out = String::from("Trend (saved attempts at this question):\n");
    for a in &t.attempts {
        let bar = "█".repeat((a.score / 5.0).round() as usize);
        let _ = writeln!(out, "  {}  {:>5}  {bar}", a.date, fmt_num(a.score));
    }
    if let [.., prev, last] = t.attempts.as_slice() {
        let delta = ((last.score - prev.score) * 10.0).round() / 10.0;
        let sign = if delta >= 0.0 { "+" } else { "−" };
        let _ = write!(
            out,
            "  {sign}{} since the last attempt",
            fmt_num(delta.abs())
        );
        if !last.newly_covered.is_empty() {
            let _ = write!(out, "; newly covered: {}", last.newly_covered.join(", "));
        }
        if !last.dropped.is_empty() {
            let _ = write!(out, "; dropped: {}", last.dropped.join(", "));
        }
        out.push('\n');
    }
    out
}

/// The hints to give one at a time: the coaching questions of the points
/// the last attempt missed, or before an attempt the rubric's.
pub fn hints(guided: Option<&Report>, rubric: &Rubric) -> Vec<String> {
    match guided.and_then(|r| r.results.first()?.scored.as_ref()) {
        Some(s) => super::missing(s).map(crate::report::guide::hint).collect(),
        None => rubric
            .concepts
            .iter()
            .filter_map(|c| c.question_hint.clone())
            .collect(),
    }
}

/// The choices after an attempt (or an empty one).
pub fn menu(attempted: bool) -> &'static str {
    if attempted {
        "[r]etry · [n]ext · [h]int · re[v]eal · [q]uit > "
    } else {
        "[r]etry · [n]ext · [h]int · [q]uit > "
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::coach::Attempt;

    #[test]
    fn trend_lists_attempts_and_the_change() {
        let attempt = |date: &str, score: f64, new: &[&str]| Attempt {
            date: date.into(),
            answer: String::new(),
            score,
            newly_covered: new.iter().map(|s| s.to_string()).collect(),
            dropped: Vec::new(),
        };
        let t = Trend {
            person: "me".into(),
            rubric: "q".into(),
            attempts: vec![
                attempt("2026-03-01", 40.0, &[]),
                attempt("2026-03-02", 55.0, &["algorithms"]),
            ],
        };
        let text = trend(Some(&t), 55.0);
        assert!(text.contains("2026-03-01     40  ████████\n"), "{text}");
        assert!(text.contains("+15 since the last attempt; newly covered: algorithms"));
    }
}
