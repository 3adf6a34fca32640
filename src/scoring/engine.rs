//! The pipeline in one place: answer text → analysis → rubric (given or
//! detected) → evidence → score → an [`AnswerReport`].
//!
//! An [`Engine`] is shared between threads: rubrics are compiled and the
//! concept index built on first use, and each thread analyzes text with its
//! own tantivy analyzer.

use std::cell::RefCell;
use std::sync::OnceLock;

use crate::analysis::delivery::FillerList;
use crate::analysis::detect::{DetectModel, Fit, NoRubric, Vocabulary, CANDIDATES};
use crate::analysis::index::{ConceptIndex, IndexError};
use crate::analysis::matcher::{CompiledRubric, PhraseFilter, WordIndex};
use crate::analysis::prepare::{prepare, Prepared};
use crate::analysis::spoken::{apply_numbers, Glossary};
use crate::analysis::star::Lexicon;
use crate::analysis::text::{AnalyzedText, Analyzer, Timed};
use crate::model::bank::Bank;
use crate::model::rubric::Rubric;
use crate::scoring::result::{
    AlsoFits, AnswerReport, CandidateInfo, DetectionInfo, StarReportEntry,
};
use crate::scoring::score::{self, ScoreOptions, TranscriptInfo};

thread_local! {
    static ANALYZER: RefCell<Analyzer> = RefCell::new(Analyzer::new());
}

/// Runs `f` with this thread's analyzer.
pub fn with_analyzer<T>(f: impl FnOnce(&mut Analyzer) -> T) -> T {
    ANALYZER.with(|a| f(&mut a.borrow_mut()))
}

/// Analyzes text with this thread's analyzer.
pub fn analyze(text: &str) -> AnalyzedText {
    with_analyzer(|a| a.analyze(text))
}

/// Why [`Engine::detect`] chose no rubric. The message is the cause's own.
#[derive(Debug)]
pub enum DetectError {
    /// The concept index could not be built or searched.
    Index(IndexError),
    /// No candidate fits the answer well enough.
    NoRubric(NoRubric),
}

impl std::fmt::Display for DetectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DetectError::Index(e) => write!(f, "{e}"),
            DetectError::NoRubric(e) => write!(f, "{e}"),
        }
    }
}

/// Transparent: the message is the cause's, so the cause's own source is
/// the next link of the chain.
impl std::error::Error for DetectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DetectError::Index(e) => e.source(),
            DetectError::NoRubric(e) => e.source(),
        }
    }
}

/// Which rubric to score an answer against.
#[derive(Debug, Clone, Copy)]
pub enum Choice<'a> {
    /// This rubric (from the bank or a file).
    Given(&'a Rubric),
    /// Let the concept index find it.
    Detect,
}

/// Scores answers against a bank. `Sync`: share it between threads.
pub struct Engine {
    bank: Bank,
    lexicon: Lexicon,
    glossary: Glossary,
    fillers: FillerList,
    compiled: Vec<OnceLock<CompiledRubric>>,
    /// Per rubric, its content words and its question's (for detection).
    vocabulary: Vec<OnceLock<(Vocabulary, Vocabulary)>>,
    index: OnceLock<Result<ConceptIndex, IndexError>>,
    detect_model: DetectModel,
}

impl Engine {
    pub fn new(bank: Bank, lexicon: Lexicon) -> Self {
        let compiled = (0..bank.len()).map(|_| OnceLock::new()).collect();
        let vocabulary = (0..bank.len()).map(|_| OnceLock::new()).collect();
        Engine {
            bank,
            lexicon,
            glossary: with_analyzer(Glossary::builtin),
            fillers: with_analyzer(FillerList::builtin),
            compiled,
            vocabulary,
            index: OnceLock::new(),
            detect_model: DetectModel::builtin(),
        }
    }

    /// An engine over `bank` with the built-in STAR lexicon.
    pub fn with_builtin_lexicon(bank: Bank) -> Self {
        let lexicon = with_analyzer(Lexicon::builtin);
        Engine::new(bank, lexicon)
    }

    pub fn bank(&self) -> &Bank {
        &self.bank
    }

    /// Replaces the speech-to-text glossary.
    pub fn set_glossary(&mut self, glossary: Glossary) {
        self.glossary = glossary;
    }

