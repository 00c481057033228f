//! The chosen portfolio over many futures, as a finance officer reads it: the saving each
//! year, the capital and the present value at the 10th, 50th and 90th percentile, and the
//! chance of paying back by each year (`schemes --draws`).

use std::fmt::Write as _;

use super::csv::CsvTable;
use super::text::grid;
use crate::model::{Model, Money, Risk, Triangle};
use crate::planning::risk::{Percentiles, RiskSummary};

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn three(t: Triangle, show: impl Fn(f64) -> String) -> String {
    if t.low == t.high {
        show(t.likely)
    } else {
        format!("{} to {}, most likely {}", show(t.low), show(t.high), show(t.likely))
    }
}

/// How the futures were drawn, in a sentence.
#[must_use]
pub fn method_note(model: &Model, s: &RiskSummary) -> String {
    let Risk { need_variants, fee_rise, market_price, capital_overrun, late_chance } = &model.risk;
    let own = model.horizon.as_ref().map_or("as given", |h| h.variant.as_str());
    let need = match need_variants {
        Some((low, high)) if model.horizon.is_some() => format!(
            "need growth by need and phase between the \"{low}\" and \"{high}\" forecast variants, most likely \
             \"{own}\" (a triangle, every rate interpolated)"
        ),
        _ => "need as the model gives it".to_string(),
    };
    let points = |v: f64| format!("{:+.1} points", v * 100.0);
    let times = |v: f64| format!("×{v:.2}");
    format!(
        "{} futures drawn with seed {} ([risk]; each a triangle from least to most): {need}; the yearly rise of \
         independent fees {} on [uplift]'s, the same each year of a future; market prices {}; each scheme's \
         capital {}; each scheme a year late with chance {} (its capital spent as planned). Each future is a \
         full business case: the years planned with and without the portfolio. Percentiles by nearest rank: \
         P10 is the value one future in ten is at or below.",
        s.draws,
        s.seed,
        three(*fee_rise, points),
        three(*market_price, times),
        three(*capital_overrun, times),
        percent(*late_chance)
    )
}

fn cells(label: String, p: &Percentiles) -> Vec<String> {
    vec![label, p.p10.to_string(), p.p50.to_string(), p.p90.to_string()]
}

/// The terminal section.
#[must_use]
pub fn text(model: &Model, s: &RiskSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nRisk over {} draws (the chosen portfolio against building nothing):", s.draws);
    let _ = writeln!(out, "{}", method_note(model, s));
    let mut rows: Vec<Vec<String>> = s.saving.iter().map(|(y, p)| cells(format!("saving {y}"), p)).collect();
    rows.push(cells("capital".to_string(), &s.capital));
    rows.push(cells("present value".to_string(), &s.present_value));
    out.push_str(&grid(&["figure", "P10", "P50", "P90"], &rows, &[false, true, true, true]));
    let rows: Vec<Vec<String>> = s.payback_by.iter().map(|b| vec![b.year.to_string(), percent(b.chance)]).collect();
    let _ = writeln!(out, "Chance of paying back by the end of each year (savings to date reach the capital):");
    out.push_str(&grid(&["year", "chance"], &rows, &[false, true]));
    let _ = writeln!(
        out,
        "Pays back at all (within the years planned, or after them at the last year's saving): {}.",
        percent(s.pays_back)
    );
    if let Some(d) = &s.deficit {
        let _ = writeln!(
            out,
            "The high-needs block's cumulative deficit at the end of {} (the grant and the other lines as the model \
             states them in every future; only the spend on places is drawn):",
            d.year
        );
        let rows = vec![cells("without the programme".into(), &d.without), cells("with it".into(), &d.with)];
        out.push_str(&grid(&["deficit", "P10", "P50", "P90"], &rows, &[false, true, true, true]));
        if let Some((target, without, with)) = d.target {
            let _ = writeln!(
                out,
                "Chance of ending {} at or below the target of {target}: {} with the programme, {} without.",
                d.year,
                percent(with),
                percent(without)
            );
        }
    }
    out
}

/// risk.csv: one row a figure (`saving` by year, `capital`, `present_value`) with its
/// percentiles, and one a year of the chance of paying back by then; with `[high_needs]`,
/// the cumulative deficit at the end of the last year without and with the programme
/// (`deficit_without`, `deficit_with`), and with a target, the target (`deficit_target`, the
/// same figure in each column) and the chance of ending at or below it.
#[must_use]
pub fn csv_files(s: &RiskSummary) -> Vec<(&'static str, String)> {
    let money = |m: Money| format!("{:.0}", m.0);
    let row = |figure: &str, year: String, p: &Percentiles| {
        vec![figure.to_string(), year, money(p.p10), money(p.p50), money(p.p90), String::new()]
    };
    let mut rows: Vec<Vec<String>> = s.saving.iter().map(|(y, p)| row("saving", y.to_string(), p)).collect();
    rows.push(row("capital", String::new(), &s.capital));
    rows.push(row("present_value", String::new(), &s.present_value));
    for b in &s.payback_by {
        let chance = format!("{:.4}", b.chance);
        rows.push(vec!["paid_back_by".into(), b.year.to_string(), String::new(), String::new(), String::new(), chance]);
    }
    let ever = format!("{:.4}", s.pays_back);
    rows.push(vec!["pays_back".into(), String::new(), String::new(), String::new(), String::new(), ever]);
    if let Some(d) = &s.deficit {
        rows.push(row("deficit_without", d.year.to_string(), &d.without));
        rows.push(row("deficit_with", d.year.to_string(), &d.with));
        if let Some((target, without, with)) = d.target {
            let fixed = Percentiles { p10: target, p50: target, p90: target };
            rows.push(row("deficit_target", d.year.to_string(), &fixed));
            for (figure, chance) in [("at_or_below_target_without", without), ("at_or_below_target_with", with)] {
                let chance = format!("{chance:.4}");
                rows.push(vec![figure.into(), d.year.to_string(), String::new(), String::new(), String::new(), chance]);
            }
        }
    }
    let table = CsvTable {
        headers: ["figure", "year", "p10", "p50", "p90", "chance"].iter().map(|h| (*h).to_string()).collect(),
        rows,
    };
    vec![("risk.csv", table.text())]
}
