//! Why each group of children is placed where it is: per demand row (need, phase, locality and
//! provision), the setting chosen, the next-best suitable setting and what moving a child
//! there would cost ([`crate::optimise::marginal`]), and, for children placed out of the
//! borough, which reason holds.

use serde::Serialize;

use crate::Run;
use crate::optimise::marginal::{marginal, next_best};
use crate::optimise::plan::SMALLEST_FLOW;

/// No in-borough setting serves the need, phase and provision (with places).
pub const NO_LOCAL_SETTING: &str = "no local setting serves this need and phase";
/// In-borough settings serve it, but none within the phase's journey limit.
pub const BEYOND_LIMIT: &str = "beyond the journey limit";
/// In-borough settings serve it within the limit, and none has a place free.
pub const LOCAL_FULL: &str = "every suitable local place full";
/// A suitable local place is free, but the children out of borough are staying there.
pub const STAYING: &str = "staying where they are placed";
/// A suitable local place is free, but costs more than the place out of borough, even with
/// the out-of-borough weight.
pub const CHEAPER_OUT: &str = "a local place is free but costs more, even with the out-of-borough weight";

/// Why one demand row's children are placed where they are.
#[derive(Debug, Clone, Serialize)]
pub struct PlacementReasonLine {
    pub need: String,
    pub phase: String,
    pub locality: String,
    pub locality_name: String,
    pub provision: &'static str,
    /// Children forecast.
    pub children: f64,
    /// The setting with most of them (`None`: none placed).
    pub setting: Option<String>,
    pub setting_name: Option<String>,
    /// Children at that setting.
    pub setting_children: f64,
    /// Other settings some of them are placed at.
    pub other_settings: usize,
    /// Children placed out of the borough.
    pub placed_out_of_borough: f64,
    /// Children unmet.
    pub unmet: f64,
    /// The next-best suitable setting: of the row's usable settings with none of its
    /// children, the one where a child would add least to the objective.
    pub next_best_setting: Option<String>,
    pub next_best_setting_name: Option<String>,
    pub next_best_in_borough: Option<bool>,
    /// What a child there would add, £ a year of money (place and transport, knock-on moves
    /// included).
    pub extra_cost: Option<f64>,
    /// What it would add to the policy weights (out of borough, unmet), £: not money.
    pub extra_policy_weight: Option<f64>,
    /// For a row with children out of the borough, why (one reason, by precedence).
    pub out_of_borough_reason: Option<&'static str>,
}

/// A line per demand row with children, by need, phase, locality and provision.
#[must_use]
pub fn placement_reasons(run: &Run) -> Vec<PlacementReasonLine> {
    let model = &run.model;
    let f = &run.formulation;
    let values = &run.solved.values;
    let marginal = marginal(model, f, values);
    let full = full_arcs(run);
    let mut lines = Vec::new();
    let mut first = 0;
    for (r, d) in model.demand.iter().enumerate() {
        if d.children <= 0.0 {
            continue;
        }
        let arcs = first..f.arcs.partition_point(|a| a.demand <= r);
        first = arcs.end;
        let placed: Vec<usize> = arcs.clone().filter(|&c| values[c] > SMALLEST_FLOW).collect();
        let main = placed.iter().copied().max_by(|&a, &b| values[a].total_cmp(&values[b]).then(b.cmp(&a)));
        let out: f64 =
            placed.iter().filter(|&&c| f.arcs[c].out_of_borough).map(|&c| crate::optimise::plan::in_children(values[c])).sum();
        let next = marginal.as_ref().and_then(|m| next_best(model, f, values, m, r));
        let l = model.locality(d.locality);
        let setting = |c: usize| model.setting(f.arcs[c].setting);
        lines.push(PlacementReasonLine {
            need: model.need_code(d.need).to_string(),
            phase: model.phase_code(d.phase).to_string(),
            locality: l.id.clone(),
            locality_name: l.name.clone(),
            provision: d.provision.code(),
            children: d.children,
            setting: main.map(|c| setting(c).id.clone()),
            setting_name: main.map(|c| setting(c).name.clone()),
            setting_children: main.map_or(0.0, |c| crate::optimise::plan::in_children(values[c])),
            other_settings: placed.len().saturating_sub(1),
            placed_out_of_borough: out,
            unmet: run.plan.unmet[r],
            next_best_setting: next.map(|(c, _)| setting(c).id.clone()),
            next_best_setting_name: next.map(|(c, _)| setting(c).name.clone()),
            next_best_in_borough: next.map(|(c, _)| setting(c).in_borough),
            extra_cost: next.map(|(_, e)| e.money + 0.0),
            extra_policy_weight: next.map(|(_, e)| e.policy_weight(model) + 0.0),
            out_of_borough_reason: (out > 0.0).then(|| out_of_borough_reason(run, r, &full)),
        });
    }
    lines.sort_by(|a, b| {
        let key = |l: &PlacementReasonLine| {
            (model.needs.iter().position(|n| *n == l.need), model.phases.iter().position(|p| p.code == l.phase))
        };
        key(a).cmp(&key(b)).then_with(|| (&a.locality, a.provision).cmp(&(&b.locality, b.provision)))
    });
    lines
}

