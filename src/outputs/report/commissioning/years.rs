//! Reports on commissioning over the years: each option set year by year (spend, children
//! through options kept and new, block places paid for and empty), the present value of
//! each, and each option's whole-term value, block break-even price and break points.

use std::fmt::Write as _;

use super::super::csv::{CsvTable, safe_cell};
use super::super::text::{children, grid};
use super::{kind, number};
use crate::model::{Model, Money, PurchasingTerms};
use crate::planning::commissioning::uses_label;
use crate::planning::commissioning::years::{ContractValue, OverTheYears, SetOverYears};

/// The years an option runs that are planned, as "2026/27 to 2029/30".
fn span(over: &OverTheYears, c: &ContractValue) -> String {
    let year = |k: usize| over.sets[0].years[k].year.to_string();
    match (c.years.first(), c.years.last()) {
        (Some(&a), Some(&b)) if a == b => year(a),
        (Some(&a), Some(&b)) => format!("{} to {}", year(a), year(b)),
        _ => "not in the years planned".into(),
    }
}

fn year_rows(over: &OverTheYears, set: &SetOverYears) -> Vec<Vec<String>> {
    let spot = &over.sets[0];
    set.years
        .iter()
        .zip(&spot.years)
        .map(|(y, s)| {
            vec![
                set.label.clone(),
                y.year.to_string(),
                uses_label(&y.options, &y.evaluation),
                y.evaluation.spend().to_string(),
                y.evaluation.independent_spend.to_string(),
                children(y.kept_through_options),
                children(y.new_through_options()),
                children(y.block_places()),
                children(y.voids()),
                (s.evaluation.spend() - y.evaluation.spend()).to_string(),
            ]
        })
        .collect()
}

/// The terminal tables, after the one-year comparison.
#[must_use]
pub fn text(model: &Model, over: &OverTheYears) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Options over the years: each option set planned over every year with children staying put. Children who stay keep the terms they were bought on (spot if placed before an option started, or after it ends); new children take the option's terms; a block's blocks are chosen in its first year and held for its term, used or not (voids: block places paid for and empty)."
    );
    let mut rows = Vec::new();
    for set in &over.sets {
        rows.extend(year_rows(over, set));
    }
    let headers = [
        "option set",
        "year",
        "options used",
        "spend a year",
        "on independent places",
        "through options: kept",
        "new",
        "block places paid",
        "voids",
        "saving against spot",
    ];
    let numeric = [false, false, false, true, true, true, true, true, true, true];
    let _ = writeln!(out, "{}", grid(&headers, &rows, &numeric));

    let spot_pv = over.sets[0].present_value(model);
    let rows: Vec<Vec<String>> = over
        .sets
        .iter()
        .map(|s| {
            let pv = s.present_value(model);
            vec![s.label.clone(), pv.to_string(), (spot_pv - pv).to_string()]
        })
        .collect();
    let _ = writeln!(
        out,
        "Present value of the spend over the years (each year's spend × 1 ÷ ((1 + {}) × (1 + {}))^k, k years after the first, as the business case discounts):",
        model.appraisal.discount_rate, model.appraisal.inflation
    );
    let _ = writeln!(
        out,
        "{}",
        grid(&["option set", "present value of spend", "saving against spot"], &rows, &[false, true, true])
    );

    let _ = writeln!(
        out,
        "Whole-term value: each option alone against spot purchase only, over the years it runs that are planned; a block's break-even price is the block price (at its start) at which the present value of its spend equals spot purchase's, children placed as they are:"
    );
    let rows: Vec<Vec<String>> = over
        .contracts
        .iter()
        .map(|c| {
            let o = &model.purchasing[c.option];
            let price = match o.terms {
                PurchasingTerms::Block { block_price, .. } => block_price.to_string(),
                PurchasingTerms::Framework { .. } => String::new(),
            };
            vec![
                o.id.clone(),
                kind(model, c.option).to_string(),
                span(over, c),
                c.blocks.map_or_else(String::new, |b| b.to_string()),
                c.saving.to_string(),
                price,
                c.break_even_price.map_or_else(String::new, |p| p.to_string()),
            ]
        })
        .collect();
    let _ = writeln!(
        out,
        "{}",
        grid(
            &[
                "option",
                "kind",
                "runs",
                "blocks held",
                "present value of saving",
                "block price",
                "break-even block price"
            ],
            &rows,
            &[false, false, false, true, true, true, true],
        )
    );
    let rows = held_rows(model, over);
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "Block contracts held from their start: each number of blocks signed for the term, used or not (voids by year from the first year planned, - where it does not run), against spot purchase only:"
        );
        let _ = writeln!(
            out,
            "{}",
            grid(
                &["option", "blocks held", "voids by year", "present value of saving", "break-even block price"],
                &rows,
                &[false, true, false, true, true],
            )
        );
    }
    let breaks = break_rows(model, over);
    if !breaks.is_empty() {
        let _ = writeln!(
            out,
            "Break points: each contract ended at a break point against kept to its term (present value of the saving against spot over the term's years planned):"
        );
        let _ = writeln!(
            out,
            "{}",
            grid(
                &[
                    "option",
                    "blocks held",
                    "ended after (years)",
                    "notice by",
                    "ended: saving",
                    "kept to term: saving",
                    "costs less"
                ],
                &breaks,
                &[false, true, true, false, true, true, false],
            )
        );
    }
    out
}

