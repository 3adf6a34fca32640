//! Transcripts: SRT, WebVTT, Whisper JSON and Otter-style text, read into
//! timed, attributed segments; plain text and Markdown pass through.
//!
//! Tolerated (documented in docs/transcripts.md): a BOM, CRLF line ends,
//! missing SRT cue numbers, `.` instead of `,` in SRT times, cue settings
//! after VTT times, NOTE/STYLE blocks, empty cues (skipped), overlapping or
//! out-of-order cues (kept in file order, with a note). Rejected with
//! `path:line`: a malformed timestamp, an end before its start, a VTT file
//! without the WEBVTT header, JSON that does not parse or has no segments.

use std::fmt;

use serde::Deserialize;

/// The kind of an answer file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Srt,
    Vtt,
    WhisperJson,
    Otter,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Srt => "srt",
            Format::Vtt => "vtt",
            Format::WhisperJson => "whisper-json",
            Format::Otter => "otter",
        }
    }

    pub fn is_timed(self) -> bool {
        !matches!(self, Format::Text)
    }
}

/// One cue or segment of speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub speaker: Option<String>,
    /// Seconds from the start of the recording.
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub text: String,
    /// 1-based line of the text in the file.
    pub line: usize,
    /// Another speaker spoke just before this segment (set when one
    /// speaker's segments are kept): the silence before it is no pause.
    pub after_other_speaker: bool,
}

/// A parsed transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    pub format: Format,
    pub segments: Vec<Segment>,
    /// Problems tolerated while reading, for the report.
    pub notes: Vec<String>,
}

/// A transcript that could not be read: `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

impl std::error::Error for TranscriptError {}

fn err(line: usize, message: impl Into<String>) -> TranscriptError {
    TranscriptError {
        line,
        message: message.into(),
    }
}

/// The format of a file, from its extension, confirmed by its content: a
/// `.txt` file whose first line is an Otter speaker line is Otter text; a
/// `.srt` without any `-->` is plain text.
pub fn detect(name: &str, text: &str) -> Format {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    match ext {
        "srt" if text.contains("-->") => Format::Srt,
        "vtt" => Format::Vtt,
        "json" => Format::WhisperJson,
        _ if body.starts_with("WEBVTT") => Format::Vtt,
        "txt" | "text" | "" if !body.is_empty() && otter_header(first_line(body)).is_some() => {
            Format::Otter
        }
        _ => Format::Text,
    }
}

/// The first line of `text` as `lines()` gives it, found by the memchr
/// crate's byte search (a written answer is one long line).
fn first_line(text: &str) -> &str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        // A carriage return goes with the line break, not without one.
        Some(i) => text[..i].strip_suffix('\r').unwrap_or(&text[..i]),
        None => text,
    }
}

/// Reads a transcript of a known format.
pub fn parse(format: Format, text: &str) -> Result<Transcript, TranscriptError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut t = match format {
        Format::Text => Transcript {
            format,
            segments: vec![Segment {
                speaker: None,
                start: None,
                end: None,
                text: text.to_string(),
                line: 1,
                after_other_speaker: false,
            }],
            notes: Vec::new(),
        },
        Format::Srt => parse_cues(text, false)?,
        Format::Vtt => parse_cues(text, true)?,
        Format::WhisperJson => parse_whisper(text)?,
        Format::Otter => parse_otter(text)?,
    };
    if format.is_timed() {
        order_notes(&mut t);
        // Notes read best in file order ("line 7: …" before "line 12: …").
        t.notes.sort_by_key(|n| {
            n.strip_prefix("line ")
                .and_then(|r| r.split(':').next())
                .and_then(|l| l.parse::<usize>().ok())
                .unwrap_or(0)
        });
    }
    Ok(t)
}

fn order_notes(t: &mut Transcript) {
    let mut previous_end: Option<(f64, usize)> = None;
    for s in &t.segments {
        if let (Some(start), Some((end, line))) = (s.start, previous_end) {
            if start + 0.001 < end {
                t.notes.push(format!(
                    "line {}: cue starts at {} before the previous cue (line {line}) ends at {}; kept in file order",
                    s.line,
                    mmss(start),
                    mmss(end)
                ));
            }
        }
        if let Some(end) = s.end {
            previous_end = Some((end, s.line));
        }
    }
}

