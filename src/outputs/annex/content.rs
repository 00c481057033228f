//! What the annex says: its tables, built from the solved years (and the schemes and
//! commissioning results, when the model has them), its figures drawn from those tables,
//! and the method note generated from the model.

use std::collections::BTreeMap;

use super::disclosure::{CellId, Counts, protect};
use super::map;
use super::svg::{self, Bar};
use super::{Annex, Column, Disclosure, Figure, Item, Section, Table, Unit, Value};
use crate::model::{Model, Money, SettingKind};
use crate::optimise::plan::Plan;
use crate::planning::commissioning::{Comparison, uses_label};
use crate::planning::horizon::YearRun;
use crate::planning::schemes::{Appraised, Outcome};

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
    /// Counts below this are withheld; `None` turns disclosure control off.
    pub threshold: Option<f64>,
    /// When the annex was made (e.g. 2026-11-25).
    pub produced: String,
    /// The command that made it, to reproduce it.
    pub command: String,
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
    /// (need, phase, locality) → children out of borough or unmet.
    short_by_locality: BTreeMap<(usize, usize, usize), f64>,
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
            short_by_locality: BTreeMap::new(),
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
            *t.short_by_locality.entry((d.need.0, d.phase.0, d.locality.0)).or_default() += unmet;
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
                *t.short_by_locality.entry((d.need.0, d.phase.0, d.locality.0)).or_default() += p.children;
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
}

impl Draft {
    fn new(id: impl Into<String>, title: impl Into<String>, note: impl Into<String>, columns: Vec<Column>) -> Draft {
        Draft { id: id.into(), title: title.into(), note: note.into(), columns, rows: Vec::new(), totals: 0 }
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
    Shortfall,
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
    tallies: Vec<Tally>,
    counts: Counts,
    sections: Vec<(String, String, Vec<Part>)>,
}

/// Pool keys: measure, year, need, phase, locality or kind ("*" for all).
fn key(measure: &str, year: &str, parts: &[&str]) -> String {
    format!("{measure}|{year}|{}", parts.join("|"))
}

impl Builder<'_> {
    fn need(&self, n: usize) -> &str {
        &self.model.needs[n]
    }

    fn phase(&self, p: usize) -> &str {
        &self.model.phases[p].code
    }

    /// The years covered: "2025/26 to 2029/30", or the one year.
    fn years_covered(&self) -> String {
        let (first, last) = (&self.tallies[0].year, &self.tallies[self.tallies.len() - 1].year);
        if first == last { first.clone() } else { format!("{first} to {last}") }
    }

    fn section(&mut self, id: &str, heading: &str) {
        self.sections.push((id.into(), heading.into(), Vec::new()));
    }

    fn add(&mut self, part: Part) {
        if let Some(s) = self.sections.last_mut() {
            s.2.push(part);
        }
    }

