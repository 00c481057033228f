//! The high-needs block (`[high_needs]`) through the real binary on the tiny fixture: the
//! columns of `high_needs.csv` and `high_needs.json`, each figure recomputed from the business
//! case and the section's own values, the business case's added columns, no change without
//! the section, and bad values refused in one line each.

use rstest::rstest;

use crate::util::{Case, number, rows, stderr, stdout};

const COLUMNS: [&str; 16] = [
    "year",
    "grant",
    "places_without",
    "places_with",
    "mainstream_top_ups",
    "alternative_provision",
    "further_education",
    "support_services",
    "spend_without",
    "spend_with",
    "in_year_balance_without",
    "in_year_balance_with",
    "cumulative_deficit_without",
    "cumulative_deficit_with",
    "transport_without",
    "transport_with",
];

/// The tiny schemes model with a block: grant £2,000,000 rising 10% a year, mainstream
/// top-ups £300,000 rising 5%, alternative provision £50,000 flat, further education
/// £80,000 falling 10%, support services £20,000 flat, £400,000 deficit brought forward.
const BLOCK: &str = "extends = \"schemes.toml\"\n\n[high_needs]\ngrant = 2000000\ngrant_growth = 0.1\n\
                     deficit_brought_forward = 400000\nmainstream_top_ups = 300000\nmainstream_top_ups_growth = 0.05\n\
                     alternative_provision = 50000\nfurther_education = 80000\nfurther_education_growth = -0.1\n\
                     support_services = 20000\n";

#[test]
fn schemes_writes_the_block_by_year_and_every_figure_adds_up() {
    let case = Case::fixture("tiny");
    case.write("block.toml", BLOCK);
    let out = case.run(&["schemes", "block.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("High-needs block (Dedicated Schools Grant), year by year"), "{text}");
    assert!(text.contains("Cumulative deficit, without"), "{text}");
    let header = std::fs::read_to_string(case.path("out/high_needs.csv")).unwrap();
    assert_eq!(header.lines().next().unwrap(), COLUMNS.join(","));
    let block = rows(&case, "out/high_needs.csv");
    let business = rows(&case, "out/business_case.csv");
    assert_eq!((block.len(), business.len()), (3, 3));
    // By hand, year k = 0, 1, 2 (2025/26 to 2027/28):
    //   grant 2,000,000 × 1.1^k: 2,000,000, 2,200,000, 2,420,000;
    //   top-ups 300,000 × 1.05^k: 300,000, 315,000, 330,750; AP 50,000; FE 80,000 × 0.9^k:
    //   80,000, 72,000, 64,800; support 20,000. Other spend: 450,000, 457,000, 465,550.
    // Places are the business case's; spend = places + other; balance = grant − spend;
    // cumulative deficit = 400,000 − the balances to date.
    let by_hand = [
        (2_000_000.0, 300_000.0, 80_000.0, 450_000.0),
        (2_200_000.0, 315_000.0, 72_000.0, 457_000.0),
        (2_420_000.0, 330_750.0, 64_800.0, 465_550.0),
    ];
    let (mut deficit_without, mut deficit_with) = (400_000.0, 400_000.0);
    for ((r, b), (grant, top_ups, fe, other)) in block.iter().zip(&business).zip(by_hand) {
        assert_eq!(r["year"], b["year"]);
        assert_eq!(number(r, "grant"), grant, "{r:?}");
        assert_eq!(number(r, "mainstream_top_ups"), top_ups);
        assert_eq!(number(r, "alternative_provision"), 50_000.0);
        assert_eq!(number(r, "further_education"), fe);
        assert_eq!(number(r, "support_services"), 20_000.0);
        assert_eq!(number(r, "places_without"), number(b, "places_without"));
        assert_eq!(number(r, "places_with"), number(b, "places_with"));
        assert_eq!(number(r, "transport_without"), number(b, "transport_without"));
        assert_eq!(number(r, "transport_with"), number(b, "transport_with"));
        // Each figure is rounded to the pound on its own: a sum may be £1 or £2 off.
        let spend_without = number(b, "places_without") + other;
        let spend_with = number(b, "places_with") + other;
        assert!((number(r, "spend_without") - spend_without).abs() <= 1.0, "{r:?}");
        assert!((number(r, "spend_with") - spend_with).abs() <= 1.0, "{r:?}");
        assert!((number(r, "in_year_balance_without") - (grant - spend_without)).abs() <= 1.0, "{r:?}");
        assert!((number(r, "in_year_balance_with") - (grant - spend_with)).abs() <= 1.0, "{r:?}");
        deficit_without -= grant - spend_without;
        deficit_with -= grant - spend_with;
        assert!((number(r, "cumulative_deficit_without") - deficit_without).abs() <= 2.0, "{r:?}");
        assert!((number(r, "cumulative_deficit_with") - deficit_with).abs() <= 2.0, "{r:?}");
        // The business case carries the same balances and deficits.
        assert_eq!(number(b, "in_year_balance_without"), number(r, "in_year_balance_without"));
        assert_eq!(number(b, "cumulative_deficit_with"), number(r, "cumulative_deficit_with"));
    }
    // The JSON holds the same rows, whole pounds, and the deficit brought forward.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.path("out/high_needs.json")).unwrap()).unwrap();
    assert_eq!(json["deficit_brought_forward"], 400_000);
    let years = json["years"].as_array().unwrap();
    assert_eq!(years.len(), 3);
    for (y, r) in years.iter().zip(&block) {
        let keys: Vec<&str> = y.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = COLUMNS.to_vec();
        want.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, want);
        for c in &COLUMNS[1..] {
            assert_eq!(y[c].as_i64().map(|v| v as f64), Some(number(r, c)), "{c}");
        }
    }
}

#[test]
fn without_the_section_schemes_writes_no_block_and_the_business_case_is_as_before() {
    let case = Case::fixture("tiny");
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("High-needs block"));
    assert!(!case.path("out/high_needs.csv").exists() && !case.path("out/high_needs.json").exists());
    let header = std::fs::read_to_string(case.path("out/business_case.csv")).unwrap();
    assert!(!header.lines().next().unwrap().contains("deficit"), "{header}");
}

