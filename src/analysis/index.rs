//! The concept index: the bank's questions, concept labels and phrases,
//! indexed with tantivy in RAM. It finds the rubric an answer answers (BM25)
//! and serves `rubric search`.

use std::fmt;

use tantivy::collector::TopDocs;
use tantivy::query::{Bm25Weight, QueryParser};
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, INDEXED, STORED,
};
use tantivy::{doc, Index, TantivyDocument, Term};

use crate::analysis::text::{AnalyzedText, Analyzer, CachedTokenizer};
use crate::model::bank::Bank;

/// The answer's best rubric must beat the runner-up by this share of its
/// score to be chosen without asking.
pub const MIN_MARGIN: f64 = 0.15;
/// How many candidates a detection reports.
pub const CANDIDATES: usize = 4;

const TOKENIZER: &str = "rubric";

/// An error from tantivy while building or querying the index.
#[derive(Debug)]
pub struct IndexError(pub tantivy::TantivyError);

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "concept index: {}", self.0)
    }
}

impl std::error::Error for IndexError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(e: tantivy::TantivyError) -> Self {
        IndexError(e)
    }
}

/// A rubric candidate for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub rubric: String,
    pub score: f64,
}

/// The rubric chosen for an answer, with how sure the choice is.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub rubric: String,
    /// (best − second) / best, 0..1; 1 when there is a single candidate.
    pub confidence: f64,
    /// All candidates considered, best first (the chosen one included).
    pub candidates: Vec<Candidate>,
}

/// Why no rubric was chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum DetectError {
    /// Nothing in the bank shares words with the answer.
    NoMatch,
    /// Several rubrics match about equally well.
    Ambiguous(Vec<Candidate>),
}

