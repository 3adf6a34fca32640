//! Renderers: turn a finished report into text. They only format; the
//! caller decides where the text goes and which exit code the report means.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};
use serde::Serialize;

use crate::index::SearchHit;
use crate::report::{AnswerReport, Report, StarReport};
use crate::score::{Evidence, Scored, StarResult};

/// How human-readable output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
    /// Guide mode: coaching questions instead of the rubric's hints.
    pub guide: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
            guide: false,
        }
    }
}

/// Any report as pretty JSON, with a final newline.
pub fn json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("reports serialize to JSON");
    s.push('\n');
    s
}

/// Streams any report as pretty JSON (the same bytes as [`json`]).
pub fn write_json<T: Serialize>(out: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

fn paint(style: &Style, text: &str, code: &str) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn new_table(style: &Style, header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width);
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(
        header
            .iter()
            .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
    );
    table
}

fn quote(e: &Evidence) -> String {
    let mut s = match e.start {
        Some(t) => format!(
            "“{}” ({}, line {})",
            e.text,
            crate::transcript::mmss(t),
            e.line
        ),
        None => format!("“{}” ({}:{})", e.text, e.line, e.column),
    };
    if e.speech_to_text {
        s.push_str(" [speech-to-text]");
    } else if e.via == Some("sounds_like") {
        s.push_str(" [sounds like]");
    } else if e.fuzzy {
        s.push_str(" [spelling]");
    }
    s
}

