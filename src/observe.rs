//! Counts from inside the library's long loops, for whoever shows progress: the network
//! solver's pricing rounds, the capital schemes' rounds of cuts, the portfolios and business
//! cases appraised, the commissioning options and sensitivity cases evaluated, the bisection
//! steps of a break-even discount, the annex's sections. The
//! library never prints: it tells an [`Event`] to the observer set for the call under way,
//! and does nothing at all if none is set.
//!
//! The observer is scoped ([`scoped`]): set for the duration of one call on this thread, and
//! put back as it was when the call returns or unwinds. A parameter would have had to be
//! threaded through every public function between a command and the loops (the one-year
//! [`crate::optimise::run::run`], the horizon, the schemes' cuts and business cases, commissioning, the
//! network simplex itself), changing a dozen signatures for what only a display needs; the
//! answers do not depend on it either way. The observer lives in a thread-local, so nothing
//! leaks between threads (each test runs on its own) or outlives its call.
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! use sufficiency::observe::{self, Event, Loop};
//!
//! let seen = Rc::new(RefCell::new(Vec::new()));
//! let log = Rc::clone(&seen);
//! observe::scoped(Rc::new(move |e: Event| log.borrow_mut().push(e)), || {
//!     let rounds = observe::counting(Loop::PricingRound);
//!     rounds.round(1);
//! });
//! observe::counting(Loop::PricingRound).round(1); // no observer now: nothing is told
//! assert_eq!(
//!     *seen.borrow(),
//!     [Event::Round { of: Loop::PricingRound, number: 1 }, Event::Finished { of: Loop::PricingRound }]
//! );
//! ```

use std::cell::RefCell;
use std::rc::Rc;

/// A long loop of the library, outermost first: a loop runs inside those before it in this
/// order (the rounds of cuts inside a portfolio's appraisal, pricing rounds inside either).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loop {
    /// The sections of the annex, as they are built.
    AnnexSection,
    /// Portfolios of capital schemes appraised: the one chosen, building nothing, each
    /// scheme alone.
    Portfolio,
    /// Business cases worked out: the chosen portfolio's, then each scheme's alone.
    BusinessCase,
    /// The commissioning options evaluated.
    CommissioningOption,
    /// The cases of commissioning's sensitivity table.
    SensitivityCase,
    /// Rounds of cuts choosing a portfolio of capital schemes (each solves the master
    /// program and places the portfolio it picks).
    CutRound,
    /// Steps of a bisection (the break-even discount of a framework).
    Bisection,
    /// Rounds of pricing arcs in (each solves the network or program so far).
    PricingRound,
}

impl Loop {
    /// What its steps are called on a progress line: `pricing round 3`, `portfolios 2
    /// of 7`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Loop::AnnexSection => "sections",
            Loop::Portfolio => "portfolios",
            Loop::BusinessCase => "business cases",
            Loop::CommissioningOption => "options",
            Loop::SensitivityCase => "cases",
            Loop::CutRound => "round of cuts",
            Loop::Bisection => "bisection steps",
            Loop::PricingRound => "pricing round",
        }
    }
}

/// What a loop tells its observer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Round `number` (from 1) of a loop whose end is not known in advance has begun.
    Round {
        /// The loop.
        of: Loop,
        /// The round begun, from 1.
        number: usize,
    },
    /// `done` of the loop's `total` steps are done (0 as it starts).
    Counted {
        /// The loop.
        of: Loop,
        /// Steps done.
        done: usize,
        /// Steps in all.
        total: usize,
    },
    /// The loop has ended (told on every way out, errors included).
    Finished {
        /// The loop.
        of: Loop,
    },
}

impl Event {
    /// The loop told of.
    #[must_use]
    pub fn of(self) -> Loop {
        match self {
            Event::Round { of, .. } | Event::Counted { of, .. } | Event::Finished { of } => of,
        }
    }
}

/// An observer of events.
pub type Observer = Rc<dyn Fn(Event)>;

thread_local! {
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
}

/// Puts the observer before [`scoped`] back, on return or unwind.
struct Restore(Option<Observer>);

impl Drop for Restore {
    fn drop(&mut self) {
        let before = self.0.take();
        OBSERVER.with(|o| *o.borrow_mut() = before);
    }
}

/// Runs `f` with `observer` told every event the library's loops tell on this thread, then
/// puts back the observer there was before (scopes nest).
pub fn scoped<T>(observer: Observer, f: impl FnOnce() -> T) -> T {
    let before = OBSERVER.with(|o| o.borrow_mut().replace(observer));
    let _restore = Restore(before);
    f()
}

