//! What the annex says: its tables, built from the solved years (and the schemes and
//! commissioning results, when the model has them), its figures drawn from those tables,
//! and the method note generated from the model.
//!
//! In a published statement's words: additional places required (children placed out of the
//! borough because every suitable setting in it is full, and children with no place
//! available) are one thing; out-of-borough placements (where children go, why, and what it
//! costs) another. Before any count is withheld, small needs and phases are published in
//! groups ([`Grouping`]); only counts of the base year's pupils are protected, and every
//! forecast, place and sum of money is rounded instead.

use std::collections::BTreeMap;

use super::disclosure::{CellId, Counts, protect};
use super::map;
use super::svg::{self, Bar};
use super::{Annex, Column, Disclosure, Figure, Item, Section, Table, Unit, Value};
use crate::model::{CapitalMethod, Model, Money, ObjectiveMode, PurchasingOption, SettingKind};
use crate::optimise::formulation::Aim;
use crate::optimise::plan::Plan;
use crate::optimise::run::Run;
use crate::planning::business_case::Payback;
use crate::planning::commissioning::{Comparison, Evaluation};
use crate::planning::horizon::YearRun;
use crate::planning::schemes::{Appraised, Outcome, Portfolio};

/// The chosen capital schemes and what they were chosen under.
#[derive(Debug, Clone, Copy)]
pub struct SchemesPart<'a> {
    /// The appraisal.
    pub appraised: &'a Appraised,
    /// The capital budget it was chosen within (none: no limit).
    pub budget: Option<Money>,
}

/// Everything the annex is made from.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The model as loaded.
    pub model: &'a Model,
    /// Each year planned, in order (one for a single-year model).
    pub years: &'a [YearRun],
    /// Capital schemes chosen and appraised, if the model has candidates.
    pub schemes: Option<SchemesPart<'a>>,
    /// Ways of buying independent places compared, if the model has options.
    pub commissioning: Option<&'a Comparison>,
    /// Counts of pupils below this are withheld; `None` turns disclosure control (grouping
    /// included) off.
    pub threshold: Option<f64>,
    /// When the annex was made (e.g. 2026-11-25).
    pub produced: String,
    /// The command that made it, to reproduce it.
    pub command: String,
    /// The forecast variants the model names (`[appraisal] variants`), each with its
    /// children needing a place in each year planned: the low, central and high bands.
    pub bands: Vec<Band>,
}

/// One forecast variant's children needing a place, as `forecast` gives them.
#[derive(Debug, Clone)]
pub struct Band {
    /// The variant's name (`low`, `central`, `high`, ...).
    pub variant: String,
    /// Children needing a place, `by_need[year][need]` (the model's needs, in order).
    pub by_need: Vec<Vec<f64>>,
}

impl Band {
    /// Children needing a place in year `y` with any of the `needs` (all needs if `None`).
    #[must_use]
    pub fn children(&self, y: usize, needs: Option<&[usize]>) -> f64 {
        let year = &self.by_need[y];
        match needs {
            None => year.iter().sum(),
            Some(needs) => needs.iter().filter_map(|&n| year.get(n)).sum(),
        }
    }
}

/// Journey-time bands (upper bounds, minutes) for the distribution.
const BANDS: [f64; 6] = [15.0, 30.0, 45.0, 60.0, 75.0, f64::INFINITY];

fn band_name(k: usize) -> String {
    let low = if k == 0 { 0.0 } else { BANDS[k - 1] };
    if BANDS[k].is_finite() { format!("{low:.0} to {:.0} minutes", BANDS[k]) } else { format!("over {low:.0} minutes") }
}

/// One year's plan added up by need, phase, locality and kind of setting.
struct Tally {
    year: String,
    /// (need, phase) → children placed in borough, out of borough, unmet.
    by_need_phase: BTreeMap<(usize, usize), [f64; 3]>,
    /// (kind, need) → children placed.
    by_kind_need: BTreeMap<(usize, usize), f64>,
    /// kind → (cost of places, cost of transport), £ a year.
    money_by_kind: BTreeMap<usize, (f64, f64)>,
    /// kind → (places in borough, places out of borough).
    places_by_kind: BTreeMap<usize, (f64, f64)>,
    /// Children by journey-time band.
    journeys: [f64; BANDS.len()],
    /// (locality, setting) → children.
    flows: BTreeMap<(usize, usize), f64>,
    independent: f64,
    mean_journey: f64,
    worst_journey: f64,
    placement_cost: f64,
    transport_cost: f64,
}

fn kind_index(kind: SettingKind) -> usize {
    SettingKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Tally {
    fn of(year: String, model: &Model, plan: &Plan) -> Tally {
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

/// Why children are placed out of the borough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    /// Every suitable setting in the borough is full: these children count as places required.
    LocalFull = 0,
    /// No setting in the borough takes their need, phase and provision within the journey limit.
    NoLocalSetting = 1,
    /// A suitable setting in the borough had a place free (placed outside at less cost, or
    /// staying where they already are).
    LocalFree = 2,
}

/// One year's out-of-borough placements by why, with their cost, and children with no place
/// available: what places required and out-of-borough placements are worked out from.
struct Sufficiency {
    /// (need, phase, locality) → children placed out of the borough, by [`Reason`].
    out: BTreeMap<(usize, usize, usize), [f64; 3]>,
    /// (need, phase, locality) → children with no place available.
    unmet: BTreeMap<(usize, usize, usize), f64>,
    /// kind → (children placed out of the borough, cost of their places, cost of their
    /// transport), £ a year.
    out_by_kind: BTreeMap<usize, (f64, f64, f64)>,
}

/// A setting has room when at least one whole place is free (for the child's need and home
/// locality too, where those are capped).
const ROOM: f64 = 1.0;

impl Sufficiency {
    fn of(run: &Run) -> Sufficiency {
        let (model, plan) = (&run.model, &run.plan);
        let mut at = vec![0.0; model.settings.len()];
        let mut at_need: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        let mut at_locality: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for p in &plan.placements {
            let d = &model.demand[p.demand];
            at[p.setting.0] += p.children;
            *at_need.entry((p.setting.0, d.need.0)).or_default() += p.children;
            *at_locality.entry((p.setting.0, d.locality.0)).or_default() += p.children;
        }
        let room = |r: usize, s: usize| {
            let d = &model.demand[r];
            let setting = &model.settings[s];
            let mut free = setting.places - at[s];
            if let Some(cap) = setting.terms_for(d.need).and_then(|t| t.places) {
                free = free.min(cap - at_need.get(&(s, d.need.0)).copied().unwrap_or(0.0));
            }
            for cap in model.locality_caps.iter().filter(|c| c.setting.0 == s && c.locality == d.locality) {
                free = free.min(cap.max_children - at_locality.get(&(s, d.locality.0)).copied().unwrap_or(0.0));
            }
            free >= ROOM - 1e-6
        };
        // A suitable setting is one the child could be placed at: an arc of the program.
        let reason: Vec<Reason> = (0..model.demand.len())
            .map(|r| {
                let local: Vec<usize> =
                    run.formulation.arcs_of(r).iter().filter(|a| !a.out_of_borough).map(|a| a.setting.0).collect();
                if local.is_empty() {
                    Reason::NoLocalSetting
                } else if local.iter().any(|&s| room(r, s)) {
                    Reason::LocalFree
                } else {
                    Reason::LocalFull
                }
            })
            .collect();
        let mut s = Sufficiency { out: BTreeMap::new(), unmet: BTreeMap::new(), out_by_kind: BTreeMap::new() };
        for (r, d) in model.demand.iter().enumerate() {
            let unmet = plan.unmet.get(r).copied().unwrap_or(0.0);
            if unmet > 0.0 {
                *s.unmet.entry((d.need.0, d.phase.0, d.locality.0)).or_default() += unmet;
            }
        }
        for p in &plan.placements {
            let setting = model.setting(p.setting);
            if setting.in_borough {
                continue;
            }
            let d = &model.demand[p.demand];
            s.out.entry((d.need.0, d.phase.0, d.locality.0)).or_insert([0.0; 3])[reason[p.demand] as usize] +=
                p.children;
            let k = s.out_by_kind.entry(kind_index(setting.kind)).or_default();
            k.0 += p.children;
            k.1 += setting.cost_for(d.need).pounds() * p.children;
            k.2 += model.transport_cost(p.setting, p.journey).pounds() * p.children;
        }
        s
    }

    /// Additional places required by home locality (children out of the borough because
    /// every suitable local setting is full, and children with no place available), one a
    /// locality of `localities`.
    fn required_by_locality(&self, localities: usize) -> Vec<f64> {
        let mut required = vec![0.0; localities];
        for (&(_, _, l), out) in &self.out {
            required[l] += out[Reason::LocalFull as usize];
        }
        for (&(_, _, l), &unmet) in &self.unmet {
            required[l] += unmet;
        }
        required
    }
}

/// Additional places required by home locality in `run`'s year (as the annex's tables count
/// them: models/README.md, "The annex"), one a locality of the model.
#[must_use]
pub fn places_required_by_locality(run: &Run) -> Vec<f64> {
    Sufficiency::of(run).required_by_locality(run.model.localities.len())
}

/// Needs published together unless each is large enough on its own: the SEND Code of
/// Practice's broad areas of need, split where children go to different schools (name,
/// codes). Every other need is published on its own.
const NEED_GROUPS: [(&str, &[&str]); 3] = [
    ("Moderate and specific learning difficulties", &["MLD", "SpLD"]),
    ("Severe and profound learning difficulties", &["SLD", "PMLD"]),
    ("Sensory, physical and other needs", &["HI", "VI", "MSI", "PD", "OTH"]),
];

/// Phases published together unless each is large enough on its own (name, codes).
const PHASE_GROUPS: [(&str, &[&str]); 1] = [("Early years and primary", &["early-years", "primary"])];

/// Kinds of setting published together in the table of children by kind of setting and need
/// unless each is large enough on its own (name, codes).
const KIND_GROUPS: [(&str, &[&str]); 2] = [
    (
        "State special schools and resourced provision",
        &["maintained-special", "academy-special", "resourced-provision"],
    ),
    ("Independent and non-maintained special schools", &["independent-special", "non-maintained-special"]),
];

/// A need group's or phase group's label, and the model's needs or phases in it.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    label: String,
    members: Vec<usize>,
}

/// How needs and phases are published: small ones in groups, before any count is withheld.
///
/// The rule reads only the base year's children needing a place (the pupils protected):
/// 1. each phase group ([`PHASE_GROUPS`]) is split into its phases when every need group, at
///    its largest, has none or at least `least` children in each of its phases;
/// 2. each need group ([`NEED_GROUPS`]) is split into its needs when each of them has none
///    or at least `least` children in every phase as published;
/// 3. in the table of children by kind of setting and need, each group of kinds
///    ([`KIND_GROUPS`]) is split into its kinds when each has none or at least `least`
///    children of every need group.
///
/// `least` is four times the threshold (20 for DfE's 5), so that the parts a need and phase
/// is split into elsewhere (in or out of the borough, by kind of setting) are seldom small.
#[derive(Debug, Clone, PartialEq)]
struct Grouping {
    needs: Vec<Group>,
    phases: Vec<Group>,
    /// Kinds of setting (indices into [`SettingKind::ALL`]) for the table by kind and need.
    kinds: Vec<Group>,
    /// Children every cell of a group split must have, or none (`None`: no grouping).
    least: Option<f64>,
}

/// A phase code as a heading: "early-years" → "Early years", "post-16" → "Post-16".
fn phase_name(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let chars: Vec<char> = code.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        if i == 0 {
            out.extend(ch.to_uppercase());
        } else if ch == '-' && chars.get(i + 1).is_some_and(|c| c.is_alphabetic()) {
            out.push(' ');
        } else {
            out.push(ch);
        }
    }
    out
}

/// The model's needs or phases as fixed groups: each group's members the model has (in the
/// model's order, a group where its first member is), every other code alone.
fn fixed_sets(codes: &[String], groups: &[(&str, &[&str])]) -> Vec<(Option<String>, Vec<usize>)> {
    let group_of =
        |code: &str| groups.iter().position(|(_, members)| members.iter().any(|m| m.eq_ignore_ascii_case(code)));
    let mut sets: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    let mut placed: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, code) in codes.iter().enumerate() {
        match group_of(code) {
            Some(g) => match placed.get(&g) {
                Some(&at) => sets[at].1.push(i),
                None => {
                    placed.insert(g, sets.len());
                    sets.push((Some(groups[g].0.to_string()), vec![i]));
                }
            },
            None => sets.push((None, vec![i])),
        }
    }
    sets
}

impl Grouping {
    /// The grouping for `base[need][phase]`, the base year's children needing a place;
    /// `least` as [`Grouping::least`].
    fn new(needs: &[String], phases: &[String], base: &[Vec<f64>], least: Option<f64>) -> Grouping {
        let need_alone = |n: usize| Group { label: needs[n].clone(), members: vec![n] };
        let phase_alone = |p: usize| Group { label: phase_name(&phases[p]), members: vec![p] };
        let Some(least) = least else {
            return Grouping {
                needs: (0..needs.len()).map(need_alone).collect(),
                phases: (0..phases.len()).map(phase_alone).collect(),
                kinds: Vec::new(),
                least: None,
            };
        };
        let fits = |v: f64| {
            let shown = v.round();
            shown == 0.0 || shown >= least
        };
        let cell =
            |ns: &[usize], ps: &[usize]| -> f64 { ns.iter().flat_map(|&n| ps.iter().map(move |&p| base[n][p])).sum() };
        let need_sets = fixed_sets(needs, &NEED_GROUPS);
        let mut groups_of_phases = Vec::new();
        for (name, members) in fixed_sets(phases, &PHASE_GROUPS) {
            let split =
                members.len() < 2 || members.iter().all(|&p| need_sets.iter().all(|(_, ns)| fits(cell(ns, &[p]))));
            match name {
                Some(name) if !split => groups_of_phases.push(Group { label: name, members }),
                _ => groups_of_phases.extend(members.into_iter().map(phase_alone)),
            }
        }
        let mut groups_of_needs = Vec::new();
        for (name, members) in need_sets {
            let split = members.len() < 2
                || members.iter().all(|&n| groups_of_phases.iter().all(|pg| fits(cell(&[n], &pg.members))));
            match name {
                Some(name) if !split => {
                    let codes: Vec<&str> = members.iter().map(|&n| needs[n].as_str()).collect();
                    groups_of_needs.push(Group { label: format!("{name} ({})", codes.join(", ")), members });
                }
                _ => groups_of_needs.extend(members.into_iter().map(need_alone)),
            }
        }
        Grouping { needs: groups_of_needs, phases: groups_of_phases, kinds: Vec::new(), least: Some(least) }
    }