/// `mm:ss` (or `h:mm:ss`) for a time in seconds.
pub fn mmss(seconds: f64) -> String {
    let total = seconds.max(0.0).floor() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// Parses `HH:MM:SS,mmm`, `HH:MM:SS.mmm` or `MM:SS.mmm` into seconds.
pub fn parse_time(s: &str) -> Option<f64> {
    // `,` and `.` both separate the seconds' fraction (SRT and WebVTT); a
    // comma anywhere else fails as it always did. No allocation: a
    // transcript has two of these per cue.
    let mut parts = s.trim().split(':');
    let (first, second, third) = (parts.next()?, parts.next(), parts.next());
    if parts.next().is_some() {
        return None;
    }
    let (h, m, sec) = match (second, third) {
        (Some(m), Some(sec)) => (first.parse::<u64>().ok()?, m.parse::<u64>().ok()?, sec),
        (Some(sec), None) => (0, first.parse::<u64>().ok()?, sec),
        _ => return None,
    };
    let (whole, frac) = sec.split_once(['.', ',']).unwrap_or((sec, "0"));
    if whole.len() != 2 || m >= 60 || frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    if whole >= 60 {
        return None;
    }
    let mut buf = [0u8; 40];
    let frac: f64 = if frac.len() + 2 <= buf.len() {
        buf[..2].copy_from_slice(b"0.");
        buf[2..2 + frac.len()].copy_from_slice(frac.as_bytes());
        std::str::from_utf8(&buf[..2 + frac.len()])
            .ok()?
            .parse()
            .ok()?
    } else {
        format!("0.{frac}").parse().ok()?
    };
    // Huge hours (`18446744073709551615:00:00`) overflow: no time at all.
    let secs = h.checked_mul(3600)?.checked_add(m * 60 + whole)?;
    let t = secs as f64 + frac;
    (t <= crate::model::number::MAX_SECONDS).then_some(t)
}

/// SRT and WebVTT cues.
fn parse_cues(text: &str, vtt: bool) -> Result<Transcript, TranscriptError> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut i = 0;
    let mut segments = Vec::new();
    let mut notes = Vec::new();
    if vtt {
        let first = lines.iter().position(|l| !l.trim().is_empty());
        match first {
            Some(k) if lines[k].trim_start().starts_with("WEBVTT") => i = k + 1,
            Some(k) => return Err(err(k + 1, "a WebVTT file must start with `WEBVTT`")),
            None => return Err(err(1, "the transcript is empty")),
        }
    }
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        if vtt
            && (line.starts_with("NOTE") || line.starts_with("STYLE") || line.starts_with("REGION"))
        {
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            continue;
        }
        // A cue: optional identifier line, then the timing line.
        let (timing_at, timing) = if line.contains("-->") {
            (i, line)
        } else if i + 1 < lines.len() && lines[i + 1].contains("-->") {
            (i + 1, lines[i + 1].trim())
        } else {
            return Err(err(
                i + 1,
                format!("expected a cue timing line `start --> end`, found `{line}`"),
            ));
        };
        let (start, end) = parse_timing(timing).ok_or_else(|| {
            err(
                timing_at + 1,
                format!(
                    "malformed cue timing `{timing}` (expected `00:00:01,000 --> 00:00:04,000`)"
                ),
            )
        })?;
        if end < start {
            return Err(err(
                timing_at + 1,
                format!(
                    "cue ends ({}) before it starts ({})",
                    mmss(end),
                    mmss(start)
                ),
            ));
        }
        let mut j = timing_at + 1;
        let mut texts: Vec<(usize, &str)> = Vec::new();
        while j < lines.len() && !lines[j].trim().is_empty() {
            texts.push((j + 1, lines[j]));
            j += 1;
        }
        if texts.is_empty() {
            notes.push(format!("line {}: empty cue skipped", timing_at + 1));
        }
        for (line_no, raw) in texts {
            let (speaker, body) = if vtt {
                vtt_text(raw)
            } else {
                (None, strip_tags(raw))
            };
            let (speaker, body) = match speaker {
                Some(s) => (Some(s), body),
                None => split_name_prefix(&body),
            };
            if body.trim().is_empty() {
                continue;
            }
            segments.push(Segment {
                speaker,
                start: Some(start),
                end: Some(end),
                text: body.trim().to_string(),
                line: line_no,
                after_other_speaker: false,
            });
        }
        i = j;
    }
    if segments.is_empty() {
        return Err(err(1, "the transcript has no cue with text"));
    }
    Ok(Transcript {
        format: if vtt { Format::Vtt } else { Format::Srt },
        segments,
        notes,
    })
}

