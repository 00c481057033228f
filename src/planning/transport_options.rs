//! Transport commissioning options appraised against a placement plan: for each option, the
//! children it could serve (transported children of its needs and phases at day placements),
//! those who take it, and their transport a year before and after.
//!
//! Each option is appraised on its own against the plan, with the placements held as planned
//! (an option changes how a child travels, not where the child goes). Two options offered to
//! the same children are alternatives for them, so their savings are not added.

use crate::model::{Covers, Model, Money, Residence};
use crate::optimise::plan::Plan;

/// One transport option appraised against a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct TransportAppraisal {
    /// Index into [`Model::transport_options`].
    pub option: usize,
    /// Children it is offered to: those of its needs and phases at day placements, times the
    /// share transported at each kind of setting (`[policy.share_transported]`).
    pub eligible: f64,
    /// Children who take it: `eligible × take_up`.
    pub taking: f64,
    /// Transport a year of the children who take it, as the model costs it now.
    pub before: Money,
    /// Their transport a year with the option.
    pub after: Money,
}

impl TransportAppraisal {
    /// The saving a year: before less after.
    #[must_use]
    pub fn saving(&self) -> Money {
        self.before - self.after
    }

    /// Transport a year of a child who takes it, before (the mean over those who take it).
    #[must_use]
    pub fn before_each(&self) -> Money {
        self.before * (1.0 / self.taking.max(f64::MIN_POSITIVE))
    }

    /// The same, after.
    #[must_use]
    pub fn after_each(&self) -> Money {
        self.after * (1.0 / self.taking.max(f64::MIN_POSITIVE))
    }
}

/// Each of `model`'s transport options appraised on its own against `plan` (a plan of
/// `model`), the placements held as planned. Residential placements are not offered one:
/// their transport is journeys home at weekends or at the end of term, not a daily journey.
#[must_use]
pub fn appraise(model: &Model, plan: &Plan) -> Vec<TransportAppraisal> {
    model
        .transport_options
        .iter()
        .enumerate()
        .map(|(o, option)| {
            let mut a =
                TransportAppraisal { option: o, eligible: 0.0, taking: 0.0, before: Money(0.0), after: Money(0.0) };
            for p in &plan.placements {
                let d = &model.demand[p.demand];
                let setting = model.setting(p.setting);
                let by_day = setting.market.is_none_or(|m| m.residence == Residence::Day);
                if !by_day || !option.covers(d.need, d.phase) {
                    continue;
                }
                let eligible = p.children * model.policy.share_transported.of(setting.kind);
                let taking = eligible * option.take_up;
                let each = model.transport_cost_each(p.setting, p.journey);
                a.eligible += eligible;
                a.taking += taking;
                a.before += each * taking;
                a.after += option.cost_after(each, p.journey, &model.transport) * taking;
            }
            a
        })
        .collect()
}

#[cfg(test)]
mod tests;
