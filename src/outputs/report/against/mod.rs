//! `check --against`: the model's base year beside the DfE's published caseload of EHC
//! plans by establishment type ([`crate::model::input::sen2`]), so a planner sees at once
//! whether the base year is plausible.
//!
//! The comparisons are of children in specialist places: the model's kinds of setting are
//! compared with four groups of the DfE's establishment types; the rest (mainstream
//! schools, alternative provision, further education, education elsewhere, none) are shown
//! as "not in the model", or, for a model of every EHC plan, "outside the four specialist groups" (its
//! children of the other tiers are counted apart, and left out of the tables by age and
//! need), and, after the four groups, compared line by line with every published type of
//! setting ([`every_plan`](fn@every_plan)). The model's figure is the children placed in the base year
//! (`current_placements` of a multi-year model); a model without them is compared by its
//! places, and says so.
//!
//! From the other files of the release come three more comparisons, each a function
//! returning the figures ([`ages`](fn@ages), [`need_mix`](fn@need_mix),
//! [`residential`](fn@residential)) and the text built from it: the caseload by age in the
//! four groups (age at 31 August before the January, so year group = age − 4), the primary
//! need mix of the four groups (detail rows, never subtotals), and residential placements
//! against the market's residential steps. [`report_all`] prints every one read.

mod ages;
mod caseload;
mod every_plan;
mod need_mix;
mod residential;
mod table;

pub use ages::{AgeComparison, Band, age_of, ages, ages_report};
pub use caseload::{Group, report};
pub use every_plan::{Setting, every_plan, every_plan_report};
pub use need_mix::{NeedComparison, NeedRow, need_mix, need_mix_report};
pub use residential::{ResidentialComparison, residential, residential_report};

use crate::model::Model;
use crate::model::input::sen2::Against;

/// What the model's figure in a comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Children placed in the base year (`current_placements` of a multi-year model).
    Placed,
    /// The base year's need (`demand`, or the cohort of a multi-year model).
    Need,
    /// Places the model offers.
    Places,
}

/// Children placed in the base year, if the model has any.
fn placed(model: &Model) -> Option<&[crate::model::CurrentPlacement]> {
    model.horizon.as_ref().map(|h| h.current.as_slice()).filter(|c| !c.is_empty())
}

/// A sum of published figures: missing if any is.
fn sum_published(figures: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    figures.into_iter().try_fold(0.0, |a, p| p.map(|p| a + p))
}

/// One line of a comparison: a name, the model's figure (`None`: the model cannot hold
/// it), the DfE's (`None`: missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What is compared.
    pub name: String,
    /// The model's figure.
    pub model: Option<f64>,
    /// The DfE's figure.
    pub published: Option<f64>,
}

/// Every comparison of what was read, in the order caseload, ages, need mix, residential.
#[must_use]
pub fn report_all(model: &Model, against: &Against) -> String {
    let mut parts = Vec::new();
    if let Some((file, c)) = &against.caseload {
        parts.push(report(model, c, file));
    }
    if let (Some(a), Some((file, _))) = (&against.ages, &against.caseload) {
        parts.push(ages_report(model, a, file));
    }
    if let Some((file, n)) = &against.needs {
        parts.push(need_mix_report(model, n, file));
    }
    if let Some((file, r)) = &against.residential {
        parts.push(residential_report(model, r, file));
    }
    let mut out = parts.join("\n");
    if !against.skipped.is_empty() {
        out.push_str(&format!("\nNot read (not a file check --against reads): {}.\n", against.skipped.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests;
