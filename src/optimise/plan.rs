//! The placement plan: where the optimiser puts each demand row's children, what is left
//! unmet, and the figures a planner reports (costs, children in and out of borough,
//! journeys). Figures are worked out from the model's own prices, not read off the solver.

use serde::Serialize;

use crate::model::{Journey, Model, Money, SettingIx, in_child_units};
use crate::optimise::formulation::Formulation;
use crate::optimise::solve::{Solved, Stage};

/// Children of one demand row placed at one setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// Index into [`Model::demand`].
    pub demand: usize,
    /// The setting.
    pub setting: SettingIx,
    /// Children placed (may be fractional: demand is a forecast).
    pub children: f64,
    /// Journey each way.
    pub journey: Journey,
    /// Of `children`, those already placed here who stayed.
    pub staying: f64,
}

/// The optimiser's answer in planners' terms.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Placements with children.
    pub placements: Vec<Placement>,
    /// Unmet children per demand row.
    pub unmet: Vec<f64>,
    /// The solves made.
    pub stages: Vec<Stage>,
    /// Solver name.
    pub solver: &'static str,
}

/// Smallest flow reported as a placement (solver round-off below this is dropped).
pub const SMALLEST_FLOW: f64 = 1e-6;

/// A solver's value in children, read back in the model's unit: within a millionth of a
/// whole number of [`CHILD_UNIT`]s (solver round-off, or a lexicographic stage's slack) it is
/// that number, so a plan of 4 children out of borough says 4, not 3.9999999. A value
/// farther from the unit (a model not counted in it) is kept as it is.
#[must_use]
pub fn in_children(value: f64) -> f64 {
    let unit = in_child_units(value);
    if (value - unit).abs() <= SMALLEST_FLOW { unit + 0.0 } else { value }
}

impl Plan {
    /// Reads the plan out of a solved formulation.
    #[must_use]
    pub fn from_solved(formulation: &Formulation, solved: &Solved) -> Plan {
        Plan::from_values(formulation, &solved.values, solved.stages.clone(), solved.solver.name())
    }

    /// Reads the plan out of a formulation's column values (`values` may run on past its
    /// columns, as in a larger program the formulation is the first block of).
    #[must_use]
    pub fn from_values(formulation: &Formulation, values: &[f64], stages: Vec<Stage>, solver: &'static str) -> Plan {
        let placements = formulation
            .arcs
            .iter()
            .zip(values)
            .map(|(arc, &v)| (arc, in_children(v)))
            .filter(|(_, v)| *v > SMALLEST_FLOW)
            .map(|(arc, children)| Placement {
                demand: arc.demand,
                setting: arc.setting,
                children,
                journey: arc.journey,
                staying: arc.staying,
            })
            .collect();
        let unmet = formulation
            .unmet_column
            .iter()
            .map(|c| c.map_or(0.0, |c| in_children(c.of(values))))
            .map(|v| if v > SMALLEST_FLOW { v } else { 0.0 })
            .collect();
        Plan { placements, unmet, stages, solver }
    }

    /// The headline figures.
    #[must_use]
    pub fn summary(&self, model: &Model) -> Summary {
        let mut s = Summary {
            children: model.total_children(),
            specialist_children: model.holds_every_plan().then(|| model.specialist_children()),
            ..Summary::default()
        };
        let mut minutes = 0.0;
        let mut km = 0.0;
        for p in &self.placements {
            let d = &model.demand[p.demand];
            let setting = model.setting(p.setting);
            s.placement_cost += setting.cost_for(d.need) * p.children;
            s.transport_cost += model.transport_cost(p.setting, p.journey) * p.children;
            if setting.in_borough {
                s.placed_in_borough += p.children;
            } else {
                s.placed_out_of_borough += p.children;
            }
            if setting.kind.is_independent() {
                s.placed_independent += p.children;
            }
            minutes += p.journey.minutes * p.children;
            km += p.journey.km * p.children;
            s.worst_journey_minutes = s.worst_journey_minutes.max(p.journey.minutes);
        }
        s.unmet = self.unmet.iter().sum();
        s.out_of_borough_weight = model.policy.out_of_borough_weight * s.placed_out_of_borough;
        s.unmet_penalty = model.policy.unmet_penalty * s.unmet;
        let placed = s.placed_in_borough + s.placed_out_of_borough;
        if placed > 0.0 {
            s.mean_journey_minutes = minutes / placed;
            s.mean_journey_km = km / placed;
        }
        s
    }
}

/// The headline figures of a plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Forecast children: every child of the model's demand (needing a specialist place,
    /// unless the model holds every EHC plan).
    pub children: f64,
    /// Of `children`, those needing a specialist place, where the model holds every EHC
    /// plan ([`Model::holds_every_plan`]); none (and not written) where it holds only
    /// children needing a specialist place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialist_children: Option<f64>,
    /// Children placed at settings in the borough.
    pub placed_in_borough: f64,
    /// Children placed at settings outside the borough.
    pub placed_out_of_borough: f64,
    /// Children placed at independent or non-maintained special schools (in or out).
    pub placed_independent: f64,
    /// Children without a suitable place.
    pub unmet: f64,
    /// Annual cost of places.
    pub placement_cost: Money,
    /// Annual cost of home-to-school transport.
    pub transport_cost: Money,
    /// Policy weight on out-of-borough placements (not money spent).
    pub out_of_borough_weight: Money,
    /// Policy penalty on unmet need (not money spent).
    pub unmet_penalty: Money,
    /// Mean journey each way, minutes, over children placed.
    pub mean_journey_minutes: f64,
    /// Mean journey each way, km.
    pub mean_journey_km: f64,
    /// Longest journey each way of any child placed, minutes.
    pub worst_journey_minutes: f64,
}

impl Summary {
    /// Money actually spent in a year: places + transport.
    #[must_use]
    pub fn annual_cost(&self) -> Money {
        self.placement_cost + self.transport_cost
    }

    /// The weighted objective: spend + policy weights.
    #[must_use]
    pub fn weighted_total(&self) -> Money {
        self.annual_cost() + self.out_of_borough_weight + self.unmet_penalty
    }
}
