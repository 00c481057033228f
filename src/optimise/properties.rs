//! Properties every answer must have, checked on random models with the independent market
//! open (so no child is ever unmet): more need never costs less; more places never cost
//! more; closing a setting never saves money; the marginal value of a place is finite and
//! no more than the dearest market place and its transport; a scheme's saving is the
//! difference of two independent solves; and children staying where the rules would not
//! place them today stay, new children follow the rules, and the optimum is that of the model
//! with them taken out, plus their own cost by hand.

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
            let r = crate::optimise::run::run(model.clone(), s).unwrap_or_else(|e| panic!("{s}: {e}"));
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
            let r = crate::optimise::run::run(m.clone(), solver).unwrap();
            r.plan.summary(&r.model).annual_cost().0
        };
        let saving = spend(&base) - (spend(&by_hand) + fixed);
        let got = case.years[0].saving().0;
        assert!((got - saving).abs() < 1e-6 * saving.abs().max(1.0), "seed {seed} {solver}: {got} vs {saving}");
        assert!(case.years[0].capital.0 == 500_000.0);
    }
}

/// A random model whose children staying are mostly where today's rules would not place
/// them: [`random_model`] with journey limits that bite (primary 8 to 17 minutes, secondary
/// 10 to 19, so the market's day places, 30 and 40 minutes away, are beyond them too), maybe a
/// cap of places for one need at one setting, and at each demand row some children staying at
/// a setting the rules refuse them (too far, or not designated for the need, phase or
/// provision) where there is one, and sometimes some at one the rules allow. Children staying
/// never exceed their row's forecast nor a setting's places (in all or for the need), as the
/// horizon makes sure. Returns the model and how many of its stays the rules refuse.
fn staying_beyond_the_rules(seed: u64) -> (Model, usize) {
    use crate::model::{NeedTerms, SettingIx, Staying};
    let mut model = random_model(seed);
    let mut g = Lcg(seed * 7 + 3);
    model.phases[1].max_journey_minutes = 8.0 + g.next(10) as f64;
    model.phases[2].max_journey_minutes = 10.0 + g.next(10) as f64;
    assert_eq!((model.phases[1].code.as_str(), model.phases[2].code.as_str()), ("primary", "secondary"));
    if g.next(2) == 0 {
        let s = g.next(4) as usize;
        let need =
            crate::model::Need(if g.next(2) == 0 { 0 } else { model.needs.iter().position(|n| n == "SEMH").unwrap() });
        model.settings[s].need_terms.push(NeedTerms {
            need,
            places: Some(1.0 + g.next(2) as f64),
            cost_per_place: None,
        });
    }
    let mut room: Vec<f64> = model.settings.iter().map(|s| s.places).collect();
    let mut refused = 0;
    for r in 0..model.demand.len() {
        let mut left = model.demand[r].children;
        let start = g.next(4) as usize;
        let order: Vec<usize> = (0..4).map(|k| (start + k) % 4).collect();
        let first_refused = order.iter().copied().find(|&s| !allowed(&model, r, SettingIx(s)));
        let first_allowed = order.iter().copied().find(|&s| allowed(&model, r, SettingIx(s)));
        let also_allowed = g.next(3) == 0;
        for (s, is_refused) in [(first_refused, true), (first_allowed.filter(|_| also_allowed), false)] {
            let Some(s) = s else { continue };
            let need = model.demand[r].need;
            let setting = &model.settings[s];
            let need_room =
                setting.need_terms.iter().find(|t| t.need == need).and_then(|t| t.places).map_or(f64::INFINITY, |p| {
                    p - model
                        .staying
                        .iter()
                        .filter(|st| st.setting.0 == s && model.demand[st.demand].need == need)
                        .map(|st| st.children)
                        .sum::<f64>()
                });
            let most = left.min(room[s]).min(need_room);
            let children = most * (1 + g.next(4)) as f64 / 4.0;
            if children > 0.0 {
                model.staying.push(Staying { demand: r, setting: SettingIx(s), children });
                room[s] -= children;
                left -= children;
                refused += usize::from(is_refused);
            }
        }
    }
    (model, refused)
}

