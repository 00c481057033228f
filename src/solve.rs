//! Solving a [`LinearProgram`] with whichever solver is compiled in, behind one interface,
//! and the lexicographic mode as a sequence of solves.
//!
//! The default build has microlp (pure Rust); the cargo feature `highs` adds HiGHS, which
//! then becomes the default. Every solver must give the same optimum on the same model.

use std::fmt;

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, variable};

use crate::domain::{Model, ObjectiveMode};
use crate::formulation::{Aim, Formulation};
use crate::program::{LinearProgram, Row, Sense};

/// A linear-programming solver compiled into this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solver {
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
        let mut v = Vec::new();
        #[cfg(feature = "highs")]
        v.push(Solver::Highs);
        v.push(Solver::Microlp);
        v
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

/// Solves `program`, returning a value per column.
///
/// # Errors
/// If the solver reports failure.
pub fn solve_program(program: &LinearProgram, solver: Solver) -> Result<Vec<f64>, SolveError> {
    solve_program_timed(program, solver).map(|(values, _)| values)
}

/// Where the time of a solve went: handing the program to the solver (good_lp's model
/// building), and the solver's own work.
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

/// [`solve_program`], saying where the time went.
///
/// # Errors
/// If the solver reports failure.
pub fn solve_program_timed(program: &LinearProgram, solver: Solver) -> Result<(Vec<f64>, SolveTime), SolveError> {
    let mut time = SolveTime::default();
    if program.columns.is_empty() {
        return Ok((Vec::new(), time));
    }
    let t = &mut time;
    let result = match solver {
        Solver::Microlp => run(program, good_lp::solvers::microlp::microlp, |m| m, t),
        // Whole-number programs to proven optimality (HiGHS stops at a 0.01% gap by
        // default), so every solver gives the same portfolio.
        #[cfg(feature = "highs")]
        Solver::Highs => run(program, good_lp::solvers::highs::highs, tune_highs, t),
    };
    let values = result.map_err(|e| SolveError { solver: solver.name(), message: e.to_string() })?;
    Ok((tidy(values), time))
}

#[cfg(feature = "highs")]
fn tune_highs(m: good_lp::solvers::highs::HighsProblem) -> good_lp::solvers::highs::HighsProblem {
    m.set_option("mip_rel_gap", 1e-9).set_option("mip_abs_gap", 1e-6)
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

fn run<S>(
    program: &LinearProgram,
    solver: S,
    tune: impl FnOnce(S::Model) -> S::Model,
    time: &mut SolveTime,
) -> Result<Vec<f64>, ResolutionError>
where
    S: good_lp::Solver,
    <S::Model as SolverModel>::Error: Into<ResolutionError>,
{
    let start = std::time::Instant::now();
    let mut vars = ProblemVariables::new();
    let x: Vec<good_lp::Variable> = (0..program.columns.len())
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
        });
    }
    let handed_over = std::time::Instant::now();
    time.handing_over += (handed_over - start).as_secs_f64();
    let solution = model.solve().map_err(Into::into);
    time.solving += handed_over.elapsed().as_secs_f64();
    let solution = solution?;
    Ok(x.iter().map(|&v| solution.value(v)).collect())
}

/// One solve in a (possibly lexicographic) sequence, and the optimum it reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    /// What it minimised.
    pub aim: Aim,
    /// The optimum.
    pub value: f64,
}

/// The optimiser's answer.
#[derive(Debug, Clone)]
pub struct Solved {
    /// A value per column of the formulation's program.
    pub values: Vec<f64>,
    /// The solves made, in order.
    pub stages: Vec<Stage>,
    /// The last program solved (in lexicographic mode, with the earlier stages' optima
    /// fixed as rows), as written by `--write-lp`.
    pub program: LinearProgram,
    /// The solver used.
    pub solver: Solver,
    /// Where the time went, over every solve.
    pub time: SolveTime,
    /// How pricing went, if arcs were priced in.
    pub pricing: Option<crate::pricing::Pricing>,
}

/// The columns of each demand row's arcs (arcs are grouped by demand row).
fn arc_groups(formulation: &Formulation) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut first = 0;
    for i in 1..=formulation.arcs.len() {
        if i == formulation.arcs.len() || formulation.arcs[i].demand != formulation.arcs[first].demand {
            groups.push(first..i);
            first = i;
        }
    }
    groups
}

pub use crate::formulation::TIE_BREAK_PER_MINUTE;

/// Relative slack allowed when an earlier stage's optimum is fixed for the next.
const STAGE_TOLERANCE: f64 = 1e-7;

