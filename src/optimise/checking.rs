//! An independent check of every answer against the inputs, outside the solver: demand
//! conserved, no setting over its places (in total or per need), no child placed where the
//! setting cannot take them or beyond the journey limit, no locality over its cap at a
//! setting, and the optimum equal to the sum of
//! its parts priced from the model. A failure here is a bug, never the planner's fault.

use crate::model::SettingIx;
use crate::model::{Model, ObjectiveMode};
use crate::optimise::formulation::Aim;
use crate::optimise::plan::{Placement, Plan};
use crate::optimise::program::{LinearProgram, Sense};
use crate::travel::JourneyTable;

/// Whether an answer was proved optimal by its row prices ([`certify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimality {
    /// Every column's reduced cost is at least 0 under the row prices, every price has the
    /// sign its row allows, and the prices' dual objective equals the cost: no plan costs
    /// less.
    Certified,
    /// Not proved here, and why (the answer is still the solver's optimum).
    NotCertified(&'static str),
}

impl Optimality {
    /// In a report's words.
    #[must_use]
    pub fn describe(self) -> String {
        match self {
            Optimality::Certified => "optimality certified by the row prices".into(),
            Optimality::NotCertified(why) => format!("optimality not certified: {why}"),
        }
    }
}

/// Checks that `values` is optimal for `program` (continuous columns from their lower bound
/// to their upper, if any) with `prices`, one per row, as an LP dual: the cost of one more
/// unit of the row's right-hand side. Proves optimality by weak duality: the reduced cost
/// `c − Σ aᵢ yᵢ` of every column without an upper bound is at least 0, each price has its
/// row's sign (at most 0 for an "at most" row, at least 0 for an "at least" row), and the
/// dual objective `Σ yᵢ bᵢ + Σ reduced × (lower, or upper where the reduced cost is below 0)`
/// equals the cost `Σ c x` (an upper bound: an arc that takes only the children who stay). Money is compared to £0.001 a
/// column and a millionth of the cost (the network simplex counts money in units of at
/// most a millionth of a pound). Returns what fails.
#[must_use]
pub fn certify(program: &LinearProgram, values: &[f64], prices: &[f64]) -> Vec<String> {
    let mut wrong = Vec::new();
    if prices.len() != program.rows.len() || values.len() != program.columns.len() {
        return vec![format!(
            "{} row prices and {} values for {} rows and {} columns",
            prices.len(),
            values.len(),
            program.rows.len(),
            program.columns.len()
        )];
    }
    let mut priced = vec![0.0; program.columns.len()];
    for (row, &y) in program.rows.iter().zip(prices) {
        let wrong_sign = match row.sense {
            Sense::AtMost => y > 1e-6,
            Sense::AtLeast => y < -1e-6,
            Sense::Equal => false,
        };
        if wrong_sign || !y.is_finite() {
            wrong.push(format!("row {} is priced at {y}, which its sense does not allow", row.name));
        }
        for &(c, a) in &row.terms {
            priced[c] += a * y;
        }
    }
    let mut dual: f64 = program.rows.iter().zip(prices).map(|(r, y)| r.rhs * y).sum();
    for (c, &by_rows) in priced.iter().enumerate() {
        let reduced = program.objective[c] - by_rows;
        let bounded = program.upper[c].is_finite();
        if !bounded && reduced < -1e-3 * (1.0 + program.objective[c].abs() * 1e-6) {
            let name = &program.columns[c];
            wrong.push(format!("column {name} has reduced cost {reduced:.6}: a cheaper plan may exist"));
        }
        dual += reduced * if bounded && reduced < 0.0 { program.upper[c] } else { program.lower[c] };
    }
    let primal: f64 = program.objective.iter().zip(values).map(|(c, x)| c * x).sum();
    if (primal - dual).abs() > 1e-6 * primal.abs().max(1.0) + 1e-3 {
        wrong.push(format!("the row prices' value {dual:.4} is not the cost {primal:.4}"));
    }
    wrong
}

/// Absolute tolerance on counts of children.
const TOLERANCE: f64 = 1e-5;