impl fmt::Display for DetectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DetectError::NoMatch => write!(
                f,
                "no rubric in the bank matches this answer; name one with --rubric"
            ),
            DetectError::Ambiguous(c) => {
                let names: Vec<String> = c
                    .iter()
                    .map(|c| format!("{} ({:.1})", c.rubric, c.score))
                    .collect();
                write!(
                    f,
                    "cannot tell which rubric this answers; candidates: {}; name one with --rubric",
                    names.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for DetectError {}

/// One result of `rubric search`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub score: f64,
    pub rubric: String,
    /// `None` for a question, the concept id for a concept.
    pub concept: Option<String>,
    /// The question or the concept label.
    pub text: String,
}

#[derive(Clone)]
struct Entry {
    rubric: String,
    concept: Option<String>,
    text: String,
}

/// The in-RAM tantivy index of a bank.
pub struct ConceptIndex {
    questions: Side,
    /// One document per concept: only `search` uses it, so it is built on
    /// first use (detection needs the questions alone).
    concepts: std::sync::OnceLock<Result<Side, IndexError>>,
    concept_docs: Vec<(Entry, String)>,
}

/// Memory for the in-RAM index writer: its term table is sized from it, as
/// the largest power of two of 8-byte slots under a third of it. 300 kB
/// gives 8,192 slots, which hold 4,096 terms before the table grows (it
/// does, and the index is the same either way); the shipped bank's
/// questions have 2,509. With 4 MB, every run with detection wrote a 1 MB
/// table first.
const MEMORY: usize = 300_000;

/// A term's BM25 score in each entry that holds it: (entry, score).
type TermScores = Box<[(u32, f32)]>;

struct Side {
    index: Index,
    reader: tantivy::IndexReader,
    text: tantivy::schema::Field,
    ord: tantivy::schema::Field,
    entries: Vec<Entry>,
    /// Every term of the side, numbered: query words outside it score
    /// nothing.
    vocabulary: rustc_hash::FxHashMap<String, u32>,
    /// Per term, its BM25 score in each document that holds it, filled on
    /// first use from tantivy's postings and its own BM25 weight.
    postings: Vec<std::sync::OnceLock<Result<TermScores, tantivy::TantivyError>>>,
    /// Per segment, the entry number of each of its documents.
    ords: Vec<Vec<u32>>,
}

impl Side {
    fn build(entries: Vec<(Entry, String)>) -> Result<Side, IndexError> {
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = schema.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(indexing),
        );
        let ord = schema.add_u64_field("ord", INDEXED | STORED);
        let tokenizers = tantivy::tokenizer::TokenizerManager::default();
        tokenizers.register(TOKENIZER, CachedTokenizer::default());
        // One segment written in this thread: no indexing threads to start
        // and no merges, for an index of a few hundred documents built at
        // every start of a run that detects rubrics.
        let mut writer = Index::builder()
            .schema(schema.build())
            .tokenizers(tokenizers)
            .single_segment_index_writer(tantivy::directory::RamDirectory::create(), MEMORY)?;
        let mut kept = Vec::with_capacity(entries.len());
        for (i, (entry, body)) in entries.into_iter().enumerate() {
            writer.add_document(doc!(text => body, ord => i as u64))?;
            kept.push(entry);
        }
        let index = writer.finalize()?;
        let reader = index.reader()?;
        let mut vocabulary = rustc_hash::FxHashMap::default();
        let mut ords = Vec::new();
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(text)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let next = vocabulary.len() as u32;
                vocabulary
                    .entry(String::from_utf8_lossy(terms.key()).into_owned())
                    .or_insert(next);
            }
            let store = segment
                .get_store_reader(1)
                .map_err(tantivy::TantivyError::from)?;
            let mut of_segment = Vec::with_capacity(segment.max_doc() as usize);
            for doc in 0..segment.max_doc() {
                let stored: TantivyDocument = store.get(doc)?;
                of_segment.push(
                    stored
                        .get_first(ord)
                        .and_then(|v| v.as_u64())
                        .expect("every document has its ordinal") as u32,
                );
            }
            ords.push(of_segment);
        }
        let postings = (0..vocabulary.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(Side {
            vocabulary,
            postings,
            ords,
            index,
            reader,
            text,
            ord,
            entries: kept,
        })
    }

    /// The BM25 score of `term` in each document that holds it, as
    /// tantivy's term scorer computes it (its weight for the term, the
    /// document's field norm and the term's frequency there).
    fn term_scores(&self, number: u32, term: &str) -> Result<&[(u32, f32)], IndexError> {
        match self.postings[number as usize]
            .get_or_init(|| self.read_term_scores(term).map(Vec::into_boxed_slice))
        {
            Ok(scores) => Ok(scores),
            Err(e) => Err(IndexError(e.clone())),
        }
    }

    fn read_term_scores(&self, term: &str) -> tantivy::Result<Vec<(u32, f32)>> {
        let searcher = self.reader.searcher();
        let term = Term::from_field_text(self.text, term);
        let weight = Bm25Weight::for_terms(&searcher, std::slice::from_ref(&term))?;
        let mut out = Vec::new();
        for (segment, ords) in searcher.segment_readers().iter().zip(&self.ords) {
            let fieldnorms = segment.get_fieldnorms_reader(self.text)?;
            let Some(mut postings) = segment
                .inverted_index(self.text)?
                .read_postings(&term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            use tantivy::postings::Postings;
            use tantivy::{DocSet, TERMINATED};
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let score = weight.score(fieldnorms.fieldnorm_id(doc), postings.term_freq());
                out.push((ords[doc as usize], score));
                doc = postings.advance();
            }
        }
        Ok(out)
    }

    /// The distinct terms of `words` that the side holds (numbers into the
    /// vocabulary), sorted. Stop-words say nothing about the topic and are
    /// left out.
    fn query_terms<'w>(
        &self,
        words: impl Iterator<Item = &'w crate::analysis::text::Forms>,
    ) -> Vec<(u32, &'w str)> {
        let mut terms: Vec<(u32, &str)> = words
            .filter(|w| !w.is(crate::model::words::class::STOP))
            .filter_map(|w| self.vocabulary.get(&*w.stem).map(|&n| (n, &*w.stem)))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        terms
    }

    /// The `limit` entries with the highest BM25 score for the distinct
    /// terms `terms` (numbers into the vocabulary), best first, equal
    /// scores in the bank's order: what a disjunction of the terms returns
    /// from tantivy, without a query per answer.
    fn rank_terms(
        &self,
        terms: &[(u32, &str)],
        limit: usize,
    ) -> Result<Vec<(f64, usize)>, IndexError> {
        let mut sums = vec![0f32; self.entries.len()];
        let mut hit = vec![false; self.entries.len()];
        for &(number, term) in terms {
            for &(entry, score) in self.term_scores(number, term)? {
                sums[entry as usize] += score;
                hit[entry as usize] = true;
            }
        }
        let mut out: Vec<(f64, usize)> = (0..sums.len())
            .filter(|&i| hit[i])
            .map(|i| (f64::from(sums[i]), i))
            .collect();
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        out.truncate(limit);
        Ok(out)
    }

    fn top(
        &self,
        query: &dyn tantivy::query::Query,
        limit: usize,
    ) -> Result<Vec<(f64, usize)>, IndexError> {
        let searcher = self.reader.searcher();
        let hits = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::with_capacity(hits.len());
        for (score, address) in hits {
            let doc: TantivyDocument = searcher.doc(address)?;
            let ord = doc
                .get_first(self.ord)
                .and_then(|v| v.as_u64())
                .expect("every document has its ordinal") as usize;
            out.push((f64::from(score), ord));
        }
        // Equal scores: keep the bank's order, so output is deterministic.
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(out)
    }
}

