//! Commissioning options over the independent market's steps (`settings = market`) through
//! the real binary: a framework at a market step against hand-worked figures, and bad
//! `settings` values.

use rstest::rstest;

use crate::commission::spot_spend_by_hand;
use crate::util::{Case, number, rows, stderr};

/// The tiny authority with a market step `mkt` (SEMH secondary day places at £62,000, 30 km
/// away, no limit of places) and the purchasing system covering `settings` alone.
fn tiny_with_market(settings: &str) -> Case {
    let case = Case::fixture("tiny");
    case.write(
        "market.csv",
        "id,name,needs,phases,places,cost_per_place,journey_minutes,journey_km,residence,transport_per_child\n\
         mkt,Market day places,SEMH,secondary,,62000,30,30,day,\n",
    );
    case.edit(
        "commission.toml",
        "purchasing_prices = \"purchasing_prices.csv\"",
        "purchasing_prices = \"purchasing_prices.csv\"\nmarket = \"market.csv\"",
    );
    case.write(
        "purchasing_options.csv",
        &format!(
            "id,name,kind,settings,needs,phases,discount,joining_fee,fee_per_placement,max_children_per_setting,\
             block_places,block_price,max_blocks,price_above,max_above\n\
             rps,Regional purchasing system,framework,{settings},,,0.05,5000,100,,,,,,\n"
        ),
    );
    case
}

#[test]
fn a_framework_covering_the_market_prices_its_step_by_hand() {
    // By hand (spot_spend_by_hand has the tiny authority's placements and journeys): the 4
    // Crewe SEMH secondary children not at Near cost £65,000 + £1,000 + £380 × 25 km =
    // £75,500 a year each at Stoke and £62,000 + £1,000 + £380 × 30 km = £74,400 at the
    // market step, so spot purchase places them at the step: spend = the tiny spend
    // − 4 × £65,000 + 4 × £62,000 + 4 × £380 × 5 km = − £4,400, and £248,000 on independent
    // places. Through the purchasing system at the step they pay min(£62,000 × 0.95,
    // £55,000 cap) + £100 = £55,100, with £5,000 to join: 4 × £55,100 + £5,000 = £225,400,
    // saving £22,600. (Stoke is not covered, so no child moves there.)
    let spot = spot_spend_by_hand().round() - 4_400.0;
    let case = tiny_with_market("market");
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sets = rows(&case, "out/commissioning.csv");
    let independent: Vec<f64> = sets.iter().map(|r| number(r, "independent_spend")).collect();
    assert_eq!(independent, [248_000.0, 225_400.0]);
    let spend: Vec<f64> = sets.iter().map(|r| number(r, "spend")).collect();
    assert_eq!(spend, [spot, spot - 22_600.0]);
    for r in &sets {
        assert_eq!(number(r, "unmet"), 0.0);
    }
    let uses = rows(&case, "out/option_use.csv");
    assert!(uses.iter().any(|u| u["option"] == "rps" && number(u, "children") == 4.0), "{uses:?}");
}

#[test]
fn a_framework_may_cover_named_schools_and_the_market_together() {
    // Both covered: through the system Stoke costs £55,100 + £10,500 transport against the
    // step's £55,100 + £12,400, so the 4 children go to Stoke: £225,400 on independent
    // places, and £1,900 a child less transport than spot purchase at the step.
    let spot = spot_spend_by_hand().round() - 4_400.0;
    let case = tiny_with_market("independent;market");
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sets = rows(&case, "out/commissioning.csv");
    assert_eq!(number(&sets[1], "independent_spend"), 225_400.0);
    assert_eq!(number(&sets[1], "spend"), spot - 22_600.0 - 4.0 * 1_900.0);
}

#[rstest]
#[case::misspelt_market("independent;markt", "field 'settings': 'markt' is not a setting id or a market step id")]
#[case::blank("", "field 'settings': is empty")]
fn bad_settings_are_reported_in_one_line(#[case] settings: &str, #[case] message: &str) {
    let case = tiny_with_market(settings);
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.contains(&format!("purchasing_options.csv:2: {message}"))), "{err}");
    assert!(!case.path("out").exists());
}

#[test]
fn market_without_a_market_table_is_reported_in_one_line() {
    let case = Case::fixture("tiny");
    case.edit("purchasing_options.csv", "framework,independent,", "framework,market,");
    let out = case.run(&["commission", "commission.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "purchasing_options.csv:2: field 'settings': has `market`, but the model has no market steps (tables.market)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_cost_and_volume_contract_at_the_market_needs_its_most_beyond_the_blocks() {
    let case = tiny_with_market("independent");
    case.write(
        "purchasing_options.csv",
        "id,name,kind,settings,needs,phases,discount,joining_fee,fee_per_placement,max_children_per_setting,\
         block_places,block_price,max_blocks,price_above,max_above\n\
         vol,Market volume,cost-and-volume,mkt,,,,,,,2,110000,1,56000,\n",
    );
    let out = case.run(&["commission", "commission.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("purchasing_options.csv:2: field 'max_above': missing"), "{}", stderr(&out));
}
