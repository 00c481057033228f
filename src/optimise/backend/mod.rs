//! The solver backends: a [`LinearProgram`] handed to whichever solver is compiled in,
//! behind one trait, [`Backend`]. A backend is built from a program, solves it, gives a
//! value per column and a price per row (the row's dual), and can take more columns and
//! solve again, which is what pricing arcs in needs.
//!
//! The default build has microlp (pure Rust); the cargo feature `highs` adds HiGHS, which
//! then becomes the default. Every solver must give the same optimum on the same model.
//! This layer knows nothing of placements: the optimiser ([`crate::optimise::solve`]) and pricing
//! ([`crate::optimise::pricing`]) are built on it, never the other way round.

mod microlp;

#[cfg(feature = "highs")]
mod highs;

use std::fmt;
use std::time::Instant;

use good_lp::{Expression, ProblemVariables, SolverModel, Variable, variable};

use crate::optimise::program::{LinearProgram, Sense};

/// A solver compiled into this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solver {
    /// The network simplex of [`crate::optimise::network`] (pure Rust, always available) for
    /// a placement program that is a minimum-cost flow; any other program goes to the best
    /// linear-programming solver of the build ([`Solver::lp`]).
    Network,
    /// microlp: pure Rust simplex, always available.
    Microlp,
    /// HiGHS (cargo feature `highs`).
    #[cfg(feature = "highs")]
    Highs,
}

impl Solver {
    /// Solvers in this build, best first.
    #[must_use]
    #[allow(clippy::vec_init_then_push)] // pushes depend on features
    pub fn available() -> Vec<Solver> {
        let mut v = vec![Solver::Network];
        #[cfg(feature = "highs")]
        v.push(Solver::Highs);
        v.push(Solver::Microlp);
        v
    }

    /// The linear-programming solver this one hands general programs to: itself, or for
    /// [`Solver::Network`] the best of the build.
    #[must_use]
    pub fn lp(self) -> Solver {
        match self {
            Solver::Network => {
                Solver::available().into_iter().find(|s| *s != Solver::Network).unwrap_or(Solver::Microlp)
            }
            other => other,
        }
    }

    /// The best solver in this build.
    #[must_use]
    pub fn best() -> Solver {
        Solver::available()[0]
    }

    /// Name as given to `--solver`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Solver::Network => "network",
            Solver::Microlp => "microlp",
            #[cfg(feature = "highs")]
            Solver::Highs => "highs",
        }
    }

    /// Finds a compiled-in solver by name.
    ///
    /// # Errors
    /// A message listing the solvers in this build.
    pub fn from_name(name: &str) -> Result<Solver, String> {
        Solver::available().into_iter().find(|s| s.name().eq_ignore_ascii_case(name)).ok_or_else(|| {
            let names: Vec<&str> = Solver::available().iter().map(|s| s.name()).collect();
            let hint =
                if name.eq_ignore_ascii_case("highs") { " (build with `--features highs` for HiGHS)" } else { "" };
            format!("unknown solver '{name}': this build has {}{hint}", names.join(", "))
        })
    }
}

impl fmt::Display for Solver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The solver could not solve a program. (The placement program always has a solution, so
/// this means a solver failure, never "infeasible" in the planner's sense.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {solver} solver failed: {message}")]
pub struct SolveError {
    /// Solver name.
    pub solver: &'static str,
    /// What it said.
    pub message: String,
}

impl From<crate::optimise::network::NetworkError> for SolveError {
    /// The network simplex's failure (a bug for the placement program: every row can go
    /// unmet).
    fn from(e: crate::optimise::network::NetworkError) -> SolveError {
        SolveError { solver: Solver::Network.name(), message: e.to_string() }
    }
}

/// Where the time of a solve went: handing the program to the solver (building the
/// solver's model), and the solver's own work.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SolveTime {
    /// Seconds building the solver's model from the program.
    pub handing_over: f64,
    /// Seconds in the solver.
    pub solving: f64,
}

impl std::ops::AddAssign for SolveTime {
    fn add_assign(&mut self, other: SolveTime) {
        self.handing_over += other.handing_over;
        self.solving += other.solving;
    }
}