fn counts(list: &[crate::delivery::Count]) -> String {
    list.iter()
        .map(|c| format!("{} ×{}", c.text, c.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One paragraph on delivery: pace, fillers, hedges, pauses, repetition.
fn delivery_view(out: &mut String, d: &crate::delivery::Delivery) {
    let mut parts = vec![format!("{} words", d.words)];
    if let Some(secs) = d.duration {
        parts.push(crate::transcript::mmss(secs));
    }
    if let Some(wpm) = d.words_per_minute {
        parts.push(format!("{} words/min", fmt_num(wpm)));
    }
    let per_minute = d
        .fillers
        .per_minute
        .map(|m| format!(", {}/min", fmt_num(m)))
        .unwrap_or_default();
    let mut fillers = format!(
        "fillers {} ({} per 100 words{per_minute}",
        d.fillers.count,
        fmt_num(d.fillers.per_100_words)
    );
    if !d.fillers.most_frequent.is_empty() {
        fillers.push_str(&format!("; {}", counts(&d.fillers.most_frequent)));
    }
    fillers.push(')');
    parts.push(fillers);
    if d.hedges.count > 0 {
        parts.push(format!(
            "hedges {} ({})",
            d.hedges.count,
            counts(&d.hedges.most_frequent)
        ));
    }
    if let Some(p) = d.long_pauses.as_ref().filter(|p| p.count > 0) {
        parts.push(format!(
            "long pauses {} (longest {} s, at {})",
            p.count,
            p.longest.map_or("?".into(), fmt_num),
            p.at.join(", ")
        ));
    }
    if !d.repeated_words.is_empty() {
        parts.push(format!("most repeated: {}", counts(&d.repeated_words)));
    }
    let _ = writeln!(out, "\nDelivery: {}", parts.join(" · "));
    for n in &d.notes {
        let _ = writeln!(out, "  note: {n}");
    }
}

/// Evidence with each sentence once (several phrases may hit one sentence).
fn distinct_sentences(evidence: &[Evidence]) -> impl Iterator<Item = &Evidence> {
    evidence
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            !evidence[..*i]
                .iter()
                .any(|p| p.line == e.line && p.text == e.text)
        })
        .map(|(_, e)| e)
}

/// The totals of a run in one line: "N answers: a passed, b failed, c
/// errors; mean score m".
pub fn summary_line(s: &crate::report::Summary) -> String {
    format!(
        "{} answers: {} passed, {} failed, {} errors; mean score {}",
        s.answers,
        s.passed,
        s.failed,
        s.errors,
        fmt_num(s.mean_score)
    )
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A missing concept's advice: the hint, or in guide mode a coaching question.
pub fn advice(c: &crate::score::ConceptResult, guide: bool) -> String {
    if guide {
        c.question_hint
            .clone()
            .unwrap_or_else(|| derived_question(&c.label))
    } else {
        c.hint.clone().unwrap_or_else(|| c.label.clone())
    }
}

/// A coaching question made from a concept label, for guide mode.
pub fn derived_question(label: &str) -> String {
    let label = label.trim().trim_end_matches('.');
    let mut chars = label.chars();
    let lowered = match chars.next() {
        Some(first) => first.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    };
    format!("What could you add about this point: {lowered}?")
}

/// The human view of a score report.
pub fn table(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    for (i, r) in report.results.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        answer_view(&mut out, r, style);
    }
    if report.results.len() > 1 {
        let scored: Vec<&Scored> = report
            .results
            .iter()
            .filter_map(|r| r.scored.as_ref())
            .collect();
        let passed = scored.iter().filter(|s| s.pass).count();
        let errors = report.results.len() - scored.len();
        let _ = writeln!(
            out,
            "\n{} answers: {} passed, {} failed, {} could not be scored",
            report.results.len(),
            passed,
            scored.len() - passed,
            errors
        );
    }
    out
}

fn answer_view(out: &mut String, r: &AnswerReport, style: &Style) {
    let name = if r.answer == "-" {
        "<stdin>"
    } else {
        &r.answer
    };
    let Some(s) = &r.scored else {
        // Errors go to stderr through the caller; the view says the file was skipped.
        let _ = writeln!(out, "{name}: not scored (see the error above)");
        return;
    };
    let verdict = if s.pass {
        paint(style, "PASS", "1;32")
    } else {
        paint(style, "FAIL", "1;31")
    };
    let _ = writeln!(out, "{}: {}", paint(style, &s.rubric, "1"), s.question);
    let _ = writeln!(
        out,
        "{name} · score {} / 100 · {verdict} (pass mark {})",
        fmt_num(s.score),
        fmt_num(s.pass_mark)
    );
    if let Some(d) = &r.detection {
        let others: Vec<String> = d
            .candidates
            .iter()
            .skip(1)
            .filter(|c| c.probability >= 0.01)
            .map(|c| format!("{} {}", c.rubric, fmt_num(c.probability)))
            .collect();
        let _ = writeln!(
            out,
            "rubric chosen by detection: probability {}{}",
            fmt_num(d.confidence),
            if others.is_empty() {
                String::new()
            } else {
                format!("; runners-up: {}", others.join(", "))
            }
        );
        for a in &d.also_fits {
            let _ = writeln!(out, "also fits {}: {}", a.rubric, fmt_num(a.score));
        }
    }
    out.push('\n');

    let mut t = new_table(style, &["", "Concept", "Weight", "Evidence / hint"]);
    for c in &s.concepts {
        let weight = if c.required {
            format!("{} req", fmt_num(c.weight))
        } else {
            fmt_num(c.weight)
        };
        let (mark, detail) = if c.ignored {
            (Cell::new("–"), "ignored on purpose".to_string())
        } else if c.matched {
            let sentences: Vec<&Evidence> = distinct_sentences(&c.evidence).collect();
            let mut detail = sentences.first().map(|e| quote(e)).unwrap_or_default();
            if sentences.len() > 1 {
                detail.push_str(&format!(" (+{} more)", sentences.len() - 1));
            }
            (Cell::new("✓").fg(Color::Green), detail)
        } else {
            (Cell::new("✗").fg(Color::Red), advice(c, style.guide))
        };
        // Guide mode keeps the missing points' labels back: they give the answer away.
        let label = if style.guide && !c.matched && !c.ignored {
            "(a point to find)"
        } else {
            c.label.as_str()
        };
        t.add_row(vec![
            mark,
            Cell::new(label),
            Cell::new(weight),
            Cell::new(detail),
        ]);
    }
    let _ = writeln!(out, "{t}");

    let missing: Vec<_> = s
        .concepts
        .iter()
        .filter(|c| !c.matched && !c.ignored)
        .collect();
    if missing.is_empty() {
        let _ = writeln!(out, "\nMissing points: none");
    } else {
        if style.guide {
            let _ = writeln!(out, "\nQuestions to think about:");
        } else {
            let _ = writeln!(out, "\nMissing points (hints in the table above):");
        }
        for c in missing {
            let req = if c.required { " (required)" } else { "" };
            let text = if style.guide {
                advice(c, true)
            } else {
                c.label.clone()
            };
            let _ = writeln!(out, "  - {text}{req}");
        }
    }

    if let Some(star) = &s.star {
        out.push('\n');
        star_view(out, star, style);
    }

    if !s.red_flags.is_empty() {
        let _ = writeln!(out, "\nRed flags:");
        for f in &s.red_flags {
            let quoted = f.evidence.first().map(quote).unwrap_or_default();
            let _ = writeln!(
                out,
                "  - {} (−{}): {quoted}",
                paint(style, &f.label, "31"),
                fmt_num(f.penalty)
            );
            if let Some(h) = &f.hint {
                let _ = writeln!(out, "    {h}");
            }
        }
    }

    if let Some(t) = &s.transcript {
        let who = t
            .speaker
            .as_ref()
            .map(|c| format!(": scored {}'s speech ({})", c.speaker, c.reason))
            .unwrap_or_default();
        let _ = writeln!(out, "\nTranscript ({}){who}", t.format);
        for n in &t.notes {
            let _ = writeln!(out, "  note: {n}");
        }
    }
    if let Some(d) = &s.delivery {
        delivery_view(out, d);
    }
    if let Some(l) = &s.length {
        let note = match l.verdict {
            "short" => " — too short",
            "long" => " — too long",
            _ => "",
        };
        let _ = writeln!(
            out,
            "\nLength: {} words (expected {}–{}){note}",
            l.words, l.min, l.max
        );
    }
    let _ = writeln!(out, "\nScore: {}", s.breakdown.formula);
    if !s.required_missing.is_empty() {
        let _ = writeln!(
            out,
            "Fails: required concept(s) missing: {}",
            s.required_missing.join(", ")
        );
    }
}

fn star_view(out: &mut String, star: &StarResult, style: &Style) {
    let mut t = new_table(style, &["", "STAR", "Evidence"]);
    for (name, c) in [
        ("Situation", &star.situation),
        ("Task", &star.task),
        ("Action", &star.action),
        ("Result", &star.result),
    ] {
        let mark = if c.present {
            Cell::new("✓").fg(Color::Green)
        } else {
            Cell::new("✗").fg(Color::Red)
        };
        let detail = if c.present {
            c.evidence
                .iter()
                .take(2)
                .map(quote)
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            "not found".to_string()
        };
        t.add_row(vec![mark, Cell::new(name), Cell::new(detail)]);
    }
    let _ = writeln!(out, "{t}");
    let _ = writeln!(
        out,
        "STAR score {} / 100 · in order: {} · quantified result: {} · action share {}% · told as \"I\": {}%",
        fmt_num(star.score),
        yes_no(star.in_order),
        yes_no(star.quantified_result),
        fmt_num((star.action_share * 100.0).round()),
        fmt_num((star.first_person_share * 100.0).round()),
    );
    if !star.findings.is_empty() {
        let _ = writeln!(out, "STAR findings:");
        for f in &star.findings {
            let advice = crate::star::Finding::parse(f).map_or("", |f| f.advice());
            let _ = writeln!(out, "  - {f}: {advice}");
        }
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The human view of `rubric star`.
pub fn star_table(report: &StarReport, style: &Style) -> String {
    let mut out = String::new();
    for (i, r) in report.results.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let name = if r.answer == "-" {
            "<stdin>"
        } else {
            &r.answer
        };
        match (&r.star, &r.error) {
            (Some(star), _) => {
                let _ = writeln!(out, "{}", paint(style, name, "1"));
                let mut t = new_table(style, &["Line", "Label", "Sentence"]);
                for s in &star.sentences {
                    let label = s.label[..1].to_uppercase();
                    t.add_row(vec![
                        Cell::new(format!("{}:{}", s.line, s.column)),
                        Cell::new(label),
                        Cell::new(&s.text),
                    ]);
                }
                let _ = writeln!(out, "{t}\n");
                star_view(&mut out, star, style);
            }
            (None, Some(e)) => {
                let _ = writeln!(out, "{} {e}", paint(style, "error:", "1;31"));
            }
            (None, None) => {}
        }
    }
    out
}

/// The human view of `rubric search`.
pub fn search_table(hits: &[SearchHit], style: &Style) -> String {
    if hits.is_empty() {
        return "no matching questions or concepts\n".to_string();
    }
    let mut t = new_table(style, &["Score", "Rubric", "Concept", "Question / concept"]);
    for h in hits {
        t.add_row(vec![
            Cell::new(format!("{:.2}", h.score)),
            Cell::new(&h.rubric),
            Cell::new(h.concept.as_deref().unwrap_or("—")),
            Cell::new(&h.text),
        ]);
    }
    format!("{t}\n")
}

/// The human view of `rubric list`.
pub fn list_table(rubrics: &[&crate::rubric::Rubric], style: &Style) -> String {
    let mut t = new_table(style, &["Id", "Kind", "Concepts", "Tags", "Source"]);
    for r in rubrics {
        t.add_row(vec![
            Cell::new(&r.id),
            Cell::new(r.kind.as_str()),
            Cell::new(r.concepts.len()),
            Cell::new(r.tags.join(", ")),
            Cell::new(r.source.as_deref().unwrap_or("—")),
        ]);
    }
    format!("{t}\n{} rubrics\n", rubrics.len())
}

/// `rubric list --format json`.
pub fn list_json(rubrics: &[&crate::rubric::Rubric]) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = rubrics
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "kind": r.kind.as_str(),
                "question": r.question,
                "concepts": r.concepts.len(),
                "tags": r.tags,
                "source": r.source,
                "path": r.path.display().to_string(),
            })
        })
        .collect();
    serde_json::json!({ "schema": 1, "rubrics": rows })
}

