//! From evidence to a score: the result types, the formula, and the
//! [`engine::Engine`] that runs analysis and scoring for one answer.

pub mod engine;
pub mod result;
pub mod score;
