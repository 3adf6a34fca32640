//! The answer-bank configuration: `.rubric-bank.toml`, found from the
//! current directory upward (or given with `--config`). The leading dot and
//! the name keep it from being mistaken for a rubric: rubric directories
//! skip hidden files.
//!
//! ```toml
//! rubrics = ["rubrics"]                  # added to the shipped bank (relative to this file)
//! answers = ["answers/**/*.md"]          # which files are answers
//! exclude = ["**/drafts/**"]             # and which are not
//! pass = 65                              # pass mark for rubrics that set none
//! fail_on = "error"                      # or "warning": STAR findings fail too
//! min_score = 50                         # fail any answer scoring below this
//! max_failures = 0                       # exit 1 only when more answers fail
//! format = "table"                       # default output format
//!
//! [[override]]                           # per-glob settings, last match wins
//! glob = "answers/behavioral/**"
//! pass = 55
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::model::diag::{Diagnostics, Locator, Severity};

/// The config file's name.
pub const FILE_NAME: &str = ".rubric-bank.toml";

/// The output formats a config may name.
pub const FORMATS: &[&str] = &[
    "table", "brief", "json", "jsonl", "junit", "github", "sarif", "markdown",
];

/// When an answer counts as failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Below its pass mark, or a required concept missing.
    #[default]
    Error,
    /// Also when the STAR analysis has findings.
    Warning,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
        }
    }
}

/// Where an effective setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File { path, line, column } => {
                write!(f, "{}:{line}:{column}", path.display())
            }
            Origin::Flag(flag) => write!(f, "{flag}"),
        }
    }
}

/// A setting with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn default_to(value: T) -> Self {
        Setting {
            value,
            origin: Origin::Default,
        }
    }

    /// Replaces the value from a command-line flag.
    pub fn set_by_flag(&mut self, value: T, flag: &'static str) {
        self.value = value;
        self.origin = Origin::Flag(flag);
    }
}

/// Settings for the answers matching a glob.
#[derive(Debug, Clone)]
pub struct Override {
    pub glob: String,
    pub matcher: globset::GlobMatcher,
    pub pass: Option<f64>,
    pub rubric: Option<String>,
    pub origin: Origin,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file, when there is one.
    pub file: Option<PathBuf>,
    /// The directory relative paths in the file are resolved from.
    pub root: PathBuf,
    pub rubrics: Setting<Vec<PathBuf>>,
    pub answers: Setting<Vec<String>>,
    pub exclude: Setting<Vec<String>>,
    pub pass: Setting<Option<f64>>,
    pub fail_on: Setting<FailOn>,
    pub min_score: Setting<Option<f64>>,
    pub max_failures: Setting<usize>,
    pub format: Setting<String>,
    pub overrides: Vec<Override>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            file: None,
            root: PathBuf::from("."),
            rubrics: Setting::default_to(Vec::new()),
            answers: Setting::default_to(Vec::new()),
            exclude: Setting::default_to(Vec::new()),
            pass: Setting::default_to(None),
            fail_on: Setting::default_to(FailOn::Error),
            min_score: Setting::default_to(None),
            max_failures: Setting::default_to(0),
            format: Setting::default_to("table".to_string()),
            overrides: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    rubrics: Option<Spanned<Vec<String>>>,
    answers: Option<Spanned<Vec<String>>>,
    exclude: Option<Spanned<Vec<String>>>,
    pass: Option<Spanned<f64>>,
    fail_on: Option<Spanned<String>>,
    min_score: Option<Spanned<f64>>,
    max_failures: Option<Spanned<i64>>,
    format: Option<Spanned<String>>,
    #[serde(default, rename = "override")]
    overrides: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    glob: Spanned<String>,
    pass: Option<Spanned<f64>>,
    rubric: Option<String>,
}

/// The config file for `start`: `start/.rubric-bank.toml` or the nearest
/// one in a parent directory.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Shortens an absolute path to one relative to the current directory when
/// it lies below it, so messages and reports show familiar paths.
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) else {
        return path.to_path_buf();
    };
    match path.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// Reads a config file. Every problem is reported with `path:line:col`.
pub fn load(path: &Path) -> Result<Config, Diagnostics> {
    let src = crate::model::diag::read_source(path, "config")?;
    parse(path, &src)
}

/// The keys of the config, and of an `[[override]]`.
const KEYS: &[&str] = &[
    "rubrics",
    "answers",
    "exclude",
    "pass",
    "fail_on",
    "min_score",
    "max_failures",
    "format",
    "override",
];
const OVERRIDE_KEYS: &[&str] = &["glob", "pass", "rubric"];