/// The human view of `rubric lint`: one line per problem, then a summary.
pub fn lint_text(report: &crate::lint::LintReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(
        out,
        "{} rubric files: {} errors, {} warnings",
        report.files,
        report.errors(),
        report.warnings()
    );
    out
}

/// `rubric lint --format json`.
pub fn lint_json(report: &crate::lint::LintReport) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "path": d.path.display().to_string(),
                "line": d.line,
                "column": d.column,
                "severity": if d.severity == crate::diag::Severity::Error { "error" } else { "warning" },
                "message": d.message,
            })
        })
        .collect();
    serde_json::json!({
        "schema": 1,
        "files": report.files,
        "errors": report.errors(),
        "warnings": report.warnings(),
        "diagnostics": rows,
    })
}

pub mod ci;
pub mod coach;

/// The summary view of `rubric check`: one row per answer, then totals.
pub fn check_table(report: &Report, style: &Style) -> String {
    let mut t = new_table(
        style,
        &[
            "Answer",
            "Rubric",
            "Score",
            "Result",
            "Missing",
            "STAR findings",
        ],
    );
    for r in &report.results {
        let row = match &r.scored {
            Some(s) => {
                let result = if r.fails() {
                    Cell::new("FAIL").fg(Color::Red)
                } else {
                    Cell::new("pass").fg(Color::Green)
                };
                let score = match &r.review {
                    Some(review) => {
                        format!("{} (review {})", fmt_num(s.score), fmt_num(review.score))
                    }
                    None => fmt_num(s.score),
                };
                vec![
                    Cell::new(&r.answer),
                    Cell::new(&s.rubric),
                    Cell::new(score),
                    result,
                    Cell::new(s.missing.len()),
                    Cell::new(
                        s.star
                            .as_ref()
                            .map(|st| st.findings.join(", "))
                            .unwrap_or_default(),
                    ),
                ]
            }
            None => vec![
                Cell::new(&r.answer),
                Cell::new("—"),
                Cell::new("—"),
                Cell::new("ERROR").fg(Color::Red),
                Cell::new(""),
                Cell::new(r.error.as_deref().unwrap_or("")),
            ],
        };
        t.add_row(row);
    }
    format!("{t}\n{}\n", summary_line(&report.summary))
}

