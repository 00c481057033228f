//! Progress of long runs on standard error: the stage and the time so far, redrawn twice a
//! second, shown only when standard error is a terminal (never in a pipe, a log or a test)
//! and not under `--quiet`.
//!
//! A counted stage gets a bar, its count and the time left at the pace so far:
//!
//! ```text
//! [  12.3 s] planning each year ██████░░░░░░░░ 2 of 5, about 9 s left · pricing round 3
//! ```
//!
//! The counts from inside the library's loops ([`crate::observe`], seen while a command runs
//! under [`Progress::watch`]) follow the stage's own, outermost first; a stage with no count
//! of its own takes the bar from its outermost counted loop (`choosing capital schemes ███░░
//! portfolios 3 of 7, about 4 s left · round of cuts 2`). The line fits the terminal's
//! width (asked of the terminal, else `COLUMNS`, else 80 columns) and never wraps: the bar
//! narrows first, then the stage's name is cut short (ending `…`) and the inner counts
//! dropped, innermost first, never the stage's own count.

use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::observe::{self, Event, Loop, Observer};

/// A count on the line: how far, and when it began (for the time left).
#[derive(Debug, Clone)]
struct Count {
    done: usize,
    total: usize,
    began: Instant,
    /// The time from `began` to when this count was given (what the `done` steps took).
    elapsed: Duration,
}

impl Count {
    fn text(&self) -> String {
        counts(self.done, self.total, self.elapsed)
    }
}

/// A loop of the library under way.
#[derive(Debug, Clone)]
struct Inner {
    of: Loop,
    /// The round under way, for a loop without a total.
    round: usize,
    count: Option<Count>,
}

impl Inner {
    fn text(&self) -> String {
        match &self.count {
            Some(c) => format!("{} {}", self.of.label(), c.text()),
            None => format!("{} {}", self.of.label(), self.round),
        }
    }
}

/// What the line shows.
#[derive(Debug, Default)]
struct State {
    /// Set once the run has finished: nothing more is shown.
    finished: bool,
    /// The stage under way (nothing is drawn while it is empty).
    label: String,
    /// The stage's own count ([`Progress::step`]).
    count: Option<Count>,
    /// The library's loops under way, outermost first.
    inner: Vec<Inner>,
}

impl State {
    fn event(&mut self, event: Event) {
        if self.finished {
            return;
        }
        let of = event.of();
        // A loop told of has ended every loop inside it.
        self.inner.retain(|i| i.of < of || (i.of == of && !matches!(event, Event::Finished { .. })));
        let now = Instant::now();
        let entry = |inner: &mut Vec<Inner>| -> usize {
            if inner.last().is_none_or(|i| i.of != of) {
                inner.push(Inner { of, round: 0, count: None });
            }
            inner.len() - 1
        };
        match event {
            Event::Finished { .. } => {}
            Event::Round { number, .. } => {
                let k = entry(&mut self.inner);
                self.inner[k].round = number;
            }
            Event::Counted { done, total, .. } => {
                let k = entry(&mut self.inner);
                let began = self.inner[k].count.as_ref().map_or(now, |c| c.began);
                self.inner[k].count = Some(Count { done, total, began, elapsed: now - began });
            }
        }
    }

    /// The line at `width` columns, `elapsed` into the run.
    fn line(&self, width: usize, elapsed: Duration) -> String {
        let mut inner: Vec<&Inner> = self.inner.iter().collect();
        let count = match &self.count {
            Some(c) => Some((c.done, c.total, c.text())),
            // A stage without a count of its own shows its outermost counted loop's.
            None => inner.iter().position(|i| i.count.is_some()).and_then(|k| {
                let i = inner.remove(k);
                i.count.as_ref().map(|c| (c.done, c.total, i.text()))
            }),
        };
        let details: Vec<String> = inner.iter().map(|i| i.text()).collect();
        fitted(width, elapsed, &self.label, count.as_ref().map(|(d, t, text)| (*d, *t, text.as_str())), &details)
    }
}

type Shared = Arc<Mutex<State>>;

/// Where a run has got to.
#[derive(Debug)]
pub struct Progress {
    state: Shared,
    ticker: Option<JoinHandle<()>>,
}

/// A count as shown: `2 of 5, about 9 s left` (the time left at the pace so far, `elapsed`
/// being the time the `done` steps took; none before the first step is done or after the
/// last).
#[must_use]
pub fn counts(done: usize, total: usize, elapsed: Duration) -> String {
    if done == 0 || done >= total {
        return format!("{done} of {total}");
    }
    let left = elapsed.as_secs_f64() / done as f64 * (total - done) as f64;
    format!("{done} of {total}, {}", time_left(left))
}

