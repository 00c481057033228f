//! One year's plan added up: children by need, phase, kind of setting and journey time,
//! places, and what the places and transport cost.

use std::collections::BTreeMap;

use crate::model::{Model, SettingKind};
use crate::optimise::plan::Plan;

/// Journey-time bands (upper bounds, minutes) for the distribution.
pub(super) const BANDS: [f64; 6] = [15.0, 30.0, 45.0, 60.0, 75.0, f64::INFINITY];

pub(super) fn band_name(k: usize) -> String {
    let low = if k == 0 { 0.0 } else { BANDS[k - 1] };
    if BANDS[k].is_finite() { format!("{low:.0} to {:.0} minutes", BANDS[k]) } else { format!("over {low:.0} minutes") }
}

/// One year's plan added up by need, phase, locality and kind of setting.
pub(super) struct Tally {
    pub(super) year: String,
    /// (need, phase) → children placed in borough, out of borough, unmet.
    pub(super) by_need_phase: BTreeMap<(usize, usize), [f64; 3]>,
    /// (kind, need) → children placed.
    pub(super) by_kind_need: BTreeMap<(usize, usize), f64>,
    /// kind → (cost of places, cost of transport), £ a year.
    pub(super) money_by_kind: BTreeMap<usize, (f64, f64)>,
    /// kind → (places in borough, places out of borough).
    pub(super) places_by_kind: BTreeMap<usize, (f64, f64)>,
    /// Children by journey-time band.
    pub(super) journeys: [f64; BANDS.len()],
    /// (locality, setting) → children.
    pub(super) flows: BTreeMap<(usize, usize), f64>,
    pub(super) independent: f64,
    pub(super) mean_journey: f64,
    pub(super) worst_journey: f64,
    pub(super) placement_cost: f64,
    pub(super) transport_cost: f64,
}

pub(super) fn kind_index(kind: SettingKind) -> usize {
    SettingKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Tally {
    pub(super) fn of(year: String, model: &Model, plan: &Plan) -> Tally {
        let mut t = Tally {
            year,
            by_need_phase: BTreeMap::new(),
            by_kind_need: BTreeMap::new(),
            money_by_kind: BTreeMap::new(),
            places_by_kind: BTreeMap::new(),
            journeys: [0.0; BANDS.len()],
            flows: BTreeMap::new(),
            independent: 0.0,
            mean_journey: 0.0,
            worst_journey: 0.0,
            placement_cost: 0.0,
            transport_cost: 0.0,
        };
        for n in 0..model.needs.len() {
            for p in 0..model.phases.len() {
                t.by_need_phase.insert((n, p), [0.0; 3]);
            }
        }
        for (r, d) in model.demand.iter().enumerate() {
            let unmet = plan.unmet.get(r).copied().unwrap_or(0.0);
            t.by_need_phase.entry((d.need.0, d.phase.0)).or_default()[2] += unmet;
        }
        for s in &model.settings {
            let e = t.places_by_kind.entry(kind_index(s.kind)).or_default();
            // The market's places are bought as needed, not commissioned: not counted.
            if s.market.is_none() {
                if s.in_borough { e.0 += s.places } else { e.1 += s.places }
            }
        }
        let summary = plan.summary(model);
        for p in &plan.placements {
            let d = &model.demand[p.demand];
            let s = model.setting(p.setting);
            let k = kind_index(s.kind);
            let cell = t.by_need_phase.entry((d.need.0, d.phase.0)).or_default();
            if s.in_borough {
                cell[0] += p.children;
            } else {
                cell[1] += p.children;
            }
            *t.by_kind_need.entry((k, d.need.0)).or_default() += p.children;
            let m = t.money_by_kind.entry(k).or_default();
            m.0 += s.cost_for(d.need).pounds() * p.children;
            m.1 += model.transport_cost(p.setting, p.journey).pounds() * p.children;
            let band = BANDS.iter().position(|b| p.journey.minutes <= *b).unwrap_or(BANDS.len() - 1);
            t.journeys[band] += p.children;
            *t.flows.entry((d.locality.0, p.setting.0)).or_default() += p.children;
        }
        t.independent = summary.placed_independent;
        t.mean_journey = summary.mean_journey_minutes;
        t.worst_journey = summary.worst_journey_minutes;
        t.placement_cost = summary.placement_cost.pounds();
        t.transport_cost = summary.transport_cost.pounds();
        t
    }
}
