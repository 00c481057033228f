//! `schemes --draws`: the chosen portfolio over many futures.

use crate::util::{Case, number, rows, stderr, stdout};

/// `[risk]` with every spread zero (need as the model's own variant).
const NO_SPREAD: &str = "[risk]\nneed_variants = []\nfee_rise_low = 0\nfee_rise_high = 0\nmarket_low = 1\nmarket_high = 1\n\
                         overrun_low = 1\noverrun_likely = 1\noverrun_high = 1\nlate_chance = 0\n\n[appraisal]";

#[test]
fn futures_with_no_spread_are_the_central_business_case() {
    let case = Case::fixture("tiny");
    case.edit("schemes.toml", "[appraisal]", NO_SPREAD);
    let out = case.run(&["schemes", "schemes.toml", "--draws", "3", "--seed", "5", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Risk over 3 draws"), "{text}");
    let central = rows(&case, "out/business_case.csv");
    let risk = rows(&case, "out/risk.csv");
    let savings: Vec<_> = risk.iter().filter(|r| &r["figure"] == "saving").collect();
    assert_eq!(savings.len(), central.len());
    for (r, c) in savings.iter().zip(&central) {
        assert_eq!(r["year"], c["year"]);
        for p in ["p10", "p50", "p90"] {
            assert!((number(r, p) - number(c, "saving")).abs() <= 1.0, "{p}: {r:?} {c:?}");
        }
    }
    let capital: f64 = central.iter().map(|c| number(c, "capital_spent")).sum();
    let row = risk.iter().find(|r| &r["figure"] == "capital").expect("capital");
    assert!((number(row, "p10") - capital).abs() <= 1.0 && (number(row, "p90") - capital).abs() <= 1.0);
    // Every future pays back when the central case does, or none.
    let by_last = risk.iter().rfind(|r| &r["figure"] == "paid_back_by").expect("payback");
    assert!(["0.0000", "1.0000"].contains(&by_last["chance"].as_str()), "{by_last:?}");
}

#[test]
fn the_same_seed_gives_the_same_figures_and_another_seed_others() {
    let case = Case::fixture("tiny");
    case.edit("schemes.toml", "[appraisal]", "[risk]\nneed_variants = [\"central\", \"high\"]\n\n[appraisal]");
    let run = |seed: &str| {
        let out = case.run(&["schemes", "schemes.toml", "--draws", "20", "--seed", seed]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let first = run("5");
    assert!(first.contains("Risk over 20 draws") && first.contains("Chance of paying back by the end of each year"));
    assert_eq!(first, run("5"));
    assert_ne!(first, run("6"));
}

#[test]
fn a_forecast_variant_the_rates_do_not_have_is_one_line() {
    // The tiny fixture's rates have "central" and "high" only: the default low end, "low",
    // is not there.
    let case = Case::fixture("tiny");
    let out = case.run(&["schemes", "schemes.toml", "--draws", "2"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().next(),
        Some(
            "error: forecast_rates.csv: has no rows for variant 'low': its variants are central, high (the need \
             variants of [risk], by default \"low\" and \"high\")"
        ),
        "{err}"
    );
    let out = case.run(&["schemes", "schemes.toml", "--seed", "2"]);
    assert_eq!(out.status.code(), Some(2), "--seed without --draws: {}", stderr(&out));
}
