use rstest::rstest;

use super::*;
use crate::model::{NeedTerms, SettingIx, Staying};
use crate::optimise::properties::random_model;
use crate::optimise::solve::{Solver, optimise};
use crate::travel::JourneyTable;

/// A random model with every feature a yearly plan has: provision tiers, market steps
/// (limited and not, day and residential), a per-need cap, children who stay.
fn everything(seed: u64) -> Model {
    let mut model = random_model(seed);
    let asd = crate::model::Need(0);
    model.settings[0].need_terms.push(NeedTerms { need: asd, places: Some(1.0), cost_per_place: None });
    let s = SettingIx((seed % 4) as usize);
    if model.settings[s.0].places >= 1.0 {
        model.staying.push(Staying { demand: 0, setting: s, children: 0.5 });
    }
    model
}

/// `model` with every count of children and places times `k`: its optimum is `k` times
/// the model's (the program is linear and homogeneous in them).
fn scaled(mut model: Model, k: f64) -> Model {
    for d in &mut model.demand {
        d.children *= k;
    }
    for s in &mut model.settings {
        s.places *= k;
        for t in &mut s.need_terms {
            t.places = t.places.map(|p| p * k);
        }
    }
    for s in &mut model.staying {
        s.children *= k;
    }
    model
}

#[rstest]
fn children_at_the_loaders_bound_are_solved_exactly_by_the_network_simplex(#[values(1, 2, 3, 4)] seed: u64) {
    // Scaled up to 100 million children in all (the loader's bound on a year's demand),
    // the network simplex still takes the program, and its optimum is the small model's
    // times the scale exactly (children are whole billionths either way; the costs'
    // scale depends on the costs alone), and the LP backend's to its tolerance.
    let small = everything(seed);
    let total: f64 = small.demand.iter().map(|d| d.children).sum();
    let k = (100_000_000.0 / total).floor();
    let big = scaled(small.clone(), k);
    let (fs, fb) = (
        Formulation::build(&small, &JourneyTable::build(&small)),
        Formulation::build(&big, &JourneyTable::build(&big)),
    );
    let a = optimise(&small, &fs, Solver::Network).unwrap();
    let b = optimise(&big, &fb, Solver::Network).unwrap();
    assert_eq!((a.solver, b.solver), (Solver::Network, Solver::Network));
    let (a, b) = (a.stages[0].value, b.stages[0].value);
    assert!((b - k * a).abs() <= 1e-12 * b, "seed {seed}: {b} vs {k} × {a}");
    let lp = optimise(&big, &fb, Solver::Network.lp()).unwrap().stages[0].value;
    assert!((b - lp).abs() <= 1e-7 * b, "seed {seed}: network {b} vs LP {lp}");
}

#[test]
fn children_beyond_the_simplexs_integers_go_to_the_lp_not_a_wrapped_sum() {
    // 4 × 3 billion children, 1.2 × 10¹⁹ billionths: beyond i64, where the supplies'
    // sum wrapped (a debug build panicked; a release build refused a "bad network").
    // Past the loader's bounds, so only a caller of the library can build it: it is no
    // network, and the LP backend solves it, at the small model's optimum times the scale.
    let small = everything(1);
    let total: f64 = small.demand.iter().map(|d| d.children).sum();
    let k = (12e9 / total).ceil();
    let big = scaled(small.clone(), k);
    let f = Formulation::build(&big, &JourneyTable::build(&big));
    assert!(f.is_network());
    assert!(layout(&big, &f, None).is_none(), "beyond the simplex's bounds");
    let solved = optimise(&big, &f, Solver::Network).unwrap();
    assert_ne!(solved.solver, Solver::Network);
    let fs = Formulation::build(&small, &JourneyTable::build(&small));
    let a = optimise(&small, &fs, Solver::Network).unwrap().stages[0].value;
    let b = solved.stages[0].value;
    assert!((b - k * a).abs() <= 1e-7 * b, "{b} vs {k} × {a}");
}

#[rstest]
fn the_network_simplex_reaches_the_linear_programs_optimum(
    #[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)] seed: u64,
) {
    let model = everything(seed);
    let f = Formulation::build(&model, &JourneyTable::build(&model));
    assert!(f.is_network());
    let net = optimise(&model, &f, Solver::Network).unwrap();
    assert_eq!(net.solver, Solver::Network, "solved as a network");
    let lp = optimise(&model, &f, Solver::Network.lp()).unwrap();
    let (a, b) = (net.stages[0].value, lp.stages[0].value);
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "seed {seed}: network {a} vs {} {b}", lp.solver);
    // The flow meets every row of the program.
    let p = &f.program;
    for row in &p.rows {
        let lhs: f64 = row.terms.iter().map(|&(c, v)| v * net.values[c]).sum();
        assert!(row.sense.holds(lhs, row.rhs, 1e-6), "seed {seed}: {} {lhs} vs {}", row.name, row.rhs);
    }
    for (c, v) in net.values.iter().enumerate() {
        assert!(*v >= p.lower[c] - 1e-6, "seed {seed}: column {c} below its bound");
    }
}

