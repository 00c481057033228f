//! Pricing arcs in: solving a large placement program exactly without handing every arc to
//! the solver.
//!
//! Most arcs of a large model are never used: a child goes to one of the few cheapest
//! settings that have room. So the program is first solved with only the cheapest few arcs
//! of each demand row (and every column that is not an arc, such as unmet need, and every arc
//! with children already placed on it). The row duals of that restricted program price every
//! arc left out: its reduced cost is its cost less what its rows are worth at the margin. Any
//! arc with a negative reduced cost could lower the total, so those arcs are added and the
//! program solved again, until no arc left out has a negative reduced cost. At that point
//! the restricted answer satisfies the optimality conditions of the whole program: it is the
//! full model's optimum (to the solver's tolerance), not an approximation.
//!
//! The restricted program is held by a warm solver backend ([`backend::open_warm`]): HiGHS
//! keeps its model and basis between rounds, microlp solves each round afresh.

use std::ops::Range;

use crate::optimise::backend::{self, ColumnIndex, SolveError, SolveTime, Solver};
use crate::optimise::program::LinearProgram;

/// How pricing went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pricing {
    /// Solves of the restricted program.
    pub rounds: usize,
    /// Columns in the last restricted program (of all the program's columns).
    pub columns_used: usize,
}

/// Arcs of a demand row first given to the solver (beside those of a greedy plan), and the
/// most added to a row each round. One is quickest on the region benchmark (27 s in the
/// solver, against 35 s with two, 46 s with three and 63 s with six).
pub const ARCS_PER_ROW: usize = 1;

/// A reduced cost below `-REDUCED_COST_TOLERANCE × (1 + |cost|)` prices an arc in: the
/// solver's own optimality tolerance is of this order.
pub const REDUCED_COST_TOLERANCE: f64 = 1e-7;

/// Solves `program` by pricing in the columns of `groups` (each a range of candidate
/// columns, an arc group per demand row). Columns outside every group, and candidates with a
/// lower bound above 0, are always in. `active` says which columns the solver is given; if
/// empty, it starts with those and the [`ARCS_PER_ROW`] cheapest of each group. Columns
/// priced in are added to it. Returns a value per column of `program`.
///
/// # Errors
/// If the solver fails.
///
/// # Panics
/// If the program has integer columns (pricing is for linear programs).
pub fn solve_priced(
    program: &LinearProgram,
    groups: &[Range<usize>],
    solver: Solver,
    active: &mut Vec<bool>,
) -> Result<(Vec<f64>, SolveTime, Pricing), SolveError> {
    assert!(!program.integer.iter().any(|i| *i), "pricing needs a linear program");
    let n = program.columns.len();
    let per_row = ARCS_PER_ROW;
    let by_column = ColumnIndex::new(program);
    if active.len() != n {
        *active = vec![true; n];
        for group in groups {
            for c in group.clone() {
                active[c] = program.lower[c] > 0.0;
            }
            for c in cheapest(group.clone(), per_row, |c| program.objective[c]) {
                active[c] = true;
            }
        }
        for c in greedy_fill(program, groups, &by_column) {
            active[c] = true;
        }
    }
    let mut pricing = Pricing::default();
    let mut backend = backend::open_warm(solver, program, active);
    let told = crate::observe::counting(crate::observe::Loop::PricingRound);
    loop {
        told.round(pricing.rounds + 1);
        backend.solve()?;
        let y = backend.row_prices()?;
        pricing.rounds += 1;
        pricing.columns_used = active.iter().filter(|a| **a).count();
        let reduced = |c: usize| program.objective[c] - by_column.column(c).map(|&(r, a)| a * y[r]).sum::<f64>();
        let mut added = Vec::new();
        for group in groups {
            let priced: Vec<usize> = group
                .clone()
                .filter(|&c| !active[c] && reduced(c) < -REDUCED_COST_TOLERANCE * (1.0 + program.objective[c].abs()))
                .collect();
            added.extend(cheapest(priced.iter().copied(), per_row, reduced));
        }
        if added.is_empty() {
            return Ok((backend.values().to_vec(), backend.time(), pricing));
        }
        for &c in &added {
            active[c] = true;
        }
        backend.add_columns(&added);
    }
}

