//! `rubric` scores written or transcribed interview answers against TOML
//! rubrics: which points an answer covered (with the sentence that shows it),
//! which it missed (with a hint), and how a behavioral story is structured
//! (Situation, Task, Action, Result).
//!
//! Data flows one way: [`rubric`] files → [`text`] analysis → [`matcher`]
//! evidence → [`score`] → [`report`] → [`render`]. The library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod answer;
pub mod bank;
pub mod check;
pub mod coach;
pub mod config;
pub mod delivery;
pub mod diag;
pub mod diff;
pub mod engine;
pub mod frontmatter;
pub mod index;
pub mod input;
pub mod lint;
pub mod matcher;
pub mod render;
pub mod report;
pub mod rubric;
pub mod score;
pub mod spoken;
pub mod star;
pub mod stats;
pub mod suggest;
pub mod text;
pub mod transcript;

pub use engine::Engine;
