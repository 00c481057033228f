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
    /// The counted stage under way ([`Progress::step`]) and when it began.
    counting: Mutex<Option<(String, Instant)>>,
}

/// A counted stage as shown: `planning each year: 2 of 5, about 8 s left` (the time left at
/// the pace so far; none before the first step is done).
#[must_use]
pub fn counted(what: &str, done: usize, total: usize, elapsed: Duration) -> String {
    if done == 0 || done >= total {
        return format!("{what}: {done} of {total}");
    }
    let left = elapsed.as_secs_f64() / done as f64 * (total - done) as f64;
    format!("{what}: {done} of {total}, about {left:.0} s left")
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
        Progress { stage, ticker, counting: Mutex::new(None) }
    }

    /// Whether anything is shown.
    #[must_use]
    pub fn is_shown(&self) -> bool {
        self.ticker.is_some()
    }

    /// Names the stage now under way.
    pub fn stage(&self, what: &str) {
        if let Ok(mut guard) = self.stage.lock()
            && guard.is_some()
        {
            *guard = Some(what.to_string());
        }
    }

    /// Counts a stage of `total` steps: `done` of them are done. The time left is worked out
    /// from when this stage's first count was given.
    pub fn step(&self, what: &str, done: usize, total: usize) {
        let elapsed = match self.counting.lock() {
            Ok(mut counting) => {
                if counting.as_ref().is_none_or(|(w, _)| w != what) {
                    *counting = Some((what.to_string(), Instant::now()));
                }
                counting.as_ref().map_or(Duration::ZERO, |(_, start)| start.elapsed())
            }
            Err(_) => Duration::ZERO,
        };
        self.stage(&counted(what, done, total, elapsed));
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
        if let Ok(mut guard) = self.stage.lock()
            && guard.take().is_some()
            && self.is_shown()
        {
            clear();
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
    fn a_counted_stage_says_how_far_and_the_time_left_at_the_pace_so_far() {
        assert_eq!(counted("planning each year", 0, 5, Duration::from_secs(3)), "planning each year: 0 of 5");
        // 2 years in 6 s: 3 s a year, 3 years left.
        assert_eq!(
            counted("planning each year", 2, 5, Duration::from_secs(6)),
            "planning each year: 2 of 5, about 9 s left"
        );
        assert_eq!(counted("planning each year", 5, 5, Duration::from_secs(15)), "planning each year: 5 of 5");
        let p = Progress::new(true);
        p.step("years", 1, 4);
        assert_eq!(p.stage.lock().unwrap().as_deref().map(|s| s.starts_with("years: 1 of 4, about")), Some(true));
    }

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
