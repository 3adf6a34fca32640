//! `rubric report`: the HTML and Markdown a person reads, the cohort view,
//! progress over dated attempts, reviewer overrides and guide mode.

mod common;

use common::{rubric, stdout};
use serde_json::Value;

fn report_into(dir: &std::path::Path, extra: &[&str]) -> (String, String) {
    let out_dir = dir.to_str().unwrap();
    let mut args = vec!["report", "--cohort", "samples/cohort", "--out", out_dir];
    args.extend_from_slice(extra);
    let out = rubric(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        std::fs::read_to_string(dir.join("report.html")).unwrap(),
        std::fs::read_to_string(dir.join("report.md")).unwrap(),
    )
}

#[test]
fn html_is_self_contained_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let (html, md) = report_into(dir.path(), &[]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for banned in [
        "<script", "<link", " src=", "@import", "url(", "http://", "https://",
    ] {
        assert!(
            !html.contains(banned),
            "the report must work offline: found {banned}"
        );
    }
    assert_eq!(html.matches("<section class=\"answer\"").count(), 10);
    // Evidence highlighted and labelled, a coverage chart per answer, a STAR timeline for stories.
    assert!(html.contains("<mark data-concept=\"idempotency-key\""));
    assert_eq!(html.matches("<svg class=\"coverage\"").count(), 10);
    assert!(html.contains("<svg class=\"star-timeline\""));
    assert!(html.contains("<span class=\"tag situation\">S</span>"));
    // Charts with legends and values: covered / partial / missed with the
    // weight, the timeline lettered S/T/A/R over sentence numbers, progress
    // over dates with scores.
    let coverage = &html[html.find("<svg class=\"coverage\"").unwrap()..];
    let coverage = &coverage[..coverage.find("</svg>").unwrap()];
    for text in [
        "\ncovered\n",
        "\npartial (named only)\n",
        "\nmissed\n",
        "weight (points)",
    ] {
        assert!(coverage.contains(text), "coverage chart lacks {text:?}");
    }
    assert!(
        html.contains(" · missed\n</text>"),
        "a missed concept's row says so"
    );
    let timeline = &html[html.find("<svg class=\"star-timeline\"").unwrap()..];
    let timeline = &timeline[..timeline.find("</svg>").unwrap()];
    for text in [
        "\nS situation\n",
        "\nR result\n",
        "\nO other\n",
        "\nsentence\n",
        "\nA\n",
    ] {
        assert!(timeline.contains(text), "STAR timeline lacks {text:?}");
    }
    // Missing points with hints, red flags, delivery.
    assert!(html.contains("<h3>Missing points</h3>"));
    assert!(html.contains("<table class=\"delivery\">"));
    // Cohort table: 3 candidates × 3 questions; progress for chen.
    assert!(html.contains("<table class=\"cohort-table\">"));
    let cohort = &html[html.find("cohort-table").unwrap()..html.find("<h3>Most missed").unwrap()];
    assert_eq!(
        cohort.matches("<tr><th>").count(),
        4,
        "a header and one row per candidate"
    );
    assert!(html.contains("<h3>chen — idempotency</h3>"));
    assert!(html.contains("<svg class=\"trend\""));
    let trend = &html[html.find("<svg class=\"trend\"").unwrap()..];
    let trend = &trend[..trend.find("</svg>").unwrap()];
    assert!(trend.contains("\nattempt date\n") && trend.contains("\nscore\n"));
    assert!(trend.contains("\n2026-"), "dated x axis");
    // The reviewer's score beside the automatic one.
    assert!(html.contains("reviewer score <strong>62</strong>: Honest story"));
    assert!(md.starts_with("# rubric report"));
    assert!(md.contains("## Cohort") && md.contains("### chen — idempotency"));
    assert!(
        md.contains("**idempotency key** _[idempotency-key]_")
            || md.contains("_[idempotency-key]_")
    );
}

#[test]
fn guide_mode_hides_labels_and_asks_questions() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = report_into(dir.path(), &["--guide"]);
    let weak = &html[html.find("samples/cohort/bo/idempotency.md").unwrap()..];
    let weak = &weak[..weak.find("</section>").unwrap()];
    assert!(weak.contains("<h3>Questions to think about</h3>"));
    assert!(
        !weak.contains("Uses a client-generated idempotency key"),
        "the label of a missing point is held back"
    );
    assert!(weak.contains(
        "How can the server recognise that two requests are the same logical operation?"
    ));
}

#[test]
fn cohort_csv_and_json() {
    let out = rubric(&["report", "--cohort", "samples/cohort", "--format", "csv"]);
    let csv = stdout(&out);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        vec![
            "candidate",
            "idempotency",
            "production-incident",
            "rate-limiting-algorithms"
        ]
    );
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2][0], "bo");
    assert_eq!(rows[2][2], "62", "the reviewer's score decides");
    for row in &rows[1..] {
        for v in &row[1..] {
            v.parse::<f64>().unwrap();
        }
    }
    let out = rubric(&["report", "--cohort", "samples/cohort", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let missed = &v["cohort"]["most_missed"][0];
    assert_eq!(missed["missed_by"], 2);
    let trend = &v["progress"][0];
    assert_eq!(trend["person"], "chen");
    assert_eq!(trend["attempts"].as_array().unwrap().len(), 2);
    assert!(trend["attempts"][1]["newly_covered"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "idempotency-key"));
    assert!(trend["attempts"][1]["score"].as_f64() > trend["attempts"][0]["score"].as_f64());
}

#[test]
fn review_is_kept_beside_the_automatic_score_in_json() {
    let out = rubric(&[
        "check",
        "samples/cohort/bo",
        "--format",
        "json",
        "--rubric",
        "production-incident",
    ]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let r = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["answer"]
                .as_str()
                .unwrap()
                .ends_with("production-incident.md")
        })
        .unwrap();
    assert_eq!(r["review"]["score"], 62.0);
    assert!(
        r["score"].as_f64().unwrap() < 60.0,
        "the automatic score stays"
    );
    assert_eq!(r["pass"], true, "the reviewer's score decides pass/fail");
    assert!(r.get("failures").is_none());
}

#[test]
fn report_output_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(report_into(a.path(), &[]), report_into(b.path(), &[]));
}

#[test]
fn suggested_drafts_lint_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("draft.toml");
    for sample in [
        "samples/strong-technical.md",
        "samples/strong-behavioral.md",
        "samples/bullets.md",
    ] {
        let out = rubric(&["suggest", sample, "--out", out_file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{sample}");
        let lint = rubric(&["lint", out_file.to_str().unwrap()]);
        assert_eq!(lint.status.code(), Some(0), "{sample}: {}", stdout(&lint));
        let draft = std::fs::read_to_string(&out_file).unwrap();
        let concepts = draft.matches("[[concept]]").count();
        assert!(
            (5..=10).contains(&concepts),
            "{sample}: {concepts} concepts"
        );
    }
}