/// `under 1 s left`, `about 9 s left`, `about 4 min left`, `about 1 h 5 min left`.
#[must_use]
pub fn time_left(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s == 0 {
        "under 1 s left".to_string()
    } else if s < 60 {
        format!("about {s} s left")
    } else if s < 3600 {
        format!("about {} min left", (s + 30) / 60)
    } else {
        let m = (s + 30) / 60;
        format!("about {} h {} min left", m / 60, m % 60)
    }
}

/// The widest bar, and the narrowest before the stage's name is cut.
const BAR_MOST: usize = 20;
const BAR_LEAST: usize = 6;
/// The stage's name is cut to this many characters before the bar is dropped.
const LABEL_LEAST_WITH_BAR: usize = 16;
/// Columns kept for the counts and details beside the bar, before it narrows further.
const COUNTS_ROOM: usize = 40;
/// The stage's name is cut to this many characters before the inner counts are.
const LABEL_LEAST: usize = 24;

fn width_of(text: &str) -> usize {
    text.chars().count()
}

/// `text` in at most `most` characters, ending `…` if cut.
fn cut(text: &str, most: usize) -> String {
    if width_of(text) <= most {
        return text.to_string();
    }
    if most == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(most - 1).collect();
    out.push('…');
    out
}

/// A bar `width` wide, `done` of `total` filled.
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done.min(total) * width + total / 2).checked_div(total).unwrap_or(width);
    "█".repeat(filled) + &"░".repeat(width - filled)
}

/// The progress line in fewer than `width` columns (the last is left free, so no terminal
/// wraps it): `[  12.3 s] label ████░░░░ counts · detail · detail`. The bar is as wide as
/// the label and [`COUNTS_ROOM`] leave room for, from [`BAR_LEAST`] to [`BAR_MOST`]. To fit,
/// the bar narrows to [`BAR_LEAST`], then the label is cut to [`LABEL_LEAST`] characters,
/// then the details are dropped, innermost first, then the label is cut to
/// [`LABEL_LEAST_WITH_BAR`], then the bar is dropped, then the label is cut further;
/// `counts` is kept whole while the time so far and it fit at all.
#[must_use]
pub fn fitted(
    width: usize,
    elapsed: Duration,
    label: &str,
    count: Option<(usize, usize, &str)>,
    details: &[String],
) -> String {
    let most = width.saturating_sub(1).max(1);
    let prefix = format!("[{:6.1} s] ", elapsed.as_secs_f64());
    let counts = count.map_or("", |c| c.2);
    let mut label_w = width_of(label);
    let mut kept = details.len();
    // The bar as wide as the label leaves room for, with [`COUNTS_ROOM`] for the counts:
    // the same width from tick to tick while the counts change.
    let room = most.saturating_sub(width_of(&prefix) + label_w + 2 + COUNTS_ROOM);
    let mut bar_w = if count.is_some() { room.clamp(BAR_LEAST, BAR_MOST) } else { 0 };
    let assemble = |label_w: usize, bar_w: usize, kept: usize| -> String {
        let mut parts: Vec<String> = Vec::new();
        if label_w > 0 {
            parts.push(cut(label, label_w));
        }
        if let Some((done, total, _)) = count
            && bar_w > 0
        {
            parts.push(bar(done, total, bar_w));
        }
        if !counts.is_empty() {
            parts.push(counts.to_string());
        }
        let head = parts.join(" ");
        let mut all: Vec<&str> = vec![&head];
        all.extend(details[..kept].iter().map(String::as_str));
        all.retain(|p| !p.is_empty());
        prefix.clone() + &all.join(" · ")
    };
    while width_of(&assemble(label_w, bar_w, kept)) > most {
        if bar_w > BAR_LEAST {
            bar_w -= 1;
        } else if label_w > LABEL_LEAST {
            label_w -= 1;
        } else if kept > 0 {
            kept -= 1;
        } else if label_w > LABEL_LEAST_WITH_BAR {
            label_w -= 1;
        } else if bar_w > 0 {
            bar_w = 0;
        } else if label_w > 0 {
            label_w -= 1;
        } else {
            break;
        }
    }
    cut(&assemble(label_w, bar_w, kept), most)
}

/// The width of the terminal standard error is on, else `COLUMNS` if set to a number, else
/// 80 (asked at every redraw, so a resized window is followed).
fn terminal_width() -> usize {
    terminal_size::terminal_size_of(std::io::stderr())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok()).filter(|&w: &usize| w > 0))
        .unwrap_or(80)
}

