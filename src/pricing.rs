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

use std::ops::Range;

use crate::program::{LinearProgram, Row, Sense};
use crate::solve::{SolveError, SolveTime, Solver, solve_program_timed};

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
    let mut time = SolveTime::default();
    let mut pricing = Pricing::default();
    let mut master = Master::new(solver, program, active, &by_column, &mut time);
    loop {
        let (values, y) = master.solve(program, active, &mut time)?;
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
            return Ok((values, time, pricing));
        }
        for &c in &added {
            active[c] = true;
        }
        master.add(program, &added, &by_column, &mut time);
    }
}

/// The restricted program, as the solver holds it between rounds.
enum Master {
    /// Built afresh from the active columns each round (microlp).
    Afresh,
    /// Kept in HiGHS, columns added to it: each round starts from the last round's basis,
    /// so it takes a few simplex iterations, not a solve from scratch.
    #[cfg(feature = "highs")]
    Warm(warm::Warm),
}

// Without HiGHS, only the `Afresh` arm is compiled and some arguments go unused.
#[cfg_attr(not(feature = "highs"), allow(unused_variables))]
impl Master {
    fn new(
        solver: Solver,
        program: &LinearProgram,
        active: &[bool],
        by_column: &ColumnIndex,
        time: &mut SolveTime,
    ) -> Master {
        match solver {
            Solver::Microlp => Master::Afresh,
            #[cfg(feature = "highs")]
            Solver::Highs => Master::Warm(warm::Warm::new(program, active, by_column, time)),
        }
    }

    /// A value per column of the program (0 for columns not in) and a dual per row.
    fn solve(
        &mut self,
        program: &LinearProgram,
        active: &[bool],
        time: &mut SolveTime,
    ) -> Result<(Vec<f64>, Vec<f64>), SolveError> {
        match self {
            Master::Afresh => {
                let (sub, columns, rows) = restrict(program, active);
                let (x, y_sub) = by_dual_program(&sub, time)?;
                let mut y = vec![0.0; program.rows.len()];
                for (k, &r) in rows.iter().enumerate() {
                    y[r] = y_sub[k];
                }
                let mut values = vec![0.0; program.columns.len()];
                for (k, &c) in columns.iter().enumerate() {
                    values[c] = x[k];
                }
                Ok((values, y))
            }
            #[cfg(feature = "highs")]
            Master::Warm(w) => w.solve(program.columns.len(), time),
        }
    }

    fn add(&mut self, program: &LinearProgram, columns: &[usize], by_column: &ColumnIndex, time: &mut SolveTime) {
        match self {
            Master::Afresh => {}
            #[cfg(feature = "highs")]
            Master::Warm(w) => w.add(program, columns, by_column, time),
        }
    }
}

#[cfg(feature = "highs")]
mod warm {
    use std::time::Instant;

    use highs::{ColProblem, HighsModelStatus, Model, Row};

    use super::ColumnIndex;
    use crate::program::{LinearProgram, Sense};
    use crate::solve::{SolveError, SolveTime};

    /// The restricted program held in HiGHS.
    pub(super) struct Warm {
        model: Option<Model>,
        /// The last optimal basis (column and row statuses), to restart from.
        basis: Option<(Vec<highs_sys::HighsInt>, Vec<highs_sys::HighsInt>)>,
        rows: Vec<Row>,
        /// The program's column of each HiGHS column.
        columns: Vec<usize>,
    }

    impl Warm {
        pub(super) fn new(
            program: &LinearProgram,
            active: &[bool],
            by_column: &ColumnIndex,
            time: &mut SolveTime,
        ) -> Warm {
            let start = Instant::now();
            let mut problem = ColProblem::default();
            let rows: Vec<Row> = program
                .rows
                .iter()
                .map(|r| match r.sense {
                    Sense::AtMost => problem.add_row(..=r.rhs),
                    Sense::Equal => problem.add_row(r.rhs..=r.rhs),
                })
                .collect();
            let mut columns = Vec::new();
            for c in (0..program.columns.len()).filter(|&c| active[c]) {
                let factors: Vec<(Row, f64)> = by_column.column(c).map(|&(r, a)| (rows[r], a)).collect();
                if program.upper[c].is_finite() {
                    problem.add_column(program.objective[c], program.lower[c]..=program.upper[c], factors);
                } else {
                    problem.add_column(program.objective[c], program.lower[c].., factors);
                }
                columns.push(c);
            }
            let mut model = problem.optimise(highs::Sense::Minimise);
            model.make_quiet();
            model.set_option("presolve", "off");
            time.handing_over += start.elapsed().as_secs_f64();
            Warm { model: Some(model), basis: None, rows, columns }
        }