#[rstest]
fn lexicographic_aims_in_exact_stages_reach_the_linear_programs_optima(
    #[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)] seed: u64,
) {
    // Fewest unmet, then fewest out of borough, then least cost: the network's exact
    // stages and the LP's stages (each optimum kept as a row with a slack of 10⁻⁷) agree.
    // The markets are closed, and settings scarce, so that unmet need and the
    // out-of-borough stage both bite.
    let mut model = everything(seed);
    model.settings.retain(|s| s.market.is_none());
    for d in &mut model.demand {
        d.children += 2.0;
    }
    model.policy.objective = crate::model::ObjectiveMode::Lexicographic;
    let f = Formulation::build(&model, &JourneyTable::build(&model));
    let net = optimise(&model, &f, Solver::Network).unwrap();
    assert_eq!(net.solver, Solver::Network);
    let lp = optimise(&model, &f, Solver::Network.lp()).unwrap();
    assert_eq!(net.stages.len(), 3);
    // The first stage exactly (the network's is the true optimum, the LP's within its
    // tolerance); the later ones within what the LP's slack of 10⁻⁷ on each earlier optimum
    // lets it gain (a few millionths of a child on these models).
    assert!(net.stages[0].value <= lp.stages[0].value + 1e-7, "seed {seed}: {:?}", net.stages);
    for (a, b) in net.stages.iter().zip(&lp.stages) {
        assert_eq!(a.aim, b.aim);
        assert!((a.value - b.value).abs() <= 1e-5 * b.value.abs().max(1.0), "seed {seed}: {a:?} vs {b:?}");
    }
    let p = &f.program;
    for row in &p.rows {
        let lhs: f64 = row.terms.iter().map(|&(c, v)| v * net.values[c]).sum();
        assert!(row.sense.holds(lhs, row.rhs, 1e-6), "seed {seed}: {}", row.name);
    }
}

#[rstest]
fn node_potentials_are_the_row_prices_of_an_optimality_certificate(
    #[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)] seed: u64,
) {
    // With the potentials as duals, no column has a negative reduced cost (none could
    // lower the cost), places rows are priced at most 0, and the dual objective equals
    // the optimum (strong duality): the flow is optimal, certified.
    let model = everything(seed);
    let f = Formulation::build(&model, &JourneyTable::build(&model));
    let mut objective = f.program.objective.clone();
    for (c, t) in objective.iter_mut().zip(f.tie_break()) {
        *c += t;
    }
    // With the tie-break stage after: the prices are still those of the weighted aim.
    let s = solve(&model, &f, std::slice::from_ref(&objective), Some(f.tie_break())).expect("a network").unwrap();
    let p = &f.program;
    let mut by_column = vec![0.0; p.columns.len()];
    for (i, row) in p.rows.iter().enumerate() {
        for &(c, v) in &row.terms {
            by_column[c] += v * s.row_prices[i];
        }
    }
    for c in 0..p.columns.len() {
        // An arc kept only for children staying (where the setting does not take the row
        // today) is fixed at them: its reduced cost may have either sign.
        if p.upper[c].is_finite() {
            assert!(p.upper[c] == p.lower[c] && !f.arcs[c].takes_new, "seed {seed}: {}", p.columns[c]);
            continue;
        }
        let reduced = objective[c] - by_column[c];
        assert!(reduced >= -1e-3, "seed {seed}: column {} has reduced cost {reduced}", p.columns[c]);
    }
    let caps = f.places_row.iter().flatten().copied().chain(f.need_places_rows.iter().map(|r| r.row));
    for row in caps {
        assert!(row.of(&s.row_prices) <= 0.0, "seed {seed}: {} priced above 0", p.rows[row.0].name);
    }
    let primal: f64 = objective.iter().zip(&s.values).map(|(c, v)| c * v).sum();
    let fixed: f64 = (0..p.columns.len()).map(|c| by_column[c] * p.lower[c]).sum::<f64>();
    let dual: f64 =
        p.rows.iter().zip(&s.row_prices).map(|(r, y)| r.rhs * y).sum::<f64>() + primal_at_bounds(p, &objective) - fixed;
    assert!((dual - primal).abs() <= 1e-6 * primal.abs().max(1.0) + 1e-3, "seed {seed}: dual {dual} vs {primal}");
}