/// A solver holding a linear program: built from a [`LinearProgram`] with some or all of
/// its columns in (for any compiled solver: [`open`], [`open_warm`]); solve it, read a
/// value per column and a price per row, add more of the program's columns and solve again.
pub trait Backend<'a> {
    /// Hands `program` to the solver: to be solved once, every column in (`warm` `None`;
    /// whole-number columns allowed, HiGHS going to proven optimality), or held warm with
    /// the columns `warm` says in, to be solved again as more are added (linear programs
    /// only): HiGHS keeps its model and last optimal basis and starts the next solve from
    /// it; microlp, which has no such thing, builds the program over the columns in afresh.
    fn build(program: &'a LinearProgram, warm: Option<&[bool]>) -> Self
    where
        Self: Sized;

    /// The solver behind it.
    fn solver(&self) -> Solver;

    /// Adds the program's columns `columns` (by their number in the program; those already
    /// in are passed over); the next solve includes them. Values are cleared until then.
    fn add_columns(&mut self, columns: &[usize]);

    /// Solves the program as it now stands.
    ///
    /// # Errors
    /// If the solver fails or finds no optimum.
    fn solve(&mut self) -> Result<(), SolveError>;

    /// A value per column of the program from the last solve (0 for columns not in),
    /// round-off either side of zero cleared; empty before the first solve and after
    /// columns are added.
    fn values(&self) -> &[f64];

    /// A price per row from the last solve: what one more unit of the row's right-hand side
    /// would change the optimum by, so that a column's reduced cost is its cost less the sum
    /// of its coefficients × prices. At most 0 for an "at most" row, at least 0 for an "at
    /// least" row.
    ///
    /// # Errors
    /// If the program has not been solved since columns were added, has whole-number
    /// columns, or the solver fails to price it.
    fn row_prices(&mut self) -> Result<Vec<f64>, SolveError>;

    /// Where the time went, over everything the backend has done.
    fn time(&self) -> SolveTime;
}

/// Hands `program` to `solver`, every column in, to be solved once.
#[must_use]
pub fn open(solver: Solver, program: &LinearProgram) -> Box<dyn Backend<'_> + '_> {
    match solver.lp() {
        Solver::Network | Solver::Microlp => Box::new(microlp::Microlp::build(program, None)),
        #[cfg(feature = "highs")]
        Solver::Highs => Box::new(highs::Highs::build(program, None)),
    }
}

/// Hands `program` to `solver` with the columns `active` says in, to be solved again as
/// more are added.
///
/// # Panics
/// If the program has whole-number columns, or `active` is not a flag per column.
#[must_use]
pub fn open_warm<'a>(solver: Solver, program: &'a LinearProgram, active: &[bool]) -> Box<dyn Backend<'a> + 'a> {
    assert!(!program.integer.iter().any(|i| *i), "a warm backend needs a linear program");
    assert_eq!(active.len(), program.columns.len(), "a flag per column");
    match solver.lp() {
        Solver::Network | Solver::Microlp => Box::new(microlp::Microlp::build(program, Some(active))),
        #[cfg(feature = "highs")]
        Solver::Highs => Box::new(highs::Highs::build(program, Some(active))),
    }
}

/// Solves `program`, returning a value per column.
///
/// # Errors
/// If the solver reports failure.
pub fn solve_program(program: &LinearProgram, solver: Solver) -> Result<Vec<f64>, SolveError> {
    solve_program_timed(program, solver).map(|(values, _)| values)
}

/// [`solve_program`], saying where the time went.
///
/// # Errors
/// If the solver reports failure.
pub fn solve_program_timed(program: &LinearProgram, solver: Solver) -> Result<(Vec<f64>, SolveTime), SolveError> {
    if program.columns.is_empty() {
        return Ok((Vec::new(), SolveTime::default()));
    }
    let mut backend = open(solver, program);
    backend.solve()?;
    Ok((backend.values().to_vec(), backend.time()))
}

/// A program's coefficients by column: for each column, its (row, coefficient) pairs.
pub(crate) struct ColumnIndex {
    start: Vec<usize>,
    entries: Vec<(usize, f64)>,
}

impl ColumnIndex {
    /// Indexes `program`'s rows by column.
    pub(crate) fn new(program: &LinearProgram) -> ColumnIndex {
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

    /// Column `c`'s (row, coefficient) pairs, rows in order.
    pub(crate) fn column(&self, c: usize) -> std::slice::Iter<'_, (usize, f64)> {
        self.entries[self.start[c]..self.start[c + 1]].iter()
    }
}

