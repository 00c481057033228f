//! Tests of an inclusion programme, worked by hand: its share of new plans, what it takes,
//! its saving and payback.

use super::programme_caps;
use crate::model::{Model, Provision, SchoolYear};
use crate::optimise::solve::Solver;
use crate::planning::business_case::{Payback, business_case, plan_years};
use crate::planning::schemes::{Appraiser, Choice, Portfolio};
use crate::testing::ModelBuilder;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// Two localities, north and south, each with 10 SEMH children in year 7 and 1 ASD child
/// (the horizon's cohort needs a resourced provision or special school); 8 new SEMH plans
/// a year at year 7 (4 to each locality, as the cohort is shared) and 2 ASD, none leaving.
/// A special school in the north for SEMH with 20 places (full from the first year), an
/// independent school out of the borough for any need at £60,000, no transport cost. The
/// programme: an inclusion base opening in 2026/27, 5 SEMH secondary places a module at
/// `cost` a place (£6,000 of it place funding, paid filled or empty), £20,000 a year of
/// outreach, no capital, taking resourced-provision and special-school children up to half
/// the new plans.
fn two_localities(cost: f64) -> Model {
    let mut model = ModelBuilder::new()
        .locality("north", 53.0, -2.0, true)
        .locality("south", 53.1, -2.0, true)
        .setting("special", "maintained-special", 53.01, -2.0, true, 20.0, "secondary", "SEMH", 25_000.0)
        .setting("indep", "independent-special", 53.3, -2.0, false, 100.0, "all", "all", 60_000.0)
        .transport(0.0, 0.0)
        .horizon(
            2,
            &[
                ("north", "SEMH", 7, 10.0),
                ("south", "SEMH", 7, 10.0),
                ("north", "ASD", 7, 1.0),
                ("south", "ASD", 7, 1.0),
            ],
            &[("SEMH", 7, 8.0, 0.0, 0.0), ("ASD", 7, 2.0, 0.0, 0.0)],
        )
        .scheme("inclusion", "inclusion-base", (53.05, -2.0), 1, 0.0, cost, &[("SEMH", "secondary", 5.0)])
        .build();
    let s = &mut model.schemes[0];
    s.fixed_annual_cost = crate::model::Money(20_000.0);
    s.setting.programme_tiers = vec![Provision::ResourcedProvision, Provision::SpecialSchool];
    s.share = Some(0.5);
    model
}

#[test]
fn the_share_is_of_the_new_plans_of_its_needs_phases_and_tiers_since_it_opened() {
    // 2026/27: 28 SEMH secondary children, 20 of them last year's year 7 a year older: 8
    // new plans, half of them 4. None before it opens. The ASD plans are not its need.
    let model = two_localities(14_000.0);
    assert_eq!(programme_caps(&model), vec![vec![0.0, 4.0]]);
    // Without a share, or for a capital scheme, no limit.
    let mut free = model.clone();
    free.schemes[0].share = None;
    assert_eq!(programme_caps(&free), vec![vec![f64::INFINITY; 2]]);
    let mut capital = model;
    capital.schemes[0].setting.programme_tiers.clear();
    assert_eq!(programme_caps(&capital), vec![vec![f64::INFINITY; 2]]);
}

#[test]
fn a_programme_cheaper_than_the_independent_school_takes_its_share_and_pays_back_at_once() {
    // 2026/27, placed afresh: the special school's 20 places are full; of the 8 more SEMH
    // children the programme takes 4 (its share, below its 5 places), the independent
    // school the other 4; the 4 ASD children all go to the independent school (not its
    // need). A child in the programme costs £14,000 − £6,000 = £8,000; its fixed cost is 5
    // places × £6,000 + £20,000 = £50,000.
    let model = two_localities(14_000.0);
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let o = appraiser.choose(&Choice::default(), solver).unwrap();
        assert_eq!(o.portfolio, Portfolio(vec![1]), "{solver}");
        let years = &o.futures[0];
        assert!(close(years[0].in_schemes[0], 0.0) && close(years[1].in_schemes[0], 4.0), "{solver}");
        assert!(close(years[1].fixed_running_cost.0, 50_000.0), "{solver}: {}", years[1].fixed_running_cost);
        // Only SEMH secondary children of the tiers it takes are in it, within its places,
        // and the plan passes the answer checker (whose tier rule is written apart).
        let block = &appraiser.futures[0].years[1];
        let at = crate::model::SettingIx(model.settings.len());
        let mut inside = 0.0;
        for p in years[1].plan.placements.iter().filter(|p| p.setting == at) {
            let d = &block.model.demand[p.demand];
            assert_eq!((block.model.need_code(d.need), block.model.phase_code(d.phase)), ("SEMH", "secondary"));
            assert_eq!(d.provision, Provision::ResourcedProvision);
            inside += p.children;
        }
        assert!(close(inside, 4.0) && inside <= 5.0, "{solver}: {inside}");
        let wrong = crate::optimise::checking::check_plan(&block.model, &appraiser.journeys, &years[1].plan);
        assert!(wrong.iter().all(|w| !w.contains("does not serve")), "{solver}: {wrong:?}");
    }
    // The business case, children staying put: the 20 first placed stay at the special
    // school; of the 8 new SEMH children 4 go to the programme and 4 to the independent
    // school (without it, all 8). Saving in 2026/27: 4 × £60,000 − (4 × £8,000 + £50,000)
    // = £158,000; no capital, so it pays back in the first year it saves, 2026/27.
    let solver = Solver::Network;
    let baseline = plan_years(&model, &Portfolio(vec![0]), solver).unwrap();
    let case = business_case(&model, &baseline, &Portfolio(vec![1]), solver).unwrap();
    assert!(close(case.years[0].saving().0, 0.0), "{:?}", case.years[0]);
    assert!(close(case.years[1].saving().0, 158_000.0), "{:?}", case.years[1]);
    assert!(close(case.years[1].in_new_places, 4.0) && close(case.years[1].empty_new_places, 1.0));
    assert!(close(case.capital.0, 0.0));
    assert_eq!(case.payback, Payback::Within(SchoolYear(2026)));
}

#[test]
fn a_programme_dearer_than_the_independent_school_is_not_chosen() {
    // £70,000 a place: £64,000 a child above the fund, more than the £60,000 independent
    // place it would replace, before its fixed cost.
    let model = two_localities(70_000.0);
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let o = appraiser.choose(&Choice::default(), solver).unwrap();
        assert_eq!(o.portfolio, Portfolio(vec![0]), "{solver}");
    }
}
