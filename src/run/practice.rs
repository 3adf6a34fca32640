//! `rubric practice`: the questions to practice, scoring one typed attempt,
//! saving it as a dated answer file, and the trend over the saved attempts.
//! The terminal dialogue itself lives in the binary; nothing here prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{check, BankOptions, DataFiles, Error};
use crate::model::config::Config;
use crate::model::rubric::Rubric;
use crate::report::coach::{self, Trend};
use crate::report::policy::Policy;
use crate::report::Report;
use crate::scoring::engine::Engine;
use crate::scoring::result::AnswerReport;

/// Which questions to practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// Every question of the bank, in order.
    All,
    /// The questions with this tag.
    Tag(String),
    /// This one question first (then the rest of the bank).
    Rubric(String),
    /// The question with the lowest latest score, or one never attempted.
    Weakest,
}

/// A practice session's questions, engine and attempts folder.
pub struct Practice {
    engine: Engine,
    questions: Vec<Rubric>,
    dir: PathBuf,
    pick: Pick,
}

/// One scored attempt: as shown in guide mode, and with the rubric's
/// wording (for `--reveal`).
#[derive(Debug, Clone)]
pub struct Scored {
    pub guided: Report,
    pub revealed: Report,
}

impl Practice {
    /// Loads the bank and chooses its questions; `dir` holds the attempts.
    pub fn open(
        bank: &BankOptions,
        data: &DataFiles,
        pick: Pick,
        dir: &Path,
    ) -> Result<Practice, Error> {
        let bank = bank.load(&[])?;
        let questions: Vec<Rubric> = match &pick {
            Pick::Tag(t) => bank
                .rubrics()
                .iter()
                .filter(|r| r.tags.iter().any(|x| x == t))
                .cloned()
                .collect(),
            Pick::Rubric(id) => {
                let first = bank.resolve(id)?;
                let mut all = vec![first.clone()];
                all.extend(bank.rubrics().iter().filter(|r| r.id != first.id).cloned());
                all
            }
            Pick::All | Pick::Weakest => bank.rubrics().to_vec(),
        };
        if questions.is_empty() {
            return Err(Error::Usage("no question in the bank has that tag"));
        }
        let engine = data.engine(bank)?;
        Ok(Practice {
            engine,
            questions,
            dir: dir.to_path_buf(),
            pick,
        })
    }

    pub fn questions(&self) -> &[Rubric] {
        &self.questions
    }

    /// The question to start with.
    pub fn first(&self) -> usize {
        match self.pick {
            Pick::Weakest => self.weakest(None),
            _ => 0,
        }
    }

    /// The question after `current`: the next weakest one for `--weakest`,
    /// else the next in order.
    pub fn next(&self, current: usize) -> usize {
        match self.pick {
            Pick::Weakest => self.weakest(Some(current)),
            _ => (current + 1) % self.questions.len(),
        }
    }

    /// The question with the lowest latest score; a question never
    /// attempted comes before any attempted one. `skip` is left out when
    /// there is another.
    fn weakest(&self, skip: Option<usize>) -> usize {
        let latest = self.latest_scores();
        let key = |i: usize| {
            latest
                .get(&self.questions[i].id)
                .copied()
                .unwrap_or(f64::NEG_INFINITY)
        };
        (0..self.questions.len())
            .filter(|i| Some(*i) != skip || self.questions.len() == 1)
            .min_by(|a, b| key(*a).total_cmp(&key(*b)).then(a.cmp(b)))
            .unwrap_or(0)
    }

    /// Each question's latest saved score (by date, then file name).
    pub fn latest_scores(&self) -> BTreeMap<String, f64> {
        let report = self.attempts(None);
        let mut latest: BTreeMap<String, (String, String, f64)> = BTreeMap::new();
        for r in &report.results {
            let Some(s) = &r.scored else { continue };
            let key = (coach::date_of(r).unwrap_or_default(), r.answer.clone());
            let newer = latest.get(&s.rubric).is_none_or(|old| {
                (&old.0, coach::numbered(&old.1)) <= (&key.0, coach::numbered(&key.1))
            });
            if newer {
                latest.insert(s.rubric.clone(), (key.0, key.1, s.score));
            }
        }
        latest.into_iter().map(|(k, v)| (k, v.2)).collect()
    }

    /// Scores an attempt at question `i`, saved (or to be saved) at `path`.
    pub fn score(&self, i: usize, path: &Path, text: &str) -> Scored {
        let r = self.score_one(&self.questions[i], path, text);
        Scored {
            guided: Report::judge(vec![r.clone()], &Policy::default(), true),
            revealed: Report::judge(vec![r], &Policy::default(), false),
        }
    }

