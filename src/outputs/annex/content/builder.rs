//! The annex as it is built: the sections in progress, the pool of counts every table
//! draws from, and the helpers each section uses.

use crate::model::Model;
use crate::outputs::annex::disclosure::{CellId, Counts};
use crate::outputs::annex::{Column, Unit};

use super::draft::{Cell, Draft, text};
use super::figures::Sketch;
use super::grouping::Grouping;
use super::inputs::Inputs;
use super::sufficiency::{Reason, Sufficiency};
use super::tally::Tally;

pub(super) enum Part {
    Paragraph(String),
    Markdown(String),
    Table(Draft),
    Figure(Sketch),
}

pub(super) struct Builder<'a> {
    pub(super) inputs: &'a Inputs<'a>,
    pub(super) model: &'a Model,
    pub(super) council: String,
    pub(super) tallies: Vec<Tally>,
    pub(super) sufficiency: Vec<Sufficiency>,
    pub(super) grouping: Grouping,
    pub(super) counts: Counts,
    pub(super) sections: Vec<(String, String, Vec<Part>)>,
}

/// Pool keys: measure, year, need group, phase group, locality or kind ("*" for all).
pub(super) fn key(measure: &str, year: &str, parts: &[&str]) -> String {
    format!("{measure}|{year}|{}", parts.join("|"))
}

/// The counts of each need group and phase group: placed in the borough, with no place
/// available, and out of the borough by reason (local places full, no suitable setting in the
/// borough, a suitable place free).
const BASE_MEASURES: [&str; 5] = ["in", "unmet", "full", "none", "free"];

/// Every measure kept by need group and phase group, with its sums over each.
const MEASURES: [&str; 9] = ["in", "unmet", "full", "none", "free", "out", "needing", "required", "placed"];

impl Builder<'_> {
    pub(super) fn years(&self) -> Vec<String> {
        self.tallies.iter().map(|t| t.year.clone()).collect()
    }

    pub(super) fn first(&self) -> String {
        self.tallies[0].year.clone()
    }

    pub(super) fn last(&self) -> String {
        self.tallies[self.tallies.len() - 1].year.clone()
    }

    /// The years covered: "2025/26 to 2029/30", or the one year.
    pub(super) fn years_covered(&self) -> String {
        let (first, last) = (self.first(), self.last());
        if first == last { first } else { format!("{first} to {last}") }
    }

    pub(super) fn section(&mut self, id: &str, heading: &str) {
        self.sections.push((id.into(), heading.into(), Vec::new()));
    }

    pub(super) fn add(&mut self, part: Part) {
        if let Some(s) = self.sections.last_mut() {
            s.2.push(part);
        }
    }

    pub(super) fn need_labels(&self) -> Vec<String> {
        self.grouping.needs.iter().map(|g| g.label.clone()).collect()
    }

    pub(super) fn phase_labels(&self) -> Vec<String> {
        self.grouping.phases.iter().map(|g| g.label.clone()).collect()
    }

    /// (need group, phase group) labels, in order.
    pub(super) fn need_phase_pairs(&self) -> Vec<(String, String)> {
        let phases = self.phase_labels();
        self.need_labels().into_iter().flat_map(|n| phases.iter().map(move |p| (n.clone(), p.clone()))).collect()
    }

    /// The counts of a year, by need group and phase group and by home locality: the base
    /// counts every other count adds up from, with the sums that tie them.
    pub(super) fn year_cells(&mut self, y: usize) {
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
    pub(super) fn count(&mut self, measure: &str, year: &str, parts: &[&str]) -> Cell {
        let id = self.counts.cell(key(measure, year, parts), 0.0);
        self.counts.published[id] = true;
        Cell::Count(id)
    }

    pub(super) fn id(&mut self, measure: &str, year: &str, parts: &[&str]) -> CellId {
        self.counts.cell(key(measure, year, parts), 0.0)
    }

    pub(super) fn value(&self, id: CellId) -> f64 {
        self.counts.values[id]
    }

    /// Growth from count `a` to count `b`, %, withheld with either.
    pub(super) fn growth(&self, a: CellId, b: CellId) -> Cell {
        let growth = if self.value(a) > 0.0 { 100.0 * (self.value(b) / self.value(a) - 1.0) } else { f64::NAN };
        Cell::Derived(growth, vec![a, b])
    }

    /// A row: its labels, then a published count of `measure` for each year.
    pub(super) fn row_by_year(
        &mut self,
        labels: &[&str],
        measure: &str,
        years: &[String],
        parts: &[&str],
    ) -> Vec<Cell> {
        let mut row: Vec<Cell> = labels.iter().map(|l| text(*l)).collect();
        for year in years {
            row.push(self.count(measure, year, parts));
        }
        row
    }

    /// "{first} counts children with plans now; later years are forecast."
    pub(super) fn base_and_forecast(&self) -> String {
        let first = self.first();
        if self.tallies.len() > 1 {
            format!("{first} counts children with plans now (the base year); later years are forecast.")
        } else {
            format!("{first} counts children with plans now.")
        }
    }

    /// A table of `measure` by need group and phase group (rows where it is not nil in some
    /// year), a column a year.
    pub(super) fn by_need_phase_and_year(&mut self, measure: &str, id: &str, title: String, note: String) -> Draft {
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
}
