//! Tests of the schemes program: hand-worked portfolios, place values and brute force.

use super::*;
use crate::model::{Appraisal, CapitalMethod, LocalityIx, Model, Money, Provision, SchoolYear, SettingIx};
use crate::optimise::flow;
use crate::optimise::formulation::{Extensions, Formulation, SchemeSites};
use crate::optimise::solve::Solver;
use crate::planning::year_plan::plan_of;
use crate::testing::ModelBuilder;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(super) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// 10 SEMH secondary children, an out-of-borough independent school at £60,000, and a
/// candidate unit (£20,000 a place, £400,000 capital) of `places` a module.
fn one_unit(places: f64, modules: (u32, u32), capital: f64) -> Model {
    ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 100.0, "secondary", "SEMH", 60_000.0)
        .demand("home", "SEMH", "secondary", 10.0, Provision::ResourcedProvision)
        .transport(0.0, 0.0)
        .scheme("unit", "resourced-provision", (53.01, -2.0), 0, capital, 20_000.0, &[("SEMH", "secondary", places)])
        .scheme_rules(None, &[], modules)
        .build()
}

fn eac(capital: f64) -> f64 {
    // 3.5% over 40 years: capital × 0.035 / (1 − 1.035^−40) = capital × 0.046827.
    capital * 0.035 / (1.0 - 1.035_f64.powi(-40))
}

#[test]
fn the_equivalent_annual_cost_is_the_green_book_annuity() {
    let a = Appraisal::default();
    assert!((a.annual_equivalent(Money(400_000.0)).0 - 18_730.9).abs() < 0.1);
    // Cash two years on: deflated by 2% a year, then discounted at 3.5% real.
    assert!(close(a.discount(2), 1.0 / (1.035 * 1.02 * 1.035 * 1.02)));
    assert!(close(a.nominal_rate(), 0.0557));
}

#[test]
fn a_unit_is_built_when_the_budget_allows_and_pays_for_itself() {
    // Built: 2 × £60,000 + 8 × £20,000 + EAC(£400,000) = £298,730.9; not: 10 × £60,000.
    let model = one_unit(8.0, (1, 1), 400_000.0);
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let yes = appraiser.choose(&Choice { budget: Some(Money(400_000.0)), ..Choice::default() }, solver).unwrap();
        assert_eq!(yes.portfolio, Portfolio(vec![1]), "{solver}");
        assert!(close(yes.present_cost[0].0, 280_000.0 + eac(400_000.0)), "{solver}: {}", yes.present_cost[0]);
        assert!(close(yes.futures[0][0].in_schemes[0], 8.0));
        let no = appraiser.choose(&Choice { budget: Some(Money(399_999.0)), ..Choice::default() }, solver).unwrap();
        assert_eq!(no.portfolio, Portfolio(vec![0]));
        assert!(close(no.present_cost[0].0, 600_000.0));
        let forced_out = appraiser.choose(&Choice { without: vec![0], ..Choice::default() }, solver).unwrap();
        assert_eq!(forced_out.portfolio, Portfolio(vec![0]));
    }
}

#[test]
fn modules_are_chosen_within_their_range_and_the_budget() {
    // 4 places a module at £100,000, 2 to 3 modules. Each module saves 4 × £40,000.
    //   no budget: 3 modules place all 10: 10 × £20,000 + 3 EAC(£100,000), and the 2
    //   places left empty still cost their place funding, 2 × £6,000 (a resourced place);
    //   £250,000: 2 modules: 8 × £20,000 + 2 × £60,000 + 2 EAC;
    //   £150,000: one module is below the minimum, so none: £600,000.
    let model = one_unit(4.0, (2, 3), 100_000.0);
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let all = appraiser.choose(&Choice::default(), solver).unwrap();
        assert_eq!(all.portfolio, Portfolio(vec![3]), "{solver}");
        assert!(close(all.present_cost[0].0, 200_000.0 + 2.0 * 6_000.0 + 3.0 * eac(100_000.0)));
        let two = appraiser.choose(&Choice { budget: Some(Money(250_000.0)), ..Choice::default() }, solver).unwrap();
        assert_eq!(two.portfolio, Portfolio(vec![2]));
        assert!(close(two.present_cost[0].0, 280_000.0 + 2.0 * eac(100_000.0)));
        let none = appraiser.choose(&Choice { budget: Some(Money(150_000.0)), ..Choice::default() }, solver).unwrap();
        assert_eq!(none.portfolio, Portfolio(vec![0]));
        assert!(close(none.present_cost[0].0, 600_000.0));
    }
}

