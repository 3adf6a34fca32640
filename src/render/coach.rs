//! Reports a person reads: a self-contained HTML page (inline CSS and SVG;
//! no network, fonts or scripts) and the same content in Markdown. Each
//! answer shows its text with the evidence highlighted and labelled, the
//! STAR timeline, missing points, red flags, delivery and a coverage chart.

use std::fmt::Write as _;

use super::{fmt_num, plural};
use crate::report::coach::{Coached, Cohort, Trend};
use crate::report::guide::hint;
use crate::scoring::result::AnswerReport;
use crate::scoring::score::AnnotatedSentence;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}h3{font-size:1rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}th{background:#f6f8fa}
.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}.muted{color:#656d76}
.verdict{font-size:1.1rem}
.text p{margin:.25rem 0;padding:.1rem .4rem;border-left:4px solid #d0d7de}
.text p.situation{border-color:#0969da}.text p.task{border-color:#8250df}.text p.action{border-color:#bf8700}.text p.result{border-color:#1a7f37}
.tag{display:inline-block;min-width:1.2rem;font-size:.75rem;font-weight:700;color:#fff;background:#8c959f;border-radius:3px;text-align:center;margin-right:.4rem}
.tag.situation{background:#0969da}.tag.task{background:#8250df}.tag.action{background:#bf8700}.tag.result{background:#1a7f37}
mark{background:#dafbe1;border-bottom:2px solid #1a7f37;padding:0 .1rem}mark.flag{background:#ffebe9;border-color:#cf222e}
.lbl{font-size:.7rem;color:#57606a;vertical-align:super;margin-left:.15rem}
.time{font-size:.75rem;color:#656d76;margin-right:.4rem}
ul.missing li{margin:.2rem 0}
td.cpass{background:#dafbe1}td.cfail{background:#ffebe9}
svg{display:block;max-width:100%;height:auto;margin:.4rem 0}
";

/// The HTML report: summary, cohort and progress when given, then every answer.
pub fn html(coached: &Coached) -> String {
    let (report, cohort, trends) = (&coached.report, coached.cohort.as_ref(), &coached.progress);
    let guide = report.guide;
    let mut out = String::new();
    let s = &report.summary;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>rubric report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>rubric report</h1>\n<p class=\"summary\">{}: <span class=\"pass\">{} passed</span>, <span class=\"fail\">{} failed</span>, {}{}</p>\n",
        plural(s.answers, "answer"), s.passed, s.failed, plural(s.errors, "error"),
        s.mean_score.map(|m| format!("; mean score {}", fmt_num(m))).unwrap_or_default()
    );
    if let Some(c) = cohort {
        cohort_html(&mut out, c);
    }
    if !trends.is_empty() {
        progress_html(&mut out, trends);
    }
    for (i, r) in report.results.iter().enumerate() {
        answer_html(&mut out, i, r, guide);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn cohort_html(out: &mut String, c: &Cohort) {
    out.push_str("<section class=\"cohort\">\n<h2>Cohort</h2>\n<table class=\"cohort-table\">\n<tr><th>Candidate</th>");
    for q in &c.questions {
        let _ = write!(out, "<th>{}</th>", esc(q));
    }
    out.push_str("</tr>\n");
    for (name, row) in c.candidates.iter().zip(&c.cells) {
        let _ = write!(out, "<tr><th>{}</th>", esc(name));
        for cell in row {
            match cell {
                Some(cell) => {
                    let class = if cell.pass { "cpass" } else { "cfail" };
                    let review = cell
                        .review
                        .map(|v| format!(" <span class=\"muted\">(review {})</span>", fmt_num(v)))
                        .unwrap_or_default();
                    let _ = write!(
                        out,
                        "<td class=\"{class}\">{}{review}</td>",
                        fmt_num(cell.score)
                    );
                }
                None => out.push_str("<td class=\"muted\">—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n<h3>Most missed concepts</h3>\n");
    if c.most_missed.is_empty() {
        out.push_str("<p>Every candidate covered every concept.</p>\n");
    } else {
        out.push_str("<table class=\"missed\">\n<tr><th>Question</th><th>Concept</th><th>Missed by</th></tr>\n");
        for m in c.most_missed.iter().take(15) {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{} of {}</td></tr>",
                esc(&m.rubric),
                esc(&m.label),
                m.missed_by,
                m.answered
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}

fn progress_html(out: &mut String, trends: &[Trend]) {
    out.push_str("<section class=\"progress\">\n<h2>Progress</h2>\n");
    for t in trends {
        let _ = writeln!(out, "<h3>{} — {}</h3>", esc(&t.person), esc(&t.rubric));
        out.push_str(&super::charts::progress(t));
        out.push_str(
            "<table>\n<tr><th>Date</th><th>Score</th><th>Newly covered</th><th>Dropped</th></tr>\n",
        );
        for a in &t.attempts {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&a.date),
                fmt_num(a.score),
                esc(&a.newly_covered.join(", ")),
                esc(&a.dropped.join(", "))
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}

/// A sentence with its marks as HTML (overlapping marks keep the first).
fn sentence_html(s: &AnnotatedSentence) -> String {
    let mut out = String::new();
    let mut at = 0;
    for m in &s.marks {
        if m.from < at
            || m.to > s.text.len()
            || !s.text.is_char_boundary(m.from)
            || !s.text.is_char_boundary(m.to)
        {
            continue;
        }
        out.push_str(&esc(&s.text[at..m.from]));
        let class = if m.red_flag { " class=\"flag\"" } else { "" };
        let _ = write!(
            out,
            "<mark{class} data-concept=\"{}\" title=\"{}\">{}</mark><span class=\"lbl\">{}</span>",
            esc(&m.id),
            esc(&m.label),
            esc(&s.text[m.from..m.to]),
            esc(&m.id)
        );
        at = m.to;
    }
    out.push_str(&esc(&s.text[at..]));
    out
}

fn answer_html(out: &mut String, i: usize, r: &AnswerReport, guide: bool) {
    let _ = writeln!(out, "<section class=\"answer\" id=\"answer-{}\">", i + 1);
    let Some(s) = &r.scored else {
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<p class=\"fail error\">{}</p>\n</section>",
            esc(&r.answer),
            esc(r.error.as_deref().unwrap_or(""))
        );
        return;
    };
    let _ = writeln!(out, "<h2>{} — {}</h2>", esc(&r.answer), esc(&s.rubric));
    let _ = writeln!(out, "<p class=\"question muted\">{}</p>", esc(&s.question));
    let verdict = if r.fails() {
        "<span class=\"fail\">FAIL</span>"
    } else {
        "<span class=\"pass\">PASS</span>"
    };
    let review = r
        .review
        .as_ref()
        .map(|v| {
            format!(
                " · reviewer score <strong>{}</strong>{}",
                fmt_num(v.score),
                v.note
                    .as_deref()
                    .map(|n| format!(": {}", esc(n)))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"verdict\">Score <strong class=\"score\">{}</strong> / 100 {verdict} <span class=\"muted\">(pass mark {})</span>{review}</p>",
        fmt_num(s.score),
        fmt_num(s.pass_mark)
    );
    let _ = writeln!(
        out,
        "<p class=\"muted formula\">{}</p>",
        esc(&s.breakdown.formula)
    );
    out.push_str("<h3>Coverage per concept</h3>\n");
    out.push_str(&super::charts::coverage(s));
    out.push_str("<h3>The answer</h3>\n<div class=\"text\">\n");
    for sentence in &s.annotated {
        let class = sentence.star.unwrap_or("none");
        let tag = sentence
            .star
            .map(|c| format!("<span class=\"tag {c}\">{}</span>", c[..1].to_uppercase()))
            .unwrap_or_default();
        let time = sentence
            .start
            .map(|t| {
                format!(
                    "<span class=\"time\">{}</span>",
                    crate::answer::transcript::mmss(t)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<p class=\"{class}\">{time}{tag}{}</p>",
            sentence_html(sentence)
        );
    }
    out.push_str("</div>\n");
    if let Some(star) = &s.star {
        out.push_str("<h3>STAR timeline</h3>\n");
        out.push_str(&super::charts::timeline(&s.annotated));
        let _ = writeln!(
            out,
            "<p>STAR score {} / 100 · in order: {} · quantified result: {} · told as “I”: {}%</p>",
            fmt_num(star.score),
            if star.in_order { "yes" } else { "no" },
            if star.quantified_result { "yes" } else { "no" },
            fmt_num((star.first_person_share * 100.0).round())
        );
        if !star.findings.is_empty() {
            out.push_str("<ul class=\"findings\">\n");
            for f in &star.findings {
                let advice = crate::analysis::star::Finding::parse(f).map_or("", |f| f.advice());
                let _ = writeln!(out, "<li><strong>{f}</strong>: {}</li>", esc(advice));
            }
            out.push_str("</ul>\n");
        }
    }
    let missing: Vec<_> = super::missing(s).collect();
    out.push_str(if guide {
        "<h3>Questions to think about</h3>\n"
    } else {
        "<h3>Missing points</h3>\n"
    });
    if missing.is_empty() {
        out.push_str("<p>None: every point is covered.</p>\n");
    } else {
        out.push_str("<ul class=\"missing\">\n");
        for c in missing {
            let req = if c.required {
                " <em>(required)</em>"
            } else {
                ""
            };
            if guide {
                let _ = writeln!(out, "<li>{}{req}</li>", esc(&hint(c)));
            } else {
                let _ = writeln!(
                    out,
                    "<li><strong>{}</strong>{req}: {}</li>",
                    esc(&c.label),
                    esc(&hint(c))
                );
            }
        }
        out.push_str("</ul>\n");
    }
    if !s.red_flags.is_empty() {
        out.push_str("<h3>Red flags</h3>\n<ul class=\"red-flags\">\n");
        for f in &s.red_flags {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong> (−{}): {}</li>",
                esc(&f.label),
                fmt_num(f.penalty),
                esc(f.hint.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</ul>\n");
    }
    if let Some(d) = &s.delivery {
        out.push_str("<h3>Delivery</h3>\n<table class=\"delivery\">\n");
        let _ = writeln!(out, "<tr><th>Words</th><td>{}</td></tr>", d.words);
        if let Some(wpm) = d.words_per_minute {
            let _ = writeln!(
                out,
                "<tr><th>Pace</th><td>{} words/min</td></tr>",
                fmt_num(wpm)
            );
        }
        let _ = writeln!(
            out,
            "<tr><th>Fillers</th><td>{} ({} per 100 words)</td></tr>",
            d.fillers.count,
            fmt_num(d.fillers.per_100_words)
        );
        let _ = writeln!(out, "<tr><th>Hedges</th><td>{}</td></tr>", d.hedges.count);
        if let Some(p) = &d.long_pauses {
            let _ = writeln!(out, "<tr><th>Long pauses</th><td>{}</td></tr>", p.count);
        }
        out.push_str("</table>\n");
        for n in &d.notes {
            let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(n));
        }
    }
    out.push_str("</section>\n");
}

/// The same report in Markdown.
pub fn markdown(coached: &Coached) -> String {
    let (report, cohort, trends) = (&coached.report, coached.cohort.as_ref(), &coached.progress);
    let guide = report.guide;
    let mut out = format!(
        "# rubric report\n\n{}\n",
        super::summary_line(&report.summary)
    );
    if let Some(c) = cohort {
        out.push_str("\n## Cohort\n\n| Candidate |");
        for q in &c.questions {
            let _ = write!(out, " {q} |");
        }
        out.push_str("\n| --- |");
        out.push_str(&" ---: |".repeat(c.questions.len()));
        out.push('\n');
        for (name, row) in c.candidates.iter().zip(&c.cells) {
            let _ = write!(out, "| {name} |");
            for cell in row {
                match cell {
                    Some(cell) => {
                        let mark = if cell.pass { "" } else { " ❌" };
                        let _ = write!(
                            out,
                            " {}{mark} |",
                            fmt_num(cell.review.unwrap_or(cell.score))
                        );
                    }
                    None => out.push_str(" — |"),
                }
            }
            out.push('\n');
        }
        out.push_str("\n### Most missed concepts\n\n");
        for m in c.most_missed.iter().take(15) {
            let _ = writeln!(
                out,
                "- {} / {}: missed by {} of {}",
                m.rubric, m.label, m.missed_by, m.answered
            );
        }
    }
    if !trends.is_empty() {
        out.push_str("\n## Progress\n");
        for t in trends {
            let _ = writeln!(out, "\n### {} — {}\n\n| Date | Score | Newly covered | Dropped |\n| --- | ---: | --- | --- |", t.person, t.rubric);
            for a in &t.attempts {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    a.date,
                    fmt_num(a.score),
                    a.newly_covered.join(", "),
                    a.dropped.join(", ")
                );
            }
        }
    }
    for r in &report.results {
        let Some(sc) = &r.scored else {
            let _ = writeln!(
                out,
                "\n## {}\n\nError: {}",
                r.answer,
                r.error.as_deref().unwrap_or("")
            );
            continue;
        };
        let verdict = if r.fails() { "FAIL" } else { "PASS" };
        let _ = writeln!(
            out,
            "\n## {} — {}\n\n_{}_\n",
            r.answer, sc.rubric, sc.question
        );
        let _ = write!(
            out,
            "**Score {} / 100 {verdict}** (pass mark {})",
            fmt_num(sc.score),
            fmt_num(sc.pass_mark)
        );
        if let Some(v) = &r.review {
            let _ = write!(out, " · reviewer score **{}**", fmt_num(v.score));
            if let Some(n) = &v.note {
                let _ = write!(out, ": {n}");
            }
        }
        out.push_str("\n\n### The answer\n\n");
        for sentence in &sc.annotated {
            let tag = sentence
                .star
                .map(|c| format!("**[{}]** ", c[..1].to_uppercase()))
                .unwrap_or_default();
            let mut text = String::new();
            let mut at = 0;
            for m in &sentence.marks {
                if m.from < at
                    || !sentence.text.is_char_boundary(m.from)
                    || !sentence.text.is_char_boundary(m.to)
                {
                    continue;
                }
                text.push_str(&sentence.text[at..m.from]);
                let _ = write!(text, "**{}** _[{}]_", &sentence.text[m.from..m.to], m.id);
                at = m.to;
            }
            text.push_str(&sentence.text[at..]);
            let _ = writeln!(out, "> {tag}{text}\n>");
        }
        let missing: Vec<_> = super::missing(sc).collect();
        out.push_str(if guide {
            "\n### Questions to think about\n\n"
        } else {
            "\n### Missing points\n\n"
        });
        if missing.is_empty() {
            out.push_str("None: every point is covered.\n");
        }
        for c in missing {
            let req = if c.required { " (required)" } else { "" };
            if guide {
                let _ = writeln!(out, "- {}{req}", hint(c));
            } else {
                let _ = writeln!(out, "- **{}**{req}: {}", c.label, hint(c));
            }
        }
        for f in &sc.red_flags {
            let _ = writeln!(out, "- 🚩 {} (−{})", f.label, fmt_num(f.penalty));
        }
        if let Some(star) = &sc.star {
            let _ = writeln!(
                out,
                "\nSTAR score {} / 100; findings: {}",
                fmt_num(star.score),
                if star.findings.is_empty() {
                    "none".to_string()
                } else {
                    star.findings.join(", ")
                }
            );
        }
        if let Some(d) = &sc.delivery {
            let _ = writeln!(
                out,
                "\nDelivery: {} words, {} fillers, {} hedges",
                d.words, d.fillers.count, d.hedges.count
            );
        }
    }
    out
}