    /// Children placed in borough, out of borough and unmet, and those needing a place, for
    /// a year, need and phase: the base counts every other count adds up from.
    fn need_phase_cells(&mut self, y: usize) {
        let year = self.tallies[y].year.clone();
        for n in 0..self.model.needs.len() {
            for p in 0..self.model.phases.len() {
                let [inb, out, unmet] = self.tallies[y].by_need_phase[&(n, p)];
                let (need, phase) = (self.model.needs[n].clone(), self.model.phases[p].code.clone());
                let i = self.counts.cell(key("in", &year, &[&need, &phase]), inb);
                let o = self.counts.cell(key("out", &year, &[&need, &phase]), out);
                let u = self.counts.cell(key("unmet", &year, &[&need, &phase]), unmet);
                self.counts.sum(key("needing", &year, &[&need, &phase]), &[i, o, u]);
                self.counts.sum(key("short", &year, &[&need, &phase]), &[o, u]);
                self.counts.sum(key("placed", &year, &[&need, &phase]), &[i, o]);
            }
        }
        // Sums over phases, over needs, and over both.
        for measure in ["in", "out", "unmet", "needing", "short", "placed"] {
            let mut need_totals = Vec::new();
            for n in 0..self.model.needs.len() {
                let parts: Vec<CellId> = (0..self.model.phases.len())
                    .map(|p| self.counts.cell(key(measure, &year, &[self.need(n), self.phase(p)]), 0.0))
                    .collect();
                need_totals.push(self.counts.sum(key(measure, &year, &[self.need(n), "*"]), &parts));
            }
            let mut phase_totals = Vec::new();
            for p in 0..self.model.phases.len() {
                let parts: Vec<CellId> = (0..self.model.needs.len())
                    .map(|n| self.counts.cell(key(measure, &year, &[self.need(n), self.phase(p)]), 0.0))
                    .collect();
                phase_totals.push(self.counts.sum(key(measure, &year, &["*", self.phase(p)]), &parts));
            }
            let all = self.counts.sum(key(measure, &year, &["*", "*"]), &need_totals);
            self.counts.tie(&phase_totals, all);
        }
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

    fn need_section(&mut self) {
        let first = self.tallies[0].year.clone();
        let last = self.tallies[self.tallies.len() - 1].year.clone();
        self.section("need", "Need: children with EHC plans needing a specialist place");
        self.add(Part::Paragraph(format!(
            "Children with education, health and care plans who need a place in a special school or resourced \
             provision, by primary need and phase. {first} is the base year{}.",
            if self.tallies.len() > 1 { format!("; later years to {last} are forecast") } else { String::new() }
        )));
        let mut columns = vec![Column::new("Primary need", Unit::Text)];
        columns.extend(self.model.phases.iter().map(|p| Column::new(p.code.clone(), Unit::Children)));
        columns.push(Column::new("All phases", Unit::Children));
        let mut t = Draft::new(
            "need-by-phase",
            format!("Children needing a specialist place by primary need and phase, {first}"),
            "Forecast children needing a place, rounded to whole children; totals are worked out before rounding.",
            columns,
        );
        let needs = self.model.needs.clone();
        let phases: Vec<String> = self.model.phases.iter().map(|p| p.code.clone()).collect();
        for need in needs.iter().map(String::as_str).chain(["*"]) {
            let mut row = vec![text(if need == "*" { "All needs" } else { need })];
            for phase in phases.iter().map(String::as_str).chain(["*"]) {
                row.push(self.count("needing", &first, &[need, phase]));
            }
            t.rows.push(row);
        }
        t.totals = 1;
        self.add(Part::Table(t));

        if self.tallies.len() > 1 {
            let mut columns = vec![Column::new("Primary need", Unit::Text)];
            columns.extend(self.tallies.iter().map(|t| Column::new(t.year.clone(), Unit::Children)));
            columns.push(Column::new(format!("Growth {first} to {last}"), Unit::Percent));
            let mut t = Draft::new(
                "need-by-year",
                format!("Children needing a specialist place by primary need, {first} to {last}"),
                "Base year and forecast; growth is the change from the first year to the last.",
                columns,
            );
            let years: Vec<String> = self.tallies.iter().map(|t| t.year.clone()).collect();
            for need in needs.iter().map(String::as_str).chain(["*"]) {
                let label = if need == "*" { "All needs" } else { need };
                let mut row = self.row_by_year(&[label], "needing", &years, &[need, "*"]);
                let a = self.id("needing", &first, &[need, "*"]);
                let b = self.id("needing", &last, &[need, "*"]);
                row.push(self.growth(a, b));
                t.rows.push(row);
            }
            t.totals = 1;
            self.add(Part::Table(t));

            let mut columns = vec![Column::new("Primary need", Unit::Text), Column::new("Phase", Unit::Text)];
            columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
            columns.push(Column::new(format!("Growth {first} to {last}"), Unit::Percent));
            let mut t = Draft::new(
                "need-by-phase-and-year",
                format!("Children needing a specialist place by primary need and phase, {first} to {last}"),
                "Rows with no child in any year are left out.",
                columns,
            );
            for need in &needs {
                for phase in &phases {
                    let ids: Vec<CellId> = years.iter().map(|y| self.id("needing", y, &[need, phase])).collect();
                    if ids.iter().all(|&c| self.value(c) < 0.5) {
                        continue;
                    }
                    let mut row = vec![text(need.clone()), text(phase.clone())];
                    for &id in &ids {
                        self.counts.published[id] = true;
                        row.push(Cell::Count(id));
                    }
                    let (a, b) = (ids[0], ids[ids.len() - 1]);
                    row.push(self.growth(a, b));
                    t.rows.push(row);
                }
            }
            let mut row = self.row_by_year(&["All needs", "All phases"], "needing", &years, &["*", "*"]);
            let (a, b) = (self.id("needing", &first, &["*", "*"]), self.id("needing", &last, &["*", "*"]));
            row.push(self.growth(a, b));
            t.rows.push(row);
            t.totals = 1;
            self.add(Part::Table(t));
        }
        self.add(Part::Figure(Sketch::NeedAgainstPlaces));
    }

    fn places_section(&mut self) {
        let first = self.tallies[0].year.clone();
        let last = self.tallies[self.tallies.len() - 1].year.clone();
        self.section("places", "Places: by kind of setting, in and out of the borough");
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
        // Children by kind and need, first year: counts tied to children placed by need.
        let kinds: Vec<usize> = (0..SettingKind::ALL.len())
            .filter(|k| self.tallies.iter().any(|t| t.places_by_kind.contains_key(k)))
            .collect();
        let needs = self.model.needs.clone();
        let mut kind_totals = Vec::new();
        for &k in &kinds {
            let code = SettingKind::ALL[k].code();
            let parts: Vec<CellId> = needs
                .iter()
                .enumerate()
                .map(|(n, need)| {
                    let v = self.tallies[0].by_kind_need.get(&(k, n)).copied().unwrap_or(0.0);
                    self.counts.cell(key("kind", &first, &[code, need]), v)
                })
                .collect();
            kind_totals.push(self.counts.sum(key("kind", &first, &[code, "*"]), &parts));
        }
        for need in &needs {
            let parts: Vec<CellId> =
                kinds.iter().map(|&k| self.id("kind", &first, &[SettingKind::ALL[k].code(), need])).collect();
            let placed = self.id("placed", &first, &[need, "*"]);
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
                row.push(number(l));
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
        columns.extend(needs.iter().map(|n| Column::new(n.clone(), Unit::Children)));
        columns.push(Column::new("All needs", Unit::Children));
        let mut t = Draft::new(
            "children-by-kind-and-need",
            format!("Children placed by kind of setting and primary need, {first}"),
            "Children the plan places at each kind of setting, in and out of the borough.",
            columns,
        );
        for (i, &k) in kinds.iter().enumerate() {
            let code = SettingKind::ALL[k].code();
            let mut row = vec![text(SettingKind::ALL[k].name())];
            for need in &needs {
                row.push(self.count("kind", &first, &[code, need]));
            }
            row.push(Cell::Count(kind_totals[i]));
            t.rows.push(row);
        }
        let mut row = vec![text("All settings")];
        for need in &needs {
            row.push(self.count("placed", &first, &[need, "*"]));
        }
        row.push(Cell::Count(all_placed));
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));
    }

