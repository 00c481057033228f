//! Reports on commissioning options: each option set side by side, what each option is used
//! for, the break-even discount of each framework, and how the best choice changes as fees
//! rise or demand is higher.

use std::fmt::Write as _;

use super::csv::{CsvTable, safe_cell};
use super::text::{children, grid};
use crate::model::{Model, PurchasingTerms};
use crate::planning::commissioning::{Comparison, Evaluation, SensitivityCase, uses_label};

fn number(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() { s[1..].to_string() } else { s }
}

fn kind(model: &Model, o: usize) -> &'static str {
    match model.purchasing[o].terms {
        PurchasingTerms::Framework { .. } => "framework",
        PurchasingTerms::Block { above: None, .. } => "block",
        PurchasingTerms::Block { above: Some(_), .. } => "cost-and-volume",
    }
}

/// Children bought through any option.
fn through_options(e: &Evaluation) -> f64 {
    e.uses.iter().map(|u| u.children).sum()
}

/// The columns of the side-by-side table, one row an option set.
fn side_by_side_rows(model: &Model, c: &Comparison) -> Vec<Vec<String>> {
    let spot = &c.evaluations[0];
    c.evaluations
        .iter()
        .map(|e| {
            vec![
                e.label.clone(),
                uses_label(&model.purchasing, e),
                e.total().to_string(),
                e.spend().to_string(),
                e.independent_spend.to_string(),
                children(e.independent_children),
                children(through_options(e)),
                children(e.summary.placed_out_of_borough),
                number(e.summary.mean_journey_minutes, 1),
                children(e.summary.unmet),
                children(e.unused_places()),
                (spot.spend() - e.spend()).to_string(),
            ]
        })
        .collect()
}

const SIDE_HEADERS: [&str; 12] = [
    "option set",
    "options used",
    "spend and weights",
    "spend a year",
    "on independent places",
    "children at independent schools",
    "through options",
    "out of borough",
    "mean journey minutes",
    "unmet",
    "unused block places",
    "saving against spot",
];

/// The terminal report.
#[must_use]
pub fn text(model: &Model, c: &Comparison, sensitivity: &[SensitivityCase]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Commissioning options: {}, {}", model.name, c.year);
    let _ = writeln!(
        out,
        "Each option with spot purchase at each school's own fee still open; the best combination opens them all and the optimiser uses what costs least. \
         Spend and weights is the spend plus the policy weights, which are not money (what the choice minimises); spend is places (with option fees and block sums) and transport, a year."
    );
    let _ = writeln!(out);
    let numeric = [false, false, true, true, true, true, true, true, true, true, true, true];
    let _ = writeln!(out, "{}", grid(&SIDE_HEADERS, &side_by_side_rows(model, c), &numeric));

    let _ = writeln!(out, "What each option is used for (alone, and in the best combination):");
    let rows: Vec<Vec<String>> = use_rows(model, c).into_iter().map(|r| r[..9].to_vec()).collect();
    let _ = writeln!(
        out,
        "{}",
        grid(
            &[
                "option set",
                "option",
                "kind",
                "joined or blocks",
                "children",
                "block places paid",
                "unused",
                "fixed £ a year",
                "per-child £ a year"
            ],
            &rows,
            &[false, false, false, true, true, true, true, true, true],
        )
    );

    if !c.break_even.is_empty() {
        let _ = writeln!(
            out,
            "Break-even discount: the discount off every member school's own fee at which a framework, with its fees and caps, first costs less than spot purchase alone:"
        );
        let rows: Vec<Vec<String>> = c
            .break_even
            .iter()
            .map(|(o, d)| {
                vec![
                    model.purchasing[*o].id.clone(),
                    model.purchasing[*o].name.clone(),
                    d.map_or_else(|| "none up to 90%".into(), |d| format!("{}%", number(d * 100.0, 1))),
                ]
            })
            .collect();
        let _ = writeln!(out, "{}", grid(&["framework", "name", "break-even discount"], &rows, &[false, false, true]));
    }

    if !sensitivity.is_empty() {
        let _ = writeln!(out, "Sensitivity (best combination against spot purchase only):");
        let rows: Vec<Vec<String>> = sensitivity_rows(model, sensitivity);
        let _ = writeln!(
            out,
            "{}",
            grid(
                &[
                    "case",
                    "best combination uses",
                    "spot: spend and weights",
                    "best: spend and weights",
                    "saving a year",
                    "unused block places"
                ],
                &rows,
                &[false, false, true, true, true, true],
            )
        );
    }
    out
}