/// The human view of `rubric stats`.
pub fn stats_table(stats: &crate::stats::BankStats, style: &Style) -> String {
    let mut out = String::new();
    let mut t = new_table(
        style,
        &["Rubric", "Answers", "Passed", "Mean score", "Most missed"],
    );
    for r in &stats.rubrics {
        let missed: Vec<String> = r
            .concepts
            .iter()
            .filter(|c| c.hit_rate < 100.0)
            .take(3)
            .map(|c| format!("{} ({}%)", c.id, fmt_num(c.hit_rate)))
            .collect();
        t.add_row(vec![
            Cell::new(&r.rubric),
            Cell::new(r.answers),
            Cell::new(r.passed),
            Cell::new(fmt_num(r.mean_score)),
            Cell::new(missed.join(", ")),
        ]);
    }
    let _ = writeln!(out, "{t}");
    let mut c = new_table(style, &["Rubric", "Concept", "Hit by", "Share"]);
    for r in &stats.rubrics {
        for k in &r.concepts {
            c.add_row(vec![
                Cell::new(&r.rubric),
                Cell::new(&k.id),
                Cell::new(format!("{} / {}", k.hits, k.answers)),
                Cell::new(format!("{}%", fmt_num(k.hit_rate))),
            ]);
        }
    }
    let _ = writeln!(out, "\nPer concept, least hit first:\n{c}");
    out
}

