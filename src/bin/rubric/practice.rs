//! `rubric practice`: the terminal dialogue only. The questions, scoring,
//! saving and the trend come from `rubric::run::practice`; the text from
//! `rubric::render::practice`.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::Command;

use rubric::render::{practice as view, Style};
use rubric::report::exit;
use rubric::run::practice::{Pick, Practice, Scored};
use rubric::run::Error;

use crate::args::PracticeArgs;

/// What the person chose after an attempt.
enum Next {
    Retry,
    Question,
    Quit,
}

/// Today as `YYYY-MM-DD`: `RUBRIC_TODAY` when set (tests pin it), else the
/// local date.
fn today() -> Result<String, Error> {
    match std::env::var("RUBRIC_TODAY") {
        Ok(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| Error::Usage("RUBRIC_TODAY must be a date: YYYY-MM-DD")),
        Err(_) => Ok(chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string()),
    }
}

fn io_error(source: std::io::Error) -> Error {
    Error::Write {
        path: "<stdout>".into(),
        source,
    }
}

/// The practice loop on standard input and output.
pub fn run(a: &PracticeArgs, input: &mut dyn BufRead, style: &Style) -> Result<u8, Error> {
    let pick = match (&a.tag, &a.rubric, a.weakest) {
        (Some(t), _, _) => Pick::Tag(t.clone()),
        (_, Some(r), _) => Pick::Rubric(r.clone()),
        (_, _, true) => Pick::Weakest,
        _ => Pick::All,
    };
    let date = today()?;
    let practice = Practice::open(&a.bank.options(), &a.data(), pick, &a.dir)?;
    let mut out = std::io::stdout().lock();
    let total = practice.questions().len();
    let mut i = practice.first();
    let mut asked = 1;
    let mut show_question = true;
    loop {
        let rubric = &practice.questions()[i];
        if show_question {
            write!(out, "{}", view::question(rubric, asked, total)).map_err(io_error)?;
        }
        let Some(answer) = read_answer(input, &mut out, a, &rubric.question)? else {
            writeln!(out, "\nBye.").map_err(io_error)?;
            return Ok(exit::PASS);
        };
        let scored = if answer.trim().is_empty() {
            writeln!(out, "The answer is empty: nothing to score or save.").map_err(io_error)?;
            None
        } else {
            let path = practice.save(i, &date, &answer)?;
            let scored = practice.score(i, &path, &answer);
            let shown = if a.reveal {
                &scored.revealed
            } else {
                &scored.guided
            };
            write!(out, "\n{}", view::feedback(shown, style)).map_err(io_error)?;
            writeln!(out, "Saved as {}", path.display()).map_err(io_error)?;
            let latest = scored.revealed.results[0]
                .scored
                .as_ref()
                .map_or(0.0, |s| s.score);
            write!(out, "{}", view::trend(practice.trend(i).as_ref(), latest)).map_err(io_error)?;
            Some(scored)
        };
        match menu(input, &mut out, &practice, i, scored.as_ref(), style)? {
            Next::Retry => show_question = false,
            Next::Question => {
                i = practice.next(i);
                asked += 1;
                show_question = true;
            }
            Next::Quit => {
                writeln!(out, "Bye.").map_err(io_error)?;
                return Ok(exit::PASS);
            }
        }
    }
}

/// One line from the terminal, without its line end; `None` at end of input.
fn read_line(input: &mut dyn BufRead) -> Result<Option<String>, Error> {
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) => Ok(None),
        Ok(_) => Ok(Some(line.trim_end_matches(['\n', '\r']).to_string())),
        Err(source) => Err(Error::Write {
            path: "<stdin>".into(),
            source,
        }),
    }
}

/// The answer: from `$EDITOR` when it is set (and `--type` is not given),
/// else typed or pasted up to a line holding a single `.`. `None` when the
/// input ends before anything was typed (Ctrl-D).
fn read_answer(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    a: &PracticeArgs,
    question: &str,
) -> Result<Option<String>, Error> {
    if !a.type_answer {
        match std::env::var("EDITOR")
            .ok()
            .filter(|e| !e.trim().is_empty())
        {
            Some(editor) => match from_editor(&editor, question) {
                Ok(text) => return Ok(Some(text)),
                Err(why) => {
                    writeln!(out, "{why}; type the answer here instead.").map_err(io_error)?
                }
            },
            None => writeln!(out, "$EDITOR is not set; type the answer here instead.")
                .map_err(io_error)?,
        }
    }
    write!(out, "{}", view::typing_prompt()).map_err(io_error)?;
    out.flush().map_err(io_error)?;
    let mut text = String::new();
    loop {
        match read_line(input)? {
            None if text.is_empty() => return Ok(None),
            None => return Ok(Some(text)),
            Some(line) if line.trim() == "." => return Ok(Some(text)),
            Some(line) => {
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
}

/// Opens `$EDITOR` on a file holding the question as `#` comments, and
/// returns what was written (comment lines left out).
fn from_editor(editor: &str, question: &str) -> Result<String, String> {
    let file = tempfile::Builder::new()
        .prefix("rubric-answer-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| format!("cannot create a file for $EDITOR: {e}"))?;
    let template =
        format!("# {question}\n# Write your answer below; lines starting with # are left out.\n\n");
    std::fs::write(file.path(), template).map_err(|e| format!("cannot write {e}"))?;
    // Through the shell, as git does: $EDITOR may carry arguments ("code -w").
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .map_err(|e| format!("cannot start $EDITOR ({editor}): {e}"))?;
    if !status.success() {
        return Err(format!("$EDITOR ({editor}) failed ({status})"));
    }
    let text = read_back(file.path())?;
    Ok(text)
}

fn read_back(path: &Path) -> Result<String, String> {
    // A regular file, bounded like any answer.
    let limit = rubric::answer::input::DEFAULT_MAX_ANSWER_BYTES;
    let bytes = rubric::model::fsread::read_regular(path, limit)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    let text =
        String::from_utf8(bytes).map_err(|_| "cannot read the answer: not UTF-8".to_string())?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string())
}

/// Retry, next, hint, reveal or quit; hints come one at a time, from the
/// points the last attempt missed (or the rubric's, before an attempt).
fn menu(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    practice: &Practice,
    i: usize,
    scored: Option<&Scored>,
    style: &Style,
) -> Result<Next, Error> {
    let hints = view::hints(scored.map(|s| &s.guided), &practice.questions()[i]);
    let mut given = 0;
    loop {
        write!(out, "\n{}", view::menu(scored.is_some())).map_err(io_error)?;
        out.flush().map_err(io_error)?;
        let Some(choice) = read_line(input)? else {
            return Ok(Next::Quit);
        };
        match choice.trim().to_lowercase().as_str() {
            "r" | "retry" => return Ok(Next::Retry),
            "n" | "next" => return Ok(Next::Question),
            "q" | "quit" => return Ok(Next::Quit),
            "h" | "hint" => match hints.get(given % hints.len().max(1)) {
                Some(h) => {
                    given += 1;
                    writeln!(out, "Hint: {h}").map_err(io_error)?;
                }
                None => writeln!(out, "No hint left: every point is covered.").map_err(io_error)?,
            },
            "v" | "reveal" if scored.is_some() => {
                let s = scored.expect("checked");
                write!(out, "\n{}", view::feedback(&s.revealed, style)).map_err(io_error)?;
            }
            other => writeln!(out, "`{other}`? Choose r, n, h, v or q.").map_err(io_error)?,
        }
    }
}