/// Checks the type of a key's value.
type TypeCheck<'i> = dyn Fn(&str, &Spanned<DeValue<'i>>) -> Result<(), toml::de::Error>;

/// The known keys of `table` whose values have the right type; every
/// unknown key (with "did you mean") and every badly typed value is
/// reported in `diags`, so that a config shows all its problems at once.
fn checked_table<'i>(
    loc: &Locator<'_>,
    table: &DeTable<'i>,
    keys: &[&str],
    what: &str,
    check: &TypeCheck<'i>,
    diags: &mut Vec<crate::model::diag::Diagnostic>,
) -> DeTable<'i> {
    let mut good = DeTable::new();
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if !keys.contains(&name) {
            diags.push(loc.at(
                key.span(),
                Severity::Error,
                crate::model::diag::unknown_key(name, keys, what),
            ));
            continue;
        }
        match check(name, value) {
            Ok(()) => {
                good.insert(key.clone(), value.clone());
            }
            Err(e) => diags.push(loc.at(
                e.span().unwrap_or_else(|| value.span()),
                Severity::Error,
                format!("`{name}`: {}", e.message().trim()),
            )),
        }
    }
    good
}

fn typed<T: serde::de::DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
) -> Result<(), toml::de::Error> {
    T::deserialize(ValueDeserializer::from(value.clone())).map(|_| ())
}