/// Columns are non-negative; clears solver round-off either side of zero.
fn tidy(mut values: Vec<f64>) -> Vec<f64> {
    for v in &mut values {
        if v.abs() < 1e-9 {
            *v = 0.0;
        }
    }
    values
}

/// `program` as a good_lp model for `solver`, tuned by `tune`; the time taken is added to
/// `time`. Returns the model and its variables.
fn hand_over<S>(
    program: &LinearProgram,
    solver: S,
    tune: impl FnOnce(S::Model) -> S::Model,
    time: &mut SolveTime,
) -> (S::Model, Vec<Variable>)
where
    S: good_lp::Solver,
{
    let start = Instant::now();
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = (0..program.columns.len())
        .map(|c| {
            let v = variable().min(program.lower[c]);
            let v = if program.upper[c].is_finite() { v.max(program.upper[c]) } else { v };
            vars.add(if program.integer[c] { v.integer() } else { v })
        })
        .collect();
    let mut objective = Expression::with_capacity(program.columns.len());
    for (&c, &v) in program.objective.iter().zip(&x) {
        if c != 0.0 {
            objective.add_mul(c, v);
        }
    }
    let mut model = tune(vars.minimise(objective).using(solver));
    for row in &program.rows {
        let mut lhs = Expression::with_capacity(row.terms.len());
        for &(col, coef) in &row.terms {
            lhs.add_mul(coef, x[col]);
        }
        model.add_constraint(match row.sense {
            Sense::AtMost => lhs.leq(row.rhs),
            Sense::Equal => lhs.eq(row.rhs),
            Sense::AtLeast => lhs.geq(row.rhs),
        });
    }
    time.handing_over += start.elapsed().as_secs_f64();
    (model, x)
}