#[test]
fn the_gap_stop_fires_where_the_bound_is_far_enough_below_and_gives_the_bound() {
    // 4 places a module at £100,000, 2 to 3 modules, no budget. By hand (as the test above,
    // each child in the unit £20,000 less £6,000 place funding, each module EAC(£100,000) +
    // 4 × £6,000 = £28,682.71): the years cost Q(m) = max(10 × £14,000, 10 × £60,000 −
    // m × 4 × £46,000), so m = 3 costs £140,000 + 3 × £28,682.71 = £226,048.12 (the best;
    // m = 2: £289,365.41). The cuts from 3 modules (flat at £140,000) and from none (slope
    // −£184,000 a module) give the master exactly Q, whose relaxation takes m = 2.5:
    // £140,000 + 2.5 × £28,682.71 = £211,706.77, 6.34% below the best. Asked for 10%, the
    // rounds stop at the first whole portfolio (3 modules, placed at the start) with that
    // bound; asked for 5% or 0, they branch (2 modules: £289,365; 3: £226,048, neither below
    // the target) and prove the best.
    let module = eac(100_000.0) + 4.0 * 6_000.0;
    let best = 140_000.0 + 3.0 * module;
    let bound = 140_000.0 + 2.5 * module;
    let model = one_unit(4.0, (2, 3), 100_000.0);
    for (gap, proven) in [(0.10, false), (0.05, true), (0.0, true)] {
        let appraiser = Appraiser::build(std::slice::from_ref(&model)).with_gap(gap);
        let o = appraiser.choose(&Choice::default(), Solver::Network).unwrap();
        assert_eq!(o.portfolio, Portfolio(vec![3]), "gap {gap}");
        assert!(close(o.present_cost[0].0, best), "gap {gap}: {}", o.present_cost[0]);
        match o.proof {
            Proof::Best => assert!(proven, "gap {gap}: proven best, expected the gap stop"),
            Proof::Within { value, bound: b } => {
                assert!(!proven, "gap {gap}: stopped at {value} over {b}");
                // The tie-break charges are pennies.
                assert!((value.0 - best).abs() < 1.0, "{value}");
                assert!((b.0 - bound).abs() < 1.0, "{b} against {bound}");
                assert!((o.proof.gap().0 - 0.5 * module).abs() < 1.0);
                assert_eq!(o.proof.words(), "within £14,341 (6.3444%) of the best possible");
            }
        }
    }
}

#[test]
fn places_that_open_in_stages_take_no_child_before_they_open() {
    // A unit open from 2025/26 whose 2 SEMH places open only in 2026/27: in the first year
    // no child is in it and its places are not funded; in the second it takes 2.
    let mut model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 20.0, "secondary", "SEMH", 60_000.0)
        .horizon(2, &[("home", "SEMH", 8, 6.0)], &[("SEMH", 7, 2.0, 0.0, 0.0)])
        .scheme("unit", "maintained-special", (53.01, -2.0), 0, 1_000.0, 25_000.0, &[("SEMH", "secondary", 2.0)])
        .build();
    model.schemes[0].places[0].opens = SchoolYear(2026);
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let o = appraiser.choose(&Choice { with: vec![0], ..Choice::default() }, solver).unwrap();
        let years = &o.futures[0];
        assert!(close(years[0].in_schemes[0], 0.0) && close(years[1].in_schemes[0], 2.0), "{solver}");
        assert!(close(years[0].fixed_running_cost.0, 0.0) && close(years[1].fixed_running_cost.0, 20_000.0));
    }
}

#[test]
fn a_school_that_fills_over_three_years_takes_at_most_its_open_places() {
    // 12 SEMH children at year 7 and 12 new plans there a year (12, 24, 36 children), an independent school at
    // £60,000, and a 30-place unit open from 2025/26 at £15,000 top-up (£25,000 less
    // £10,000 place funding), filling over 3 years: 10, 20, 30 places open. Placed
    // afresh, the unit takes as many as are open (each saves £35,000), the rest go to the
    // independent school; place funding is paid on the places open.
    let mut model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 100.0, "secondary", "SEMH", 60_000.0)
        .horizon(3, &[("home", "SEMH", 7, 12.0)], &[("SEMH", 7, 12.0, 0.0, 0.0)])
        .scheme("unit", "maintained-special", (53.01, -2.0), 0, 1_000.0, 25_000.0, &[("SEMH", "secondary", 30.0)])
        .build();
    model.schemes[0].fill_years = 3;
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let o = appraiser.choose(&Choice { with: vec![0], ..Choice::default() }, solver).unwrap();
        let years = &o.futures[0];
        let placed: Vec<f64> = years.iter().map(|y| y.in_schemes[0]).collect();
        let funded: Vec<f64> = years.iter().map(|y| y.fixed_running_cost.0).collect();
        assert!(placed.iter().zip([10.0, 20.0, 30.0]).all(|(&a, b)| close(a, b)), "{solver}: {placed:?}");
        assert!(
            funded.iter().zip([100_000.0, 200_000.0, 300_000.0]).all(|(&a, b)| close(a, b)),
            "{solver}: {funded:?}"
        );
        // Places: 10 × £15,000 + 2 × £60,000; 20 × £15,000 + 4 × £60,000; 30 × £15,000
        // + 6 × £60,000.
        for (y, cost) in years.iter().zip([270_000.0, 540_000.0, 810_000.0]) {
            assert!(close(y.summary.annual_cost().0, cost), "{solver} {}: {}", y.year, y.summary.annual_cost());
        }
    }
}

#[test]
fn places_go_only_to_the_needs_and_phases_of_their_pool() {
    // Pools: 2 ASD primary and 2 SEMH secondary places. Children: 3 ASD primary and 3
    // ASD secondary. ASD secondary is in neither pool, so only 2 children use the scheme:
    // 2 × £20,000 + 4 × £60,000 + EAC(£1,000) = £280,000 + EAC, and the 2 SEMH places
    // left empty still cost their place funding, 2 × £10,000 (a special school place).
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 100.0, "all", "all", 60_000.0)
        .demand("home", "ASD", "primary", 3.0, Provision::ResourcedProvision)
        .demand("home", "ASD", "secondary", 3.0, Provision::ResourcedProvision)
        .transport(0.0, 0.0)
        .scheme(
            "unit",
            "maintained-special",
            (53.01, -2.0),
            0,
            1_000.0,
            20_000.0,
            &[("ASD", "primary", 2.0), ("SEMH", "secondary", 2.0)],
        )
        .build();
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let o = appraiser.choose(&Choice::default(), solver).unwrap();
        assert_eq!(o.portfolio, Portfolio(vec![1]));
        assert!(close(o.futures[0][0].in_schemes[0], 2.0), "{solver}: {}", o.futures[0][0].in_schemes[0]);
        assert!(close(o.present_cost[0].0, 280_000.0 + 2.0 * 10_000.0 + eac(1_000.0)));
    }
}

