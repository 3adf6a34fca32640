//! Front matter in an answer file: `---` YAML or `+++` TOML at the top.
//!
//! Keys `rubric` finds are `rubric`, `pass`, `ignore` (concept ids left out on
//! purpose), `candidate`, `date`, `speaker` and `review` (`{ score, note }`).
//! Other keys are left alone: the same files may feed other tools.
//! The block is blanked out of the text (newlines kept), so line numbers of
//! evidence stay those of the file.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

/// A reviewer's score, which decides pass/fail when present.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Review {
    pub score: f64,
    #[serde(default)]
    pub note: Option<String>,
}

/// What front matter says about an answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FrontMatter {
    #[serde(default)]
    pub rubric: Option<String>,
    #[serde(default)]
    pub pass: Option<f64>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub candidate: Option<String>,
    #[serde(default, deserialize_with = "date_string")]
    pub date: Option<String>,
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub review: Option<Review>,
}

/// Dates may be written bare (`date: 2026-03-01`, a TOML datetime) or quoted.
fn date_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DateLike {
        Text(String),
        Toml(toml::value::Datetime),
    }
    Ok(Option::<DateLike>::deserialize(d)?.map(|v| match v {
        DateLike::Text(s) => s,
        DateLike::Toml(t) => t.to_string(),
    }))
}

/// Bad front matter, at a line of the answer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: front matter: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for FrontMatterError {}

/// Splits front matter off `text`: returns it (if any) and the text with the
/// block replaced by empty lines.
pub fn split(text: &str) -> Result<(Option<FrontMatter>, Cow<'_, str>), FrontMatterError> {
    let fence = if text.starts_with("---\n") || text.starts_with("---\r\n") {
        "---"
    } else if text.starts_with("+++\n") || text.starts_with("+++\r\n") {
        "+++"
    } else {
        return Ok((None, Cow::Borrowed(text)));
    };
    let first_len = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = first_len;
    let mut close: Option<(usize, usize)> = None;
    for line in text[first_len..].split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((body_end, block_end)) = close else {
        return Err(FrontMatterError {
            line: 1,
            column: 1,
            message: format!("`{fence}` opens front matter that is never closed"),
        });
    };
    let body = &text[first_len..body_end];
    let matter = if fence == "---" {
        parse_yaml(body)?
    } else {
        parse_toml(body)?
    };
    check_numbers(&matter, body)?;
    let blanked: String = text[..block_end]
        .chars()
        .filter(|&c| c == '\n')
        .collect::<String>()
        + &text[block_end..];
    Ok((Some(matter), Cow::Owned(blanked)))
}

/// [`split`] of a text the caller gives up: a text without front matter
/// is returned as it is, not copied.
pub fn split_owned(text: String) -> Result<(Option<FrontMatter>, String), FrontMatterError> {
    let (matter, body) = split(&text)?;
    if let Cow::Owned(body) = body {
        return Ok((matter, body));
    }
    Ok((matter, text))
}

fn parse_yaml(body: &str) -> Result<FrontMatter, FrontMatterError> {
    if body.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_norway::from_str(body).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        FrontMatterError {
            // +1: the opening fence is line 1.
            line: line + 1,
            column,
            message: strip_location(&e.to_string()),
        }
    })
}

