//! Reports on commissioning options: each option set side by side, what each option is used
//! for, the break-even discount and acceptance of each framework and block price of each
//! contract, and, as fees rise, providers accept fewer or demand changes, what the signed
//! options cost held (with their empty places) and chosen afresh.

use std::fmt::Write as _;

use super::csv::{CsvTable, safe_cell};
use super::text::{children, grid};
use crate::model::{Model, PurchasingTerms};
use crate::planning::commissioning::{BreakEvens, Comparison, Evaluation, LeftOut, SensitivityCase, uses_label};

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

/// How close an option set's plan is to the least possible: "proven best", or "within £X
/// (Y%) of the best possible" where the best combination's search stopped at a gap, in the
/// words `schemes` uses for a portfolio ([`Evaluation::proof`]).
fn how_close(e: &Evaluation) -> String {
    e.proof().words()
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
pub fn text(model: &Model, c: &Comparison, b: &BreakEvens, sensitivity: &[SensitivityCase]) -> String {
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
    if c.evaluations.len() > 1 + c.options.len()
        && let Some(best) = c.evaluations.last()
    {
        let how = match best.best_possible {
            None => "proven best: no combination of the options costs less".to_string(),
            Some(bound) => format!(
                "{}: no combination costs less than {bound} (the search stopped at the share `--gap` asks or at its limit of relaxations)",
                how_close(best)
            ),
        };
        let _ = writeln!(out, "{}: {how}.", best.label);
        let _ = writeln!(out);
    }

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
            "Break-even discount: the discount off every member school's own fee at which a framework, with its fees and caps, first costs less than spot purchase alone; \
             break-even acceptance: the least share of children offered that its providers must accept (to within 1 point) for joining, on its own terms, to cost less than spot purchase alone:"
        );
        let rows: Vec<Vec<String>> = framework_rows(model, c, b).into_iter().map(|r| r[..5].to_vec()).collect();
        let _ = writeln!(
            out,
            "{}",
            grid(
                &["framework", "name", "break-even discount", "acceptance", "break-even acceptance"],
                &rows,
                &[false, false, true, true, true]
            )
        );
    }
    if !b.block_prices.is_empty() {
        let _ = writeln!(
            out,
            "Break-even block price: the price a year of one block at which buying the blocks costs the same as not buying them, \
             (spend and weights without them − with them free) ÷ blocks; the other options as the best combination takes them (or none, for a contract it does not buy):"
        );
        let rows: Vec<Vec<String>> = block_rows(model, b).into_iter().map(|r| r[..7].to_vec()).collect();
        let _ = writeln!(
            out,
            "{}",
            grid(
                &[
                    "contract",
                    "beside",
                    "blocks",
                    "spend and weights without",
                    "with the blocks free",
                    "break-even price a block",
                    "price a block"
                ],
                &rows,
                &[false, false, true, true, true, true, true]
            )
        );
    }

    if !sensitivity.is_empty() {
        let _ = writeln!(
            out,
            "Sensitivity: the options the best combination signed for, as given, held in each case (the children placed around them), \
             against spot purchase only; voids are block places paid for and left empty; re-chosen: every option open, chosen afresh; \
             cost of holding: held spend less re-chosen spend; how close: whether the re-chosen combination is proven best or how far from the best possible it may be (a cost of holding smaller than that is within the search's margin):"
        );
        let rows: Vec<Vec<String>> = sensitivity_rows(model, sensitivity);
        let _ = writeln!(
            out,
            "{}",
            grid(
                &[
                    "case",
                    "options held",
                    "spot: spend a year",
                    "held: spend a year",
                    "saving against spot",
                    "voids",
                    "£ paid for voids",
                    "re-chosen uses",
                    "re-chosen: spend a year",
                    "cost of holding",
                    "re-chosen: how close"
                ],
                &rows,
                &[false, false, true, true, true, true, true, false, true, true, false],
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
                uses_label(&model.purchasing, &c.held),
                c.spot.spend().to_string(),
                c.held.spend().to_string(),
                (c.spot.spend() - c.held.spend()).to_string(),
                children(c.held.unused_places()),
                c.held.void_cost().to_string(),
                uses_label(&model.purchasing, &c.best),
                c.best.spend().to_string(),
                c.cost_of_holding().to_string(),
                how_close(&c.best),
            ]
        })
        .collect()
}