/// The place values of `model` (no schemes) with `solver`, and the appraiser.
fn values_of(model: &Model, solver: Solver) -> (Appraiser, Outcome, Vec<PlaceValue>) {
    let appraiser = Appraiser::build(std::slice::from_ref(model));
    let o = appraiser.choose(&Choice::default(), solver).unwrap();
    let values = appraiser.place_values(&o, solver).unwrap();
    (appraiser, o, values)
}

/// The place value for a need and phase at a locality (`None` if worth nothing).
fn value_at(model: &Model, values: &[PlaceValue], at: usize, need: &str, phase: &str) -> Option<PlaceValue> {
    values
        .iter()
        .find(|v| v.locality == LocalityIx(at) && model.need_code(v.need) == need && model.phase_code(v.phase) == phase)
        .copied()
}

#[test]
fn one_more_place_saves_the_fee_and_journey_in_money_and_the_weight_apart() {
    // "home" has 4 ASD primary children: its special school has 2 places at £20,000, an
    // independent school out of borough 1 at £60,000, and the market the rest at £75,000
    // (40 minutes, 40 km), each out of borough with a weight of £10,000. "away" has one
    // SEMH secondary child, whom only the market takes. Transport: £1,000 a child plus £1
    // a km (2 journeys × 190 days). One more ASD primary place in "home" takes the market
    // child (the dearest): money saved = £75,000 + the market journey − the journey to the
    // new place (£1,000: none beyond the fixed part); the weight of £10,000 apart. One more
    // SEMH secondary place in "home" takes the child from "away": £75,000 + the market
    // journey − their journey to "home"; the weight apart.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .locality("away", 53.15, -2.0, true)
        .setting("local", "maintained-special", 53.0, -2.0, true, 2.0, "primary", "ASD", 20_000.0)
        .setting("indep", "independent-special", 53.1, -2.0, false, 1.0, "primary", "ASD", 60_000.0)
        .market_step("market", "all", "all", None, 75_000.0, 40.0, crate::model::Residence::Day, None)
        .demand("home", "ASD", "primary", 4.0, Provision::ResourcedProvision)
        .demand("away", "SEMH", "secondary", 1.0, Provision::ResourcedProvision)
        .transport(1_000.0, 1.0)
        .out_of_borough_weight(10_000.0)
        .build();
    let market_journey = model.transport.annual_cost(crate::model::Journey { minutes: 40.0, km: 40.0 }).0;
    assert!(close(market_journey, 1_000.0 + 40.0 * 2.0 * 190.0), "{market_journey}");
    for solver in Solver::available() {
        let (appraiser, _, values) = values_of(&model, solver);
        let v = value_at(&model, &values, 0, "ASD", "primary").expect("a value");
        assert!(close(v.money.0, 75_000.0 + market_journey - 1_000.0), "{solver}: {v:?}");
        assert!(close(v.out_of_borough_weight.0, 10_000.0) && close(v.unmet_penalty.0, 0.0), "{solver}: {v:?}");
        assert!(close(v.weighted.0, v.money.0 + 10_000.0) && !v.meets_unmet && v.from == LocalityIx(0));
        // The place at "home" is the first place-less setting after the model's.
        let from_away = appraiser.journeys.get(LocalityIx(1), SettingIx(model.settings.len())).unwrap();
        let v = value_at(&model, &values, 0, "SEMH", "secondary").expect("a value");
        let expected = 75_000.0 + market_journey - model.transport.annual_cost(from_away).0;
        assert!(close(v.money.0, expected) && close(v.out_of_borough_weight.0, 10_000.0), "{solver}: {v:?}");
        assert_eq!(v.from, LocalityIx(1), "{solver}");
        // Ranked by the weighted value: the ASD place (a shorter journey) first.
        assert!(values[0].weighted.0 >= values[1].weighted.0, "{solver}: {values:?}");
    }
}

#[test]
fn a_place_for_a_child_with_none_saves_no_money_and_avoids_the_penalty() {
    // As one_more_place_saves_the_fee_and_journey_in_money_and_the_weight_apart, without
    // the independent school or the market: two of the four are unmet. One more place at
    // "home" places one of them: money spent goes up by their journey (£1,000), and the
    // unmet penalty of £1,000,000 is avoided; nothing is saved in money.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("local", "maintained-special", 53.0, -2.0, true, 2.0, "primary", "ASD", 20_000.0)
        .demand("home", "ASD", "primary", 4.0, Provision::ResourcedProvision)
        .transport(1_000.0, 1.0)
        .out_of_borough_weight(10_000.0)
        .build();
    for solver in Solver::available() {
        let (_, _, values) = values_of(&model, solver);
        assert_eq!(values.len(), 1, "{solver}: {values:?}");
        let v = values[0];
        assert!(close(v.money.0, -1_000.0) && close(v.unmet_penalty.0, 1_000_000.0), "{solver}: {v:?}");
        assert!(close(v.out_of_borough_weight.0, 0.0) && close(v.weighted.0, 999_000.0), "{solver}: {v:?}");
        assert!(v.meets_unmet && close(v.unmet_in_reach, 2.0), "{solver}: {v:?}");
    }
}