    fn sufficiency_section(&mut self) {
        let span = self.years_covered();
        let years: Vec<String> = self.tallies.iter().map(|t| t.year.clone()).collect();
        self.section("sufficiency", "Sufficiency: where places fall short");
        self.add(Part::Paragraph(
            "A shortfall is a child the least-cost plan cannot place in a suitable setting in the borough within the \
             journey limit: placed out of the borough, or without a suitable place at all (unmet need). Places are \
             shared between needs, so spare places are shown by kind of setting, not by need."
                .into(),
        ));
        let mut columns = vec![Column::new("Primary need", Unit::Text), Column::new("Phase", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            "shortfall-by-need",
            format!("Children without a place in the borough by need and phase, {span}"),
            "Children placed out of the borough or with no suitable place, with the places that exist or are \
             planned (before any new capital scheme).",
            columns,
        );
        let needs = self.model.needs.clone();
        let phases: Vec<String> = self.model.phases.iter().map(|p| p.code.clone()).collect();
        for need in &needs {
            for phase in &phases {
                let ids: Vec<CellId> = years.iter().map(|y| self.id("needing", y, &[need, phase])).collect();
                if ids.iter().all(|&c| self.value(c) < 0.5) {
                    continue;
                }
                let mut row = vec![text(need.clone()), text(phase.clone())];
                for y in &years {
                    row.push(self.count("short", y, &[need, phase]));
                }
                t.rows.push(row);
            }
        }
        let row = self.row_by_year(&["All needs", "All phases"], "short", &years, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));

        // By home locality: tied to the need-and-phase shortfall.
        let mut columns = vec![
            Column::new("Home locality", Unit::Text),
            Column::new("Primary need", Unit::Text),
            Column::new("Phase", Unit::Text),
        ];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            "shortfall-by-locality",
            format!("Children without a place in the borough by home locality, need and phase, {span}"),
            "Only rows with a shortfall in some year are listed; the rest are nil.",
            columns,
        );
        let localities = self.model.localities.clone();
        for (y, year) in years.iter().enumerate() {
            for (n, need) in needs.iter().enumerate() {
                for (p, phase) in phases.iter().enumerate() {
                    let parts: Vec<CellId> = localities
                        .iter()
                        .enumerate()
                        .map(|(l, loc)| {
                            let v = self.tallies[y].short_by_locality.get(&(n, p, l)).copied().unwrap_or(0.0);
                            let id = self.counts.cell(key("short", year, &[need, phase, &loc.id]), v);
                            self.counts.published[id] = true;
                            id
                        })
                        .collect();
                    let total = self.id("short", year, &[need, phase]);
                    self.counts.tie(&parts, total);
                }
            }
        }
        // Every need and phase together: where children live who lack a local place.
        let mut columns = vec![Column::new("Home locality", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut summary = Draft::new(
            "shortfall-by-home-locality",
            format!("Children without a place in the borough by home locality, {span}"),
            "All needs and phases: children placed out of the borough or with no suitable place, by where they live.",
            columns,
        );
        for year in &years {
            let mut totals = Vec::new();
            for loc in &localities {
                let parts: Vec<CellId> = needs
                    .iter()
                    .flat_map(|need| phases.iter().map(move |phase| (need, phase)))
                    .map(|(need, phase)| self.id("short", year, &[need, phase, &loc.id]))
                    .collect();
                let total = self.counts.sum(key("short", year, &["*", "*", &loc.id]), &parts);
                totals.push(total);
            }
            let all = self.id("short", year, &["*", "*"]);
            self.counts.tie(&totals, all);
        }
        for loc in &localities {
            let row = self.row_by_year(&[&loc.name], "short", &years, &["*", "*", &loc.id]);
            summary.rows.push(row);
        }
        let row = self.row_by_year(&["All localities"], "short", &years, &["*", "*"]);
        summary.rows.push(row);
        summary.totals = 1;
        self.add(Part::Table(summary));

        for loc in &localities {
            for need in &needs {
                for phase in &phases {
                    let ids: Vec<CellId> = years.iter().map(|y| self.id("short", y, &[need, phase, &loc.id])).collect();
                    if ids.iter().all(|&c| self.value(c) < 0.5) {
                        continue;
                    }
                    let mut row = vec![text(loc.name.clone()), text(need.clone()), text(phase.clone())];
                    row.extend(ids.into_iter().map(Cell::Count));
                    t.rows.push(row);
                }
            }
        }
        let row = self.row_by_year(&["All localities", "All needs", "All phases"], "short", &years, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));

        if let Some(part) = self.inputs.schemes {
            self.schemes_shortfall(part);
        }
        self.add(Part::Figure(Sketch::Shortfall));
    }