/// The human view of `rubric diff`.
pub fn diff_table(d: &crate::diff::Diff, style: &Style) -> String {
    if d.changes.is_empty() {
        return "no answer changed\n".to_string();
    }
    let mut t = new_table(
        style,
        &[
            "Change",
            "Answer",
            "Rubric",
            "Score",
            "Newly missing",
            "Newly covered",
        ],
    );
    let opt = |x: Option<f64>| x.map_or("—".to_string(), fmt_num);
    for c in &d.changes {
        let kind = match c.change {
            crate::diff::Change::Regression => Cell::new("regression").fg(Color::Red),
            crate::diff::Change::Improvement => Cell::new("improvement").fg(Color::Green),
            crate::diff::Change::Added => Cell::new("added"),
            crate::diff::Change::Removed => Cell::new("removed"),
        };
        t.add_row(vec![
            kind,
            Cell::new(&c.answer),
            Cell::new(c.rubric.as_deref().unwrap_or("—")),
            Cell::new(format!("{} → {}", opt(c.old_score), opt(c.new_score))),
            Cell::new(c.newly_missing.join(", ")),
            Cell::new(c.newly_covered.join(", ")),
        ]);
    }
    format!(
        "{t}\n{} regressions, {} changes\n",
        d.regressions,
        d.changes.len()
    )
}

/// `rubric config`: the effective settings and where each came from.
pub fn config_table(rows: &[(String, String, String)], style: &Style) -> String {
    let mut t = new_table(style, &["Setting", "Value", "From"]);
    for (k, v, o) in rows {
        t.add_row(vec![Cell::new(k), Cell::new(v), Cell::new(o)]);
    }
    format!("{t}\n")
}

/// What `rubric report` prints: the cohort table, progress, and where the
/// report files went.
pub fn coach_summary(
    report: &Report,
    cohort: Option<&crate::coach::Cohort>,
    trends: &[crate::coach::Trend],
    out: Option<&std::path::Path>,
    style: &Style,
) -> String {
    let mut text = String::new();
    if let Some(c) = cohort {
        let mut header: Vec<&str> = vec!["Candidate"];
        header.extend(c.questions.iter().map(String::as_str));
        let mut t = new_table(style, &header);
        for (name, row) in c.candidates.iter().zip(&c.cells) {
            let mut cells = vec![Cell::new(name)];
            for cell in row {
                cells.push(match cell {
                    Some(x) => {
                        let v = match x.review {
                            Some(r) => format!("{} (review {})", fmt_num(x.score), fmt_num(r)),
                            None => fmt_num(x.score),
                        };
                        if x.pass {
                            Cell::new(v).fg(Color::Green)
                        } else {
                            Cell::new(format!("{v} ✗")).fg(Color::Red)
                        }
                    }
                    None => Cell::new("—"),
                });
            }
            t.add_row(cells);
        }
        let _ = writeln!(text, "{t}");
        if !c.most_missed.is_empty() {
            let _ = writeln!(text, "\nMost missed concepts:");
            for m in c.most_missed.iter().take(10) {
                let _ = writeln!(
                    text,
                    "  - {} / {}: missed by {} of {}",
                    m.rubric, m.label, m.missed_by, m.answered
                );
            }
        }
    }
    for tr in trends {
        let steps: Vec<String> = tr
            .attempts
            .iter()
            .map(|a| format!("{} {}", a.date, fmt_num(a.score)))
            .collect();
        let _ = writeln!(
            text,
            "\nProgress {} / {}: {}",
            tr.person,
            tr.rubric,
            steps.join(" → ")
        );
        if let Some(last) = tr.attempts.last() {
            if !last.newly_covered.is_empty() {
                let _ = writeln!(text, "  newly covered: {}", last.newly_covered.join(", "));
            }
            if !last.dropped.is_empty() {
                let _ = writeln!(text, "  dropped: {}", last.dropped.join(", "));
            }
        }
    }
    let _ = writeln!(text, "\n{}", summary_line(&report.summary));
    if let Some(dir) = out {
        let _ = writeln!(
            text,
            "wrote {} and {}",
            dir.join("report.html").display(),
            dir.join("report.md").display()
        );
    }
    text
}
