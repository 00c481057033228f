//! One year's solve, from model to checked plan: the journey table, the usable arcs, the
//! program, the solver, the plan and its independent check. Every command builds on [`run`]
//! or on the formulation it uses; [`Error`] is anything that stops one.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::model::Model;
use crate::model::input::{Problem, Problems};
use crate::optimise::formulation::{Formulation, arc_cost, usable_arcs};
use crate::optimise::plan::Plan;
use crate::optimise::solve::{SolveError, Solved, Solver};
use crate::travel::JourneyTable;

/// Anything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model or its tables have problems (one per line).
    #[error("{0}")]
    Input(Problems),
    /// The solver failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The answer failed its independent check: a bug, reported rather than published.
    #[error("the answer failed its independent check (please report this):\n{0}")]
    Check(String),
    /// Output could not be written.
    #[error("cannot write {path}: {source}")]
    Output {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A model solved: everything a report needs.
#[derive(Debug, Clone)]
pub struct Run {
    /// The model.
    pub model: Model,
    /// Journeys from each locality to each setting.
    pub journeys: JourneyTable,
    /// The program built.
    pub formulation: Formulation,
    /// What the solver returned.
    pub solved: Solved,
    /// Whether the independent check proved the answer optimal.
    pub optimality: crate::optimise::checking::Optimality,
    /// The answer in planners' terms.
    pub plan: Plan,
}

/// The policy rule every command checks before solving: the unmet penalty must be above the
/// dearest placement, or leaving a child unmet would look cheaper than placing them.
#[must_use]
pub fn penalty_problem(model: &Model, formulation: &Formulation) -> Option<Problem> {
    let arc = formulation.dearest_arc(model)?;
    let cost = arc_cost(arc, model.policy.out_of_borough_weight);
    if cost < model.policy.unmet_penalty {
        return None;
    }
    let d = &model.demand[arc.demand];
    let file = model.sources.first().cloned().unwrap_or_default();
    Some(Problem {
        sheet: None,
        file: file.into(),
        line: None,
        field: Some("policy.unmet_penalty".into()),
        message: format!(
            "{} is not above the dearest placement ({cost} a year: {} {} {} at {}); leaving a child unmet would look cheaper than placing them: expected a larger penalty",
            model.policy.unmet_penalty,
            model.locality(d.locality).id,
            model.need_code(d.need),
            model.phase_code(d.phase),
            model.setting(arc.setting).id
        ),
    })
}

/// Builds and solves the placement program for `model` with `solver`, and checks the
/// answer independently.
///
/// # Errors
/// [`Error::Input`] if the unmet penalty does not exceed the dearest placement; solver
/// failure; or a failed check.
pub fn run(model: Model, solver: Solver) -> Result<Run, Error> {
    run_observed(model, solver, &mut |_, _| {})
}

/// A stage of [`run`], as [`run_observed`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStage {
    /// The journey table.
    Travel,
    /// Finding the usable arcs.
    Arcs,
    /// Building the program, handing it to the solver, and pricing arcs between solves.
    Build,
    /// The solver's own work.
    Solve,
    /// The plan and its independent check.
    Check,
}

/// As [`run`], telling `on_stage` how long each stage took as it ends (for `bench`). A
/// stage may be told more than once (building, before and after the solve): add them up.
///
/// # Errors
/// As [`run`].
pub fn run_observed(model: Model, solver: Solver, on_stage: &mut dyn FnMut(RunStage, Duration)) -> Result<Run, Error> {
    let mut clock = Instant::now();
    let mut lap = || {
        let now = Instant::now();
        let taken = now - clock;
        clock = now;
        taken
    };
    let journeys = JourneyTable::build(&model);
    on_stage(RunStage::Travel, lap());
    let arcs = usable_arcs(&model, &journeys);
    on_stage(RunStage::Arcs, lap());
    let formulation = Formulation::from_arcs(&model, arcs);
    on_stage(RunStage::Build, lap());
    if let Some(problem) = penalty_problem(&model, &formulation) {
        return Err(Error::Input(Problems(vec![problem])));
    }
    let solved = crate::optimise::solve::optimise(&model, &formulation, solver)?;
    // All but the solver's own time (handing the program over, pricing arcs) is building.
    let solving = Duration::try_from_secs_f64(solved.time.solving).unwrap_or_default();
    on_stage(RunStage::Build, lap().saturating_sub(solving));
    on_stage(RunStage::Solve, solving);
    let plan = Plan::from_solved(&formulation, &solved);
    let mut wrong = crate::optimise::checking::check_plan(&model, &journeys, &plan);
    let optimality = match &solved.row_prices {
        Some(prices) => {
            wrong.extend(crate::optimise::checking::certify(&solved.program, &solved.values, prices));
            crate::optimise::checking::Optimality::Certified
        }
        None if solved.solver == Solver::Network => crate::optimise::checking::Optimality::NotCertified(
            "the lexicographic stages are solved as restricted networks",
        ),
        None => crate::optimise::checking::Optimality::NotCertified("this solver gives no row prices"),
    };
    on_stage(RunStage::Check, lap());
    if !wrong.is_empty() {
        return Err(Error::Check(wrong.join("\n")));
    }
    Ok(Run { model, journeys, formulation, solved, plan, optimality })
}