/// Tells `event` to the observer of the call under way, if any.
pub fn tell(event: Event) {
    // Cloned out first, so an observer may itself tell or scope.
    if let Some(observer) = OBSERVER.with(|o| o.borrow().clone()) {
        observer(event);
    }
}

/// A loop under way: tells its rounds or counts, and [`Event::Finished`] when dropped.
#[derive(Debug)]
#[must_use = "the loop is told finished when this is dropped"]
pub struct Counting(Loop);

/// Starts telling of `of`'s steps.
pub fn counting(of: Loop) -> Counting {
    Counting(of)
}

impl Counting {
    /// Round `number` (from 1) has begun.
    pub fn round(&self, number: usize) {
        tell(Event::Round { of: self.0, number });
    }

    /// `done` of `total` steps are done.
    pub fn counted(&self, done: usize, total: usize) {
        tell(Event::Counted { of: self.0, done, total });
    }
}

impl Drop for Counting {
    fn drop(&mut self) {
        tell(Event::Finished { of: self.0 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorder() -> (Rc<RefCell<Vec<Event>>>, Observer) {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let log = Rc::clone(&seen);
        (seen, Rc::new(move |e| log.borrow_mut().push(e)))
    }

    #[test]
    fn scopes_nest_and_are_put_back_even_after_a_panic() {
        let (outer, outer_observer) = recorder();
        let (inner, inner_observer) = recorder();
        scoped(outer_observer, || {
            counting(Loop::Portfolio).counted(0, 2);
            scoped(inner_observer, || counting(Loop::CutRound).round(1));
            let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                scoped(Rc::new(|_| {}), || panic!("a failing call"));
            }));
            assert!(unwound.is_err());
            counting(Loop::Portfolio).counted(1, 2);
        });
        tell(Event::Finished { of: Loop::Bisection });
        use Event::*;
        use Loop::*;
        assert_eq!(
            *outer.borrow(),
            [
                Counted { of: Portfolio, done: 0, total: 2 },
                Finished { of: Portfolio },
                Counted { of: Portfolio, done: 1, total: 2 },
                Finished { of: Portfolio }
            ]
        );
        assert_eq!(*inner.borrow(), [Round { of: CutRound, number: 1 }, Finished { of: CutRound }]);
        assert!(OBSERVER.with(|o| o.borrow().is_none()), "nothing left set after the scope");
    }

    /// The tiny fixtures' model `name`.
    fn tiny(name: &str) -> crate::model::Model {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny").join(name);
        crate::model::input::load(&path).expect("the fixture loads")
    }

    /// The counts of `of` told, in order, as (done, total).
    fn counted(events: &[Event], of: Loop) -> Vec<(usize, usize)> {
        events
            .iter()
            .filter_map(|e| match *e {
                Event::Counted { of: o, done, total } if o == of => Some((done, total)),
                _ => None,
            })
            .collect()
    }

    /// Runs of rounds of `of` told, each from 1 up by one, ended by [`Event::Finished`].
    fn runs_of_rounds(events: &[Event], of: Loop) -> usize {
        let mut runs = 0;
        let mut last = 0;
        for e in events.iter().filter(|e| e.of() == of) {
            match *e {
                Event::Round { number, .. } => {
                    assert_eq!(number, last + 1, "{of:?}: rounds told in order");
                    last = number;
                }
                Event::Finished { .. } => {
                    assert!(last >= 1, "{of:?}: finished after at least a round");
                    runs += 1;
                    last = 0;
                }
                Event::Counted { .. } => panic!("{of:?} has no total"),
            }
        }
        assert_eq!(last, 0, "{of:?}: every run of rounds finished");
        runs
    }

