//! The placement program: which children may go where, and at what cost.
//!
//! Columns: one per usable arc (demand row → setting), kept only where the setting serves
//! the need and phase, offers at least the provision the row needs, has places, and the
//! journey is within the phase's maximum; plus one "unmet" column per demand row. Children
//! already placed who stay (horizon years) are a lower bound on their arc, which exists
//! whatever the rules say: an existing placement is kept, not re-judged.
//! Rows: each demand row is placed or counted unmet (equality); each setting's places, and
//! its places per need where given, are not exceeded. The objective depends on the aim:
//! see [`Aim`].

use crate::domain::{Journey, Model, Money, SettingIx};
use crate::program::{LinearProgram, Row, Sense, lp_name_part};
use std::collections::HashMap;

use crate::travel::{self, JourneyTable};

/// A way a demand row may be placed at a setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arc {
    /// Index into [`Model::demand`].
    pub demand: usize,
    /// The setting.
    pub setting: SettingIx,
    /// Journey each way.
    pub journey: Journey,
    /// Annual cost of the place.
    pub place_cost: Money,
    /// Annual transport cost.
    pub transport_cost: Money,
    /// Whether the setting lies outside the borough.
    pub out_of_borough: bool,
    /// Children already placed here who stay: the arc's lower bound.
    pub staying: f64,
}

/// What an objective minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aim {
    /// Placement + transport + out-of-borough weight + unmet penalty, all in £.
    Weighted,
    /// Children left without a place.
    Unmet,
    /// Children placed outside the borough.
    OutOfBorough,
    /// Placement + transport cost, £.
    Cost,
    /// Journey minutes, plus a fixed number under 1 per arc: added, scaled very small, to the
    /// last objective so that among equally good plans every solver picks the same one.
    TieBreak,
}

/// The placement program for a model, with the arcs its columns stand for.
#[derive(Debug, Clone)]
pub struct Formulation {
    /// Usable arcs, grouped by demand row; column `i` is arc `i`.
    pub arcs: Vec<Arc>,
    /// Column of each demand row's unmet need (`None` for rows with no children).
    pub unmet_column: Vec<Option<usize>>,
    /// Row of the program that places each demand row (`None` for rows with no children).
    pub demand_row: Vec<Option<usize>>,
    /// The program, with the weighted objective.
    pub program: LinearProgram,
}

impl Formulation {
    /// Builds the program for `model` with its journeys.
    #[must_use]
    pub fn build(model: &Model, journeys: &JourneyTable) -> Formulation {
        Formulation::from_arcs(model, usable_arcs(model, journeys))
    }