#[test]
fn a_place_only_half_needed_saves_half() {
    // 2.5 ASD primary children in "home", 2 local places (£20,000), the market the rest
    // (£75,000, out of borough). One more place takes the half child from the market, and
    // saves half of £75,000 + the market journey − £1,000 and half the weight; the other
    // half of it takes half a child from the local school, and saves half its £20,000 (the
    // new place's own running cost is left out of every value). A whole place, not the
    // market child's marginal price (the whole £75,000 and more, and the whole weight).
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("local", "maintained-special", 53.0, -2.0, true, 2.0, "primary", "ASD", 20_000.0)
        .market_step("market", "all", "all", None, 75_000.0, 40.0, crate::model::Residence::Day, None)
        .demand("home", "ASD", "primary", 2.5, Provision::ResourcedProvision)
        .transport(1_000.0, 1.0)
        .out_of_borough_weight(10_000.0)
        .build();
    let market_journey = model.transport.annual_cost(crate::model::Journey { minutes: 40.0, km: 40.0 }).0;
    for solver in Solver::available() {
        let (_, _, values) = values_of(&model, solver);
        let v = values[0];
        let expected = 0.5 * (75_000.0 + market_journey - 1_000.0) + 0.5 * 20_000.0;
        assert!(close(v.money.0, expected), "{solver}: {v:?} vs {expected}");
        assert!(close(v.out_of_borough_weight.0, 5_000.0) && close(v.unmet_penalty.0, 0.0), "{solver}: {v:?}");
    }
}

#[test]
fn place_values_are_the_difference_of_two_solves_on_random_models() {
    // Random models with fractional need (the market open, or for every third seed shut,
    // so that some children go unmet), some with schemes built: each place value's money and
    // weights are the year solved afresh with one more place (a new setting of one place
    // for that need and phase at the locality, of no running cost), less the year without.
    let (mut weighted_apart, mut unmet_met, mut partial, mut with_schemes) = (0, 0, 0, 0);
    for seed in 1..=18u64 {
        // Seeds 13 to 18: random authorities with candidate schemes, the best built.
        let mut model =
            if seed <= 12 { crate::optimise::properties::random_model(seed) } else { random_instance(seed, 3, true) };
        if seed % 3 == 0 {
            model.settings.retain(|s| s.market.is_none());
        }
        for (r, d) in model.demand.iter_mut().enumerate() {
            d.children += [0.0, 0.35, 0.5, 0.8][(seed as usize + r) % 4];
        }
        for solver in Solver::available() {
            // The network simplex, and each LP solver's own programs.
            let appraiser = Appraiser::build(std::slice::from_ref(&model));
            let o = appraiser.choose(&Choice::default(), solver).unwrap();
            let values = appraiser.place_values_by(&o, solver, solver == Solver::Network).unwrap();
            let block = appraiser.futures[0].years.last().unwrap();
            let before = o.futures[0].last().unwrap().summary.clone();
            let places_at = model.settings.len() + model.schemes.len();
            with_schemes += usize::from(o.portfolio.0.iter().any(|&m| m > 0) && !values.is_empty());
            for v in &values {
                let mut m = block.model.clone();
                let k = m.localities.iter().filter(|l| l.in_borough).position(|l| l.id == m.locality(v.locality).id);
                let place = &mut m.settings[places_at + k.unwrap()];
                place.places = 1.0;
                place.needs.insert(v.need.0);
                place.phases.insert(v.phase.0);
                let sites = SchemeSites { first_setting: model.settings.len(), schemes: &m.schemes, year: block.year };
                let f = Formulation::build_with(
                    &m,
                    &appraiser.journeys,
                    Extensions { schemes: Some(sites), ..Extensions::default() },
                );
                let aim = std::slice::from_ref(&f.program.objective);
                let solved = flow::solve_with_modules(&m, &f, &o.portfolio.0, aim, Some(f.tie_break()))
                    .expect("a network")
                    .unwrap();
                let after = plan_of(&m, &f, &solved.values).summary(&m);
                let money = before.annual_cost().0 - after.annual_cost().0;
                let weight = (before.out_of_borough_weight - after.out_of_borough_weight).0;
                let unmet = (before.unmet_penalty - after.unmet_penalty).0;
                let near = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0) + 1e-3;
                assert!(
                    near(v.money.0, money) && near(v.out_of_borough_weight.0, weight) && near(v.unmet_penalty.0, unmet),
                    "seed {seed} {solver}: {v:?} vs money {money}, weight {weight}, unmet {unmet}"
                );
                assert!(near(v.weighted.0, money + weight + unmet), "seed {seed} {solver}: {v:?}");
                weighted_apart += usize::from(weight > 1.0);
                unmet_met += usize::from(unmet > 1.0);
                partial += usize::from(weight > 1.0 && !near(weight, model.policy.out_of_borough_weight.0));
            }
        }
    }
    assert!(
        weighted_apart > 0 && unmet_met > 0 && partial > 0 && with_schemes > 0,
        "{weighted_apart} {unmet_met} {partial} {with_schemes}"
    );
}