        pub(super) fn add(
            &mut self,
            program: &LinearProgram,
            add: &[usize],
            by_column: &ColumnIndex,
            time: &mut SolveTime,
        ) {
            let start = Instant::now();
            let model = self.model.as_mut().expect("the model is back after each solve");
            for &c in add {
                let factors: Vec<(Row, f64)> = by_column.column(c).map(|&(r, a)| (self.rows[r], a)).collect();
                if program.upper[c].is_finite() {
                    model.add_col(program.objective[c], program.lower[c]..=program.upper[c], factors);
                } else {
                    model.add_col(program.objective[c], program.lower[c].., factors);
                }
                self.columns.push(c);
            }
            // HiGHS sets its basis aside when columns are added: give it back, the new
            // columns nonbasic at their lower bound, so the next solve starts from it.
            if let Some((mut col_status, row_status)) = self.basis.take() {
                col_status.resize(self.columns.len(), 0); // kHighsBasisStatusLower
                // SAFETY: the arrays are as long as the model's columns and rows.
                unsafe {
                    highs_sys::Highs_setBasis(model.as_mut_ptr(), col_status.as_ptr(), row_status.as_ptr());
                }
            }
            time.handing_over += start.elapsed().as_secs_f64();
        }

        pub(super) fn solve(&mut self, n: usize, time: &mut SolveTime) -> Result<(Vec<f64>, Vec<f64>), SolveError> {
            let fail = |message: String| SolveError { solver: "highs", message };
            let start = Instant::now();
            let model = self.model.take().expect("the model is back after each solve");
            let solved = model.try_solve().map_err(|e| fail(format!("{e:?}")))?;
            time.solving += start.elapsed().as_secs_f64();
            if solved.status() != HighsModelStatus::Optimal {
                return Err(fail(format!("status {:?}", solved.status())));
            }
            let solution = solved.get_solution();
            let mut values = vec![0.0; n];
            for (k, &c) in self.columns.iter().enumerate() {
                let v = solution.columns()[k];
                values[c] = if v.abs() < 1e-9 { 0.0 } else { v };
            }
            let duals = solution.dual_rows().to_vec();
            let mut col_status = vec![0; self.columns.len()];
            let mut row_status = vec![0; self.rows.len()];
            // SAFETY: the arrays are as long as the model's columns and rows.
            let got =
                unsafe { highs_sys::Highs_getBasis(solved.as_ptr(), col_status.as_mut_ptr(), row_status.as_mut_ptr()) };
            self.basis = (got == 0).then_some((col_status, row_status)); // kHighsStatusOk
            let mut model: Model = solved.into();
            // Later rounds start from this basis; presolve would set it aside.
            model.set_option("presolve", "off");
            // Columns added to an optimal basis leave it primal feasible: the primal simplex
            // goes on from there.
            model.set_option("simplex_strategy", 4);
            self.model = Some(model);
            Ok((values, duals))
        }
    }
}

