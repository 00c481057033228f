//! Transport commissioning options through the real binary: the five-year sample's
//! `transport_options.csv` recomputed (called from the sample's run over the years), a model
//! without the table unchanged, and bad rows reported by file, line and field.

use rstest::rstest;

use crate::util::{Case, number, rows, stderr, stdout};

/// The sample's `transport_options.csv` (written by `commission --out out` in `case`): each
/// saving is the children taking it × (before − after) a child, and the children taking it
/// are those eligible × the take-up; one row an option for the year compared and one an option
/// and year over the years.
pub fn the_samples_transport_options_add_up(case: &Case, said: &str) {
    assert!(said.contains("Transport commissioning options, 2029/30 (plan: Best combination)"), "{said}");
    assert!(said.contains("Transport commissioning options by year (plan: Every option open"), "{said}");
    let t = rows(case, "out/transport_options.csv");
    assert_eq!(t.len(), 3 + 3 * 5, "three options: the year compared, then five years each");
    for r in &t {
        let taking = number(r, "children_taking");
        let (before, after) = (number(r, "before_per_child"), number(r, "after_per_child"));
        // Rounding: the children to 4 places and £ a child to the penny.
        let recomputed = taking * (before - after);
        assert!((number(r, "saving") - recomputed).abs() <= 0.01 * taking + 0.01, "{r:?}: {recomputed}");
        assert!((number(r, "cost_before") - number(r, "cost_after") - number(r, "saving")).abs() <= 0.02, "{r:?}");
        assert!((taking - number(r, "eligible_children") * number(r, "take_up")).abs() <= 0.0002, "{r:?}");
        assert!(number(r, "eligible_children") > 0.0, "{r:?}");
    }
    // Travel training's cost after is its £3,000 over 2 years; a shared route's is 75% of
    // the cost before (sample-data/README.md).
    for r in t.iter().filter(|r| r["option"] == "travel-training") {
        assert!((number(r, "after_per_child") - 1_500.0).abs() < 0.01, "{r:?}");
    }
    for r in t.iter().filter(|r| r["option"] == "shared-minibus") {
        assert!((number(r, "after_per_child") - 0.75 * number(r, "before_per_child")).abs() < 0.02, "{r:?}");
    }
    let one: Vec<_> = t.iter().filter(|r| r["plan"] == "one year").collect();
    assert!(one.iter().all(|r| r["year"] == "2029/30" && r["option_set"] == "Best combination"));
    assert_eq!(
        t.iter().filter(|r| r["plan"] == "over the years" && r["option_set"] == "Every option open").count(),
        15
    );
}

/// The tiny commissioning model with a transport options table of `rows` (after the header).
fn tiny_with(rows: &str) -> Case {
    let case = Case::fixture("tiny");
    case.write(
        "transport.toml",
        "extends = \"commission.toml\"\n\n[tables]\ntransport_options = \"transport_options.csv\"\n",
    );
    case.write(
        "transport_options.csv",
        &format!("id,name,kind,needs,phases,take_up,cost_per_child,lasts_years,per_mile,saving_share\n{rows}"),
    );
    case
}

#[test]
fn a_model_without_transport_options_prints_and_writes_none() {
    let case = Case::fixture("tiny");
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("Transport commissioning options"));
    assert!(!case.path("out/transport_options.csv").exists());
}

#[test]
fn the_tiny_models_options_are_appraised_and_names_cannot_become_formulas() {
    let case = tiny_with(
        "train,=HYPERLINK(\"x\"),travel-training,,secondary,0.5,2000,2,,\n\
         share,Shared routes,shared-route,ASD;SEMH,,1,,,,0.2\n",
    );
    let out = case.run(&["commission", "transport.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Transport commissioning options"), "{}", stdout(&out));
    let text = std::fs::read_to_string(case.path("out/transport_options.csv")).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    let t = rows(&case, "out/transport_options.csv");
    assert_eq!(t.len(), 2, "a single-year model: the year compared only");
    // The tiny authority's secondary children (6 SEMH and 3 ASD) are all placed and
    // transported; half of them are trained, each at £2,000 over 2 years.
    let train = &t[0];
    assert!((number(train, "eligible_children") - 9.0).abs() < 1e-6, "{train:?}");
    assert!((number(train, "children_taking") - 4.5).abs() < 1e-6, "{train:?}");
    assert!((number(train, "cost_after") - 4.5 * 1_000.0).abs() < 0.01, "{train:?}");
    let share = &t[1];
    assert!((number(share, "cost_after") - 0.8 * number(share, "cost_before")).abs() < 0.02, "{share:?}");
}

#[rstest]
#[case::kind(
    "a,A,taxi,,,0.5,,,,",
    "transport_options.csv:2: field 'kind': 'taxi' is not a kind of transport option: expected one of travel-training, personal-budget, shared-route"
)]
#[case::take_up(
    "a,A,shared-route,,,1.5,,,,0.2",
    "transport_options.csv:2: field 'take_up': '1.5': expected a number from 0 to 1"
)]
#[case::take_up_blank(
    "a,A,shared-route,,,,,,,0.2",
    "transport_options.csv:2: field 'take_up': empty: expected a number from 0 to 1"
)]
#[case::other_kinds_column(
    "a,A,travel-training,,,0.5,2000,2,0.45,",
    "transport_options.csv:2: field 'per_mile': is given for a travel-training option: leave it blank (it is for personal-budget)"
)]
#[case::lasts_no_time(
    "a,A,travel-training,,,0.5,2000,0,,",
    "transport_options.csv:2: field 'lasts_years': is 0: expected the years the saving lasts, above 0"
)]
#[case::no_cost(
    "a,A,travel-training,,,0.5,,2,,",
    "transport_options.csv:2: field 'cost_per_child': is empty: expected a number of at least 0"
)]
#[case::per_mile_text(
    "a,A,personal-budget,,,0.5,,,lots,",
    "transport_options.csv:2: field 'per_mile': 'lots' is not a number: expected a number of at least 0"
)]
#[case::share_above_one(
    "a,A,shared-route,,,0.5,,,,2",
    "transport_options.csv:2: field 'saving_share': '2': expected a number from 0 to 1"
)]
#[case::need("a,A,shared-route,XYZ,,0.5,,,,0.2", "transport_options.csv:2: field 'needs': 'XYZ'")]
#[case::twice(
    "a,A,shared-route,,,0.5,,,,0.2\na,B,shared-route,,,0.5,,,,0.3",
    "transport_options.csv:3: field 'id': duplicate id 'a': first used at line 2"
)]
fn bad_transport_options_are_reported_by_file_line_and_field(#[case] row: &str, #[case] message: &str) {
    let case = tiny_with(&format!("{row}\n"));
    let out = case.run(&["commission", "transport.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.contains(message)), "{message:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!case.path("out").exists());
}