    /// Builds the program for `model` over `arcs` (as [`usable_arcs`] gives them, grouped by
    /// demand row in demand order).
    #[must_use]
    pub fn from_arcs(model: &Model, arcs: Vec<Arc>) -> Formulation {
        let mut program = LinearProgram::default();
        let weight = model.policy.out_of_borough_weight;
        for (i, arc) in arcs.iter().enumerate() {
            let d = &model.demand[arc.demand];
            let name = format!(
                "x{i}_{}_{}_{}_{}",
                lp_name_part(&model.locality(d.locality).id),
                lp_name_part(model.need_code(d.need)),
                lp_name_part(model.phase_code(d.phase)),
                lp_name_part(&model.setting(arc.setting).id)
            );
            let column = program.add_column(name, arc_cost(arc, weight).pounds());
            program.lower[column] = arc.staying;
        }
        // Demand rows: placed + unmet = forecast children.
        let mut unmet_column = vec![None; model.demand.len()];
        let mut demand_row = vec![None; model.demand.len()];
        let mut first_arc = 0;
        for (r, d) in model.demand.iter().enumerate() {
            let mut last = first_arc;
            while last < arcs.len() && arcs[last].demand == r {
                last += 1;
            }
            if d.children > 0.0 {
                let tag = format!(
                    "{}_{}_{}_{}",
                    lp_name_part(&model.locality(d.locality).id),
                    lp_name_part(model.need_code(d.need)),
                    lp_name_part(model.phase_code(d.phase)),
                    lp_name_part(d.provision.code())
                );
                let u = program.add_column(format!("unmet{r}_{tag}"), model.policy.unmet_penalty.pounds());
                unmet_column[r] = Some(u);
                demand_row[r] = Some(program.rows.len());
                let mut terms: Vec<(usize, f64)> = (first_arc..last).map(|a| (a, 1.0)).collect();
                terms.push((u, 1.0));
                program.rows.push(Row {
                    name: format!("demand{r}_{tag}"),
                    terms,
                    sense: Sense::Equal,
                    rhs: d.children,
                });
            }
            first_arc = last;
        }
        // Places: per setting, and per need where the setting gives them.
        let mut by_setting: Vec<Vec<usize>> = vec![Vec::new(); model.settings.len()];
        for (i, arc) in arcs.iter().enumerate() {
            by_setting[arc.setting.0].push(i);
        }
        for (s, columns) in by_setting.iter().enumerate() {
            if columns.is_empty() {
                continue;
            }
            let setting = &model.settings[s];
            let id = lp_name_part(&setting.id);
            program.rows.push(Row {
                name: format!("places{s}_{id}"),
                terms: columns.iter().map(|&c| (c, 1.0)).collect(),
                sense: Sense::AtMost,
                rhs: setting.places,
            });
            for terms in &setting.need_terms {
                let Some(places) = terms.places else { continue };
                let cols: Vec<(usize, f64)> = columns
                    .iter()
                    .filter(|&&c| model.demand[arcs[c].demand].need == terms.need)
                    .map(|&c| (c, 1.0))
                    .collect();
                if cols.is_empty() {
                    continue;
                }
                program.rows.push(Row {
                    name: format!("places{s}_{id}_{}", lp_name_part(model.need_code(terms.need))),
                    terms: cols,
                    sense: Sense::AtMost,
                    rhs: places,
                });
            }
        }
        Formulation { arcs, unmet_column, demand_row, program }
    }

    /// Objective coefficients for `aim`, one per column.
    #[must_use]
    pub fn objective(&self, model: &Model, aim: Aim) -> Vec<f64> {
        let mut c = vec![0.0; self.program.columns.len()];
        for (i, arc) in self.arcs.iter().enumerate() {
            c[i] = match aim {
                Aim::Weighted => arc_cost(arc, model.policy.out_of_borough_weight).pounds(),
                Aim::Unmet => 0.0,
                Aim::OutOfBorough => f64::from(u8::from(arc.out_of_borough)),
                Aim::Cost => (arc.place_cost + arc.transport_cost).pounds(),
                Aim::TieBreak => arc.journey.minutes + tie_order(model, arc),
            };
        }
        for u in self.unmet_column.iter().flatten() {
            c[*u] = match aim {
                Aim::Weighted => model.policy.unmet_penalty.pounds(),
                Aim::Unmet => 1.0,
                Aim::OutOfBorough | Aim::Cost => 0.0,
                Aim::TieBreak => 0.0,
            };
        }
        c
    }

    /// The charge added to the last objective solved so that, among equally good plans,
    /// every solver picks the same one: [`TIE_BREAK_PER_MINUTE`] × (journey minutes + a fixed
    /// number under 1 per arc). It changes no choice worth more than that, pennies a child a
    /// year. This is the one tie-break of the project: every program that places children
    /// adds it.
    #[must_use]
    pub fn tie_break(&self, model: &Model) -> Vec<f64> {
        self.objective(model, Aim::TieBreak).into_iter().map(|t| TIE_BREAK_PER_MINUTE * t).collect()
    }

    /// The dearest arc under the weighted objective, if any: the unmet penalty must exceed it.
    #[must_use]
    pub fn dearest_arc(&self, model: &Model) -> Option<&Arc> {
        let w = model.policy.out_of_borough_weight;
        self.arcs.iter().max_by(|a, b| arc_cost(a, w).pounds().total_cmp(&arc_cost(b, w).pounds()))
    }
}

