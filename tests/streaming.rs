//! Every format of `rubric check` is a streaming writer: fed one answer at a
//! time, it keeps no more in memory for 10,000 answers than for 1,000 (the
//! table, whose column widths depend on every row, keeps one small row per
//! answer), and the formats that can write an answer as it comes do so
//! before the last one is handed over. Memory is what each writer says it
//! holds (`retained`), not measured; nothing here is timed.

use std::path::Path;

use rubric::model::bank::Bank;
use rubric::model::config::Config;
use rubric::render::{self, Head, ReportWriter, Style};
use rubric::report::policy::Policy;
use rubric::report::{judge_one, Tally};
use rubric::run::check::{score_text, RunOptions};
use rubric::scoring::result::AnswerReport;
use rubric::Engine;
use serde_json::Value;

/// A failing answer (missing points), a passing one, one that passes on a
/// reviewer's score with points missing, and one that could not be scored,
/// judged as a check judges them.
fn answers() -> Vec<AnswerReport> {
    let engine = Engine::with_builtin_lexicon(Bank::builtin().expect("the shipped bank"));
    let rubric = engine.bank().get("idempotency").expect("a shipped rubric");
    let strong = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/bank/answers/idempotency.md"),
    )
    .unwrap();
    let weak = "Retries happen. I would just retry the request.";
    let run = RunOptions {
        rubric: Some(rubric),
        ..RunOptions::default()
    };
    let config = Config::default();
    let score = |name: &str, text: &str| {
        score_text(&engine, Path::new(name), text.to_string(), &config, run)
    };
    let mut reports = vec![
        score("weak.md", weak),
        score("strong.md", &strong),
        score(
            "reviewed.md",
            &format!("---\nreview: {{ score: 90 }}\n---\n{weak}"),
        ),
        AnswerReport::failed("gone.md".into(), "gone.md: cannot read".into()),
    ];
    for r in &mut reports {
        judge_one(r, &Policy::default(), false);
    }
    assert!(reports[0].fails() && !reports[0].scored.as_ref().unwrap().missing.is_empty());
    assert!(!reports[1].fails(), "{:?}", reports[1].failures);
    assert!(!reports[2].fails() && !reports[2].scored.as_ref().unwrap().missing.is_empty());
    reports
}

/// The `i`th answer of a long run: one of the three, renamed.
fn nth(answers: &[AnswerReport], i: usize) -> AnswerReport {
    let mut r = answers[i % answers.len()].clone();
    r.answer = format!("answers/{:03}/answer-{i:06}.md", i / 1000);
    if let Some(e) = &mut r.error {
        *e = format!("{}: cannot read", r.answer);
    }
    r
}

fn writers() -> Vec<(&'static str, Box<dyn ReportWriter>)> {
    vec![
        ("json", Box::new(render::JsonWriter::new())),
        ("jsonl", Box::new(render::JsonLinesWriter)),
        ("brief", Box::new(render::BriefWriter)),
        ("junit", Box::new(render::JunitWriter::new())),
        ("sarif", Box::new(render::SarifWriter::new(None))),
        ("github", Box::new(render::GithubWriter::new(50))),
        ("markdown", Box::new(render::MarkdownWriter::new())),
        ("step summary", Box::new(render::StepSummaryWriter::new())),
    ]
}

/// Feeds `n` answers to `writer`; returns what it held after `at` answers
/// and after all of them, and its output.
fn run(
    writer: &mut dyn ReportWriter,
    answers: &[AnswerReport],
    at: usize,
    n: usize,
) -> (usize, usize, Vec<u8>) {
    let excluded = vec!["drafts/wip.md".to_string()];
    let head = Head {
        excluded: &excluded,
        problems: &[],
    };
    let mut out = Vec::new();
    let mut tally = Tally::default();
    writer.begin(&mut out, &head).unwrap();
    let mut early = 0;
    for i in 0..n {
        let r = nth(answers, i);
        tally.add(&r);
        writer.result(&mut out, &r).unwrap();
        if i + 1 == at {
            early = writer.retained();
        }
    }
    let late = writer.retained();
    writer.finish(&mut out, &tally.summary(0)).unwrap();
    (early, late, out)
}