    /// Replaces the filler and hedge list.
    pub fn set_fillers(&mut self, fillers: FillerList) {
        self.fillers = fillers;
    }

    /// Analyzes a prepared answer: speech gets spoken sentence splitting,
    /// its timeline, and speech-to-text repairs.
    pub fn analyze_prepared(&self, p: &Prepared) -> AnalyzedText {
        self.analyze_text(p.text.clone(), p.spoken, p.timeline.clone())
    }

    /// [`Engine::analyze_prepared`] of a prepared text the analysis takes over.
    fn analyze_text(&self, text: String, spoken: bool, timeline: Vec<Timed>) -> AnalyzedText {
        if !spoken {
            return with_analyzer(|a| a.analyze_string(text));
        }
        with_analyzer(|a| {
            let mut t = a.analyze_spoken_string(text);
            t.timeline = timeline;
            self.glossary.apply(&mut t);
            apply_numbers(&mut t, a);
            t
        })
    }

    /// Scores a prepared answer (see [`crate::analysis::prepare::prepare`]).
    pub fn score_prepared(
        &self,
        name: &str,
        mut p: Prepared,
        choice: Choice<'_>,
        options: &ScoreOptions,
    ) -> AnswerReport {
        let analyzed = self.analyze_text(
            std::mem::take(&mut p.text),
            p.spoken,
            std::mem::take(&mut p.timeline),
        );
        let (rubric, detection) = match choice {
            Choice::Given(r) => (r, None),
            Choice::Detect => match self.detect(&analyzed) {
                Ok((r, d)) => (r, Some(d)),
                Err(e) => return AnswerReport::failed(name.to_string(), format!("{name}: {e}")),
            },
        };
        let mut scored = self.score_analyzed(rubric, &analyzed, options);
        scored.delivery = Some(self.fillers.measure(
            &analyzed,
            p.format == crate::answer::transcript::Format::WhisperJson,
        ));
        if p.format.is_timed() {
            scored.transcript = Some(TranscriptInfo {
                format: p.format.as_str(),
                speaker: p.speaker,
                notes: p.notes,
            });
        }
        AnswerReport::scored(name.to_string(), scored, detection)
    }

    pub fn analyze(&self, text: &str) -> AnalyzedText {
        analyze(text)
    }

    /// The concept index, built on first use.
    pub fn index(&self) -> Result<&ConceptIndex, IndexError> {
        match self.index.get_or_init(|| ConceptIndex::build(&self.bank)) {
            Ok(i) => Ok(i),
            // Built once: later callers get the same error.
            Err(e) => Err(IndexError(e.0.clone())),
        }
    }

    /// Scores an analyzed answer against a rubric. Bank rubrics are compiled
    /// once; others (given by path) each time.
    pub fn score_analyzed(
        &self,
        rubric: &Rubric,
        text: &AnalyzedText,
        options: &ScoreOptions,
    ) -> score::Scored {
        let slot = self
            .bank
            .position(&rubric.id)
            .filter(|&i| self.bank.rubrics()[i].path == rubric.path);
        match slot {
            Some(i) => {
                let compiled = self.compiled[i]
                    .get_or_init(|| with_analyzer(|a| CompiledRubric::new(rubric, a)));
                score::score(rubric, compiled, &self.lexicon, text, options)
            }
            None => {
                let compiled = with_analyzer(|a| CompiledRubric::new(rubric, a));
                score::score(rubric, &compiled, &self.lexicon, text, options)
            }
        }
    }

    /// Scores one answer file's text (a transcript is recognised by its name
    /// and content).
    pub fn score_answer(
        &self,
        name: &str,
        text: &str,
        choice: Choice<'_>,
        options: &ScoreOptions,
    ) -> AnswerReport {
        match prepare(name, text.to_string(), None) {
            Ok(p) => self.score_prepared(name, p, choice, options),
            Err(e) => AnswerReport::failed(name.to_string(), e.to_string()),
        }
    }

    /// The name-dropping measures of an answer against a bank rubric.
    pub fn name_drop_features(
        &self,
        rubric: &Rubric,
        analyzed: &AnalyzedText,
    ) -> crate::analysis::namedrop::Measures {
        match self.bank.position(&rubric.id) {
            Some(i) => score::name_drop_features(self.compiled(i), analyzed),
            None => score::name_drop_features(
                &with_analyzer(|a| CompiledRubric::new(rubric, a)),
                analyzed,
            ),
        }
    }