impl ConceptIndex {
    /// Indexes every rubric of the bank: one document per question (with all
    /// its concepts' words) and one per concept.
    pub fn build(bank: &Bank) -> Result<ConceptIndex, IndexError> {
        let mut questions = Vec::new();
        let mut concepts = Vec::new();
        for r in bank.rubrics() {
            let mut body = format!("{}\n{}\n", r.question, r.tags.join(" "));
            for c in &r.concepts {
                let mut concept_body = format!("{}\n", c.label);
                for p in c.phrases.iter().chain(&c.sounds_like) {
                    concept_body.push_str(&p.text);
                    concept_body.push('\n');
                }
                body.push_str(&concept_body);
                concepts.push((
                    Entry {
                        rubric: r.id.clone(),
                        concept: Some(c.id.clone()),
                        text: c.label.clone(),
                    },
                    concept_body,
                ));
            }
            questions.push((
                Entry {
                    rubric: r.id.clone(),
                    concept: None,
                    text: r.question.clone(),
                },
                body,
            ));
        }
        Ok(ConceptIndex {
            questions: Side::build(questions)?,
            concepts: std::sync::OnceLock::new(),
            concept_docs: concepts,
        })
    }

    /// Ranks the bank's rubrics for an answer by BM25 over its words.
    pub fn rank(&self, text: &AnalyzedText, limit: usize) -> Result<Vec<Candidate>, IndexError> {
        let side = &self.questions;
        Ok(side
            .rank_terms(&side.query_terms(text.distinct_forms()), limit)?
            .into_iter()
            .map(|(score, i)| Candidate {
                rubric: self.questions.entries[i].rubric.clone(),
                score: round2(score),
            })
            .collect())
    }

    /// Chooses the rubric an answer answers, or says why it cannot.
    /// `covers(rubric)` tells whether the answer matches at least one concept
    /// of a rubric: a candidate that shares words but no concept is dropped.
    pub fn detect(
        &self,
        text: &AnalyzedText,
        covers: impl Fn(&str) -> bool,
    ) -> Result<Result<Detection, DetectError>, IndexError> {
        let candidates = self
            .rank(text, CANDIDATES)?
            .into_iter()
            .filter(|c| covers(&c.rubric))
            .collect();
        Ok(decide(candidates))
    }

