//! `[appraisal]`'s money basis through the real binary on the tiny fixture: the residual value
//! shown apart from the present value of the years planned and worked from the business case's
//! last saving, and bad values of the basis refused in one line each.

use rstest::rstest;

use crate::util::{Case, number, rows, stderr, stdout};

/// A pounds figure after `label` in `text` ("present value over … : -£934,954"), as a number.
fn pounds_after(text: &str, label: &str) -> f64 {
    let at = text.find(label).unwrap_or_else(|| panic!("{label} in {text}")) + label.len();
    let figure: String = text[at..]
        .trim_start_matches(|c: char| c != '£')
        .chars()
        .take_while(|c| !matches!(c, ';' | '.' | '\n'))
        .collect();
    let negative = text[at..].trim_start_matches(|c: char| c != '£' && c != '-').starts_with('-');
    let v: f64 = figure.replace(['£', ','], "").parse().unwrap_or_else(|_| panic!("{figure:?}"));
    if negative { -v } else { v }
}

#[test]
fn the_residual_value_is_shown_apart_and_is_the_last_saving_for_the_years_after() {
    let case = Case::fixture("tiny");
    case.write("residual.toml", "extends = \"schemes.toml\"\n\n[appraisal]\nresidual_years = 5\n");
    let plain = case.run(&["schemes", "schemes.toml"]);
    let with = case.run(&["schemes", "residual.toml", "--out", "out"]);
    assert!(plain.status.success() && with.status.success(), "{}{}", stderr(&plain), stderr(&with));
    let (plain, with) = (stdout(&plain), stdout(&with));
    let chosen = |t: &str| t.lines().find(|l| l.starts_with("Chosen portfolio")).map(str::to_string);
    assert_eq!(chosen(&plain), chosen(&with), "the same portfolio, so the same years planned");
    assert!(!plain.contains("residual value (") && plain.contains("no value is counted after the last year planned"));
    // The present value of the years planned is the same with or without the residual years.
    let pv = pounds_after(&with, "present value over 2025/26 to 2027/28");
    assert_eq!(pv, pounds_after(&plain, "present value over 2025/26 to 2027/28"));
    // The residual: the last year's saving, in 2027/28 cash, brought to today at 1.0557 a year
    // (2% inflation, 3.5% real), then for 5 more years at 3.5% real: × (1/1.035 + … +
    // 1/1.035⁵ = 4.515052).
    let residual = pounds_after(&with, "residual value (the last year's saving for 5 more years)");
    let last = rows(&case, "out/business_case.csv").pop().expect("a last year");
    let by_hand = number(&last, "saving") / (1.0557 * 1.0557) * 4.515_052;
    assert!((residual - by_hand).abs() <= 3.0, "{residual} {by_hand}");
    let together = pounds_after(&with, "together");
    assert!((together - (pv + residual)).abs() <= 1.0, "{together} {pv} {residual}");
    assert!(with.contains("for 5 more years, counted alike in the choice"), "{with}");
}

#[rstest]
#[case::inflation_too_high(
    "inflation = 0.5\n",
    "error: basis.toml:4: field 'inflation': 0.5: expected general inflation a year from -0.05 to 0.2 (0.02 is 2%)"
)]
#[case::deflation_too_deep(
    "inflation = -0.1\n",
    "error: basis.toml:4: field 'inflation': -0.1: expected general inflation a year from -0.05 to 0.2 (0.02 is 2%)"
)]
#[case::residual_too_long(
    "residual_years = 61\n",
    "error: basis.toml:4: field 'residual_years': 61: expected a whole number of years from 0 to 60"
)]
#[case::residual_negative(
    "residual_years = -1\n",
    "error: basis.toml:4: field 'residual_years': -1: expected a whole number of years from 0 to 60"
)]
#[case::residual_not_whole(
    "residual_years = 2.5\n",
    "error: basis.toml:4: field 'appraisal.residual_years': expected a whole number of years from 0 to 60, found 2.5"
)]
fn a_bad_value_of_the_basis_is_one_line_naming_file_key_and_range(#[case] body: &str, #[case] message: &str) {
    let case = Case::fixture("tiny");
    case.write("basis.toml", &format!("extends = \"schemes.toml\"\n\n[appraisal]\n{body}"));
    let out = case.run(&["schemes", "basis.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().next(), Some(message), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
}