fn use_rows(model: &Model, c: &Comparison) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for e in &c.evaluations {
        for u in &e.uses {
            let o = &model.purchasing[u.option];
            rows.push(vec![
                e.label.clone(),
                o.id.clone(),
                kind(model, u.option).to_string(),
                u.taken.to_string(),
                children(u.children),
                children(u.block_places),
                children(u.unused_places),
                u.fixed_cost.to_string(),
                u.placement_cost.to_string(),
            ]);
        }
    }
    rows
}

fn sensitivity_rows(model: &Model, s: &[SensitivityCase]) -> Vec<Vec<String>> {
    s.iter()
        .map(|c| {
            vec![
                c.case.clone(),
                uses_label(&model.purchasing, &c.best),
                c.spot.total().to_string(),
                c.best.total().to_string(),
                (c.spot.spend() - c.best.spend()).to_string(),
                children(c.best.unused_places()),
            ]
        })
        .collect()
}

fn csv(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    CsvTable { headers: headers.iter().map(|h| (*h).to_string()).collect(), rows }.text()
}

/// The CSV files `--out` writes: `commissioning.csv` (an option set a row),
/// `option_use.csv`, `break_even.csv`, `sensitivity.csv`. Text from input files is neutralised.
#[must_use]
pub fn csv_files(model: &Model, c: &Comparison, sensitivity: &[SensitivityCase]) -> Vec<(&'static str, String)> {
    let spot = &c.evaluations[0];
    let sets: Vec<Vec<String>> = c
        .evaluations
        .iter()
        .map(|e| {
            vec![
                c.year.clone(),
                safe_cell(&e.label),
                safe_cell(&uses_label(&model.purchasing, e)),
                number(e.total().0, 0),
                number(e.spend().0, 0),
                number(e.summary.placement_cost.0, 0),
                number(e.summary.transport_cost.0, 0),
                number(e.independent_spend.0, 0),
                number(e.independent_children, 2),
                number(through_options(e), 2),
                number(e.summary.placed_in_borough, 2),
                number(e.summary.placed_out_of_borough, 2),
                number(e.summary.mean_journey_minutes, 1),
                number(e.summary.unmet, 2),
                number(e.unused_places(), 2),
                number((spot.spend() - e.spend()).0, 0),
            ]
        })
        .collect();
    let uses: Vec<Vec<String>> = c
        .evaluations
        .iter()
        .flat_map(|e| {
            e.uses.iter().map(move |u| {
                vec![
                    c.year.clone(),
                    safe_cell(&e.label),
                    safe_cell(&model.purchasing[u.option].id),
                    kind(model, u.option).to_string(),
                    u.taken.to_string(),
                    number(u.children, 2),
                    number(u.block_places, 2),
                    number(u.unused_places, 2),
                    number(u.fixed_cost.0, 0),
                    number(u.placement_cost.0, 0),
                ]
            })
        })
        .collect();
    let break_even: Vec<Vec<String>> = c
        .break_even
        .iter()
        .map(|(o, d)| {
            vec![
                safe_cell(&model.purchasing[*o].id),
                safe_cell(&model.purchasing[*o].name),
                d.map_or_else(String::new, |d| number(d, 4)),
            ]
        })
        .collect();
    let sens: Vec<Vec<String>> = sensitivity
        .iter()
        .map(|s| {
            vec![
                safe_cell(&s.case),
                safe_cell(&uses_label(&model.purchasing, &s.best)),
                number(s.spot.total().0, 0),
                number(s.best.total().0, 0),
                number(s.spot.spend().0, 0),
                number(s.best.spend().0, 0),
                number(s.best.unused_places(), 2),
            ]
        })
        .collect();
    vec![
        (
            "commissioning.csv",
            csv(
                &[
                    "year",
                    "option_set",
                    "options_used",
                    "spend_and_weights",
                    "spend",
                    "places_cost",
                    "transport_cost",
                    "independent_spend",
                    "independent_children",
                    "children_through_options",
                    "placed_in_borough",
                    "placed_out_of_borough",
                    "mean_journey_minutes",
                    "unmet",
                    "unused_block_places",
                    "saving_against_spot",
                ],
                sets,
            ),
        ),
        (
            "option_use.csv",
            csv(
                &[
                    "year",
                    "option_set",
                    "option",
                    "kind",
                    "joined_or_blocks",
                    "children",
                    "block_places",
                    "unused_block_places",
                    "fixed_cost",
                    "per_child_cost",
                ],
                uses,
            ),
        ),
        ("break_even.csv", csv(&["framework", "name", "break_even_discount"], break_even)),
        (
            "sensitivity.csv",
            csv(
                &[
                    "case",
                    "best_uses",
                    "spot_spend_and_weights",
                    "best_spend_and_weights",
                    "spot_spend",
                    "best_spend",
                    "unused_block_places",
                ],
                sens,
            ),
        ),
    ]
}

pub mod years;
