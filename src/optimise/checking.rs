//! An independent check of every answer against the inputs, outside the solver: demand
//! conserved, no setting over its places (in total or per need), no child placed where the
//! setting cannot take them or beyond the journey limit, no locality over its cap at a
//! setting, and the optimum equal to the sum of
//! its parts priced from the model. A failure here is a bug, never the planner's fault.

use crate::model::{Model, ObjectiveMode};
use crate::optimise::formulation::Aim;
use crate::optimise::plan::Plan;
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
        if p.staying > p.children + TOLERANCE {
            wrong.push(format!("{what}: {} staying but {} placed", p.staying, p.children));
        }
        // Children who stay keep an existing place; the rules judge only new placements.
        let new = p.children - p.staying > TOLERANCE;
        if new && !s.serves(d.need, d.phase, d.provision) {
            wrong.push(format!("{what}: the setting does not serve this need, phase or provision"));
        }
        match journeys.get(d.locality, p.setting) {
            None if new => wrong.push(format!("{what}: no route")),
            None => {}
            Some(j) => {
                let limit = model.phases[d.phase.0].max_journey_minutes;
                if new && j.minutes > limit + 1e-9 && !s.beyond_journey_limits() {
                    wrong.push(format!("{what}: journey {:.1} min is over the {limit} min limit", j.minutes));
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
    for st in &model.staying {
        let kept: f64 = plan
            .placements
            .iter()
            .filter(|p| p.demand == st.demand && p.setting == st.setting)
            .map(|p| p.children)
            .sum();
        if kept + TOLERANCE < st.children {
            let setting = &model.setting(st.setting).id;
            wrong.push(format!(
                "demand row {}: {} children should stay at {setting}, {kept} did",
                st.demand, st.children
            ));
        }
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
            wrong.push(format!("{}: {} children in {} places", setting.id, used[s], setting.places));
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
    for cap in &model.locality_caps {
        let (mut children, mut staying) = (0.0, 0.0);
        for p in plan.placements.iter().filter(|p| p.setting == cap.setting) {
            if model.demand[p.demand].locality == cap.locality {
                children += p.children;
                staying += p.staying;
            }
        }
        let most = cap.max_children.max(staying);
        if children > most + TOLERANCE {
            wrong.push(format!(
                "{}: {children} children from {}, above the cap of {most}",
                model.setting(cap.setting).id,
                model.locality(cap.locality).id
            ));
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
            Aim::TieBreak => continue,
        };
        if (priced - stage.value).abs() > 1e-6 * priced.abs().max(1.0) + TOLERANCE {
            wrong.push(format!("{:?}: solver's optimum {} ≠ {} priced from the plan", stage.aim, stage.value, priced));
        }
    }
    let expected_stages = match model.policy.objective {
        ObjectiveMode::Weighted => 1,
        ObjectiveMode::Lexicographic => 3,
    };
    if plan.stages.len() != expected_stages {
        wrong.push(format!("{} solves made, expected {expected_stages}", plan.stages.len()));
    }
    wrong
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SettingIx;
    use crate::optimise::plan::Placement;
    use crate::optimise::solve::Stage;
    use crate::testing::tiny_model;

    /// tiny_model: 4 ASD primary children; "near" 3 places at £20k, "far" 10 at £60k.
    fn plan_of(model: &Model, journeys: &JourneyTable, flows: &[(usize, f64)], unmet: f64) -> Plan {
        let placements: Vec<Placement> = flows
            .iter()
            .map(|&(s, children)| Placement {
                demand: 0,
                setting: SettingIx(s),
                children,
                journey: journeys.get(model.demand[0].locality, SettingIx(s)).unwrap(),
                staying: 0.0,
            })
            .collect();
        let mut plan = Plan { placements, unmet: vec![unmet], stages: Vec::new(), solver: "test" };
        let value = plan.summary(model).weighted_total().pounds();
        plan.stages.push(Stage { aim: Aim::Weighted, value });
        plan
    }

    #[test]
    fn a_sound_plan_passes() {
        let model = tiny_model();
        let j = JourneyTable::build(&model);
        assert_eq!(check_plan(&model, &j, &plan_of(&model, &j, &[(0, 3.0), (1, 1.0)], 0.0)), Vec::<String>::new());
    }

    #[test]
    fn each_broken_rule_is_caught() {
        let model = tiny_model();
        let j = JourneyTable::build(&model);
        let found = |plan: &Plan, text: &str| {
            let wrong = check_plan(&model, &j, plan);
            assert!(wrong.iter().any(|w| w.contains(text)), "{text:?} not in {wrong:?}");
        };
        // Demand not conserved: 3 placed + 0 unmet ≠ 4.
        found(&plan_of(&model, &j, &[(0, 3.0)], 0.0), "≠ 4 forecast");
        // Over places: 4 at "near", which has 3.
        found(&plan_of(&model, &j, &[(0, 4.0)], 0.0), "near: 4 children in 3 places");
        // The optimum reported differs from the plan priced from the model.
        let mut plan = plan_of(&model, &j, &[(0, 3.0), (1, 1.0)], 0.0);
        plan.stages[0].value -= 1.0;
        found(&plan, "priced from the plan");
        // A placement beyond the journey limit.
        let mut far_model = model.clone();
        far_model.phases[1].max_journey_minutes = 5.0;
        let wrong = check_plan(&far_model, &j, &plan_of(&model, &j, &[(0, 3.0), (1, 1.0)], 0.0));
        assert!(wrong.iter().any(|w| w.contains("over the 5 min limit")), "{wrong:?}");
        // Over a per-need cap: "near" takes at most 2 ASD children.
        let mut capped = model.clone();
        capped.settings[0].need_terms.push(crate::model::NeedTerms {
            need: capped.demand[0].need,
            places: Some(2.0),
            cost_per_place: None,
        });
        let wrong = check_plan(&capped, &j, &plan_of(&model, &j, &[(0, 3.0), (1, 1.0)], 0.0));
        assert!(wrong.iter().any(|w| w.contains("near: 3 ASD children in 2 ASD places")), "{wrong:?}");
        // A placement at a setting that does not serve the need.
        let mut semh_only = model.clone();
        semh_only.settings[1].needs = crate::model::CodeSet::default();
        let wrong = check_plan(&semh_only, &j, &plan_of(&model, &j, &[(0, 3.0), (1, 1.0)], 0.0));
        assert!(wrong.iter().any(|w| w.contains("does not serve")), "{wrong:?}");
        // Over a locality cap: at most 2 children from "home" at "near".
        let mut capped = model.clone();
        capped.locality_caps.push(crate::model::LocalityCap {
            setting: SettingIx(0),
            locality: capped.demand[0].locality,
            max_children: 2.0,
        });
        let wrong = check_plan(&capped, &j, &plan_of(&model, &j, &[(0, 3.0), (1, 1.0)], 0.0));
        assert!(wrong.iter().any(|w| w.contains("near: 3 children from home, above the cap of 2")), "{wrong:?}");
        assert_eq!(check_plan(&capped, &j, &plan_of(&model, &j, &[(0, 2.0), (1, 2.0)], 0.0)), Vec::<String>::new());
    }
}
