//! Streaming renderers: a report written as its answers arrive, so that a
//! run of any length keeps only what a format's layout needs. A
//! [`ReportWriter`] is told what the run knows before the answers
//! ([`Head`]), then each judged answer in order, then the totals; formats
//! that show something before the answers it depends on (JUnit's counts,
//! SARIF's rules, Markdown's summary line) set text aside in a [`Spool`]
//! and stitch it together at the end.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use crate::report::{Problem, Report, Summary};
use crate::scoring::result::AnswerReport;

/// What a run knows before its answers are scored.
#[derive(Debug, Clone, Copy, Default)]
pub struct Head<'a> {
    /// Answers the config's `exclude` left out (JUnit shows them skipped).
    pub excluded: &'a [String],
    /// Problems of the whole run (a bad config); such a run has no answers.
    pub problems: &'a [Problem],
}

impl<'a> Head<'a> {
    /// The head of a finished report.
    pub fn of(report: &'a Report) -> Self {
        Head {
            excluded: &report.excluded,
            problems: &report.problems,
        }
    }
}

/// A renderer fed one answer at a time: [`begin`](Self::begin), then
/// [`result`](Self::result) for each judged answer in report order, then
/// [`finish`](Self::finish) with the totals. The caller owns `out` and
/// decides where it goes; a writer only formats, and keeps in memory no more
/// than its layout needs ([`retained`](Self::retained)).
pub trait ReportWriter {
    fn begin(&mut self, out: &mut dyn Write, head: &Head<'_>) -> io::Result<()>;
    fn result(&mut self, out: &mut dyn Write, r: &AnswerReport) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
    /// The bytes this writer holds in memory now (buffers, records, text
    /// set aside): what a stream of answers costs while it runs.
    fn retained(&self) -> usize;
}

/// Feeds a finished report to `writer`.
pub fn write_report(
    writer: &mut dyn ReportWriter,
    out: &mut dyn Write,
    report: &Report,
) -> io::Result<()> {
    writer.begin(out, &Head::of(report))?;
    for r in &report.results {
        writer.result(out, r)?;
    }
    writer.finish(out, &report.summary)
}

/// A finished report rendered by `writer` as a string.
pub(crate) fn render_to_string(mut writer: impl ReportWriter, report: &Report) -> String {
    let mut out = Vec::new();
    write_report(&mut writer, &mut out, report).expect("rendering into memory cannot fail");
    String::from_utf8(out).expect("renderers write UTF-8")
}

/// Appends `value` to `out` as pretty JSON nested `depth` levels into a
/// larger document (two spaces a level, serde_json's pretty layout).
pub(crate) fn write_pretty<T: serde::Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    depth: usize,
) -> io::Result<()> {
    let start = out.len();
    if super::fastjson::write(out, value, Some(depth)).is_ok() {
        return Ok(());
    }
    out.truncate(start);
    let mut ser = serde_json::Serializer::with_formatter(out, Nested::at(depth));
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// What serde_json's pretty layout writes before an element, a key or (with
/// `first`) a closing bracket `level` levels in: a comma unless `first`, a
/// line break and two spaces a level.
pub(crate) fn pretty_line<W: ?Sized + Write>(
    w: &mut W,
    first: bool,
    level: usize,
) -> io::Result<()> {
    // ",\n" and the indent in one write for the usual depths.
    const LINE: &[u8; 66] = b",\n                                                                ";
    let indent = level * 2;
    let from = usize::from(first);
    if indent <= LINE.len() - 2 {
        return w.write_all(&LINE[from..2 + indent]);
    }
    w.write_all(&LINE[from..2])?;
    let mut n = indent;
    while n > 0 {
        let k = n.min(LINE.len() - 2);
        w.write_all(&LINE[2..2 + k])?;
        n -= k;
    }
    Ok(())
}

/// serde_json's pretty layout (two spaces a level) starting `depth` levels
/// in, so a value nested in a streamed document is laid out as if the
/// whole document had been serialized at once, without a second pass.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn at(level: usize) -> Self {
        Nested {
            level,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        pretty_line(w, first, self.level)
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            // A closing bracket on its own line, as serde_json writes it.
            self.newline(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A writer that shows the control characters of the text passing through
/// it escaped ([`super::visible_output`]): human formats never carry an
/// answer's control characters raw. With `color`, SGR sequences are kept.
pub struct Visible<W> {
    inner: W,
    color: bool,
    /// The start of a character split between two writes.
    partial: Vec<u8>,
}

impl<W: Write> Visible<W> {
    pub fn new(inner: W, color: bool) -> Self {
        Visible {
            inner,
            color,
            partial: Vec::new(),
        }
    }

    /// The writer underneath, once what is left of a cut character is
    /// written to it.
    pub fn into_inner(mut self) -> io::Result<W> {
        if !self.partial.is_empty() {
            self.inner.write_all(&self.partial)?;
        }
        Ok(self.inner)
    }

    fn pass(&mut self, bytes: &[u8]) -> io::Result<()> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self
                .inner
                .write_all(super::visible_output(text, self.color).as_bytes()),
            Err(e) if e.error_len().is_none() => {
                // A character cut at the end: kept for the next write.
                let (whole, rest) = bytes.split_at(e.valid_up_to());
                let whole = std::str::from_utf8(whole).expect("checked above");
                self.inner
                    .write_all(super::visible_output(whole, self.color).as_bytes())?;
                self.partial = rest.to_vec();
                Ok(())
            }
            // Renderers write text; bytes that are not are passed on as they are.
            Err(_) => self.inner.write_all(bytes),
        }
    }
}

impl<W: Write> Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.partial.is_empty() {
            self.pass(buf)?;
        } else {
            let mut joined = std::mem::take(&mut self.partial);
            joined.extend_from_slice(buf);
            self.pass(&joined)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.partial.is_empty() {
            let rest = std::mem::take(&mut self.partial);
            self.inner.write_all(&rest)?;
        }
        self.inner.flush()
    }
}