    #[test]
    fn a_schemes_appraisal_tells_its_portfolios_cuts_and_pricing_in_order_and_answers_the_same() {
        use crate::optimise::solve::Solver;
        use crate::planning::schemes::{Appraiser, Choice, appraise};
        let model = tiny("schemes.toml");
        let appraiser = Appraiser::build(std::slice::from_ref(&model));
        let choice = Choice { budget: Some(crate::model::Money(2_000_000.0)), ..Choice::default() };
        let run = || appraise(&appraiser, &choice, None, vec!["central".into()], Solver::Network).expect("appraised");
        let unobserved = format!("{:?}", run());
        let (seen, observer) = recorder();
        let observed = format!("{:?}", scoped(observer, run));
        assert_eq!(observed, unobserved, "the same answer, observed or not");

        let events = seen.borrow();
        let n = model.schemes.len();
        assert!(n >= 1);
        let portfolios: Vec<(usize, usize)> = (0..=n + 2).map(|k| (k, n + 2)).collect();
        assert_eq!(counted(&events, Loop::Portfolio), portfolios);
        let cases: Vec<(usize, usize)> = (0..=n + 1).map(|k| (k, n + 1)).collect();
        assert_eq!(counted(&events, Loop::BusinessCase), cases);
        // Every portfolio counted before the first business case, each loop finished once.
        let at = |wanted: Event| events.iter().position(|e| *e == wanted).expect("told");
        let portfolios_end = at(Event::Finished { of: Loop::Portfolio });
        assert!(portfolios_end < at(Event::Counted { of: Loop::BusinessCase, done: 0, total: n + 1 }));
        assert_eq!(events.iter().filter(|e| **e == Event::Finished { of: Loop::Portfolio }).count(), 1);
        // One run of cuts for each portfolio chosen (network solver), each with its pricing.
        assert!(runs_of_rounds(&events[..portfolios_end], Loop::CutRound) >= n + 2);
        assert!(runs_of_rounds(&events, Loop::PricingRound) > n + 2);
        assert_eq!(events.last(), Some(&Event::Finished { of: Loop::BusinessCase }));
    }

    #[test]
    fn commissioning_tells_its_options_and_bisection_steps_in_order_and_answers_the_same() {
        use crate::optimise::solve::Solver;
        use crate::planning::commissioning::{compare, year_model};
        let model = year_model(&tiny("commission.toml"), None).expect("a year");
        let unobserved = format!("{:?}", compare(&model, Solver::Network).expect("compared"));
        let (seen, observer) = recorder();
        let observed = format!("{:?}", scoped(observer, || compare(&model, Solver::Network).expect("compared")));
        assert_eq!(observed, unobserved, "the same answer, observed or not");

        let events = seen.borrow();
        // Spot purchase, the framework, the block, the best combination.
        assert_eq!(counted(&events, Loop::CommissioningOption), [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]);
        // One framework: both ends, then 11 halvings from 0 to 90% to within 0.05%.
        let steps = counted(&events, Loop::Bisection);
        assert_eq!(steps.first(), Some(&(0, 13)));
        assert!(steps.windows(2).all(|w| w[1].0 == w[0].0 + 1 && w[1].1 == 13), "{steps:?}");
        let options_end = events.iter().position(|e| *e == Event::Finished { of: Loop::CommissioningOption });
        let first_step = events.iter().position(|e| matches!(e, Event::Counted { of: Loop::Bisection, .. }));
        assert!(options_end < first_step, "the options, then the bisection");
        assert_eq!(events.last(), Some(&Event::Finished { of: Loop::Bisection }));
    }

    #[test]
    fn the_annex_tells_its_sections_and_writes_the_same_files() {
        use crate::commands::{AnnexOptions, annex};
        use crate::outputs::progress::Progress;
        let dir = tempfile::tempdir().expect("temp dir");
        let options = AnnexOptions {
            model: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny/schemes.toml"),
            out: dir.path().to_path_buf(),
            ..AnnexOptions::default()
        };
        let read = || {
            let mut files: Vec<(String, Vec<u8>)> = walk(dir.path());
            files.sort();
            files
        };
        annex(&options, &Progress::new(true)).expect("annex");
        let unobserved = read();
        let (seen, observer) = recorder();
        scoped(observer, || annex(&options, &Progress::new(true))).expect("annex");
        assert!(unobserved.len() > 5);
        assert!(read() == unobserved, "the same files, observed or not");

        let events = seen.borrow();
        let sections = counted(&events, Loop::AnnexSection);
        // Five sections, the schemes', the method, the figures.
        let expected: Vec<(usize, usize)> = (0..=8).map(|k| (k, 8)).collect();
        assert_eq!(sections, expected);
        let first = events.iter().position(|e| e.of() == Loop::AnnexSection).expect("sections told");
        assert!(events[..first].iter().any(|e| e.of() == Loop::Portfolio), "schemes appraised before");
        assert_eq!(events.last(), Some(&Event::Finished { of: Loop::AnnexSection }));
    }

    fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("read").flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push((path.display().to_string(), std::fs::read(&path).expect("read")));
            }
        }
        out
    }
}