/// Journey from demand row `r`'s locality to setting `s`, worked out here: the great-circle
/// distance (haversine, the Earth's mean radius 6,371.0088 km) × circuity at the average
/// speed; a market step's own journey.
fn journey_by_hand(model: &Model, r: usize, s: crate::model::SettingIx) -> crate::model::Journey {
    let setting = model.setting(s);
    if let Some(m) = setting.market {
        return m.journey;
    }
    let (a, b) = (model.locality(model.demand[r].locality).position, setting.position);
    let (lat1, lat2) = (a.y().to_radians(), b.y().to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((b.x() - a.x()).to_radians() / 2.0).sin().powi(2);
    let km = 2.0 * 6_371.008_8 * h.sqrt().asin() * model.transport.circuity;
    crate::model::Journey { minutes: km / model.transport.average_speed_kmh * 60.0, km }
}

/// Whether today's rules let a new child of demand row `r` be placed at `s`, worked out here:
/// the setting serves the need, phase and provision, has places (for the need too, where it
/// caps them), and the journey is within the phase's limit (or it is a residential place).
fn allowed(model: &Model, r: usize, s: crate::model::SettingIx) -> bool {
    let d = &model.demand[r];
    let setting = model.setting(s);
    let residential = setting.market.is_some_and(|m| m.residence != Residence::Day);
    let need_places = setting.need_terms.iter().find(|t| t.need == d.need).and_then(|t| t.places);
    setting.needs.contains(d.need.0)
        && setting.phases.contains(d.phase.0)
        && setting.kind.provision() >= d.provision
        && setting.places > 0.0
        && need_places != Some(0.0)
        && (residential || journey_by_hand(model, r, s).minutes <= model.phases[d.phase.0].max_journey_minutes)
}

/// The stages' optima for `model` by a route independent of how children staying are
/// modelled: the children staying taken out of the forecast and of the places (in all and
/// for their need), the rest solved by `solver` with no one staying, and the children
/// staying added back at their own cost worked out by hand (place, transport over the
/// journey by hand, out-of-borough weight), one figure per stage of the model's mode. No arc
/// of the program solved here is kept only for children staying, so none has an upper bound.
fn optimum_staying_taken_out(model: &Model, solver: Solver) -> Vec<f64> {
    use crate::optimise::formulation::Aim;
    let mut rest = model.clone();
    rest.staying.clear();
    let (mut out_of_borough, mut cost, mut weight) = (0.0, 0.0, 0.0);
    for st in &model.staying {
        let d = &model.demand[st.demand];
        rest.demand[st.demand].children -= st.children;
        let setting = &mut rest.settings[st.setting.0];
        setting.places -= st.children;
        for t in setting.need_terms.iter_mut().filter(|t| t.need == d.need) {
            t.places = t.places.map(|p| p - st.children);
        }
        let setting = model.setting(st.setting);
        let fee = setting
            .need_terms
            .iter()
            .find(|t| t.need == d.need)
            .and_then(|t| t.cost_per_place)
            .unwrap_or(setting.cost_per_place);
        let j = journey_by_hand(model, st.demand, st.setting);
        let t = &model.transport;
        let transport = t.fixed_per_child.0
            + (t.cost_per_km.0 * j.km + t.cost_per_minute.0 * j.minutes) * t.journeys_per_day * t.school_days;
        cost += st.children * (fee.0 + transport);
        if !setting.in_borough {
            out_of_borough += st.children;
            weight += st.children * model.policy.out_of_borough_weight.0;
        }
    }
    let r = crate::optimise::run::run(rest, solver).unwrap_or_else(|e| panic!("{solver}, no one staying: {e}"));
    r.plan
        .stages
        .iter()
        .map(|stage| {
            stage.value
                + match stage.aim {
                    Aim::Weighted => cost + weight,
                    // Children staying are placed.
                    Aim::Unmet => 0.0,
                    Aim::OutOfBorough => out_of_borough,
                    Aim::Cost => cost,
                    Aim::TieBreak => unreachable!("not a stage"),
                }
        })
        .collect()
}

#[rstest]
fn children_staying_where_the_rules_would_not_place_them_stay_and_new_children_follow_the_rules(
    #[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)] seed: u64,
    #[values(false, true)] lexicographic: bool,
) {
    use crate::optimise::checking::check_plan;
    use crate::optimise::plan::Plan;
    use crate::optimise::solve::{Method, optimise_by};
    let (mut model, refused) = staying_beyond_the_rules(seed);
    assert!(refused >= 1, "seed {seed}: no child stays where the rules would not place them");
    if lexicographic {
        model.policy.objective = crate::model::ObjectiveMode::Lexicographic;
    }
    let journeys = JourneyTable::build(&model);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0) + 1e-5;
    // Each stage's optimum, every child staying, new children only where the rules allow:
    // the plan of each way of solving the program, checked independently.
    let sound = |plan: &Plan, how: &str, reference: &[f64]| {
        let wrong = check_plan(&model, &journeys, plan);
        assert!(wrong.is_empty(), "seed {seed} {how}: {wrong:?}");
        for p in &plan.placements {
            if p.children - p.staying > 1e-6 {
                assert!(
                    allowed(&model, p.demand, p.setting),
                    "seed {seed} {how}: new children at {}",
                    model.setting(p.setting).id
                );
            }
        }
        for st in &model.staying {
            let at: f64 = plan
                .placements
                .iter()
                .filter(|p| p.demand == st.demand && p.setting == st.setting)
                .map(|p| p.children)
                .sum();
            let room_for_new = allowed(&model, st.demand, st.setting);
            assert!(
                at >= st.children - 1e-6 && (room_for_new || at <= st.children + 1e-6),
                "seed {seed} {how}: {at} at a stay of {}",
                st.children
            );
        }
        assert_eq!(plan.stages.len(), reference.len());
        for (stage, r) in plan.stages.iter().zip(reference) {
            assert!(close(stage.value, *r), "seed {seed} {how}: {:?} {} against {r} by hand", stage.aim, stage.value);
        }
    };
    // The reference by the LP solver, against which the network simplex and the LP solvers
    // (each whole, and pricing arcs in) are held.
    let reference = optimum_staying_taken_out(&model, Solver::Network.lp());
    for solver in Solver::available() {
        let run =
            crate::optimise::run::run(model.clone(), solver).unwrap_or_else(|e| panic!("seed {seed} {solver}: {e}"));
        assert_eq!(run.solved.solver, solver, "seed {seed}: solved by the solver asked for");
        sound(&run.plan, solver.name(), &reference);
        // Pricing arcs in, by the network simplex and by the LP solver.
        let f = &run.formulation;
        if solver == Solver::Network {
            let mut aims: Vec<Vec<f64>> = run.plan.stages.iter().map(|s| f.objective(s.aim)).collect();
            for (c, t) in aims.last_mut().unwrap().iter_mut().zip(f.tie_break()) {
                *c += t;
            }
            let flow =
                crate::optimise::flow::solve_by(&model, f, None, &aims, Some(f.tie_break()), true).unwrap().unwrap();
            let stages = run
                .plan
                .stages
                .iter()
                .map(|s| crate::optimise::solve::Stage {
                    aim: s.aim,
                    value: f.objective(s.aim).iter().zip(&flow.values).map(|(c, v)| c * v).sum(),
                })
                .collect();
            sound(&Plan::from_values(f, &flow.values, stages, "network, priced"), "network, priced", &reference);
        } else {
            let priced = optimise_by(&model, f, solver, Method::Priced).unwrap();
            sound(&Plan::from_solved(f, &priced), &format!("{solver}, priced"), &reference);
        }
    }
}
