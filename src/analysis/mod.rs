//! From an answer's text to what it shows: the text prepared and analyzed
//! (tantivy), speech-to-text repair, evidence per concept, STAR, delivery,
//! and the concept index that finds the rubric an answer answers.

pub mod delivery;
pub mod detect;
pub mod index;
pub mod matcher;
pub mod namedrop;
pub mod prepare;
pub mod spoken;
pub mod star;
pub mod star_model;
pub mod text;
