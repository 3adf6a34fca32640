//! From an answer file's text to what the engine analyzes: plain text as it
//! is; transcripts parsed, narrowed to one speaker and assembled with their
//! timeline.

use crate::spoken::{assemble, looks_spoken};
use crate::text::Timed;
use crate::transcript::{self, Format, SpeakerChoice};

/// An answer ready to analyze.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub text: String,
    pub format: Format,
    /// For timed transcripts: which segment each stretch of `text` came from.
    pub timeline: Vec<Timed>,
    /// Speech (a transcript, or unpunctuated text): sentences are cut at
    /// discourse markers and speech-to-text repairs apply.
    pub spoken: bool,
    /// Whose speech was scored, when the transcript names speakers.
    pub speaker: Option<SpeakerChoice>,
    /// Problems tolerated while reading the transcript.
    pub notes: Vec<String>,
}

/// Prepares the text of the answer file `name`. Errors name the file and
/// line: `name:line: message`.
pub fn prepare(name: &str, text: &str, speaker: Option<&str>) -> Result<Prepared, String> {
    let format = transcript::detect(name, text);
    if format == Format::Text {
        if speaker.is_some() {
            return Err(format!("{name}: --speaker needs a transcript with speakers (SRT, WebVTT, Whisper JSON or Otter text)"));
        }
        return Ok(Prepared {
            spoken: looks_spoken(text),
            text: text.to_string(),
            format,
            timeline: Vec::new(),
            speaker: None,
            notes: Vec::new(),
        });
    }
    let mut t = transcript::parse(format, text).map_err(|e| format!("{name}:{e}"))?;
    let choice = transcript::select_speaker(&mut t, speaker).map_err(|e| format!("{name}: {e}"))?;
    let spoken = assemble(&t);
    Ok(Prepared {
        text: spoken.text,
        format,
        timeline: spoken.timeline,
        spoken: true,
        speaker: choice,
        notes: t.notes,
    })
}
