//! `sufficiency`: plan specialist school places for children with EHC plans.
//!
//! From forecast need by primary need, phase and home locality, the optimiser finds the
//! least-cost way to place every child suitably, as close to home as possible: in the
//! borough's special schools and resourced provision, at the independent schools it uses,
//! or bought from the independent market; what cannot be bought at all is unmet need, with
//! the reason. The layers, each a folder:
//!
//! - [`model`]: the validated model (need, phase, locality, setting, place, money) and
//!   [`model::input`], which reads it from the TOML file and its tables;
//! - [`travel`]: journey times and distances (road network or straight line);
//! - [`optimise`]: the placement program ([`optimise::formulation`], built from constraint
//!   families), the solver-neutral [`optimise::program`], the solver
//!   [`optimise::backend`]s, pricing arcs in, the optimiser ([`optimise::solve`]), the plan
//!   and its independent [`optimise::checking`];
//! - [`planning`]: the years ahead: the forecast, the horizon (children staying put),
//!   capital schemes and their business case, commissioning options;
//! - [`outputs`]: reports (terminal, CSV, JSON), the sufficiency statement annex, files
//!   written all or none, progress on a terminal;
//! - [`tools`]: synthetic models, the scale benchmark, and settings imported from the
//!   register of schools;
//! - [`commands`]: the program's commands, one function and one file each, with their options
//!   (which are also the command line's);
//! - [`observe`]: counts from inside the long loops (pricing rounds, rounds of cuts,
//!   portfolios, bisection steps, the annex's sections) for a progress display.
//!
//! [`run`] is one year's solve from model to checked plan; every command builds on it or
//! on the formulation it uses.

pub mod commands;
pub mod model;
pub mod observe;
pub mod optimise;
pub mod outputs;
pub mod planning;
pub mod tools;
pub mod travel;

#[cfg(test)]
mod testing;

pub use optimise::run::{Error, Run, RunStage, penalty_problem, run, run_observed};