    /// Replaces the detection model's weights.
    pub fn set_detect_model(&mut self, model: DetectModel) {
        self.detect_model = model;
    }

    fn compiled(&self, i: usize) -> &CompiledRubric {
        let r = &self.bank.rubrics()[i];
        self.compiled[i].get_or_init(|| with_analyzer(|a| CompiledRubric::new(r, a)))
    }

    /// Measures how well an answer fits its best BM25 candidates (and the
    /// rubric `also`, when given and not among them: for evaluation).
    pub fn measure(
        &self,
        analyzed: &AnalyzedText,
        also: Option<&str>,
    ) -> Result<Vec<Fit>, IndexError> {
        let index = self.index()?;
        let mut candidates = index.rank(analyzed, CANDIDATES)?;
        if let Some(id) = also.filter(|id| !candidates.iter().any(|c| c.rubric == *id)) {
            let all = index.rank(analyzed, self.bank.len())?;
            candidates.extend(all.into_iter().filter(|c| c.rubric == id));
        }
        // The index keeps only the words (and for speech the joined pairs)
        // the candidates' phrases could match.
        let filters: Vec<&PhraseFilter> = candidates
            .iter()
            .filter_map(|c| self.bank.position(&c.rubric))
            .map(|i| self.compiled(i).phrase_filter())
            .collect();
        let words = WordIndex::for_phrases(analyzed, &filters);
        let answer = Vocabulary::of_text(analyzed);
        Ok(candidates
            .iter()
            .filter_map(|c| {
                let i = self.bank.position(&c.rubric)?;
                let r = &self.bank.rubrics()[i];
                let found = self.compiled(i).match_concepts(&words);
                let (vocabulary, question) = self.vocabulary[i].get_or_init(|| {
                    with_analyzer(|a| {
                        (
                            Vocabulary::of_rubric(r, a),
                            Vocabulary::of_words(&r.question, a),
                        )
                    })
                });
                Some(Fit::measure(
                    r, &found, &answer, vocabulary, question, c.score,
                ))
            })
            .collect())
    }

    /// Chooses the rubric for an answer: the candidate it fits best, or an
    /// error when none fits well enough (see [`crate::analysis::detect`]).
    pub fn detect(&self, analyzed: &AnalyzedText) -> Result<(&Rubric, DetectionInfo), DetectError> {
        let fits = self.measure(analyzed, None).map_err(DetectError::Index)?;
        let d = self
            .detect_model
            .decide(fits, |a, b| self.bank.are_siblings(a, b))
            .map_err(DetectError::NoRubric)?;
        let rubric = self
            .bank
            .get(&d.rubric)
            .expect("the index only holds bank rubrics");
        // Declared siblings among the candidates: the answer's score there too.
        let also_fits = d
            .candidates
            .iter()
            .filter_map(|(f, _)| self.bank.get(&f.rubric))
            .filter(|s| self.bank.are_siblings(&rubric.id, &s.id))
            .map(|s| AlsoFits {
                rubric: s.id.clone(),
                score: self
                    .score_analyzed(s, analyzed, &ScoreOptions::default())
                    .score,
            })
            .collect();
        let info = DetectionInfo {
            confidence: score::round2(d.confidence),
            candidates: d
                .candidates
                .iter()
                .take(4)
                .map(|(f, p)| CandidateInfo {
                    rubric: f.rubric.clone(),
                    probability: score::round2(*p),
                    concepts: f.concepts,
                })
                .collect(),
            also_fits,
        };
        Ok((rubric, info))
    }

    /// The STAR analysis of a story, for `rubric star`.
    pub fn star(&self, name: &str, text: String, speaker: Option<&str>) -> StarReportEntry {
        let prepared = match prepare(name, text, speaker) {
            Ok(p) => p,
            Err(e) => {
                return StarReportEntry {
                    answer: name.to_string(),
                    star: None,
                    error: Some(e.to_string()),
                }
            }
        };
        let analyzed = self.analyze_prepared(&prepared);
        let analysis = self.lexicon.analyze(&WordIndex::for_phrases(
            &analyzed,
            &[self.lexicon.phrase_filter()],
        ));
        StarReportEntry {
            answer: name.to_string(),
            star: Some(score::star_result(&analyzed, &analysis)),
            error: None,
        }
    }
}