    /// The kinds of setting `kinds` (indices into [`SettingKind::ALL`]) for the table by kind
    /// and need, grouped by rule 3; `children(kind, need)` is the base year's children placed.
    fn with_kinds(mut self, kinds: &[usize], children: impl Fn(usize, usize) -> f64) -> Grouping {
        let alone = |k: usize| Group { label: SettingKind::ALL[k].name().to_string(), members: vec![k] };
        let Some(least) = self.least else {
            self.kinds = kinds.iter().map(|&k| alone(k)).collect();
            return self;
        };
        let codes: Vec<String> = kinds.iter().map(|&k| SettingKind::ALL[k].code().to_string()).collect();
        let fits = |k: usize| {
            self.needs.iter().all(|g| {
                let shown = g.members.iter().map(|&n| children(k, n)).sum::<f64>().round();
                shown == 0.0 || shown >= least
            })
        };
        let mut groups = Vec::new();
        for (name, members) in fixed_sets(&codes, &KIND_GROUPS) {
            let members: Vec<usize> = members.into_iter().map(|i| kinds[i]).collect();
            match name {
                Some(name) if members.len() > 1 && !members.iter().all(|&k| fits(k)) => {
                    groups.push(Group { label: name, members });
                }
                _ => groups.extend(members.into_iter().map(alone)),
            }
        }
        self.kinds = groups;
        self
    }

    /// The model's need-and-phase cells a year, those published within a group with others,
    /// and the cells published.
    fn counts(&self) -> (usize, usize, usize) {
        let needs: usize = self.needs.iter().map(|g| g.members.len()).sum();
        let phases: usize = self.phases.iter().map(|g| g.members.len()).sum();
        let alone = self.needs.iter().filter(|g| g.members.len() == 1).count()
            * self.phases.iter().filter(|g| g.members.len() == 1).count();
        (needs * phases, needs * phases - alone, self.needs.len() * self.phases.len())
    }

    /// The rule and what it did, in words, for the method note.
    fn describe(&self, model: &Model) -> String {
        let Some(least) = self.least else {
            return "None: with disclosure control off, every need and phase is shown on its own.".into();
        };
        let list = |codes: &[&str]| -> String {
            match codes {
                [] => String::new(),
                [one] => (*one).to_string(),
                [init @ .., last] => format!("{} and {last}", init.join(", ")),
            }
        };
        let rule_groups: Vec<String> = NEED_GROUPS.iter().map(|(_, codes)| list(codes)).collect();
        let kind_groups: Vec<String> = KIND_GROUPS.iter().map(|(name, _)| format!("\"{name}\"")).collect();
        let made: Vec<String> = self
            .phases
            .iter()
            .filter(|g| g.members.len() > 1)
            .map(|g| {
                let names: Vec<String> = g.members.iter().map(|&p| phase_name(&model.phases[p].code)).collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                format!("{} as \"{}\"", list(&names), g.label)
            })
            .chain(self.needs.iter().filter(|g| g.members.len() > 1).map(|g| {
                let codes: Vec<&str> = g.members.iter().map(|&n| model.needs[n].as_str()).collect();
                format!("{} as \"{}\"", list(&codes), g.label)
            }))
            .chain(self.kinds.iter().filter(|g| g.members.len() > 1).map(|g| {
                let names: Vec<&str> = g.members.iter().map(|&k| SettingKind::ALL[k].name()).collect();
                format!("{} as \"{}\" (by kind of setting and need)", list(&names), g.label)
            }))
            .collect();
        let done = if made.is_empty() {
            "Here every need, phase and kind of setting is large enough to be published on its own.".to_string()
        } else {
            format!("Here: {}.", made.join("; "))
        };
        format!(
            "Before any count is withheld, small needs and phases are published in groups, by a rule read from the \
             base year's children: early years is published with primary, and each of these groups of needs as one \
             ({}), unless each phase or need in the group has none or at least {least:.0} children (four times the \
             threshold) in every cell published. In the table of children by kind of setting and need, kinds are \
             grouped likewise ({}). {done}",
            rule_groups.join("; "),
            in_words(&kind_groups)
        )
    }
}

/// A cell before disclosure control: a value, a count from the pool, or a figure that
/// is withheld with any of the counts it is worked out from.
enum Cell {
    Value(Value),
    Count(CellId),
    Derived(f64, Vec<CellId>),
}

fn text(t: impl Into<String>) -> Cell {
    Cell::Value(Value::Text(t.into()))
}

fn number(v: f64) -> Cell {
    Cell::Value(Value::Number(v))
}

struct Draft {
    id: String,
    title: String,
    note: String,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    totals: usize,
    /// Figures published by someone else (the DfE), shown as published: neither rounded
    /// nor withheld here.
    theirs: bool,
}

impl Draft {
    fn new(id: impl Into<String>, title: impl Into<String>, note: impl Into<String>, columns: Vec<Column>) -> Draft {
        Draft {
            id: id.into(),
            title: title.into(),
            note: note.into(),
            columns,
            rows: Vec::new(),
            totals: 0,
            theirs: false,
        }
    }

    /// Figures that are rounded and never withheld: counts that are not of pupils, and
    /// children, places and money that are not counts of the pool.
    fn rounded(&self, counts: &Counts) -> usize {
        if self.theirs {
            return 0;
        }
        let rounded_unit = |u: Unit| matches!(u, Unit::Children | Unit::Places | Unit::Pounds | Unit::PoundsEach);
        self.rows
            .iter()
            .flat_map(|row| row.iter().zip(&self.columns))
            .filter(|(cell, col)| match cell {
                Cell::Count(id) => !counts.protected[*id],
                Cell::Value(Value::Number(_)) => rounded_unit(col.unit),
                Cell::Derived(v, from) => {
                    v.is_finite()
                        && matches!(col.unit, Unit::Pounds | Unit::PoundsEach)
                        && from.iter().all(|&c| !counts.protected[c])
                }
                Cell::Value(_) => false,
            })
            .count()
    }

