//! Answer files as they come: reading them (files, stdin, bad input), front
//! matter, and transcript formats (SRT, WebVTT, Whisper JSON, Otter text).

pub mod frontmatter;
pub mod input;
pub mod transcript;
