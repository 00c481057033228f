//! `sufficiency`: plan specialist school places for children with EHC plans.
//!
//! From forecast need by primary need, phase and home locality, the optimiser finds the
//! least-cost way to place every child suitably, as close to home as possible, and reports
//! where places fall short as unmet need. The pieces, one concern each:
//!
//! - [`domain`]: validated types (need, phase, locality, setting, place, money);
//! - [`input`]: the TOML model file and its CSV tables, checked with file/line/field errors;
//! - [`travel`]: journey times and distances (road network or straight line);
//! - [`formulation`]: the placement linear program;
//! - [`program`]: a solver-neutral LP, writable in CPLEX LP format;
//! - [`solve`]: solvers behind one interface, and the lexicographic mode;
//! - [`pricing`]: large programs solved exactly by pricing arcs in;
//! - [`plan`]: the answer in planners' terms;
//! - [`horizon`], [`forecast`]: years planned in turn from a forecast of need;
//! - [`schemes`]: choosing and appraising capital schemes (a mixed-integer program);
//! - [`commissioning`]: comparing ways of buying independent places for the same children;
//! - [`checking`]: an independent check of every answer against the inputs;
//! - [`report`]: terminal tables, CSV and JSON;
//! - [`annex`]: the sufficiency statement annex (HTML, workbook, Markdown), small counts withheld;
//! - [`generate`]: synthetic models of any size, the same for the same seed;
//! - [`bench`](mod@bench): measuring scale, stage by stage, on generated models;
//! - [`commands`]: the program's commands, one function each, with plain options;
//! - [`output`]: standard output, files written all or none, and the date of a document;
//! - [`progress`]: the stage of a long run, shown on a terminal.

pub mod annex;
pub mod backend;
pub mod bench;
pub mod business_case;
pub mod checking;
pub mod commands;
pub mod commissioning;
pub mod domain;
pub mod forecast;
pub mod formulation;
pub mod generate;
pub mod horizon;
pub mod input;
pub mod output;
pub mod plan;
pub mod pricing;
pub mod program;
pub mod progress;
pub mod report;
pub mod schemes;
pub mod solve;
pub mod travel;

#[cfg(test)]
mod testing;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use domain::Model;
use formulation::{Formulation, arc_cost, usable_arcs};
use input::{Problem, Problems};
use plan::Plan;
use solve::{SolveError, Solved, Solver};
use travel::JourneyTable;

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
    /// The answer in planners' terms.
    pub plan: Plan,
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
    if let Some(arc) = formulation.dearest_arc(&model) {
        let cost = arc_cost(arc, model.policy.out_of_borough_weight);
        if cost >= model.policy.unmet_penalty {
            let d = &model.demand[arc.demand];
            let file = model.sources.first().cloned().unwrap_or_default();
            return Err(Error::Input(Problems(vec![Problem {
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
            }])));
        }
    }
    let solved = solve::optimise(&model, &formulation, solver)?;
    // All but the solver's own time (handing the program over, pricing arcs) is building.
    let solving = Duration::try_from_secs_f64(solved.time.solving).unwrap_or_default();
    on_stage(RunStage::Build, lap().saturating_sub(solving));
    on_stage(RunStage::Solve, solving);
    let plan = Plan::from_solved(&formulation, &solved);
    let wrong = checking::check_plan(&model, &journeys, &plan);
    on_stage(RunStage::Check, lap());
    if !wrong.is_empty() {
        return Err(Error::Check(wrong.join("\n")));
    }
    Ok(Run { model, journeys, formulation, solved, plan })
}

#[cfg(test)]
mod hand_solved;