/// How much of a section stays in memory before it moves to the file.
const BLOCK: usize = 32 * 1024;

/// How much all sections together keep in memory at most.
const BUDGET: usize = 4 * 1024 * 1024;

/// Text set aside in sections, to be written later section by section, each
/// in the order it was added. A section keeps up to [`BLOCK`] bytes in
/// memory; beyond that (or when all sections together hold [`BUDGET`]) its
/// text moves to one anonymous temporary file, which the system deletes when
/// the spool is dropped. So a spool of any size holds a bounded amount of
/// memory, plus one small record per block moved.
pub(crate) struct Spool<K> {
    file: Option<File>,
    /// The length of the file.
    end: u64,
    sections: BTreeMap<K, Section>,
    /// Bytes held by all sections' buffers.
    buffered: usize,
}

#[derive(Default)]
struct Section {
    /// Where the section's earlier text lies in the file: offset, length.
    moved: Vec<(u64, u64)>,
    /// Its latest text.
    buf: Vec<u8>,
}

impl<K: Ord + Clone> Spool<K> {
    pub fn new() -> Self {
        Spool {
            file: None,
            end: 0,
            sections: BTreeMap::new(),
            buffered: 0,
        }
    }

    /// Adds `bytes` at the end of section `key`.
    pub fn write(&mut self, key: &K, bytes: &[u8]) -> io::Result<()> {
        if !self.sections.contains_key(key) {
            self.sections.insert(key.clone(), Section::default());
        }
        let section = self.sections.get_mut(key).expect("inserted above");
        section.buf.extend_from_slice(bytes);
        self.buffered += bytes.len();
        if section.buf.len() >= BLOCK {
            let moved = section.buf.len();
            move_out(&mut self.file, &mut self.end, section)?;
            self.buffered -= moved;
        }
        if self.buffered >= BUDGET {
            for section in self.sections.values_mut() {
                move_out(&mut self.file, &mut self.end, section)?;
            }
            self.buffered = 0;
        }
        Ok(())
    }