/// Solves `program` with microlp, which gives no duals, and then its dual program for them:
/// a value per column and a dual per row (what one more unit of the row's right-hand side
/// would change the optimum by, so that a column's reduced cost is its cost less the sum of
/// its coefficients × duals).
fn by_dual_program(program: &LinearProgram, time: &mut SolveTime) -> Result<(Vec<f64>, Vec<f64>), SolveError> {
    let solver = Solver::Microlp;
    let (values, t) = solve_program_timed(program, solver)?;
    *time += t;
    if program.columns.is_empty() {
        return Ok((values, vec![0.0; program.rows.len()]));
    }
    let (mut dual, sign) = program.dual();
    // microlp can stall on free columns: bound them far beyond any price in the program,
    // then make sure the bound did not bind (the duals' value must equal the optimum, or
    // they are not the program's duals).
    let bound = 1e3 * program.objective.iter().fold(1.0, |m: f64, c| m.max(c.abs()));
    for l in dual.lower.iter_mut().filter(|l| **l == f64::NEG_INFINITY) {
        *l = -bound;
    }
    let (y, t) = solve_program_timed(&dual, solver)?;
    *time += t;
    let fixed: f64 = program.objective.iter().zip(&program.lower).map(|(c, l)| c * l).sum();
    let (primal, by_duals) = (program.value_of(&values), fixed - dual.value_of(&y));
    if (primal - by_duals).abs() > 1e-6 * (1.0 + primal.abs()) {
        return Err(SolveError {
            solver: solver.name(),
            message: format!("the row prices ({by_duals}) do not match the optimum ({primal})"),
        });
    }
    Ok((values, y.iter().zip(&sign).map(|(v, s)| v * s).collect()))
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

/// The program over the active columns only: (program, its columns in `program`, its rows
/// in `program`). Rows left with no active column are left out (their dual is 0: an "at
/// most" row with nothing in it is slack).
fn restrict(program: &LinearProgram, active: &[bool]) -> (LinearProgram, Vec<usize>, Vec<usize>) {
    let mut sub = LinearProgram::default();
    let mut map = vec![usize::MAX; program.columns.len()];
    let mut columns = Vec::new();
    for (c, _) in active.iter().enumerate().filter(|(_, a)| **a) {
        map[c] = sub.add_column(String::new(), program.objective[c]);
        sub.lower[map[c]] = program.lower[c];
        sub.upper[map[c]] = program.upper[c];
        columns.push(c);
    }
    let mut rows = Vec::new();
    for (r, row) in program.rows.iter().enumerate() {
        let terms: Vec<(usize, f64)> =
            row.terms.iter().filter(|(c, _)| active[*c]).map(|&(c, a)| (map[c], a)).collect();
        let slack = match row.sense {
            Sense::AtMost => row.rhs >= 0.0,
            Sense::Equal => row.rhs == 0.0,
        };
        if terms.is_empty() && slack {
            continue;
        }
        sub.rows.push(Row { name: row.name.clone(), terms, sense: row.sense, rhs: row.rhs });
        rows.push(r);
    }
    (sub, columns, rows)
}

/// The program's coefficients by column: for each column, its (row, coefficient) pairs.
struct ColumnIndex {
    start: Vec<usize>,
    entries: Vec<(usize, f64)>,
}

impl ColumnIndex {
    fn new(program: &LinearProgram) -> ColumnIndex {
        let mut start = vec![0; program.columns.len() + 1];
        for row in &program.rows {
            for &(c, _) in &row.terms {
                start[c + 1] += 1;
            }
        }
        for c in 0..program.columns.len() {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut entries = vec![(0, 0.0); start[program.columns.len()]];
        for (r, row) in program.rows.iter().enumerate() {
            for &(c, a) in &row.terms {
                entries[fill[c]] = (r, a);
                fill[c] += 1;
            }
        }
        ColumnIndex { start, entries }
    }

    fn column(&self, c: usize) -> std::slice::Iter<'_, (usize, f64)> {
        self.entries[self.start[c]..self.start[c + 1]].iter()
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use crate::domain::{ObjectiveMode, Staying};
    use crate::formulation::Formulation;
    use crate::generate::Spec;
    use crate::program::Sense;
    use crate::solve::{Method, Solver, optimise_by};
    use crate::travel::JourneyTable;

    #[test]
    fn duals_price_the_rows_of_a_small_program() {
        // min 2a + 3b  s.t.  a + b = 4, a <= 1: one more child costs 3 (the dear column), one
        // more place at a saves 1.
        let mut lp = crate::program::LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        lp.rows.push(super::Row { name: "d".into(), terms: vec![(a, 1.0), (b, 1.0)], sense: Sense::Equal, rhs: 4.0 });
        lp.rows.push(super::Row { name: "c".into(), terms: vec![(a, 1.0)], sense: Sense::AtMost, rhs: 1.0 });
        let columns = super::ColumnIndex::new(&lp);
        for solver in Solver::available() {
            let mut time = crate::solve::SolveTime::default();
            let active = [true, true];
            let mut master = super::Master::new(solver, &lp, &active, &columns, &mut time);
            let (x, y) = master.solve(&lp, &active, &mut time).unwrap();
            assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 3.0).abs() < 1e-7, "{solver}: {x:?}");
            assert!((y[0] - 3.0).abs() < 1e-7 && (y[1] + 1.0).abs() < 1e-7, "{solver}: {y:?}");
        }
    }

    /// A generated model with places scarce enough that rows compete for them.
    fn crowded(seed: u64, lexicographic: bool, staying: bool) -> crate::domain::Model {
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

    #[rstest]
    fn pricing_reaches_the_whole_programs_optimum(
        #[values(1, 2, 3)] seed: u64,
        #[values(false, true)] lexicographic: bool,
        #[values(false, true)] staying: bool,
    ) {
        let model = crowded(seed, lexicographic, staying);
        let journeys = JourneyTable::build(&model);
        let f = Formulation::build(&model, &journeys);
        for solver in Solver::available() {
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
                };
                assert!(ok, "{solver}: row {} has {lhs} against {}", row.name, row.rhs);
            }
            assert!(x.iter().zip(&f.program.lower).all(|(v, l)| *v >= l - 1e-9));
            let plan = crate::plan::Plan::from_solved(&f, &priced);
            assert_eq!(crate::checking::check_plan(&model, &journeys, &plan), Vec::<String>::new());
        }
    }
}