/// Solves a good_lp model, timing it into `time`.
fn solve_timed<M: SolverModel>(model: M, time: &mut SolveTime) -> Result<M::Solution, M::Error> {
    let start = Instant::now();
    let solution = model.solve();
    time.solving += start.elapsed().as_secs_f64();
    solution
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::program::Row;

    /// min 2a + 3b  s.t.  a + b = 4 (d), a ≤ 1 (c): the optimum 11 at a = 1, b = 3; one more
    /// child costs 3 (the dear column), one more place at a saves 1.
    fn small() -> LinearProgram {
        let mut lp = LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        lp.rows.push(Row { name: "d".into(), terms: vec![(a, 1.0), (b, 1.0)], sense: Sense::Equal, rhs: 4.0 });
        lp.rows.push(Row { name: "c".into(), terms: vec![(a, 1.0)], sense: Sense::AtMost, rhs: 1.0 });
        lp
    }

    fn close(got: &[f64], want: &[f64]) -> bool {
        got.len() == want.len() && got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-7)
    }

    #[test]
    fn every_compiled_solver_solves_a_small_program_to_its_optimum() {
        let lp = small();
        for solver in Solver::available() {
            let x = solve_program(&lp, solver).unwrap();
            assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 3.0).abs() < 1e-7, "{solver}: {x:?}");
            assert!((lp.value_of(&x) - 11.0).abs() < 1e-6);
        }
    }

    #[test]
    fn unknown_solver_names_list_what_is_available() {
        let err = Solver::from_name("gurobi").unwrap_err();
        assert!(err.contains("microlp"), "{err}");
        assert_eq!(Solver::from_name("MICROLP"), Ok(Solver::Microlp));
    }

    /// The backends of every compiled linear-programming solver on `lp`: solved once, and
    /// warm with the columns `active` says in. (The network simplex is not a backend: it
    /// hands general programs to the best of these.)
    fn backends<'a>(lp: &'a LinearProgram, active: &[bool]) -> Vec<(String, Box<dyn Backend<'a> + 'a>)> {
        let mut all: Vec<(String, Box<dyn Backend<'a> + 'a>)> = Vec::new();
        for solver in Solver::available().into_iter().filter(|s| *s != Solver::Network) {
            if active.iter().all(|a| *a) {
                all.push((format!("{solver} once"), open(solver, lp)));
            }
            all.push((format!("{solver} warm"), open_warm(solver, lp, active)));
        }
        all
    }

    #[test]
    fn row_prices_of_a_small_program_are_those_worked_by_hand() {
        let lp = small();
        for (name, mut backend) in backends(&lp, &[true, true]) {
            assert!(name.starts_with(backend.solver().name()));
            backend.solve().unwrap();
            assert!(close(backend.values(), &[1.0, 3.0]), "{name}: {:?}", backend.values());
            let y = backend.row_prices().unwrap();
            assert!(close(&y, &[3.0, -1.0]), "{name}: {y:?}");
        }
    }

    #[test]
    fn a_warm_re_solve_after_adding_a_column_reaches_the_new_optimum() {
        // A third column c, cost 1.5, in d and in an "at most 2" row e, left out at first (so
        // e has nothing in it): a = 1, b = 3, the optimum 11, with e priced at 0. Added, c
        // takes 2 of the 4 children, a 1 and b 1, so the optimum is 2 + 3 + 3 = 8. By hand,
        // the prices: d still 3 (b is the marginal column), a ≤ 1 still −1, e 1.5 − 3 = −1.5.
        let mut lp = small();
        let c = lp.add_column("c".into(), 1.5);
        lp.rows[0].terms.push((c, 1.0));
        lp.rows.push(Row { name: "e".into(), terms: vec![(c, 1.0)], sense: Sense::AtMost, rhs: 2.0 });
        for (name, mut backend) in backends(&lp, &[true, true, false]) {
            backend.solve().unwrap();
            assert!(close(backend.values(), &[1.0, 3.0, 0.0]), "{name}: {:?}", backend.values());
            assert!(close(&backend.row_prices().unwrap(), &[3.0, -1.0, 0.0]), "{name}");
            backend.add_columns(&[c, 0]);
            assert!(backend.values().is_empty() && backend.row_prices().is_err(), "{name}");
            backend.solve().unwrap();
            let x = backend.values().to_vec();
            assert!(close(&x, &[1.0, 1.0, 2.0]), "{name}: {x:?}");
            assert!((lp.value_of(&x) - 8.0).abs() < 1e-6);
            let y = backend.row_prices().unwrap();
            assert!(close(&y, &[3.0, -1.0, -1.5]), "{name}: {y:?}");
        }
    }

    #[test]
    fn an_at_least_row_is_solved_and_priced_by_every_solver() {
        // min 2a + 3b  s.t.  a + b ≥ 4 (d), a ≤ 1 (c): as with d an equality, a = 1, b = 3
        // and the optimum 11; d's price 3 ≥ 0 (one more child needed costs 3), c's −1.
        let mut lp = small();
        lp.rows[0].sense = Sense::AtLeast;
        assert_eq!(
            lp.to_lp_format(&[]),
            "Minimize\n obj: + 2 a + 3 b\nSubject To\n d: + 1 a + 1 b >= 4\n c: + 1 a <= 1\nBounds\n a >= 0\n b >= 0\nEnd\n"
        );
        for solver in Solver::available() {
            let x = solve_program(&lp, solver).unwrap();
            assert!(close(&x, &[1.0, 3.0]), "{solver}: {x:?}");
        }
        for (name, mut backend) in backends(&lp, &[true, true]) {
            backend.solve().unwrap();
            assert!(close(backend.values(), &[1.0, 3.0]), "{name}: {:?}", backend.values());
            assert!((lp.value_of(backend.values()) - 11.0).abs() < 1e-6);
            let y = backend.row_prices().unwrap();
            assert!(close(&y, &[3.0, -1.0]), "{name}: {y:?}");
        }
        // A slack "at least" row is priced at 0: with d at least 3 and f: b ≥ 1, the optimum
        // is a = 1, b = 2, which f does not hold back; d's price is still 3 and c's −1.
        lp.rows[0].rhs = 3.0;
        lp.rows.push(Row { name: "f".into(), terms: vec![(1, 1.0)], sense: Sense::AtLeast, rhs: 1.0 });
        for (name, mut backend) in backends(&lp, &[true, true]) {
            backend.solve().unwrap();
            assert!(close(backend.values(), &[1.0, 2.0]), "{name}: {:?}", backend.values());
            let y = backend.row_prices().unwrap();
            assert!(close(&y, &[3.0, -1.0, 0.0]), "{name}: {y:?}");
        }
    }
}
