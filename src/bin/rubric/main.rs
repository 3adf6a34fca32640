//! The `rubric` binary, only glue: arguments → options → one library call →
//! renderer → writer → exit code.

mod args;
mod commands;
mod output;
mod practice;
mod progress;
mod report;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, Verbosity};
use output::{print_error, style, text, Target};
use progress::Bar;
use report::{answer_errors, star_errors, table_or_json};
use rubric::render::{self, Style};
use rubric::report::exit;
use rubric::run::{self, Error};

/// mimalloc instead of the system allocator: see Cargo.toml.
#[global_allocator]
static ALLOCATOR: rubric::alloc::Mimalloc = rubric::alloc::Mimalloc;

const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const ABANDONED_PAGE_PURGE: libmimalloc_sys::mi_option_t = 12;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc's options for a short-lived, memory-bounded run: freed memory
/// is returned at once and arenas are committed as they are used (the
/// defaults keep both for speed and raised peak memory by up to half on
/// large transcripts). Numbers from mimalloc.h of v2, the version
/// Cargo.toml asks `libmimalloc-sys` for (v3 numbers them alike).
fn tune_allocator() {
    // SAFETY: setting an option is a plain store mimalloc reads later.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

/// For `check`, which frees each answer's memory as the next one needs as
/// much: mimalloc keeps freed memory 50 ms before returning it, so the next
/// answers reuse it instead of faulting fresh pages in, and returns the
/// pages of a thread that ends at once (kept, they added up: 54 MB peak at
/// 100,000 answers). Purging at once, a check of 100,000 answers took
/// 101,000 page faults and 35 MB; so, 13,000 to 21,000 (fewer in a fast
/// run, whose pages are reused within the 50 ms) and 38-39 MB.
fn tune_allocator_for_many_answers() {
    // SAFETY: as in tune_allocator.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 50);
        libmimalloc_sys::mi_option_set(ABANDONED_PAGE_PURGE, 1);
    }
}

/// On Linux, arenas are committed lazily from before anything allocates:
/// the Rust runtime allocates before `main`, and the first arena, reserved
/// then with the default options, was committed whole (with transparent
/// huge pages, 10-45 MB more resident memory). Purging at once waits for
/// `main`: from the start, it cost a run with detection 6 ms of system
/// time while the bank is loaded.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static COMMIT_LAZILY_FROM_THE_START: extern "C" fn() = {
    extern "C" fn commit_lazily() {
        // SAFETY: as in tune_allocator.
        unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
    }
    commit_lazily
};

fn main() -> ExitCode {
    tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2, never 1.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::PASS
            });
        }
    };
    output::remove_temporaries_on_signal();
    let verbosity = cli.verbosity();
    match run(cli.command, verbosity) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            print_error(&e);
            ExitCode::from(exit::BAD_INPUT)
        }
    }
}

fn run(command: Command, verbosity: Verbosity) -> Result<u8, Error> {
    let mut stdin = std::io::stdin().lock();
    match command {
        Command::Score(a) => commands::score(&a, &mut stdin, verbosity),
        Command::Check(a) => {
            tune_allocator_for_many_answers();
            commands::check(&a, &mut stdin, verbosity)
        }
        Command::Init(a) => commands::init(&a, verbosity),
        Command::Completions(a) => commands::completions(&a),
        Command::Man => commands::man(),
        Command::Report(a) => {
            let options = commands::with_files_from(a.options(), &a.answers, &mut stdin)?;
            let bar = Bar::new(verbosity);
            let coached = run::coach(&options, a.cohort.as_deref(), &bar)?;
            drop(bar);
            report::coach(&coached, a.format(), a.out.as_deref(), &style(&a.color))?;
            // Printed to stdout, the report is a check: it exits as `check` would.
            Ok(if a.out.is_some() {
                coached.report.input_exit_code()
            } else {
                coached.report.exit_code()
            })
        }
        Command::Stats(a) => {
            let options = commands::with_files_from(a.options(), &a.answers, &mut stdin)?;
            let bar = Bar::new(verbosity);
            let (report, stats) = run::stats(&options, &bar)?;
            drop(bar);
            answer_errors(&report);
            table_or_json(a.format, &stats, style(&a.color).color, || {
                render::stats_table(&stats, &style(&a.color))
            })?;
            Ok(report.input_exit_code())
        }
        Command::Suggest(a) => {
            let (question, id) = (a.question.as_deref(), a.id.as_deref());
            let toml = run::suggest(&a.answer, question, id, &a.bank.options(), &mut stdin)?;
            text(a.out.as_deref().map_or(Target::Stdout, Target::File), &toml)?;
            Ok(exit::PASS)
        }
        Command::Diff(a) => {
            let d = run::diff(&a.old, &a.new)?;
            table_or_json(a.format, &d, false, || {
                render::diff_table(&d, &Style::default())
            })?;
            Ok(d.exit_code(a.fail_on_regression))
        }
        Command::Config(a) => {
            let rows = run::load_config(a.config.as_deref(), None)?.rows();
            table_or_json(a.format, &rows, false, || {
                render::config_table(&rows, &Style::default())
            })?;
            Ok(exit::PASS)
        }
        Command::Star(a) => {
            let data = a.data();
            let report = run::star(
                &a.answers,
                a.speaker.as_deref(),
                a.explain,
                &data,
                a.data.limits(),
                &mut stdin,
            )?;
            star_errors(&report);
            table_or_json(a.format, &report, style(&a.color).color, || {
                render::star_table(&report, &style(&a.color))
            })?;
            Ok(report.exit_code())
        }
        Command::Search(a) => {
            let found = run::search(&a.bank.options(), &a.words.join(" "), a.limit)?;
            table_or_json(a.format, &found, style(&a.color).color, || {
                render::search_table(&found.hits, &style(&a.color))
            })?;
            Ok(exit::PASS)
        }
        Command::List(a) => {
            let bank = run::list(&a.bank.options(), &a.tag, a.kind())?;
            let listing = rubric::report::listing::Listing::new(bank.rubrics());
            table_or_json(a.format, &listing, style(&a.color).color, || {
                render::list_table(bank.rubrics(), &style(&a.color))
            })?;
            Ok(exit::PASS)
        }
        Command::Practice(a) => practice::run(&a, &mut stdin, &style(&a.color)),
        Command::Show(a) => {
            let rubric = run::show(&a.bank.options(), &a.id)?;
            let shown = rubric::report::listing::Shown::new(&rubric, a.guide);
            table_or_json(a.format, &shown, style(&a.color).color, || {
                render::show_text(&shown, &style(&a.color))
            })?;
            Ok(exit::PASS)
        }
        Command::Lint(a) => {
            let report = run::lint(&a.dirs)?;
            table_or_json(a.format, &report, false, || render::lint_text(&report))?;
            Ok(report.exit_code())
        }
    }
}