fn parse_timing(line: &str) -> Option<(f64, f64)> {
    let (a, b) = line.split_once("-->")?;
    // VTT cue settings follow the end time ("00:04.000 align:start").
    let b = b.split_whitespace().next()?;
    Some((parse_time(a)?, parse_time(b)?))
}

/// A VTT cue line: its `<v Name>` speaker and its text without tags.
fn vtt_text(line: &str) -> (Option<String>, String) {
    let trimmed = line.trim_start();
    let speaker = trimmed.strip_prefix("<v").and_then(|rest| {
        let rest = rest
            .strip_prefix('.')
            .map_or(rest, |r| r.split_once(' ').map_or(r, |(_, n)| n));
        let end = rest.find('>')?;
        let name = rest[..end].trim();
        (!name.is_empty()).then(|| name.to_string())
    });
    (speaker, strip_tags(line))
}

/// Removes `<...>` tags and decodes the entities WebVTT uses.
fn strip_tags(line: &str) -> String {
    if !line.contains(['<', '&']) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
}

/// `Name: text` as Zoom and Teams export it (a short name of 1-3 words).
fn split_name_prefix(text: &str) -> (Option<String>, String) {
    if let Some((name, rest)) = text.split_once(": ") {
        let name = name.trim();
        let words = name.split_whitespace().count();
        let plausible = (1..=3).contains(&words)
            && name.len() <= 40
            && name.chars().next().is_some_and(char::is_uppercase)
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '.' || c == '-' || c == '\'');
        if plausible {
            return (Some(name.to_string()), rest.to_string());
        }
    }
    (None, text.to_string())
}

#[derive(Deserialize)]
struct WhisperDoc {
    segments: Option<Vec<WhisperSegment>>,
}

#[derive(Deserialize)]
struct WhisperSegment {
    start: f64,
    end: f64,
    text: String,
    #[serde(default)]
    speaker: Option<String>,
}

/// Whisper (and WhisperX) JSON: `segments` with `start`, `end`, `text`,
/// optionally `speaker` and word timestamps (not needed for scoring).
fn parse_whisper(text: &str) -> Result<Transcript, TranscriptError> {
    let doc: WhisperDoc = serde_json::from_str(text).map_err(|e| {
        let what = if e.is_eof() {
            "truncated JSON"
        } else {
            "not Whisper JSON"
        };
        err(e.line().max(1), format!("{what}: {e}"))
    })?;
    let segments = doc
        .segments
        .ok_or_else(|| err(1, "Whisper JSON without a `segments` list"))?;
    // Segments carry no line numbers: find each one's text in the file.
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut search_from = 0;
    let mut lines = LineCounter::new(text);
    for (k, s) in segments.into_iter().enumerate() {
        for (key, v) in [("start", s.start), ("end", s.end)] {
            if let Err(message) = crate::model::number::seconds(key, v) {
                return Err(err(1, format!("segment {k}: {message}")));
            }
        }
        if s.end < s.start {
            return Err(err(
                1,
                format!(
                    "segment {k} ends ({}) before it starts ({})",
                    s.end, s.start
                ),
            ));
        }
        let body = s.text.trim().to_string();
        if body.is_empty() {
            notes.push(format!("segment {k}: empty, skipped"));
            continue;
        }
        let line = find_line(text, &body, &mut search_from, &mut lines);
        out.push(Segment {
            speaker: s.speaker,
            start: Some(s.start),
            end: Some(s.end),
            text: body,
            line,
            after_other_speaker: false,
        });
    }
    if out.is_empty() {
        return Err(err(1, "the transcript has no segment with text"));
    }
    Ok(Transcript {
        format: Format::WhisperJson,
        segments: out,
        notes,
    })
}

/// The line of an offset, counted incrementally (offsets only grow), so a
/// file with many segments is read once, not once per segment.
struct LineCounter<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            at: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, offset: usize) -> usize {
        if offset > self.at {
            self.line += self.text.as_bytes()[self.at..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.at = offset;
        }
        self.line
    }
}

