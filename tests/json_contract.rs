//! The JSON output, parsed back: every field of the contract
//! (../shared/spec/json-output.md) with its type and meaning.

mod common;

use common::{rubric, stdout};
use serde_json::Value;

fn json(args: &[&str]) -> (Value, i32) {
    let out = rubric(args);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("stdout is one JSON document");
    (v, out.status.code().unwrap())
}

#[test]
fn technical_answer_has_every_contract_field() {
    let (v, code) = json(&[
        "score",
        "samples/idempotency-weak.md",
        "--rubric",
        "idempotency",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "the weak sample fails");
    assert_eq!(v["schema"], 1);
    let r = &v["results"][0];
    assert_eq!(r["answer"], "samples/idempotency-weak.md");
    assert_eq!(r["rubric"], "idempotency");
    let score = r["score"].as_f64().unwrap();
    let coverage = r["coverage"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&score) && (0.0..=100.0).contains(&coverage));
    assert_eq!(r["pass"], false);
    assert!(r["star"].is_null(), "technical rubrics have no STAR part");
    let concepts = r["concepts"].as_array().unwrap();
    let missing: Vec<&str> = r["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    for c in concepts {
        assert!(c["id"].is_string() && c["label"].is_string());
        assert!(c["weight"].as_f64().unwrap() > 0.0);
        let matched = c["matched"].as_bool().unwrap();
        let id = c["id"].as_str().unwrap();
        assert_eq!(
            matched,
            !missing.contains(&id),
            "{id}: missing lists exactly the unmatched concepts"
        );
        if matched {
            let e = &c["evidence"][0];
            assert!(e["text"].as_str().unwrap().len() > 3);
            assert!(e["line"].as_u64().unwrap() >= 1 && e["column"].as_u64().unwrap() >= 1);
        } else {
            assert!(
                c["hint"].is_string(),
                "{id}: unmatched concepts carry a hint"
            );
        }
    }
    // Coverage agrees with the weights of the matched concepts.
    let total: f64 = concepts.iter().map(|c| c["weight"].as_f64().unwrap()).sum();
    let hit: f64 = concepts
        .iter()
        .filter(|c| c["matched"] == true)
        .map(|c| c["weight"].as_f64().unwrap())
        .sum();
    assert!((coverage - (100.0 * hit / total * 10.0).round() / 10.0).abs() < 1e-9);
    assert!(r["red_flags"].is_array());
}

#[test]
fn behavioral_answer_has_the_star_object() {
    let (v, code) = json(&[
        "score",
        "samples/weak-behavioral.md",
        "--rubric",
        "disaster-recovery",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let star = &v["results"][0]["star"];
    assert!(star["score"].as_f64().is_some());
    for part in ["situation", "task", "action", "result"] {
        assert!(star[part]["present"].is_boolean(), "{part}");
        assert!(star[part]["evidence"].is_array(), "{part}");
    }
    assert_eq!(star["task"]["present"], false);
    assert!(star["quantified_result"].is_boolean() && star["in_order"].is_boolean());
    let share = star["first_person_share"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&share));
    let findings: Vec<&str> = star["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        findings.contains(&"no-task") && findings.contains(&"mostly-we"),
        "{findings:?}"
    );
}

#[test]
fn unreadable_answer_is_a_result_with_an_error_and_exit_2() {
    let (v, code) = json(&[
        "score",
        "samples/idempotency-strong.md",
        "samples/nope.md",
        "--rubric",
        "idempotency",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["pass"], true);
    assert_eq!(results[1]["answer"], "samples/nope.md");
    assert!(results[1]["error"]
        .as_str()
        .unwrap()
        .contains("no such file"));
    assert!(
        results[1].get("score").is_none(),
        "no score for an unreadable answer"
    );
}

#[test]
fn detected_rubric_reports_confidence_and_candidates() {
    let (v, code) = json(&["score", "samples/strong-technical.md", "--format", "json"]);
    assert_eq!(code, 0);
    let r = &v["results"][0];
    assert_eq!(r["rubric"], "background-jobs");
    let d = &r["detection"];
    assert!(d["confidence"].as_f64().unwrap() > 0.15);
    assert_eq!(d["candidates"][0]["rubric"], "background-jobs");
}

#[test]
fn output_is_byte_identical_across_runs() {
    for format in ["table", "json"] {
        let args = [
            "score",
            "samples/strong-behavioral.md",
            "samples/typos.md",
            "samples/transcript.txt",
            "--format",
            format,
        ];
        let a = rubric(&args);
        let b = rubric(&args);
        assert_eq!(a.stdout, b.stdout, "{format}");
        assert!(!a.stdout.is_empty());
    }
}
