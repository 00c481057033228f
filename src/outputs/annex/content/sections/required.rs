//! The section on additional places required: children placed out of the borough
//! because every suitable local setting is full, and children with no place available.

use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit};

use crate::outputs::annex::content::builder::{Builder, Part};
use crate::outputs::annex::content::draft::{Cell, Draft, text};
use crate::outputs::annex::content::figures::Sketch;

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn required_section(&mut self) {
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
}