/// Per framework: id, name, break-even discount, its own acceptance, break-even acceptance
/// (text), then the discount and acceptance as fractions (CSV).
fn framework_rows(model: &Model, c: &Comparison, b: &BreakEvens) -> Vec<Vec<String>> {
    let percent = |v: f64| format!("{}%", number(v * 100.0, 1));
    c.break_even
        .iter()
        .map(|(o, d)| {
            let option = &model.purchasing[*o];
            let a = b.acceptance.iter().find(|(q, _)| q == o).and_then(|(_, a)| *a);
            vec![
                option.id.clone(),
                option.name.clone(),
                d.map_or_else(|| "none up to 90%".into(), percent),
                percent(option.acceptance),
                if b.acceptance_left_out {
                    "left out".into()
                } else {
                    a.map_or_else(|| "none up to 100%".into(), percent)
                },
                d.map_or_else(String::new, |d| number(d, 4)),
                if b.acceptance_left_out { "left out".into() } else { a.map_or_else(String::new, |a| number(a, 4)) },
            ]
        })
        .collect()
}

/// Per contract: id, what the others are held at, blocks, spend and weights without, with
/// the blocks free, break-even price, own price (text, in £), then the same figures (CSV).
fn block_rows(model: &Model, b: &BreakEvens) -> Vec<Vec<String>> {
    b.block_prices
        .iter()
        .map(|p| {
            let beside = if p.in_best { "best combination" } else { "alone" };
            vec![
                model.purchasing[p.option].id.clone(),
                beside.to_string(),
                p.blocks.to_string(),
                p.without.to_string(),
                p.free.to_string(),
                p.break_even().to_string(),
                p.block_price.to_string(),
                model.purchasing[p.option].name.clone(),
                kind(model, p.option).to_string(),
                number(p.without.0, 0),
                number(p.free.0, 0),
                number(p.break_even().0, 0),
                number(p.block_price.0, 0),
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
pub fn csv_files(
    model: &Model,
    c: &Comparison,
    b: &BreakEvens,
    sensitivity: &[SensitivityCase],
) -> Vec<(&'static str, String)> {
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
                number(e.best_possible.unwrap_or_else(|| e.total()).0, 0),
                how_close(e),
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
    // One row an option: a framework's discount and acceptance, a contract's block price.
    let mut break_even: Vec<Vec<String>> = framework_rows(model, c, b)
        .into_iter()
        .zip(&c.break_even)
        .map(|(r, (o, _))| {
            let mut row =
                vec![safe_cell(&r[0]), safe_cell(&r[1]), kind(model, *o).to_string(), r[5].clone(), r[6].clone()];
            row.extend([number(model.purchasing[*o].acceptance, 4)]);
            row.extend(std::iter::repeat_n(String::new(), 6));
            row
        })
        .collect();
    for r in block_rows(model, b) {
        let mut row = vec![safe_cell(&r[0]), safe_cell(&r[7]), r[8].clone()];
        row.extend(std::iter::repeat_n(String::new(), 3));
        row.extend([r[1].clone(), r[2].clone(), r[9].clone(), r[10].clone(), r[11].clone(), r[12].clone()]);
        break_even.push(row);
    }
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
                safe_cell(&uses_label(&model.purchasing, &s.held)),
                number(s.held.total().0, 0),
                number(s.held.spend().0, 0),
                number((s.spot.spend() - s.held.spend()).0, 0),
                number(s.held.unused_places(), 2),
                number(s.held.void_cost().0, 0),
                number(s.cost_of_holding().0, 0),
                how_close(&s.best),
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
                    "best_possible",
                    "how_close",
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
        (
            "break_even.csv",
            csv(
                &[
                    "option",
                    "name",
                    "kind",
                    "break_even_discount",
                    "break_even_acceptance",
                    "acceptance",
                    "beside",
                    "blocks",
                    "without_blocks",
                    "with_blocks_free",
                    "break_even_block_price",
                    "block_price",
                ],
                break_even,
            ),
        ),
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
                    "held_uses",
                    "held_spend_and_weights",
                    "held_spend",
                    "held_saving_against_spot",
                    "voids",
                    "void_cost",
                    "cost_of_holding",
                    "best_how_close",
                ],
                sens,
            ),
        ),
    ]
}

/// The stages left out at this size, each with the reason and how to ask for it (empty
/// when none is).
#[must_use]
pub fn left_out_text(left_out: &[LeftOut]) -> String {
    let mut out = String::new();
    if !left_out.is_empty() {
        let _ = writeln!(out, "Left out at this size:");
        for l in left_out {
            let _ = writeln!(out, "  {}: {}.", l.stage, l.reason);
        }
    }
    out
}

/// `left_out.csv` (a stage a row: stage, reason), written only when a stage is left out.
#[must_use]
pub fn left_out_csv(left_out: &[LeftOut]) -> Vec<(&'static str, String)> {
    if left_out.is_empty() {
        return Vec::new();
    }
    let rows = left_out.iter().map(|l| vec![l.stage.clone(), l.reason.clone()]).collect();
    vec![("left_out.csv", csv(&["stage", "reason"], rows))]
}

pub mod transport;
pub mod years;

#[cfg(test)]
mod tests;
