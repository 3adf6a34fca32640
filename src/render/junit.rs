//! JUnit XML, for CI test reports.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report as JUnitReport, TestCase, TestCaseStatus, TestSuite};

use super::stream::{render_to_string, Head, ReportWriter, Spool};
use super::{missing, score_text};
use crate::report::guide::hint as hint_of;
use crate::report::{Report, Summary};
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
    render_to_string(JunitWriter::new(), report)
}

/// A testsuite: rubrics in order, then the answers excluded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Suite {
    Rubric(String),
    Excluded,
}

impl Suite {
    fn name(&self) -> &str {
        match self {
            Suite::Rubric(r) => r,
            Suite::Excluded => "(excluded)",
        }
    }
}

/// The counts a testsuite's element carries before its testcases.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tests: usize,
    disabled: usize,
    errors: usize,
    failures: usize,
}

/// [`junit`] as answers arrive: each testcase's XML is set aside in its
/// rubric's section of a [`Spool`] with the suite's counts, and the
/// document (whose elements carry their counts first) is put together at
/// the end.
pub struct JunitWriter {
    counts: BTreeMap<Suite, Counts>,
    spool: Spool<Suite>,
}

impl Default for JunitWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl JunitWriter {
    pub fn new() -> Self {
        JunitWriter {
            counts: BTreeMap::new(),
            spool: Spool::new(),
        }
    }

    fn add(&mut self, suite: Suite, case: TestCase) -> io::Result<()> {
        let counts = self.counts.entry(suite.clone()).or_default();
        counts.tests += 1;
        match &case.status {
            TestCaseStatus::Success { .. } => {}
            TestCaseStatus::NonSuccess { kind, .. } => match kind {
                NonSuccessKind::Failure => counts.failures += 1,
                NonSuccessKind::Error => counts.errors += 1,
            },
            TestCaseStatus::Skipped { .. } => counts.disabled += 1,
        }
        self.spool.write(&suite, testcase_xml(case).as_bytes())
    }
}

/// Indents and ends the testcases of a suite, as quick-junit writes them.
const SUITE_END: &str = "\n    </testsuite>";

/// A testcase's XML as quick-junit writes it inside a testsuite: rendered
/// in a document of its own and taken out of it.
fn testcase_xml(case: TestCase) -> String {
    let mut suite = TestSuite::new("x");
    suite.add_test_case(case);
    let mut doc = JUnitReport::new("rubric");
    doc.add_test_suite(suite);
    let xml = doc.to_string().expect("JUnit XML serializes");
    let start = xml
        .find("\n        <testcase")
        .expect("a testcase inside its suite");
    let end = xml.rfind(SUITE_END).expect("the suite is closed");
    xml[start..end].to_string()
}

impl ReportWriter for JunitWriter {
    fn begin(&mut self, _out: &mut dyn Write, head: &Head<'_>) -> io::Result<()> {
        for answer in head.excluded {
            let mut status = TestCaseStatus::skipped();
            status.set_message("excluded by the config's `exclude`");
            let mut case = TestCase::new(answer.clone(), status);
            case.set_classname("(excluded)");
            located(&mut case, answer);
            case.set_time(std::time::Duration::ZERO);
            self.add(Suite::Excluded, case)?;
        }
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        let rubric = r
            .scored
            .as_ref()
            .map_or_else(|| "(unscored)".to_string(), |s| s.rubric.clone());
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
        self.add(Suite::Rubric(rubric), case)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        // The document without testcases, counts in place: each suite's
        // testcases go before its end tag.
        let mut doc = JUnitReport::new("rubric");
        for (suite, c) in &self.counts {
            let mut s = TestSuite::new(suite.name());
            s.tests = c.tests;
            s.disabled = c.disabled;
            s.errors = c.errors;
            s.failures = c.failures;
            doc.add_test_suite(s);
        }
        let mut skeleton = doc.to_string().expect("JUnit XML serializes");
        if !skeleton.ends_with('\n') {
            skeleton.push('\n');
        }
        let mut rest = skeleton.as_str();
        let suites: Vec<Suite> = self.counts.keys().cloned().collect();
        for suite in &suites {
            let at = rest.find(SUITE_END).expect("one end tag per suite");
            out.write_all(&rest.as_bytes()[..at])?;
            self.spool.copy(suite, out)?;
            rest = &rest[at..];
            out.write_all(SUITE_END.as_bytes())?;
            rest = &rest[SUITE_END.len()..];
        }
        out.write_all(rest.as_bytes())
    }

    fn retained(&self) -> usize {
        self.spool.retained() + self.counts.len() * (std::mem::size_of::<(Suite, Counts)>() + 32)
    }
}
