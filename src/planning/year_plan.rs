//! The plan of one year's solved program, as the schemes and commissioning programs read
//! theirs: the placements from the formulation's column values, and the year's value for
//! the independent check to price again.

use crate::model::Model;
use crate::optimise::formulation::{Aim, Formulation};
use crate::optimise::plan::Plan;
use crate::optimise::solve::Stage;

/// A plan from one block's values, with the solver's value for the year for the
/// independent check to price again.
pub(crate) fn plan_of(model: &Model, f: &Formulation, x: &[f64]) -> Plan {
    let value = f.placement_value(model, x);
    Plan::from_values(f, x, vec![Stage { aim: Aim::Weighted, value }], "")
}
