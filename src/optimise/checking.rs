//! An independent check of every answer against the inputs, outside the solver: demand
//! conserved, no setting over its places (in total or per need), no child placed where the
//! setting cannot take them or beyond the journey limit, no locality over its cap at a
//! setting, and the optimum equal to the sum of
//! its parts priced from the model. A failure here is a bug, never the planner's fault.
//!
//! Which settings may take a child and what a place and its transport cost are worked out
//! here from the model's rows, in plain loops of their own: the arcs, the formulation and the
//! reports use [`crate::model::Setting::serves`], [`crate::model::Setting::cost_for`] and
//! [`Model::transport_cost`], so a mistake in those shows here as a broken rule or an optimum
//! that is not the plan's price, rather than passing both.

use crate::model::{DemandRow, Journey, MarketStep, Need, Provision, Residence, Setting, SettingIx, SettingKind};
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
        // Named only when something is wrong: most plans are right, and naming every
        // placement was a noticeable share of a risk run's time.
        let what = || {
            format!(
                "{} {} {} at {}",
                model.locality(d.locality).id,
                model.need_code(d.need),
                model.phase_code(d.phase),
                s.id
            )
        };
        if p.children.is_nan() || p.children <= 0.0 {
            wrong.push(format!("{}: placement of {} children", what(), p.children));
        }
        let staying = staying_in(p);
        if (p.staying - staying).abs() > TOLERANCE {
            wrong.push(format!("{}: the plan has {} staying, the model {staying}", what(), p.staying));
        }
        // Children who stay keep an existing place; the rules judge only new placements.
        let new = p.children - staying > TOLERANCE;
        if new && !takes(s, d) {
            wrong.push(format!("{}: the setting does not serve this need, phase or provision", what()));
        }
        match journeys.get(d.locality, p.setting) {
            None if new => wrong.push(format!("{}: no route", what())),
            None => {}
            Some(j) => {
                let limit = model.phases[d.phase.0].max_journey_minutes;
                if new && j.minutes > limit + 1e-9 && !boards(s) {
                    wrong.push(format!("{}: journey {:.1} min is over the {limit} min limit", what(), j.minutes));
                }
                if j != p.journey {
                    wrong.push(format!("{}: journey differs from the travel table", what()));
                }
            }
        }
        placed[p.demand] += p.children;
        used[p.setting.0] += p.children;
        used_by_need[p.setting.0][d.need.0] += p.children;
    }
    // Each demand row and setting's children placed, added in the plan's order (one pass,
    // not one per child staying).
    let mut on_arc: std::collections::HashMap<(usize, SettingIx), f64> = std::collections::HashMap::new();
    for p in &plan.placements {
        *on_arc.entry((p.demand, p.setting)).or_insert(0.0) += p.children;
    }
    for st in &model.staying {
        let kept = on_arc.get(&(st.demand, st.setting)).copied().unwrap_or(0.0);
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
    let priced = Priced::of(model, plan);
    for stage in &plan.stages {
        let priced = match stage.aim {
            Aim::Weighted => priced.weighted(model),
            Aim::Unmet => priced.unmet,
            Aim::OutOfBorough => priced.out_of_borough,
            Aim::Cost => priced.cost(),
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

/// Whether `setting` may take a new child of demand row `d`: its rows list the child's need
/// and phase, and its kind meets the child's tier. Written out here apart from
/// [`Provision::met_by`]: the tiers mainstream, base, unit and special school rank 0 to 3 and
/// a setting meets its rank or below; alternative provision and other arrangements have no
/// rank and meet only themselves. An inclusion programme's places take the tiers it moves
/// children from (the setting's `programme_tiers`), and no other.
fn takes(setting: &Setting, d: &DemandRow) -> bool {
    let child = match d.provision {
        Provision::Mainstream => Some(0),
        Provision::InclusionBase => Some(1),
        Provision::ResourcedProvision => Some(2),
        Provision::SpecialSchool => Some(3),
        Provision::AlternativeProvision | Provision::Elsewhere => None,
    };
    let offered = match setting.kind {
        SettingKind::Mainstream | SettingKind::GeneralFe | SettingKind::EarlyYears => Some(0),
        SettingKind::InclusionBase => Some(1),
        SettingKind::ResourcedProvision => Some(2),
        SettingKind::MaintainedSpecial
        | SettingKind::AcademySpecial
        | SettingKind::IndependentSpecial
        | SettingKind::NonMaintainedSpecial
        | SettingKind::OtherAuthoritySpecial
        | SettingKind::SpecialistPost16
        | SettingKind::IndependentMarket => Some(3),
        SettingKind::AlternativeProvision | SettingKind::OtherArrangements => None,
    };
    let suitable = match (child, offered) {
        (Some(c), Some(o)) => o >= c,
        (None, None) => matches!(
            (d.provision, setting.kind),
            (Provision::AlternativeProvision, SettingKind::AlternativeProvision)
                | (Provision::Elsewhere, SettingKind::OtherArrangements)
        ),
        _ => false,
    };
    let suitable =
        if setting.programme_tiers.is_empty() { suitable } else { setting.programme_tiers.contains(&d.provision) };
    setting.needs.contains(d.need.0) && setting.phases.contains(d.phase.0) && suitable
}

/// Whether a child may be placed at `setting` beyond their phase's journey limit: only at a
/// residential (38- or 52-week) step of the independent market.
fn boards(setting: &Setting) -> bool {
    match setting.market {
        Some(MarketStep { residence: Residence::Weeks38 | Residence::Weeks52, .. }) => true,
        Some(MarketStep { residence: Residence::Day, .. }) | None => false,
    }
}

/// Fee a year of a child of `need` at `setting`: the fee of the setting's first per-need
/// terms for that need where they give one, otherwise its cost per place.
fn fee(setting: &Setting, need: Need) -> f64 {
    for terms in &setting.need_terms {
        if terms.need == need {
            return match terms.cost_per_place {
                Some(cost) => cost.0,
                None => setting.cost_per_place.0,
            };
        }
    }
    setting.cost_per_place.0
}

/// Transport a year of one child to `setting` by `journey`: a market step's own figure where
/// it gives one; otherwise the fixed part, plus each journey's cost by distance and by time
/// over the journeys of a school year.
fn fare(model: &Model, setting: &Setting, journey: Journey) -> f64 {
    let share = model.policy.share_transported.of(setting.kind);
    if let Some(MarketStep { transport_per_child: Some(cost), .. }) = setting.market {
        return cost.0 * share;
    }
    let t = &model.transport;
    let each_journey = t.cost_per_km.0 * journey.km + t.cost_per_minute.0 * journey.minutes;
    (t.fixed_per_child.0 + each_journey * t.journeys_per_day * t.school_days) * share
}

/// What the solver's aims add up to for a plan, priced here from the model's rows (pounds a
/// year, and children).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Priced {
    /// Fees of the children placed.
    places: f64,
    /// Their transport.
    transport: f64,
    /// Children placed at settings outside the borough.
    out_of_borough: f64,
    /// Children left without a place.
    unmet: f64,
}

impl Priced {
    fn of(model: &Model, plan: &Plan) -> Priced {
        let mut priced = Priced::default();
        for p in &plan.placements {
            let setting = &model.settings[p.setting.0];
            priced.places += fee(setting, model.demand[p.demand].need) * p.children;
            priced.transport += fare(model, setting, p.journey) * p.children;
            if !setting.in_borough {
                priced.out_of_borough += p.children;
            }
        }
        for unmet in &plan.unmet {
            priced.unmet += unmet;
        }
        priced
    }

    /// Money spent: fees and transport.
    fn cost(self) -> f64 {
        self.places + self.transport
    }

    /// The weighted aim: money spent, the weight on each child out of borough and the penalty
    /// on each child unmet.
    fn weighted(self, model: &Model) -> f64 {
        self.cost()
            + model.policy.out_of_borough_weight.0 * self.out_of_borough
            + model.policy.unmet_penalty.0 * self.unmet
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LocalityIx;
    use crate::optimise::solve::Stage;
    use crate::testing::{ModelBuilder, tiny_model};

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

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn the_checker_prices_a_plan_from_the_rows_as_worked_by_hand() {
        // 5 ASD primary children. "near": 3 places, £20,000 a place but £18,000 for ASD;
        // "far": out of borough, £60,000; "boarding": a 52-week step of the market, £90,000,
        // its own transport £4,000 a child. Transport: £500 a child, £1 a km and £0.50 a
        // minute of each journey, 2 journeys a day for 190 days; £10,000 a child out of
        // borough; £1,000,000 a child unmet.
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("near", "maintained-special", 53.01, -2.0, true, 3.0, "primary", "ASD", 20_000.0)
            .need_terms("near", "ASD", None, Some(18_000.0))
            .setting("far", "independent-special", 53.1, -2.0, false, 10.0, "primary", "ASD", 60_000.0)
            .market_step("boarding", "ASD", "primary", None, 90_000.0, 120.0, Residence::Weeks52, Some(4_000.0))
            .demand("home", "ASD", "primary", 5.0, Provision::ResourcedProvision)
            .transport(500.0, 1.0)
            .out_of_borough_weight(10_000.0)
            .build();
        let mut model = model;
        model.transport.cost_per_minute = crate::model::Money(0.5);
        // 3 at near (10 km, 20 min), 1 at far (30 km, 40 min), half a child boarding (120
        // km, 120 min), half unmet.
        let at = |s: usize, children: f64, km: f64, minutes: f64| Placement {
            demand: 0,
            setting: SettingIx(s),
            children,
            journey: Journey { minutes, km },
            staying: 0.0,
        };
        let plan = Plan {
            placements: vec![at(0, 3.0, 10.0, 20.0), at(1, 1.0, 30.0, 40.0), at(2, 0.5, 120.0, 120.0)],
            unmet: vec![0.5],
            stages: Vec::new(),
            solver: "test",
        };
        let priced = Priced::of(&model, &plan);
        // Fees: 3 × 18,000 + 60,000 + 0.5 × 90,000 = 159,000.
        assert!(close(priced.places, 159_000.0), "{priced:?}");
        // Transport: near 500 + (10 + 10) × 380 = 8,100 a child, × 3 = 24,300; far 500 +
        // (30 + 20) × 380 = 19,500; boarding 0.5 × 4,000 = 2,000 (not the formula's 68,900).
        assert!(close(priced.transport, 45_800.0), "{priced:?}");
        assert!(close(priced.out_of_borough, 1.5) && close(priced.unmet, 0.5), "{priced:?}");
        assert!(close(priced.cost(), 204_800.0));
        // + 1.5 × 10,000 out of borough + 0.5 × 1,000,000 unmet.
        assert!(close(priced.weighted(&model), 719_800.0));
    }

    #[test]
    fn the_solvers_optimum_is_the_checkers_price_of_the_plan() {
        // 5 ASD primary children; £1,000 transport a child (none by distance). "near": 3
        // places at £20,000, £18,000 for ASD (£19,000 with transport); "indep": 1 place at
        // £30,000, £50,000 for ASD (£51,000); the market: £45,000 with its own transport
        // £4,000 (£49,000). Least cost: 3 at near and 2 from the market, £155,000. The
        // solver's prices come from `cost_for` and `transport_cost`, the checker's from its
        // own arithmetic: were the ASD fees ignored the solver would report £143,000 (far
        // taking one), were the market's transport not its own £149,000, and the run would
        // fail its check.
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("near", "maintained-special", 53.01, -2.0, true, 3.0, "primary", "ASD", 20_000.0)
            .need_terms("near", "ASD", None, Some(18_000.0))
            .setting("indep", "independent-special", 53.02, -2.0, true, 1.0, "primary", "ASD", 30_000.0)
            .need_terms("indep", "ASD", None, Some(50_000.0))
            .market_step("market", "ASD", "primary", None, 45_000.0, 30.0, Residence::Day, Some(4_000.0))
            .demand("home", "ASD", "primary", 5.0, Provision::ResourcedProvision)
            .transport(1_000.0, 0.0)
            .build();
        for solver in crate::optimise::solve::Solver::available() {
            let run = crate::optimise::run::run(model.clone(), solver).unwrap_or_else(|e| panic!("{solver}: {e}"));
            assert!(close(run.plan.stages[0].value, 155_000.0), "{solver}: {:?}", run.plan.stages);
            let at = |id: &str| {
                run.plan.placements.iter().filter(|p| model.setting(p.setting).id == id).map(|p| p.children).sum()
            };
            assert!(close(at("near"), 3.0) && close(at("market"), 2.0) && close(at("indep"), 0.0), "{solver}");
        }
    }

    #[test]
    fn a_child_is_placed_only_where_the_rows_say_the_setting_serves_them() {
        // 2 ASD primary children who need a special school. Cheaper than "special" (£25,000)
        // are a resourced provision (£10,000), a secondary school (£5,000) and an SEMH school
        // (£5,000), none of which may take them. The solver's arcs come from `serves`; the
        // checker reads the rows itself: each wrong placement is caught, and the solved plan
        // puts both at "special" for £50,000.
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("special", "maintained-special", 53.01, -2.0, true, 5.0, "primary", "ASD", 25_000.0)
            .setting("unit", "resourced-provision", 53.01, -2.0, true, 5.0, "primary", "ASD", 10_000.0)
            .setting("secondary", "maintained-special", 53.01, -2.0, true, 5.0, "secondary", "ASD", 5_000.0)
            .setting("semh", "maintained-special", 53.01, -2.0, true, 5.0, "primary", "SEMH", 5_000.0)
            .demand("home", "ASD", "primary", 2.0, Provision::SpecialSchool)
            .build();
        let j = JourneyTable::build(&model);
        let plan_at = |s: usize, value: f64| Plan {
            placements: vec![Placement {
                demand: 0,
                setting: SettingIx(s),
                children: 2.0,
                journey: j.get(LocalityIx(0), SettingIx(s)).unwrap(),
                staying: 0.0,
            }],
            unmet: vec![0.0],
            stages: vec![Stage { aim: Aim::Weighted, value }],
            solver: "test",
        };
        assert_eq!(check_plan(&model, &j, &plan_at(0, 50_000.0)), Vec::<String>::new());
        for (s, value) in [(1, 20_000.0), (2, 10_000.0), (3, 10_000.0)] {
            let wrong = check_plan(&model, &j, &plan_at(s, value));
            assert_eq!(wrong.len(), 1, "{wrong:?}");
            assert!(wrong[0].ends_with("the setting does not serve this need, phase or provision"), "{wrong:?}");
        }
        // A child who needs only a resourced provision may go to the unit.
        let mut any = model.clone();
        any.demand[0].provision = Provision::ResourcedProvision;
        assert_eq!(check_plan(&any, &j, &plan_at(1, 20_000.0)), Vec::<String>::new());
        for solver in crate::optimise::solve::Solver::available() {
            let run = crate::optimise::run::run(model.clone(), solver).unwrap_or_else(|e| panic!("{solver}: {e}"));
            assert!(close(run.plan.stages[0].value, 50_000.0), "{solver}: {:?}", run.plan.stages);
            assert!(run.plan.placements.iter().all(|p| p.setting == SettingIx(0)), "{solver}");
        }
    }

    #[test]
    fn only_a_boarding_place_may_be_beyond_the_journey_limit() {
        // Two steps of the market 120 minutes away (the primary limit is 45): a day place
        // breaks the limit, a 38-week boarding place does not.
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .market_step("day", "ASD", "primary", None, 50_000.0, 120.0, Residence::Day, None)
            .market_step("boarding", "ASD", "primary", None, 50_000.0, 120.0, Residence::Weeks38, None)
            .demand("home", "ASD", "primary", 1.0, Provision::ResourcedProvision)
            .build();
        let j = JourneyTable::build(&model);
        let plan_at = |s: usize| Plan {
            placements: vec![Placement {
                demand: 0,
                setting: SettingIx(s),
                children: 1.0,
                journey: j.get(LocalityIx(0), SettingIx(s)).unwrap(),
                staying: 0.0,
            }],
            unmet: vec![0.0],
            stages: vec![Stage { aim: Aim::Weighted, value: 50_000.0 }],
            solver: "test",
        };
        let wrong = check_plan(&model, &j, &plan_at(0));
        assert!(wrong.len() == 1 && wrong[0].contains("journey 120.0 min is over the 45 min limit"), "{wrong:?}");
        assert_eq!(check_plan(&model, &j, &plan_at(1)), Vec::<String>::new());
    }

    #[test]
    fn the_checkers_tier_rule_agrees_with_the_models_for_every_kind_tier_and_programme() {
        // Every kind of setting, as it is and as an inclusion programme's places taking
        // resourced-provision and special-school children, against every tier: the checker's
        // own rule and `Setting::serves` agree; a programme takes exactly its tiers.
        let model = tiny_model();
        let programme = [Provision::ResourcedProvision, Provision::SpecialSchool];
        for kind in SettingKind::ALL {
            for tiers in [&[][..], &programme[..]] {
                let mut s = model.settings[0].clone();
                s.kind = kind;
                s.programme_tiers = tiers.to_vec();
                for tier in Provision::ALL {
                    let d = DemandRow { provision: tier, ..model.demand[0] };
                    assert_eq!(takes(&s, &d), s.serves(d.need, d.phase, tier), "{kind:?} {tiers:?} {tier:?}");
                    if !tiers.is_empty() {
                        assert_eq!(takes(&s, &d), tiers.contains(&tier), "{kind:?} {tier:?}");
                    }
                }
            }
        }
    }
}