/// Parses config text; `path` names it in messages and roots relative paths.
/// Every problem is reported at once: TOML syntax, unknown keys (with "did
/// you mean"), values of the wrong type or out of range, bad globs.
pub fn parse(path: &Path, src: &str) -> Result<Config, Diagnostics> {
    let loc = Locator::new(path, src);
    let mut diags = Vec::new();
    let (root, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        for e in errors {
            diags.push(loc.at(
                e.span().unwrap_or(0..0),
                Severity::Error,
                format!("invalid TOML: {}", e.message().trim()),
            ));
        }
        diags.sort();
        return Err(Diagnostics(diags));
    }
    let root_span = root.span();
    let check_root = |key: &str, value: &Spanned<DeValue<'_>>| match key {
        "rubrics" | "answers" | "exclude" => typed::<Vec<String>>(value),
        "pass" | "min_score" => typed::<f64>(value),
        "fail_on" | "format" => typed::<String>(value),
        "max_failures" => typed::<i64>(value),
        _ => typed::<Vec<toml::Table>>(value),
    };
    let mut table = checked_table(
        &loc,
        root.get_ref(),
        KEYS,
        "the config",
        &check_root,
        &mut diags,
    );
    if let Some(overrides) = table.get("override").cloned() {
        let span = overrides.span();
        let mut good = toml::de::DeArray::new();
        if let DeValue::Array(items) = overrides.into_inner() {
            for item in items {
                let item_span = item.span();
                let DeValue::Table(t) = item.get_ref() else {
                    continue;
                };
                let check = |key: &str, value: &Spanned<DeValue<'_>>| match key {
                    "pass" => typed::<f64>(value),
                    _ => typed::<String>(value),
                };
                let t = checked_table(&loc, t, OVERRIDE_KEYS, "[[override]]", &check, &mut diags);
                if t.get("glob").is_none() {
                    diags.push(loc.at(
                        item_span,
                        Severity::Error,
                        "missing required key `glob` in [[override]]".to_string(),
                    ));
                    continue;
                }
                good.push(Spanned::new(item_span, DeValue::Table(t)));
            }
        }
        let key = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == "override")
            .map(|(k, _)| k.clone())
            .expect("the key was found");
        table.insert(key, Spanned::new(span, DeValue::Array(good)));
    }
    let raw = RawConfig::deserialize(ValueDeserializer::from(Spanned::new(
        root_span,
        DeValue::Table(table),
    )))
    .map_err(|e| {
        Diagnostics(vec![loc.at(
            e.span().unwrap_or(0..0),
            Severity::Error,
            e.message().trim().to_string(),
        )])
    })?;
    let origin = |span: std::ops::Range<usize>| {
        let (line, column) = loc.line_col(span.start);
        Origin::File {
            path: path.to_path_buf(),
            line,
            column,
        }
    };
    let root = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut config = Config {
        file: Some(path.to_path_buf()),
        root: root.clone(),
        ..Config::default()
    };

    if let Some(r) = raw.rubrics {
        config.rubrics = Setting {
            origin: origin(r.span()),
            value: r.get_ref().iter().map(|d| root.join(d)).collect(),
        };
    }
    for (key, list, slot) in [
        ("answers", raw.answers, &mut config.answers),
        ("exclude", raw.exclude, &mut config.exclude),
    ] {
        if let Some(list) = list {
            for g in list.get_ref() {
                if let Err(e) = Glob::new(g) {
                    diags.push(loc.at(
                        list.span(),
                        Severity::Error,
                        format!("`{key}`: bad glob `{g}`: {}", e.kind()),
                    ));
                }
            }
            *slot = Setting {
                origin: origin(list.span()),
                value: list.into_inner(),
            };
        }
    }
    // A percentage setting, or an error at its value.
    let mut percent = |key: &str, v: Option<Spanned<f64>>| -> Option<Setting<Option<f64>>> {
        let v = v?;
        match crate::model::number::percent(key, *v.get_ref()) {
            Ok(p) => Some(Setting {
                origin: origin(v.span()),
                value: Some(p),
            }),
            Err(message) => {
                diags.push(loc.at(v.span(), Severity::Error, message));
                None
            }
        }
    };
    if let Some(p) = percent("pass", raw.pass) {
        config.pass = p;
    }
    if let Some(m) = percent("min_score", raw.min_score) {
        config.min_score = m;
    }
    if let Some(f) = raw.fail_on {
        match f.get_ref().as_str() {
            "error" => {
                config.fail_on = Setting {
                    origin: origin(f.span()),
                    value: FailOn::Error,
                }
            }
            "warning" => {
                config.fail_on = Setting {
                    origin: origin(f.span()),
                    value: FailOn::Warning,
                }
            }
            other => diags.push(loc.at(
                f.span(),
                Severity::Error,
                format!("`fail_on` must be \"error\" or \"warning\", found \"{other}\""),
            )),
        }
    }
    if let Some(m) = raw.max_failures {
        if *m.get_ref() >= 0 {
            config.max_failures = Setting {
                origin: origin(m.span()),
                value: *m.get_ref() as usize,
            };
        } else {
            diags.push(loc.at(
                m.span(),
                Severity::Error,
                format!("`max_failures` must be 0 or more, found {}", m.get_ref()),
            ));
        }
    }
    if let Some(f) = raw.format {
        if FORMATS.contains(&f.get_ref().as_str()) {
            config.format = Setting {
                origin: origin(f.span()),
                value: f.get_ref().clone(),
            };
        } else {
            diags.push(loc.at(
                f.span(),
                Severity::Error,
                format!(
                    "`format` must be one of {}, found \"{}\"",
                    FORMATS.join(", "),
                    f.get_ref()
                ),
            ));
        }
    }
    for o in raw.overrides {
        let matcher = match Glob::new(o.glob.get_ref()) {
            Ok(g) => g.compile_matcher(),
            Err(e) => {
                diags.push(loc.at(
                    o.glob.span(),
                    Severity::Error,
                    format!(
                        "`override.glob`: bad glob `{}`: {}",
                        o.glob.get_ref(),
                        e.kind()
                    ),
                ));
                continue;
            }
        };
        if let Some(p) = &o.pass {
            if let Err(message) = crate::model::number::percent("override.pass", *p.get_ref()) {
                diags.push(loc.at(p.span(), Severity::Error, message));
            }
        }
        config.overrides.push(Override {
            origin: origin(o.glob.span()),
            glob: o.glob.into_inner(),
            matcher,
            pass: o.pass.map(Spanned::into_inner),
            rubric: o.rubric,
        });
    }
    if diags.is_empty() {
        Ok(config)
    } else {
        diags.sort();
        Err(Diagnostics(diags))
    }
}

impl Config {
    /// The override settings that apply to an answer (last match wins),
    /// matched on its path relative to the config's root.
    pub fn override_for(&self, answer: &Path) -> (Option<f64>, Option<&str>) {
        let rel = answer.strip_prefix(&self.root).unwrap_or(answer);
        let rel = rel.strip_prefix(".").unwrap_or(rel);
        let mut pass = None;
        let mut rubric = None;
        for o in &self.overrides {
            if o.matcher.is_match(rel) || o.matcher.is_match(answer) {
                pass = o.pass.or(pass);
                rubric = o.rubric.as_deref().or(rubric);
            }
        }
        (pass, rubric)
    }

    /// The compiled `exclude` globs.
    pub fn exclude_set(&self) -> GlobSet {
        build_set(&self.exclude.value)
    }

    /// The compiled `answers` globs.
    pub fn answer_set(&self) -> GlobSet {
        build_set(&self.answers.value)
    }

