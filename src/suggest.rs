//! `rubric suggest`: draft a rubric from a model answer (in progress).