#[test]
fn compare_shows_each_runs_cumulative_deficit_at_the_last_year_both_plan() {
    let case = Case::fixture("tiny");
    case.write("block.toml", BLOCK);
    case.write("higher.toml", &BLOCK.replace("deficit_brought_forward = 400000", "deficit_brought_forward = 500000"));
    let out = case.run(&["compare", "block.toml", "higher.toml", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let row = text.lines().find(|l| l.starts_with("High-needs cumulative deficit")).expect("the deficit row");
    // The same plans, £100,000 more brought forward: £100,000 more at the end.
    assert!(row.starts_with("High-needs cumulative deficit,£,2027/28,"), "{row}");
    assert!(row.ends_with(",\"+£100,000\""), "{row}");
    // Without the section: no row.
    let out = case.run(&["compare", "schemes.toml", "--format", "csv"]);
    assert!(!stdout(&out).contains("High-needs"));
}

#[rstest]
#[case::negative_grant(
    "grant = -5\ndeficit_brought_forward = 0\n",
    "error: block.toml:4: field 'grant': -5: expected a number of pounds above 0 and at most 1,000,000,000,000"
)]
#[case::bad_growth(
    "grant = 1000\ngrant_growth = 0.8\ndeficit_brought_forward = 0\n",
    "error: block.toml:5: field 'grant_growth': 0.8: expected a growth rate a year from -0.2 to 0.5 (0.03 is 3%)"
)]
#[case::negative_line(
    "grant = 1000\ndeficit_brought_forward = 0\nfurther_education = -3\n",
    "error: block.toml:6: field 'further_education': -3: expected a number of pounds a year, at least 0 and at \
     most 1,000,000,000,000"
)]
#[case::unknown_key(
    "grant = 1000\ngrnat = 5\ndeficit_brought_forward = 0\n",
    "error: block.toml:5: unknown key 'grnat' in [high_needs]: expected one of grant, grant_growth, \
     deficit_brought_forward, deficit_target, mainstream_top_ups, mainstream_top_ups_growth, alternative_provision, \
     alternative_provision_growth, further_education, further_education_growth, support_services, \
     support_services_growth"
)]
#[case::target_beyond_reason(
    "grant = 1000\ndeficit_brought_forward = 0\ndeficit_target = 5e15\n",
    "error: block.toml:6: field 'deficit_target': 5000000000000000: expected a number of pounds from \
     -1,000,000,000,000 to 1,000,000,000,000"
)]
#[case::missing_grant(
    "deficit_brought_forward = 0\n",
    "error: block.toml: field 'high_needs.grant': is missing: expected grant = the high-needs grant for the first \
     year planned, in pounds, under [high_needs]"
)]
#[case::text_for_a_number(
    "grant = \"1000\"\ndeficit_brought_forward = 0\n",
    "error: block.toml:4: field 'high_needs.grant': expected a number of pounds, found \"1000\": write the number \
     without quotes, £ or commas"
)]
fn a_bad_value_in_the_section_is_one_line_naming_file_line_and_field(#[case] body: &str, #[case] message: &str) {
    let case = Case::fixture("tiny");
    case.write("block.toml", &format!("extends = \"schemes.toml\"\n\n[high_needs]\n{body}"));
    let out = case.run(&["schemes", "block.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().next(), Some(message), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
}

#[test]
fn the_annex_has_the_block_and_its_chart_only_with_the_section() {
    let case = Case::fixture("tiny");
    // BLOCK's grant exceeds the tiny model's spend: a surplus, which stacked bars cannot
    // show, so the table alone, and a word why.
    case.write("block.toml", BLOCK);
    let out = case.run(&["annex", "block.toml", "--out", "surplus"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(case.path("surplus/annex.html")).unwrap();
    assert!(html.contains("The high-needs budget, with and without the programme"));
    assert!(!html.contains("chart-high-needs-deficit") && html.contains("No chart of the cumulative deficit"));
    let table = rows(&case, "surplus/tables/high-needs-block.csv");
    assert_eq!(table.len(), 3);
    // A grant of £500,000 against spend of about £0.8m to £1.2m a year: a deficit rising from
    // £400,000 every year, no more with the schemes than without: the chart is drawn.
    case.write("deficit.toml", &BLOCK.replace("grant = 2000000", "grant = 500000"));
    let out = case.run(&["annex", "deficit.toml", "--out", "with"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(case.path("with/annex.html")).unwrap();
    assert!(html.contains("chart-high-needs-deficit") && !html.contains("No chart of the cumulative deficit"));
    let table = rows(&case, "with/tables/high-needs-block.csv");
    for r in &table {
        let (without, with) = (number(r, "Cumulative deficit, without (£)"), number(r, "Cumulative deficit, with (£)"));
        assert!(with > 400_000.0 && with <= without, "{r:?}");
    }
    let out = case.run(&["annex", "schemes.toml", "--out", "without"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(case.path("without/annex.html")).unwrap();
    assert!(!html.contains("The high-needs budget") && !html.contains("chart-high-needs-deficit"));
    assert!(!case.path("without/tables/high-needs-block.csv").exists());
}
