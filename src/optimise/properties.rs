//! Properties every answer must have, checked on random models with the independent market
//! open (so no child is ever unmet): more need never costs less; more places never cost
//! more; closing a setting never saves money; the marginal value of a place is finite and
//! no more than the dearest market place and its transport; and a scheme's saving is the
//! difference of two independent solves.

use rstest::rstest;

use crate::model::{Model, Money, Provision, Residence};
use crate::optimise::backend::open;
use crate::optimise::formulation::{Formulation, arc_cost};
use crate::optimise::solve::Solver;
use crate::testing::{Lcg, ModelBuilder};
use crate::travel::JourneyTable;

/// A random small model: two localities, four settings of random kinds, needs, phases,
/// places and costs, four demand rows, and a market for every need and phase: 2 day places
/// at £62,000, more at £75,000, and residential at £150,000 with £3,000 of transport.
pub(crate) fn random_model(seed: u64) -> Model {
    let mut g = Lcg(seed);
    let mut b = crate::testing::random_settings(&mut g);
    b = b
        .market_step("day-1", "all", "all", Some(2.0), 62_000.0, 30.0, Residence::Day, None)
        .market_step("day-2", "all", "all", None, 75_000.0, 40.0, Residence::Day, None)
        .market_step("res", "all", "all", None, 150_000.0, 120.0, Residence::Weeks38, Some(3_000.0));
    for (loc, need, phase) in
        [("a", "ASD", "primary"), ("b", "SEMH", "secondary"), ("a", "SEMH", "secondary"), ("b", "ASD", "primary")]
    {
        let provision = if g.next(2) == 0 { Provision::ResourcedProvision } else { Provision::SpecialSchool };
        b = b.demand(loc, need, phase, 1.0 + g.next(5) as f64, provision);
    }
    b.build()
}

/// The optimum (weighted cost: spend and the out-of-borough weight) with every solver,
/// checked to leave no child unmet, and the same whichever solver found it. A program the
/// network simplex cannot take goes to microlp, and microlp agreeing with itself would prove
/// nothing: so the solvers compared are those that solved, and they must be two at least.
fn optimum(model: &Model) -> Vec<f64> {
    let runs: Vec<(Solver, f64)> = Solver::available()
        .into_iter()
        .map(|s| {
            let r = crate::run(model.clone(), s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert!(r.plan.unmet.iter().all(|u| *u == 0.0), "{s}: a child unmet with the market open");
            (r.solved.solver, r.plan.stages[0].value)
        })
        .collect();
    let mut used: Vec<Solver> = runs.iter().map(|r| r.0).collect();
    used.dedup();
    assert!(used.len() >= 2, "the network simplex and microlp both solve these models: {used:?}");
    let (first, value) = runs[0];
    for &(s, v) in &runs[1..] {
        assert!((v - value).abs() <= tolerance(value), "{s} finds {v}, {first} {value}");
    }
    runs.into_iter().map(|r| r.1).collect()
}

fn tolerance(v: f64) -> f64 {
    1e-6 * v.abs().max(1.0)
}

#[rstest]
fn more_need_never_costs_less(#[values(1, 2, 3, 4, 5, 6, 7, 8)] seed: u64) {
    let model = random_model(seed);
    let before = optimum(&model);
    for r in 0..model.demand.len() {
        let mut more = model.clone();
        more.demand[r].children += 1.0;
        for (b, a) in before.iter().zip(optimum(&more)) {
            assert!(a >= b - tolerance(*b), "seed {seed}, row {r}: {a} < {b}");
            assert!(a > *b, "seed {seed}, row {r}: a child more costs nothing ({a})");
        }
    }
}

#[rstest]
fn more_places_never_cost_more_and_closing_a_setting_never_saves(#[values(1, 2, 3, 4, 5, 6, 7, 8)] seed: u64) {
    let model = random_model(seed);
    let before = optimum(&model);
    for s in 0..4 {
        let mut more = model.clone();
        more.settings[s].places += 1.0;
        let mut closed = model.clone();
        closed.settings[s].places = 0.0;
        for ((b, m), c) in before.iter().zip(optimum(&more)).zip(optimum(&closed)) {
            assert!(m <= b + tolerance(*b), "seed {seed}, setting {s}: a place more costs {m} > {b}");
            assert!(c >= b - tolerance(*b), "seed {seed}, setting {s}: closing it saves, {c} < {b}");
        }
    }
}

#[rstest]
fn a_place_is_worth_no_more_than_the_dearest_market_place(#[values(1, 2, 3, 4, 5, 6, 7, 8)] seed: u64) {
    let model = random_model(seed);
    let journeys = JourneyTable::build(&model);
    let f = Formulation::build(&model, &journeys);
    let w = model.policy.out_of_borough_weight;
    // The dearest way a child can be bought from the market: its price, transport and weight.
    let dearest = f
        .arcs
        .iter()
        .filter(|a| model.setting(a.setting).market.is_some())
        .map(|a| arc_cost(a, w).0)
        .fold(0.0, f64::max);
    assert!(dearest >= 150_000.0);
    for solver in crate::testing::lp_solvers() {
        let mut backend = open(solver, &f.program);
        backend.solve().unwrap();
        let prices = backend.row_prices().unwrap();
        for (s, row) in f.places_row.iter().enumerate() {
            let Some(row) = row else { continue };
            // One more place lowers the cost by −price: at least nothing, at most a child
            // moved off the dearest market place.
            let value = -row.of(&prices);
            assert!(value >= -1e-6 && value <= dearest + 1e-6, "seed {seed} {solver}: setting {s} worth {value}");
        }
        for row in f.demand_row.iter().flatten() {
            let price = row.of(&prices);
            assert!(price.is_finite() && price <= dearest + 1e-6, "seed {seed} {solver}: a child costs {price}");
        }
    }
}

#[rstest]
fn a_schemes_saving_is_the_difference_of_two_independent_solves(#[values(1, 2, 3, 4, 5, 6)] seed: u64) {
    use crate::planning::business_case::{business_case, plan_years};
    use crate::planning::schemes::Portfolio;
    let mut g = Lcg(seed + 100);
    let places = 1.0 + g.next(4) as f64;
    let cost = 15_000.0 + g.next(20) as f64 * 1_000.0;
    let base = random_model(seed);
    let mut model = base.clone();
    let mut with_scheme = ModelBuilder::from(base.clone())
        .scheme("unit", "maintained-special", (53.1, -2.1), 0, 500_000.0, cost, &[("all", "all", places)])
        .build();
    with_scheme.schemes[0].fixed_annual_cost = Money(20_000.0);
    model.schemes = with_scheme.schemes.clone();
    // By hand: the scheme as a setting of the settings table, priced at its top-up per child.
    let mut by_hand = base.clone();
    let mut unit = model.schemes[0].setting_per_child(&model.appraisal);
    unit.places = places;
    by_hand.settings.push(unit);
    let fixed = 20_000.0 + 10_000.0 * places;
    for solver in Solver::available() {
        let baseline = plan_years(&model, &Portfolio(vec![0]), solver).unwrap();
        let case = business_case(&model, &baseline, &Portfolio(vec![1]), solver).unwrap();
        let spend = |m: &Model| {
            let r = crate::run(m.clone(), solver).unwrap();
            r.plan.summary(&r.model).annual_cost().0
        };
        let saving = spend(&base) - (spend(&by_hand) + fixed);
        let got = case.years[0].saving().0;
        assert!((got - saving).abs() < 1e-6 * saving.abs().max(1.0), "seed {seed} {solver}: {got} vs {saving}");
        assert!(case.years[0].capital.0 == 500_000.0);
    }
}
