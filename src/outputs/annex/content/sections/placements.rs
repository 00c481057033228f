//! The placements section: where children are placed, how far they travel, and what
//! places and transport cost.

use crate::model::SettingKind;
use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit};

use super::codes::with_need_codes;
use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, number, text};
use crate::outputs::annex::content::figures::Sketch;
use crate::outputs::annex::content::tally::{BANDS, band_name};

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn placements_section(&mut self) {
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
            with_need_codes(&mut t, 0);
            self.add(Part::Table(t));
        }

        // Journey times.
        let mut columns = vec![Column::new("Journey one way", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t =
            Draft::new("journey-times", format!("Children by journey time, {span}"), journey_note(self.model), columns);
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
}
/// The journey table's note: what it counts, and (where the model has residential places)
/// why some journeys are longer than the phase's limit.
pub(in crate::outputs::annex::content) fn journey_note(model: &crate::model::Model) -> String {
    let residential = if model.settings.iter().any(crate::model::Setting::beyond_journey_limits) {
        " Journeys longer than a phase's limit (method appendix) are to residential places, where the child boards \
         and travels at the start and end of a week or term, not each day: the limits are for daily journeys."
    } else {
        ""
    };
    format!("Journey time one way from home locality to setting, by the model's travel times.{residential}")
}
