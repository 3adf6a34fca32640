//! JUnit XML, for CI test reports.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, Report as JUnitReport, TestCase, TestCaseStatus, TestSuite};

use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::Report;
use crate::scoring::result::AnswerReport;

/// The answer file and line of a testcase, as CI test reporters read them.
fn located(case: &mut TestCase, answer: &str) {
    case.extra.insert("file".into(), answer.into());
    case.extra.insert("line".into(), "1".into());
}

/// JUnit XML: one testsuite per rubric, one testcase per answer (with
/// `file`, `line` and `time`); a failing answer's failure lists its missing
/// points with hints; answers the config excludes are skipped testcases.
pub fn junit(report: &Report) -> String {
    let mut suites: BTreeMap<String, Vec<&AnswerReport>> = BTreeMap::new();
    for r in &report.results {
        let key = r
            .scored
            .as_ref()
            .map_or_else(|| "(unscored)".to_string(), |s| s.rubric.clone());
        suites.entry(key).or_default().push(r);
    }
    let mut junit = JUnitReport::new("rubric");
    for (rubric, answers) in suites {
        let mut suite = TestSuite::new(rubric.clone());
        for r in answers {
            let status = match (&r.scored, &r.error) {
                (_, Some(e)) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Error);
                    st.set_message(e.clone()).set_type("input");
                    st
                }
                (Some(s), None) if r.fails() => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let mut description = String::new();
                    for c in missing(s) {
                        let req = if c.required { " (required)" } else { "" };
                        let _ = writeln!(description, "- {}{req}: {}", c.label, hint_of(c));
                    }
                    for f in &s.red_flags {
                        let _ = writeln!(description, "- red flag: {}", f.label);
                    }
                    st.set_message(format!(
                        "score {} / 100: {}",
                        score_text(r, s),
                        r.failures.join("; ")
                    ))
                    .set_type("rubric")
                    .set_description(description);
                    st
                }
                _ => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(r.answer.clone(), status);
            case.set_classname(rubric.clone());
            located(&mut case, &r.answer);
            case.set_time(r.elapsed.unwrap_or_default());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    if !report.excluded.is_empty() {
        let mut suite = TestSuite::new("(excluded)");
        for answer in &report.excluded {
            let mut status = TestCaseStatus::skipped();
            status.set_message("excluded by the config's `exclude`");
            let mut case = TestCase::new(answer.clone(), status);
            case.set_classname("(excluded)");
            located(&mut case, answer);
            case.set_time(std::time::Duration::ZERO);
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    let mut xml = junit.to_string().expect("JUnit XML serializes");
    if !xml.ends_with('\n') {
        xml.push('\n');
    }
    xml
}
