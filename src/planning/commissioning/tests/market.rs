//! Options covering the independent market's steps (`settings = market`), worked by hand.

use super::*;
use crate::model::Residence;

/// `asd` ASD and `semh` SEMH secondary children, no school but one market step of day
/// places at £60,000 a year (no limit of places, 30 minutes away), and the framework `rps`
/// at that step: 10% off, £20,000 a year to join, SEMH banded at £57,000 and, with
/// `asd_cap`, ASD capped.
fn market_case(asd: f64, semh: f64, asd_cap: Option<f64>) -> Model {
    let mut b = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .market_step("market-day", "all", "secondary", None, 60_000.0, 30.0, Residence::Day, None)
        .demand("home", "ASD", "secondary", asd, Provision::SpecialSchool)
        .demand("home", "SEMH", "secondary", semh, Provision::SpecialSchool)
        .framework("rps", &["market-day"], "all", "all", 0.1, 20_000.0, 0.0, None)
        .price_rule("rps", "SEMH", "secondary", PriceRuleKind::Band, 57_000.0);
    if let Some(cap) = asd_cap {
        b = b.price_rule("rps", "ASD", "secondary", PriceRuleKind::Cap, cap);
    }
    b.build()
}

/// The evaluations of spot purchase alone and of the framework, by every solver.
fn spot_and_framework(model: &Model) -> Vec<(Evaluation, Evaluation)> {
    let journeys = JourneyTable::build(model);
    crate::testing::lp_solvers()
        .into_iter()
        .map(|s| (evaluate(model, &journeys, &[], "", s).unwrap(), evaluate(model, &journeys, &[0], "", s).unwrap()))
        .collect()
}

fn bought(e: &Evaluation, route: Route, need: &str, model: &Model) -> (f64, f64) {
    let n = model.needs.iter().position(|c| c == need).unwrap();
    let through: Vec<&Purchase> = e.purchases.iter().filter(|p| p.route == route && p.need.0 == n).collect();
    (through.iter().map(|p| p.children).sum(), through.first().map_or(0.0, |p| p.price.0))
}

#[rstest]
// By hand: spot = 6 × £60,000 = £360,000. Through the framework ASD pay
// min(60,000 × 0.9, 50,000) = £50,000 and SEMH the band £57,000, so joining costs
// 20,000 + 4 × 50,000 + 2 × 57,000 = £334,000.
#[case::asd_capped(Some(50_000.0), 50_000.0, 334_000.0)]
// Without the cap ASD pay the discount's 60,000 × 0.9 = £54,000:
// 20,000 + 4 × 54,000 + 2 × 57,000 = £350,000.
#[case::asd_discounted(None, 54_000.0, 350_000.0)]
fn a_framework_prices_a_market_step_by_its_discount_cap_and_band(
    #[case] asd_cap: Option<f64>,
    #[case] asd_price: f64,
    #[case] with_framework: f64,
) {
    let model = market_case(4.0, 2.0, asd_cap);
    for (spot, e) in spot_and_framework(&model) {
        let solver = e.plan.solver;
        assert!(close(spot.summary.placement_cost.0, 360_000.0), "{solver}: {}", spot.summary.placement_cost);
        assert!(close(e.summary.placement_cost.0, with_framework), "{solver}: {}", e.summary.placement_cost);
        assert_eq!(e.uses[0].taken, 1, "{solver}");
        // Every child is placed at the step and bought once, through the framework.
        assert!(close(e.summary.unmet, 0.0));
        for (route, need, children, price) in
            [(Route::Option(0), "ASD", 4.0, asd_price), (Route::Option(0), "SEMH", 2.0, 57_000.0)]
        {
            let (n, p) = bought(&e, route, need, &model);
            assert!(close(n, children) && close(p, price), "{solver} {need}: {n} at {p}");
        }
        assert!(close(bought(&e, Route::Spot, "ASD", &model).0, 0.0), "{solver}");
        // The market's children count as bought from independents, at the framework's prices.
        assert!(close(e.independent_children, 6.0));
        assert!(close(e.independent_spend.0, with_framework), "{solver}: {}", e.independent_spend);
    }
}

