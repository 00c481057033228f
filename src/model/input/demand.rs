//! The demand table: children needing a specialist place by home locality, need, phase and
//! the least provision that meets it (by year, in a multi-year model).

use std::collections::HashMap;
use std::path::Path;

use super::ids::first_line;
use super::{Problems, Tables, quoted, table, text};
use crate::model::{DemandRow, LocalityIx, Need, Phase, Provision, SchoolYear};

/// A provision cell: blank (or `any`) means any specialist place; otherwise a tier's code.
pub(super) fn provision_at(row: &table::Row<'_>, problems: &mut Problems) -> Option<Provision> {
    let text = row.text("provision").to_ascii_lowercase();
    let tier = match text.as_str() {
        "" | "any" => Some(Provision::ResourcedProvision),
        code => Provision::from_code(code),
    };
    if tier.is_none() {
        let codes: Vec<&str> = Provision::ALL.iter().map(|p| p.code()).collect();
        problems.push(row.problem(
            "provision",
            format!("{} is not a kind of provision: expected blank or one of {}", quoted(&text), codes.join(", ")),
        ));
    }
    tier
}

impl Tables<'_> {
    /// The demand table. With `years` (first year, count) its rows need a `year` column
    /// within the horizon; returned with the year's offset.
    pub(super) fn demand(
        &self,
        path: Option<&Path>,
        years: Option<(SchoolYear, usize)>,
        problems: &mut Problems,
    ) -> Vec<(usize, DemandRow)> {
        let mut out = Vec::new();
        let Some(table) = self.src.open_for("demand", path, years.is_some(), problems) else {
            return out;
        };
        if years.is_none() && table.has_column("year") {
            problems.push(table.source.at(1, "has a year column, which needs a [horizon] section in the model file"));
        }
        let mut seen: HashMap<(usize, usize, Need, Phase, Provision), usize> = HashMap::new();
        // Each year's children so far, refused past [`table::MOST_CHILDREN`] at the row that
        // passes it.
        let mut totals: HashMap<usize, f64> = HashMap::new();
        for row in table.rows() {
            let year = match years {
                None => Some(0),
                Some((first, count)) => {
                    let text = row.text("year");
                    match SchoolYear::parse(text) {
                        Some(y) if y >= first && usize::from(y.0 - first.0) < count => Some(usize::from(y.0 - first.0)),
                        _ => {
                            let last = first.plus(count - 1);
                            problems.push(row.problem(
                                "year",
                                format!("{} is not a year of the horizon: expected {first} to {last}", quoted(text)),
                            ));
                            None
                        }
                    }
                }
            };
            let loc_text = row.text("locality");
            let locality = self.locality_at(&row, problems);
            let need = self.codes.need_at(&row, "need", problems);
            let phase = self.codes.phase_at(&row, "phase", problems);
            let provision = provision_at(&row, problems);
            let children = row.count("children", problems);
            let (Some(k), Some(l), Some(need), Some(phase), Some(provision), Some(children)) =
                (year, locality, need, phase, provision, children)
            else {
                continue;
            };
            if let Some(first) = first_line(&mut seen, (k, l, need, phase, provision), row.line) {
                problems.push(row.row_problem(format!(
                    "duplicate demand for {loc_text}, {}, {}, {}: first at line {first}",
                    self.codes.needs[need.0],
                    self.codes.phases[phase.0],
                    provision.code()
                )));
                continue;
            }
            let total = totals.entry(k).or_insert(0.0);
            *total += children;
            if *total > table::MOST_CHILDREN {
                problems.push(row.problem(
                    "children",
                    format!(
                        "takes the year's demand to {} children: expected at most {} in all",
                        text::grouped(total.ceil() as usize),
                        text::grouped(table::MOST_CHILDREN as usize)
                    ),
                ));
                // Reported once, at the row that passes the bound.
                *total = f64::NEG_INFINITY;
            }
            out.push((k, DemandRow { locality: LocalityIx(l), need, phase, provision, children }));
        }
        out
    }
}
