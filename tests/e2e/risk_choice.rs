//! `schemes --draws --choose-on-draws`: the portfolio chosen on the futures drawn beside the
//! one chosen for the central forecast.

use crate::util::{Case, number, rows, stderr, stdout};

const SPREAD: &str = "[risk]\nneed_variants = [\"central\", \"high\"]\n\n[appraisal]";

#[test]
fn the_choice_on_the_draws_is_shown_beside_the_central_one_over_the_same_futures() {
    let case = Case::fixture("tiny");
    case.edit("schemes.toml", "[appraisal]", SPREAD);
    let out = case.run(&[
        "schemes",
        "schemes.toml",
        "--draws",
        "6",
        "--seed",
        "5",
        "--choose-on-draws",
        "3",
        "--criterion",
        "cvar",
        "--cvar-share",
        "0.34",
        "--out",
        "out",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Choosing on the draws: the portfolio of least CVaR"), "{text}");
    assert!(text.contains("Proved the best on these futures"), "{text}");
    let choice = rows(&case, "out/risk_choice.csv");
    let risk = rows(&case, "out/risk.csv");
    let figure = |name: &str| choice.iter().find(|r| r["figure"] == name).unwrap_or_else(|| panic!("{name}"));
    // The central portfolio's figures are those of risk.csv: the same futures.
    let pv = risk.iter().find(|r| &r["figure"] == "present_value").expect("present value");
    for p in ["p10", "p50", "p90"] {
        assert_eq!(number(figure(&format!("present_value_{p}")), "central"), number(pv, p), "{p}");
    }
    // Run to the end, the bound is met; the choice is no worse than the central portfolio
    // by its own measure on the futures it was chosen on.
    assert_eq!(figure("proved_best")["on_draws"], "true");
    assert_eq!(number(figure("gap"), "on_draws"), 0.0);
    let value = figure("criterion_value");
    assert!(number(value, "on_draws") <= number(value, "central") + 1.0, "{value:?}");
    // The worst third's mean present value is at most the mean.
    for who in ["central", "on_draws"] {
        assert!(number(figure("present_value_worst_mean"), who) <= number(figure("present_value_mean"), who));
    }
}

#[test]
fn a_share_outside_0_to_1_or_more_futures_than_drawn_is_one_line() {
    let case = Case::fixture("tiny");
    case.edit("schemes.toml", "[appraisal]", SPREAD);
    for share in ["0", "1.5", "-0.1", "tenth"] {
        let flag = format!("--cvar-share={share}");
        let out = case.run(&["schemes", "schemes.toml", "--draws", "4", "--choose-on-draws", "2", &flag]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{share}: {err}");
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: invalid value")
                && first.contains("--cvar-share")
                && first.contains("expected a number above 0 and at most 1"),
            "{share}: {err}"
        );
    }
    let out = case.run(&["schemes", "schemes.toml", "--draws", "4", "--choose-on-draws", "5"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().next(),
        Some(
            "error: command line: field '--choose-on-draws': 5 futures to choose on, more than the 4 drawn: expected \
             at most --draws (the first of them)"
        ),
        "{err}"
    );
    // Without --draws there are no futures to choose on.
    let out = case.run(&["schemes", "schemes.toml", "--choose-on-draws", "2"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