fn held_rows(model: &Model, over: &OverTheYears) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for c in &over.contracts {
        for h in &c.held_from_start {
            let voids: Vec<String> = h
                .voids
                .iter()
                .enumerate()
                .map(|(k, &v)| if c.years.contains(&k) { children(v) } else { "-".into() })
                .collect();
            rows.push(vec![
                model.purchasing[c.option].id.clone(),
                h.blocks.to_string(),
                voids.join(" / "),
                h.saving.to_string(),
                h.break_even_price.map_or_else(String::new, |p| p.to_string()),
            ]);
        }
    }
    rows
}

fn break_rows(model: &Model, over: &OverTheYears) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for c in &over.contracts {
        for b in &c.breaks {
            let better = if b.saving.0 > b.kept_to_term.0 + 0.5 {
                "ended"
            } else if b.kept_to_term.0 > b.saving.0 + 0.5 {
                "kept to term"
            } else {
                "the same"
            };
            rows.push(vec![
                model.purchasing[c.option].id.clone(),
                b.blocks.map_or_else(String::new, |t| t.to_string()),
                b.after.to_string(),
                b.notice_by.to_string(),
                b.saving.to_string(),
                b.kept_to_term.to_string(),
                better.to_string(),
            ]);
        }
    }
    rows
}

fn pounds(m: Money) -> String {
    number(m.0, 0)
}

/// The CSV files `--out` writes for a multi-year model: `commissioning_years.csv` (an option
/// set and year a row), `contracts.csv` (an option a row), `blocks_held.csv` (a block
/// contract, number of blocks held from its start and year a row) and `break_points.csv`.
/// Text from input files is neutralised.
#[must_use]
pub fn csv_files(model: &Model, over: &OverTheYears) -> Vec<(&'static str, String)> {
    let spot = &over.sets[0];
    let mut rows = Vec::new();
    for set in &over.sets {
        for (k, (y, s)) in set.years.iter().zip(&spot.years).enumerate() {
            rows.push(vec![
                safe_cell(&set.label),
                y.year.to_string(),
                safe_cell(&uses_label(&y.options, &y.evaluation)),
                pounds(y.evaluation.spend()),
                pounds(y.evaluation.independent_spend),
                number(y.through_options(), 2),
                number(y.kept_through_options, 2),
                number(y.new_through_options(), 2),
                number(y.block_places(), 2),
                number(y.children_in_blocks(), 2),
                number(y.voids(), 2),
                pounds(s.evaluation.spend() - y.evaluation.spend()),
                number(model.appraisal.discount(k), 6),
            ]);
        }
    }
    let years = CsvTable {
        headers: [
            "option_set",
            "year",
            "options_used",
            "spend",
            "independent_spend",
            "children_through_options",
            "kept_through_options",
            "new_through_options",
            "block_places",
            "children_in_blocks",
            "voids",
            "saving_against_spot",
            "discount_factor",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    };
    let contracts: Vec<Vec<String>> = over
        .contracts
        .iter()
        .map(|c| {
            let o = &model.purchasing[c.option];
            let price = match o.terms {
                PurchasingTerms::Block { block_price, .. } => pounds(block_price),
                PurchasingTerms::Framework { .. } => String::new(),
            };
            let first = c.years.first().map(|&k| spot.years[k].year.to_string()).unwrap_or_default();
            let last = c.years.last().map(|&k| spot.years[k].year.to_string()).unwrap_or_default();
            vec![
                safe_cell(&o.id),
                kind(model, c.option).to_string(),
                first,
                last,
                c.blocks.map_or_else(String::new, |b| b.to_string()),
                pounds(c.saving),
                price,
                c.break_even_price.map_or_else(String::new, pounds),
            ]
        })
        .collect();
    let contracts = CsvTable {
        headers: [
            "option",
            "kind",
            "first_year",
            "last_year",
            "blocks_held",
            "present_value_of_saving",
            "block_price",
            "break_even_block_price",
        ]
        .map(String::from)
        .to_vec(),
        rows: contracts,
    };
    let mut breaks = Vec::new();
    for c in &over.contracts {
        for b in &c.breaks {
            breaks.push(vec![
                safe_cell(&model.purchasing[c.option].id),
                b.blocks.map_or_else(String::new, |t| t.to_string()),
                b.after.to_string(),
                b.notice_by.to_string(),
                pounds(b.saving),
                pounds(b.kept_to_term),
            ]);
        }
    }
    let breaks = CsvTable {
        headers: ["option", "blocks_held", "ended_after_years", "notice_by", "saving_if_ended", "saving_kept_to_term"]
            .map(String::from)
            .to_vec(),
        rows: breaks,
    };
    let mut held = Vec::new();
    for c in &over.contracts {
        for h in &c.held_from_start {
            for &k in &c.years {
                let (y, v) = (&spot.years[k], &h.voids[k]);
                held.push(vec![
                    safe_cell(&model.purchasing[c.option].id),
                    h.blocks.to_string(),
                    y.year.to_string(),
                    number(*v, 2),
                    pounds(h.saving),
                    h.break_even_price.map_or_else(String::new, pounds),
                ]);
            }
        }
    }
    let held = CsvTable {
        headers: ["option", "blocks_held", "year", "voids", "present_value_of_saving", "break_even_block_price"]
            .map(String::from)
            .to_vec(),
        rows: held,
    };
    vec![
        ("commissioning_years.csv", years.text()),
        ("blocks_held.csv", held.text()),
        ("contracts.csv", contracts.text()),
        ("break_points.csv", breaks.text()),
    ]
}
