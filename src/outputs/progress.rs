//! Progress of long runs on standard error, drawn by indicatif: the time so far and the stage,
//! redrawn twice a second, shown only when standard error is a terminal (never in a pipe, a
//! log or a test) and not under `--quiet`.
//!
//! A counted stage gets a bar, its count and the time left at the pace so far:
//!
//! ```text
//! [  12.3 s] planning each year ████████░░░░░░░░░░░░ 2 of 5, about 9 s left · pricing round 3
//! ```
//!
//! The counts from inside the library's loops ([`crate::observe`], seen while a command runs
//! under [`Progress::watch`]) follow the stage's own, outermost first; a stage with no count
//! of its own takes the bar from its outermost counted loop (`choosing capital schemes ███░░
//! portfolios 3 of 7, about 4 s left · round of cuts 2`). The line is cut to the terminal's
//! width (by indicatif: the words after the bar are cut short), so it never wraps.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

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

    /// What the line shows now.
    fn shown(&self) -> Shown {
        let mut inner: Vec<&Inner> = self.inner.iter().collect();
        let count = match &self.count {
            Some(c) => Some((c.done, c.total, c.text())),
            // A stage without a count of its own shows its outermost counted loop's.
            None => inner.iter().position(|i| i.count.is_some()).and_then(|k| {
                let i = inner.remove(k);
                i.count.as_ref().map(|c| (c.done, c.total, i.text()))
            }),
        };
        let details = inner.iter().map(|i| i.text());
        match count {
            Some((done, total, text)) => Shown {
                label: self.label.clone(),
                bar: Some((done, total)),
                words: std::iter::once(text).chain(details).collect::<Vec<_>>().join(" · "),
            },
            None => Shown {
                label: String::new(),
                bar: None,
                words: std::iter::once(self.label.clone())
                    .chain(details)
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
            },
        }
    }
}

/// What the line shows: the stage's name and a bar (for a counted stage), then the words
/// after them (the count, the loops under way); a stage without a count is all words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    label: String,
    bar: Option<(usize, usize)>,
    words: String,
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

type Shared = Arc<Mutex<State>>;

/// Where a run has got to.
#[derive(Debug)]
pub struct Progress {
    state: Shared,
    bar: ProgressBar,
}

/// How often the line is redrawn (for the time so far).
const TICK: Duration = Duration::from_millis(500);
/// The bar's width in columns.
const BAR: &str = "{bar:20}";

/// The line's style: the time so far, then the stage and a bar if counted, then the words,
/// cut to the terminal's width.
fn style(with_bar: bool) -> ProgressStyle {
    let template =
        if with_bar { format!("[{{secs}}] {{prefix}}{BAR} {{wide_msg}}") } else { "[{secs}] {wide_msg}".to_string() };
    ProgressStyle::with_template(&template)
        .expect("a fixed template")
        .with_key("secs", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:6.1} s", s.elapsed().as_secs_f64());
        })
        .progress_chars("█░")
}

/// Shows `state` on `bar`: nothing until there is something to show, then redrawn on every
/// change and every [`TICK`].
fn draw(state: &State, bar: &ProgressBar) {
    if state.finished {
        return;
    }
    let shown = state.shown();
    if shown.bar.is_none() && shown.words.is_empty() {
        return;
    }
    bar.set_style(style(shown.bar.is_some()));
    if let Some((done, total)) = shown.bar {
        bar.set_prefix(if shown.label.is_empty() { String::new() } else { format!("{} ", shown.label) });
        bar.set_length(total as u64);
        bar.set_position(done.min(total) as u64);
    }
    bar.set_message(shown.words);
    bar.enable_steady_tick(TICK);
}

impl Progress {
    /// Progress for a run starting now; silent if `quiet` or standard error is not a terminal.
    #[must_use]
    pub fn new(quiet: bool) -> Progress {
        Progress::to(if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() })
    }

    /// Progress drawn on `target` (hidden if it is not a terminal).
    fn to(target: ProgressDrawTarget) -> Progress {
        Progress { state: Arc::new(Mutex::new(State::default())), bar: ProgressBar::with_draw_target(None, target) }
    }

    /// Whether anything is shown.
    #[must_use]
    pub fn is_shown(&self) -> bool {
        !self.bar.is_hidden()
    }

    /// Names the stage now under way (any count, the stage's or the library's, ends).
    pub fn stage(&self, what: &str) {
        if let Ok(mut state) = self.state.lock()
            && !state.finished
        {
            state.label = what.to_string();
            state.count = None;
            state.inner.clear();
            draw(&state, &self.bar);
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
            draw(&state, &self.bar);
        }
    }

    /// An observer of the library's loops ([`crate::observe`]) that shows their counts on
    /// this line.
    #[must_use]
    pub fn observer(&self) -> Observer {
        let state = Arc::clone(&self.state);
        let bar = self.bar.clone();
        std::rc::Rc::new(move |event| {
            if let Ok(mut state) = state.lock() {
                state.event(event);
                draw(&state, &bar);
            }
        })
    }

    /// Runs `f` with the library's loops counted on this line ([`observe::scoped`]).
    pub fn watch<T>(&self, f: impl FnOnce() -> T) -> T {
        observe::scoped(self.observer(), f)
    }

    /// Writes `line` on standard error above the progress line.
    pub fn say(&self, line: &str) {
        let _guard = self.state.lock();
        self.bar.suspend(|| eprintln!("{line}"));
    }

    /// Stops showing progress and clears the line, so the report that follows starts clean.
    pub fn finish(&self) {
        if let Ok(mut state) = self.state.lock()
            && !state.finished
        {
            state.finished = true;
            self.bar.finish_and_clear();
        }
    }

    /// What the line shows now (for tests).
    #[cfg(test)]
    fn shown(&self) -> Shown {
        self.state.lock().unwrap().shown()
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests;
