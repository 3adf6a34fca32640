//! Guide mode: missing points become coaching questions, and their labels,
//! ids and hints are held back so that no output format hands over the
//! rubric's answer. Applied once, to the results, before a report is judged;
//! renderers only print what is left.

use crate::scoring::result::AnswerReport;
use crate::scoring::score::ConceptResult;

/// The label shown for a point held back.
pub const HIDDEN_LABEL: &str = "(a point to find)";

/// The question asked for a missing point with no `question_hint`: it says
/// nothing of the point, which a derived question could only do by quoting
/// the label.
pub const GENERIC_QUESTION: &str = "What else would a strong answer to this question cover?";

/// A missing concept's advice: the rubric's hint, or its label when it has
/// none.
pub fn hint(c: &ConceptResult) -> String {
    c.hint.clone().unwrap_or_else(|| c.label.clone())
}

/// A missing concept's coaching question.
pub fn question(c: &ConceptResult) -> String {
    c.question_hint
        .clone()
        .unwrap_or_else(|| GENERIC_QUESTION.to_string())
}

/// The id a held-back point goes by: its place in the rubric, which names
/// nothing of it.
pub fn hidden_id(position: usize) -> String {
    format!("point-{}", position + 1)
}

/// Holds back every missing point of every answer: its id becomes
/// `point-N`, its label [`HIDDEN_LABEL`], its hint its coaching question.
pub fn hold_back(results: &mut [AnswerReport]) {
    for r in results {
        let Some(s) = &mut r.scored else { continue };
        let mut renamed = Vec::new();
        for (i, c) in s.concepts.iter_mut().enumerate() {
            if c.matched || c.ignored {
                continue;
            }
            let id = hidden_id(i);
            renamed.push((std::mem::replace(&mut c.id, id.clone()), id));
            c.hint = Some(question(c));
            c.question_hint = None;
            c.label = HIDDEN_LABEL.to_string();
        }
        let rename = |ids: &mut Vec<String>| {
            for id in ids.iter_mut() {
                if let Some((_, new)) = renamed.iter().find(|(old, _)| old == id) {
                    *id = new.clone();
                }
            }
        };
        rename(&mut s.missing);
        rename(&mut s.required_missing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generic_question_names_nothing() {
        let c = ConceptResult {
            id: "dead-letter".into(),
            label: "Dead-letter queue".into(),
            weight: 1.0,
            required: false,
            matched: false,
            credit: 0.0,
            named_only: false,
            ignored: false,
            evidence: Vec::new(),
            hint: Some("Park poison messages in a dead-letter queue".into()),
            question_hint: None,
        };
        assert_eq!(question(&c), GENERIC_QUESTION);
        assert_eq!(hidden_id(2), "point-3");
    }
}