fn draw(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K{line}");
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
        let state: Shared = Arc::new(Mutex::new(State::default()));
        let ticker = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let state = Arc::clone(&state);
            let start = Instant::now();
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(500));
                    let Ok(guard) = state.lock() else { return };
                    if guard.finished {
                        return;
                    }
                    if !guard.label.is_empty() || !guard.inner.is_empty() {
                        draw(&guard.line(terminal_width(), start.elapsed()));
                    }
                }
            })
        });
        Progress { state, ticker }
    }

    /// Whether anything is shown.
    #[must_use]
    pub fn is_shown(&self) -> bool {
        self.ticker.is_some()
    }

    /// Names the stage now under way (any count, the stage's or the library's, ends).
    pub fn stage(&self, what: &str) {
        if let Ok(mut state) = self.state.lock()
            && !state.finished
        {
            state.label = what.to_string();
            state.count = None;
            state.inner.clear();
        }
    }

    /// Counts a stage of `total` steps: `done` of them are done. The time left is worked out
    /// from when this stage's first count was given. The library's counts under way end (a
    /// step has ended).
    pub fn step(&self, what: &str, done: usize, total: usize) {
        if let Ok(mut state) = self.state.lock()
            && !state.finished
        {
            let now = Instant::now();
            let began = match &state.count {
                Some(c) if state.label == what => c.began,
                _ => now,
            };
            state.label = what.to_string();
            state.count = Some(Count { done, total, began, elapsed: now - began });
            state.inner.clear();
        }
    }

    /// An observer of the library's loops ([`crate::observe`]) that shows their counts on
    /// this line.
    #[must_use]
    pub fn observer(&self) -> Observer {
        let state = Arc::clone(&self.state);
        std::rc::Rc::new(move |event| {
            if let Ok(mut state) = state.lock() {
                state.event(event);
            }
        })
    }

    /// Runs `f` with the library's loops counted on this line ([`observe::scoped`]).
    pub fn watch<T>(&self, f: impl FnOnce() -> T) -> T {
        observe::scoped(self.observer(), f)
    }

    /// Writes `line` on standard error above the progress line (which is redrawn on its
    /// next tick).
    pub fn say(&self, line: &str) {
        let _guard = self.state.lock();
        if self.is_shown() {
            clear();
        }
        eprintln!("{line}");
    }

    /// Stops showing progress and clears the line, so the report that follows starts clean.
    pub fn finish(&self) {
        if let Ok(mut state) = self.state.lock()
            && !state.finished
        {
            state.finished = true;
            if self.is_shown() {
                clear();
            }
        }
    }

    /// The line as it would be drawn now at `width` columns (for tests).
    #[cfg(test)]
    fn line(&self, width: usize) -> String {
        self.state.lock().unwrap().line(width, Duration::from_millis(12_300))
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
    fn a_count_says_how_far_and_the_time_left_at_the_pace_so_far() {
        assert_eq!(counts(0, 5, Duration::from_secs(3)), "0 of 5");
        // 2 years in 6 s: 3 s a year, 3 years left.
        assert_eq!(counts(2, 5, Duration::from_secs(6)), "2 of 5, about 9 s left");
        assert_eq!(counts(5, 5, Duration::from_secs(15)), "5 of 5");
        assert_eq!(time_left(59.4), "about 59 s left");
        assert_eq!(time_left(59.6), "about 1 min left");
        assert_eq!(time_left(150.0), "about 3 min left");
        assert_eq!(time_left(3900.0), "about 1 h 5 min left");
        assert_eq!(time_left(-2.0), "under 1 s left");
        assert_eq!(time_left(0.4), "under 1 s left");
    }

    #[test]
    fn the_bar_fills_in_proportion() {
        assert_eq!(bar(0, 4, 8), "░░░░░░░░");
        assert_eq!(bar(1, 4, 8), "██░░░░░░");
        assert_eq!(bar(4, 4, 8), "████████");
        assert_eq!(bar(1, 3, 5), "██░░░");
        assert_eq!(bar(7, 3, 5), "█████", "past the end: full, not longer");
    }

    #[test]
    fn the_line_fits_every_width_cutting_the_label_and_never_the_count() {
        let t = Duration::from_millis(12_300);
        let count = Some((2, 5, "2 of 5, about 9 s left"));
        let pricing = ["pricing round 3".to_string()];
        let wide = fitted(120, t, "planning each year", count, &pricing);
        assert_eq!(wide, "[  12.3 s] planning each year ████████░░░░░░░░░░░░ 2 of 5, about 9 s left · pricing round 3");
        // 80 columns: the bar narrows first.
        let at80 = fitted(80, t, "planning each year", count, &pricing);
        assert_eq!(at80, "[  12.3 s] planning each year ███░░░░░ 2 of 5, about 9 s left · pricing round 3");
        // Narrower: the label is cut (to 24 characters), then the inner counts dropped, then
        // the label cut to 16 before the bar goes.
        let long = "Cheshire East (2 of 3): planning each year";
        let two = ["round of cuts 12".to_string(), "pricing round 4".to_string()];
        assert_eq!(
            fitted(105, t, long, count, &two),
            "[  12.3 s] Cheshire East (2 of 3): p… ██░░░░ 2 of 5, about 9 s left · round of cuts 12 · pricing round 4"
        );
        assert_eq!(
            fitted(90, t, long, count, &two),
            "[  12.3 s] Cheshire East (2 of 3):… ██░░░░ 2 of 5, about 9 s left · round of cuts 12"
        );
        assert_eq!(fitted(40, t, long, count, &two), "[  12.3 s] Ches… 2 of 5, about 9 s left");
        // A long count of the library's keeps its bar while the label can be cut.
        let cases = Some((4, 9, "business cases 4 of 9, about 1 s left"));
        assert_eq!(
            fitted(80, t, "choosing and appraising the schemes", cases, &[]),
            "[  12.3 s] choosing and appraisin… ███░░░ business cases 4 of 9, about 1 s left"
        );
        assert_eq!(
            fitted(73, t, "choosing and appraising the schemes", cases, &[]),
            "[  12.3 s] choosing and ap… ███░░░ business cases 4 of 9, about 1 s left"
        );
        assert_eq!(
            fitted(72, t, "choosing and appraising the schemes", cases, &[]),
            "[  12.3 s] choosing and ap… business cases 4 of 9, about 1 s left"
        );
        for width in 20..=140 {
            for (label, details) in [("planning each year", &pricing[..]), (long, &two[..]), ("", &[][..])] {
                let line = fitted(width, t, label, count, details);
                assert!(width_of(&line) < width, "{width}: {line}");
                if width > 11 + 22 {
                    assert!(line.contains("2 of 5, about 9 s left"), "{width}: {line}");
                }
                let plain = fitted(width, t, label, None, details);
                assert!(width_of(&plain) < width, "{width}: {plain}");
            }
        }
        // Too narrow for anything but the time so far: cut, still within the width.
        assert_eq!(fitted(8, t, "solving", None, &[]), "[  12.…");
    }

    #[test]
    fn the_librarys_counts_follow_the_stages_own_and_end_with_their_loops() {
        let p = Progress::new(true);
        p.step("planning each year", 2, 5);
        let told = observe::counting(Loop::PricingRound);
        p.watch(|| told.round(3));
        assert_eq!(
            p.line(200),
            "[  12.3 s] planning each year ████████░░░░░░░░░░░░ 2 of 5, under 1 s left · pricing round 3"
        );
        // The next year ends the last year's rounds.
        p.step("planning each year", 3, 5);
        assert!(p.line(200).ends_with("3 of 5, under 1 s left"), "{}", p.line(200));
        // A stage without a count takes the bar from its outermost counted loop.
        p.stage("choosing capital schemes");
        p.watch(|| {
            let portfolios = observe::counting(Loop::Portfolio);
            portfolios.counted(0, 4);
            portfolios.counted(1, 4);
            let cuts = observe::counting(Loop::CutRound);
            cuts.round(2);
            observe::counting(Loop::PricingRound).round(5);
            assert_eq!(
                p.line(200),
                "[  12.3 s] choosing capital schemes █████░░░░░░░░░░░░░░░ portfolios 1 of 4, under 1 s left · round of cuts 2"
            );
            // A new round of cuts, and its pricing begun.
            cuts.round(3);
            observe::counting(Loop::PricingRound).round(1);
            drop(cuts);
            assert!(p.line(200).ends_with("portfolios 1 of 4, under 1 s left"), "{}", p.line(200));
        });
        assert_eq!(p.line(200), "[  12.3 s] choosing capital schemes");
        p.finish();
        p.stage("two");
        assert_eq!(p.line(200), "[  12.3 s] choosing capital schemes", "nothing changes after the finish");
    }

    #[test]
    fn quiet_means_nothing_is_shown() {
        let p = Progress::new(true);
        assert!(!p.is_shown());
        // Under `cargo test` standard error is captured, not a terminal.
        assert!(!Progress::new(false).is_shown() || std::io::stderr().is_terminal());
    }
}
