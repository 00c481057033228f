//! Capital schemes through the real binary: choice within a budget, forced schemes, the
//! budget curve, a robust choice, the files written, and bad scheme tables.

use rstest::rstest;

use crate::util::{Case, number, rows, stderr, stdout};

#[test]
fn the_choice_keeps_within_the_budget_and_writes_its_tables() {
    let case = Case::fixture("tiny");
    let out = case.run(&["schemes", "schemes.toml", "--budget", "£450k", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Capital budget: £450,000."), "{text}");
    // Within £450,000 the best is the SEMH base (£300,000) alone: the ASD unit's two modules
    // would take it to £700,000, one module to £500,000.
    assert!(text.contains("Chosen portfolio: semh-base\n"), "{text}");
    let portfolios = rows(&case, "out/portfolios.csv");
    assert_eq!(portfolios[0]["run"], "Baseline (no schemes)");
    assert_eq!(portfolios[1]["run"], "Chosen portfolio");
    assert!(number(&portfolios[1], "capital") <= 450_000.0);
    // The chosen portfolio costs no more than the baseline or any scheme alone within budget.
    let chosen = number(&portfolios[1], "present_cost");
    for p in &portfolios {
        if number(p, "capital") <= 450_000.0 {
            assert!(chosen <= number(p, "present_cost") + 0.5, "{p:?}");
        }
    }
    let schemes = rows(&case, "out/schemes.csv");
    assert_eq!(schemes.len(), 3);
    assert_eq!(schemes[0]["scheme"], "semh-base");
    assert_eq!(schemes[0]["chosen_modules"], "1");
    assert_eq!(schemes[0]["capital_per_place"], "50000");
    assert!(case.path("out/place_values.csv").exists());
}

#[test]
fn the_business_case_can_be_recomputed_from_solves_plan() {
    // The baseline of the business case is the plan `solve` prints, year by year; each saving
    // is without less with; cumulative is savings less capital to date; the capital is the
    // chosen schemes' (SEMH base £300,000 the year before 2026/27; ASD unit 2 × £200,000 the
    // year before 2026/27; Near expansion £500,000 the year before 2027/28).
    let case = Case::fixture("tiny");
    assert!(case.run(&["solve", "schemes.toml", "--out", "plan"]).status.success());
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = rows(&case, "plan/summary.csv");
    let places = summary.iter().find(|r| r["figure"] == "Cost of places").expect("cost of places");
    let transport = summary.iter().find(|r| r["figure"] == "Cost of transport").expect("cost of transport");
    let case_rows = rows(&case, "out/business_case.csv");
    assert_eq!(case_rows.len(), 3);
    let mut cumulative = 0.0;
    for r in &case_rows {
        let year = &r["year"];
        assert!((number(r, "places_without") - number(places, year)).abs() <= 1.0, "{year}: {r:?}");
        let saving = number(r, "places_without") - number(r, "places_with") + number(r, "saving_on_transport");
        assert!((number(r, "saving") - saving).abs() <= 1.0, "{r:?}");
        cumulative += number(r, "saving") - number(r, "capital_spent");
        assert!((number(r, "cumulative") - cumulative).abs() <= 1.5, "{r:?}");
        assert!(number(transport, year) > 0.0);
    }
    let capital: Vec<f64> = case_rows.iter().map(|r| number(r, "capital_spent")).collect();
    assert_eq!(capital, vec![700_000.0, 500_000.0, 0.0]);
    assert!(stdout(&out).contains("Business case of the chosen portfolio, year by year"));
}

#[test]
fn forcing_schemes_in_and_out_is_honoured() {
    let case = Case::fixture("tiny");
    let out =
        case.run(&["schemes", "schemes.toml", "--with", "near-expansion", "--without", "semh-base", "--out", "o"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let schemes = rows(&case, "o/schemes.csv");
    let modules = |id: &str| schemes.iter().find(|r| r["scheme"] == id).unwrap()["chosen_modules"].clone();
    assert_eq!(modules("near-expansion"), "1");
    assert_eq!(modules("semh-base"), "0");
}

#[rstest]
#[case::in_and_out(&["--with", "semh-base", "--without", "semh-base"], "scheme semh-base is both forced in and left out")]
#[case::over_budget(&["--with", "near-expansion", "--budget", "100000"], "above the budget of £100,000")]
#[case::unknown(&["--with", "ghost"], "'ghost' is not a scheme: expected one of semh-base, near-expansion, asd-unit")]
#[case::bad_amount(&["--budget", "lots"], "'lots' is not an amount")]
fn impossible_requests_are_refused_in_one_line(#[case] args: &[&str], #[case] message: &str) {
    let case = Case::fixture("tiny");
    let mut all = vec!["schemes", "schemes.toml", "--out", "out"];
    all.extend_from_slice(args);
    let out = case.run(&all);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(message), "{}", stderr(&out));
    assert!(!case.path("out").exists(), "nothing written");
}

#[test]
fn the_budget_curve_never_costs_more_as_the_budget_grows() {
    let case = Case::fixture("tiny");
    let out = case.run(&["schemes", "schemes.toml", "--curve-budgets", "0,250k,500k,1m,2m", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let curve = rows(&case, "out/budget_curve.csv");
    let budgets: Vec<f64> = curve.iter().map(|r| number(r, "budget")).collect();
    assert_eq!(budgets, [0.0, 250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0]);
    assert_eq!(curve[0]["schemes"], "none");
    for pair in curve.windows(2) {
        assert!(number(&pair[1], "present_cost") <= number(&pair[0], "present_cost") + 0.5);
    }
    for r in &curve {
        assert!(number(r, "capital_used") <= number(r, "budget"));
    }
    // Enough for everything: every scheme, the ASD unit with both modules.
    assert_eq!(curve[4]["schemes"], "semh-base + near-expansion + asd-unit×2");
}

#[test]
fn a_robust_choice_shows_each_variant() {
    let case = Case::fixture("tiny");
    let out = case.run(&["schemes", "schemes.toml", "--budget", "500k", "--robust", "regret", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let variants = rows(&case, "out/variants.csv");
    assert_eq!(variants.len(), 4);
    assert!(variants[0].contains_key("central") && variants[0].contains_key("high"));
    // Regret is never negative, and the chosen is as good as the best in some variant or
    // pays a regret no larger than any other portfolio would (checked in the library).
    for v in ["central", "high"] {
        assert!(number(&variants[3], v) >= -0.5);
    }
    let no_variants = Case::fixture("tiny");
    let out = no_variants.run(&["schemes", "model.toml", "--robust", "expected"]);
    assert!(!out.status.success());
}

#[test]
fn text_from_the_scheme_table_cannot_become_a_formula() {
    let case = Case::fixture("tiny");
    case.edit("schemes.csv", "Crewe SEMH base", "=HYPERLINK(\"http://x\")");
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(case.path("out/schemes.csv")).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
}

#[rstest]
#[case::opens_after_horizon(
    "schemes.csv",
    "yes,2026/27,300000",
    "yes,2031/32,300000",
    "schemes.csv:2: field 'opens': 2031/32 is outside the years planned: expected 2025/26 to 2027/28"
)]
#[case::unknown_expansion(
    "schemes.csv",
    ",near,",
    ",nowhere,",
    "schemes.csv:3: field 'expands': 'nowhere' is not a setting id"
)]
#[case::unknown_requirement(
    "schemes.csv",
    "15000,,1,2,,",
    "15000,,1,2,,ghost",
    "schemes.csv:4: field 'requires': 'ghost' is not a scheme id"
)]
#[case::modules_reversed(
    "schemes.csv",
    "15000,,1,2,,",
    "15000,,3,2,,",
    "schemes.csv:4: field 'max_modules': 2 is below min_modules 3"
)]
#[case::id_of_a_setting(
    "schemes.csv",
    "semh-base,Crewe SEMH base",
    "unit,Crewe SEMH base",
    "schemes.csv:2: field 'id': 'unit' is already a setting's id"
)]
#[case::overlapping_pools(
    "scheme_places.csv",
    "asd-unit,ASD,all,3",
    "asd-unit,ASD,all,3\nasd-unit,ASD;SEMH,secondary,2",
    "scheme_places.csv:5: scheme 'asd-unit' already has places for some of these needs and phases"
)]
#[case::unknown_need(
    "scheme_places.csv",
    "semh-base,SEMH,",
    "semh-base,SEHM,",
    "scheme_places.csv:2: field 'needs': 'SEHM' is not a declared code"
)]
fn bad_scheme_tables_are_reported_by_file_line_and_field(
    #[case] file: &str,
    #[case] from: &str,
    #[case] to: &str,
    #[case] message: &str,
) {
    let case = Case::fixture("tiny");
    case.edit(file, from, to);
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.contains(message)), "{err}");
    assert!(!case.path("out").exists());
}
