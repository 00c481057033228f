//! The inclusion programme (a scheme row with `programme` = inclusion): one-line errors for
//! bad values on the tiny fixture, and on the whole-caseload sample, chosen by `schemes`
//! beside the capital schemes with a saving and a payback in `schemes.csv`.

#[allow(dead_code)]
#[path = "e2e/util.rs"]
mod util;

use std::path::Path;

use util::{Case, number, rows, stderr, stdout};

/// The `error:` lines of a run that must fail with status 1.
fn errors(case: &Case, args: &[&str]) -> Vec<String> {
    let out = case.run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err.lines().filter(|l| l.starts_with("error: ")).map(str::to_string).collect()
}

/// The tiny fixture's schemes with the three programme columns and an inclusion programme
/// on line 5 (`programme,moves_from,share` given as `cells`, the kind as `kind`).
fn tiny_with_programme(kind: &str, cells: &str) -> Case {
    let case = Case::fixture("tiny");
    case.write(
        "schemes.csv",
        &format!(
            "id,name,kind,expands,latitude,longitude,in_borough,opens,capital_cost,cost_per_place,fixed_annual_cost,min_modules,max_modules,exclusive_group,requires,programme,moves_from,share\n\
             semh-base,Crewe SEMH base,resourced-provision,,53.1000,-2.4400,yes,2026/27,300000,18000,,,,,,,,\n\
             near-expansion,Near Special School expansion,,near,,,,2027/28,500000,,,,,,,,,\n\
             asd-unit,Nantwich ASD unit,resourced-provision,,53.0630,-2.5190,yes,2026/27,200000,15000,,1,2,,,,,\n\
             incl,Inclusion programme,{kind},,53.0800,-2.4500,yes,2026/27,0,13000,50000,1,2,,,{cells}\n"
        ),
    );
    case.edit("scheme_places.csv", "asd-unit,ASD,all,3", "asd-unit,ASD,all,3\nincl,SEMH;ASD,primary;secondary,8");
    case
}

#[test]
fn a_good_inclusion_programme_is_read() {
    let case = tiny_with_programme("inclusion-base", "inclusion,resourced-provision;special-school,0.2");
    let out = case.run(&["check", "schemes.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[rstest::rstest]
#[case::unknown_programme(
    "inclusion-base",
    "inclusive,special-school,",
    "field 'programme': 'inclusive': expected inclusion (an inclusion programme) or blank (a capital scheme)"
)]
#[case::not_a_base(
    "resourced-provision",
    "inclusion,special-school,",
    "field 'programme': inclusion is for places at an inclusion base or mainstream school, not resourced-provision: expected kind inclusion-base or mainstream"
)]
#[case::no_tiers(
    "inclusion-base",
    "inclusion,,",
    "field 'moves_from': is empty: an inclusion programme needs the tiers it takes children from (e.g. resourced-provision;special-school)"
)]
#[case::unknown_tier(
    "inclusion-base",
    "inclusion,special;resourced-provision,",
    "field 'moves_from': 'special': expected tiers separated by ';', each inclusion-base, resourced-provision or special-school, once"
)]
#[case::own_tier(
    "inclusion-base",
    "inclusion,inclusion-base,",
    "field 'moves_from': 'inclusion-base' is met by inclusion-base places already: expected tiers above it (resourced-provision, special-school)"
)]
#[case::twice(
    "mainstream",
    "inclusion,special-school;special-school,",
    "field 'moves_from': 'special-school': expected tiers separated by ';', each inclusion-base, resourced-provision or special-school, once"
)]
#[case::tiers_for_a_capital_scheme(
    "inclusion-base",
    ",special-school,",
    "field 'moves_from': 'special-school' is given for a capital scheme: expected it blank, or programme inclusion"
)]
#[case::share_above_one(
    "inclusion-base",
    "inclusion,special-school,1.5",
    "field 'share': '1.5': expected a share of new plans above 0 and at most 1 (0.25 is a quarter)"
)]
#[case::share_zero(
    "inclusion-base",
    "inclusion,special-school,0",
    "field 'share': '0': expected a share of new plans above 0 and at most 1 (0.25 is a quarter)"
)]
#[case::share_for_a_capital_scheme(
    "inclusion-base",
    ",,0.2",
    "field 'share': is given for a capital scheme: expected it blank, or programme inclusion"
)]
fn a_bad_programme_value_is_one_error_naming_the_cell(#[case] kind: &str, #[case] cells: &str, #[case] expected: &str) {
    let case = tiny_with_programme(kind, cells);
    assert_eq!(errors(&case, &["check", "schemes.toml"]), [format!("error: schemes.csv:5: {expected}")]);
}

