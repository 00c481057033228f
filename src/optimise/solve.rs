//! The placement optimiser: the placement program solved under the model's objective mode,
//! whole or by pricing arcs in, once (weighted) or as a sequence of solves (lexicographic).
//!
//! It is built on the solver backends ([`crate::optimise::backend`]), which it reaches only through
//! their trait (a whole program through [`solve_program_timed`], which opens a backend), and
//! on pricing ([`crate::optimise::pricing`]). The solver types and one-off solves are re-exported
//! here, where the rest of the crate has always found them.

use crate::model::{Model, ObjectiveMode};
pub use crate::optimise::backend::{SolveError, SolveTime, Solver, solve_program, solve_program_timed};
use crate::optimise::formulation::{Aim, Formulation};
use crate::optimise::program::{LinearProgram, Row, Sense};

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
    pub pricing: Option<crate::optimise::pricing::Pricing>,
    /// A price per row of `program` (an LP dual), where the solver gives prices that prove
    /// this answer optimal for it: the network simplex's potentials for a weighted program.
    /// `None` otherwise (microlp gives none; a lexicographic solve's last prices are those
    /// of a network with earlier stages' arcs fixed, not of `program`).
    pub row_prices: Option<Vec<f64>>,
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

pub use crate::optimise::formulation::TIE_BREAK_PER_MINUTE;

/// Relative slack allowed when an earlier stage's optimum is fixed for the next.
const STAGE_TOLERANCE: f64 = 1e-7;

/// Solves the placement program under the model's objective mode: once (weighted), or
/// three times (lexicographic: fewest unmet, then fewest out of borough, then least cost).
///
/// # Errors
/// If the solver fails at any stage.
pub fn optimise(model: &Model, formulation: &Formulation, solver: Solver) -> Result<Solved, SolveError> {
    if solver == Solver::Network
        && let Some(solved) = as_flow(model, formulation)?
    {
        return Ok(solved);
    }
    let solver = solver.lp();
    let method = if formulation.arcs.len() > LP_PRICED_ABOVE_ARCS { Method::Priced } else { Method::Whole };
    optimise_by(model, formulation, solver, method)
}

/// The program solved by the network simplex, if it is a network: weighted, or the
/// lexicographic aims in exact stages, then the tie-break alone at a finer scale
/// ([`crate::optimise::flow::solve_by`]).
fn as_flow(model: &Model, formulation: &Formulation) -> Result<Option<Solved>, SolveError> {
    let aims = aims(model);
    let mut program = formulation.program.clone();
    let mut objectives: Vec<Vec<f64>> = aims.iter().map(|&aim| formulation.objective(aim)).collect();
    // The tie-break charge on the last aim, as the LP path adds it.
    if let Some(last) = objectives.last_mut() {
        for (c, t) in last.iter_mut().zip(formulation.tie_break()) {
            *c += t;
        }
        program.objective.clone_from(last);
    }
    let start = std::time::Instant::now();
    let solution = crate::optimise::flow::solve(model, formulation, &objectives, Some(formulation.tie_break()));
    let Some(solution) = solution else {
        return Ok(None);
    };
    let solution = solution.map_err(SolveError::from)?;
    let time = SolveTime { handing_over: 0.0, solving: start.elapsed().as_secs_f64() };
    let stages = aims
        .iter()
        .map(|&aim| Stage { aim, value: objective_value(&formulation.objective(aim), &solution.values) })
        .collect::<Vec<Stage>>();
    // The program as the LP path leaves it (and as `--write-lp` writes it): each earlier
    // stage's optimum kept as a row, then the last aim with the tie-break charge. Without
    // these rows a lexicographic file's last aim (cost) would be least with every child unmet.
    if aims.len() > 1 {
        let last = program.objective.clone();
        for k in 1..aims.len() {
            program.objective = formulation.objective(aims[k - 1]);
            keep_at_optimum(&mut program, k, stages[k - 1]);
        }
        program.objective = last;
    }
    let pricing = (solution.rounds > 1)
        .then_some(crate::optimise::pricing::Pricing { rounds: solution.rounds, columns_used: solution.arcs_used });
    let row_prices = (aims.len() == 1).then_some(solution.row_prices);
    Ok(Some(Solved { values: solution.values, stages, program, solver: Solver::Network, time, pricing, row_prices }))
}

/// A linear-programming solver (HiGHS, microlp) is given the program by pricing arcs in
/// ([`crate::optimise::pricing`]) when it has more arcs than this: each round re-solves the
/// restricted program, so pricing pays only from more arcs than the network simplex's own
/// rule ([`crate::optimise::flow::NETWORK_PRICED_ABOVE_ARCS`], a separate rule).
pub const LP_PRICED_ABOVE_ARCS: usize = 50_000;

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
    let aims = aims(model);
    let mut program = formulation.program.clone();
    let mut stages: Vec<Stage> = Vec::new();
    let mut values = Vec::new();
    let mut time = SolveTime::default();
    let mut pricing = crate::optimise::pricing::Pricing::default();
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
                let (v, t, p) = crate::optimise::pricing::solve_priced(&program, &groups, solver, &mut active)?;
                pricing.rounds += p.rounds;
                pricing.columns_used = p.columns_used;
                (v, t)
            }
        };
        values = v;
        time += t;
        stages.push(Stage { aim, value: objective_value(&objective, &values) });
    }
    Ok(Solved {
        values,
        stages,
        program,
        solver,
        time,
        pricing: (method == Method::Priced).then_some(pricing),
        row_prices: None,
    })
}

/// The aims solved in turn under the model's objective mode.
fn aims(model: &Model) -> &'static [Aim] {
    match model.policy.objective {
        ObjectiveMode::Weighted => &[Aim::Weighted],
        ObjectiveMode::Lexicographic => &[Aim::Unmet, Aim::OutOfBorough, Aim::Cost],
    }
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

/// `Σ cost × value`; £0 (not −0: a sum of nothing is −0.0 in Rust) for an empty program.
fn objective_value(objective: &[f64], values: &[f64]) -> f64 {
    objective.iter().zip(values).map(|(c, v)| c * v).sum::<f64>() + 0.0
}