#[test]
fn a_scheme_opening_in_year_4_helps_only_from_year_4() {
    // Five years of SEMH secondary need; the unit opens in 2028/29, the fourth year.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 100.0, "secondary;post-16", "SEMH", 60_000.0)
        .transport(0.0, 0.0)
        .horizon(5, &[("home", "SEMH", 8, 6.0)], &[("SEMH", 7, 2.0, 0.0, 0.0)])
        .scheme("unit", "resourced-provision", (53.01, -2.0), 3, 400_000.0, 20_000.0, &[("SEMH", "secondary", 8.0)])
        .build();
    let appraiser = Appraiser::build(std::slice::from_ref(&model));
    for solver in Solver::available() {
        let built = appraiser.choose(&Choice { with: vec![0], ..Choice::default() }, solver).unwrap();
        let base = appraiser.choose(&Choice { without: vec![0], ..Choice::default() }, solver).unwrap();
        let (b, n) = (&built.futures[0], &base.futures[0]);
        assert_eq!(b[3].year.to_string(), "2028/29");
        for k in 0..3 {
            assert!(close(b[k].in_schemes[0], 0.0) && close(b[k].spend().0, n[k].spend().0), "{solver} year {k}");
        }
        for (k, year) in b.iter().enumerate().skip(3) {
            assert!(year.in_schemes[0] > 1.0, "{solver} year {k}");
        }
        // The difference in discounted cost is the capital charge and the savings, from
        // the fourth year only: the savings in cash at 1.0557 a year (2% inflation, 3.5%
        // real); the capital, spent in cash in 2027/28, is £400,000/1.02² at 2025/26 prices,
        // charged as its equivalent annual cost at 2025/26 prices, discounted at 3.5% real.
        let a = &model.appraisal;
        let eac = eac(400_000.0 / (1.02 * 1.02));
        let expected: f64 = (3..5)
            .map(|k| eac / 1.035_f64.powi(k) + (b[k as usize].spend().0 - n[k as usize].spend().0) / 1.0557_f64.powi(k))
            .sum();
        assert!(close(a.discount(4), 1.0557_f64.powi(-4)));
        assert!(close(built.present_cost[0].0 - base.present_cost[0].0, expected), "{solver}");
    }
}

/// A random authority: two home localities, a small special school, an out-of-borough
/// independent school, ASD and SEMH need in two phases, and `schemes` candidates with
/// random places, costs, exclusive groups, dependencies and modules. The numbers come from
/// ChaCha8 seeded with `seed`: the same instances on every machine.
pub(super) fn random_instance(seed: u64, schemes: usize, modules: bool) -> Model {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let mut b = ModelBuilder::new()
        .locality("north", 53.30, -2.20, true)
        .locality("south", 53.05, -2.40, true)
        .setting(
            "special",
            "maintained-special",
            53.15,
            -2.30,
            true,
            r.random_range(5.0_f64..20.0).round(),
            "all",
            "ASD;SEMH",
            24_000.0,
        )
        .setting("indep", "independent-special", 53.10, -2.10, false, 500.0, "all", "ASD;SEMH", 62_000.0)
        .transport(1_500.0, 1.0)
        .out_of_borough_weight(10_000.0);
    for l in ["north", "south"] {
        for n in ["ASD", "SEMH"] {
            for p in ["primary", "secondary"] {
                b = b.demand(l, n, p, r.random_range(0.0_f64..15.0).round(), Provision::ResourcedProvision);
            }
        }
    }
    let groups = ["g1", "g2"];
    for j in 0..schemes {
        let (lat, lon) = if r.random_bool(0.5) { (53.29, -2.21) } else { (53.06, -2.39) };
        let need = ["ASD", "SEMH", "ASD;SEMH"][r.random_range(0..3)];
        let phase = ["primary", "secondary", "all"][r.random_range(0..3)];
        let kind = if r.random_bool(0.5) { "resourced-provision" } else { "maintained-special" };
        let id = format!("s{j}");
        b = b.scheme(
            &id,
            kind,
            (lat, lon),
            0,
            (r.random_range(0.2_f64..3.0) * 10.0).round() * 100_000.0,
            r.random_range(18_000.0_f64..30_000.0).round(),
            &[(need, phase, r.random_range(4.0_f64..16.0).round())],
        );
        let group = r.random_bool(0.3).then(|| groups[r.random_range(0..2)]);
        let requires: Vec<String> =
            if j > 0 && r.random_bool(0.2) { vec![format!("s{}", r.random_range(0..j))] } else { Vec::new() };
        let requires: Vec<&str> = requires.iter().map(String::as_str).collect();
        let m = if modules && r.random_bool(0.4) { (1 + r.random_range(0..2) as u32, 3) } else { (1, 1) };
        b = b.scheme_rules(group, &requires, m);
    }
    b.build()
}

/// Every portfolio the rules allow: modules from min to max, or none; a scheme only with
/// the schemes it requires; at most one of an exclusive group. The rules are applied here
/// as the schemes table states them, not by [`check_rules`], which is under test.
pub(super) fn every_portfolio(model: &Model) -> Vec<Portfolio> {
    let mut all = vec![Vec::new()];
    for s in &model.schemes {
        let options: Vec<u32> = std::iter::once(0).chain(s.min_modules..=s.max_modules).collect();
        all = all
            .into_iter()
            .flat_map(|p: Vec<u32>| options.iter().map(move |&m| [p.clone(), vec![m]].concat()))
            .collect();
    }
    let allowed = |p: &Vec<u32>| {
        model.schemes.iter().zip(p).all(|(s, &m)| m == 0 || s.requires.iter().all(|&k| p[k] > 0))
            && model.schemes.iter().enumerate().all(|(j, s)| {
                let group = |k: usize| {
                    model.schemes[k].exclusive_group.is_some() && model.schemes[k].exclusive_group == s.exclusive_group
                };
                p[j] == 0 || (j + 1..p.len()).all(|k| p[k] == 0 || !group(k))
            })
    };
    all.into_iter().filter(allowed).map(Portfolio).collect()
}