#[test]
fn a_cap_whose_arc_is_below_it_is_priced_at_zero_not_at_its_reduced_cost() {
    // Four children, "near" (3 places, £20,000) and "far" (10, £60,000). Potentials in
    // which the far school's node sits £5 above the sink (as when the tree hangs it from
    // an empty arc) give its places arc a reduced cost of +5: its row is priced 0, not +5;
    // the near school's arc, at −£40,000, prices its row at that.
    let model = crate::testing::tiny_model();
    let f = Formulation::build(&model, &JourneyTable::build(&model));
    let lay = layout(&model, &f, None).expect("a network");
    let node = |row: crate::optimise::formulation::RowId| lay.row_nodes[row.0].1;
    let (near, far) = (f.places_row[0].unwrap(), f.places_row[1].unwrap());
    let demand = f.demand_row[0].unwrap();
    let mut potential = vec![0i64; lay.network.nodes];
    potential[lay.row_nodes[demand.0].0] = -60_000;
    potential[node(near)] = -40_000;
    potential[node(far)] = 5;
    let (_, prices) = lay.answer(&vec![0; lay.network.arcs.len()], &potential, 1.0);
    assert_eq!((demand.of(&prices), near.of(&prices), far.of(&prices)), (60_000.0, -40_000.0, 0.0));
}

#[rstest]
fn the_network_written_for_other_solvers_has_the_same_optimum(#[values(1, 2, 3, 4, 5, 6)] seed: u64) {
    // Written in DIMACS (thousandths of a child, pence), read back and solved: the
    // optimum is ours to within the rounding (a penny a child, and a thousandth of a child
    // at the dearest cost).
    let model = everything(seed);
    let f = Formulation::build(&model, &JourneyTable::build(&model));
    let objective = f.program.objective.clone();
    let text = dimacs(&model, &f, &objective, &["a test".into()]).expect("a network");
    assert!(text.starts_with("c a test\n"));
    let net = read_dimacs(&text).unwrap();
    // Children who stay are not in the network: their cost is fixed.
    let staying: f64 = objective.iter().zip(&f.program.lower).map(|(c, l)| c * l).sum();
    let theirs = crate::optimise::network::min_cost_flow(&net).unwrap().cost as f64 / 100.0 / 1000.0 + staying;
    let ours = solve(&model, &f, std::slice::from_ref(&objective), None).unwrap().unwrap();
    let ours: f64 = objective.iter().zip(&ours.values).map(|(c, v)| c * v).sum();
    let children: f64 = model.demand.iter().map(|d| d.children).sum();
    let dearest = objective.iter().fold(0.0f64, |m, c| m.max(c.abs()));
    let slack = 0.01 * children + 0.001 * dearest * net.nodes as f64;
    assert!((theirs - ours).abs() <= slack, "seed {seed}: {theirs} read back, {ours} ours (slack {slack})");
    assert!(read_dimacs("x 1 2").is_err());
}

#[test]
fn pricing_arcs_in_reaches_the_same_optimum() {
    // Generated models of 30 localities and 40 settings: each row has many arcs, so the
    // first network (1 a row) leaves most out, and pricing brings some back.
    let mut more_rounds = 0;
    for seed in 1..=8 {
        let spec = crate::tools::generate::Spec { localities: 30, settings: 40, years: 1, seed };
        let model = crate::testing::generated(&spec);
        let f = Formulation::build(&model, &JourneyTable::build(&model));
        assert!(f.arcs.len() > 4 * model.demand.len(), "seed {seed}: arcs enough to price");
        let mut objective = f.program.objective.clone();
        for (c, t) in objective.iter_mut().zip(f.tie_break()) {
            *c += t;
        }
        let aims = std::slice::from_ref(&objective);
        let whole = solve_by(&model, &f, None, aims, None, false).unwrap().unwrap();
        let priced = solve_by(&model, &f, None, aims, None, true).unwrap().unwrap();
        let cost = |v: &[f64]| objective.iter().zip(v).map(|(c, x)| c * x).sum::<f64>();
        let (a, b) = (cost(&priced.values), cost(&whole.values));
        assert!((a - b).abs() <= 1e-9 * b.abs(), "seed {seed}: priced {a} vs whole {b}");
        // With the tie-break stage, the one plan: the same column by column.
        let tie = Some(f.tie_break());
        let whole = solve_by(&model, &f, None, aims, tie, false).unwrap().unwrap();
        let priced = solve_by(&model, &f, None, aims, tie, true).unwrap().unwrap();
        for (c, (x, y)) in whole.values.iter().zip(&priced.values).enumerate() {
            assert!((x - y).abs() <= 1e-9, "seed {seed}: {} is {x} whole, {y} priced", f.program.columns[c]);
        }
        assert_eq!(whole.rounds, 1);
        more_rounds += usize::from(priced.rounds > 1);
    }
    assert!(more_rounds > 0, "pricing never had to add an arc");
}

/// Σ cost × lower bound: the cost of the children who stay, fixed in advance.
fn primal_at_bounds(p: &crate::optimise::program::LinearProgram, objective: &[f64]) -> f64 {
    objective.iter().zip(&p.lower).map(|(c, l)| c * l).sum()
}
