//! Reports: the plan and the inputs as tables a planner can paste into a committee paper.
//!
//! [`Tables`] gathers the rows once; one writer per format turns them into text:
//! [`text`] (terminal), [`csv`] (spreadsheets) and [`json`] (other programs). Every text that
//! came from an input file is passed through [`csv::safe_cell`] before it reaches a CSV.

pub mod against;
pub mod commissioning;
pub mod csv;
pub mod high_needs;
pub mod horizon;
pub mod inputs;
pub mod json;
pub mod reasons;
pub mod risk;
pub mod schemes;
pub mod text;

use serde::Serialize;

use crate::model::{Model, Need, Phase, SettingKind};
use crate::optimise::plan::Summary;
use crate::optimise::run::Run;
use crate::optimise::solve::aim_name;
use crate::travel::TravelMethod;

/// Children of one demand row at one setting.
#[derive(Debug, Clone, Serialize)]
pub struct PlacementLine {
    pub locality: String,
    pub locality_name: String,
    pub need: String,
    pub phase: String,
    pub provision: &'static str,
    pub setting: String,
    pub setting_name: String,
    pub kind: &'static str,
    pub in_borough: bool,
    /// For a place bought from the market: day, 38-week or 52-week.
    pub residence: Option<&'static str>,
    pub children: f64,
    /// Of `children`, those who stayed from the year before.
    pub staying: f64,
    pub journey_minutes: f64,
    pub journey_km: f64,
    pub cost_per_place: f64,
    pub transport_per_child: f64,
    pub annual_cost: f64,
}

/// Places used and free at a setting: a line for the whole setting (`need` = "all") and a
/// line per need placed there or capped.
#[derive(Debug, Clone, Serialize)]
pub struct SettingUseLine {
    pub setting: String,
    pub setting_name: String,
    pub kind: &'static str,
    pub in_borough: bool,
    pub need: String,
    /// Places (for a need: its cap, if the setting gives one).
    pub places: Option<f64>,
    pub used: f64,
    pub free: Option<f64>,
}

/// Unmet need of one demand row.
#[derive(Debug, Clone, Serialize)]
pub struct GapLine {
    pub need: String,
    pub phase: String,
    pub locality: String,
    pub locality_name: String,
    pub provision: &'static str,
    pub forecast: f64,
    pub placed: f64,
    pub unmet: f64,
    /// Why: no suitable setting within reach, or suitable places within reach all taken.
    pub reason: String,
}