/// Solves the placement program under the model's objective mode: once (weighted), or
/// three times (lexicographic: fewest unmet, then fewest out of borough, then least cost).
///
/// # Errors
/// If the solver fails at any stage.
pub fn optimise(model: &Model, formulation: &Formulation, solver: Solver) -> Result<Solved, SolveError> {
    let method = if formulation.arcs.len() > PRICE_ABOVE_ARCS { Method::Priced } else { Method::Whole };
    optimise_by(model, formulation, solver, method)
}

/// Programs with more arcs than this are solved by pricing arcs in ([`crate::pricing`]).
pub const PRICE_ABOVE_ARCS: usize = 50_000;

/// How the program is handed to the solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every arc at once.
    Whole,
    /// The cheapest arcs of each demand row first, others priced in until none would lower
    /// the cost: the same optimum.
    Priced,
}

/// [`optimise`] with a chosen method.
///
/// # Errors
/// If the solver fails at any stage.
pub fn optimise_by(
    model: &Model,
    formulation: &Formulation,
    solver: Solver,
    method: Method,
) -> Result<Solved, SolveError> {
    let aims: &[Aim] = match model.policy.objective {
        ObjectiveMode::Weighted => &[Aim::Weighted],
        ObjectiveMode::Lexicographic => &[Aim::Unmet, Aim::OutOfBorough, Aim::Cost],
    };
    let mut program = formulation.program.clone();
    let mut stages: Vec<Stage> = Vec::new();
    let mut values = Vec::new();
    let mut time = SolveTime::default();
    let mut pricing = crate::pricing::Pricing::default();
    let groups = arc_groups(formulation);
    // Columns handed to the solver when pricing: kept from stage to stage, so that each
    // stage starts from a program in which the last stage's optimum can be met.
    let mut active = Vec::new();
    for (k, &aim) in aims.iter().enumerate() {
        if k > 0 {
            keep_at_optimum(&mut program, k, stages[k - 1]);
        }
        let objective = formulation.objective(aim);
        program.objective = objective.clone();
        if k + 1 == aims.len() {
            // Where several plans are equally good, solvers may return different ones; a
            // tiny charge per minute of journey (and a fixed order after that) picks one, so
            // every solver gives the same plan. It changes no choice worth more than
            // TIE_BREAK_PER_MINUTE × a journey's minutes, pennies a child a year.
            for (c, t) in program.objective.iter_mut().zip(formulation.tie_break()) {
                *c += t;
            }
        }
        let (v, t) = match method {
            Method::Whole => solve_program_timed(&program, solver)?,
            Method::Priced => {
                let (v, t, p) = crate::pricing::solve_priced(&program, &groups, solver, &mut active)?;
                pricing.rounds += p.rounds;
                pricing.columns_used = p.columns_used;
                (v, t)
            }
        };
        values = v;
        time += t;
        let value = objective.iter().zip(&values).map(|(c, v)| c * v).sum();
        stages.push(Stage { aim, value });
    }
    Ok(Solved { values, stages, program, solver, time, pricing: (method == Method::Priced).then_some(pricing) })
}

/// Adds a row keeping the objective of `program` within [`STAGE_TOLERANCE`] of a stage's
/// optimum.
fn keep_at_optimum(program: &mut LinearProgram, k: usize, stage: Stage) {
    let terms: Vec<(usize, f64)> =
        program.objective.iter().enumerate().filter(|(_, c)| **c != 0.0).map(|(i, c)| (i, *c)).collect();
    program.rows.push(Row {
        name: format!("stage{k}_{}", aim_name(stage.aim)),
        terms,
        sense: Sense::AtMost,
        rhs: stage.value + STAGE_TOLERANCE * stage.value.abs().max(1.0),
    });
}

/// Short name of an aim, for row names and reports.
#[must_use]
pub fn aim_name(aim: Aim) -> &'static str {
    match aim {
        Aim::Weighted => "weighted_cost",
        Aim::Unmet => "unmet_children",
        Aim::OutOfBorough => "out_of_borough_children",
        Aim::Cost => "cost",
        Aim::TieBreak => "tie_break",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_solver_solves_a_small_program_to_its_optimum() {
        // min 2a + 3b  s.t.  a + b = 4, a <= 1  →  a = 1, b = 3, objective 11.
        let mut lp = LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        lp.rows.push(Row { name: "d".into(), terms: vec![(a, 1.0), (b, 1.0)], sense: Sense::Equal, rhs: 4.0 });
        lp.rows.push(Row { name: "c".into(), terms: vec![(a, 1.0)], sense: Sense::AtMost, rhs: 1.0 });
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
}
