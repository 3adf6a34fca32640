//! JSON and JSON Lines of a check, written as the answers arrive: the same
//! bytes as the whole report given to [`super::json`].

use std::io::{self, Write};

use super::stream::{write_pretty, Head, ReportWriter};
use crate::report::{Summary, SCHEMA};
use crate::scoring::result::AnswerReport;

/// Pretty JSON, `{"schema": …, "results": [ … ], "summary": …}`: the
/// opening first, each answer as it arrives, the totals last. Holds one
/// answer's text at a time.
#[derive(Debug, Default)]
pub struct JsonWriter {
    results: usize,
    buf: Vec<u8>,
}

impl JsonWriter {
    pub fn new() -> Self {
        Self::default()
    }
}

impl ReportWriter for JsonWriter {
    fn begin(&mut self, out: &mut dyn Write, _head: &Head<'_>) -> io::Result<()> {
        write!(out, "{{\n  \"schema\": {SCHEMA},\n  \"results\": [")
    }

    fn result(&mut self, out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        self.buf.clear();
        self.buf.extend_from_slice(if self.results == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        write_pretty(&mut self.buf, r, 2)?;
        out.write_all(&self.buf)?;
        self.results += 1;
        // One large answer does not keep its buffer for the rest of the run.
        self.buf.shrink_to(64 * 1024);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        out.write_all(if self.results == 0 { b"]" } else { b"\n  ]" })?;
        out.write_all(b",\n  \"summary\": ")?;
        let mut text = Vec::new();
        write_pretty(&mut text, summary, 1)?;
        out.write_all(&text)?;
        out.write_all(b"\n}\n")
    }

    fn retained(&self) -> usize {
        self.buf.capacity()
    }
}

/// JSON Lines: one compact line per answer, nothing before or after.
#[derive(Debug, Default)]
pub struct JsonLinesWriter;

impl ReportWriter for JsonLinesWriter {
    fn begin(&mut self, _out: &mut dyn Write, _head: &Head<'_>) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, out: &mut dyn Write, r: &AnswerReport) -> io::Result<()> {
        out.write_all(super::json_line(r).as_bytes())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn retained(&self) -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::stream::render_to_string;
    use crate::report::Report;

    #[test]
    fn streamed_json_is_the_report_as_json() {
        let failed = |i: usize| AnswerReport::failed(format!("a{i}.md"), format!("a{i}.md: gone"));
        for n in [0, 1, 3] {
            let report = Report::new((0..n).map(failed).collect());
            assert_eq!(
                render_to_string(JsonWriter::new(), &report),
                crate::render::json(&report)
            );
        }
    }
}
