//! The validated model everything else reads: located diagnostics, rubrics,
//! the bank, the answer-bank config, and shared word lists. Depends on
//! nothing else in the crate.

pub mod bank;
pub mod config;
pub mod diag;
pub mod fsread;
pub mod number;
pub mod rubric;
pub mod walk;
pub mod words;
