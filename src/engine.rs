//! The pipeline in one place: answer text → analysis → rubric (given or
//! detected) → evidence → score → an [`AnswerReport`].

use std::collections::HashMap;

use crate::bank::Bank;
use crate::index::{ConceptIndex, DetectError, IndexError};
use crate::matcher::{CompiledRubric, WordIndex};
use crate::report::{AnswerReport, DetectionInfo, StarReportEntry};
use crate::rubric::Rubric;
use crate::score::{self, ScoreOptions};
use crate::star::Lexicon;
use crate::text::{AnalyzedText, Analyzer};

/// Scores answers against a bank. Holds the compiled rubrics and the
/// concept index, built on first use.
pub struct Engine {
    bank: Bank,
    analyzer: Analyzer,
    lexicon: Lexicon,
    compiled: HashMap<String, CompiledRubric>,
    index: Option<ConceptIndex>,
}

impl Engine {
    pub fn new(bank: Bank, lexicon: Lexicon) -> Self {
        Engine {
            bank,
            analyzer: Analyzer::new(),
            lexicon,
            compiled: HashMap::new(),
            index: None,
        }
    }

    /// An engine over `bank` with the built-in STAR lexicon.
    pub fn with_builtin_lexicon(bank: Bank) -> Self {
        let mut analyzer = Analyzer::new();
        let lexicon = Lexicon::builtin(&mut analyzer);
        Engine::new(bank, lexicon)
    }

    pub fn bank(&self) -> &Bank {
        &self.bank
    }

    pub fn analyze(&mut self, text: &str) -> AnalyzedText {
        self.analyzer.analyze(text)
    }

    /// The concept index, built on first use.
    pub fn index(&mut self) -> Result<&ConceptIndex, IndexError> {
        if self.index.is_none() {
            self.index = Some(ConceptIndex::build(&self.bank)?);
        }
        Ok(self.index.as_ref().expect("just built"))
    }

    /// Scores an analyzed answer against a rubric (compiled once, then cached).
    pub fn score_analyzed(
        &mut self,
        rubric: &Rubric,
        text: &AnalyzedText,
        options: &ScoreOptions,
    ) -> score::Scored {
        // Keyed by id and path: a rubric given by path may share an id with the bank's.
        let key = format!("{}\u{0}{}", rubric.id, rubric.path.display());
        let Engine {
            compiled,
            analyzer,
            lexicon,
            ..
        } = self;
        let compiled = compiled
            .entry(key)
            .or_insert_with(|| CompiledRubric::new(rubric, analyzer));
        score::score(rubric, compiled, lexicon, text, options)
    }

    /// Scores one answer. With no rubric, the concept index picks one.
    pub fn score_answer(
        &mut self,
        name: &str,
        text: &str,
        rubric: Option<&Rubric>,
        options: &ScoreOptions,
    ) -> AnswerReport {
        let analyzed = self.analyze(text);
        let (rubric, detection) = match rubric {
            Some(r) => (r.clone(), None),
            None => match self.detect(&analyzed) {
                Ok((r, d)) => (r, Some(d)),
                Err(e) => return AnswerReport::failed(name.to_string(), e),
            },
        };
        let scored = self.score_analyzed(&rubric, &analyzed, options);
        AnswerReport::scored(name.to_string(), scored, detection)
    }

    /// Chooses the rubric for an answer from the concept index.
    pub fn detect(&mut self, analyzed: &AnalyzedText) -> Result<(Rubric, DetectionInfo), String> {
        let index = self.index().map_err(|e| e.to_string())?;
        match index.detect(analyzed).map_err(|e| e.to_string())? {
            Ok(d) => {
                let rubric = self
                    .bank
                    .get(&d.rubric)
                    .expect("the index only holds bank rubrics")
                    .clone();
                Ok((rubric, DetectionInfo::from(&d)))
            }
            Err(e @ DetectError::NoMatch) | Err(e @ DetectError::Ambiguous(_)) => {
                Err(e.to_string())
            }
        }
    }

    /// The STAR analysis of a story, for `rubric star`.
    pub fn star(&mut self, name: &str, text: &str) -> StarReportEntry {
        let analyzed = self.analyzer.analyze(text);
        let analysis = self.lexicon.analyze(&WordIndex::new(&analyzed));
        StarReportEntry {
            answer: name.to_string(),
            star: Some(score::star_result(&analyzed, &analysis)),
            error: None,
        }
    }
}
