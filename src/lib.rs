//! `rubric` scores written or transcribed interview answers against TOML
//! rubrics: which points an answer covered (with the sentence that shows it),
//! which it missed (with a hint), and how a behavioral story is structured
//! (Situation, Task, Action, Result).
//!
//! The modules are the pipeline, in order; each uses only those above it:
//!
//! 1. [`model`]: rubric files, the bank and the config, loaded and validated;
//! 2. [`answer`]: answer files read (front matter, transcripts);
//! 3. [`analysis`]: the text analyzed, evidence per concept, STAR, delivery;
//! 4. [`scoring`]: evidence → a score per answer ([`Engine`]);
//! 5. [`report`]: scores judged under a policy, guide mode, stats, diff,
//!    coaching views, and the exit code a report means;
//! 6. [`run`] and [`authoring`]: the commands: find, map and score a bank of
//!    answers in parallel; lint and draft rubrics;
//! 7. [`render`]: a report as text, one file per format; the formats of
//!    `check` also as writers fed one answer at a time.
//!
//! The library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod model;

pub mod answer;

pub mod analysis;

pub mod scoring;

pub mod report;

pub mod authoring;
pub mod run;

pub mod render;

pub mod alloc;

pub use scoring::engine::Engine;