    /// Shortfall by need without and with the chosen schemes, from the appraisal (which
    /// plans each year afresh, so its figures differ from the year-by-year plan's).
    fn schemes_shortfall(&mut self, part: SchemesPart<'_>) {
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
        let short_by_need = |o: &Outcome| -> Vec<(String, Vec<f64>)> {
            o.futures[0]
                .iter()
                .zip(&demand_by_year)
                .map(|(y, demand)| {
                    let mut by_need = vec![0.0; model.needs.len()];
                    for (r, u) in y.plan.unmet.iter().enumerate() {
                        by_need[demand[r].need.0] += u;
                    }
                    for p in &y.plan.placements {
                        if !in_borough(p.setting.0) {
                            by_need[demand[p.demand].need.0] += p.children;
                        }
                    }
                    (y.year.to_string(), by_need)
                })
                .collect()
        };
        let before = short_by_need(&a.baseline);
        let after = short_by_need(&a.chosen);
        let mut columns = vec![Column::new("Primary need", Unit::Text)];
        for (year, _) in &before {
            columns.push(Column::new(format!("{year} without schemes"), Unit::Children));
            columns.push(Column::new(format!("{year} with schemes"), Unit::Children));
        }
        let mut t = Draft::new(
            "shortfall-with-schemes",
            "Children without a place in the borough, without and with the chosen capital schemes",
            "From the schemes appraisal, which plans each year afresh (children may move setting), so its figures \
             differ from the year-by-year plan above.",
            columns,
        );
        let needs = self.model.needs.clone();
        for (tag, series) in [("before", &before), ("after", &after)] {
            for (year, by_need) in series {
                let parts: Vec<CellId> = needs
                    .iter()
                    .enumerate()
                    .map(|(n, need)| self.counts.cell(key(tag, year, &[need]), by_need[n]))
                    .collect();
                self.counts.sum(key(tag, year, &["*"]), &parts);
            }
        }
        for need in needs.iter().map(String::as_str).chain(["*"]) {
            let ids: Vec<CellId> = before
                .iter()
                .flat_map(|(y, _)| [self.id("before", y, &[need]), self.id("after", y, &[need])])
                .collect();
            if need != "*" && ids.iter().all(|&c| self.value(c) < 0.5) {
                continue;
            }
            let mut row = vec![text(if need == "*" { "All needs" } else { need })];
            for id in ids {
                self.counts.published[id] = true;
                row.push(Cell::Count(id));
            }
            t.rows.push(row);
        }
        t.totals = 1;
        self.add(Part::Table(t));
    }

