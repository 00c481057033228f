//! "What the council will do": the programme (the capital schemes chosen and the changes to
//! settings' places the council has agreed, each with the year it opens and its places) and
//! the children still expected to be placed outside the borough after it, by home area and
//! year. Its words are written once disclosure control has decided what is published
//! ([`super::summary::plan_words`]).

use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit};
use crate::planning::schemes::Outcome;

use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, text};
use crate::outputs::annex::content::words::plain;

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn plan_section(&mut self) {
        self.section("plan", "What the council will do");
        let model = self.model;
        let inputs = self.inputs;
        let mut t = Draft::new(
            "programme",
            "The programme: new places and changes to places, with the year each opens",
            "Places are for the whole scheme as chosen: a scheme that can be built in units (a resource base of 8 \
             places, say) gives the number of units and the places of each, and its places in all. A setting's \
             places are as the council has agreed them year by year; a fall is a reduction the council has agreed.",
            vec![
                Column::new("Scheme or setting", Unit::Text),
                Column::new("Kind", Unit::Text),
                Column::new("Opens or changes", Unit::Text),
                Column::new("Places", Unit::Text),
            ],
        );
        if let Some(part) = inputs.schemes {
            for (s, &m) in model.schemes.iter().zip(&part.appraised.chosen.portfolio.0) {
                if m == 0 {
                    continue;
                }
                let each = s.places_per_module();
                let places = if s.max_modules > 1 {
                    format!(
                        "{} in all ({m} {} of {} places)",
                        plain(each * f64::from(m)),
                        if m == 1 { "unit" } else { "units" },
                        plain(each)
                    )
                } else {
                    plain(each)
                };
                t.rows.push(vec![
                    text(s.name.clone()),
                    text(s.setting.kind.name()),
                    text(crate::outputs::report::schemes::opens_text(s)),
                    text(places),
                ]);
            }
        }
        for row in setting_changes(inputs) {
            t.rows.push(row.into_iter().map(text).collect());
        }
        if !t.rows.is_empty() {
            self.add(Part::Table(t));
        }
        if let Some(part) = inputs.schemes
            && part.appraised.chosen.portfolio.0.iter().any(|&m| m > 0)
        {
            self.after_programme_by_area(&part.appraised.chosen);
        }
    }

    /// Children expected to be placed outside the borough with the chosen schemes, by home
    /// area and year (from the appraisal, as the schemes section's table by need), tied to
    /// that table's totals.
    fn after_programme_by_area(&mut self, chosen: &Outcome) {
        let model = self.model;
        let localities = model.localities.len();
        let by_area = super::schemes::outside_by(model, chosen, localities, |d| d.locality.0);
        let mut columns = vec![Column::new("Home area", Unit::Text)];
        columns.extend(by_area.iter().map(|(y, _)| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            "after-programme-by-area",
            "Children expected to be placed outside the borough after the programme, by home area",
            "From the schemes appraisal with the chosen schemes: the same children as the row \"All needs, with \
             schemes\" of the table of children placed out of the borough without and with the schemes.",
            columns,
        );
        for (year, out) in &by_area {
            let parts: Vec<CellId> = model
                .localities
                .iter()
                .zip(out)
                .map(|(loc, &v)| self.counts.cell(key("after-area", year, &[&loc.id]), v))
                .collect();
            let total = self.id("after", year, &["*"]);
            self.counts.tie(&parts, total);
        }
        for loc in model.localities.clone() {
            let ids: Vec<CellId> = by_area.iter().map(|(y, _)| self.id("after-area", y, &[&loc.id])).collect();
            if ids.iter().all(|&c| self.value(c) < 0.5) {
                continue;
            }
            let mut row = vec![text(loc.name.clone())];
            for id in ids {
                self.counts.published[id] = true;
                row.push(Cell::Count(id));
            }
            t.rows.push(row);
        }
        let mut row = vec![text("All areas")];
        for (y, _) in &by_area {
            let id = self.id("after", y, &["*"]);
            self.counts.published[id] = true;
            row.push(Cell::Count(id));
        }
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));
    }
}

/// When a setting with no places in the first year opens, in words ("opens 2026/27 with 70
/// places"), for the settings table; `None` for a setting open from the first year or never.
pub(super) fn opening(inputs: &crate::outputs::annex::content::inputs::Inputs<'_>, s: usize) -> Option<String> {
    let first = inputs.years.first()?.run.model.settings.get(s)?.places;
    if first > 0.0 {
        return None;
    }
    inputs.years.iter().find_map(|y| {
        let places = y.run.model.settings.get(s)?.places;
        (places > 0.0).then(|| format!("opens {} with {} places", y.year, plain(places)))
    })
}

/// Settings whose places change over the years planned, as the council has agreed them:
/// (name, kind, when, places by year in words). A setting with no places in the first
/// year opens; one whose places fall is reduced.
fn setting_changes(inputs: &crate::outputs::annex::content::inputs::Inputs<'_>) -> Vec<[String; 4]> {
    let model = inputs.model;
    let mut rows = Vec::new();
    for (s, setting) in model.settings.iter().enumerate() {
        // Places bought by need from the market are not the council's to open or close.
        if setting.market.is_some() {
            continue;
        }
        let series: Vec<(String, f64)> = inputs
            .years
            .iter()
            .filter_map(|y| y.run.model.settings.get(s).map(|x| (y.year.to_string(), x.places)))
            .collect();
        let Some((first_year, first)) = series.first().cloned() else { continue };
        if series.iter().all(|(_, p)| (p - first).abs() < 1e-9) {
            continue;
        }
        let mut steps = vec![format!("{} in {first_year}", plain(first))];
        let mut when = String::new();
        for pair in series.windows(2) {
            if (pair[1].1 - pair[0].1).abs() >= 1e-9 {
                if when.is_empty() {
                    let verb = if first <= 0.0 {
                        "opens"
                    } else if pair[1].1 < pair[0].1 {
                        "reduced"
                    } else {
                        "expands"
                    };
                    when = format!("{verb} {}", pair[1].0);
                }
                steps.push(format!("{} from {}", plain(pair[1].1), pair[1].0));
            }
        }
        rows.push([setting.name.clone(), setting.kind.name().to_string(), when, steps.join("; ")]);
    }
    rows
}