    /// The effective settings and where each came from, for `rubric config`.
    pub fn rows(&self) -> Vec<Row> {
        let list = |v: &[String]| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.join(", ")
            }
        };
        let mut rows = vec![
            (
                "file".to_string(),
                self.file
                    .as_ref()
                    .map_or("(none found)".to_string(), |p| p.display().to_string()),
                "discovered from the current directory, or --config".to_string(),
            ),
            (
                "rubrics".into(),
                list(
                    &self
                        .rubrics
                        .value
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>(),
                ),
                self.rubrics.origin.to_string(),
            ),
            (
                "answers".into(),
                list(&self.answers.value),
                self.answers.origin.to_string(),
            ),
            (
                "exclude".into(),
                list(&self.exclude.value),
                self.exclude.origin.to_string(),
            ),
            (
                "pass".into(),
                self.pass
                    .value
                    .map_or("60 (unless the rubric sets one)".to_string(), |p| {
                        p.to_string()
                    }),
                self.pass.origin.to_string(),
            ),
            (
                "fail_on".into(),
                self.fail_on.value.as_str().to_string(),
                self.fail_on.origin.to_string(),
            ),
            (
                "min_score".into(),
                self.min_score
                    .value
                    .map_or("(none)".to_string(), |m| m.to_string()),
                self.min_score.origin.to_string(),
            ),
            (
                "max_failures".into(),
                self.max_failures.value.to_string(),
                self.max_failures.origin.to_string(),
            ),
            (
                "format".into(),
                self.format.value.clone(),
                self.format.origin.to_string(),
            ),
        ];
        for o in &self.overrides {
            let mut parts = Vec::new();
            if let Some(p) = o.pass {
                parts.push(format!("pass = {p}"));
            }
            if let Some(r) = &o.rubric {
                parts.push(format!("rubric = {r}"));
            }
            rows.push((
                format!("override {}", o.glob),
                parts.join(", "),
                o.origin.to_string(),
            ));
        }
        rows.into_iter()
            .map(|(setting, value, from)| Row {
                setting,
                value,
                from,
            })
            .collect()
    }
}

/// One effective setting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub setting: String,
    pub value: String,
    /// Where the value comes from.
    pub from: String,
}

fn build_set(globs: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        if let Ok(g) = Glob::new(g) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_with_origins() {
        let src = "rubrics = [\"r\"]\nanswers = [\"answers/**/*.md\"]\npass = 70\nfail_on = \"warning\"\n[[override]]\nglob = \"answers/b/**\"\npass = 50\n";
        let c = parse(Path::new("bank/.rubric-bank.toml"), src).unwrap();
        assert_eq!(c.rubrics.value, vec![PathBuf::from("bank/r")]);
        assert_eq!(c.pass.value, Some(70.0));
        assert_eq!(c.pass.origin.to_string(), "bank/.rubric-bank.toml:3:8");
        assert_eq!(c.fail_on.value, FailOn::Warning);
        assert_eq!(c.max_failures.origin, Origin::Default);
        assert_eq!(
            c.override_for(Path::new("bank/answers/b/x.md")).0,
            Some(50.0)
        );
        assert_eq!(c.override_for(Path::new("bank/answers/a/x.md")).0, None);
    }

    #[test]
    fn unknown_key_and_bad_values_are_located() {
        let e = parse(Path::new("c.toml"), "pass = 70\ncolour = 1\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("c.toml:2:1: unknown key `colour` in the config"),
            "{e}"
        );
        let e = parse(
            Path::new("c.toml"),
            "pass = 170\nfail_on = \"never\"\nformat = \"pdf\"\nanswers = [\"a/[\"]\n",
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("c.toml:1:8: `pass` must be between 0 and 100"),
            "{text}"
        );
        assert!(text.contains("c.toml:2:11: `fail_on` must be"), "{text}");
        assert!(
            text.contains("c.toml:3:10: `format` must be one of"),
            "{text}"
        );
        assert!(text.contains("c.toml:4:11: `answers`: bad glob"), "{text}");
    }

    #[test]
    fn every_problem_at_once_with_did_you_mean() {
        let src = "answerz = [\"*.md\"]\npass = \"high\"\nfail_on = \"never\"\n[[override]]\nglob = \"a/**\"\npas = 50\n[[override]]\npass = 40\n";
        let text = parse(Path::new("c.toml"), src).unwrap_err().to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(
            text.contains(
                "c.toml:1:1: unknown key `answerz` in the config (did you mean `answers`?)"
            ),
            "{text}"
        );
        assert!(text.contains("c.toml:2:8: `pass`: invalid type"), "{text}");
        assert!(text.contains("c.toml:3:11: `fail_on` must be"), "{text}");
        assert!(
            text.contains("c.toml:6:1: unknown key `pas` in [[override]] (did you mean `pass`?)"),
            "{text}"
        );
        assert!(
            text.contains("missing required key `glob` in [[override]]"),
            "{text}"
        );
    }
}
