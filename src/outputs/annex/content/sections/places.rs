//! The places section: specialist places by kind of setting, need and phase, and the
//! settings with places.

use std::collections::BTreeMap;

use crate::model::SettingKind;
use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit};

use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, number, text};
use crate::outputs::annex::content::grouping::phase_name;
use crate::outputs::annex::content::tally::kind_index;

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn places_section(&mut self) {
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
            "Each setting with places the plan can use, in the borough first: where it is (the model gives no town, \
             so the name of the home area nearest it), the needs and phases it takes, its places, the children the \
             plan places there and its occupancy. Places bought from the independent market are not settings and \
             are not listed.",
            vec![
                Column::new("Setting", Unit::Text),
                Column::new("Nearest area", Unit::Text),
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
            // A setting that opens later is said to (not left as a setting of 0 places).
            if let Some(o) = super::plan::opening(self.inputs, i) {
                t.note.push_str(&format!(" {} {o} (see \"What the council will do\").", s.name));
            }
            t.rows.push(vec![
                text(s.name.clone()),
                text(nearest_area(model, s.position)),
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
}

/// The name of the home area (locality) nearest a point: where a setting is, for a reader
/// who knows the borough's towns (the model holds no town for a setting).
fn nearest_area(model: &crate::model::Model, at: geo::Point<f64>) -> String {
    use crate::model::input::reach::straight_line_km;
    model
        .localities
        .iter()
        .map(|l| (straight_line_km(l.position, at), &l.name))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, name)| name.clone())
}