#[test]
fn an_inclusion_programme_has_one_row_of_places() {
    let case = tiny_with_programme("inclusion-base", "inclusion,special-school,0.2");
    case.edit("scheme_places.csv", "incl,SEMH;ASD,primary;secondary,8", "incl,SEMH,primary,8\nincl,ASD,secondary,4");
    assert_eq!(
        errors(&case, &["check", "schemes.toml"]),
        [
            "error: schemes.csv:5: inclusion programme 'incl' has 2 rows in the scheme_places table: expected one (its needs and phases as ;-lists), as its share counts them together"
        ]
    );
}

#[test]
fn the_whole_caseload_samples_programme_is_chosen_beside_the_capital_schemes() {
    let case = Case { dir: tempfile::tempdir().expect("temp dir") };
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/cheshire-east-all-plans.toml");
    let out = case.run(&["--quiet", "schemes", &model.to_string_lossy(), "--budget", "12m", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let schemes = rows(&case, "out/schemes.csv");
    let programme = schemes.iter().find(|r| r["scheme"] == "inclusion-programme").expect("the programme's row");
    // A revenue scheme: no capital, chosen at its most modules (4 × 16 places), saving money
    // from its first year, so paying back in the year it opens.
    assert_eq!(programme["kind"], "inclusion-base");
    assert_eq!((number(programme, "capital"), number(programme, "chosen_modules")), (0.0, 4.0));
    assert_eq!(number(programme, "places"), 64.0);
    assert!(number(programme, "saving_a_year") > 0.0 && number(programme, "present_value") > 0.0, "{programme:?}");
    assert_eq!(programme["payback_year"], "2026/27");
    // Beside capital schemes chosen in the same portfolio, within the budget.
    let capital = schemes.iter().filter(|r| number(r, "capital") > 0.0 && number(r, "chosen_modules") > 0.0).count();
    assert!(capital >= 3, "{schemes:?}");
    let portfolios = rows(&case, "out/portfolios.csv");
    let chosen = portfolios.iter().find(|r| r["run"] == "Chosen portfolio").expect("the chosen portfolio");
    assert!(chosen["schemes"].contains("inclusion-programme×4") && number(chosen, "capital") <= 12e6, "{chosen:?}");
    // The report says what it takes.
    let text = stdout(&out);
    assert!(
        text.contains("inclusion-programme takes children who would otherwise need resourced-provision or special-school, at most 10% of the new plans"),
        "{text}"
    );
}

#[test]
fn a_share_in_a_model_of_one_year_is_one_error() {
    // New plans are forecast for the years after the first: a one-year model has none.
    let case = tiny_with_programme("inclusion-base", "inclusion,special-school,0.2");
    case.edit("model.toml", "[tables]", "[tables]\nschemes = \"schemes.csv\"\nscheme_places = \"scheme_places.csv\"");
    let text = std::fs::read_to_string(case.path("schemes.csv")).expect("schemes");
    case.write("schemes.csv", &text.replace("2026/27", "2025/26").replace("2027/28", "2025/26"));
    assert_eq!(
        errors(&case, &["check", "model.toml"]),
        [
            "error: schemes.csv:5: field 'share': is given in a model of one year: new plans are forecast for the years after the first, so leave it blank (or plan over a horizon)"
        ]
    );
}
