//! What a long run says on stderr: a progress bar (indicatif) once the run
//! has lasted about a second, only when stderr is a terminal and not
//! `--quiet`; and notes about what was left out.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rubric::run::check::Progress;

use crate::args::Verbosity;

/// Shown only after this long, so short runs stay silent.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A progress bar drawn on stderr once the run has lasted [`SHOW_AFTER`].
pub struct Bar {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Bar {
    /// A bar when stderr is a terminal and the run is not quiet; else none.
    pub fn new(verbosity: Verbosity) -> Self {
        let bar = (verbosity != Verbosity::Quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {pos}/{len} answers [{bar:30}] {elapsed} (eta {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        });
        Bar {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    fn advance(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.started.elapsed() >= SHOW_AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A note per answer named on the command line that the config excludes
/// (unless quiet).
pub fn excluded_notes(named: &[PathBuf], verbosity: Verbosity) {
    if verbosity == Verbosity::Quiet {
        return;
    }
    for p in named {
        eprintln!(
            "note: {}: skipped, excluded by the config's `exclude`",
            p.display()
        );
    }
}
