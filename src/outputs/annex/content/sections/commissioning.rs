//! The commissioning section: ways of buying independent places compared.

use crate::outputs::annex::{Column, Unit};
use crate::planning::commissioning::Comparison;

use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, number, text};
use crate::outputs::annex::content::words::{option_name, options_used};

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn commissioning_section(&mut self, c: &Comparison) {
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
            format!(
                "Spend is a year's cost of places (with option fees) and transport; saving is against spot purchase \
                 only. Each way of buying is compared with every child placed afresh at least cost, so that all are \
                 compared on the same footing; the year-by-year plan (the table of placements by year) keeps children \
                 where they are placed until they change phase, so its total spend for {} differs from the spend \
                 here.{}",
                c.year,
                if self.model.annex.name_providers {
                    ""
                } else {
                    " Block contracts are numbered, not named: their providers and terms are commercially sensitive."
                }
            ),
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
        let names = self.model.annex.name_providers;
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
                text(
                    c.options
                        .iter()
                        .find(|o| o.name == e.label)
                        .map_or_else(|| e.label.clone(), |o| option_name(&c.options, o, names)),
                ),
                text(options_used(&c.options, e, names)),
                number(e.spend().0),
                number(e.independent_spend.0),
                children,
                number(spot - e.spend().0),
            ]);
        }
        self.add(Part::Table(t));
    }
}