    fn placements_section(&mut self) {
        let years: Vec<String> = self.tallies.iter().map(|t| t.year.clone()).collect();
        let first = years[0].clone();
        let last = years[years.len() - 1].clone();
        let span = self.years_covered();
        self.section("placements", "Placements: in and out of the borough, journeys and cost");
        let mut columns = vec![Column::new("Year", Unit::Text)];
        for (h, u) in [
            ("Children needing a place", Unit::Children),
            ("Placed in borough", Unit::Children),
            ("Placed out of borough", Unit::Children),
            ("Unmet need", Unit::Children),
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
            "Journeys are one way. Spend is a year's cost of places and home-to-school transport.",
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
        let needs = self.model.needs.clone();
        let phases: Vec<String> = self.model.phases.iter().map(|p| p.code.clone()).collect();
        for year in &chosen {
            let mut columns = vec![Column::new("Primary need", Unit::Text), Column::new("Phase", Unit::Text)];
            for h in ["Children needing a place", "Placed in borough", "Placed out of borough", "Unmet need"] {
                columns.push(Column::new(h, Unit::Children));
            }
            let mut t = Draft::new(
                format!("placements-{}", year.replace('/', "-")),
                format!("Children placed in and out of the borough by need and phase, {year}"),
                "Each row adds up: placed in borough, out of borough and unmet make those needing a place.",
                columns,
            );
            for need in &needs {
                for phase in &phases {
                    let needing = self.id("needing", year, &[need, phase]);
                    if self.value(needing) < 0.5 {
                        continue;
                    }
                    let mut row = vec![text(need.clone()), text(phase.clone())];
                    for m in ["needing", "in", "out", "unmet"] {
                        row.push(self.count(m, year, &[need, phase]));
                    }
                    t.rows.push(row);
                }
            }
            let mut row = vec![text("All needs"), text("All phases")];
            for m in ["needing", "in", "out", "unmet"] {
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
            "A year's cost of the places the plan uses and of home-to-school transport to them. Figures for a kind \
             with few children are withheld with its count.",
            vec![
                Column::new("Kind of setting", Unit::Text),
                Column::new("Children placed", Unit::Children),
                Column::new("Cost of places", Unit::Pounds),
                Column::new("Cost of transport", Unit::Pounds),
                Column::new("Total", Unit::Pounds),
                Column::new("Cost per child", Unit::Pounds),
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
            number(places),
            number(transport),
            number(places + transport),
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
        self.section("schemes", "Capital schemes: the business case");
        let budget = part.budget.map_or_else(|| "no budget limit".to_string(), |b| format!("a budget of {b}"));
        let chosen = a.chosen.portfolio.label(model);
        self.add(Part::Paragraph(format!(
            "Candidate schemes were appraised together over the years planned, within {budget}, choosing the set that \
             costs least in present value (places, transport, running costs and capital, discounted at {:.1}% a \
             year). Chosen: {chosen}.",
            model.appraisal.discount_rate * 100.0
        )));
        let gains = a.gains_alone(model);
        let mut t = Draft::new(
            "schemes",
            "Candidate capital schemes, each appraised against building nothing",
            "Each scheme's business case: the years planned as the plan places children (staying where they are \
             until they change phase), with and without the scheme. Saving a year is for the last year planned; \
             payback is the first year in which the savings to date reach the capital; present value is the savings \
             less the capital over all years planned, discounted.",
            vec![
                Column::new("Scheme", Unit::Text),
                Column::new("Kind", Unit::Text),
                Column::new("Opens", Unit::Text),
                Column::new("Chosen", Unit::Text),
                Column::new("Places", Unit::Places),
                Column::new("Capital", Unit::Pounds),
                Column::new("Capital per place", Unit::Pounds),
                Column::new("Saving a year", Unit::Pounds),
                Column::new("Payback year", Unit::Text),
                Column::new("Present value", Unit::Pounds),
            ],
        );
        for (j, s) in model.schemes.iter().enumerate() {
            let g = &gains[j];
            let modules = a.chosen.portfolio.0[j];
            t.rows.push(vec![
                text(s.name.clone()),
                text(s.setting.kind.name()),
                text(s.opens.to_string()),
                text(if modules > 0 { format!("yes ({modules})") } else { "no".into() }),
                number(g.places),
                number(g.capital.0),
                g.cost_per_place.map_or(Cell::Value(Value::Blank), |c| number(c.0)),
                number(g.annual_saving.0),
                text(g.payback.describe()),
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
                 cumulative = savings to date less capital to date. Pays back: {}.",
                case.payback.describe()
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
        let g = a.gain(model);
        let mut t = Draft::new(
            "scheme-portfolio",
            "The chosen schemes against building nothing",
            "Last year planned, from the business case.",
            vec![
                Column::new("Portfolio", Unit::Text),
                Column::new("Capital", Unit::Pounds),
                Column::new("Places added", Unit::Places),
                Column::new("Back in the borough", Unit::Children),
                Column::new("Unmet need met", Unit::Children),
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
        for (i, e) in c.evaluations.iter().enumerate() {
            let id = self.counts.shown(key("commissioning", &c.year, &[&i.to_string()]), e.independent_children);
            t.rows.push(vec![
                text(e.label.clone()),
                text(uses_label(&c.options, e)),
                number(e.spend().0),
                Cell::Derived(e.independent_spend.0, vec![id]),
                Cell::Count(id),
                number(spot - e.spend().0),
            ]);
        }
        self.add(Part::Table(t));
    }

    fn method_section(&mut self, disclosure: &str) {
        let model = self.model;
        let inputs = self.inputs;
        self.section("method", "Method and assumptions");
        let solver = self.inputs.years[0].run.plan.solver;
        let stages: Vec<String> = self.inputs.years[0]
            .run
            .plan
            .stages
            .iter()
            .map(|s| format!("{} {:.2}", crate::optimise::solve::aim_name(s.aim), s.value))
            .collect();
        self.add(Part::Paragraph(
            "Each year, a linear program places every child forecast to need a specialist place at a suitable \
             setting (one that takes the child's need, phase and provision, within the phase's journey limit, with \
             places free), at the least cost of places and transport plus a policy weight on each child placed out \
             of the borough and a penalty on each child left without a place. Children already placed stay where \
             they are from year to year. Every answer is checked against the inputs outside the solver."
                .into(),
        ));
        let mut t = Draft::new(
            "method",
            "Method, parameters and sources",
            "Generated from the model file: enough to reproduce every figure in this annex.",
            vec![Column::new("Item", Unit::Text), Column::new("Value", Unit::Text)],
        );
        let mut row = |k: &str, v: String| t.rows.push(vec![text(k), text(v)]);
        row("Model", model.name.clone());
        row("Description", model.description.clone());
        row("Years", self.years_covered());
        if let Some(h) = &model.horizon {
            row("Forecast variant", h.variant.clone());
        }
        row("Needs", model.needs.join(", "));
        for p in &model.phases {
            row(&format!("Journey limit, {}", p.code), format!("{} minutes one way", p.max_journey_minutes));
        }
        row("Objective", model.policy.objective.code().to_string());
        row("Weight on each child placed out of the borough", format!("{} a year", model.policy.out_of_borough_weight));
        row("Penalty on each child without a place", format!("{} a year", model.policy.unmet_penalty));
        row("Travel times", self.inputs.years[0].run.journeys.method.describe(&model.transport));
        let tr = &model.transport;
        row(
            "Transport cost",
            format!(
                "{} a child a year + {} a km + {} a minute, {} journeys a day, {} school days",
                tr.fixed_per_child, tr.cost_per_km, tr.cost_per_minute, tr.journeys_per_day, tr.school_days
            ),
        );
        if inputs.schemes.is_some() {
            let a = &model.appraisal;
            row(
                "Capital appraisal",
                format!(
                    "discount rate {:.1}% a year; capital {:?} over {} years",
                    a.discount_rate * 100.0,
                    a.capital,
                    a.asset_life_years
                ),
            );
        }
        row("Solver", format!("{solver} (optimal; {})", stages.join(", ")));
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
        let mut b = Builder { inputs, model, tallies, counts: Counts::default(), sections: Vec::new() };
        for y in 0..b.tallies.len() {
            b.need_phase_cells(y);
        }
        b.need_section();
        b.places_section();
        b.sufficiency_section();
        b.placements_section();
        if let Some(part) = inputs.schemes {
            b.schemes_section(part);
        }
        if let Some(c) = inputs.commissioning {
            b.commissioning_section(c);
        }
        let threshold = inputs.threshold.unwrap_or(0.0);
        let withheld = protect(&b.counts, threshold);
        let disclosure = match inputs.threshold {
            None => Disclosure::Off,
            Some(threshold) => {
                let primary = (0..withheld.len())
                    .filter(|&c| {
                        withheld[c] && b.counts.values[c].round() >= 1.0 && b.counts.values[c].round() < threshold
                    })
                    .count();
                let all = withheld.iter().filter(|w| **w).count();
                Disclosure::Controlled { threshold, primary, secondary: all - primary }
            }
        };
        b.method_section(&disclosure.statement());
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
            sections[s].items[i] = Item::Figure(draw(sketch, &tables, inputs, &b.tallies, threshold));
        }
        Annex {
            title: "SEND sufficiency statement: annex of evidence".into(),
            model: model.name.clone(),
            description: model.description.clone(),
            years,
            sections,
            disclosure,
            produced: inputs.produced.clone(),
        }
    }
}

/// A number from a resolved table (`None` when withheld or blank).
fn table_number(t: &Table, row: usize, col: usize) -> Option<f64> {
    match t.rows.get(row)?.get(col)? {
        Value::Number(v) => Some(*v),
        _ => None,
    }
}

fn row_named(t: &Table, name: &str) -> Option<usize> {
    t.rows.iter().position(|r| r.first() == Some(&Value::Text(name.to_string())))
}

fn draw(
    sketch: Sketch,
    tables: &BTreeMap<String, Table>,
    inputs: &Inputs<'_>,
    tallies: &[Tally],
    threshold: f64,
) -> Figure {
    let years: Vec<String> = tallies.iter().map(|t| t.year.clone()).collect();
    match sketch {
        Sketch::NeedAgainstPlaces => {
            // Need and places by year: all needs, then each need (from the published tables).
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
            });
            if let Some(t) = tables.get("need-by-year") {
                for need in &inputs.model.needs {
                    let Some(r) = row_named(t, need) else { continue };
                    panels.push(svg::Panel {
                        title: need.clone(),
                        bars: (0..years.len()).map(|c| table_number(t, r, c + 1)).collect(),
                        line: vec![None; years.len()],
                        second: vec![None; years.len()],
                    });
                }
            }
            Figure {
                id: "chart-need-places".into(),
                title: "Need against places over the years".into(),
                caption: "Bars: children needing a specialist place. For all needs, the line shows places in the \
                          borough's special schools and resourced provisions, and the dots children placed in the \
                          borough. Missing bars are withheld counts."
                    .into(),
                svg: svg::small_multiples(&years, &panels),
            }
        }
        Sketch::Shortfall => {
            let by_year = &tables["placements-by-year"];
            let bars: Vec<Bar> = (0..years.len())
                .map(|r| Bar {
                    label: years[r].clone(),
                    parts: vec![table_number(by_year, r, 3), table_number(by_year, r, 4)],
                })
                .collect();
            Figure {
                id: "chart-out-of-borough".into(),
                title: "Children placed out of the borough, and unmet need, by year".into(),
                caption: "Stacked bars: children placed out of the borough (dark) and children without a suitable \
                          place (light), each year of the plan."
                    .into(),
                svg: svg::stacked_bars(&bars, &["Placed out of borough", "Unmet need"], "children"),
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
                format!("No child is without a suitable place in {}, so no area is shaded.", years[0])
            } else {
                format!(
                    "Areas are shaded by places required: children living there without a suitable place in {}{}.",
                    years[0],
                    if threshold > 1.0 {
                        format!(", in bands (fewer than {threshold:.0} shown alike)")
                    } else {
                        String::new()
                    }
                )
            };
            Figure {
                id: "map".into(),
                title: format!("Places required and journeys to school, {}", years[0]),
                caption: format!(
                    "Each home locality's area is the part of the borough nearer its centre than any other's, within \
                     an outline drawn around the borough's localities and settings (not official boundaries). {shading} \
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
                svg: map::destinations(&outline, &m.outside, threshold, &years[0]),
            }
        }
    }
}

/// What the maps draw, from the first year's plan: home localities with their places
/// required (children without a suitable place), settings in and outside the borough with
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
        let mut required = vec![0.0; model.localities.len()];
        let mut needing = vec![0.0; model.localities.len()];
        for (r, d) in model.demand.iter().enumerate() {
            required[d.locality.0] += run.plan.unmet.get(r).copied().unwrap_or(0.0);
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
