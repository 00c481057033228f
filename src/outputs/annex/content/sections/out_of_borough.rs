//! The out-of-borough section: where children are placed outside the borough, why,
//! and what it costs.

use crate::model::SettingKind;
use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit};

use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, text};
use crate::outputs::annex::content::words::in_words;

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn out_of_borough_section(&mut self) {
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
}