fn find_line(text: &str, needle: &str, from: &mut usize, lines: &mut LineCounter<'_>) -> usize {
    let probe: String = needle.chars().take(24).collect();
    let probe = serde_json::to_string(&probe).unwrap_or_default();
    let probe = probe.trim_matches('"');
    if let Some(i) = text[*from..].find(probe) {
        *from += i;
    }
    lines.line_of(*from)
}

/// An Otter speaker line: `Name  1:23` (or `Name 0:01:23`).
fn otter_header(line: &str) -> Option<(String, f64)> {
    let line = line.trim();
    let (name, time) = line.rsplit_once(char::is_whitespace)?;
    let name = name.trim();
    if name.is_empty() || name.len() > 60 || !time.contains(':') {
        return None;
    }
    let parts: Vec<&str> = time.split(':').collect();
    let ok = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    let mut secs: u64 = 0;
    for p in parts {
        secs = secs.checked_mul(60)?.checked_add(p.parse().ok()?)?;
    }
    let secs = crate::model::number::seconds("time", secs as f64).ok()?;
    Some((name.to_string(), secs))
}

fn parse_otter(text: &str) -> Result<Transcript, TranscriptError> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut current: Option<(String, f64)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if let Some(h) = otter_header(line) {
            current = Some(h);
            continue;
        }
        let Some((name, start)) = &current else {
            return Err(err(
                i + 1,
                "Otter text must start with a speaker line such as `Alex  0:00`",
            ));
        };
        segments.push(Segment {
            speaker: Some(name.clone()),
            start: Some(*start),
            end: None,
            text: line.trim().to_string(),
            line: i + 1,
            after_other_speaker: false,
        });
    }
    // A turn ends where the next one starts (one pass, from the end).
    let mut next_start: Option<f64> = None;
    let mut turn_start: Option<f64> = None;
    for seg in segments.iter_mut().rev() {
        if seg.start != turn_start {
            next_start = turn_start;
            turn_start = seg.start;
        }
        seg.end = next_start;
    }
    if segments.is_empty() {
        return Err(err(1, "the transcript has no speech"));
    }
    Ok(Transcript {
        format: Format::Otter,
        segments,
        notes: Vec::new(),
    })
}

/// Whose speech was scored, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpeakerChoice {
    pub speaker: String,
    pub reason: String,
    /// Every speaker with their word count, most words first.
    pub speakers: Vec<(String, usize)>,
}

/// `--speaker` names no one in the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSpeaker {
    pub wanted: String,
    /// The transcript's speakers, most words first.
    pub speakers: Vec<String>,
}

impl fmt::Display for UnknownSpeaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no speaker `{}` in the transcript; speakers: {}",
            self.wanted,
            self.speakers.join(", ")
        )
    }
}

impl std::error::Error for UnknownSpeaker {}

