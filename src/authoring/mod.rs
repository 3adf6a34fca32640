//! Tools for rubric authors: lint rubric files, draft a rubric from a model
//! answer.

pub mod init;
pub mod lint;
pub mod suggest;