/// £ per minute of journey charged in the last solve to choose among equally good plans.
pub const TIE_BREAK_PER_MINUTE: f64 = 0.001;

/// A fixed number in [0, 1) for an arc, from the ids it joins (FNV-1a): the same on every
/// machine and solver, and unrelated to the order of rows in the files.
fn tie_order(model: &Model, arc: &Arc) -> f64 {
    let d = &model.demand[arc.demand];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        model.locality(d.locality).id.as_str(),
        model.need_code(d.need),
        model.phase_code(d.phase),
        d.provision.code(),
        model.setting(arc.setting).id.as_str(),
    ] {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Weighted cost of one child on an arc: place + transport + out-of-borough weight.
#[must_use]
pub fn arc_cost(arc: &Arc, out_of_borough_weight: Money) -> Money {
    let weight = if arc.out_of_borough { out_of_borough_weight } else { Money(0.0) };
    arc.place_cost + arc.transport_cost + weight
}

/// Every arc a child could use, grouped by demand row in demand order, in setting order
/// within a row. Only settings within reach of the row's locality are looked at (the journey
/// table is sparse), so the work grows with the arcs, not with rows × settings.
#[must_use]
pub fn usable_arcs(model: &Model, journeys: &JourneyTable) -> Vec<Arc> {
    let mut staying: HashMap<usize, Vec<(SettingIx, f64)>> = HashMap::new();
    for st in &model.staying {
        let row = staying.entry(st.demand).or_default();
        match row.iter_mut().find(|(s, _)| *s == st.setting) {
            Some((_, children)) => *children += st.children,
            None => row.push((st.setting, st.children)),
        }
    }
    let mut arcs = Vec::new();
    for (r, d) in model.demand.iter().enumerate() {
        if d.children <= 0.0 {
            continue;
        }
        let limit = model.phases[d.phase.0].max_journey_minutes;
        let stays = staying.get(&r).map_or(&[][..], Vec::as_slice);
        let first = arcs.len();
        let arc = |s: SettingIx, journey: Journey, stay: f64| {
            let setting = model.setting(s);
            Arc {
                demand: r,
                setting: s,
                journey,
                place_cost: setting.cost_for(d.need),
                transport_cost: model.transport.annual_cost(journey),
                out_of_borough: !setting.in_borough,
                staying: stay,
            }
        };
        for &(s, journey) in journeys.from(d.locality) {
            let setting = model.setting(s);
            let stay = stays.iter().find(|(x, _)| *x == s).map_or(0.0, |(_, c)| *c);
            let usable = journey.minutes <= limit
                && setting.places > 0.0
                && setting.serves(d.need, d.phase, d.provision)
                && setting.terms_for(d.need).and_then(|t| t.places) != Some(0.0);
            // Children who stay keep their place wherever it is.
            if usable || stay > 0.0 {
                arcs.push(arc(s, journey, stay));
            }
        }
        // Children placed where no road reaches: kept, with a straight-line journey.
        let mut unrouted = false;
        for &(s, stay) in stays {
            if stay > 0.0 && journeys.get(d.locality, s).is_none() {
                let journey =
                    travel::estimate(&model.transport, model.locality(d.locality).position, model.setting(s).position);
                arcs.push(arc(s, journey, stay));
                unrouted = true;
            }
        }
        if unrouted {
            arcs[first..].sort_by_key(|a| a.setting);
        }
    }
    arcs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{LocalityIx, Provision};
    use crate::testing::{ModelBuilder, tiny_model};

    #[test]
    fn arcs_respect_need_phase_provision_and_journey_limit() {
        // Locality at 0,0; settings: A serves ASD primary nearby; B ASD secondary; C SEMH;
        // D ASD primary but 100 km away (beyond 45 minutes); E a resourced provision.
        let model = ModelBuilder::new()
            .locality("home", 0.0, 0.0, true)
            .setting("A", "maintained-special", 0.0, 0.05, true, 10.0, "primary", "ASD", 20_000.0)
            .setting("B", "maintained-special", 0.0, 0.05, true, 10.0, "secondary", "ASD", 20_000.0)
            .setting("C", "maintained-special", 0.0, 0.05, true, 10.0, "primary", "SEMH", 20_000.0)
            .setting("D", "maintained-special", 0.0, 0.9, true, 10.0, "primary", "ASD", 20_000.0)
            .setting("E", "resourced-provision", 0.0, 0.05, true, 10.0, "primary", "ASD", 15_000.0)
            .demand("home", "ASD", "primary", 4.0, Provision::ResourcedProvision)
            .demand("home", "ASD", "primary", 2.0, Provision::SpecialSchool)
            .build();
        let f = Formulation::build(&model, &JourneyTable::build(&model));
        let ids: Vec<(usize, &str)> = f.arcs.iter().map(|a| (a.demand, model.setting(a.setting).id.as_str())).collect();
        assert_eq!(ids, vec![(0, "A"), (0, "E"), (1, "A")]);
        assert!(f.arcs.iter().all(|a| a.journey.minutes <= 45.0));
        // 3 arcs + 2 unmet columns; 2 demand rows and a places row for A and for E.
        assert_eq!(f.program.columns.len(), 5);
        assert_eq!(f.program.rows.len(), 4);
        assert_eq!(model.demand[0].locality, LocalityIx(0));
    }

    #[rstest::rstest]
    fn arcs_are_exactly_the_suitable_settings_within_each_phases_limit(#[values(1, 2)] seed: u64) {
        let mut model =
            crate::testing::generated(&crate::generate::Spec { localities: 30, settings: 40, years: 1, seed });
        // Limits that bite, different by phase.
        for (k, phase) in model.phases.iter_mut().enumerate() {
            phase.max_journey_minutes = 8.0 + 6.0 * k as f64;
        }
        let journeys = JourneyTable::build(&model);
        let f = Formulation::build(&model, &journeys);
        let mut expected = Vec::new();
        for (r, d) in model.demand.iter().enumerate() {
            for (s, setting) in model.settings.iter().enumerate() {
                let j = journeys.get(d.locality, SettingIx(s));
                if d.children > 0.0
                    && setting.serves(d.need, d.phase, d.provision)
                    && j.is_some_and(|j| j.minutes <= model.phases[d.phase.0].max_journey_minutes)
                {
                    expected.push((r, SettingIx(s)));
                }
            }
        }
        let got: Vec<(usize, SettingIx)> = f.arcs.iter().map(|a| (a.demand, a.setting)).collect();
        assert_eq!(got, expected);
        for a in &f.arcs {
            assert!(a.journey.minutes <= model.phases[model.demand[a.demand].phase.0].max_journey_minutes);
        }
        assert!(!got.is_empty() && got.len() < model.demand.len() * model.settings.len() / 4, "{}", got.len());
    }

    #[test]
    fn objectives_price_each_aim() {
        let mut model = tiny_model();
        model.policy.out_of_borough_weight = Money(1_000.0);
        model.settings[1].in_borough = false;
        let f = Formulation::build(&model, &JourneyTable::build(&model));
        let w = f.objective(&model, Aim::Weighted);
        let oob = f.objective(&model, Aim::OutOfBorough);
        let cost = f.objective(&model, Aim::Cost);
        for (i, arc) in f.arcs.iter().enumerate() {
            let base = (arc.place_cost + arc.transport_cost).pounds();
            assert!((cost[i] - base).abs() < 1e-9);
            let extra = if arc.out_of_borough { 1_000.0 } else { 0.0 };
            assert!((w[i] - base - extra).abs() < 1e-9);
            assert_eq!(oob[i], extra / 1_000.0);
        }
        assert_eq!(w, f.program.objective);
    }
}
