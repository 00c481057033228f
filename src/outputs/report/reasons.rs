//! Why each group of children is placed where it is: per demand row (need, phase, locality and
//! provision), the setting chosen, the next-best suitable setting and what moving a child
//! there would cost ([`crate::optimise::marginal`]), and, for children placed out of the
//! borough, which reason holds.

use serde::Serialize;

use crate::optimise::marginal::{marginal_priced, next_best};
use crate::optimise::plan::SMALLEST_FLOW;
use crate::optimise::run::Run;

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
    let marginal = marginal_priced(model, f, values, run.solved.row_prices.as_deref());
    let full = full_arcs(run);
    let mut local = LocalSettings::new();
    let mut lines = Vec::new();
    let mut first = 0;
    for (r, d) in model.demand.iter().enumerate() {
        if d.children <= 0.0 {
            continue;
        }
        let arcs = first..f.arcs.partition_point(|a| a.demand <= r);
        first = arcs.end;
        let placed: Vec<usize> = arcs.clone().filter(|&c| values[c] > SMALLEST_FLOW).collect();
        // Children to a millionth (solvers differ below it); ties: the first setting.
        let millionths = |c: usize| (crate::optimise::plan::in_children(values[c]) * 1e6).round() as i64;
        let main = placed.iter().copied().max_by(|&a, &b| millionths(a).cmp(&millionths(b)).then(b.cmp(&a)));
        let out: f64 = placed
            .iter()
            .filter(|&&c| f.arcs[c].out_of_borough)
            .map(|&c| crate::optimise::plan::in_children(values[c]))
            .sum();
        let next = marginal.as_ref().and_then(|m| next_best(model, f, values, m, r));
        let l = model.locality(d.locality);
        let setting = |c: usize| model.setting(f.arcs[c].setting);
        lines.push((
            r,
            PlacementReasonLine {
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
                out_of_borough_reason: (out > 0.0).then(|| out_of_borough_reason(run, r, &full, &mut local)),
            },
        ));
    }
    lines.sort_by(|(a, x), (b, y)| {
        let key = |r: usize| (model.demand[r].need, model.demand[r].phase);
        key(*a).cmp(&key(*b)).then_with(|| (&x.locality, x.provision).cmp(&(&y.locality, y.provision)))
    });
    lines.into_iter().map(|(_, l)| l).collect()
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

/// Whether any in-borough setting serves a need, phase and provision, as found.
type LocalSettings =
    std::collections::HashMap<(crate::model::Need, crate::model::Phase, crate::model::Provision), bool>;

