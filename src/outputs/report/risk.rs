//! The chosen portfolio over many futures, as a finance officer reads it: the saving each
//! year, the capital and the present value at the 10th, 50th and 90th percentile, and the
//! chance of paying back by each year (`schemes --draws`); and with `--choose-on-draws` the
//! portfolio chosen on the futures beside the one chosen for the central forecast.

use std::fmt::Write as _;

use super::csv::CsvTable;
use super::text::grid;
use crate::model::{Model, Money, Risk, Triangle};
use crate::planning::risk::{Percentiles, PortfolioRisk, RiskChoice, RiskSummary};
use crate::planning::schemes::Criterion;

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
    if let Some(p) = &s.with_residual {
        rows.push(cells("with the residual value".to_string(), p));
    }
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

/// risk.csv: one row a figure (`saving` by year, `capital`, `present_value`, and with residual
/// years `present_value_with_residual`) with its
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
    if let Some(p) = &s.with_residual {
        rows.push(row("present_value_with_residual", String::new(), p));
    }
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

/// What the choice on the draws made least, in words.
fn criterion_words(rc: &RiskChoice) -> String {
    match rc.rule.criterion {
        Criterion::Mean => "least mean discounted cost".to_string(),
        Criterion::Cvar => {
            format!("least CVaR (the mean discounted cost of the worst {} of them)", percent(rc.rule.share))
        }
    }
}

/// The two portfolios' figures side by side: a label, then the central's and the drawn's.
fn side_by_side(model: &Model, rc: &RiskChoice) -> Vec<(String, String, String, String)> {
    let (c, d) = (&rc.central, &rc.drawn);
    let mut rows = Vec::new();
    let mut both = |figure: &str, year: String, f: &dyn Fn(&PortfolioRisk) -> String| {
        rows.push((figure.to_string(), year, f(c), f(d)));
    };
    both("schemes", String::new(), &|p| p.portfolio.label(model));
    both("capital", String::new(), &|p| format!("{:.0}", p.capital.0));
    both("present_value_mean", String::new(), &|p| format!("{:.0}", p.mean_value.0));
    both("present_value_p10", String::new(), &|p| format!("{:.0}", p.summary.present_value.p10.0));
    both("present_value_p50", String::new(), &|p| format!("{:.0}", p.summary.present_value.p50.0));
    both("present_value_p90", String::new(), &|p| format!("{:.0}", p.summary.present_value.p90.0));
    both("present_value_worst_mean", String::new(), &|p| format!("{:.0}", p.worst_value.0));
    for (k, b) in c.summary.payback_by.iter().enumerate() {
        both("paid_back_by", b.year.to_string(), &|p| format!("{:.4}", p.summary.payback_by[k].chance));
    }
    both("pays_back", String::new(), &|p| format!("{:.4}", p.summary.pays_back));
    if let Some(dc) = &c.summary.deficit {
        let year = dc.year.to_string();
        let deficit = |p: &PortfolioRisk| p.summary.deficit.as_ref().map(|d| d.with);
        both("deficit_with_p10", year.clone(), &|p| deficit(p).map_or(String::new(), |d| format!("{:.0}", d.p10.0)));
        both("deficit_with_p50", year.clone(), &|p| deficit(p).map_or(String::new(), |d| format!("{:.0}", d.p50.0)));
        both("deficit_with_p90", year.clone(), &|p| deficit(p).map_or(String::new(), |d| format!("{:.0}", d.p90.0)));
        if dc.target.is_some() {
            both("at_or_below_target_with", year, &|p| {
                p.summary.deficit.as_ref().and_then(|d| d.target).map_or(String::new(), |t| format!("{:.4}", t.2))
            });
        }
    }
    rows
}

