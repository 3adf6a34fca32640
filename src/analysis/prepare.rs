//! From an answer file's text to what the engine analyzes: plain text as it
//! is; transcripts parsed, narrowed to one speaker and assembled with their
//! timeline.

use crate::analysis::spoken::{assemble, looks_spoken};
use crate::analysis::text::Timed;
use crate::answer::transcript::{self, Format, SpeakerChoice};

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

/// Why an answer could not be prepared; the message names the file (and
/// the line: `name:line: message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrepareError {
    /// `--speaker` given for plain text.
    SpeakerWithoutTranscript { name: String },
    /// The transcript does not parse.
    Transcript {
        name: String,
        source: transcript::TranscriptError,
    },
    /// The speaker asked for is not in the transcript.
    Speaker {
        name: String,
        source: transcript::UnknownSpeaker,
    },
}

impl std::fmt::Display for PrepareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrepareError::SpeakerWithoutTranscript { name } => write!(f, "{name}: --speaker needs a transcript with speakers (SRT, WebVTT, Whisper JSON or Otter text)"),
            PrepareError::Transcript { name, source } => write!(f, "{name}:{source}"),
            PrepareError::Speaker { name, source } => write!(f, "{name}: {source}"),
        }
    }
}

/// The message names the cause already; the cause is kept for callers
/// that want it.
impl std::error::Error for PrepareError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PrepareError::SpeakerWithoutTranscript { .. } => None,
            PrepareError::Transcript { source, .. } => Some(source),
            PrepareError::Speaker { source, .. } => Some(source),
        }
    }
}

/// Prepares the text of the answer file `name` (plain text is kept as it
/// is, not copied).
pub fn prepare(name: &str, text: String, speaker: Option<&str>) -> Result<Prepared, PrepareError> {
    let format = transcript::detect(name, &text);
    if format == Format::Text {
        if speaker.is_some() {
            return Err(PrepareError::SpeakerWithoutTranscript {
                name: name.to_string(),
            });
        }
        return Ok(Prepared {
            spoken: looks_spoken(&text),
            text,
            format,
            timeline: Vec::new(),
            speaker: None,
            notes: Vec::new(),
        });
    }
    let mut t = transcript::parse(format, &text).map_err(|source| PrepareError::Transcript {
        name: name.to_string(),
        source,
    })?;
    // The parsed cues hold the words; the file's text is not needed again.
    drop(text);
    let choice =
        transcript::select_speaker(&mut t, speaker).map_err(|source| PrepareError::Speaker {
            name: name.to_string(),
            source,
        })?;
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