/// Everything wrong with `plan` for `model`; empty when the plan is sound.
#[must_use]
pub fn check_plan(model: &Model, journeys: &JourneyTable, plan: &Plan) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut placed = vec![0.0; model.demand.len()];
    let mut used = vec![0.0; model.settings.len()];
    let mut used_by_need = vec![vec![0.0; model.needs.len()]; model.settings.len()];
    // Children who stay are read from the model, never from the plan: a plan that claimed
    // more children staying would otherwise exempt new placements from the rules.
    let mut to_stay: std::collections::HashMap<(usize, SettingIx), f64> = std::collections::HashMap::new();
    for st in &model.staying {
        *to_stay.entry((st.demand, st.setting)).or_default() += st.children;
    }
    let staying_in = |p: &Placement| to_stay.get(&(p.demand, p.setting)).map_or(0.0, |&n| n.min(p.children));
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
        let staying = staying_in(p);
        if (p.staying - staying).abs() > TOLERANCE {
            wrong.push(format!("{what}: the plan has {} staying, the model {staying}", p.staying));
        }
        // Children who stay keep an existing place; the rules judge only new placements.
        let new = p.children - staying > TOLERANCE;
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
                staying += staying_in(p);
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
    use crate::optimise::solve::Stage;
    use crate::testing::tiny_model;

    #[test]
    fn the_row_prices_certify_the_optimum_and_catch_a_worse_plan() {
        // tiny_model: 4 children, "near" (3 places) and "far" (10), far dearer. The network's
        // answer is certified; a plan with one child moved from near to far (still feasible)
        // is not, nor is one whose price for near's places has the wrong sign.
        let model = tiny_model();
        let run = crate::optimise::run::run(model, crate::optimise::solve::Solver::Network).unwrap();
        assert_eq!(run.optimality, Optimality::Certified);
        let p = &run.solved.program;
        let prices = run.solved.row_prices.clone().unwrap();
        assert!(certify(p, &run.solved.values, &prices).is_empty());
        let f = &run.formulation;
        let near = f.arcs.iter().position(|a| a.setting == SettingIx(0)).unwrap();
        let far = f.arcs.iter().position(|a| a.setting == SettingIx(1)).unwrap();
        assert!((run.solved.values[near] - 3.0).abs() < 1e-9, "near is full");
        let mut worse = run.solved.values.clone();
        worse[near] -= 1.0;
        worse[far] += 1.0;
        let found = certify(p, &worse, &prices);
        assert!(found.iter().any(|w| w.contains("is not the cost")), "{found:?}");
        let mut wrong_sign = prices.clone();
        let near_places = f.places_row[0].unwrap();
        wrong_sign[near_places.0] = -wrong_sign[near_places.0];
        assert!(!certify(p, &run.solved.values, &wrong_sign).is_empty());
        // A lower price for the demand row leaves the far column's reduced cost at least 0,
        // but then the dual's value falls short of the cost.
        let mut low = prices;
        low[f.demand_row[0].unwrap().0] -= 1_000.0;
        assert!(!certify(p, &run.solved.values, &low).is_empty());
    }

    /// tiny_model: 4 ASD primary children at "home"; "near" 3 places at £20k, "far" 10 at
    /// £60k; no transport cost, no out-of-borough weight. `value` is the weighted optimum the
    /// solver is said to have reported, worked out by hand.
    fn plan_of(model: &Model, journeys: &JourneyTable, flows: &[(usize, f64)], unmet: f64, value: f64) -> Plan {
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
        Plan { placements, unmet: vec![unmet], stages: vec![Stage { aim: Aim::Weighted, value }], solver: "test" }
    }

    /// The least-cost plan by hand: 3 at near (3 × £20,000) and 1 at far (£60,000).
    const SOUND: (&[(usize, f64)], f64) = (&[(0, 3.0), (1, 1.0)], 120_000.0);

    #[test]
    fn a_sound_plan_passes() {
        let model = tiny_model();
        let j = JourneyTable::build(&model);
        assert_eq!(check_plan(&model, &j, &plan_of(&model, &j, SOUND.0, 0.0, SOUND.1)), Vec::<String>::new());
        // Two children who stay at far are the model's; the plan says so too.
        let mut staying = model.clone();
        staying.staying.push(crate::model::Staying { demand: 0, setting: SettingIx(1), children: 2.0 });
        let mut plan = plan_of(&model, &j, &[(0, 2.0), (1, 2.0)], 0.0, 160_000.0);
        plan.placements[1].staying = 2.0;
        assert_eq!(check_plan(&staying, &j, &plan), Vec::<String>::new());
    }

    #[test]
    fn each_broken_rule_is_caught() {
        let model = tiny_model();
        let j = JourneyTable::build(&model);
        let found_in = |model: &Model, plan: &Plan, text: &str| {
            let wrong = check_plan(model, &j, plan);
            assert!(wrong.iter().any(|w| w.contains(text)), "{text:?} not in {wrong:?}");
        };
        let found = |plan: &Plan, text: &str| found_in(&model, plan, text);
        let sound = || plan_of(&model, &j, SOUND.0, 0.0, SOUND.1);
        // Demand not conserved: 3 placed + 0 unmet ≠ 4.
        found(&plan_of(&model, &j, &[(0, 3.0)], 0.0, 60_000.0), "≠ 4 forecast");
        // Unmet need below zero, and a placement of no children or of NaN.
        found(&plan_of(&model, &j, &[(0, 3.0), (1, 2.0)], -1.0, 180_000.0 - 1_000_000.0), "negative unmet need");
        found(&plan_of(&model, &j, &[(0, 3.0), (1, 1.0), (1, 0.0)], 0.0, SOUND.1), "placement of 0 children");
        found(&plan_of(&model, &j, &[(0, 3.0), (1, f64::NAN)], 1.0, f64::NAN), "placement of NaN children");
        // Over places: 4 at "near", which has 3.
        found(&plan_of(&model, &j, &[(0, 4.0)], 0.0, 80_000.0), "near: 4 children in 3 places");
        // The optimum reported differs from the plan priced from the model.
        found(&plan_of(&model, &j, SOUND.0, 0.0, SOUND.1 - 1.0), "priced from the plan");
        // Too many or too few solves for the objective.
        let mut plan = sound();
        plan.stages.push(plan.stages[0]);
        found(&plan, "2 solves made, expected 1");
        // A journey that is not the travel table's.
        let mut plan = sound();
        plan.placements[1].journey.minutes += 1.0;
        found(&plan, "journey differs from the travel table");
        // A placement beyond the journey limit.
        let mut far_model = model.clone();
        far_model.phases[1].max_journey_minutes = 5.0;
        found_in(&far_model, &sound(), "over the 5 min limit");
        // Over a per-need cap: "near" takes at most 2 ASD children.
        let mut capped = model.clone();
        capped.settings[0].need_terms.push(crate::model::NeedTerms {
            need: capped.demand[0].need,
            places: Some(2.0),
            cost_per_place: None,
        });
        found_in(&capped, &sound(), "near: 3 ASD children in 2 ASD places");
        // A placement at a setting that does not serve the need.
        let mut semh_only = model.clone();
        semh_only.settings[1].needs = crate::model::CodeSet::default();
        found_in(&semh_only, &sound(), "does not serve");
        // Over a locality cap: at most 2 children from "home" at "near".
        let mut capped = model.clone();
        capped.locality_caps.push(crate::model::LocalityCap {
            setting: SettingIx(0),
            locality: capped.demand[0].locality,
            max_children: 2.0,
        });
        found_in(&capped, &sound(), "near: 3 children from home, above the cap of 2");
        assert_eq!(
            check_plan(&capped, &j, &plan_of(&model, &j, &[(0, 2.0), (1, 2.0)], 0.0, 160_000.0)),
            Vec::<String>::new()
        );
        // Children who should stay moved; and a plan claiming children stay whom the model
        // does not keep there, which would exempt them from the rules (here: far no longer
        // serves ASD, and the plan says its child stays).
        let mut staying = model.clone();
        staying.staying.push(crate::model::Staying { demand: 0, setting: SettingIx(1), children: 2.0 });
        found_in(&staying, &sound(), "2 children should stay at far, 1 did");
        let mut claims = sound();
        claims.placements[1].staying = 1.0;
        found_in(&model, &claims, "the plan has 1 staying, the model 0");
        found_in(&semh_only, &claims, "does not serve");
    }
}