/// The candidate columns a greedy plan uses: cheapest first, each filled as far as its rows
/// have room (rows with a positive coefficient: demand to place, places to fill). Starting
/// with these columns, the first restricted program already holds a plan near the optimum,
/// so few arcs need pricing in.
fn greedy_fill(program: &LinearProgram, groups: &[Range<usize>], by_column: &ColumnIndex) -> Vec<usize> {
    let mut room: Vec<f64> = program.rows.iter().map(|r| r.rhs).collect();
    let mut order: Vec<usize> = groups.iter().flat_map(Clone::clone).collect();
    order.sort_by(|&a, &b| program.objective[a].total_cmp(&program.objective[b]).then(a.cmp(&b)));
    let mut used = Vec::new();
    for c in order {
        let amount =
            by_column.column(c).filter(|(_, a)| *a > 0.0).map(|&(r, a)| room[r] / a).fold(f64::INFINITY, f64::min);
        if amount > 1e-9 && amount.is_finite() {
            for &(r, a) in by_column.column(c) {
                room[r] -= a * amount;
            }
            used.push(c);
        }
    }
    used
}

/// The `k` columns of `candidates` with the lowest `key`.
fn cheapest(candidates: impl IntoIterator<Item = usize>, k: usize, key: impl Fn(usize) -> f64) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> = candidates.into_iter().map(|c| (key(c), c)).collect();
    if keyed.len() > k {
        keyed.select_nth_unstable_by(k, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        keyed.truncate(k);
    }
    keyed.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use crate::model::{ObjectiveMode, Staying};
    use crate::optimise::formulation::Formulation;
    use crate::optimise::program::{LinearProgram, Row, Sense};
    use crate::optimise::solve::{Method, optimise_by};
    use crate::tools::generate::Spec;
    use crate::travel::JourneyTable;

    #[test]
    fn duals_price_the_rows_of_a_small_program() {
        // min 2a + 3b  s.t.  a + b = 4, a <= 1: one more child costs 3 (the dear column), one
        // more place at a saves 1. Solved by the route pricing takes.
        let mut lp = LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        lp.rows.push(Row { name: "d".into(), terms: vec![(a, 1.0), (b, 1.0)], sense: Sense::Equal, rhs: 4.0 });
        lp.rows.push(Row { name: "c".into(), terms: vec![(a, 1.0)], sense: Sense::AtMost, rhs: 1.0 });
        for solver in crate::testing::lp_solvers() {
            let mut backend = crate::optimise::backend::open_warm(solver, &lp, &[true, true]);
            backend.solve().unwrap();
            let (x, y) = (backend.values().to_vec(), backend.row_prices().unwrap());
            assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 3.0).abs() < 1e-7, "{solver}: {x:?}");
            assert!((y[0] - 3.0).abs() < 1e-7 && (y[1] + 1.0).abs() < 1e-7, "{solver}: {y:?}");
        }
    }

    #[test]
    fn pricing_adds_an_arc_to_an_at_least_row_and_an_empty_row() {
        // min 2a + 3b + 1.5c  s.t.  a + b + c >= 4 (d), a <= 1, c <= 2 (e), starting with c
        // left out, so e has nothing in it: a = 1, b = 3 with d priced at 3, so c's reduced
        // cost is 1.5 - 3 < 0 and it is priced in; then c = 2, a = 1, b = 1, the optimum 8.
        let mut lp = LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        let c = lp.add_column("c".into(), 1.5);
        let row = |name: &str, terms, sense, rhs| Row { name: name.into(), terms, sense, rhs };
        lp.rows.push(row("d", vec![(a, 1.0), (b, 1.0), (c, 1.0)], Sense::AtLeast, 4.0));
        lp.rows.push(row("f", vec![(a, 1.0)], Sense::AtMost, 1.0));
        lp.rows.push(row("e", vec![(c, 1.0)], Sense::AtMost, 2.0));
        for solver in crate::testing::lp_solvers() {
            let mut active = vec![true, true, false];
            let (x, _, p) = super::solve_priced(&lp, std::slice::from_ref(&(0..3)), solver, &mut active).unwrap();
            assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 1.0).abs() < 1e-7 && (x[2] - 2.0).abs() < 1e-7, "{x:?}");
            assert!((lp.value_of(&x) - 8.0).abs() < 1e-6, "{solver}: {x:?}");
            assert_eq!((p.rounds, p.columns_used, active), (2, 3, vec![true; 3]), "{solver}");
        }
    }

    /// A generated model with places scarce enough that rows compete for them.
    fn crowded(seed: u64, lexicographic: bool, staying: bool) -> crate::model::Model {
        let mut model = crate::testing::generated(&Spec { localities: 16, settings: 24, years: 1, seed });
        for s in &mut model.settings {
            s.places = (s.places / 6.0).round().max(1.0);
        }
        if lexicographic {
            model.policy.objective = ObjectiveMode::Lexicographic;
        }
        if staying {
            // Children already placed at a far-off setting that serves them: the arc's lower
            // bound, which pricing must keep in from the start.
            let journeys = JourneyTable::build(&model);
            let f = Formulation::build(&model, &journeys);
            for arc in f.arcs.iter().step_by(97).take(5) {
                model.staying.push(Staying { demand: arc.demand, setting: arc.setting, children: 0.1 });
            }
        }
        model
    }

    // Seeds whose crowded model needs arcs priced in under both objectives (the test checks
    // that it does: with ChaCha8's models, seeds 1, 2 and 6 place everyone from the first arcs
    // under the weighted objective).
    #[rstest]
    fn pricing_reaches_the_whole_programs_optimum(
        #[values(3, 4, 5)] seed: u64,
        #[values(false, true)] lexicographic: bool,
        #[values(false, true)] staying: bool,
    ) {
        let model = crowded(seed, lexicographic, staying);
        let journeys = JourneyTable::build(&model);
        let f = Formulation::build(&model, &journeys);
        for solver in crate::testing::lp_solvers() {
            let whole = optimise_by(&model, &f, solver, Method::Whole).unwrap();
            let priced = optimise_by(&model, &f, solver, Method::Priced).unwrap();
            let p = priced.pricing.unwrap();
            assert!(p.rounds > 1, "{solver}: pricing added no arc, so this test would prove nothing");
            assert!(p.columns_used < f.program.columns.len(), "{solver}: every column was used");
            for (w, q) in whole.stages.iter().zip(&priced.stages) {
                assert!((w.value - q.value).abs() <= 1e-6 * (1.0 + w.value.abs()), "{solver}: {w:?} vs {q:?}");
            }
            // The priced answer satisfies every row and bound of the whole program.
            let x = &priced.values;
            for row in &f.program.rows {
                let lhs: f64 = row.terms.iter().map(|&(c, a)| a * x[c]).sum();
                let ok = match row.sense {
                    Sense::AtMost => lhs <= row.rhs + 1e-6,
                    Sense::Equal => (lhs - row.rhs).abs() <= 1e-6,
                    Sense::AtLeast => lhs >= row.rhs - 1e-6,
                };
                assert!(ok, "{solver}: row {} has {lhs} against {}", row.name, row.rhs);
            }
            assert!(x.iter().zip(&f.program.lower).all(|(v, l)| *v >= l - 1e-9));
            let plan = crate::optimise::plan::Plan::from_solved(&f, &priced);
            assert_eq!(crate::optimise::checking::check_plan(&model, &journeys, &plan), Vec::<String>::new());
        }
    }
}
