//! An independent check of every answer against the inputs, outside the solver: demand
//! conserved, no setting over its places (in total or per need), no child placed where the
//! setting cannot take them or beyond the journey limit, and the optimum equal to the sum of
//! its parts priced from the model. A failure here is a bug, never the planner's fault.

use crate::domain::{Model, ObjectiveMode};
use crate::formulation::Aim;
use crate::plan::Plan;
use crate::travel::JourneyTable;

/// Absolute tolerance on counts of children.
const TOLERANCE: f64 = 1e-5;

/// Everything wrong with `plan` for `model`; empty when the plan is sound.
#[must_use]
pub fn check_plan(model: &Model, journeys: &JourneyTable, plan: &Plan) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut placed = vec![0.0; model.demand.len()];
    let mut used = vec![0.0; model.settings.len()];
    let mut used_by_need = vec![vec![0.0; model.needs.len()]; model.settings.len()];
    for p in &plan.placements {
        let d = &model.demand[p.demand];
        let s = model.setting(p.setting);
        let what = format!(
            "{} {} {} at {}",
            model.locality(d.locality).id,
            model.need_code(d.need),
            model.phase_code(d.phase),
            s.id
        );
        if p.children.is_nan() || p.children <= 0.0 {
            wrong.push(format!("{what}: placement of {} children", p.children));
        }
        if !s.serves(d.need, d.phase, d.provision) {
            wrong.push(format!(
                "{what}: the setting does not serve this need, phase or provision"
            ));
        }
        match journeys.get(d.locality, p.setting) {
            None => wrong.push(format!("{what}: no route")),
            Some(j) => {
                let limit = model.phases[d.phase.0].max_journey_minutes;
                if j.minutes > limit + 1e-9 {
                    wrong.push(format!(
                        "{what}: journey {:.1} min is over the {limit} min limit",
                        j.minutes
                    ));
                }
                if j != p.journey {
                    wrong.push(format!("{what}: journey differs from the travel table"));
                }
            }
        }
        placed[p.demand] += p.children;
        used[p.setting.0] += p.children;
        used_by_need[p.setting.0][d.need.0] += p.children;
    }
    for (r, d) in model.demand.iter().enumerate() {
        let unmet = plan.unmet[r];
        if unmet < -TOLERANCE {
            wrong.push(format!("demand row {r}: negative unmet need {unmet}"));
        }
        if (placed[r] + unmet - d.children).abs() > TOLERANCE {
            wrong.push(format!(
                "demand row {r} ({} {} {}): {} placed + {unmet} unmet ≠ {} forecast",
                model.locality(d.locality).id,
                model.need_code(d.need),
                model.phase_code(d.phase),
                placed[r],
                d.children
            ));
        }
    }
    for (s, setting) in model.settings.iter().enumerate() {
        if used[s] > setting.places + TOLERANCE {
            wrong.push(format!(
                "{}: {} children in {} places",
                setting.id, used[s], setting.places
            ));
        }
        for t in &setting.need_terms {
            if let Some(places) = t.places {
                let n = used_by_need[s][t.need.0];
                if n > places + TOLERANCE {
                    wrong.push(format!(
                        "{}: {n} {} children in {places} {} places",
                        setting.id,
                        model.need_code(t.need),
                        model.need_code(t.need)
                    ));
                }
            }
        }
    }
    // The optimum the solver reported must equal the plan priced from the model.
    let summary = plan.summary(model);
    for stage in &plan.stages {
        let priced = match stage.aim {
            Aim::Weighted => summary.weighted_total().pounds(),
            Aim::Unmet => summary.unmet,
            Aim::OutOfBorough => summary.placed_out_of_borough,
            Aim::Cost => summary.annual_cost().pounds(),
        };
        if (priced - stage.value).abs() > 1e-6 * priced.abs().max(1.0) + TOLERANCE {
            wrong.push(format!(
                "{:?}: solver's optimum {} ≠ {} priced from the plan",
                stage.aim, stage.value, priced
            ));
        }
    }
    let expected_stages = match model.policy.objective {
        ObjectiveMode::Weighted => 1,
        ObjectiveMode::Lexicographic => 3,
    };
    if plan.stages.len() != expected_stages {
        wrong.push(format!(
            "{} solves made, expected {expected_stages}",
            plan.stages.len()
        ));
    }
    wrong
}
