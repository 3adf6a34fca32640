//! Tables and text for a person to read: the score view, the check summary,
//! STAR, search, list, lint, stats, diff, config and the coaching summary.
//! Width from the terminal (comfy-table's detection), ids and paths whole.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width};

use std::io;

use super::stream::{render_to_string, Head, ReportWriter};
use super::{fmt_num, plural, summary_line, Style, DEFAULT_WIDTH};
use crate::analysis::index::SearchHit;
use crate::report::guide::hint;
use crate::report::StarReport;
use crate::report::{Report, Summary};
use crate::scoring::result::AnswerReport;
use crate::scoring::score::{Evidence, Scored, StarResult};

fn paint(style: &Style, text: &str, code: &str) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn new_table(style: &Style, header: &[&str]) -> Table {
    let mut table = Table::new();
    // comfy-table knows the terminal's width when stdout is one.
    let width = style
        .width
        .or_else(|| table.width())
        .unwrap_or(DEFAULT_WIDTH);
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
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

/// Keeps the columns of ids and paths whole: they are never cut mid-word
/// (the table grows wider than the terminal rather), and the other columns
/// keep their header words whole.
fn keep_whole(table: &mut Table, columns: &[usize]) {
    let longest = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let header: Vec<usize> = table
        .header()
        .map(|h| h.cell_iter().map(|c| longest(&c.content())).collect())
        .unwrap_or_default();
    let mut widths = header.clone();
    for row in table.row_iter() {
        for (i, cell) in row.cell_iter().enumerate() {
            if columns.contains(&i) && i < widths.len() {
                widths[i] = widths[i].max(longest(&cell.content()));
            }
        }
    }
    for (i, w) in widths.into_iter().enumerate() {
        if let Some(c) = table.column_mut(i) {
            // The boundary counts the padding, one space either side.
            let w = u16::try_from(w + 2).unwrap_or(u16::MAX);
            c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
        }
    }
}

/// A quote on one line: the answer file's line breaks become spaces.
/// Control characters are shown escaped ([`super::visible`]).
fn one_line(text: &str) -> String {
    super::visible(&text.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

fn quote(e: &Evidence) -> String {
    let mut s = match e.start {
        Some(t) => format!(
            "“{}” ({}, line {})",
            one_line(&e.text),
            crate::answer::transcript::mmss(t),
            e.line
        ),
        None => format!("“{}” ({}:{})", one_line(&e.text), e.line, e.column),
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

fn counts(list: &[crate::analysis::delivery::Count]) -> String {
    list.iter()
        .map(|c| format!("{} ×{}", c.text, c.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One paragraph on delivery: pace, fillers, hedges, pauses, repetition.
fn delivery_view(out: &mut String, d: &crate::analysis::delivery::Delivery) {
    let mut parts = vec![format!("{} words", d.words)];
    if let Some(secs) = d.duration {
        parts.push(crate::answer::transcript::mmss(secs));
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

/// The human view of a score report.
pub fn table(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    // Unscored answers have their error on stderr, and a count below.
    for (i, r) in report
        .results
        .iter()
        .filter(|r| r.scored.is_some())
        .enumerate()
    {
        if i > 0 {
            out.push('\n');
        }
        answer_view(&mut out, r, style, report.guide);
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
            "\n{}: {} passed, {} failed, {} could not be scored",
            plural(report.results.len(), "answer"),
            passed,
            scored.len() - passed,
            errors
        );
    }
    out
}

fn answer_view(out: &mut String, r: &AnswerReport, style: &Style, guide: bool) {
    let name = if r.answer == "-" {
        "<stdin>".into()
    } else {
        super::visible(&r.answer)
    };
    let name = &*name;
    let Some(s) = &r.scored else {
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
            .map(|c| format!("{} {:.2}", c.rubric, c.probability))
            .collect();
        let _ = writeln!(
            out,
            "rubric chosen by detection: probability {}{}",
            match d.candidates.first().map(|c| c.probability) {
                Some(own) if (own - d.confidence).abs() >= 0.005 =>
                    format!("{own:.2} ({:.2} with its sibling questions)", d.confidence),
                _ => format!("{:.2}", d.confidence),
            },
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
            if c.named_only {
                // Named in a list, not explained: partial credit.
                (
                    Cell::new("◐").fg(Color::Yellow),
                    format!("named only, not explained: {detail}"),
                )
            } else {
                (Cell::new("✓").fg(Color::Green), detail)
            }
        } else {
            (Cell::new("✗").fg(Color::Red), hint(c))
        };
        t.add_row(vec![
            mark,
            Cell::new(&c.label),
            Cell::new(weight),
            Cell::new(detail),
        ]);
    }
    let _ = writeln!(out, "{t}");

    let missing: Vec<_> = super::missing(s).collect();
    if missing.is_empty() {
        let _ = writeln!(out, "\nMissing points: none");
    } else {
        if guide {
            let _ = writeln!(out, "\nQuestions to think about:");
        } else {
            let _ = writeln!(out, "\nMissing points (hints in the table above):");
        }
        for c in missing {
            let req = if c.required { " (required)" } else { "" };
            // In guide mode the label is held back and the hint is the question.
            let text = if guide { hint(c) } else { c.label.clone() };
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
            .map(|c| {
                format!(
                    ": scored {}'s speech ({})",
                    super::visible(&c.speaker),
                    super::visible(&c.reason)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(out, "\nTranscript ({}){who}", t.format);
        for n in &t.notes {
            let _ = writeln!(out, "  note: {}", super::visible(n));
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
            let advice = crate::analysis::star::Finding::parse(f).map_or("", |f| f.advice());
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
            "<stdin>".into()
        } else {
            super::visible(&r.answer)
        };
        let name = &*name;
        match (&r.star, &r.error) {
            (Some(star), _) => {
                let _ = writeln!(out, "{}", paint(style, name, "1"));
                // `--explain` keeps each sentence's features: show them.
                let explain = star.sentences.iter().any(|s| !s.features.is_empty());
                let header: &[&str] = if explain {
                    &["Line", "Label", "P", "Sentence", "Weighed most"]
                } else {
                    &["Line", "Label", "Sentence"]
                };
                let mut t = new_table(style, header);
                for s in &star.sentences {
                    let mut row = vec![
                        Cell::new(format!("{}:{}", s.line, s.column)),
                        Cell::new(s.label[..1].to_uppercase()),
                    ];
                    if explain {
                        row.push(Cell::new(format!("{:.2}", s.probability)));
                    }
                    row.push(Cell::new(one_line(&s.text)));
                    if explain {
                        let why: Vec<String> = s
                            .features
                            .iter()
                            .map(|f| format!("{} +{:.2}", f.feature, f.weight))
                            .collect();
                        row.push(Cell::new(why.join("\n")));
                    }
                    t.add_row(row);
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
    keep_whole(&mut t, &[1, 2]);
    format!("{t}\n")
}

/// The human view of `rubric list`: the question gets the room; kind and
/// concept count sit under the id.
pub fn list_table(rubrics: &[crate::model::rubric::Rubric], style: &Style) -> String {
    let mut t = new_table(style, &["Id", "Question", "Tags", "Source"]);
    for r in rubrics {
        t.add_row(vec![
            Cell::new(format!(
                "{}\n{} · {}",
                r.id,
                r.kind.as_str(),
                plural(r.concepts.len(), "concept")
            )),
            Cell::new(&r.question),
            Cell::new(r.tags.join(", ")),
            Cell::new(
                r.source
                    .as_deref()
                    .map_or_else(|| "—".to_string(), crate::report::listing::readable_source),
            ),
        ]);
    }
    keep_whole(&mut t, &[0]);
    for (column, width) in [(2, 19), (3, 12)] {
        if let Some(c) = t.column_mut(column) {
            c.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(width)));
        }
    }
    format!("{t}\n{}\n", plural(rubrics.len(), "rubric"))
}

/// The human view of `rubric show`: the question, then the concepts with
/// their weights and hints (in guide mode, the coaching questions only).
pub fn show_text(s: &crate::report::listing::Shown, style: &Style) -> String {
    let mut out = format!("{} ({})\n\n{}\n", s.id, s.kind, s.question);
    let mut meta = Vec::new();
    if !s.tags.is_empty() {
        meta.push(format!("tags: {}", s.tags.join(", ")));
    }
    if let Some(src) = &s.source {
        meta.push(format!("source: {src}"));
    }
    if !meta.is_empty() {
        let _ = writeln!(out, "{}", meta.join(" · "));
    }
    if s.guide {
        out.push_str("\nQuestions to think about:\n");
        for q in &s.coaching {
            let _ = writeln!(out, "- {q}");
        }
        return out;
    }
    out.push('\n');
    let mut t = new_table(style, &["Concept", "Weight", "Hint"]);
    for c in &s.concepts {
        let req = if c.required { " (required)" } else { "" };
        t.add_row(vec![
            Cell::new(format!("{}{req}\n{}", c.label, c.id)),
            Cell::new(fmt_num(c.weight)),
            Cell::new(c.hint.as_deref().unwrap_or("—")),
        ]);
    }
    let _ = writeln!(out, "{t}");
    if !s.red_flags.is_empty() {
        let mut t = new_table(style, &["Red flag", "Penalty", "Hint"]);
        for f in &s.red_flags {
            t.add_row(vec![
                Cell::new(format!("{}\n{}", f.label, f.id)),
                Cell::new(fmt_num(f.weight)),
                Cell::new(f.hint.as_deref().unwrap_or("—")),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    out
}

/// The human view of `rubric lint`: one line per problem, then a summary.
pub fn lint_text(report: &crate::authoring::lint::LintReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(
        out,
        "{}: {}, {}",
        plural(report.files, "rubric file"),
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning")
    );
    out
}

/// The summary view of `rubric check`: one row per answer, then totals.
pub fn check_table(report: &Report, style: &Style) -> String {
    render_to_string(CheckTableWriter::new(*style), report)
}

/// One row of the check table, as little as it shows.
struct CheckRow {
    /// The answer, made visible.
    answer: String,
    outcome: RowOutcome,
}

enum RowOutcome {
    Scored {
        rubric: String,
        score: String,
        fails: bool,
        missing: usize,
        star: String,
    },
    Error(String),
}

/// [`check_table`] as answers arrive: a table's column widths depend on
/// every row, so each answer leaves one small row (its texts, no evidence);
/// the table is drawn at the end.
pub struct CheckTableWriter {
    style: Style,
    rows: Vec<CheckRow>,
    /// The bytes the rows' texts hold.
    text_bytes: usize,
}

impl CheckTableWriter {
    pub fn new(style: Style) -> Self {
        CheckTableWriter {
            style,
            rows: Vec::new(),
            text_bytes: 0,
        }
    }
}

impl ReportWriter for CheckTableWriter {
    fn begin(&mut self, _out: &mut dyn io::Write, _head: &Head<'_>) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn io::Write, r: &AnswerReport) -> io::Result<()> {
        let outcome = match &r.scored {
            Some(s) => RowOutcome::Scored {
                rubric: s.rubric.clone(),
                score: match &r.review {
                    Some(review) => {
                        format!("{} (review {})", fmt_num(s.score), fmt_num(review.score))
                    }
                    None => fmt_num(s.score),
                },
                fails: r.fails(),
                missing: s.missing.len(),
                star: s
                    .star
                    .as_ref()
                    .map(|st| st.findings.join(", "))
                    .unwrap_or_default(),
            },
            None => {
                RowOutcome::Error(super::visible(r.error.as_deref().unwrap_or("")).into_owned())
            }
        };
        let row = CheckRow {
            answer: super::visible(&r.answer).into_owned(),
            outcome,
        };
        self.text_bytes += row.answer.capacity()
            + match &row.outcome {
                RowOutcome::Scored {
                    rubric,
                    score,
                    star,
                    ..
                } => rubric.capacity() + score.capacity() + star.capacity(),
                RowOutcome::Error(e) => e.capacity(),
            };
        self.rows.push(row);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn io::Write, summary: &Summary) -> io::Result<()> {
        let mut t = new_table(
            &self.style,
            &[
                "Answer",
                "Rubric",
                "Score",
                "Result",
                "Missing",
                "STAR findings",
            ],
        );
        for row in std::mem::take(&mut self.rows) {
            let cells = match row.outcome {
                RowOutcome::Scored {
                    rubric,
                    score,
                    fails,
                    missing,
                    star,
                } => {
                    let result = if fails {
                        Cell::new("FAIL").fg(Color::Red)
                    } else {
                        Cell::new("pass").fg(Color::Green)
                    };
                    vec![
                        Cell::new(row.answer),
                        Cell::new(rubric),
                        Cell::new(score),
                        result,
                        Cell::new(missing),
                        Cell::new(star),
                    ]
                }
                RowOutcome::Error(e) => vec![
                    Cell::new(row.answer),
                    Cell::new("—"),
                    Cell::new("—"),
                    Cell::new("ERROR").fg(Color::Red),
                    Cell::new(""),
                    Cell::new(e),
                ],
            };
            t.add_row(cells);
        }
        self.text_bytes = 0;
        keep_whole(&mut t, &[0, 1]);
        // Line by line: the table's text is never held whole.
        for line in t.lines() {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        writeln!(out, "{}", summary_line(summary))
    }

    fn retained(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<CheckRow>() + self.text_bytes
    }
}

/// The human view of `rubric stats`.
pub fn stats_table(stats: &crate::report::stats::BankStats, style: &Style) -> String {
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
    keep_whole(&mut t, &[0]);
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
    keep_whole(&mut c, &[0, 1]);
    let _ = writeln!(out, "\nPer concept, least hit first:\n{c}");
    if !stats.unscored.is_empty() {
        let _ = writeln!(
            out,
            "\n{} of {} could not be scored and are left out of these figures:",
            stats.unscored.len(),
            plural(stats.answers, "answer")
        );
        for u in &stats.unscored {
            let _ = writeln!(out, "- {}", u.error);
        }
    }
    out
}

/// The human view of `rubric diff`.
pub fn diff_table(d: &crate::report::diff::Diff, style: &Style) -> String {
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
            crate::report::diff::Change::Regression => Cell::new("regression").fg(Color::Red),
            crate::report::diff::Change::Improvement => Cell::new("improvement").fg(Color::Green),
            crate::report::diff::Change::Added => Cell::new("added"),
            crate::report::diff::Change::Removed => Cell::new("removed"),
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
    keep_whole(&mut t, &[1, 2]);
    format!(
        "{t}\n{}, {}\n",
        plural(d.regressions, "regression"),
        plural(d.changes.len(), "change")
    )
}

/// `rubric config`: the effective settings and where each came from.
pub fn config_table(rows: &[crate::model::config::Row], style: &Style) -> String {
    let mut t = new_table(style, &["Setting", "Value", "From"]);
    for r in rows {
        t.add_row(vec![
            Cell::new(&r.setting),
            Cell::new(&r.value),
            Cell::new(&r.from),
        ]);
    }
    keep_whole(&mut t, &[0]);
    format!("{t}\n")
}

/// What `rubric report` prints: the cohort table, progress, and where the
/// report files went.
pub fn coach_summary(
    coached: &crate::report::coach::Coached,
    out: Option<&std::path::Path>,
    style: &Style,
) -> String {
    let (report, cohort, trends) = (&coached.report, coached.cohort.as_ref(), &coached.progress);
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
        keep_whole(&mut t, &[0]);
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
