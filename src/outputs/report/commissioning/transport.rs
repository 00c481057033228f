//! Reports on transport commissioning options: each option appraised on its own against the
//! plan of the year compared (the best combination's), and over the years against each year's
//! plan with every purchasing option open; children eligible, taking it, their transport a
//! year before and after, and the saving.

use std::fmt::Write as _;

use super::super::csv::{CsvTable, safe_cell};
use super::super::text::{children, grid};
use super::number;
use crate::model::Model;
use crate::planning::commissioning::years::{OverTheYears, SetOverYears};
use crate::planning::transport_options::TransportAppraisal;

/// The plan the transport options are appraised against in one year: its option set's label,
/// the year, and the appraisals.
pub struct AppraisedYear<'a> {
    /// The option set whose plan it is.
    pub set: &'a str,
    /// The year.
    pub year: String,
    /// Each transport option appraised.
    pub appraisals: &'a [TransportAppraisal],
}

/// The set over the years whose plans the transport options are appraised against: the one
/// with every purchasing option open (the last).
#[must_use]
pub fn every_option_open(over: &OverTheYears) -> Option<&SetOverYears> {
    over.sets.last()
}

/// The years of `set` as appraised years.
#[must_use]
pub fn years_of(set: &SetOverYears) -> Vec<AppraisedYear<'_>> {
    set.years
        .iter()
        .map(|y| AppraisedYear { set: &set.label, year: y.year.to_string(), appraisals: &y.transport })
        .collect()
}

const NOTE: &str = "Each option is appraised on its own against the plan, with the children placed as planned \
    (an option changes how a child travels, not where): children eligible are the transported children of its needs and phases at day placements \
    (not residential), those taking it are eligible × take-up. Two options offered to the same children are alternatives for them: their savings are not added.";

fn text_row(model: &Model, a: &TransportAppraisal, year: Option<&str>) -> Vec<String> {
    let option = &model.transport_options[a.option];
    let mut row = vec![option.id.clone()];
    match year {
        Some(y) => row.push(y.to_string()),
        None => {
            row.push(option.name.clone());
            row.push(option.kind.code().to_string());
        }
    }
    row.extend([
        children(a.eligible),
        children(a.taking),
        a.before_each().to_string(),
        a.after_each().to_string(),
        a.before.to_string(),
        a.after.to_string(),
        a.saving().to_string(),
    ]);
    row
}

const FIGURES: [&str; 7] =
    ["children eligible", "taking it", "£ a child before", "£ a child after", "before", "after", "saving a year"];

/// The terminal tables: the year compared, then (over the years) each year.
#[must_use]
pub fn text(model: &Model, compared: &AppraisedYear<'_>, years: &[AppraisedYear<'_>]) -> String {
    let mut out = String::new();
    if model.transport_options.is_empty() {
        return out;
    }
    let _ = writeln!(out, "Transport commissioning options, {} (plan: {}). {NOTE}", compared.year, compared.set);
    let rows: Vec<Vec<String>> = compared.appraisals.iter().map(|a| text_row(model, a, None)).collect();
    let headers: Vec<&str> = ["option", "name", "kind"].into_iter().chain(FIGURES).collect();
    let numeric: Vec<bool> = (0..headers.len()).map(|i| i >= 3).collect();
    let _ = writeln!(out, "{}", grid(&headers, &rows, &numeric));
    if let Some(first) = years.first() {
        let _ = writeln!(
            out,
            "Transport commissioning options by year (plan: {}, each year with children staying put):",
            first.set
        );
        let mut rows = Vec::new();
        for option in 0..model.transport_options.len() {
            for y in years {
                rows.extend(
                    y.appraisals.iter().filter(|a| a.option == option).map(|a| text_row(model, a, Some(&y.year))),
                );
            }
        }
        let headers: Vec<&str> = ["option", "year"].into_iter().chain(FIGURES).collect();
        let numeric: Vec<bool> = (0..headers.len()).map(|i| i >= 2).collect();
        let _ = writeln!(out, "{}", grid(&headers, &rows, &numeric));
    }
    out
}

/// `transport_options.csv`: one row an option and plan (`plan`: `one year`, the year
/// compared, or `over the years`), none without transport options.
#[must_use]
pub fn csv_files(
    model: &Model,
    compared: &AppraisedYear<'_>,
    years: &[AppraisedYear<'_>],
) -> Vec<(&'static str, String)> {
    if model.transport_options.is_empty() {
        return Vec::new();
    }
    let views = std::iter::once(("one year", compared)).chain(years.iter().map(|y| ("over the years", y)));
    let rows: Vec<Vec<String>> = views
        .flat_map(|(plan, y)| {
            y.appraisals.iter().map(move |a| {
                let option = &model.transport_options[a.option];
                vec![
                    plan.to_string(),
                    safe_cell(y.set),
                    y.year.clone(),
                    safe_cell(&option.id),
                    safe_cell(&option.name),
                    option.kind.code().to_string(),
                    number(option.take_up, 4),
                    number(a.eligible, 4),
                    number(a.taking, 4),
                    number(a.before_each().0, 2),
                    number(a.after_each().0, 2),
                    number(a.before.0, 2),
                    number(a.after.0, 2),
                    number(a.saving().0, 2),
                ]
            })
        })
        .collect();
    let headers = [
        "plan",
        "option_set",
        "year",
        "option",
        "name",
        "kind",
        "take_up",
        "eligible_children",
        "children_taking",
        "before_per_child",
        "after_per_child",
        "cost_before",
        "cost_after",
        "saving",
    ];
    let table = CsvTable { headers: headers.iter().map(|h| (*h).to_string()).collect(), rows };
    vec![("transport_options.csv", table.text())]
}
