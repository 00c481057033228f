//! Progress of long runs on standard error: the stage and the time so far, redrawn twice a
//! second, shown only when standard error is a terminal (never in a pipe, a log or a test)
//! and not under `--quiet`.

use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The stage shown, or `None` once the run has finished.
type Shared = Arc<Mutex<Option<String>>>;

/// Where a run has got to.
#[derive(Debug)]
pub struct Progress {
    stage: Shared,
    ticker: Option<JoinHandle<()>>,
}

fn draw(start: Instant, what: &str) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K[{:6.1} s] {what}", start.elapsed().as_secs_f64());
    let _ = err.flush();
}

fn clear() {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K");
    let _ = err.flush();
}

impl Progress {
    /// Progress for a run starting now; silent if `quiet` or standard error is not a terminal.
    #[must_use]
    pub fn new(quiet: bool) -> Progress {
        let stage: Shared = Arc::new(Mutex::new(Some(String::new())));
        let ticker = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let stage = Arc::clone(&stage);
            let start = Instant::now();
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(500));
                    let Ok(guard) = stage.lock() else { return };
                    match guard.as_deref() {
                        None => return,
                        Some("") => {}
                        Some(what) => draw(start, what),
                    }
                }
            })
        });
        Progress { stage, ticker }
    }

    /// Whether anything is shown.
    #[must_use]
    pub fn is_shown(&self) -> bool {
        self.ticker.is_some()
    }

    /// Names the stage now under way.
    pub fn stage(&self, what: &str) {
        if let Ok(mut guard) = self.stage.lock() {
            if guard.is_some() {
                *guard = Some(what.to_string());
            }
        }
    }

    /// Writes `line` on standard error above the progress line (which is redrawn on its
    /// next tick).
    pub fn say(&self, line: &str) {
        let _guard = self.stage.lock();
        if self.is_shown() {
            clear();
        }
        eprintln!("{line}");
    }

    /// Stops showing progress and clears the line, so the report that follows starts clean.
    pub fn finish(&self) {
        if let Ok(mut guard) = self.stage.lock() {
            if guard.take().is_some() && self.is_shown() {
                clear();
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_means_nothing_is_shown_and_stages_after_the_finish_are_ignored() {
        let p = Progress::new(true);
        assert!(!p.is_shown());
        p.stage("one");
        assert_eq!(p.stage.lock().unwrap().as_deref(), Some("one"));
        p.finish();
        p.stage("two");
        assert_eq!(*p.stage.lock().unwrap(), None);
        // Under `cargo test` standard error is captured, not a terminal.
        assert!(!Progress::new(false).is_shown() || std::io::stderr().is_terminal());
    }
}
