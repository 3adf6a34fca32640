//! CSV: the cohort's candidates × questions table (RFC 4180 quoting), for a
//! spreadsheet.

use crate::report::coach::Cohort;

/// One row per candidate, one column per question; the reviewer's score
/// where there is one.
pub fn cohort(cohort: &Cohort) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("candidate");
    for q in &cohort.questions {
        out.push(',');
        out.push_str(&quote(q));
    }
    out.push('\n');
    for (c, row) in cohort.candidates.iter().zip(&cohort.cells) {
        out.push_str(&quote(c));
        for cell in row {
            out.push(',');
            if let Some(cell) = cell {
                out.push_str(&cell.review.unwrap_or(cell.score).to_string());
            }
        }
        out.push('\n');
    }
    out
}