    fn resolve(self, counts: &Counts, withheld: &[bool]) -> Table {
        let columns = self.columns;
        let rows = self
            .rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .zip(&columns)
                    .map(|(cell, col)| match cell {
                        Cell::Value(Value::Number(v)) => Value::Number(col.unit.round(v)),
                        Cell::Value(v) => v,
                        Cell::Count(id) => {
                            if withheld[id] {
                                Value::Withheld
                            } else {
                                Value::Number(col.unit.round(counts.values[id]))
                            }
                        }
                        Cell::Derived(v, from) => {
                            if from.iter().any(|&c| withheld[c]) {
                                Value::Withheld
                            } else if v.is_finite() {
                                Value::Number(col.unit.round(v))
                            } else {
                                Value::Blank
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        Table { id: self.id, title: self.title, note: self.note, columns, rows, totals: self.totals }
    }
}

/// A figure to draw once the tables are final.
enum Sketch {
    NeedAgainstPlaces,
    PlacesRequired,
    Journeys,
    Map,
    Destinations,
}

enum Part {
    Paragraph(String),
    Table(Draft),
    Figure(Sketch),
}

struct Builder<'a> {
    inputs: &'a Inputs<'a>,
    model: &'a Model,
    council: String,
    tallies: Vec<Tally>,
    sufficiency: Vec<Sufficiency>,
    grouping: Grouping,
    counts: Counts,
    sections: Vec<(String, String, Vec<Part>)>,
}

/// Pool keys: measure, year, need group, phase group, locality or kind ("*" for all).
fn key(measure: &str, year: &str, parts: &[&str]) -> String {
    format!("{measure}|{year}|{}", parts.join("|"))
}

/// The counts of each need group and phase group: placed in the borough, with no place
/// available, and out of the borough by reason (local places full, no suitable setting in the
/// borough, a suitable place free).
const BASE_MEASURES: [&str; 5] = ["in", "unmet", "full", "none", "free"];

/// Every measure kept by need group and phase group, with its sums over each.
const MEASURES: [&str; 9] = ["in", "unmet", "full", "none", "free", "out", "needing", "required", "placed"];

/// A list in words: "a", "a and b", "a, b and c".
fn in_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Pounds as the model holds them: "£1,500", "£1.10", "£0.25".
fn pounds_exact(m: Money) -> String {
    let v = m.pounds();
    if (v - v.round()).abs() < 1e-9 {
        Unit::Pounds.format(v.round())
    } else {
        let sign = if v < 0.0 { "-" } else { "" };
        let whole = v.abs().trunc();
        let pence = ((v.abs() - whole) * 100.0).round();
        let (whole, pence) = if pence >= 100.0 { (whole + 1.0, 0.0) } else { (whole, pence) };
        format!("{sign}£{}.{pence:02.0}", crate::model::group_thousands(whole))
    }
}

/// A number as the model holds it, without trailing zeros: 3.5, 40, 0.035.
fn plain(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Full names of the DfE's primary need codes, for the method note.
const NEED_NAMES: [(&str, &str); 12] = [
    ("ASD", "autistic spectrum disorder"),
    ("SEMH", "social, emotional and mental health"),
    ("SLCN", "speech, language and communication needs"),
    ("MLD", "moderate learning difficulty"),
    ("SLD", "severe learning difficulty"),
    ("PMLD", "profound and multiple learning difficulty"),
    ("SpLD", "specific learning difficulty"),
    ("HI", "hearing impairment"),
    ("VI", "visual impairment"),
    ("MSI", "multi-sensory impairment"),
    ("PD", "physical disability"),
    ("OTH", "other difficulty or disability"),
];

/// The chosen schemes by name: "New SEMH school (Crewe site); ASD resource base ×3".
fn portfolio_names(model: &Model, portfolio: &Portfolio) -> String {
    let names: Vec<String> = model
        .schemes
        .iter()
        .zip(&portfolio.0)
        .filter(|(_, m)| **m > 0)
        .map(|(s, &m)| if s.max_modules > 1 { format!("{} ×{m}", s.name) } else { s.name.clone() })
        .collect();
    if names.is_empty() { "no scheme".into() } else { names.join("; ") }
}

/// The purchasing options an evaluation uses, by name: "North West purchasing system;
/// Block contract: Meadowsweet House (2 blocks)".
fn options_used(options: &[PurchasingOption], e: &Evaluation) -> String {
    let parts: Vec<String> = crate::planning::commissioning::options_in_use(options, e)
        .into_iter()
        .map(|(o, blocks)| match blocks {
            Some(taken) => format!("{} ({taken} blocks)", o.name),
            None => o.name.clone(),
        })
        .collect();
    if parts.is_empty() { "spot purchase only".into() } else { parts.join("; ") }
}

/// Whether a business case pays back within the years planned, in words.
fn pays_back(payback: Payback, capital: Money) -> String {
    match payback {
        Payback::Within(y) => format!("pays back in {y}"),
        Payback::Beyond(y) => {
            format!("does not pay back within the years planned (at the last year's saving it would in {y})")
        }
        Payback::Never if capital.pounds() <= 0.0 => "has no capital to repay".into(),
        Payback::Never => "does not pay back: by the last year planned it saves nothing".into(),
    }
}

impl Builder<'_> {
    fn years(&self) -> Vec<String> {
        self.tallies.iter().map(|t| t.year.clone()).collect()
    }

    fn first(&self) -> String {
        self.tallies[0].year.clone()
    }

    fn last(&self) -> String {
        self.tallies[self.tallies.len() - 1].year.clone()
    }

    /// The years covered: "2025/26 to 2029/30", or the one year.
    fn years_covered(&self) -> String {
        let (first, last) = (self.first(), self.last());
        if first == last { first } else { format!("{first} to {last}") }
    }

    fn section(&mut self, id: &str, heading: &str) {
        self.sections.push((id.into(), heading.into(), Vec::new()));
    }

    fn add(&mut self, part: Part) {
        if let Some(s) = self.sections.last_mut() {
            s.2.push(part);
        }
    }

    fn need_labels(&self) -> Vec<String> {
        self.grouping.needs.iter().map(|g| g.label.clone()).collect()
    }

    fn phase_labels(&self) -> Vec<String> {
        self.grouping.phases.iter().map(|g| g.label.clone()).collect()
    }

    /// (need group, phase group) labels, in order.
    fn need_phase_pairs(&self) -> Vec<(String, String)> {
        let phases = self.phase_labels();
        self.need_labels().into_iter().flat_map(|n| phases.iter().map(move |p| (n.clone(), p.clone()))).collect()
    }

    /// The counts of a year, by need group and phase group and by home locality: the base
    /// counts every other count adds up from, with the sums that tie them.
    fn year_cells(&mut self, y: usize) {
        let year = self.tallies[y].year.clone();
        let needs = self.grouping.needs.clone();
        let phases = self.grouping.phases.clone();
        let localities = self.model.localities.len();
        for g in &needs {
            for pg in &phases {
                // in, unmet, full, none, free.
                let mut v = [0.0; 5];
                for &n in &g.members {
                    for &p in &pg.members {
                        let [inb, _, unmet] = self.tallies[y].by_need_phase[&(n, p)];
                        v[0] += inb;
                        v[1] += unmet;
                        for l in 0..localities {
                            if let Some(out) = self.sufficiency[y].out.get(&(n, p, l)) {
                                v[2] += out[Reason::LocalFull as usize];
                                v[3] += out[Reason::NoLocalSetting as usize];
                                v[4] += out[Reason::LocalFree as usize];
                            }
                        }
                    }
                }
                let parts = [g.label.as_str(), pg.label.as_str()];
                let ids: Vec<CellId> =
                    BASE_MEASURES.iter().zip(v).map(|(m, v)| self.counts.cell(key(m, &year, &parts), v)).collect();
                let [inb, unmet, full, none, free] = ids[..] else { unreachable!("five measures") };
                let out = self.counts.sum(key("out", &year, &parts), &[full, none, free]);
                self.counts.sum(key("needing", &year, &parts), &[inb, out, unmet]);
                self.counts.sum(key("required", &year, &parts), &[full, unmet]);
                self.counts.sum(key("placed", &year, &parts), &[inb, out]);
            }
        }
        // Sums over phases, over needs, and over both.
        for measure in MEASURES {
            let mut need_totals = Vec::new();
            for g in &needs {
                let parts: Vec<CellId> =
                    phases.iter().map(|pg| self.id(measure, &year, &[&g.label, &pg.label])).collect();
                need_totals.push(self.counts.sum(key(measure, &year, &[&g.label, "*"]), &parts));
            }
            let mut phase_totals = Vec::new();
            for pg in &phases {
                let parts: Vec<CellId> =
                    needs.iter().map(|g| self.id(measure, &year, &[&g.label, &pg.label])).collect();
                phase_totals.push(self.counts.sum(key(measure, &year, &["*", &pg.label]), &parts));
            }
            let all = self.counts.sum(key(measure, &year, &["*", "*"]), &need_totals);
            self.counts.tie(&phase_totals, all);
        }
        // By home locality: places required by need group and in all, and children out of
        // the borough in all.
        let mut required_totals = Vec::new();
        let mut out_totals = Vec::new();
        for (l, loc) in self.model.localities.clone().iter().enumerate() {
            let mut parts = Vec::new();
            let mut out = 0.0;
            for g in &needs {
                let mut required = 0.0;
                for &n in &g.members {
                    for p in 0..self.model.phases.len() {
                        let o = self.sufficiency[y].out.get(&(n, p, l)).copied().unwrap_or_default();
                        let u = self.sufficiency[y].unmet.get(&(n, p, l)).copied().unwrap_or_default();
                        required += o[Reason::LocalFull as usize] + u;
                        out += o.iter().sum::<f64>();
                    }
                }
                parts.push(self.counts.cell(key("required", &year, &[&g.label, "*", &loc.id]), required));
            }
            required_totals.push(self.counts.sum(key("required", &year, &["*", "*", &loc.id]), &parts));
            out_totals.push(self.counts.cell(key("out", &year, &["*", "*", &loc.id]), out));
        }
        for g in &needs {
            let parts: Vec<CellId> = self
                .model
                .localities
                .iter()
                .map(|loc| self.counts.cell(key("required", &year, &[&g.label, "*", &loc.id]), 0.0))
                .collect();
            let total = self.id("required", &year, &[&g.label, "*"]);
            self.counts.tie(&parts, total);
        }
        let required = self.id("required", &year, &["*", "*"]);
        self.counts.tie(&required_totals, required);
        let out = self.id("out", &year, &["*", "*"]);
        self.counts.tie(&out_totals, out);
    }

    /// A published count of the pool.
    fn count(&mut self, measure: &str, year: &str, parts: &[&str]) -> Cell {
        let id = self.counts.cell(key(measure, year, parts), 0.0);
        self.counts.published[id] = true;
        Cell::Count(id)
    }

    fn id(&mut self, measure: &str, year: &str, parts: &[&str]) -> CellId {
        self.counts.cell(key(measure, year, parts), 0.0)
    }

    fn value(&self, id: CellId) -> f64 {
        self.counts.values[id]
    }

    /// Growth from count `a` to count `b`, %, withheld with either.
    fn growth(&self, a: CellId, b: CellId) -> Cell {
        let growth = if self.value(a) > 0.0 { 100.0 * (self.value(b) / self.value(a) - 1.0) } else { f64::NAN };
        Cell::Derived(growth, vec![a, b])
    }

    /// A row: its labels, then a published count of `measure` for each year.
    fn row_by_year(&mut self, labels: &[&str], measure: &str, years: &[String], parts: &[&str]) -> Vec<Cell> {
        let mut row: Vec<Cell> = labels.iter().map(|l| text(*l)).collect();
        for year in years {
            row.push(self.count(measure, year, parts));
        }
        row
    }

    /// "{first} counts children with plans now; later years are forecast."
    fn base_and_forecast(&self) -> String {
        let first = self.first();
        if self.tallies.len() > 1 {
            format!("{first} counts children with plans now (the base year); later years are forecast.")
        } else {
            format!("{first} counts children with plans now.")
        }
    }

    /// A table of `measure` by need group and phase group (rows where it is not nil in some
    /// year), a column a year.
    fn by_need_phase_and_year(&mut self, measure: &str, id: &str, title: String, note: String) -> Draft {
        let years = self.years();
        let mut columns = vec![Column::new("Primary need", Unit::Text), Column::new("Phase", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(id, title, note, columns);
        for (need, phase) in self.need_phase_pairs() {
            let ids: Vec<CellId> = years.iter().map(|y| self.id(measure, y, &[&need, &phase])).collect();
            if ids.iter().all(|&c| self.value(c) < 0.5) {
                continue;
            }
            let mut row = vec![text(need.clone()), text(phase.clone())];
            for id in ids {
                self.counts.published[id] = true;
                row.push(Cell::Count(id));
            }
            t.rows.push(row);
        }
        let row = self.row_by_year(&["All needs", "All phases"], measure, &years, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        t
    }

    fn need_section(&mut self) {
        let (first, last) = (self.first(), self.last());
        let council = self.council.clone();
        self.section("need", &format!("Need: children in {council} with EHC plans needing a specialist place"));
        let grouped = if self.grouping.counts().1 > 0 {
            " Needs and phases with few children are shown in groups (see \"Grouping\" in the method note)."
        } else {
            ""
        };
        self.add(Part::Paragraph(format!(
            "Children and young people with education, health and care plans who need a place in a special school, \
             resourced provision or specialist post-16 institution, by primary need and phase. {}{grouped}",
            self.base_and_forecast()
        )));
        let phases = self.phase_labels();
        let needs = self.need_labels();
        let mut columns = vec![Column::new("Primary need", Unit::Text)];
        columns.extend(phases.iter().map(|p| Column::new(p.clone(), Unit::Children)));
        columns.push(Column::new("All phases", Unit::Children));
        let mut t = Draft::new(
            "need-by-phase",
            format!("Children needing a specialist place by primary need and phase, {first}"),
            "Children with plans now, rounded to whole children; totals are worked out before rounding.",
            columns,
        );
        for need in needs.iter().map(String::as_str).chain(["*"]) {
            let mut row = vec![text(if need == "*" { "All needs" } else { need })];
            for phase in phases.iter().map(String::as_str).chain(["*"]) {
                row.push(self.count("needing", &first, &[need, phase]));
            }
            t.rows.push(row);
        }
        t.totals = 1;
        self.add(Part::Table(t));
        self.caseload_table();

        if self.tallies.len() > 1 {
            let years = self.years();
            let mut columns = vec![Column::new("Primary need", Unit::Text)];
            columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
            columns.push(Column::new(format!("Growth {first} to {last}"), Unit::Percent));
            let variants = &self.inputs.bands;
            let ranged = forecast_range(variants, years.len(), None).is_some();
            if ranged {
                columns.push(Column::new(format!("Lowest forecast, {last}"), Unit::Children));
                columns.push(Column::new(format!("Highest forecast, {last}"), Unit::Children));
            }
            let range_note = if ranged {
                format!(
                    " The lowest and highest forecasts for {last} are the least and the most of the forecasts the \
                     model names ({}), need by need.",
                    in_words(&variants.iter().map(|b| b.variant.clone()).collect::<Vec<_>>())
                )
            } else {
                String::new()
            };
            let mut t = Draft::new(
                "need-by-year",
                format!("Children needing a specialist place by primary need, {first} to {last}"),
                format!(
                    "{} Forecasts are rounded to whole children; growth is the change from the first year to the \
                     last.{range_note}",
                    self.base_and_forecast()
                ),
                columns,
            );
            let members: Vec<Option<Vec<usize>>> =
                self.grouping.needs.iter().map(|g| Some(g.members.clone())).chain([None]).collect();
            for (need, members) in needs.iter().map(String::as_str).chain(["*"]).zip(members) {
                let label = if need == "*" { "All needs" } else { need };
                let mut row = self.row_by_year(&[label], "needing", &years, &[need, "*"]);
                let a = self.id("needing", &first, &[need, "*"]);
                let b = self.id("needing", &last, &[need, "*"]);
                row.push(self.growth(a, b));
                if let Some(range) = forecast_range(variants, years.len(), members.as_deref()) {
                    let (low, high) = range[years.len() - 1];
                    row.extend([number(low), number(high)]);
                }
                t.rows.push(row);
            }
            t.totals = 1;
            self.add(Part::Table(t));
            self.bands_table(&years);

            let mut t = self.by_need_phase_and_year(
                "needing",
                "need-by-phase-and-year",
                format!("Children needing a specialist place by primary need and phase, {first} to {last}"),
                "Rows with no child in any year are left out.".into(),
            );
            t.columns.push(Column::new(format!("Growth {first} to {last}"), Unit::Percent));
            let pairs: Vec<(String, String)> = t
                .rows
                .iter()
                .map(|r| match (&r[0], &r[1]) {
                    (Cell::Value(Value::Text(a)), Cell::Value(Value::Text(b))) => (a.clone(), b.clone()),
                    _ => unreachable!("rows start with their labels"),
                })
                .collect();
            for (row, (need, phase)) in t.rows.iter_mut().zip(pairs) {
                let (need, phase) = if need == "All needs" { ("*".into(), "*".into()) } else { (need, phase) };
                let a = self.id("needing", &first, &[&need, &phase]);
                let b = self.id("needing", &last, &[&need, &phase]);
                row.push(self.growth(a, b));
            }
            self.add(Part::Table(t));
        }
        self.add(Part::Figure(Sketch::NeedAgainstPlaces));
    }

    /// Every EHC plan the authority maintains, by type of setting, as the DfE publishes them
    /// (`[annex] caseload`): the context of the specialist places this annex plans. The
    /// figures are the DfE's, already published (with its own suppression, shown as `c`):
    /// not counts of this model's, so not withheld again.
    fn caseload_table(&mut self) {
        use crate::outputs::report::against::Group;
        let Some((file, caseload)) = &self.model.annex.caseload else { return };
        let planned = |p: &crate::model::input::sen2::Published| Group::of_type(&p.group, &p.establishment_type);
        let known = |keep: &dyn Fn(Option<Group>) -> bool| -> Option<f64> {
            caseload.types.iter().filter(|p| keep(planned(p))).try_fold(0.0, |sum, p| p.children.map(|c| sum + c))
        };
        let specialist = known(&|g| g.is_some());
        let all = caseload.total.unwrap_or_else(|| known(&|_| true));
        let share = |v: Option<f64>| match (v, all) {
            (Some(v), Some(all)) if all > 0.0 => number(100.0 * v / all),
            _ => Cell::Value(Value::Blank),
        };
        let figure = |v: Option<f64>| v.map_or(Cell::Value(Value::Withheld), number);
        let la = &caseload.la_name;
        let mut t = Draft::new(
            "ehc-plans-by-setting-type",
            format!("All EHC plans maintained by {la} by type of setting, January {}", caseload.january),
            format!(
                "As the DfE publishes them (Education, health and care plans, {file}; c is the DfE's own \
                 suppression), for context: children and young people in mainstream schools, colleges, \
                 alternative provision and elsewhere are not planned in this annex. Shares are of all EHC plans."
            ),
            vec![
                Column::new("Type of setting", Unit::Text),
                Column::new("EHC plans", Unit::Children),
                Column::new("Share of all", Unit::Percent),
                Column::new("Planned in this annex", Unit::Text),
            ],
        );
        for p in &caseload.types {
            let name = if p.group.is_empty() || p.group == p.establishment_type {
                p.establishment_type.clone()
            } else {
                format!("{}: {}", p.group, p.establishment_type)
            };
            let planned = planned(p).map_or_else(|| "No (context)".to_string(), |g| format!("Yes: {}", g.name()));
            t.rows.push(vec![text(name), figure(p.children), share(p.children), text(planned)]);
        }
        t.rows.push(vec![
            text("Specialist settings planned in this annex"),
            figure(specialist),
            share(specialist),
            text(""),
        ]);
        t.rows.push(vec![text("All EHC plans"), figure(all), share(all), text("")]);
        t.totals = 2;
        t.theirs = true;
        let shown =
            |v: Option<f64>| v.map_or_else(|| "an unpublished number of".to_string(), |v| Unit::Children.format(v));
        self.add(Part::Paragraph(format!(
            "For context, the DfE published {} EHC plans maintained by {la} in January {}, {} of them in the kinds \
             of specialist setting this annex plans places for (special schools, resourced provisions and units, \
             specialist post-16 institutions); the rest are in mainstream schools, colleges, alternative provision \
             or elsewhere.{}",
            shown(all),
            caseload.january,
            shown(specialist),
            if caseload.january == caseload.asked {
                String::new()
            } else {
                format!(
                    " (January {} is the latest in the file; the base year's is January {}.)",
                    caseload.january, caseload.asked
                )
            }
        )));
        self.add(Part::Table(t));
    }

    /// Children needing a place in each forecast variant the model names, year by year: the
    /// band the central forecast sits in. Forecasts, rounded, never withheld (the base year,
    /// the same in every variant, is the need table's above).
    fn bands_table(&mut self, years: &[String]) {
        let bands = &self.inputs.bands;
        if forecast_range(bands, years.len(), None).is_none() {
            return;
        }
        let mut columns = vec![Column::new("Forecast", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        columns.push(Column::new(format!("Growth {} to {}", years[0], years[years.len() - 1]), Unit::Percent));
        let mut t = Draft::new(
            "need-forecast-bands",
            format!(
                "Children needing a specialist place: forecasts {}",
                in_words(&bands.iter().map(|b| b.variant.clone()).collect::<Vec<_>>())
            ),
            "Each forecast variant the model names, from the same base year: they differ in the new plans, \
             leavers and growth assumed. This annex's plans are for the central forecast; the others show \
             the range it sits in. Forecasts rounded to whole children.",
            columns,
        );
        for band in bands {
            let need: Vec<f64> = (0..years.len()).map(|y| band.children(y, None)).collect();
            let mut row = vec![text(band.variant.clone())];
            row.extend(need.iter().map(|&v| number(v)));
            let growth = if need[0] > 0.0 { 100.0 * (need[need.len() - 1] / need[0] - 1.0) } else { f64::NAN };
            row.push(number(growth));
            t.rows.push(row);
        }
        self.add(Part::Table(t));
    }

    fn places_section(&mut self) {
        let first = self.first();
        let last = self.last();
        let council = self.council.clone();
        self.section("places", &format!("Places: specialist places for children from {council}, by kind of setting"));
        self.add(Part::Paragraph(
            "Places are the commissioned places at each setting in the model; places out of the borough are those \
             at settings outside it that the model can use. Occupancy is children placed by the plan as a share of \
             places."
                .into(),
        ));
        let mut columns = vec![
            Column::new("Kind of setting", Unit::Text),
            Column::new(format!("Places in borough {first}"), Unit::Places),
            Column::new(format!("Places out of borough {first}"), Unit::Places),
            Column::new(format!("Children placed {first}"), Unit::Children),
            Column::new(format!("Occupancy {first}"), Unit::Percent),
            Column::new(format!("Spare places {first}"), Unit::Places),
        ];
        if self.tallies.len() > 1 {
            columns.push(Column::new(format!("Places in borough {last}"), Unit::Places));
        }
        let mut t = Draft::new(
            "places-by-kind",
            format!("Places and occupancy by kind of setting, {first}"),
            "Occupancy counts every child the plan places at a kind of setting against all its places, in and out \
             of the borough. Places bought from the independent market are not commissioned places: they have no \
             occupancy, and the total's occupancy counts only children at commissioned places.",
            columns,
        );
        // Children by kind and need group, first year: counts tied to children placed by need.
        let kinds: Vec<usize> = (0..SettingKind::ALL.len())
            .filter(|k| self.tallies.iter().any(|t| t.places_by_kind.contains_key(k)))
            .collect();
        let needs = self.grouping.needs.clone();
        let mut kind_totals = Vec::new();
        for &k in &kinds {
            let code = SettingKind::ALL[k].code();
            let parts: Vec<CellId> = needs
                .iter()
                .map(|g| {
                    let v: f64 = g
                        .members
                        .iter()
                        .map(|n| self.tallies[0].by_kind_need.get(&(k, *n)).copied().unwrap_or(0.0))
                        .sum();
                    self.counts.cell(key("kind", &first, &[code, &g.label]), v)
                })
                .collect();
            kind_totals.push(self.counts.sum(key("kind", &first, &[code, "*"]), &parts));
        }
        for g in &needs {
            let parts: Vec<CellId> =
                kinds.iter().map(|&k| self.id("kind", &first, &[SettingKind::ALL[k].code(), &g.label])).collect();
            let placed = self.id("placed", &first, &[&g.label, "*"]);
            self.counts.tie(&parts, placed);
        }
        let all_placed = self.id("placed", &first, &["*", "*"]);
        self.counts.tie(&kind_totals, all_placed);
        let (mut places_in, mut places_out, mut places_last) = (0.0, 0.0, 0.0);
        // Children at commissioned places (all but the market's), and the cells they come from.
        let (mut in_places, mut from) = (0.0, Vec::new());
        for (i, &k) in kinds.iter().enumerate() {
            let market = SettingKind::ALL[k] == SettingKind::IndependentMarket;
            let (pin, pout) = self.tallies[0].places_by_kind.get(&k).copied().unwrap_or((0.0, 0.0));
            places_in += pin;
            places_out += pout;
            let children = kind_totals[i];
            self.counts.published[children] = true;
            if !market {
                in_places += self.value(children);
                from.push(children);
            }
            let occupancy = if pin + pout > 0.0 { 100.0 * self.value(children) / (pin + pout) } else { f64::NAN };
            let spare = if market { f64::NAN } else { pin + pout - self.value(children) };
            let places = |p: f64| if market { Cell::Derived(f64::NAN, Vec::new()) } else { number(p) };
            let mut row = vec![
                text(SettingKind::ALL[k].name()),
                places(pin),
                places(pout),
                Cell::Count(children),
                Cell::Derived(occupancy, vec![children]),
                Cell::Derived(spare, vec![children]),
            ];
            if self.tallies.len() > 1 {
                let l = self.tallies[self.tallies.len() - 1].places_by_kind.get(&k).map_or(0.0, |p| p.0);
                places_last += l;
                row.push(if market { Cell::Derived(f64::NAN, Vec::new()) } else { number(l) });
            }
            t.rows.push(row);
        }
        self.counts.published[all_placed] = true;
        if from.len() == kinds.len() {
            // No market: every child placed is at a commissioned place.
            (in_places, from) = (self.value(all_placed), vec![all_placed]);
        }
        let occupancy =
            if places_in + places_out > 0.0 { 100.0 * in_places / (places_in + places_out) } else { f64::NAN };
        let mut total = vec![
            text("All settings"),
            number(places_in),
            number(places_out),
            Cell::Count(all_placed),
            Cell::Derived(occupancy, from.clone()),
            Cell::Derived(places_in + places_out - in_places, from),
        ];
        if self.tallies.len() > 1 {
            total.push(number(places_last));
        }
        t.rows.push(total);
        t.totals = 1;
        self.add(Part::Table(t));

        let mut columns = vec![Column::new("Kind of setting", Unit::Text)];
        columns.extend(needs.iter().map(|g| Column::new(g.label.clone(), Unit::Children)));
        columns.push(Column::new("All needs", Unit::Children));
        let mut t = Draft::new(
            "children-by-kind-and-need",
            format!("Children placed by kind of setting and primary need, {first}"),
            "Children the plan places at each kind of setting, in and out of the borough.",
            columns,
        );
        for kg in self.grouping.kinds.clone() {
            let mut row = vec![text(kg.label.clone())];
            if let [k] = kg.members[..] {
                let code = SettingKind::ALL[k].code();
                for g in &needs {
                    row.push(self.count("kind", &first, &[code, &g.label]));
                }
                row.push(self.count("kind", &first, &[code, "*"]));
            } else {
                // A group of kinds: its cells add up those of its kinds.
                for g in needs.iter().map(|g| g.label.as_str()).chain(["*"]) {
                    let parts: Vec<CellId> =
                        kg.members.iter().map(|&k| self.id("kind", &first, &[SettingKind::ALL[k].code(), g])).collect();
                    let id = self.counts.sum(key("kind", &first, &[&kg.label, g]), &parts);
                    self.counts.published[id] = true;
                    row.push(Cell::Count(id));
                }
            }
            t.rows.push(row);
        }
        let mut row = vec![text("All settings")];
        for g in &needs {
            row.push(self.count("placed", &first, &[&g.label, "*"]));
        }
        row.push(Cell::Count(all_placed));
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));
        self.settings_table(&first, &kinds);
    }

    /// A row a setting with places (not the market's steps): what it is, the needs and
    /// phases it takes, its places, the children the plan places there in the first year and
    /// its occupancy. Each setting's children are counts of the pool, adding up to its kind's,
    /// so small ones are withheld like any other.
    fn settings_table(&mut self, first: &str, kinds: &[usize]) {
        // The first year's model: its places are that year's.
        let inputs = self.inputs;
        let run = &inputs.years[0].run;
        let model = &run.model;
        let mut at = vec![0.0; model.settings.len()];
        for p in &run.plan.placements {
            at[p.setting.0] += p.children;
        }
        let codes = |set: crate::model::CodeSet, names: &[String]| -> String {
            if set.len() == names.len() {
                "all".into()
            } else {
                names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| set.contains(*i))
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let phase_names: Vec<String> = model.phases.iter().map(|p| phase_name(&p.code)).collect();
        let mut t = Draft::new(
            "settings",
            format!("Settings: places and children placed, {first}"),
            "Each setting with places the plan can use, in the borough first: the needs and phases it takes, its \
             places, the children the plan places there and its occupancy. Places bought from the independent \
             market are not settings and are not listed.",
            vec![
                Column::new("Setting", Unit::Text),
                Column::new("Kind of setting", Unit::Text),
                Column::new("In the borough", Unit::Text),
                Column::new("Primary needs taken", Unit::Text),
                Column::new("Phases", Unit::Text),
                Column::new("Places", Unit::Places),
                Column::new("Children placed", Unit::Children),
                Column::new("Occupancy", Unit::Percent),
            ],
        );
        let mut order: Vec<usize> = (0..model.settings.len()).filter(|&i| model.settings[i].market.is_none()).collect();
        order.sort_by_key(|&i| {
            (!model.settings[i].in_borough, kind_index(model.settings[i].kind), model.settings[i].name.clone())
        });
        let mut by_kind: BTreeMap<usize, Vec<CellId>> = BTreeMap::new();
        for i in order {
            let s = &model.settings[i];
            let children = self.counts.shown(key("setting", first, &[&s.id]), at[i]);
            by_kind.entry(kind_index(s.kind)).or_default().push(children);
            let occupancy = if s.places > 0.0 { 100.0 * self.value(children) / s.places } else { f64::NAN };
            t.rows.push(vec![
                text(s.name.clone()),
                text(s.kind.name()),
                text(if s.in_borough { "yes" } else { "no" }),
                text(codes(s.needs, &model.needs)),
                text(codes(s.phases, &phase_names)),
                number(s.places),
                Cell::Count(children),
                Cell::Derived(occupancy, vec![children]),
            ]);
        }
        // A kind's settings add up to the children placed at that kind.
        for (k, parts) in by_kind {
            if kinds.contains(&k) {
                let total = self.id("kind", first, &[SettingKind::ALL[k].code(), "*"]);
                self.counts.tie(&parts, total);
            }
        }
        self.add(Part::Table(t));
    }

    fn required_section(&mut self) {
        let span = self.years_covered();
        let years = self.years();
        let council = self.council.clone();
        self.section("places-required", &format!("Additional places required in {council}"));
        self.add(Part::Paragraph(
            "Additional places required are the places the borough lacks, beyond those that exist or are planned \
             (before any new capital scheme), for every child to have a suitable place in it: children the plan \
             places out of the borough because every suitable setting in the borough (one that takes their need, \
             phase and provision within the journey limit) is full, and children for whom no place is available at \
             any setting the model can use, who must still be provided for. It counts places each year, not new \
             places a year: a child placed outside in an earlier year for want of a local place counts again while \
             every suitable setting in the borough stays full. Children placed out of the borough for other reasons \
             are not places required; they are counted, with their cost, under out-of-borough placements below. Places are shared between needs, so spare places are shown by kind of setting, not \
             by need."
                .into(),
        ));
        let t = self.by_need_phase_and_year(
            "required",
            "places-required",
            format!("Additional places required by primary need and phase, {span}"),
            format!(
                "Children placed out of the borough because suitable settings in the borough are full, with children \
                 for whom no place is available. {} Rows with no place required in any year are left out.",
                self.base_and_forecast()
            ),
        );
        self.add(Part::Table(t));

        // By home locality: where new places would serve.
        let localities = self.model.localities.clone();
        let mut columns = vec![Column::new("Home area", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            "places-required-by-area",
            format!("Additional places required by home area, {span}"),
            "All needs and phases, by the locality children live in: where new places would serve them.",
            columns,
        );
        for loc in &localities {
            let row = self.row_by_year(&[&loc.name], "required", &years, &["*", "*", &loc.id]);
            t.rows.push(row);
        }
        let row = self.row_by_year(&["All areas"], "required", &years, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));

        // By home locality and need: every need group in each locality, forecast years only (a
        // base-year count at this detail is of too few pupils to publish; a single-year model
        // has no forecast year, so no such table).
        if self.tallies.len() > 1 {
            self.required_by_area_and_need();
        }
        self.add(Part::Figure(Sketch::PlacesRequired));
    }

    /// Additional places required by home locality and need group, forecast years.
    fn required_by_area_and_need(&mut self) {
        let shown: Vec<String> = self.years().into_iter().skip(1).collect();
        let localities = self.model.localities.clone();
        let needs = self.need_labels();
        let mut columns = vec![Column::new("Home area", Unit::Text), Column::new("Primary need", Unit::Text)];
        columns.extend(shown.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let span_shown =
            if shown.len() > 1 { format!("{} to {}", shown[0], shown[shown.len() - 1]) } else { shown[0].clone() };
        let mut t = Draft::new(
            "places-required-by-area-and-need",
            format!("Additional places required by home area and primary need, {span_shown}"),
            format!(
                "Forecast years only: in the base year, {}, so few pupils fall in each area and need that the figures \
                 are given by area and by need above, not by both. Rows with no place required in any year shown are \
                 left out.",
                self.first()
            ),
            columns,
        );
        for loc in &localities {
            for need in &needs {
                let ids: Vec<CellId> = shown.iter().map(|y| self.id("required", y, &[need, "*", &loc.id])).collect();
                if ids.iter().all(|&c| self.value(c) < 0.5) {
                    continue;
                }
                let mut row = vec![text(loc.name.clone()), text(need.clone())];
                for id in ids {
                    self.counts.published[id] = true;
                    row.push(Cell::Count(id));
                }
                t.rows.push(row);
            }
        }
        let row = self.row_by_year(&["All areas", "All needs"], "required", &shown, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));
    }

    fn out_of_borough_section(&mut self) {
        let span = self.years_covered();
        let years = self.years();
        let (first, last) = (self.first(), self.last());
        let council = self.council.clone();
        self.section(
            "out-of-borough",
            &format!("Out-of-borough placements: children from {council} placed outside it"),
        );
        self.add(Part::Paragraph(
            "Where children placed outside the borough go, why, and what their places and transport cost. Only those \
             placed outside because every suitable setting in the borough is full count as places required. The \
             others are placed outside because no setting in the borough takes their need and phase within the \
             journey limit (a sensory school in a neighbouring authority, say), or because a suitable place in the \
             borough was free but a place outside cost less, or because they stay where they already are."
                .into(),
        ));
        let mut t = Draft::new(
            "out-of-borough-by-year",
            format!("Children placed out of the borough, why, and their cost, {span}"),
            format!(
                "{} Cost is a year's cost of the places outside the borough and of transport to them.",
                self.base_and_forecast()
            ),
            vec![
                Column::new("Year", Unit::Text),
                Column::new("Placed out of borough", Unit::Children),
                Column::new("Because local places are full", Unit::Children),
                Column::new("No suitable setting in borough", Unit::Children),
                Column::new("A suitable local place was free", Unit::Children),
                Column::new("Cost of places", Unit::Pounds),
                Column::new("Cost of transport", Unit::Pounds),
            ],
        );
        for (y, year) in years.iter().enumerate() {
            let (places, transport) =
                self.sufficiency[y].out_by_kind.values().fold((0.0, 0.0), |(a, b), k| (a + k.1, b + k.2));
            let mut row = vec![text(year.clone())];
            for m in ["out", "full", "none", "free"] {
                row.push(self.count(m, year, &["*", "*"]));
            }
            // Money for a group of pupils gives its count away: withheld with it.
            let out = self.id("out", year, &["*", "*"]);
            row.push(Cell::Derived(places, vec![out]));
            row.push(Cell::Derived(transport, vec![out]));
            t.rows.push(row);
        }
        self.add(Part::Table(t));

        let t = self.by_need_phase_and_year(
            "out",
            "out-of-borough-by-need",
            format!("Children placed out of the borough by primary need and phase, {span}"),
            "Rows with no child placed out of the borough in any year are left out.".into(),
        );
        self.add(Part::Table(t));

        // By kind of setting, with cost: the first and last years.
        let mut chosen = vec![(0, first.clone())];
        if last != first {
            chosen.push((self.tallies.len() - 1, last.clone()));
        }
        let mut columns = vec![Column::new("Kind of setting", Unit::Text)];
        for (_, year) in &chosen {
            columns.push(Column::new(format!("Children {year}"), Unit::Children));
            columns.push(Column::new(format!("Cost of places {year}"), Unit::Pounds));
            columns.push(Column::new(format!("Cost of transport {year}"), Unit::Pounds));
        }
        let mut t = Draft::new(
            "out-of-borough-by-kind",
            format!("Children placed out of the borough by kind of setting, with their cost, {}", {
                let names: Vec<String> = chosen.iter().map(|(_, y)| y.clone()).collect();
                in_words(&names)
            }),
            "A year's cost of the places and of transport to them; money for a kind of setting is withheld only with \
             its count of pupils, which it would give away.",
            columns,
        );
        let kinds: Vec<usize> = (0..SettingKind::ALL.len())
            .filter(|k| chosen.iter().any(|(y, _)| self.sufficiency[*y].out_by_kind.contains_key(k)))
            .collect();
        for (y, year) in &chosen {
            let parts: Vec<CellId> = kinds
                .iter()
                .map(|&k| {
                    let v = self.sufficiency[*y].out_by_kind.get(&k).map_or(0.0, |c| c.0);
                    self.counts.shown(key("out-kind", year, &[SettingKind::ALL[k].code()]), v)
                })
                .collect();
            let out = self.id("out", year, &["*", "*"]);
            self.counts.tie(&parts, out);
        }
        for &k in &kinds {
            let mut row = vec![text(SettingKind::ALL[k].name())];
            for (y, year) in &chosen {
                let (_, places, transport) = self.sufficiency[*y].out_by_kind.get(&k).copied().unwrap_or_default();
                let id = self.id("out-kind", year, &[SettingKind::ALL[k].code()]);
                row.push(self.count("out-kind", year, &[SettingKind::ALL[k].code()]));
                row.push(Cell::Derived(places, vec![id]));
                row.push(Cell::Derived(transport, vec![id]));
            }
            t.rows.push(row);
        }
        let mut row = vec![text("All kinds")];
        for (y, year) in &chosen {
            let (places, transport) =
                self.sufficiency[*y].out_by_kind.values().fold((0.0, 0.0), |(a, b), k| (a + k.1, b + k.2));
            let id = self.id("out", year, &["*", "*"]);
            row.push(self.count("out", year, &["*", "*"]));
            row.push(Cell::Derived(places, vec![id]));
            row.push(Cell::Derived(transport, vec![id]));
        }
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));

        let mut columns = vec![Column::new("Home area", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            "out-of-borough-by-home-area",
            format!("Children placed out of the borough by home area, {span}"),
            "All needs and phases, by the locality children live in.",
            columns,
        );
        for loc in self.model.localities.clone() {
            let row = self.row_by_year(&[&loc.name], "out", &years, &["*", "*", &loc.id]);
            t.rows.push(row);
        }
        let row = self.row_by_year(&["All areas"], "out", &years, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));
    }

    fn placements_section(&mut self) {
        let years = self.years();
        let (first, last) = (self.first(), self.last());
        let span = self.years_covered();
        self.section("placements", "Placements: in and out of the borough, journeys and cost");
        let mut columns = vec![Column::new("Year", Unit::Text)];
        for (h, u) in [
            ("Children needing a place", Unit::Children),
            ("Placed in borough", Unit::Children),
            ("Placed out of borough", Unit::Children),
            ("No place available", Unit::Children),
            ("Additional places required", Unit::Children),
            ("At independent or non-maintained schools", Unit::Children),
            ("Mean journey", Unit::Minutes),
            ("Longest journey", Unit::Minutes),
            ("Cost of places", Unit::Pounds),
            ("Cost of transport", Unit::Pounds),
            ("Total spend", Unit::Pounds),
        ] {
            columns.push(Column::new(h, u));
        }
        let mut t = Draft::new(
            "placements-by-year",
            format!("Placements, journeys and spend by year, {span}"),
            format!(
                "{} Journeys are one way. Spend is a year's cost of places and home-to-school transport. No place \
                 available: children the plan cannot place at any setting the model can use (the council must still \
                 provide for them); with children placed out of the borough because local places are full, they make \
                 the additional places required.",
                self.base_and_forecast()
            ),
            columns,
        );
        for (y, year) in years.iter().enumerate() {
            let independent = self.counts.shown(key("independent", year, &[]), self.tallies[y].independent);
            let tally = &self.tallies[y];
            let (mean, worst, places, transport) =
                (tally.mean_journey, tally.worst_journey, tally.placement_cost, tally.transport_cost);
            let row = vec![
                text(year.clone()),
                self.count("needing", year, &["*", "*"]),
                self.count("in", year, &["*", "*"]),
                self.count("out", year, &["*", "*"]),
                self.count("unmet", year, &["*", "*"]),
                self.count("required", year, &["*", "*"]),
                Cell::Count(independent),
                number(mean),
                number(worst),
                number(places),
                number(transport),
                number(places + transport),
            ];
            t.rows.push(row);
        }
        self.add(Part::Table(t));

        let mut chosen = vec![first.clone()];
        if last != first {
            chosen.push(last.clone());
        }
        for year in &chosen {
            let mut columns = vec![Column::new("Primary need", Unit::Text), Column::new("Phase", Unit::Text)];
            for h in [
                "Children needing a place",
                "Placed in borough",
                "Placed out of borough",
                "No place available",
                "Additional places required",
            ] {
                columns.push(Column::new(h, Unit::Children));
            }
            let mut t = Draft::new(
                format!("placements-{}", year.replace('/', "-")),
                format!("Children placed in and out of the borough by need and phase, {year}"),
                format!(
                    "Placed in borough, out of borough and no place available make those needing a place. {}",
                    if *year == first {
                        "Children with plans now.".to_string()
                    } else {
                        "Forecast, rounded to whole children.".to_string()
                    }
                ),
                columns,
            );
            for (need, phase) in self.need_phase_pairs() {
                let needing = self.id("needing", year, &[&need, &phase]);
                if self.value(needing) < 0.5 {
                    continue;
                }
                let mut row = vec![text(need.clone()), text(phase.clone())];
                for m in ["needing", "in", "out", "unmet", "required"] {
                    row.push(self.count(m, year, &[&need, &phase]));
                }
                t.rows.push(row);
            }
            let mut row = vec![text("All needs"), text("All phases")];
            for m in ["needing", "in", "out", "unmet", "required"] {
                row.push(self.count(m, year, &["*", "*"]));
            }
            t.rows.push(row);
            t.totals = 1;
            self.add(Part::Table(t));
        }

        // Journey times.
        let mut columns = vec![Column::new("Journey one way", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            "journey-times",
            format!("Children by journey time, {span}"),
            "Journey time one way from home locality to setting, by the model's travel times.",
            columns,
        );
        for (y, year) in years.iter().enumerate() {
            let parts: Vec<CellId> = (0..BANDS.len())
                .map(|b| self.counts.shown(key("journey", year, &[&b.to_string()]), self.tallies[y].journeys[b]))
                .collect();
            let placed = self.id("placed", year, &["*", "*"]);
            self.counts.tie(&parts, placed);
        }
        for b in 0..BANDS.len() {
            let row = self.row_by_year(&[&band_name(b)], "journey", &years, &[&b.to_string()]);
            t.rows.push(row);
        }
        let row = self.row_by_year(&["All children placed"], "placed", &years, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));
        self.add(Part::Figure(Sketch::Journeys));

        // Cost by kind of setting, first year.
        let mut t = Draft::new(
            "cost-by-kind",
            format!("Cost by kind of setting, {first}"),
            "A year's cost of the places the plan uses and of home-to-school transport to them. Money for a kind of \
             setting is withheld only with its count of pupils, which it would give away.",
            vec![
                Column::new("Kind of setting", Unit::Text),
                Column::new("Children placed", Unit::Children),
                Column::new("Cost of places", Unit::Pounds),
                Column::new("Cost of transport", Unit::Pounds),
                Column::new("Total", Unit::Pounds),
                Column::new("Cost per child", Unit::PoundsEach),
            ],
        );
        let kinds: Vec<usize> = self.tallies[0].money_by_kind.keys().copied().collect();
        for k in kinds {
            let (places, transport) = self.tallies[0].money_by_kind[&k];
            let id = self.id("kind", &first, &[SettingKind::ALL[k].code(), "*"]);
            self.counts.published[id] = true;
            let per = if self.value(id) > 0.0 { (places + transport) / self.value(id) } else { f64::NAN };
            t.rows.push(vec![
                text(SettingKind::ALL[k].name()),
                Cell::Count(id),
                Cell::Derived(places, vec![id]),
                Cell::Derived(transport, vec![id]),
                Cell::Derived(places + transport, vec![id]),
                Cell::Derived(per, vec![id]),
            ]);
        }
        let all = self.id("placed", &first, &["*", "*"]);
        let (places, transport) = (self.tallies[0].placement_cost, self.tallies[0].transport_cost);
        let per = if self.value(all) > 0.0 { (places + transport) / self.value(all) } else { f64::NAN };
        t.rows.push(vec![
            text("All settings"),
            Cell::Count(all),
            Cell::Derived(places, vec![all]),
            Cell::Derived(transport, vec![all]),
            Cell::Derived(places + transport, vec![all]),
            Cell::Derived(per, vec![all]),
        ]);
        t.totals = 1;
        self.add(Part::Table(t));
        self.add(Part::Figure(Sketch::Map));
        self.add(Part::Figure(Sketch::Destinations));
    }

    fn schemes_section(&mut self, part: SchemesPart<'_>) {
        let model = self.model;
        let a = part.appraised;
        self.section("schemes", "Capital schemes appraised: the business case");
        let budget = part.budget.map_or_else(|| "no budget limit".to_string(), |b| format!("a budget of {b}"));
        let chosen = portfolio_names(model, &a.chosen.portfolio);
        let gains = a.gains_alone(model);
        let g = a.gain(model);
        let not_paying: Vec<String> = model
            .schemes
            .iter()
            .zip(&gains)
            .filter(|(_, g)| !matches!(g.payback, Payback::Within(_)) && g.capital.pounds() > 0.0)
            .map(|(s, _)| s.name.clone())
            .collect();
        let negative: Vec<String> = model
            .schemes
            .iter()
            .zip(&gains)
            .filter(|(_, g)| g.net_present_value.pounds() < 0.0)
            .map(|(s, _)| s.name.clone())
            .collect();
        let alone = match not_paying.len() {
            0 => "Each scheme appraised on its own pays back within the years planned.".to_string(),
            1 => format!("{} does not pay back within the years planned.", not_paying[0]),
            _ => format!("{} do not pay back within the years planned.", in_words(&not_paying)),
        };
        let value = match negative.len() {
            0 => String::new(),
            1 => format!(
                " {} costs more than it saves over the years planned (its present value is negative).",
                negative[0]
            ),
            _ => format!(
                " {} cost more than they save over the years planned (their present values are negative).",
                in_words(&negative)
            ),
        };
        let set = if a.chosen.portfolio.0.iter().all(|&m| m == 0) {
            "No set of schemes costs less than building nothing.".to_string()
        } else {
            let value = Unit::Pounds.format(Unit::Pounds.round(g.net_present_value.0));
            let weights = if g.net_present_value.0 < 0.0 {
                " In money alone it costs more than it saves over the years planned: it is chosen for the children \
                 it brings back into the borough or places, which the policy weights value."
            } else {
                ""
            };
            format!(
                "The set that costs least is {chosen}: {} of capital, {} places; it {}, and its present value in \
                 money is {value}.{weights}",
                g.capital,
                Unit::Places.format(g.places),
                pays_back(g.payback, g.capital),
            )
        };
        self.add(Part::Paragraph(format!(
            "Candidate capital schemes, appraised together over the years planned within {budget}: the set chosen is \
             the one that costs least in present value (places, transport, running costs and capital, discounted at \
             {}% a year, with the policy weights on children placed out of the borough or with no place available). \
             This is an appraisal of candidates, not a decision to build. {set} {alone}{value}",
            plain(model.appraisal.discount_rate * 100.0)
        )));
        let mut t = Draft::new(
            "schemes",
            "Candidate capital schemes, each appraised against building nothing",
            "Each scheme's business case: the years planned as the plan places children (staying where they are \
             until they change phase), with and without the scheme. Saving a year is for the last year planned \
             (negative: it costs more than it saves); payback is the first year in which the savings to date reach \
             the capital; present value is the savings less the capital over all years planned, discounted.",
            vec![
                Column::new("Scheme", Unit::Text),
                Column::new("Kind", Unit::Text),
                Column::new("Opens", Unit::Text),
                Column::new("Chosen", Unit::Text),
                Column::new("Places", Unit::Places),
                Column::new("Capital", Unit::Pounds),
                Column::new("Capital per place", Unit::PoundsEach),
                Column::new("Saving a year", Unit::Pounds),
                Column::new("Pays back", Unit::Text),
                Column::new("Present value", Unit::Pounds),
            ],
        );
        for (j, s) in model.schemes.iter().enumerate() {
            let g = &gains[j];
            let modules = a.chosen.portfolio.0[j];
            let payback = match g.payback {
                Payback::Within(y) => y.to_string(),
                Payback::Beyond(y) => format!("not within the years planned (in {y} at the last year's saving)"),
                Payback::Never if g.capital.pounds() <= 0.0 => "no capital".into(),
                Payback::Never => "never".into(),
            };
            t.rows.push(vec![
                text(s.name.clone()),
                text(s.setting.kind.name()),
                text(crate::outputs::report::schemes::opens_text(s)),
                text(if modules > 0 { format!("yes ({modules})") } else { "no".into() }),
                number(g.places),
                number(g.capital.0),
                g.cost_per_place.map_or(Cell::Value(Value::Blank), |c| number(c.0)),
                number(g.annual_saving.0),
                text(payback),
                number(g.net_present_value.0),
            ]);
        }
        self.add(Part::Table(t));
        let case = &a.case;
        let mut t = Draft::new(
            "business-case",
            format!("Business case of the chosen schemes ({chosen}), year by year"),
            format!(
                "Spend without and with the schemes, children staying where they are placed until they change phase. \
                 Spend on places is the high-needs block (place funding, top-ups and independent fees, with the new \
                 places' running costs and place funding, paid filled or empty). Saving = without less with; \
                 cumulative = savings to date less capital to date (negative until the capital is repaid). The chosen \
                 set {}.",
                pays_back(case.payback, case.capital)
            ),
            vec![
                Column::new("Year", Unit::Text),
                Column::new("Capital spent", Unit::Pounds),
                Column::new("Places, without", Unit::Pounds),
                Column::new("Places, with", Unit::Pounds),
                Column::new("Transport, without", Unit::Pounds),
                Column::new("Transport, with", Unit::Pounds),
                Column::new("Saving", Unit::Pounds),
                Column::new("Cumulative", Unit::Pounds),
                Column::new("Children in new places", Unit::Children),
            ],
        );
        for (y, cumulative) in case.years.iter().zip(case.cumulative()) {
            t.rows.push(vec![
                text(y.year.to_string()),
                number(y.capital.0),
                number(y.without.0.0),
                number(y.with.0.0),
                number(y.without.1.0),
                number(y.with.1.0),
                number(y.saving().0),
                number(cumulative.0),
                number(y.in_new_places),
            ]);
        }
        self.add(Part::Table(t));
        let mut t = Draft::new(
            "scheme-portfolio",
            "The chosen schemes against building nothing",
            "Last year planned, from the business case.",
            vec![
                Column::new("Schemes", Unit::Text),
                Column::new("Capital", Unit::Pounds),
                Column::new("Places added", Unit::Places),
                Column::new("Back in the borough", Unit::Children),
                Column::new("Placed where none was available", Unit::Children),
                Column::new("Saving a year", Unit::Pounds),
                Column::new("Present value", Unit::Pounds),
            ],
        );
        t.rows.push(vec![
            text(chosen),
            number(g.capital.0),
            number(g.places),
            number(g.back_in_borough),
            number(g.unmet_met),
            number(g.annual_saving.0),
            number(g.net_present_value.0),
        ]);
        self.add(Part::Table(t));
        self.schemes_out_of_borough(part);
    }

    /// Children placed out of the borough by need group, without and with the chosen schemes,
    /// from the appraisal (which plans each year afresh, so its figures differ from the
    /// year-by-year plan's).
    fn schemes_out_of_borough(&mut self, part: SchemesPart<'_>) {
        let a = part.appraised;
        let model = self.model;
        let demand_by_year: Vec<Vec<crate::model::DemandRow>> =
            crate::planning::forecast::years(model).into_iter().map(|y| y.demand).collect();
        let n_settings = model.settings.len();
        let in_borough = |s: usize| {
            if s < n_settings {
                model.settings[s].in_borough
            } else {
                model.schemes.get(s - n_settings).is_none_or(|sc| sc.setting.in_borough)
            }
        };
        let groups = self.grouping.needs.clone();
        let mut group_of = vec![0; model.needs.len()];
        for (k, g) in groups.iter().enumerate() {
            for &n in &g.members {
                group_of[n] = k;
            }
        }
        // Per year: children out of the borough by need group, and with no place available.
        let by_group = |o: &Outcome| -> Vec<(String, Vec<f64>, f64)> {
            o.futures[0]
                .iter()
                .zip(&demand_by_year)
                .map(|(y, demand)| {
                    let mut out = vec![0.0; groups.len()];
                    let unmet: f64 = y.plan.unmet.iter().sum();
                    for p in &y.plan.placements {
                        if !in_borough(p.setting.0) {
                            out[group_of[demand[p.demand].need.0]] += p.children;
                        }
                    }
                    (y.year.to_string(), out, unmet)
                })
                .collect()
        };
        let before = by_group(&a.baseline);
        let after = by_group(&a.chosen);
        let mut columns = vec![Column::new("Primary need", Unit::Text)];
        for (year, _, _) in &before {
            columns.push(Column::new(format!("{year} without schemes"), Unit::Children));
            columns.push(Column::new(format!("{year} with schemes"), Unit::Children));
        }
        let mut t = Draft::new(
            "out-of-borough-with-schemes",
            "Children placed out of the borough, without and with the chosen capital schemes",
            "From the schemes appraisal, which plans each year afresh (children may move setting), so its figures \
             differ from the year-by-year plan above. The last row, children with no place available, is not part \
             of the total above it.",
            columns,
        );
        for (tag, series) in [("before", &before), ("after", &after)] {
            for (year, by_need, unmet) in series {
                let parts: Vec<CellId> = groups
                    .iter()
                    .enumerate()
                    .map(|(k, g)| self.counts.cell(key(tag, year, &[&g.label]), by_need[k]))
                    .collect();
                self.counts.sum(key(tag, year, &["*"]), &parts);
                self.counts.cell(key(&format!("{tag}-unmet"), year, &["*"]), *unmet);
            }
        }
        let labels: Vec<String> = groups.iter().map(|g| g.label.clone()).collect();
        for (label, measure, need) in labels
            .iter()
            .map(|l| (l.as_str(), "", l.as_str()))
            .chain([("All needs", "", "*"), ("No place available, all needs", "-unmet", "*")])
        {
            let ids: Vec<CellId> = before
                .iter()
                .flat_map(|(y, _, _)| {
                    [format!("before{measure}"), format!("after{measure}")].map(|tag| (tag, y.clone()))
                })
                .map(|(tag, y)| self.id(&tag, &y, &[need]))
                .collect();
            if need != "*" && ids.iter().all(|&c| self.value(c) < 0.5) {
                continue;
            }
            let mut row = vec![text(label)];
            for id in ids {
                self.counts.published[id] = true;
                row.push(Cell::Count(id));
            }
            t.rows.push(row);
        }
        t.totals = 2;
        self.add(Part::Table(t));
    }

    fn commissioning_section(&mut self, c: &Comparison) {
        self.section("commissioning", "Commissioning: buying independent places");
        self.add(Part::Paragraph(format!(
            "Ways of buying places at independent and non-maintained special schools compared for {}: spot \
             purchase alone, each option with spot purchase, and the best combination, each with the least-cost \
             placement of every child.",
            c.year
        )));
        let mut t = Draft::new(
            "commissioning",
            format!("Ways of buying independent places compared, {}", c.year),
            "Spend is a year's cost of places (with option fees) and transport; saving is against spot purchase only.",
            vec![
                Column::new("Option set", Unit::Text),
                Column::new("Options used", Unit::Text),
                Column::new("Spend a year", Unit::Pounds),
                Column::new("On independent places", Unit::Pounds),
                Column::new("Children at independent schools", Unit::Children),
                Column::new("Saving against spot purchase", Unit::Pounds),
            ],
        );
        let spot = c.evaluations[0].spend().0;
        let base_year = c.year == self.first();
        for (i, e) in c.evaluations.iter().enumerate() {
            // A count of pupils when the comparison is of the base year; else a forecast.
            let children = if base_year {
                let id = self.counts.shown(key("commissioning", &c.year, &[&i.to_string()]), e.independent_children);
                Cell::Count(id)
            } else {
                number(e.independent_children)
            };
            t.rows.push(vec![
                text(e.label.clone()),
                text(options_used(&c.options, e)),
                number(e.spend().0),
                number(e.independent_spend.0),
                children,
                number(spot - e.spend().0),
            ]);
        }
        self.add(Part::Table(t));
    }

    fn method_section(&mut self, disclosure: &str) {
        let model = self.model;
        let inputs = self.inputs;
        self.section("method", "Method and assumptions");
        let plan = &self.inputs.years[0].run.plan;
        let stages: Vec<String> = plan
            .stages
            .iter()
            .filter(|s| s.aim != Aim::TieBreak)
            .map(|s| match s.aim {
                Aim::Weighted => format!("least weighted cost {} a year", Money(s.value)),
                Aim::Cost => format!("least cost {} a year", Money(s.value)),
                Aim::Unmet => format!("fewest children with no place available {}", Unit::Children.format(s.value)),
                Aim::OutOfBorough => format!("fewest children out of the borough {}", Unit::Children.format(s.value)),
                Aim::TieBreak => String::new(),
            })
            .collect();
        let solver = match plan.solver {
            "network" => "the network simplex built into this tool".to_string(),
            "microlp" => "the microlp simplex".to_string(),
            "highs" => "HiGHS".to_string(),
            other => other.to_string(),
        };
        let policy = &model.policy;
        let objective = match policy.objective {
            ObjectiveMode::Weighted => format!(
                "least cost of places and transport, plus {} a year for each child placed out of the borough and {} a \
                 year for each child with no place available (policy weights, not money spent)",
                pounds_exact(policy.out_of_borough_weight),
                pounds_exact(policy.unmet_penalty)
            ),
            ObjectiveMode::Lexicographic => "fewest children with no place available, then fewest placed out of the \
                                             borough, then least cost of places and transport"
                .to_string(),
        };
        self.add(Part::Paragraph(format!(
            "Each year, a linear program places every child needing a specialist place at a suitable setting (one \
             that takes the child's need, phase and provision, within the phase's journey limit, with places free), \
             choosing the {objective}. Children already placed stay where they are from year to year. Every answer \
             is checked against the inputs outside the solver. Every figure below is read from the model file."
        )));
        let mut t = Draft::new(
            "method",
            "Method, parameters and sources",
            "Generated from the model file: enough to reproduce every figure in this annex.",
            vec![Column::new("Item", Unit::Text), Column::new("Value", Unit::Text)],
        );
        let mut row = |k: &str, v: String| t.rows.push(vec![text(k), text(v)]);
        row("Council", self.council.clone());
        row("Scenario", model.name.clone());
        row("Description", model.description.clone());
        row("Years", self.years_covered());
        row(
            "Base year",
            if self.tallies.len() > 1 {
                format!(
                    "{}: children with plans now and where they are placed (real pupils, protected); later years are \
                     forecast",
                    self.first()
                )
            } else {
                format!("{}: children with plans (real pupils, protected)", self.first())
            },
        );
        if let Some(h) = &model.horizon {
            row("Forecast variant", h.variant.clone());
        }
        let needs: Vec<String> = model
            .needs
            .iter()
            .map(|n| match NEED_NAMES.iter().find(|(code, _)| code.eq_ignore_ascii_case(n)) {
                Some((_, name)) => format!("{n} ({name})"),
                None => n.clone(),
            })
            .collect();
        row("Primary needs", needs.join(", "));
        for p in &model.phases {
            row(
                &format!("Journey limit, {}", phase_name(&p.code).to_lowercase()),
                format!("{} minutes one way", plain(p.max_journey_minutes)),
            );
        }
        row("Objective", objective);
        row(
            "Additional places required",
            format!(
                "children placed out of the borough whose every suitable setting in the borough has less than {} \
                 place free (for their need and home locality too, where those are capped), with children with no \
                 place available",
                plain(ROOM)
            ),
        );
        row("Travel times", self.inputs.years[0].run.journeys.method.describe(&model.transport));
        let tr = &model.transport;
        row(
            "Transport cost",
            format!(
                "{} a child a year + {} a km + {} a minute of each journey, {} journeys a day, {} school days a year",
                pounds_exact(tr.fixed_per_child),
                pounds_exact(tr.cost_per_km),
                pounds_exact(tr.cost_per_minute),
                plain(tr.journeys_per_day),
                plain(tr.school_days)
            ),
        );
        if model.uplift.any() {
            let u = &model.uplift;
            row(
                "Cost rise a year after the base year",
                format!(
                    "{}% for places at state settings, {}% for independent fees, {}% for transport",
                    plain(u.default * 100.0),
                    plain(u.independent * 100.0),
                    plain(u.transport * 100.0)
                ),
            );
        }
        if let Some(part) = inputs.schemes {
            let a = &model.appraisal;
            let capital = match a.capital {
                CapitalMethod::Annualised => {
                    format!(
                        "capital as an equivalent annual cost over an asset life of {} years",
                        plain(a.asset_life_years)
                    )
                }
                CapitalMethod::Upfront => "capital in full in the year a scheme opens".to_string(),
            };
            row(
                "Capital appraisal",
                format!(
                    "discount rate {}% a year; {capital}; place funding {} a year for a new special school place and \
                     {} for a new resourced provision place, paid filled or empty; {}",
                    plain(a.discount_rate * 100.0),
                    pounds_exact(a.place_funding_special),
                    pounds_exact(a.place_funding_resourced),
                    part.budget.map_or_else(|| "no capital budget".to_string(), |b| format!("a capital budget of {b}"))
                ),
            );
        }
        row("Solver", format!("{solver}, optimal; {} in {}", stages.join(", then "), self.inputs.years[0].year));
        row(
            "Rounding",
            "counts of children (now and forecast) to whole children, places to whole places, sums of money to the \
             nearest £1,000, amounts a child or a place to the nearest £100, percentages and minutes to one decimal \
             place; totals are worked out before rounding, so parts may not add up to their total by a little"
                .to_string(),
        );
        row("Grouping", self.grouping.describe(model));
        row("Disclosure control", disclosure.to_string());
        row("Software", format!("sufficiency {}", env!("CARGO_PKG_VERSION")));
        row("Produced", inputs.produced.clone());
        row("Command", inputs.command.clone());
        for (i, s) in model.sources.iter().enumerate() {
            row(if i == 0 { "Model file" } else { "Data source" }, s.clone());
        }
        self.add(Part::Table(t));
    }
}

impl Annex {
    /// Builds the annex from solved years (and schemes and commissioning, when given).
    ///
    /// # Panics
    /// If `inputs.years` is empty (every model plans at least one year).
    #[must_use]
    pub fn build(inputs: &Inputs<'_>) -> Annex {
        let model = inputs.model;
        let tallies: Vec<Tally> =
            inputs.years.iter().map(|y| Tally::of(y.year.to_string(), &y.run.model, &y.run.plan)).collect();
        let sufficiency: Vec<Sufficiency> = inputs.years.iter().map(|y| Sufficiency::of(&y.run)).collect();
        let base: Vec<Vec<f64>> = (0..model.needs.len())
            .map(|n| {
                (0..model.phases.len())
                    .map(|p| tallies[0].by_need_phase.get(&(n, p)).map_or(0.0, |v| v.iter().sum()))
                    .collect()
            })
            .collect();
        let phases: Vec<String> = model.phases.iter().map(|p| p.code.clone()).collect();
        let kinds: Vec<usize> =
            (0..SettingKind::ALL.len()).filter(|k| tallies.iter().any(|t| t.places_by_kind.contains_key(k))).collect();
        let grouping = Grouping::new(&model.needs, &phases, &base, inputs.threshold.map(|t| 4.0 * t))
            .with_kinds(&kinds, |k, n| tallies[0].by_kind_need.get(&(k, n)).copied().unwrap_or(0.0));
        let council = model.annex.council.clone().unwrap_or_else(|| model.name.clone());
        let mut b = Builder {
            inputs,
            model,
            council: council.clone(),
            tallies,
            sufficiency,
            grouping,
            counts: Counts::default(),
            sections: Vec::new(),
        };
        for y in 0..b.tallies.len() {
            b.year_cells(y);
        }
        // Counted as built: five sections, schemes and commissioning if any, the method,
        // then the figures drawn.
        let told = crate::observe::counting(crate::observe::Loop::AnnexSection);
        let total = 7 + usize::from(inputs.schemes.is_some()) + usize::from(inputs.commissioning.is_some());
        let mut done = 0;
        let count = |done: &mut usize| {
            *done += 1;
            told.counted(*done, total);
        };
        told.counted(0, total);
        b.need_section();
        count(&mut done);
        b.places_section();
        count(&mut done);
        b.required_section();
        count(&mut done);
        b.out_of_borough_section();
        count(&mut done);
        b.placements_section();
        count(&mut done);
        if let Some(part) = inputs.schemes {
            b.schemes_section(part);
            count(&mut done);
        }
        if let Some(c) = inputs.commissioning {
            b.commissioning_section(c);
            count(&mut done);
        }
        // Only the base year's counts are of pupils: every other year's is a forecast.
        let base_year = b.first();
        let forecasts: Vec<CellId> = b
            .counts
            .keys()
            .filter(|(k, _)| k.split('|').nth(1) != Some(base_year.as_str()))
            .map(|(_, id)| id)
            .collect();
        for id in forecasts {
            b.counts.protected[id] = false;
        }
        let threshold = inputs.threshold.unwrap_or(0.0);
        let withheld = protect(&b.counts, threshold);
        let rounded: usize = b
            .sections
            .iter()
            .flat_map(|s| &s.2)
            .filter_map(|p| match p {
                Part::Table(d) => Some(d.rounded(&b.counts)),
                _ => None,
            })
            .sum();
        let disclosure = match inputs.threshold {
            None => Disclosure::Off,
            Some(threshold) => {
                let primary = (0..withheld.len())
                    .filter(|&c| {
                        withheld[c]
                            && b.counts.protected[c]
                            && b.counts.values[c].round() >= 1.0
                            && b.counts.values[c].round() < threshold
                    })
                    .count();
                let all = withheld.iter().filter(|w| **w).count();
                let (cells, grouped, groups) = b.grouping.counts();
                Disclosure::Controlled {
                    threshold,
                    base_year: base_year.clone(),
                    primary,
                    secondary: all - primary,
                    cells,
                    grouped,
                    groups,
                    rounded,
                }
            }
        };
        b.method_section(&disclosure.statement());
        count(&mut done);
        let years = b.years_covered();

        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        let mut sections = Vec::new();
        let mut sketches = Vec::new();
        for (s, (id, heading, parts)) in b.sections.into_iter().enumerate() {
            let mut items = Vec::new();
            for part in parts {
                match part {
                    Part::Paragraph(p) => items.push(Item::Paragraph(p)),
                    Part::Table(d) => {
                        let t = d.resolve(&b.counts, &withheld);
                        tables.insert(t.id.clone(), t.clone());
                        items.push(Item::Table(t));
                    }
                    Part::Figure(sketch) => {
                        sketches.push((s, items.len(), sketch));
                        items.push(Item::Paragraph(String::new()));
                    }
                }
            }
            sections.push(Section { id, heading, items });
        }
        for (s, i, sketch) in sketches {
            sections[s].items[i] =
                Item::Figure(draw(sketch, &tables, inputs, &b.tallies, &b.grouping.needs, threshold));
        }
        count(&mut done);
        drop(told);
        // The council's own commentary at the start of its section; an introduction first.
        for (id, text) in &model.annex.commentary {
            let paragraphs = commentary_paragraphs(text).into_iter().map(Item::Paragraph);
            if id == "introduction" {
                let items = paragraphs.collect();
                sections.insert(0, Section { id: id.clone(), heading: "Introduction".into(), items });
            } else if let Some(section) = sections.iter_mut().find(|s| &s.id == id) {
                section.items.splice(0..0, paragraphs);
            }
        }
        Annex {
            title: format!("{council}: SEND sufficiency statement, annex of evidence"),
            council,
            scenario: model.name.clone(),
            description: model.description.clone(),
            years,
            sections,
            disclosure,
            produced: inputs.produced.clone(),
        }
    }
}

/// A council's commentary file as the annex's paragraphs: blocks between blank lines, the
/// lines of a block joined; a line starting `- ` or `* ` is an item of its own, shown with a
/// bullet; a heading's `#` marks are dropped. Everything else is kept as written (and escaped
/// by every writer, as all text from input files).
fn commentary_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, paragraphs: &mut Vec<String>| {
        if !block.is_empty() {
            paragraphs.push(block.join(" "));
            block.clear();
        }
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut block, &mut paragraphs);
        } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            flush(&mut block, &mut paragraphs);
            paragraphs.push(format!("• {}", item.trim()));
        } else if line.starts_with('#') {
            flush(&mut block, &mut paragraphs);
            paragraphs.push(line.trim_start_matches('#').trim().to_string());
        } else {
            block.push(line);
        }
    }
    flush(&mut block, &mut paragraphs);
    paragraphs
}

/// A number from a resolved table (`None` when withheld or blank).
/// The least and the most children needing a place of the forecast variants `bands`, year
/// by year, with any of the `needs` (all if `None`); `None` unless two or more variants each
/// cover all `years` planned.
fn forecast_range(bands: &[Band], years: usize, needs: Option<&[usize]>) -> Option<Vec<(f64, f64)>> {
    if bands.len() < 2 || bands.iter().any(|b| b.by_need.len() != years) {
        return None;
    }
    let range = (0..years)
        .map(|y| {
            bands
                .iter()
                .map(|b| b.children(y, needs))
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
        })
        .collect();
    Some(range)
}

fn table_number(t: &Table, row: usize, col: usize) -> Option<f64> {
    match t.rows.get(row)?.get(col)? {
        Value::Number(v) => Some(*v),
        _ => None,
    }
}

fn draw(
    sketch: Sketch,
    tables: &BTreeMap<String, Table>,
    inputs: &Inputs<'_>,
    tallies: &[Tally],
    needs: &[Group],
    threshold: f64,
) -> Figure {
    let years: Vec<String> = tallies.iter().map(|t| t.year.clone()).collect();
    // The lowest and highest forecast each year, where the forecasts differ.
    let range_of = |members: Option<&[usize]>| -> Vec<Option<(f64, f64)>> {
        match forecast_range(&inputs.bands, years.len(), members) {
            Some(range) => range.into_iter().map(|(lo, hi)| (hi - lo >= 0.5).then_some((lo, hi))).collect(),
            None => vec![None; years.len()],
        }
    };
    match sketch {
        Sketch::NeedAgainstPlaces => {
            // Need and places by year: all needs, then each need group (from the published
            // tables).
            let by_year = &tables["placements-by-year"];
            let mut panels = Vec::new();
            let series = |t: &Table, col: usize| -> Vec<Option<f64>> {
                (0..years.len()).map(|r| table_number(t, r, col)).collect()
            };
            let places: Vec<Option<f64>> =
                tallies.iter().map(|t| Some(t.places_by_kind.values().map(|p| p.0).sum::<f64>())).collect();
            panels.push(svg::Panel {
                title: "All needs".into(),
                bars: series(by_year, 1),
                line: places,
                second: series(by_year, 2),
                range: range_of(None),
            });
            if let Some(t) = tables.get("need-by-year") {
                for (r, row) in t.rows.iter().enumerate().take(t.rows.len() - t.totals) {
                    let Some(Value::Text(need)) = row.first() else { continue };
                    let members = needs.iter().find(|g| g.label == *need).map(|g| g.members.as_slice());
                    panels.push(svg::Panel {
                        title: need.clone(),
                        bars: (0..years.len()).map(|c| table_number(t, r, c + 1)).collect(),
                        line: vec![None; years.len()],
                        second: vec![None; years.len()],
                        range: members.map_or_else(|| vec![None; years.len()], |m| range_of(Some(m))),
                    });
                }
            }
            Figure {
                id: "chart-need-places".into(),
                title: "Need against places over the years".into(),
                caption: format!(
                    "Bars: children needing a specialist place (the central forecast). {}For all needs, the line \
                     shows places in the borough's special schools and resourced provisions, and the dots children \
                     placed in the borough. Missing bars are withheld counts.",
                    if panels.iter().any(|p| p.range.iter().any(Option::is_some)) {
                        format!(
                            "The whiskers span the lowest to the highest of the forecasts the model names ({}). ",
                            in_words(&inputs.bands.iter().map(|b| b.variant.clone()).collect::<Vec<_>>())
                        )
                    } else {
                        String::new()
                    }
                ),
                svg: svg::small_multiples(&years, &panels),
            }
        }
        Sketch::PlacesRequired => {
            let (by_year, out) = (&tables["placements-by-year"], &tables["out-of-borough-by-year"]);
            let bars: Vec<Bar> = (0..years.len())
                .map(|r| {
                    let other = table_number(out, r, 3).zip(table_number(out, r, 4)).map(|(a, b)| a + b);
                    Bar {
                        label: years[r].clone(),
                        parts: vec![table_number(out, r, 2), table_number(by_year, r, 4), other],
                    }
                })
                .collect();
            Figure {
                id: "chart-places-required".into(),
                title: "Additional places required, and other out-of-borough placements, by year".into(),
                caption:
                    "Stacked bars, each year of the plan: children placed out of the borough because local places \
                          are full (dark) and children with no place available (light) together make the additional \
                          places required; children placed out of the borough for other reasons (orange) are not \
                          places required. Missing parts are withheld counts."
                        .into(),
                svg: svg::stacked_bars(
                    &bars,
                    &["Out of borough: local places full", "No place available", "Out of borough: other reasons"],
                    "children",
                ),
            }
        }
        Sketch::Journeys => {
            let t = &tables["journey-times"];
            let first = 1;
            let bars: Vec<Bar> =
                (0..BANDS.len()).map(|b| Bar { label: band_name(b), parts: vec![table_number(t, b, first)] }).collect();
            Figure {
                id: "chart-journeys".into(),
                title: format!("Journey times, {}", years[0]),
                caption: format!("Children by journey time one way, {}. Missing bars are withheld counts.", years[0]),
                svg: svg::stacked_bars(&bars, &["Children"], "children"),
            }
        }
        Sketch::Map => {
            let m = MapData::of(inputs, &tallies[0]);
            let (svg, drawn) = map::borough(&m.homes, &m.inside, &m.flows, threshold, &years[0]);
            let required: f64 = m.homes.iter().map(|h| h.required).sum();
            let shading = if required.round() < 1.0 {
                format!("No additional places are required in {}, so no area is shaded.", years[0])
            } else {
                format!(
                    "Areas are shaded by the additional places required for children living there in {} (placed \
                     out of the borough because every suitable local setting is full, or with no place available){}.",
                    years[0],
                    if threshold > 1.0 {
                        format!(", in bands (fewer than {threshold:.0} shown alike)")
                    } else {
                        String::new()
                    }
                )
            };
            let areas = match &inputs.years[0].run.model.annex.areas {
                Some(a) => format!(
                    "Each home locality's area is the council's boundary for it (from {}), not the part of the \
                     borough nearest its centre; a dot marks the point its journeys are measured from.",
                    a.file
                ),
                None => "Each home locality's area is the part of the borough nearer its centre than any other's, \
                         within an outline drawn around the borough's localities and settings (not official \
                         boundaries)."
                    .to_string(),
            };
            Figure {
                id: "map".into(),
                title: format!("Places required and journeys to school, {}", years[0]),
                caption: format!(
                    "{areas} {shading} \
                     Settings in the borough are drawn by kind and sized by places. Lines join home localities to \
                     settings in the borough, wider for more children. {} Children placed outside the borough are in \
                     the next map.",
                    drawn.line(threshold)
                ),
                svg,
            }
        }
        Sketch::Destinations => {
            let m = MapData::of(inputs, &tallies[0]);
            let outline: Vec<(f64, f64)> = m
                .homes
                .iter()
                .filter(|h| h.in_borough)
                .map(|h| (h.lon, h.lat))
                .chain(m.inside.iter().map(|s| (s.lon, s.lat)))
                .collect();
            // The council's boundaries of the borough's localities, when the model gives them.
            let boundaries: Vec<Vec<(f64, f64)>> =
                m.homes.iter().filter(|h| h.in_borough).flat_map(|h| h.area.iter().flatten().cloned()).collect();
            let named: f64 = m.outside.iter().map(|s| s.children).sum();
            let settings = m.outside.iter().filter(|s| s.children.round() >= 1.0).count();
            let alike = if threshold > 1.0 {
                format!(" (those with fewer than {threshold:.0} drawn alike)")
            } else {
                String::new()
            };
            let market = if m.market.round() >= 1.0 {
                format!(
                    ", and {} through the independent market, which has no site to draw",
                    map::children(m.market, threshold)
                )
            } else {
                String::new()
            };
            Figure {
                id: "map-destinations".into(),
                title: format!("Where children placed outside the borough go, {}", years[0]),
                caption: if (named + m.market).round() < 1.0 {
                    format!("No child was placed outside the borough in {}.", years[0])
                } else {
                    let caption = format!(
                        "{} placed outside the borough in {}: {} at the {settings} settings drawn, each circle sized \
                         by its children{alike}{market}.",
                        map::children(named + m.market, threshold),
                        years[0],
                        map::children(named, threshold),
                    );
                    let mut first = caption.chars();
                    first.next().map(|c| c.to_uppercase().chain(first).collect()).unwrap_or_default()
                },
                svg: map::destinations(&outline, &boundaries, &m.outside, threshold, &years[0]),
            }
        }
    }
}

/// What the maps draw, from the first year's plan: home localities with their additional
/// places required ([`places_required_by_locality`]), settings in and outside the borough with
/// their children, flows to settings in the borough, and children placed through the
/// market (which has no site).
struct MapData {
    homes: Vec<map::Home>,
    inside: Vec<map::Site>,
    flows: Vec<map::Flow>,
    outside: Vec<map::Site>,
    market: f64,
}

impl MapData {
    fn of(inputs: &Inputs<'_>, tally: &Tally) -> MapData {
        let run = &inputs.years[0].run;
        let model = &run.model;
        let required = places_required_by_locality(run);
        let mut needing = vec![0.0; model.localities.len()];
        for d in &model.demand {
            needing[d.locality.0] += d.children;
        }
        let homes = model
            .localities
            .iter()
            .enumerate()
            .map(|(i, l)| map::Home {
                name: l.name.clone(),
                lon: l.position.x(),
                lat: l.position.y(),
                in_borough: l.in_borough,
                required: required[i],
                children: needing[i],
                area: model
                    .annex
                    .areas
                    .as_ref()
                    .and_then(|a| a.of_locality.get(i))
                    .map(|a| a.polygons.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let mut placed = vec![0.0; model.settings.len()];
        for (&(_, s), &c) in &tally.flows {
            placed[s] += c;
        }
        let (mut inside, mut outside, mut market) = (Vec::new(), Vec::new(), 0.0);
        // Where each setting with a site is drawn: (in the borough, index).
        let mut at = vec![None; model.settings.len()];
        for (i, s) in model.settings.iter().enumerate() {
            if s.market.is_some() {
                market += placed[i];
                continue;
            }
            let site = map::Site {
                name: s.name.clone(),
                lon: s.position.x(),
                lat: s.position.y(),
                kind: s.kind,
                places: s.places,
                children: placed[i],
            };
            if s.in_borough {
                at[i] = Some(inside.len());
                inside.push(site);
            } else {
                outside.push(site);
            }
        }
        let flows = tally
            .flows
            .iter()
            .filter_map(|(&(l, s), &children)| Some(map::Flow { from: l, to: at[s]?, children }))
            .collect();
        MapData { homes, inside, flows, outside, market }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DEFAULT_PHASES, DFE_NEED_CODES, Provision, SchoolYear};
    use crate::optimise::solve::Solver;
    use crate::testing::ModelBuilder;

    fn codes() -> (Vec<String>, Vec<String>) {
        (
            DFE_NEED_CODES.iter().map(|c| (*c).to_string()).collect(),
            DEFAULT_PHASES.iter().map(|(c, _)| (*c).to_string()).collect(),
        )
    }

    /// The sample authority's children needing a place in 2025/26, by need (DfE order) and
    /// phase (early years, primary, secondary, post-16), as its annex shows them.
    const SAMPLE: [[f64; 4]; 12] = [
        [20.0, 205.0, 261.0, 123.0],
        [0.0, 138.0, 286.0, 82.0],
        [30.0, 112.0, 67.0, 22.0],
        [4.0, 65.0, 78.0, 41.0],
        [5.0, 28.0, 31.0, 36.0],
        [3.0, 10.0, 9.0, 10.0],
        [0.0, 8.0, 21.0, 11.0],
        [2.0, 11.0, 10.0, 7.0],
        [1.0, 5.0, 6.0, 4.0],
        [0.0, 2.0, 2.0, 1.0],
        [6.0, 22.0, 24.0, 17.0],
        [1.0, 8.0, 9.0, 6.0],
    ];

    fn labels(groups: &[Group]) -> Vec<&str> {
        groups.iter().map(|g| g.label.as_str()).collect()
    }

    #[test]
    fn small_needs_and_phases_are_grouped_by_the_rule() {
        let (needs, phases) = codes();
        let base: Vec<Vec<f64>> = SAMPLE.iter().map(|r| r.to_vec()).collect();
        // Control off: every need and phase alone.
        let g = Grouping::new(&needs, &phases, &base, None);
        assert_eq!(labels(&g.needs), DFE_NEED_CODES.to_vec());
        assert_eq!(labels(&g.phases), ["Early years", "Primary", "Secondary", "Post-16"]);
        assert_eq!(g.counts(), (48, 0, 48));
        // Threshold 5, so 20 children a cell: early years (20 ASD, 30 SLCN, but 4 MLD, 3 SLD
        // and PMLD...) goes with primary; SpLD (8 in primary) with MLD; PMLD (13 in early
        // years and primary) with SLD; HI, VI, MSI, PD and OTH together.
        let g = Grouping::new(&needs, &phases, &base, Some(20.0));
        assert_eq!(labels(&g.phases), ["Early years and primary", "Secondary", "Post-16"]);
        assert_eq!(g.phases[0].members, [0, 1]);
        assert_eq!(
            labels(&g.needs),
            [
                "ASD",
                "SEMH",
                "SLCN",
                "Moderate and specific learning difficulties (MLD, SpLD)",
                "Severe and profound learning difficulties (SLD, PMLD)",
                "Sensory, physical and other needs (HI, VI, MSI, PD, OTH)"
            ]
        );
        assert_eq!(g.needs[5].members, [7, 8, 9, 10, 11]);
        // 48 cells; those of ASD, SEMH and SLCN in secondary and post-16 stand alone (6).
        assert_eq!(g.counts(), (48, 42, 18));
        // A council twice the size: SpLD and PMLD still short in places, the rest not; a need
        // group is split only when every need in it is large enough in every phase.
        let double: Vec<Vec<f64>> = base.iter().map(|r| r.iter().map(|v| v * 2.0).collect()).collect();
        let g = Grouping::new(&needs, &phases, &double, Some(20.0));
        assert_eq!(labels(&g.phases), ["Early years and primary", "Secondary", "Post-16"]);
        assert_eq!(g.needs.len(), 6, "{:?}", labels(&g.needs));
        // Ten times: early years has none or at least 20 of every need group (MLD and SpLD 40,
        // the sensory group 100), so it stands alone; then every need but MSI (10 in post-16)
        // has at least 20 in each phase, so only the sensory group stays together.
        let ten: Vec<Vec<f64>> = base.iter().map(|r| r.iter().map(|v| v * 10.0).collect()).collect();
        let g = Grouping::new(&needs, &phases, &ten, Some(20.0));
        assert_eq!(labels(&g.phases), ["Early years", "Primary", "Secondary", "Post-16"]);
        assert_eq!(
            labels(&g.needs),
            [
                "ASD",
                "SEMH",
                "SLCN",
                "MLD",
                "SpLD",
                "SLD",
                "PMLD",
                "Sensory, physical and other needs (HI, VI, MSI, PD, OTH)"
            ]
        );
        assert_eq!(g.counts(), (48, 20, 32));
    }

    /// One home locality; ASD children beyond the 2 places of the local school, HI children
    /// whom no local setting takes, PD children for whom a dear local place is free but a
    /// place outside costs less, and MLD children whom no setting takes.
    fn four_reasons() -> Model {
        ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("local", "maintained-special", 53.0, -2.0, true, 2.0, "primary", "ASD", 20_000.0)
            .setting("away", "other-authority-special", 53.05, -2.0, false, 20.0, "primary", "ASD;HI;PD", 25_000.0)
            .setting("dear", "independent-special", 53.0, -2.0, true, 10.0, "primary", "PD", 60_000.0)
            .demand("home", "ASD", "primary", 5.0, Provision::SpecialSchool)
            .demand("home", "HI", "primary", 3.0, Provision::SpecialSchool)
            .demand("home", "PD", "primary", 4.0, Provision::SpecialSchool)
            .demand("home", "MLD", "primary", 2.0, Provision::SpecialSchool)
            .out_of_borough_weight(10_000.0)
            .build()
    }

    fn annex(model: &Model, years: &[YearRun], threshold: Option<f64>) -> Annex {
        Annex::build(&Inputs {
            model,
            years,
            schemes: None,
            commissioning: None,
            threshold,
            produced: "2026-01-01".into(),
            command: "test".into(),
            bands: Vec::new(),
        })
    }

    fn table<'a>(a: &'a Annex, id: &str) -> &'a Table {
        a.tables().find(|t| t.id == id).unwrap_or_else(|| panic!("no table {id}"))
    }

    /// A table's cells as text, as the CSV holds them.
    fn grid(t: &Table) -> Vec<Vec<String>> {
        t.csv().rows
    }

    #[test]
    fn commentary_is_paragraphs_and_bullets_in_the_councils_words() {
        let text = "# Our approach\n\nWe plan for every child\nclose to home.\n\n- first <b>item</b>\n* second\n";
        assert_eq!(
            commentary_paragraphs(text),
            ["Our approach", "We plan for every child close to home.", "• first <b>item</b>", "• second"]
        );
        // Placed at the start of its section, and an introduction first, with the markup
        // escaped in the page.
        let mut model = four_reasons();
        model.annex.commentary =
            vec![("introduction".into(), "Hello <script>".into()), ("need".into(), "Need is rising.".into())];
        let run = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
        let years = [YearRun { year: SchoolYear(2025), run, staying: 0.0, moved_by_cuts: 0.0 }];
        let a = annex(&model, &years, None);
        assert_eq!((a.sections[0].id.as_str(), a.sections[0].heading.as_str()), ("introduction", "Introduction"));
        assert_eq!(a.sections[0].items, [Item::Paragraph("Hello <script>".into())]);
        let need = a.sections.iter().find(|s| s.id == "need").unwrap();
        assert_eq!(need.items[0], Item::Paragraph("Need is rising.".into()));
        let page = super::super::html::page(&a);
        assert!(page.contains("<p>Hello &lt;script&gt;</p>") && !page.contains("<script>"));
    }

    #[test]
    fn out_of_borough_placements_are_sorted_by_why_and_only_some_are_places_required() {
        let model = four_reasons();
        let run = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
        // The plan, by hand: 2 ASD at the local school and 3 away (£35,000 with the weight,
        // against £1,000,000 left without); 3 HI away; 4 PD away (£35,000 against £60,000 at
        // the dear local school); 2 MLD with no place.
        let s = Sufficiency::of(&run);
        let (asd, hi, pd, mld) = (0, 7, 10, 3);
        assert_eq!(s.out[&(asd, 1, 0)], [3.0, 0.0, 0.0]);
        assert_eq!(s.out[&(hi, 1, 0)], [0.0, 3.0, 0.0]);
        assert_eq!(s.out[&(pd, 1, 0)], [0.0, 0.0, 4.0]);
        assert_eq!(s.unmet[&(mld, 1, 0)], 2.0);
        assert_eq!(s.out_by_kind[&kind_index(SettingKind::OtherAuthoritySpecial)], (10.0, 250_000.0, 0.0));
        // The map shades the one home locality by the same 5 places required (3 ASD + 2 MLD).
        assert_eq!(places_required_by_locality(&run), [5.0]);

        let years = [YearRun { year: SchoolYear(2025), run, staying: 0.0, moved_by_cuts: 0.0 }];
        let a = annex(&model, &years, None);
        assert_eq!(
            grid(table(&a, "places-required")),
            [vec!["ASD", "Primary", "3"], vec!["MLD", "Primary", "2"], vec!["All needs", "All phases", "5"],]
        );
        assert_eq!(grid(table(&a, "out-of-borough-by-year")), [vec!["2025/26", "10", "3", "3", "4", "250000", "0"]]);
        assert_eq!(
            grid(table(&a, "placements-2025-26")),
            [
                vec!["ASD", "Primary", "5", "2", "3", "0", "3"],
                vec!["MLD", "Primary", "2", "0", "0", "2", "2"],
                vec!["HI", "Primary", "3", "0", "3", "0", "0"],
                vec!["PD", "Primary", "4", "0", "4", "0", "0"],
                vec!["All needs", "All phases", "14", "2", "10", "2", "5"],
            ]
        );
        assert_eq!(a.title, "test: SEND sufficiency statement, annex of evidence");
    }

    #[test]
    fn a_forecast_is_shown_however_small_and_the_same_count_of_pupils_withheld() {
        // The same plan as the base year and as a forecast a year on.
        let model = four_reasons();
        let run = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
        let years = [
            YearRun { year: SchoolYear(2025), run: run.clone(), staying: 0.0, moved_by_cuts: 0.0 },
            YearRun { year: SchoolYear(2026), run, staying: 0.0, moved_by_cuts: 0.0 },
        ];
        let a = annex(&model, &years, Some(5.0));
        let required = grid(table(&a, "places-required"));
        // Pupils: 3 and 2 withheld (their total, 5, leaves each anywhere from 0 to 5);
        // forecasts: 3, 2 and 5 shown.
        // (Grouped first: early years, with none, goes with primary, and MLD with SpLD.)
        assert_eq!(required[0], ["ASD", "Early years and primary", "c", "3"]);
        assert_eq!(
            required[1],
            ["Moderate and specific learning difficulties (MLD, SpLD)", "Early years and primary", "c", "2"]
        );
        assert_eq!(required[required.len() - 1][2..], ["5", "5"]);
        for t in a.tables() {
            for row in grid(t) {
                for (c, cell) in row.iter().enumerate() {
                    assert!(
                        // (A growth from 2025/26 goes with its first year's count.)
                        cell != "c"
                            || !t.columns[c].heading.contains("2026/27")
                            || t.columns[c].heading.starts_with("Growth"),
                        "{}: {} withheld in {row:?}",
                        t.id,
                        t.columns[c].heading
                    );
                }
            }
        }
        let Disclosure::Controlled { base_year, primary, rounded, .. } = &a.disclosure else { panic!("control is on") };
        assert_eq!(base_year, "2025/26");
        assert!(*primary > 0 && *rounded > 0);
        assert!(a.disclosure.statement().contains("published within groups"));
        // Without disclosure control, every need and phase on its own and every count shown.
        let a = annex(&model, &years, None);
        assert_eq!(grid(table(&a, "places-required"))[0], ["ASD", "Primary", "3", "3"]);
    }
}