    fn score_one(&self, rubric: &Rubric, path: &Path, text: &str) -> AnswerReport {
        let options = check::RunOptions {
            rubric: Some(rubric),
            speaker: None,
            annotate: false,
            pass: None,
            limits: crate::answer::input::Limits::default(),
        };
        check::score_text(
            &self.engine,
            path,
            text.to_string(),
            &Config::default(),
            options,
        )
    }

    /// Saves an attempt at question `i` as `DIR/<id>-<date>[-n].md` with
    /// front matter (rubric, date); returns its path.
    pub fn save(&self, i: usize, date: &str, text: &str) -> Result<PathBuf, Error> {
        let id = &self.questions[i].id;
        std::fs::create_dir_all(&self.dir).map_err(|source| Error::Write {
            path: self.dir.clone(),
            source,
        })?;
        let body = format!(
            "---\nrubric: {id}\ndate: {date}\n---\n{}\n",
            text.trim_end()
        );
        for n in 1.. {
            let name = if n == 1 {
                format!("{id}-{date}.md")
            } else {
                format!("{id}-{date}-{n}.md")
            };
            let path = self.dir.join(name);
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path);
            match file {
                Ok(mut f) => {
                    use std::io::Write as _;
                    return f
                        .write_all(body.as_bytes())
                        .map(|()| path.clone())
                        .map_err(|source| Error::Write { path, source });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(source) => return Err(Error::Write { path, source }),
            }
        }
        unreachable!("some attempt number is free")
    }

    /// Every saved attempt (at question `only`, when given), scored.
    fn attempts(&self, only: Option<&str>) -> Report {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Report::judge(Vec::new(), &Policy::default(), false);
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        let results = files
            .iter()
            .filter_map(|path| {
                // Regular files only, bounded, like every answer read.
                let name = path.to_string_lossy();
                let limits = crate::answer::input::Limits::default();
                let text = crate::answer::input::read_answer(&name, &mut std::io::empty(), limits)
                    .ok()?
                    .text;
                let (matter, _) = crate::answer::frontmatter::split(&text).ok()?;
                let id = matter?.rubric?;
                if only.is_some_and(|o| o != id) {
                    return None;
                }
                let rubric = self.questions.iter().find(|r| r.id == id)?;
                Some(self.score_one(rubric, path, &text))
            })
            .collect();
        Report::judge(results, &Policy::default(), false)
    }

    /// The saved attempts at question `i` over time (oldest first); `None`
    /// before the second attempt.
    pub fn trend(&self, i: usize) -> Option<Trend> {
        let id = &self.questions[i].id;
        let report = self.attempts(Some(id));
        coach::progress(&report, None)
            .into_iter()
            .find(|t| &t.rubric == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(dir: &Path, pick: Pick) -> Practice {
        Practice::open(&BankOptions::default(), &DataFiles::default(), pick, dir).unwrap()
    }

    #[test]
    fn attempts_are_numbered_per_day_and_make_a_trend() {
        let dir = tempfile::tempdir().unwrap();
        let p = practice(dir.path(), Pick::Rubric("rate-limiting".into()));
        let a = p.save(0, "2026-03-01", "We use a token bucket.").unwrap();
        let b = p
            .save(
                0,
                "2026-03-01",
                "A token bucket in Redis, 429 with Retry-After.",
            )
            .unwrap();
        assert!(a.ends_with("rate-limiting-2026-03-01.md"));
        assert!(b.ends_with("rate-limiting-2026-03-01-2.md"));
        let text = std::fs::read_to_string(&a).unwrap();
        assert!(text.starts_with("---\nrubric: rate-limiting\ndate: 2026-03-01\n---\n"));
        let t = p.trend(0).expect("two attempts make a trend");
        assert_eq!(t.attempts.len(), 2);
        assert!(t.attempts[1].score > t.attempts[0].score);
    }

    #[test]
    fn weakest_prefers_a_question_never_attempted_then_the_lowest() {
        let dir = tempfile::tempdir().unwrap();
        let p = practice(dir.path(), Pick::Tag("rate-limiting".into()));
        let ids: Vec<&str> = p.questions().iter().map(|r| r.id.as_str()).collect();
        assert!(ids.len() >= 2, "{ids:?}");
        let p = Practice {
            pick: Pick::Weakest,
            ..p
        };
        p.save(
            0,
            "2026-03-01",
            "Token bucket in Redis with 429 and Retry-After headers.",
        )
        .unwrap();
        assert_ne!(p.first(), 0, "a question never attempted comes first");
    }
}
