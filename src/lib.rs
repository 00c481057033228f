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
//! - [`checking`]: an independent check of every answer against the inputs;
//! - [`report`]: terminal tables, CSV and JSON.

pub mod annex;
pub mod backend;
pub mod bench;
pub mod checking;
pub mod commissioning;
pub mod domain;
pub mod forecast;
pub mod formulation;
pub mod generate;
pub mod horizon;
pub mod input;
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

use domain::Model;
use formulation::{Formulation, arc_cost};
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
    let journeys = JourneyTable::build(&model);
    let formulation = Formulation::build(&model, &journeys);
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
    let plan = Plan::from_solved(&formulation, &solved);
    let wrong = checking::check_plan(&model, &journeys, &plan);
    if !wrong.is_empty() {
        return Err(Error::Check(wrong.join("\n")));
    }
    Ok(Run { model, journeys, formulation, solved, plan })
}

#[cfg(test)]
mod hand_solved;