#[test]
fn a_framework_at_a_market_step_is_not_joined_when_its_fee_outweighs_the_saving() {
    // By hand: one ASD child, capped at £50,000, saves £10,000 a year against a £20,000 fee to
    // join: spot purchase at £60,000 is cheaper.
    let model = market_case(1.0, 0.0, Some(50_000.0));
    for (_, e) in spot_and_framework(&model) {
        assert_eq!(e.uses[0].taken, 0, "{}", e.plan.solver);
        assert!(close(e.summary.placement_cost.0, 60_000.0), "{}", e.summary.placement_cost);
    }
}

#[test]
fn a_block_at_a_market_step_reserves_places_there() {
    // By hand: 7 ASD secondary children at a step at £60,000, blocks of 5 places for £250,000:
    // one block and 2 at spot = £370,000, against £420,000 at spot alone; 2 blocks would
    // cost £500,000.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .market_step("market-day", "all", "secondary", None, 60_000.0, 30.0, Residence::Day, None)
        .demand("home", "ASD", "secondary", 7.0, Provision::SpecialSchool)
        .block("block", "market-day", 5.0, 250_000.0, 2, None)
        .build();
    for e in run(&model, &[0]) {
        assert_eq!(e.uses[0].taken, 1, "{}", e.plan.solver);
        assert!(close(e.summary.placement_cost.0, 370_000.0), "{}", e.summary.placement_cost);
        assert!(close(e.uses[0].unused_places, 0.0));
    }
}

#[test]
fn the_flow_route_equals_the_mixed_integer_program_at_market_steps() {
    for asd_cap in [None, Some(50_000.0)] {
        for (asd, semh) in [(1.0, 0.0), (4.0, 2.0), (9.0, 5.0)] {
            assert_same_comparison(&market_case(asd, semh, asd_cap), &format!("{asd} ASD, {semh} SEMH, {asd_cap:?}"));
        }
    }
}

/// With a block beside the framework the best combination is chosen by cuts: the
/// framework's route at a step without a limit of places must have a finite capacity in
/// the network (an infinite one made every cut NaN, and a dearer choice was kept). The flow's
/// best combination equals the mixed-integer program's.
#[test]
fn the_best_combination_by_cuts_equals_the_mixed_integer_program_at_a_step_without_a_limit() {
    for (asd, semh) in [(4.0, 2.0), (9.0, 5.0), (12.0, 7.0)] {
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .market_step("market-day", "all", "secondary", None, 60_000.0, 30.0, Residence::Day, None)
            .setting("b", "independent-special", 53.1, -2.1, false, 12.0, "all", "ASD;SEMH", 62_000.0)
            .demand("home", "ASD", "secondary", asd, Provision::SpecialSchool)
            .demand("home", "SEMH", "secondary", semh, Provision::SpecialSchool)
            .framework("rps", &["market-day", "b"], "all", "all", 0.1, 20_000.0, 0.0, None)
            .block("block-b", "b", 4.0, 4.0 * 50_000.0, 3, None)
            .build();
        assert_same_comparison(&model, &format!("{asd} ASD, {semh} SEMH"));
        // Every cut's slope × capacity is a number, for every choice placed.
        let journeys = JourneyTable::build(&model);
        let net = super::super::fixed::OptionNetwork::new(&model, &journeys).unwrap().unwrap();
        for choice in [[0, 0], [1, 0], [0, 1], [1, 3]] {
            for caps in &net.place(&choice).unwrap().slopes {
                for &(slope, per_taken, _) in caps {
                    assert!((slope * per_taken).is_finite(), "{choice:?}: {slope} × {per_taken}");
                }
            }
        }
    }
}