fn parse_toml(body: &str) -> Result<FrontMatter, FrontMatterError> {
    toml::from_str(body).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| {
            let before = &body[..s.start.min(body.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (line, col)
        });
        FrontMatterError {
            line: line + 1,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

/// `pass` and `review.score` follow the rubric rule: 0 to 100, not NaN.
fn check_numbers(matter: &FrontMatter, body: &str) -> Result<(), FrontMatterError> {
    let checks = [
        ("pass", "pass", matter.pass),
        (
            "review.score",
            "score",
            matter.review.as_ref().map(|r| r.score),
        ),
    ];
    for (key, word, value) in checks {
        let Some(v) = value else { continue };
        if let Err(message) = crate::model::number::percent(key, v) {
            // The line that sets it (the block has no spans after parsing).
            let (line, column) = body
                .lines()
                .enumerate()
                .find_map(|(i, l)| l.find(word).map(|c| (i + 2, l[..c].chars().count() + 1)))
                .unwrap_or((1, 1));
            return Err(FrontMatterError {
                line,
                column,
                message,
            });
        }
    }
    Ok(())
}

fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter() {
        let text = "---\nrubric: idempotency\npass: 70\nignore: [key-retention]\ncandidate: Ana\ndate: 2026-03-01\ntitle: kept for other tools\nreview:\n  score: 80\n  note: good\n---\nBody line.\n";
        let (m, body) = split(text).unwrap();
        let m = m.unwrap();
        assert_eq!(m.rubric.as_deref(), Some("idempotency"));
        assert_eq!(m.pass, Some(70.0));
        assert_eq!(m.ignore, vec!["key-retention"]);
        assert_eq!(m.date.as_deref(), Some("2026-03-01"));
        assert_eq!(m.review.unwrap().score, 80.0);
        assert_eq!(body.lines().count(), 12);
        assert_eq!(body.lines().nth(11), Some("Body line."));
    }

    #[test]
    fn toml_front_matter() {
        let text = "+++\nrubric = \"cqrs\"\ndate = 2026-03-02\nreview = { score = 55, note = \"thin\" }\n+++\nBody.\n";
        let (m, body) = split(text).unwrap();
        let m = m.unwrap();
        assert_eq!(m.rubric.as_deref(), Some("cqrs"));
        assert_eq!(m.date.as_deref(), Some("2026-03-02"));
        assert_eq!(m.review.unwrap().note.as_deref(), Some("thin"));
        assert!(body.ends_with("\nBody.\n"));
    }

    #[test]
    fn no_front_matter() {
        let (m, body) = split("Just an answer.\n---\n").unwrap();
        assert!(m.is_none());
        assert_eq!(body, "Just an answer.\n---\n");
    }

    #[test]
    fn owned_split_keeps_the_text_without_front_matter() {
        let text = String::from("Just an answer.\n");
        let at = text.as_ptr();
        let (m, body) = split_owned(text).unwrap();
        assert!(m.is_none());
        assert_eq!(body.as_ptr(), at, "the same buffer, not a copy");
        let (m, body) = split_owned("---\nrubric: x\n---\nBody.\n".to_string()).unwrap();
        assert_eq!(m.unwrap().rubric.as_deref(), Some("x"));
        assert_eq!(body, "\n\n\nBody.\n");
    }

    #[test]
    fn errors_have_lines() {
        let e = split("---\nrubric: x\n").unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = split("---\nrubric: x\npass: [1, 2\n---\nA.\n").unwrap_err();
        assert!(e.line >= 3, "{e}");
        let e = split("+++\nrubric = \n+++\nA.\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = split("---\npass: lots\n---\nA.\n").unwrap_err();
        assert!(e.to_string().starts_with("2:"), "{e}");
    }

    #[test]
    fn numbers_follow_the_rubric_rules() {
        for (text, want) in [
            (
                "---\npass: .nan\n---\nA.\n",
                "2:1: front matter: `pass` must be between 0 and 100, found NaN",
            ),
            (
                "+++\npass = nan\n+++\nA.\n",
                "2:1: front matter: `pass` must be between 0 and 100, found NaN",
            ),
            (
                "---\npass: -50\n---\nA.\n",
                "2:1: front matter: `pass` must be between 0 and 100, found -50",
            ),
            (
                "---\npass: 1e300\n---\nA.\n",
                "2:1: front matter: `pass` must be between 0 and 100, found 1e300",
            ),
            (
                "+++\nrubric = \"x\"\nreview = { score = 250 }\n+++\nA.\n",
                "3:12: front matter: `review.score` must be between 0 and 100, found 250",
            ),
            (
                "+++\nreview = { score = nan }\n+++\nA.\n",
                "2:12: front matter: `review.score` must be between 0 and 100, found NaN",
            ),
        ] {
            assert_eq!(split(text).unwrap_err().to_string(), want, "{text}");
        }
    }
}
