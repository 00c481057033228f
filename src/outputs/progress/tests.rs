use std::io::IsTerminal as _;

use indicatif::TermLike;

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

fn shown(label: &str, bar: Option<(usize, usize)>, words: &str) -> Shown {
    Shown { label: label.to_string(), bar, words: words.to_string() }
}

#[test]
fn the_librarys_counts_follow_the_stages_own_and_end_with_their_loops() {
    let p = Progress::new(true);
    p.step("planning each year", 2, 5);
    let told = observe::counting(Loop::PricingRound);
    p.watch(|| told.round(3));
    assert_eq!(p.shown(), shown("planning each year", Some((2, 5)), "2 of 5, under 1 s left · pricing round 3"));
    // The next year ends the last year's rounds.
    p.step("planning each year", 3, 5);
    assert_eq!(p.shown(), shown("planning each year", Some((3, 5)), "3 of 5, under 1 s left"));
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
            p.shown(),
            shown("choosing capital schemes", Some((1, 4)), "portfolios 1 of 4, under 1 s left · round of cuts 2")
        );
        // A new round of cuts, and its pricing begun.
        cuts.round(3);
        observe::counting(Loop::PricingRound).round(1);
        drop(cuts);
        assert_eq!(p.shown(), shown("choosing capital schemes", Some((1, 4)), "portfolios 1 of 4, under 1 s left"));
    });
    assert_eq!(p.shown(), shown("", None, "choosing capital schemes"));
    // A stage without any count shows the loops under way after its name.
    p.watch(|| {
        let steps = observe::counting(Loop::Bisection);
        steps.round(2);
        assert_eq!(p.shown(), shown("", None, "choosing capital schemes · bisection steps 2"));
    });
    p.finish();
    p.stage("two");
    assert_eq!(p.shown(), shown("", None, "choosing capital schemes"), "nothing changes after the finish");
}

/// A terminal `width` columns wide that keeps what is written on it.
#[derive(Debug, Clone)]
struct Screen {
    width: u16,
    written: Arc<Mutex<Vec<String>>>,
}

impl Screen {
    fn new(width: u16) -> Screen {
        Screen { width, written: Arc::default() }
    }

    /// The last line written that was not blank.
    fn last(&self) -> String {
        self.written.lock().unwrap().iter().rev().find(|l| !l.trim().is_empty()).cloned().unwrap_or_default()
    }

    fn cleared_last(&self) -> bool {
        self.written.lock().unwrap().last().is_some_and(|l| l == "<clear>")
    }
}

impl TermLike for Screen {
    fn width(&self) -> u16 {
        self.width
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.written.lock().unwrap().push(s.to_string());
        Ok(())
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.written.lock().unwrap().push(s.to_string());
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.written.lock().unwrap().push("<clear>".to_string());
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `line` without the time so far (`[  0.0 s] `, which depends on the clock).
fn after_time(line: &str) -> &str {
    line.split_once("] ").map_or(line, |(_, rest)| rest)
}

#[test]
fn the_line_drawn_has_the_stage_a_bar_in_proportion_and_the_counts_cut_to_the_width() {
    let screen = Screen::new(200);
    let p = Progress::to(ProgressDrawTarget::term_like(Box::new(screen.clone())));
    assert!(p.is_shown());
    assert_eq!(screen.last(), "", "nothing is drawn before a stage is named");
    p.step("planning each year", 2, 5);
    let line = screen.last();
    assert!(line.starts_with("[   0.0 s] ") || line.starts_with("[   0.1 s] "), "{line}");
    // 2 of 5 fills 8 of the bar's 20 columns.
    assert_eq!(after_time(&line).trim_end(), "planning each year ████████░░░░░░░░░░░░ 2 of 5, under 1 s left");
    p.stage("writing");
    assert_eq!(after_time(&screen.last()).trim_end(), "writing");
    p.finish();
    assert!(screen.cleared_last(), "the line is cleared at the finish");

    // At 60 columns the words after the bar are cut short, and the line does not wrap.
    let narrow = Screen::new(60);
    let p = Progress::to(ProgressDrawTarget::term_like(Box::new(narrow.clone())));
    p.step("planning each year", 1, 4);
    let line = narrow.last();
    assert_eq!(line.chars().count(), 60, "{line}");
    assert_eq!(after_time(&line), "planning each year █████░░░░░░░░░░░░░░░ 1 of 4, u");
}

#[test]
fn quiet_or_not_a_terminal_means_nothing_is_shown() {
    assert!(!Progress::new(true).is_shown());
    // Shown without `--quiet` exactly when standard error is a terminal (under `cargo test`
    // it usually is not).
    assert_eq!(Progress::new(false).is_shown(), std::io::stderr().is_terminal());
}
