//! The optimisation core: the placement program and how it is solved and checked.
//!
//! [`formulation`] builds the program from constraint families over a solver-neutral
//! [`program`]; [`backend`] hands it to a solver (microlp, or HiGHS with the `highs`
//! feature); [`pricing`] solves large programs by pricing arcs in; [`solve`] is the
//! optimiser (whole, priced, lexicographic) above the backends; [`plan`] reads the answer
//! in planners' terms; [`checking`] checks it independently against the inputs.

pub mod backend;
pub mod checking;
pub mod flow;
pub mod formulation;
pub mod marginal;
pub mod network;
pub mod plan;
pub mod pricing;
pub mod program;
pub mod run;
pub mod size;
pub mod solve;

#[cfg(test)]
mod hand_solved;
#[cfg(test)]
pub(crate) mod properties;
