//! `rubric init`: a starter answer bank — the config, one example rubric
//! and one example answer that passes it. Never overwrites a file.

use std::path::{Path, PathBuf};

/// The starter config.
pub const CONFIG: &str = r#"# rubric answer bank: `rubric check` here (or in a folder below) finds this file.

rubrics = ["rubrics"]              # your rubrics, added to the shipped bank
answers = ["answers/**/*.md"]      # which files are answers
exclude = ["answers/drafts/**"]    # and which are not
pass = 60                          # pass mark for rubrics that set none
fail_on = "error"                  # "warning": STAR findings fail an answer too
format = "table"                   # default output format
"#;

/// The example rubric (`rubrics/example-caching.toml`).
pub const RUBRIC: &str = r#"id = "example-caching"
question = "When would you put a cache in front of a database, and what can go wrong?"
kind = "technical"
tags = ["example"]

[[concept]]
id = "read-heavy"
label = "Caches read-heavy data that changes rarely"
weight = 2
required = true
phrases = ["read-heavy", "read heavy", "reads far outnumber writes", "hot keys"]
hint = "Say when a cache pays off: many reads of the same data, few writes."

[[concept]]
id = "invalidation"
label = "Explains how entries are invalidated or expire"
weight = 3
phrases = ["invalidate", "invalidation", "ttl", "time to live", "expire"]
hint = "Say how stale entries leave the cache: a TTL, or invalidation on write."

[[concept]]
id = "stampede"
label = "Guards against a cache stampede"
weight = 1
phrases = ["stampede", "thundering herd", "request coalescing"]
hint = "Name what happens when a hot key expires and every request hits the database at once."
"#;

/// The example answer (`answers/example-caching.md`), named after its rubric.
pub const ANSWER: &str = "I put a cache in front of the database when the data is read-heavy: \
reads far outnumber writes and a few hot keys get most of the traffic.\n\
Every entry gets a TTL, and a write to the row will invalidate the cached copy so readers \
do not see stale data for long.\n\
When a hot key expires, a stampede of requests can hit the database at once, so I use \
request coalescing: one request refills the entry while the others wait.\n";

/// The files of a starter bank, relative to its folder.
pub fn files() -> [(&'static str, &'static str); 3] {
    [
        (".rubric-bank.toml", CONFIG),
        ("rubrics/example-caching.toml", RUBRIC),
        ("answers/example-caching.md", ANSWER),
    ]
}

/// Writes the starter bank into `dir` and returns the files written; when
/// any of them exists already, writes nothing and returns those.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let targets: Vec<(PathBuf, &str)> = files()
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .collect();
    let existing: Vec<PathBuf> = targets
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| p.clone())
        .collect();
    if !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    for (path, text) in &targets {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InitError::Io(path.clone(), e))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|e| InitError::Io(path.clone(), e))?;
    }
    Ok(targets.into_iter().map(|(p, _)| p).collect())
}

/// Why `init` wrote nothing (or stopped).
#[derive(Debug)]
pub enum InitError {
    /// These files exist already.
    Exists(Vec<PathBuf>),
    Io(PathBuf, std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_rubric_parses() {
        crate::model::rubric::parse(Path::new("rubrics/example-caching.toml"), RUBRIC).unwrap();
        crate::model::config::parse(Path::new(".rubric-bank.toml"), CONFIG).unwrap();
    }

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".rubric-bank.toml"), "pass = 1\n").unwrap();
        match init(dir.path()) {
            Err(InitError::Exists(p)) => assert_eq!(p.len(), 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".rubric-bank.toml")).unwrap(),
            "pass = 1\n"
        );
        assert!(!dir.path().join("answers").exists());
    }
}
