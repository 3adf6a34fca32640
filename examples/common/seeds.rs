//! Reading the seed question banks (`../shared/seeds`) for the quality
//! examples: each question's sample answer, named `file#number`.
//! Included by `seed_quality` and `suggest_eval` with `#[path]`.

use std::path::{Path, PathBuf};

use rubric::model::rubric::Rubric;

/// The shipped rubric written for a seed question (by its `source` key).
pub fn own_rubric<'a>(rubrics: &'a [Rubric], seed: &Seed) -> Option<&'a Rubric> {
    rubrics
        .iter()
        .find(|r| r.source.as_deref() == Some(&seed.source))
}

/// One seed question with its sample answer.
pub struct Seed {
    pub source: String,
    pub answer: String,
}

fn is_question_number(line: &str) -> Option<(u32, &str)> {
    let (n, rest) = line.split_once(". ")?;
    let n: u32 = n.parse().ok()?;
    Some((n, rest))
}

/// `N. Question` then a one-paragraph answer (seed 000).
fn parse_short(file: &str, text: &str) -> Vec<Seed> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let number = if let Some((n, _)) = is_question_number(line) {
            n.to_string()
        } else if line.starts_with("Bonus:") {
            "bonus".to_string()
        } else {
            continue;
        };
        if let Some(answer) = lines[i + 1..].iter().find(|l| !l.trim().is_empty()) {
            out.push(Seed {
                source: format!("{file}#{number}"),
                answer: answer.to_string(),
            });
        }
    }
    out
}

/// Numbered blocks with "Sample Answer" (seed 001).
fn parse_sample_answers(file: &str, text: &str) -> Vec<Seed> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut number: Option<u32> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Ok(n) = line.trim().parse::<u32>() {
            number = Some(n);
        } else if line.trim() == "Sample Answer" {
            if let (Some(n), Some(answer)) =
                (number, lines[i + 1..].iter().find(|l| !l.trim().is_empty()))
            {
                out.push(Seed {
                    source: format!("{file}#{n}"),
                    answer: answer.to_string(),
                });
            }
        }
    }
    out
}

/// `N. Question`, then "Example: …" running to the next question (seed 002).
fn parse_examples(file: &str, text: &str) -> Vec<Seed> {
    let mut out: Vec<Seed> = Vec::new();
    let mut number: Option<u32> = None;
    let mut collecting = false;
    for line in text.lines() {
        if let Some((n, _)) = is_question_number(line) {
            number = Some(n);
            collecting = false;
            continue;
        }
        if line.trim() == "Previous" {
            collecting = false;
        }
        if let Some(rest) = line.strip_prefix("Example:") {
            if let Some(n) = number {
                out.push(Seed {
                    source: format!("{file}#{n}"),
                    answer: rest.trim().to_string(),
                });
                collecting = true;
            }
        } else if collecting && !line.trim().is_empty() {
            let last = out.last_mut().expect("collecting follows a push");
            last.answer.push('\n');
            last.answer.push_str(line);
        }
    }
    out
}

/// `Question N: …`, then "Answer framework:" paragraphs (seed 003).
fn parse_frameworks(file: &str, text: &str) -> Vec<Seed> {
    let mut out: Vec<Seed> = Vec::new();
    let mut number: Option<u32> = None;
    let mut collecting = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Question ") {
            if let Some((n, _)) = rest.split_once(':') {
                if let Ok(n) = n.parse() {
                    number = Some(n);
                    collecting = false;
                    continue;
                }
            }
        }
        if line.trim() == "How to Practice" {
            collecting = false;
        }
        if line.trim() == "Answer framework:" {
            if let Some(n) = number {
                out.push(Seed {
                    source: format!("{file}#{n}"),
                    answer: String::new(),
                });
                collecting = true;
            }
        } else if collecting && !line.trim().is_empty() {
            let last = out.last_mut().expect("collecting follows a push");
            last.answer.push_str(line);
            last.answer.push('\n');
        }
    }
    out
}

/// Every seed question with its sample answer, from the four seed files in `dir`.
/// Says what went wrong and exits with 2: the quality examples never panic.
pub fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}

#[allow(dead_code)] // detect_eval takes `--seeds` and goes on without it
/// The seed folder: the first argument that is not a flag, else
/// `../shared/seeds` (where the seed banks sit beside a checkout); a folder
/// that cannot be read is an error (exit 2), with how to give another.
pub fn seed_dir(args: &[String], flag: Option<&str>) -> PathBuf {
    let given = match flag {
        Some(f) => args
            .iter()
            .position(|a| a == f)
            .and_then(|i| args.get(i + 1))
            .cloned(),
        None => args.iter().find(|a| !a.starts_with("--")).cloned(),
    };
    let dir = PathBuf::from(given.unwrap_or_else(|| "../shared/seeds".to_string()));
    if !dir.is_dir() {
        let how = flag.map_or("SEEDS_DIR".to_string(), |f| format!("{f} SEEDS_DIR"));
        fail(format!(
            "the seed folder {} does not exist: give the folder of the seed question banks (`-- {how}`)",
            dir.display()
        ));
    }
    dir
}

pub fn seeds(dir: &Path) -> Vec<Seed> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| {
            fail(format!(
                "cannot read the seed folder {}: {e}",
                dir.display()
            ))
        })
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        let parsed = match name.get(..3).unwrap_or("") {
            "000" => parse_short(&name, &text),
            "001" => parse_sample_answers(&name, &text),
            "002" => parse_examples(&name, &text),
            _ => parse_frameworks(&name, &text),
        };
        out.extend(parsed);
    }
    out
}