/// Per arc: whether its setting has no place free for its row (the setting's places, its
/// places for the need, or the locality's cap there all used).
fn full_arcs(run: &Run) -> Vec<bool> {
    let f = &run.formulation;
    let values = &run.solved.values;
    let program = &f.program;
    let tight = |row: usize| {
        let r = &program.rows[row];
        let lhs: f64 = r.terms.iter().map(|&(c, v)| v * values[c]).sum();
        r.rhs - lhs <= SMALLEST_FLOW
    };
    let mut full = vec![false; f.arcs.len()];
    let rows = f.places_row.iter().flatten().copied().chain(f.need_places_rows.iter().map(|r| r.row));
    for row in rows.chain(f.cap_rows.iter().map(|&(_, row)| row)) {
        if tight(row.0) {
            for &(c, _) in &program.rows[row.0].terms {
                if c < full.len() {
                    full[c] = true;
                }
            }
        }
    }
    full
}

/// Why demand row `r` has children out of the borough: the first that holds of
/// [`NO_LOCAL_SETTING`] (no in-borough setting with places serves its need, phase and
/// provision), [`BEYOND_LIMIT`] (some do, none within the phase's journey limit),
/// [`LOCAL_FULL`] (every one within the limit has no place free for it), [`STAYING`] (the
/// children out of borough all stay where they were placed) and [`CHEAPER_OUT`].
fn out_of_borough_reason(run: &Run, r: usize, full: &[bool]) -> &'static str {
    let model = &run.model;
    let f = &run.formulation;
    let d = &model.demand[r];
    let serves = model.settings.iter().any(|s| {
        s.in_borough
            && s.places > 0.0
            && s.serves(d.need, d.phase, d.provision)
            && s.terms_for(d.need).and_then(|t| t.places) != Some(0.0)
    });
    if !serves {
        return NO_LOCAL_SETTING;
    }
    let limit = model.phases[d.phase.0].max_journey_minutes;
    let first = f.arcs.partition_point(|a| a.demand < r);
    let last = f.arcs.partition_point(|a| a.demand <= r);
    let local: Vec<usize> = (first..last)
        .filter(|&c| {
            let a = &f.arcs[c];
            let s = model.setting(a.setting);
            !a.out_of_borough
                && (a.journey.minutes <= limit || s.beyond_journey_limits())
                && s.places > 0.0
                && s.serves(d.need, d.phase, d.provision)
        })
        .collect();
    if local.is_empty() {
        return BEYOND_LIMIT;
    }
    if local.iter().all(|&c| full[c]) {
        return LOCAL_FULL;
    }
    let values = &run.solved.values;
    let moved = (first..last)
        .any(|c| f.arcs[c].out_of_borough && values[c] - f.program.lower[c] > SMALLEST_FLOW);
    if moved { CHEAPER_OUT } else { STAYING }
}