    /// The text of section `key`, from its start.
    pub fn reader(&mut self, key: &K) -> SectionReader<'_> {
        let Spool { file, sections, .. } = self;
        match sections.get(key) {
            Some(s) => SectionReader {
                file: file.as_mut(),
                moved: s.moved.iter(),
                left: 0,
                tail: &s.buf,
            },
            None => SectionReader {
                file: None,
                moved: [].iter(),
                left: 0,
                tail: &[],
            },
        }
    }

    /// Writes section `key` to `out`.
    pub fn copy(&mut self, key: &K, out: &mut dyn Write) -> io::Result<()> {
        io::copy(&mut self.reader(key), out)?;
        Ok(())
    }

    /// The bytes held in memory: the sections' buffers and records.
    pub fn retained(&self) -> usize {
        self.sections
            .values()
            .map(|s| {
                s.buf.capacity()
                    + s.moved.capacity() * std::mem::size_of::<(u64, u64)>()
                    + std::mem::size_of::<Section>()
            })
            .sum()
    }
}

/// Moves a section's buffer to the end of the file.
fn move_out(file: &mut Option<File>, end: &mut u64, section: &mut Section) -> io::Result<()> {
    if section.buf.is_empty() {
        return Ok(());
    }
    let f = match file {
        Some(f) => f,
        None => file.insert(tempfile::tempfile()?),
    };
    f.seek(SeekFrom::Start(*end))?;
    f.write_all(&section.buf)?;
    let len = section.buf.len() as u64;
    match section.moved.last_mut() {
        // Text that follows the section's last block in the file extends it.
        Some((at, n)) if *at + *n == *end => *n += len,
        _ => section.moved.push((*end, len)),
    }
    *end += len;
    section.buf.clear();
    if section.buf.capacity() > BLOCK * 2 {
        section.buf.shrink_to(BLOCK);
    }
    Ok(())
}

/// Reads one section of a [`Spool`]: its blocks in the file, then its buffer.
pub(crate) struct SectionReader<'s> {
    file: Option<&'s mut File>,
    moved: std::slice::Iter<'s, (u64, u64)>,
    /// Bytes left in the current block.
    left: u64,
    tail: &'s [u8],
}

impl Read for SectionReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.left > 0 {
                let file = self.file.as_mut().expect("blocks lie in the file");
                let want = buf
                    .len()
                    .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                let n = file.read(&mut buf[..want])?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "temporary file shorter than written",
                    ));
                }
                self.left -= n as u64;
                return Ok(n);
            }
            match self.moved.next() {
                Some(&(at, len)) => {
                    let file = self.file.as_mut().expect("blocks lie in the file");
                    file.seek(SeekFrom::Start(at))?;
                    self.left = len;
                }
                None => return self.tail.read(buf),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(spool: &mut Spool<u8>, key: u8) -> Vec<u8> {
        let mut out = Vec::new();
        spool.copy(&key, &mut out).unwrap();
        out
    }

    #[test]
    fn a_spool_gives_back_each_section_in_order() {
        let mut spool = Spool::new();
        let mut expected: [Vec<u8>; 3] = Default::default();
        for i in 0..20_000u32 {
            let key = (i % 3) as u8;
            let text = format!("line {i} of section {key}\n");
            spool.write(&key, text.as_bytes()).unwrap();
            expected[key as usize].extend_from_slice(text.as_bytes());
        }
        for key in 0..3 {
            assert_eq!(read_all(&mut spool, key), expected[key as usize]);
        }
        // Read twice, the same.
        assert_eq!(read_all(&mut spool, 1), expected[1]);
        assert!(read_all(&mut spool, 9).is_empty());
        assert!(spool.retained() < 3 * 2 * BLOCK, "{}", spool.retained());
    }

    #[test]
    fn visible_escapes_control_characters_split_between_writes() {
        let mut out = Visible::new(Vec::new(), false);
        let text = "é \u{1b}]0;x\u{7} ok\n".as_bytes();
        // Cut inside `é`.
        out.write_all(&text[..1]).unwrap();
        out.write_all(&text[1..]).unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "é \\u{1b}]0;x\\u{7} ok\n"
        );
    }
}