#[test]
fn no_format_holds_more_for_10000_answers_than_for_1000() {
    let answers = answers();
    for (name, mut writer) in writers() {
        let (early, late, out) = run(&mut *writer, &answers, 1_000, 10_000);
        // Room for the records of blocks moved to a temporary file (16 bytes
        // per 32 KiB of text) and a buffer's growth.
        assert!(
            late <= early + 16 * 1024,
            "{name} holds {early} bytes after 1000 answers, {late} after 10000"
        );
        assert!(late < 1024 * 1024, "{name} holds {late} bytes");
        // Nor anything like its whole text.
        assert!(
            out.len() < 1024 * 1024 || late * 8 < out.len(),
            "{name} holds {late} bytes of {}",
            out.len()
        );
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("answer-009999.md") || name == "github" || name == "step summary",
            "{name} shows the last answer"
        );
    }
}

#[test]
fn the_table_keeps_a_small_row_per_answer() {
    let answers = answers();
    let mut writer = render::CheckTableWriter::new(Style::default());
    let (early, late, out) = run(&mut writer, &answers, 400, 4_000);
    let per_answer = (late - early) / 3_600;
    let whole = render::json_line(&answers[0]).len();
    assert!(
        per_answer < 400 && per_answer * 5 < whole,
        "{per_answer} bytes per row; an answer's report is {whole}"
    );
    assert!(String::from_utf8(out).unwrap().contains("answer-003999.md"));
}

#[test]
fn answers_are_written_as_they_come() {
    let answers = answers();
    for (name, mut writer) in writers() {
        if !["json", "jsonl", "brief"].contains(&name) {
            continue;
        }
        let mut out = Vec::new();
        writer.begin(&mut out, &Head::default()).unwrap();
        let mut written = Vec::new();
        for i in 0..30 {
            writer.result(&mut out, &nth(&answers, i)).unwrap();
            written.push(out.len());
        }
        assert!(
            written.windows(2).all(|w| w[0] < w[1]),
            "{name} writes each answer when it comes: {written:?}"
        );
    }
}

#[test]
fn sarif_keeps_the_most_severe_results_when_a_run_has_too_many() {
    let answers = answers();
    // A failing answer's score and missing points are errors; a passing
    // one's missing points and every red flag are warnings.
    let (mut errors_per_round, mut warnings_per_round) = (0, 0);
    for r in &answers {
        let Some(s) = &r.scored else { continue };
        if r.fails() {
            errors_per_round += 1 + s.missing.len();
        } else {
            warnings_per_round += s.missing.len();
        }
        warnings_per_round += s.red_flags.len();
    }
    // Fewer errors than fit, more results in all.
    let rounds = (render::MAX_RESULTS - 1) / errors_per_round;
    let (errors, warnings) = (errors_per_round * rounds, warnings_per_round * rounds);
    assert!(
        errors + warnings > render::MAX_RESULTS,
        "{errors} + {warnings}"
    );
    let mut writer = render::SarifWriter::new(None);
    let (_, _, out) = run(&mut writer, &answers, 1, answers.len() * rounds);
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), render::MAX_RESULTS);
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert!(levels[..errors].iter().all(|l| *l == "error"));
    assert!(levels[errors..].iter().all(|l| *l == "warning"));
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    // One per answer that could not be scored, then the count left out.
    assert_eq!(notes.len(), rounds + 1);
    assert_eq!(
        notes[rounds]["message"]["text"],
        format!(
            "{} more results left out: GitHub code scanning accepts at most {} results per run (the most severe are kept)",
            errors + warnings - render::MAX_RESULTS,
            render::MAX_RESULTS
        )
    );
}