/// The present cost of `portfolio` in a single-year model, worked out without the
/// appraiser (the program, cuts or master under test): each pool of a built scheme is
/// added to a copy of the model as a plain setting with the pool's needs, phases and
/// places × modules, priced per child at its cost per place less the place funding; the
/// copy is solved as an ordinary placement program by microlp ([`crate::optimise::run::run`]); then, as
/// models/README.md defines present cost for one year (no discounting in year 0):
///
///   weighted cost of the year's plan (places, transport, out-of-borough weight, unmet
///   penalty, without the tie-break charge)
///   + Σ built schemes: modules × (fixed running cost + place funding × places a module)
///   + Σ built schemes: modules × capital × r / (1 − (1 + r)^−life)   (annualised)
///
/// with place funding £6,000 a resourced-provision place and £10,000 any other
/// special-school place (the defaults of `[appraisal]`).
pub(super) fn present_cost_by_hand(model: &Model, portfolio: &Portfolio) -> f64 {
    use crate::model::SettingKind;
    assert!(model.horizon.is_none(), "a single-year model");
    let a = &model.appraisal;
    assert_eq!(a.capital, CapitalMethod::Annualised);
    assert_eq!((a.place_funding_special.0, a.place_funding_resourced.0), (10_000.0, 6_000.0));
    let r = a.discount_rate;
    let mut m = model.clone();
    m.schemes.clear();
    let mut fixed = 0.0;
    for (s, &modules) in model.schemes.iter().zip(&portfolio.0) {
        if modules == 0 {
            continue;
        }
        let k = f64::from(modules);
        let funding = if s.setting.kind == SettingKind::ResourcedProvision { 6_000.0 } else { 10_000.0 };
        for (q, pool) in s.places.iter().enumerate() {
            let open = s.pool_places_open(pool, model.planning_year);
            assert!(open > 0.0, "every pool open in the year planned");
            let mut setting = s.setting.clone();
            setting.id = format!("{}-pool{q}", s.id);
            setting.needs = pool.needs;
            setting.phases = pool.phases;
            setting.places = open * k;
            setting.cost_per_place = Money(s.setting.cost_per_place.0 - funding);
            assert!(setting.need_terms.is_empty());
            m.settings.push(setting);
            fixed += k * funding * open;
        }
        fixed += k * s.fixed_annual_cost.0;
        fixed += k * s.capital_cost.0 * r / (1.0 - (1.0 + r).powf(-a.asset_life_years));
    }
    let run = crate::optimise::run::run(m, Solver::Microlp).unwrap();
    assert_eq!(run.solved.solver, Solver::Microlp);
    run.solved.stages[0].value + fixed
}

#[test]
fn the_hand_costing_of_a_portfolio_is_the_worked_example() {
    // The brute force below trusts present_cost_by_hand; check it on one_unit, worked by
    // hand: built, 2 × £60,000 + 8 × £20,000 + EAC(£400,000) (the 8 places filled, so
    // place funding + top-up is the cost per place); not built, 10 × £60,000.
    let model = one_unit(8.0, (1, 1), 400_000.0);
    assert!(close(present_cost_by_hand(&model, &Portfolio(vec![1])), 280_000.0 + eac(400_000.0)));
    assert!(close(present_cost_by_hand(&model, &Portfolio(vec![0])), 600_000.0));
    // 3 modules of 4: 10 children at £20,000, 2 empty places at £6,000 place funding.
    let model = one_unit(4.0, (2, 3), 100_000.0);
    let cost = present_cost_by_hand(&model, &Portfolio(vec![3]));
    assert!(close(cost, 200_000.0 + 2.0 * 6_000.0 + 3.0 * eac(100_000.0)), "{cost}");
}

#[test]
fn portfolios_match_brute_force_over_every_subset() {
    // Random instances of 6, 9 and 12 schemes (fixed seeds); the best portfolio within a
    // budget, found by enumerating every allowed subset, each costed without the
    // appraiser (present_cost_by_hand: the schemes as plain settings, placed by microlp),
    // must cost what the MIP's answer costs, whether found by cuts (network) or whole
    // (microlp), and the MIP's answer must keep the rules.
    for (seed, n, modules, share) in [(11, 6, true, 0.4), (24, 9, false, 0.3), (37, 12, false, 0.6)] {
        let model = random_instance(seed, n, modules);
        let appraiser = Appraiser::build(std::slice::from_ref(&model));
        let total: f64 = model.schemes.iter().map(|s| s.capital_cost.0 * f64::from(s.max_modules)).sum();
        let budget = Money((total * share).round());
        let mut best = (f64::INFINITY, Portfolio(Vec::new()));
        let mut tried = 0;
        for p in every_portfolio(&model) {
            if p.capital(&model).0 > budget.0 {
                continue;
            }
            tried += 1;
            let cost = present_cost_by_hand(&model, &p);
            if cost < best.0 {
                best = (cost, p);
            }
        }
        // The instances are worth testing: many portfolios within budget, and the best
        // builds something.
        assert!(tried >= 20 && best.1.0.iter().any(|m| *m > 0), "seed {seed}: {tried} tried, best {:?}", best.1);
        eprintln!("seed {seed}: {tried} portfolios within budget; best {} at {}", best.1.label(&model), best.0);
        let best = best.0;
        for solver in Solver::available() {
            let choice = Choice { budget: Some(budget), ..Choice::default() };
            let chosen = appraiser.choose(&choice, solver).unwrap();
            assert!(check_rules(&model, &chosen.portfolio, &choice).is_empty());
            assert!(chosen.capital.0 <= budget.0);
            assert!(
                close(chosen.present_cost[0].0, best),
                "seed {seed}, {solver}: MIP {} ({}) vs brute force {best}",
                chosen.present_cost[0],
                chosen.portfolio.label(&model)
            );
        }
    }
}