    /// Questions and concepts matching the words, best first.
    pub fn search(&self, words: &str, limit: usize) -> Result<Vec<SearchHit>, IndexError> {
        // Each side returns enough hits that the reordering below cannot
        // push a better match past the limit.
        let mut hits = Vec::new();
        let concepts = match self
            .concepts
            .get_or_init(|| Side::build(self.concept_docs.clone()))
        {
            Ok(side) => side,
            Err(e) => return Err(IndexError(e.0.clone())),
        };
        for side in [&self.questions, concepts] {
            let parser = QueryParser::for_index(&side.index, vec![side.text]);
            let (query, _errors) = parser.parse_query_lenient(words);
            for (score, i) in side.top(query.as_ref(), limit.max(1) * 3)? {
                let e = &side.entries[i];
                hits.push(SearchHit {
                    score: round2(score),
                    rubric: e.rubric.clone(),
                    concept: e.concept.clone(),
                    text: e.text.clone(),
                });
            }
        }
        // A question whose own words (its text and id) match the query ranks
        // above every match that rests on its concepts alone: the question
        // is what a person searches for. More query words matched first.
        let mut analyzer = Analyzer::new();
        let stems = |a: &mut Analyzer, text: &str| -> Vec<std::sync::Arc<str>> {
            a.words(text)
                .into_iter()
                .filter(|w| !w.is(crate::model::words::class::STOP))
                .map(|w| w.forms.stem.clone())
                .collect()
        };
        let mut wanted = stems(&mut analyzer, words);
        wanted.sort_unstable();
        wanted.dedup();
        let own: Vec<usize> = hits
            .iter()
            .map(|h| {
                if h.concept.is_some() {
                    return 0;
                }
                let mine = stems(
                    &mut analyzer,
                    &format!("{} {}", h.text, h.rubric.replace('-', " ")),
                );
                wanted.iter().filter(|w| mine.contains(w)).count()
            })
            .collect();
        let mut order: Vec<usize> = (0..hits.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&hits[a], &hits[b]);
            own[b]
                .cmp(&own[a])
                .then_with(|| y.score.total_cmp(&x.score))
                .then_with(|| x.rubric.cmp(&y.rubric))
                .then_with(|| x.concept.cmp(&y.concept))
        });
        let mut hits: Vec<SearchHit> = order.into_iter().map(|i| hits[i].clone()).collect();
        hits.truncate(limit);
        Ok(hits)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Picks the best candidate when it clearly beats the runner-up.
pub fn decide(candidates: Vec<Candidate>) -> Result<Detection, DetectError> {
    let Some(best) = candidates.first() else {
        return Err(DetectError::NoMatch);
    };
    if best.score <= 0.0 {
        return Err(DetectError::NoMatch);
    }
    let second = candidates.get(1).map_or(0.0, |c| c.score);
    let confidence = round2((best.score - second) / best.score);
    if confidence < MIN_MARGIN {
        return Err(DetectError::Ambiguous(candidates));
    }
    Ok(Detection {
        rubric: best.rubric.clone(),
        confidence,
        candidates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(r: &str, s: f64) -> Candidate {
        Candidate {
            rubric: r.into(),
            score: s,
        }
    }

    #[test]
    fn clear_winner_is_chosen() {
        let d = decide(vec![cand("a", 10.0), cand("b", 5.0)]).unwrap();
        assert_eq!(d.rubric, "a");
        assert_eq!(d.confidence, 0.5);
    }

    #[test]
    fn close_call_is_ambiguous() {
        let e = decide(vec![cand("a", 10.0), cand("b", 9.5)]).unwrap_err();
        assert!(matches!(e, DetectError::Ambiguous(ref c) if c.len() == 2));
        assert!(e.to_string().contains("a (10.0), b (9.5)"));
    }

    #[test]
    fn nothing_is_no_match() {
        assert_eq!(decide(vec![]).unwrap_err(), DetectError::NoMatch);
    }

    /// The precomputed per-term scores rank as a tantivy query of the same
    /// terms does, on the shipped bank and answers of several topics.
    #[test]
    fn term_table_ranks_as_a_tantivy_disjunction() {
        use tantivy::query::BooleanQuery;
        let bank = Bank::builtin().unwrap();
        let index = ConceptIndex::build(&bank).unwrap();
        let side = &index.questions;
        let mut analyzer = Analyzer::new();
        for answer in [
            "I would add an index on the column, look at the query plan and cache hot reads.",
            "We had a conflict in the team about the deadline; I talked to each person and we agreed.",
            "Use a hash map for constant time lookups and sort the keys first.",
            "the the of and",
        ] {
            let words = analyzer.words(answer);
            let terms = side.query_terms(words.iter().map(|w| &*w.forms));
            let ours = side.rank_terms(&terms, 10).unwrap();
            let query = BooleanQuery::new_multiterms_query(
                terms
                    .iter()
                    .map(|(_, t)| Term::from_field_text(side.text, t))
                    .collect(),
            );
            let theirs = if terms.is_empty() {
                Vec::new()
            } else {
                side.top(&query, 10).unwrap()
            };
            assert_eq!(ours.len(), theirs.len(), "{answer}");
            for (a, b) in ours.iter().zip(&theirs) {
                assert_eq!(a.1, b.1, "{answer}");
                assert!((a.0 - b.0).abs() < 1e-4, "{answer}: {a:?} {b:?}");
            }
        }
    }
}
