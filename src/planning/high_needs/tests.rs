use super::*;
use crate::model::{Growing, Growth};
use crate::optimise::solve::Solver;
use crate::planning::business_case::{business_case, plan_years};
use crate::planning::portfolio::Portfolio;
use crate::testing::ModelBuilder;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}

fn growing(first: f64, rate: f64) -> Growing {
    Growing::new(Money(first), Growth::new(rate).unwrap()).unwrap()
}

/// The business case's hand-worked model: 6 SEMH children in year 8 at an independent school
/// out of the borough (£60,000), 2 new plans a year at year 7, over 2025/26 to 2027/28;
/// a 2-place unit (£10,000 place funding + £15,000 top-up) opening in 2027/28 for £100,000.
/// The block: grant £500,000 rising 10% a year, mainstream top-ups £100,000 flat,
/// alternative provision £20,000 rising 50% a year, £50,000 deficit brought forward.
fn model() -> Model {
    let mut m = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 20.0, "secondary", "SEMH", 60_000.0)
        .horizon(3, &[("home", "SEMH", 8, 6.0)], &[("SEMH", 7, 2.0, 0.0, 0.0)])
        .scheme("unit", "maintained-special", (53.01, -2.0), 2, 100_000.0, 25_000.0, &[("SEMH", "secondary", 2.0)])
        .build();
    m.high_needs = Some(HighNeeds {
        grant: growing(500_000.0, 0.1),
        other: [growing(100_000.0, 0.0), growing(20_000.0, 0.5), growing(0.0, 0.0), growing(0.0, 0.0)],
        deficit_brought_forward: Money(50_000.0),
        deficit_target: None,
    });
    m
}

#[test]
fn the_block_with_and_without_the_unit_is_the_hand_worked_ledger() {
    // Places (the business case's, worked by hand there): without 360,000, 480,000, 600,000;
    // with 360,000, 480,000 and 510,000 + 20,000 place funding = 530,000.
    // Grant: 500,000, 550,000, 605,000. Other: top-ups 100,000 each year; AP 20,000, 30,000,
    // 45,000.
    // Without:
    //   2025/26: spend 360,000 + 100,000 + 20,000 = 480,000; balance +20,000;
    //            deficit 50,000 − 20,000 = 30,000.
    //   2026/27: spend 480,000 + 100,000 + 30,000 = 610,000; balance −60,000; deficit 90,000.
    //   2027/28: spend 600,000 + 100,000 + 45,000 = 745,000; balance −140,000; deficit 230,000.
    // With: the same first two years; 2027/28 spend 530,000 + 145,000 = 675,000; balance
    //   −70,000; deficit 160,000: £70,000 less, the year's saving on places.
    let m = model();
    for s in Solver::available() {
        let baseline = plan_years(&m, &Portfolio(vec![0]), s).unwrap();
        let case = business_case(&m, &baseline, &Portfolio(vec![1]), s).unwrap();
        let block = Block::of_case(&m, &case).expect("a block");
        let without = &block.without;
        let with = &block.with;
        assert!(close(without.brought_forward().0, 50_000.0));
        let grants: Vec<f64> = without.years().iter().map(|y| y.grant.0).collect();
        assert!(grants.iter().zip([500_000.0, 550_000.0, 605_000.0]).all(|(a, b)| close(*a, b)), "{grants:?}");
        for (y, (spend, balance)) in
            without.years().iter().zip([(480_000.0, 20_000.0), (610_000.0, -60_000.0), (745_000.0, -140_000.0)])
        {
            assert!(close(y.spend().0, spend) && close(y.balance().0, balance), "{s} {}: {y:?}", y.year);
        }
        assert!(close(without.years()[2].other[1].0, 45_000.0) && close(without.years()[2].other[2].0, 0.0));
        for (d, by_hand) in without.cumulative_deficit().iter().zip([30_000.0, 90_000.0, 230_000.0]) {
            assert!(close(d.0, by_hand), "{s}: {d}");
        }
        for (y, (places, balance)) in
            with.years().iter().zip([(360_000.0, 20_000.0), (480_000.0, -60_000.0), (530_000.0, -70_000.0)])
        {
            assert!(close(y.places.0, places) && close(y.balance().0, balance), "{s} {}: {y:?}", y.year);
        }
        for (d, by_hand) in with.cumulative_deficit().iter().zip([30_000.0, 90_000.0, 160_000.0]) {
            assert!(close(d.0, by_hand), "{s}: {d}");
        }
        assert_eq!(with.deficit_at(SchoolYear(2027)).map(|d| d.0.round()), Some(160_000.0));
        assert_eq!(with.deficit_at(SchoolYear(2030)), None);
        // Transport is beside the block, not in it (none here).
        assert_eq!(block.transport.len(), 3);
        assert!(block.transport.iter().all(|(a, b)| close(a.0, 0.0) && close(b.0, 0.0)));
    }
}

#[test]
fn transport_is_kept_out_of_the_block() {
    // The same children with transport at £1,000 a child: the block's spend is unchanged
    // (places only), transport is carried beside it.
    let mut m = ModelBuilder::from(model()).transport(1_000.0, 0.0).build();
    m.high_needs = model().high_needs;
    for s in Solver::available() {
        let baseline = plan_years(&m, &Portfolio(vec![0]), s).unwrap();
        let case = business_case(&m, &baseline, &Portfolio(vec![1]), s).unwrap();
        let block = Block::of_case(&m, &case).unwrap();
        assert!(close(block.without.years()[0].spend().0, 480_000.0), "{s}");
        assert!(close(block.transport[0].0.0, 6_000.0), "{s}: {:?}", block.transport);
    }
}

#[test]
fn a_model_without_the_section_has_no_block() {
    let mut m = model();
    m.high_needs = None;
    let s = Solver::available()[0];
    let baseline = plan_years(&m, &Portfolio(vec![0]), s).unwrap();
    let case = business_case(&m, &baseline, &Portfolio(vec![0]), s).unwrap();
    assert!(Block::of_case(&m, &case).is_none());
}