/// Keeps the segments of one speaker: `wanted`, or with several speakers the
/// one who speaks most (the candidate usually does).
pub fn select_speaker(
    t: &mut Transcript,
    wanted: Option<&str>,
) -> Result<Option<SpeakerChoice>, UnknownSpeaker> {
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in &t.segments {
        let name = s.speaker.as_deref().unwrap_or("(unnamed)");
        *by_name.entry(name).or_default() += crate::model::words::count_words(&s.text);
    }
    let mut counts: Vec<(String, usize)> = by_name
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let named = t.segments.iter().any(|s| s.speaker.is_some());
    let (speaker, reason) = match wanted {
        Some(w) => {
            let found = counts
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(w))
                .map(|(n, _)| n.clone());
            match found {
                Some(n) => (n, "chosen with --speaker".to_string()),
                None => {
                    return Err(UnknownSpeaker {
                        wanted: w.to_string(),
                        speakers: counts.into_iter().map(|(n, _)| n).collect(),
                    });
                }
            }
        }
        None if !named => return Ok(None),
        None if counts.len() == 1 => (counts[0].0.clone(), "the only speaker".to_string()),
        None => (
            counts[0].0.clone(),
            format!(
                "spoke most ({} of {} words); choose another with --speaker",
                counts[0].1,
                counts.iter().map(|c| c.1).sum::<usize>()
            ),
        ),
    };
    let is_theirs = |s: &Segment| s.speaker.as_deref().unwrap_or("(unnamed)") == speaker;
    for i in 1..t.segments.len() {
        if is_theirs(&t.segments[i]) && !is_theirs(&t.segments[i - 1]) {
            t.segments[i].after_other_speaker = true;
        }
    }
    t.segments.retain(is_theirs);
    Ok(Some(SpeakerChoice {
        speaker,
        reason,
        speakers: counts,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_is_the_first_of_lines() {
        for text in ["a", "a\nb", "a\r\nb", "\nb", "a\r", "x\ry\n"] {
            assert_eq!(Some(first_line(text)), text.lines().next(), "{text:?}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("00:01:02,500"), Some(62.5));
        assert_eq!(parse_time("01:02.250"), Some(62.25));
        assert_eq!(parse_time("1:02:03.000"), Some(3723.0));
        assert_eq!(parse_time("00:61:00,000"), None);
        assert_eq!(parse_time("00:00:1,000"), None);
        assert_eq!(parse_time(" 00:00:05 "), Some(5.0));
        assert_eq!(parse_time("00:00:05,5,5"), None);
        assert_eq!(parse_time("1,0:00:00"), None);
        assert_eq!(parse_time("00:00:00:00"), None);
        assert_eq!(
            parse_time("00:00:01.123456789012345678901234567890123456789"),
            Some(1.1234567890123457)
        );
        assert_eq!(mmss(62.9), "01:02");
        assert_eq!(mmss(3723.0), "1:02:03");
    }

    #[test]
    fn srt_with_bom_crlf_and_missing_numbers() {
        let srt = "\u{feff}1\r\n00:00:01,000 --> 00:00:03,000\r\nso um basically\r\n\r\n00:00:03,100 --> 00:00:05,000\r\nwe used reddis\r\n";
        let t = parse(Format::Srt, srt).unwrap();
        assert_eq!(t.segments.len(), 2);
        assert_eq!(t.segments[1].text, "we used reddis");
        assert_eq!(t.segments[1].start, Some(3.1));
        assert_eq!(t.segments[1].line, 6);
    }

    #[test]
    fn srt_errors_name_the_line() {
        let e = parse(Format::Srt, "1\n00:00:01,000 --> 00:0x:03,000\nhello\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("malformed cue timing"));
        let e = parse(Format::Srt, "1\n00:00:05,000 --> 00:00:03,000\nhello\n").unwrap_err();
        assert!(e.message.contains("ends (00:03) before it starts (00:05)"));
    }

    #[test]
    fn overlapping_cues_are_kept_with_a_note() {
        let srt = "1\n00:00:01,000 --> 00:00:05,000\na\n\n2\n00:00:04,000 --> 00:00:06,000\nb\n\n3\n00:00:07,000 --> 00:00:08,000\n\n";
        let t = parse(Format::Srt, srt).unwrap();
        assert_eq!(t.segments.len(), 2);
        assert!(
            t.notes
                .iter()
                .any(|n| n.contains("before the previous cue")),
            "{:?}",
            t.notes
        );
        assert!(
            t.notes.iter().any(|n| n.contains("empty cue")),
            "{:?}",
            t.notes
        );
    }

    #[test]
    fn vtt_voices_prefixes_and_settings() {
        let vtt = "WEBVTT\n\nNOTE exported by a meeting tool\n\n1\n00:00.000 --> 00:02.000 align:start\n<v Interviewer>How would you cache this?</v>\n\n00:02.500 --> 00:06.000\nAlex Kim: I would use <b>cache aside</b> &amp; a TTL\n";
        let t = parse(Format::Vtt, vtt).unwrap();
        assert_eq!(t.segments[0].speaker.as_deref(), Some("Interviewer"));
        assert_eq!(t.segments[0].text, "How would you cache this?");
        assert_eq!(t.segments[1].speaker.as_deref(), Some("Alex Kim"));
        assert_eq!(t.segments[1].text, "I would use cache aside & a TTL");
        assert_eq!(t.segments[1].line, 10);
        let e = parse(Format::Vtt, "00:00.000 --> 00:02.000\nhi\n").unwrap_err();
        assert!(e.message.contains("WEBVTT"));
    }

    #[test]
    fn whisper_json() {
        let json = r#"{"text": "...", "segments": [
  {"id": 0, "start": 0.0, "end": 2.5, "text": " So first I measured.", "words": [{"word": "So", "start": 0.0, "end": 0.2}]},
  {"id": 1, "start": 2.5, "end": 4.0, "text": " Then I fixed it.", "speaker": "SPEAKER_01"}
]}"#;
        let t = parse(Format::WhisperJson, json).unwrap();
        assert_eq!(t.segments.len(), 2);
        assert_eq!(t.segments[0].line, 2);
        assert_eq!(t.segments[1].line, 3);
        assert_eq!(t.segments[1].speaker.as_deref(), Some("SPEAKER_01"));
        let e = parse(Format::WhisperJson, "{\"segments\": [{\"start\": 0.0,").unwrap_err();
        assert!(e.message.starts_with("truncated JSON"), "{e}");
        let e = parse(Format::WhisperJson, "{\"text\": \"hi\"}").unwrap_err();
        assert!(e.message.contains("without a `segments` list"));
    }

    #[test]
    fn otter_text_and_detection() {
        let otter = "Interviewer  0:00\nTell me about a time.\n\nSam Lee  0:04\nAt my last job we had an outage.\nI led the fix.\n";
        assert_eq!(detect("call.txt", otter), Format::Otter);
        assert_eq!(
            detect("answer.txt", "Just text: 10:30 is late.\n"),
            Format::Text
        );
        assert_eq!(detect("a.srt", "no cues here"), Format::Text);
        let mut t = parse(Format::Otter, otter).unwrap();
        assert_eq!(t.segments.len(), 3);
        assert_eq!(t.segments[1].start, Some(4.0));
        assert_eq!(t.segments[0].end, Some(4.0));
        let choice = select_speaker(&mut t, None).unwrap().unwrap();
        assert_eq!(choice.speaker, "Sam Lee");
        assert!(
            choice.reason.starts_with("spoke most (12 of 17 words)"),
            "{}",
            choice.reason
        );
        assert_eq!(t.segments.len(), 2);
    }

    #[test]
    fn unknown_speaker_is_an_error() {
        let mut t = parse(Format::Otter, "A  0:00\nhi\n").unwrap();
        let e = select_speaker(&mut t, Some("B")).unwrap_err().to_string();
        assert!(
            e.contains("no speaker `B`; speakers: A") || e.contains("speakers: A"),
            "{e}"
        );
    }

    #[test]
    fn absurd_times_are_refused() {
        for hours in ["5124095576030432", "18446744073709551615", "300"] {
            let srt = format!("1\n{hours}:00:00,000 --> {hours}:00:01,000\nHi there.\n");
            let e = parse(Format::Srt, &srt).unwrap_err();
            assert_eq!(e.line, 2, "{hours}");
            assert!(e.message.contains("malformed cue timing"), "{e}");
        }
        for (start, end) in [
            ("-5", "1"),
            ("1e308", "1e308"),
            ("-1e308", "2"),
            ("0", "1e300"),
        ] {
            let json = format!(r#"{{"segments":[{{"start":{start},"end":{end},"text":"hi"}}]}}"#);
            let e = parse(Format::WhisperJson, &json).unwrap_err();
            assert!(
                e.message.contains("must be between 0 and 1000000 seconds"),
                "{e}"
            );
        }
    }

    #[test]
    fn many_speakers_and_long_turns_are_linear() {
        let mut vtt = String::from("WEBVTT\n\n");
        for i in 0..20_000 {
            vtt.push_str(&format!(
                "00:00:01.000 --> 00:00:02.000\n<v S{i}>word {i}\n\n"
            ));
        }
        let mut t = parse(Format::Vtt, &vtt).unwrap();
        let choice = select_speaker(&mut t, None).unwrap().unwrap();
        assert_eq!(choice.speakers.len(), 20_000);
        let mut otter = String::from("Alex  0:00\n");
        for i in 0..20_000 {
            otter.push_str(&format!("line {i}\n"));
        }
        otter.push_str("Sam  0:05\nlast\n");
        let t = parse(Format::Otter, &otter).unwrap();
        assert_eq!(t.segments[0].end, Some(5.0));
        assert_eq!(t.segments[19_999].end, Some(5.0));
        assert_eq!(t.segments[20_000].end, None);
    }
}
