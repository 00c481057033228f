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

mod builder;
mod draft;
mod figures;
mod grouping;
mod inputs;
mod map_data;
mod sections;
mod sufficiency;
mod tally;
mod words;

pub use inputs::{Band, CommissioningPart, Inputs, RiskPart, SchemesPart};
pub use sufficiency::places_required_by_locality;

use std::collections::BTreeMap;

use crate::model::SettingKind;
use crate::outputs::annex::disclosure::{CellId, Counts, Decided};
use crate::outputs::annex::{Annex, Disclosure, Item, Section, Table};

use builder::{Builder, Part};
use figures::draw;
use grouping::Grouping;
use map_data::MapCells;
use sufficiency::Sufficiency;
use tally::Tally;

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
        // Counted as built: five sections, the whole caseload's if any, schemes and commissioning if any, the method,
        // then the figures drawn (with the summary, the glossary and the statement).
        let told = crate::observe::counting(crate::observe::Loop::AnnexSection);
        let total = 7
            + usize::from(model.holds_every_plan())
            + usize::from(inputs.schemes.is_some())
            + usize::from(inputs.risk.is_some())
            + usize::from(inputs.commissioning.is_some());
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
        // The whole caseload, when the model holds every EHC plan.
        if b.every_plan_sections() > 0 {
            count(&mut done);
        }
        if let Some(part) = inputs.schemes {
            b.schemes_section(part);
            b.high_needs_section(part);
            count(&mut done);
        }
        if let Some(part) = inputs.risk {
            b.risk_section(part);
            count(&mut done);
        }
        if let Some(part) = inputs.commissioning {
            b.commissioning_section(part);
            count(&mut done);
        }
        // What the council will do: counted with the schemes' (it is their programme).
        b.plan_section();
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
        // The maps' counts join the pool: one decision covers every figure published.
        let map_cells = MapCells::register(inputs, &b.tallies[0], &mut b.counts, threshold);
        let decided = Decided::new(&b.counts, threshold);
        let withheld = decided.withheld();
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
        b.method_section(&disclosure);
        count(&mut done);
        let years = b.years_covered();
        let b_years = b.years();

        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        let mut sections = Vec::new();
        let mut sketches = Vec::new();
        for (s, (id, heading, parts)) in b.sections.into_iter().enumerate() {
            let mut items = Vec::new();
            for part in parts {
                match part {
                    Part::Paragraph(p) => items.push(Item::Paragraph(p)),
                    Part::Markdown(m) => items.push(Item::Markdown(m)),
                    Part::Table(d) => {
                        let t = d.resolve(&decided);
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
                Item::Figure(draw(sketch, &tables, inputs, &b.tallies, &b.grouping.needs, &map_cells, &decided));
        }
        count(&mut done);
        drop(told);
        // The council's own commentary (Markdown) at the start of its section; an
        // introduction first.
        for (id, text) in &model.annex.commentary {
            if id == "introduction" {
                let items = vec![Item::Markdown(text.clone())];
                sections.insert(0, Section { id: id.clone(), heading: "Introduction".into(), items });
            } else if let Some(section) = sections.iter_mut().find(|s| &s.id == id) {
                section.items.insert(0, Item::Markdown(text.clone()));
            }
        }
        // Findings first: the summary, then what the council will do, then the detail; the
        // glossary, the accessibility statement and the data files last.
        if let Some(at) = sections.iter().position(|s| s.id == "plan") {
            let mut plan = sections.remove(at);
            let words = sections::summary::plan_words(inputs, &tables, &b_years);
            plan.items.splice(0..0, words);
            sections.insert(0, plan);
        }
        sections.insert(0, sections::summary::summary(model, inputs, &tables, &b_years));
        sections.push(sections::glossary::glossary(model));
        sections.push(sections::accessibility::accessibility(model, &council));
        let files = sections::accessibility::data_files(&sections::accessibility::in_order(&sections, &tables));
        sections.push(files);
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

#[cfg(test)]
mod tests;