/// Facts about the run for the method note.
#[derive(Debug, Clone, Serialize)]
pub struct RunFacts {
    pub model: String,
    pub planning_year: String,
    pub solver: &'static str,
    pub objective: &'static str,
    /// Whether the independent check proved the plan optimal ([`crate::optimise::checking::certify`]).
    pub optimality: String,
    pub stages: Vec<(&'static str, f64)>,
    pub travel: String,
    pub travel_method: &'static str,
    pub columns: usize,
    pub rows: usize,
    pub non_zeros: usize,
    pub version: &'static str,
    pub sources: Vec<String>,
}

/// Every table of a solved model.
#[derive(Debug, Clone, Serialize)]
pub struct Tables {
    pub facts: RunFacts,
    pub summary: Summary,
    pub placements: Vec<PlacementLine>,
    pub setting_use: Vec<SettingUseLine>,
    pub gaps: Vec<GapLine>,
    /// Why each demand row's children are placed where they are.
    pub placement_reasons: Vec<reasons::PlacementReasonLine>,
}

impl Tables {
    /// Gathers the tables of a run.
    #[must_use]
    pub fn new(run: &Run) -> Tables {
        let model = &run.model;
        let plan = &run.plan;
        let mut placements: Vec<PlacementLine> = plan
            .placements
            .iter()
            .map(|p| {
                let d = &model.demand[p.demand];
                let l = model.locality(d.locality);
                let s = model.setting(p.setting);
                let cost = s.cost_for(d.need).pounds();
                let transport = model.transport_cost(p.setting, p.journey).pounds();
                PlacementLine {
                    locality: l.id.clone(),
                    locality_name: l.name.clone(),
                    need: model.need_code(d.need).to_string(),
                    phase: model.phase_code(d.phase).to_string(),
                    provision: d.provision.code(),
                    setting: s.id.clone(),
                    setting_name: s.name.clone(),
                    kind: s.kind.code(),
                    in_borough: s.in_borough,
                    residence: s.market.map(|m| m.residence.code()),
                    children: p.children,
                    staying: p.staying,
                    journey_minutes: p.journey.minutes,
                    journey_km: p.journey.km,
                    cost_per_place: cost,
                    transport_per_child: transport,
                    annual_cost: (cost + transport) * p.children,
                }
            })
            .collect();
        placements.sort_by(|a, b| {
            (&a.locality, &a.need, &a.phase, &a.setting).cmp(&(&b.locality, &b.need, &b.phase, &b.setting))
        });

        let mut used = vec![vec![0.0; model.needs.len()]; model.settings.len()];
        let mut placed = vec![0.0; model.demand.len()];
        for p in &plan.placements {
            used[p.setting.0][model.demand[p.demand].need.0] += p.children;
            placed[p.demand] += p.children;
        }
        let mut setting_use = Vec::new();
        for (s, setting) in model.settings.iter().enumerate() {
            let total: f64 = used[s].iter().sum();
            let line = |need: String, places: Option<f64>, used: f64| SettingUseLine {
                setting: setting.id.clone(),
                setting_name: setting.name.clone(),
                kind: setting.kind.code(),
                in_borough: setting.in_borough,
                need,
                places,
                used,
                free: places.map(|p| (p - used).max(0.0)),
            };
            setting_use.push(line("all".into(), setting.places.is_finite().then_some(setting.places), total));
            for (n, &u) in used[s].iter().enumerate() {
                let cap = setting.need_terms.iter().find(|t| t.need.0 == n).and_then(|t| t.places);
                if u > 0.0 || cap.is_some() {
                    setting_use.push(line(model.needs[n].clone(), cap, u));
                }
            }
        }

        let gaps = model
            .demand
            .iter()
            .enumerate()
            .filter(|(r, _)| plan.unmet[*r] > 0.0)
            .map(|(r, d)| {
                let l = model.locality(d.locality);
                let reason = gap_reason(run, r);
                GapLine {
                    need: model.need_code(d.need).to_string(),
                    phase: model.phase_code(d.phase).to_string(),
                    locality: l.id.clone(),
                    locality_name: l.name.clone(),
                    provision: d.provision.needed(),
                    forecast: d.children,
                    placed: placed[r],
                    unmet: plan.unmet[r],
                    reason,
                }
            })
            .collect();

        let program = &run.solved.program;
        let facts = RunFacts {
            model: model.name.clone(),
            planning_year: model.planning_year.to_string(),
            solver: plan.solver,
            objective: model.policy.objective.code(),
            optimality: run.optimality.describe(),
            stages: plan.stages.iter().map(|s| (aim_name(s.aim), s.value)).collect(),
            travel: run.journeys.method.describe(&model.transport),
            travel_method: match run.journeys.method {
                TravelMethod::RoadNetwork => "road-network",
                TravelMethod::StraightLine => "straight-line",
            },
            columns: program.columns.len(),
            rows: program.rows.len(),
            non_zeros: program.non_zeros(),
            version: env!("CARGO_PKG_VERSION"),
            sources: model.sources.clone(),
        };
        let placement_reasons = reasons::placement_reasons(run);
        Tables { facts, summary: plan.summary(model), placements, setting_use, gaps, placement_reasons }
    }
}

/// Why demand row `r` has children without a place, in a planner's words: the named
/// settings within reach are full or there are none, and the independent market has no
/// place for them (it has none for this need and phase, its day places are too far, or
/// the places it offers are all bought).
#[must_use]
pub fn gap_reason(run: &Run, r: usize) -> String {
    let model = &run.model;
    let d = &model.demand[r];
    let limit = model.phases[d.phase.0].max_journey_minutes;
    let arcs = run.formulation.arcs_of(r);
    let named = if arcs.iter().any(|a| model.setting(a.setting).market.is_none()) {
        "suitable places within reach are full".to_string()
    } else {
        format!("no suitable setting within {limit} minutes")
    };
    let steps: Vec<&crate::model::Setting> =
        model.settings.iter().filter(|s| s.market.is_some() && s.serves(d.need, d.phase, d.provision)).collect();
    let market = if !model.settings.iter().any(|s| s.market.is_some()) {
        "the model has no independent market (tables.market)"
    } else if steps.is_empty() {
        "the independent market offers no place for this need and phase"
    } else if arcs.iter().any(|a| model.setting(a.setting).market.is_some()) {
        "the places the independent market offers for it are all bought"
    } else {
        "the independent market's day places are beyond the journey limit and it offers no residential place"
    };
    format!("{named}; {market}")
}

/// Children by need (rows) and phase (columns), summed from (need, phase, children).
#[must_use]
pub fn need_phase_grid(model: &Model, entries: impl IntoIterator<Item = (Need, Phase, f64)>) -> Vec<Vec<f64>> {
    let mut grid = vec![vec![0.0; model.phases.len()]; model.needs.len()];
    for (need, phase, children) in entries {
        grid[need.0][phase.0] += children;
    }
    grid
}

/// Places by kind of setting, in and out of borough.
#[must_use]
pub fn places_by_kind(model: &Model) -> Vec<(SettingKind, f64, f64)> {
    SettingKind::ALL
        .iter()
        .map(|&k| {
            let (mut inb, mut out) = (0.0, 0.0);
            // The market's places are bought as needed, not commissioned: not counted.
            for s in model.settings.iter().filter(|s| s.kind == k && s.market.is_none()) {
                if s.in_borough { inb += s.places } else { out += s.places }
            }
            (k, inb, out)
        })
        .filter(|(_, i, o)| *i + *o > 0.0)
        .collect()
}
