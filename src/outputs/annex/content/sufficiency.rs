//! Why children are placed out of the borough, year by year, and the additional places
//! required that follow from it (children out because every suitable local setting is
//! full, and children with no place available).

use std::collections::BTreeMap;

use crate::optimise::run::Run;

use super::tally::kind_index;

/// Why children are placed out of the borough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reason {
    /// Every suitable setting in the borough is full: these children count as places required.
    LocalFull = 0,
    /// No setting in the borough takes their need, phase and provision within the journey limit.
    NoLocalSetting = 1,
    /// A suitable setting in the borough had a place free (placed outside at less cost, or
    /// staying where they already are).
    LocalFree = 2,
}

/// One year's out-of-borough placements by why, with their cost, and children with no place
/// available: what places required and out-of-borough placements are worked out from.
pub(super) struct Sufficiency {
    /// (need, phase, locality) → children placed out of the borough, by [`Reason`].
    pub(super) out: BTreeMap<(usize, usize, usize), [f64; 3]>,
    /// (need, phase, locality) → children with no place available.
    pub(super) unmet: BTreeMap<(usize, usize, usize), f64>,
    /// kind → (children placed out of the borough, cost of their places, cost of their
    /// transport), £ a year.
    pub(super) out_by_kind: BTreeMap<usize, (f64, f64, f64)>,
}

/// A setting has room when at least one whole place is free (for the child's need and home
/// locality too, where those are capped).
pub(super) const ROOM: f64 = 1.0;

impl Sufficiency {
    pub(super) fn of(run: &Run) -> Sufficiency {
        let (model, plan) = (&run.model, &run.plan);
        let mut at = vec![0.0; model.settings.len()];
        let mut at_need: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        let mut at_locality: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for p in &plan.placements {
            let d = &model.demand[p.demand];
            at[p.setting.0] += p.children;
            *at_need.entry((p.setting.0, d.need.0)).or_default() += p.children;
            *at_locality.entry((p.setting.0, d.locality.0)).or_default() += p.children;
        }
        let room = |r: usize, s: usize| {
            let d = &model.demand[r];
            let setting = &model.settings[s];
            let mut free = setting.places - at[s];
            if let Some(cap) = setting.terms_for(d.need).and_then(|t| t.places) {
                free = free.min(cap - at_need.get(&(s, d.need.0)).copied().unwrap_or(0.0));
            }
            for cap in model.locality_caps.iter().filter(|c| c.setting.0 == s && c.locality == d.locality) {
                free = free.min(cap.max_children - at_locality.get(&(s, d.locality.0)).copied().unwrap_or(0.0));
            }
            free >= ROOM - 1e-6
        };
        // A suitable setting is one the child could be placed at: an arc of the program.
        let reason: Vec<Reason> = (0..model.demand.len())
            .map(|r| {
                let local: Vec<usize> =
                    run.formulation.arcs_of(r).iter().filter(|a| !a.out_of_borough).map(|a| a.setting.0).collect();
                if local.is_empty() {
                    Reason::NoLocalSetting
                } else if local.iter().any(|&s| room(r, s)) {
                    Reason::LocalFree
                } else {
                    Reason::LocalFull
                }
            })
            .collect();
        let mut s = Sufficiency { out: BTreeMap::new(), unmet: BTreeMap::new(), out_by_kind: BTreeMap::new() };
        for (r, d) in model.demand.iter().enumerate() {
            let unmet = plan.unmet.get(r).copied().unwrap_or(0.0);
            if unmet > 0.0 {
                *s.unmet.entry((d.need.0, d.phase.0, d.locality.0)).or_default() += unmet;
            }
        }
        for p in &plan.placements {
            let setting = model.setting(p.setting);
            if setting.in_borough {
                continue;
            }
            let d = &model.demand[p.demand];
            s.out.entry((d.need.0, d.phase.0, d.locality.0)).or_insert([0.0; 3])[reason[p.demand] as usize] +=
                p.children;
            let k = s.out_by_kind.entry(kind_index(setting.kind)).or_default();
            k.0 += p.children;
            k.1 += setting.cost_for(d.need).pounds() * p.children;
            k.2 += model.transport_cost(p.setting, p.journey).pounds() * p.children;
        }
        s
    }

    /// Additional places required by home locality (children out of the borough because
    /// every suitable local setting is full, and children with no place available), one a
    /// locality of `localities`.
    fn required_by_locality(&self, localities: usize) -> Vec<f64> {
        let mut required = vec![0.0; localities];
        for (&(_, _, l), out) in &self.out {
            required[l] += out[Reason::LocalFull as usize];
        }
        for (&(_, _, l), &unmet) in &self.unmet {
            required[l] += unmet;
        }
        required
    }
}

/// Additional places required by home locality in `run`'s year (as the annex's tables count
/// them: models/README.md, "The annex"), one a locality of the model.
#[must_use]
pub fn places_required_by_locality(run: &Run) -> Vec<f64> {
    Sufficiency::of(run).required_by_locality(run.model.localities.len())
}