/// Three forecasts of `central`: half, as is, and 1.6 times the need (whole children).
fn half_as_is_and_more(central: &Model) -> Vec<Model> {
    [0.5, 1.0, 1.6]
        .iter()
        .map(|f| {
            let mut m = central.clone();
            for d in &mut m.demand {
                d.children = (d.children * f).round();
            }
            m
        })
        .collect()
}

#[test]
fn the_robust_portfolio_matches_enumeration_across_three_variants() {
    // One authority, three forecasts (half, as is, and 1.6 times the need); schemes are
    // built once and placements adapt to each. Enumerate every portfolio within budget,
    // costed in each variant without the appraiser (present_cost_by_hand): the expected
    // choice has the least mean cost, the regret choice the least worst excess over each
    // variant's own best.
    let central = random_instance(41, 7, false);
    let variants = half_as_is_and_more(&central);
    let appraiser = Appraiser::build(&variants);
    let total: f64 = central.schemes.iter().map(|s| s.capital_cost.0).sum();
    let choice = Choice { budget: Some(Money((total * 0.5).round())), ..Choice::default() };
    let mut costs: Vec<(Portfolio, Vec<f64>)> = Vec::new();
    for p in every_portfolio(&central) {
        if p.capital(&central).0 > choice.budget.unwrap().0 {
            continue;
        }
        costs.push((p.clone(), variants.iter().map(|v| present_cost_by_hand(v, &p)).collect()));
    }
    assert!(costs.len() >= 20);
    let best_of: Vec<f64> = (0..3).map(|v| costs.iter().map(|(_, c)| c[v]).fold(f64::INFINITY, f64::min)).collect();
    let least_mean = costs.iter().map(|(_, c)| c.iter().sum::<f64>() / 3.0).fold(f64::INFINITY, f64::min);
    let least_regret =
        costs.iter().map(|(_, c)| (0..3).map(|v| c[v] - best_of[v]).fold(0.0, f64::max)).fold(f64::INFINITY, f64::min);
    for solver in Solver::available() {
        let expected = appraiser.choose(&choice, solver).unwrap();
        let mean = expected.present_cost.iter().map(|c| c.0).sum::<f64>() / 3.0;
        assert!(close(mean, least_mean), "{solver}: {mean} vs {least_mean}");
        let (robust, best) = appraiser.choose_least_regret(&choice, solver).unwrap();
        for v in 0..3 {
            assert!(close(best[v].0, best_of[v]), "{solver} variant {v}: {} vs {}", best[v], best_of[v]);
        }
        let regret = (0..3).map(|v| robust.present_cost[v].0 - best_of[v]).fold(0.0, f64::max);
        assert!(close(regret, least_regret), "{solver}: regret {regret} vs {least_regret}");
        // Each variant is placed at least cost with that portfolio, not merely within
        // the worst regret.
        let (_, own) = costs.iter().find(|(p, _)| *p == robust.portfolio).expect("an enumerated portfolio");
        for (v, (got, want)) in robust.present_cost.iter().zip(own).enumerate() {
            assert!(close(got.0, *want), "{solver} variant {v}: {got} vs {want}");
        }
        assert!(check_rules(&central, &robust.portfolio, &choice).is_empty());
    }
}

#[test]
fn the_years_and_variants_placed_at_once_are_placed_as_one_after_another() {
    // Three variants (three blocks): every portfolio within the rules placed on one thread
    // and on two and three, with every block weighed and with one variant alone (the other
    // blocks left out), gives the same values, costs and slopes to the bit.
    let central = random_instance(41, 5, true);
    let variants = half_as_is_and_more(&central);
    let appraiser = Appraiser::build(&variants);
    let portfolios = every_portfolio(&central);
    assert!(portfolios.len() >= 20, "{}", portfolios.len());
    for weights in [appraiser.expected_weights(), appraiser.variant_weights(1)] {
        for p in &portfolios {
            // Each on a clone, which holds no year placed before: every block is placed.
            let one = appraiser.clone().place_on(p, &weights, 1).unwrap().expect("a network");
            for threads in [2, 3] {
                let many = appraiser.clone().place_on(p, &weights, threads).unwrap().expect("a network");
                assert_eq!(one.values, many.values, "{threads} threads");
                assert_eq!(one.cost, many.cost, "{threads} threads");
                assert_eq!(one.slope, many.slope, "{threads} threads");
            }
        }
    }
    // With variant 1 alone, the blocks left out cost nothing and variant 1's is placed.
    let weights = appraiser.variant_weights(1);
    for p in portfolios.iter().take(8) {
        let placed = appraiser.place_on(p, &weights, 2).unwrap().expect("a network");
        assert_eq!((placed.cost[0], placed.cost[2]), (0.0, 0.0));
        assert!(placed.cost[1] > 0.0);
    }
}