/// The terminal section of `--choose-on-draws`: how the portfolio was chosen on the futures
/// and how close to the best possible, then it beside the portfolio chosen for the central
/// forecast (`robust`: across the forecast variants), both over every future drawn.
#[must_use]
pub fn choice_text(model: &Model, rc: &RiskChoice, robust: bool) -> String {
    let mut out = String::new();
    let f = &rc.found;
    let _ = writeln!(
        out,
        "\nChoosing on the draws: the portfolio of {} over the first {} futures drawn (seed {}), each future \
         with its own need, prices, capital and opening years, costed as the choice costs a forecast \
         (places, transport, the policy weights, running costs and capital, discounted).",
        criterion_words(rc),
        rc.chosen_on,
        rc.central.summary.seed
    );
    if f.exact {
        let _ = writeln!(out, "Proved the best on these futures after {} rounds of cuts.", f.rounds);
    } else {
        let gap = f.gap();
        let _ = writeln!(
            out,
            "Stopped at the limit of {} rounds of cuts (--choice-rounds): within {} ({:.1}%) of the best possible \
             on these futures (no portfolio does better than {}).",
            f.rounds,
            gap,
            100.0 * gap.0 / f.value.0.abs().max(1.0),
            f.bound
        );
    }
    let central = if robust { "chosen across the forecast variants" } else { "chosen for the central forecast" };
    let _ = writeln!(
        out,
        "By that measure on those futures: {} the portfolio {central}, {} the one chosen on them.",
        rc.central_value, f.value
    );
    let _ = writeln!(
        out,
        "Both over all {} futures drawn (present value: savings less capital, discounted; the worst {}: the mean \
         of the lowest present values):",
        rc.central.summary.draws,
        percent(rc.rule.share)
    );
    let _ = writeln!(out, "Schemes {central}: {}.", rc.central.portfolio.label(model));
    let _ = writeln!(out, "Schemes chosen on the draws: {}.", rc.drawn.portfolio.label(model));
    let money = |t: &str| t.parse::<f64>().map_or_else(|_| t.to_string(), |v| Money(v).to_string());
    let rows: Vec<Vec<String>> = side_by_side(model, rc)
        .into_iter()
        .filter(|(figure, ..)| figure != "schemes")
        .map(|(figure, year, a, b)| {
            let label = match figure.as_str() {
                "capital" => figure.clone(),
                "present_value_mean" => "present value, mean".into(),
                "present_value_p10" => "present value, P10".into(),
                "present_value_p50" => "present value, P50".into(),
                "present_value_p90" => "present value, P90".into(),
                "present_value_worst_mean" => format!("present value, worst {}", percent(rc.rule.share)),
                "paid_back_by" => format!("chance paid back by {year}"),
                "pays_back" => "chance it pays back at all".into(),
                "at_or_below_target_with" => format!("chance the deficit ends {year} at or below target"),
                other => format!(
                    "deficit at the end of {year}, {}",
                    other.trim_start_matches("deficit_with_").to_uppercase()
                ),
            };
            let show = |t: String| match figure.as_str() {
                "paid_back_by" | "pays_back" | "at_or_below_target_with" => t.parse::<f64>().map_or(t.clone(), percent),
                _ => money(&t),
            };
            vec![label, show(a), show(b)]
        })
        .collect();
    out.push_str(&grid(&["figure", central, "chosen on the draws"], &rows, &[false, true, true]));
    out
}

/// risk_choice.csv: one row a figure (`schemes`, `capital`, the present value's mean, P10,
/// P50, P90 and mean of the worst share, the chance of paying back by each year and at all;
/// with `[high_needs]` the deficit with the programme at the end of the last year, and the
/// chance of meeting the target), the year where it has one, and the value for the portfolio
/// chosen for the central forecast (`central`) and the one chosen on the draws
/// (`on_draws`); then the choice itself: its criterion's value for each on the futures
/// chosen on (`criterion_value`), the bound, the rounds and whether proved.
#[must_use]
pub fn choice_csv(model: &Model, rc: &RiskChoice) -> String {
    let mut rows: Vec<Vec<String>> =
        side_by_side(model, rc).into_iter().map(|(figure, year, a, b)| vec![figure, year, a, b]).collect();
    let f = &rc.found;
    let criterion = match rc.rule.criterion {
        Criterion::Mean => "mean".to_string(),
        Criterion::Cvar => format!("cvar {}", rc.rule.share),
    };
    rows.push(vec!["criterion".into(), String::new(), criterion.clone(), criterion]);
    rows.push(vec!["futures_chosen_on".into(), String::new(), rc.chosen_on.to_string(), rc.chosen_on.to_string()]);
    rows.push(vec![
        "criterion_value".into(),
        String::new(),
        format!("{:.0}", rc.central_value.0),
        format!("{:.0}", f.value.0),
    ]);
    rows.push(vec!["best_possible_at_least".into(), String::new(), String::new(), format!("{:.0}", f.bound.0)]);
    rows.push(vec!["gap".into(), String::new(), String::new(), format!("{:.0}", f.gap().0)]);
    rows.push(vec!["rounds".into(), String::new(), String::new(), f.rounds.to_string()]);
    rows.push(vec!["proved_best".into(), String::new(), String::new(), f.exact.to_string()]);
    let table = CsvTable {
        headers: ["figure", "year", "central", "on_draws"].iter().map(|h| (*h).to_string()).collect(),
        rows,
    };
    table.text()
}