/// Why demand row `r` has children out of the borough: the first that holds of
/// [`NO_LOCAL_SETTING`] (no in-borough setting with places serves its need, phase and
/// provision), [`BEYOND_LIMIT`] (some do, none within the phase's journey limit),
/// [`LOCAL_FULL`] (every one within the limit has no place free for it), [`STAYING`] (the
/// children out of borough all stay where they were placed) and [`CHEAPER_OUT`].
fn out_of_borough_reason(run: &Run, r: usize, full: &[bool], local: &mut LocalSettings) -> &'static str {
    let model = &run.model;
    let f = &run.formulation;
    let d = &model.demand[r];
    let serves = *local.entry((d.need, d.phase, d.provision)).or_insert_with(|| {
        model.settings.iter().any(|s| {
            s.in_borough
                && s.places > 0.0
                && s.serves(d.need, d.phase, d.provision)
                && s.terms_for(d.need).and_then(|t| t.places) != Some(0.0)
        })
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
    let moved = (first..last).any(|c| f.arcs[c].out_of_borough && values[c] - f.program.lower[c] > SMALLEST_FLOW);
    if moved { CHEAPER_OUT } else { STAYING }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Provision, SettingIx, Staying};
    use crate::optimise::solve::Solver;
    use crate::testing::ModelBuilder;

    /// Locality a in the borough; local school A (ASD primary, `places`, £`cost`, at `lat`);
    /// C out of borough (10 places, £25,000) and D out of borough (10 places, £40,000), both
    /// near; an out-of-borough weight of £10,000; three ASD primary children from a.
    fn model(places: f64, cost: f64, lat: f64, needs: &str) -> ModelBuilder {
        ModelBuilder::new()
            .locality("a", 53.0, -2.0, true)
            .setting("A", "maintained-special", lat, -2.01, true, places, "primary", needs, cost)
            .setting("C", "independent-special", 53.02, -2.05, false, 10.0, "primary", "all", 25_000.0)
            .setting("D", "independent-special", 53.03, -2.05, false, 10.0, "primary", "all", 40_000.0)
            .out_of_borough_weight(10_000.0)
            .demand("a", "ASD", "primary", 3.0, Provision::SpecialSchool)
    }

    fn reasons(b: ModelBuilder) -> Vec<PlacementReasonLine> {
        placement_reasons(&crate::optimise::run::run(b.build(), Solver::Network).unwrap())
    }

    #[test]
    fn a_full_local_school_and_the_next_best_out_of_borough() {
        // A takes one child, C two (£35,000 weighted each against D's £50,000): C has most,
        // A is the one other. A is full: "every suitable local place full". The next best is
        // D: one more child would go to C, so a child at D costs £15,000 more, and no weight
        // more (both are out of borough).
        let lines = reasons(model(1.0, 20_000.0, 53.0, "ASD"));
        assert_eq!(lines.len(), 1);
        let l = &lines[0];
        assert_eq!((l.setting.as_deref(), l.setting_children, l.other_settings), (Some("C"), 2.0, 1));
        assert_eq!((l.placed_out_of_borough, l.unmet), (2.0, 0.0));
        assert_eq!((l.next_best_setting.as_deref(), l.next_best_in_borough), (Some("D"), Some(false)));
        assert!((l.extra_cost.unwrap() - 15_000.0).abs() < 1e-6, "{l:?}");
        assert!(l.extra_policy_weight.unwrap().abs() < 1e-6, "{l:?}");
        assert_eq!(l.out_of_borough_reason, Some(LOCAL_FULL));
    }

    #[test]
    fn a_local_school_beyond_the_journey_limit() {
        // A lies a degree north (about 111 km: beyond the primary limit of 45 minutes).
        let l = &reasons(model(10.0, 20_000.0, 54.0, "ASD"))[0];
        assert_eq!((l.setting.as_deref(), l.placed_out_of_borough), (Some("C"), 3.0));
        assert_eq!(l.out_of_borough_reason, Some(BEYOND_LIMIT));
        // The next best is D, £15,000 more.
        assert_eq!(l.next_best_setting.as_deref(), Some("D"));
        assert!((l.extra_cost.unwrap() - 15_000.0).abs() < 1e-6);
    }

    #[test]
    fn no_local_school_for_the_need() {
        // A takes SEMH only; the children are ASD.
        let l = &reasons(model(10.0, 20_000.0, 53.0, "SEMH"))[0];
        assert_eq!(l.out_of_borough_reason, Some(NO_LOCAL_SETTING));
        // It comes first: with A far away too, the reason is still that none serves the need.
        let l = &reasons(model(10.0, 20_000.0, 54.0, "SEMH"))[0];
        assert_eq!(l.out_of_borough_reason, Some(NO_LOCAL_SETTING));
    }

    #[test]
    fn a_free_local_place_dearer_than_out_of_borough_or_a_child_staying() {
        // A at £45,000 against C's £25,000 + £10,000 weight: all three go to C, with A free.
        let l = &reasons(model(10.0, 45_000.0, 53.0, "ASD"))[0];
        assert_eq!(l.out_of_borough_reason, Some(CHEAPER_OUT));
        // The next best is A (£45,000 against D's £50,000 weighted): £20,000 more money,
        // £10,000 less weight.
        assert_eq!((l.next_best_setting.as_deref(), l.next_best_in_borough), (Some("A"), Some(true)));
        assert!((l.extra_cost.unwrap() - 20_000.0).abs() < 1e-6);
        assert!((l.extra_policy_weight.unwrap() + 10_000.0).abs() < 1e-6);
        // A at £20,000 with room, one child staying at C: two go to A, one stays at C.
        let mut m = model(10.0, 20_000.0, 53.0, "ASD").build();
        m.staying.push(Staying { demand: 0, setting: SettingIx(1), children: 1.0 });
        let l = &reasons(ModelBuilder::from(m))[0];
        assert_eq!((l.setting.as_deref(), l.placed_out_of_borough), (Some("A"), 1.0));
        assert_eq!(l.out_of_borough_reason, Some(STAYING));
        // In the borough: no reason.
        let l = &reasons(model(10.0, 20_000.0, 53.0, "ASD"))[0];
        assert_eq!((l.placed_out_of_borough, l.out_of_borough_reason), (0.0, None));
    }

    #[test]
    fn the_csv_and_json_carry_every_line() {
        let run = crate::optimise::run::run(model(1.0, 20_000.0, 53.0, "ASD").build(), Solver::Network).unwrap();
        let tables = crate::outputs::report::Tables::new(&run);
        let csv = crate::outputs::report::csv::placement_reasons(&tables);
        assert_eq!(
            csv,
            "need,phase,locality,locality_name,provision,children,setting,setting_name,setting_children,\
             other_settings,placed_out_of_borough,unmet,next_best_setting,next_best_setting_name,\
             next_best_in_borough,extra_cost,extra_policy_weight,out_of_borough_reason\n\
             ASD,primary,a,a,special-school,3.000,C,C,2.000,1,2.000,0.000,D,D,no,15000.00,0.00,every suitable local place full\n"
        );
        let json = crate::outputs::report::json::all(&tables);
        assert!(json.contains("\"placement_reasons\": [") && json.contains("\"extra_cost\": 15000.0"), "{json}");
    }
}