/// The business case's model(2.0, £100,000): 6 SEMH children in year 8 at an independent
/// school out of the borough (£60,000), 2 new plans a year at year 7, a 2-place unit
/// (£25,000 a place: £10,000 place funding + £15,000 top-up) opening in 2027/28 for £100,000
/// spent in 2026/27. Placed afresh or staying put, its plans are the same: the unit takes 2
/// of the children in 2027/28 whichever they are.
fn two_place_unit(capital: CapitalMethod, residual_years: u32) -> Model {
    let mut m = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 20.0, "secondary", "SEMH", 60_000.0)
        .horizon(3, &[("home", "SEMH", 8, 6.0)], &[("SEMH", 7, 2.0, 0.0, 0.0)])
        .scheme("unit", "maintained-special", (53.01, -2.0), 2, 100_000.0, 25_000.0, &[("SEMH", "secondary", 2.0)])
        .build();
    m.appraisal.capital = capital;
    m.appraisal.residual_years = residual_years;
    m
}

#[test]
fn the_choice_prices_a_portfolio_as_its_business_case_does_on_the_same_basis() {
    // With capital counted as spent (upfront), the present spend the choice gives building
    // nothing, less the one it gives the unit, is the business case's present value with
    // its residual value: savings 0, 0, £70,000 in cash, £100,000 spent in 2026/27, 3
    // residual years: −100,000/1.0557 + 70,000/1.0557² × (1 + 1/1.035 + 1/1.035² +
    // 1/1.035³ = 3.801637) = −94,723.88 + 238,774.33 = £144,050.45. The choice's present
    // cost adds the policy weights (out of the borough, unmet), which are not money, to this
    // spend: they differ between the two by exactly those weights.
    let by_hand: f64 = -100_000.0 / 1.0557 + 70_000.0 / (1.0557 * 1.0557) * 3.801_637;
    assert!((by_hand - 144_050.45).abs() < 0.01, "{by_hand}");
    for capital in [CapitalMethod::Upfront, CapitalMethod::Annualised] {
        let m = two_place_unit(capital, 3);
        let appraiser = Appraiser::build(std::slice::from_ref(&m));
        for solver in Solver::available() {
            let fixed = |k| Choice { fixed: Some(Portfolio(vec![k])), ..Choice::default() };
            let built = appraiser.choose(&fixed(1), solver).unwrap();
            let nothing = appraiser.choose(&fixed(0), solver).unwrap();
            let choice_gain = nothing.present_spend[0].0 - built.present_spend[0].0;
            let baseline = crate::planning::business_case::plan_years(&m, &Portfolio(vec![0]), solver).unwrap();
            let case =
                crate::planning::business_case::business_case(&m, &baseline, &Portfolio(vec![1]), solver).unwrap();
            assert!(close(case.with_residual().0, by_hand), "{solver}: {}", case.with_residual());
            match capital {
                CapitalMethod::Upfront => assert!(close(choice_gain, by_hand), "{solver}: {choice_gain} {by_hand}"),
                // Annualised, the choice charges the capital's equivalent annual cost in the
                // years the unit is open (2027/28 and the 3 residual years) in place of the
                // capital as spent: the only difference.
                CapitalMethod::Annualised => {
                    let years = [SchoolYear(2025), SchoolYear(2026), SchoolYear(2027)];
                    let charge = super::program::capital_charge(&m, &Portfolio(vec![1]), &years).0;
                    // £100,000 spent in 2026/27 is 100,000/1.02 at 2025/26 prices; its
                    // annual cost at 3.5% over 40 years, in 2027/28 and 3 years after, at
                    // 3.5% real.
                    let eac = eac(100_000.0 / 1.02);
                    assert!(close(charge, eac / (1.035 * 1.035) * 3.801_637), "{charge}");
                    assert!(close(choice_gain, by_hand + 100_000.0 / 1.0557 - charge), "{solver}: {choice_gain}");
                }
            }
        }
    }
}

#[test]
fn a_year_placed_from_the_last_portfolios_tree_is_placed_as_solved_cold() {
    // Random authorities with schemes of several modules: every year placed under every
    // portfolio in turn (each from the tree the one before left, forwards then backwards),
    // against the same year solved cold with those modules: the same cost and the same
    // plan (the tie-break leaves one).
    for seed in [3, 7, 11, 19] {
        let model = random_instance(seed, 4, true);
        let appraiser = Appraiser::build(std::slice::from_ref(&model));
        let weights = appraiser.expected_weights();
        let mut order = every_portfolio(&model);
        let back: Vec<Portfolio> = order.iter().rev().cloned().collect();
        order.extend(back);
        let most: Vec<u32> = model.schemes.iter().map(|s| s.max_modules).collect();
        for (block, w) in appraiser.futures[0].years.iter().zip(&weights) {
            let w = w.expect("every year weighed");
            let f = &block.formulation;
            let objective = super::cuts::block_objective(block, w);
            let mut warm = flow::WarmYear::build(&block.model, f, &most, &objective, f.tie_break()).expect("a network");
            for p in &order {
                let warm = warm.place(&p.0).expect("placed");
                let cold = flow::solve_with_modules(
                    &block.model,
                    f,
                    &p.0,
                    std::slice::from_ref(&objective),
                    Some(f.tie_break()),
                )
                .expect("a network")
                .expect("solved");
                let cost = |v: &[f64]| objective.iter().zip(v).map(|(o, v)| o * v).sum::<f64>();
                assert!(close(cost(&warm.values), cost(&cold.values)), "seed {seed}, {p:?}");
                for (a, b) in warm.values.iter().zip(&cold.values) {
                    assert!((a - b).abs() <= 1e-9, "seed {seed}, {p:?}: {a} against {b}");
                }
            }
        }
    }
}
