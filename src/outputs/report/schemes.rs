//! Reports on capital schemes: the chosen portfolio, each scheme's appraisal, the side-by-side
//! table (baseline, chosen, each scheme alone), the budget curve, and for a robust choice
//! how the portfolio fares in each forecast variant.

use std::fmt::Write as _;

use super::csv::{CsvTable, safe_cell};
use super::text::{children, grid};
use crate::model::{CapitalMethod, Model, Money};
use crate::planning::business_case::BusinessCase;
use crate::planning::high_needs::Block;
use crate::planning::schemes::{Appraised, CurvePoint, Gain, Outcome, Proof, Robust};

fn money(m: Money) -> String {
    m.to_string()
}

fn plain(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() { s[1..].to_string() } else { s }
}

fn years_text(o: &Outcome) -> (String, String) {
    let years = &o.futures[0];
    let first = years.first().map(|y| y.year.to_string()).unwrap_or_default();
    let last = years.last().map(|y| y.year.to_string()).unwrap_or_default();
    (first, last)
}

/// The year a scheme opens, with the years it takes to fill if more than one ("2027/28,
/// filling over 3 years").
#[must_use]
pub fn opens_text(s: &crate::model::Scheme) -> String {
    if s.fill_years > 1 { format!("{}, filling over {} years", s.opens, s.fill_years) } else { s.opens.to_string() }
}

/// What an inclusion programme's places take, in words ("inclusion-programme takes children
/// who would otherwise need resourced-provision or special-school, at most 10% of the new
/// plans of its needs and phases from the year it opens").
#[must_use]
pub fn programme_text(s: &crate::model::Scheme) -> String {
    let tiers: Vec<&str> = s.setting.programme_tiers.iter().map(|t| t.code()).collect();
    let share = s.share.map_or_else(String::new, |v| {
        let percent = plain(v * 100.0, 1);
        let percent = percent.strip_suffix(".0").unwrap_or(&percent);
        format!(", at most {percent}% of the new plans of its needs and phases from the year it opens")
    });
    format!("{} takes children who would otherwise need {}{share}", s.id, tiers.join(" or "))
}

/// How capital and discounting were treated, in a sentence.
#[must_use]
pub fn method_note(model: &Model, first_year: &str) -> String {
    let a = &model.appraisal;
    let capital = match a.capital {
        CapitalMethod::Annualised => format!(
            "capital as an equivalent annual cost over {} years, charged each year a scheme is open",
            plain(a.asset_life_years, 0)
        ),
        CapitalMethod::Upfront => {
            "capital counted as it is spent, by each scheme's profile, as in the business cases".to_string()
        }
    };
    let filling: Vec<String> =
        model.schemes.iter().filter(|s| s.fill_years > 1).map(|s| format!("{} {}", s.id, s.fill_years)).collect();
    let filling = if filling.is_empty() {
        String::new()
    } else {
        format!(
            " In both, a scheme that fills over years has k ÷ its fill years of its places open (and funded) in its \
             k-th year open, all from then on (years to fill: {}).",
            filling.join(", ")
        )
    };
    let programmes: Vec<String> = model.schemes.iter().filter(|s| s.is_programme()).map(programme_text).collect();
    let filling = if programmes.is_empty() {
        filling
    } else {
        format!(
            "{filling} Inclusion programmes, revenue schemes whose running cost (outreach and staff) is in each \
             year's saving, pay back in the first year their savings to date are above their capital (above \
             nothing, with none): {}.",
            programmes.join("; ")
        )
    };
    format!(
        "{} The choice: {capital}; each year's children placed afresh in the places open that year (the long \
         run). The business cases: the years planned as `solve` plans them, children staying where they are until \
         they change phase, with and without the schemes; capital spent by each scheme's profile (all in the year \
         before it opens unless the schemes table says otherwise); new places' place funding (£{} a special school \
         place, £{} a resourced place) paid filled or empty.{filling}",
        basis_note(model, first_year),
        crate::model::group_thousands(a.place_funding_special.0),
        crate::model::group_thousands(a.place_funding_resourced.0)
    )
}

/// The money basis, in words: the same in the choice and the business cases.
#[must_use]
pub fn basis_note(model: &Model, first_year: &str) -> String {
    let a = &model.appraisal;
    let residual = match a.residual_years {
        0 => "no value is counted after the last year planned".to_string(),
        1 => "a residual value, shown apart, takes the last year's saving to go on in real terms for 1 more year"
            .to_string(),
        n => format!(
            "a residual value, shown apart, takes the last year's saving to go on in real terms for {n} more years"
        ),
    };
    format!(
        "Money basis: each year in cash (that year's prices, costs rising by [uplift]; the schemes' running costs and \
         place funding held at their first-year cash figures; capital in the year it is spent); present values \
         deflate cash by {}% a year general inflation to {first_year} prices and discount at {}% a year real (HM \
         Treasury Green Book: 3.5%), {}% a year on cash, in the choice and the business cases alike; {residual}, \
         counted alike in the choice.",
        plain(a.inflation * 100.0, 1),
        plain(a.discount_rate * 100.0, 1),
        plain(a.nominal_rate() * 100.0, 2)
    )
}

/// The residual value after the present value of the years planned, if the model counts one:
/// "; residual value (the last year's saving for 5 more years): £X; together: £Y".
fn residual_text(model: &Model, case: &crate::planning::business_case::BusinessCase) -> String {
    match model.appraisal.residual_years {
        0 => String::new(),
        n => format!(
            "; residual value (the last year's saving for {n} more year{}): {}; together: {}",
            if n == 1 { "" } else { "s" },
            money(case.residual_value),
            money(case.with_residual())
        ),
    }
}

/// The terminal report.
#[must_use]
pub fn text(model: &Model, a: &Appraised, curve: Option<&[CurvePoint]>) -> String {
    let mut out = String::new();
    let (first, last) = years_text(&a.chosen);
    let span = if first == last { first.clone() } else { format!("{first} to {last}") };
    let _ = writeln!(out, "Capital schemes: {}, {span}", model.name);
    let _ = writeln!(out, "{}", method_note(model, &first));
    let budget = a.choice.budget.map_or_else(|| "no limit".to_string(), money);
    let _ = writeln!(out, "Capital budget: {budget}.");
    if !a.choice.with.is_empty() || !a.choice.without.is_empty() {
        let ids = |v: &[usize]| v.iter().map(|&j| model.schemes[j].id.as_str()).collect::<Vec<_>>().join(", ");
        if !a.choice.with.is_empty() {
            let _ = writeln!(out, "Forced in: {}.", ids(&a.choice.with));
        }
        if !a.choice.without.is_empty() {
            let _ = writeln!(out, "Left out: {}.", ids(&a.choice.without));
        }
    }
    let g = a.gain(model);
    let _ = writeln!(out);
    let how = match &a.robust {
        None => String::new(),
        Some((Robust::Expected, _)) => format!(" (least cost averaged over {})", a.futures.join(", ")),
        Some((Robust::Regret, _)) => format!(" (least worst regret over {})", a.futures.join(", ")),
    };
    let _ = writeln!(out, "Chosen portfolio{how}: {}", a.chosen.portfolio.label(model));
    let _ = writeln!(
        out,
        "  capital {} ({} places); in {last}: {} children in the new places, {} more placed in the borough, \
         {} fewer without a place, {} a year {}",
        money(g.capital),
        children(g.places),
        children(g.children),
        children(g.back_in_borough),
        children(g.unmet_met),
        money(Money(g.annual_saving.0.abs())),
        if g.annual_saving.0 >= 0.0 { "saved" } else { "more spent (needs met that were unmet)" }
    );
    let _ = match a.chosen.proof {
        Proof::Best => writeln!(out, "  Proven best: no portfolio within the budget and rules costs less."),
        Proof::Within { bound, .. } => writeln!(
            out,
            "  Chosen to a stated gap (--gap): {}; no portfolio costs less than {} (present value with the policy \
             weights). --gap 0 proves the best, taking longer.",
            a.chosen.proof.words(),
            money(bound)
        ),
    };

    let _ = writeln!(out, "\nBusiness case of the chosen portfolio, year by year (children staying put):");
    let block = Block::of_case(model, &a.case);
    let t = case_table(&a.case, block.as_ref());
    let numeric: Vec<bool> = (0..t.headers.len()).map(|i| i > 0).collect();
    out.push_str(&grid(&t.headers.iter().map(String::as_str).collect::<Vec<_>>(), &t.rows, &numeric));
    let _ = writeln!(
        out,
        "Spend on places is the high-needs block: place funding, top-ups and independent fees, with the new places' \
         running costs and place funding. Saving = spend without less spend with (each figure rounded to the pound \
         on its own, so a difference may be £1 off); cumulative = savings to date less capital to date. Pays back: \
         {}; present value over {span}: {}{}.",
        a.case.payback.describe(),
        money(a.case.present_value),
        residual_text(model, &a.case)
    );
    if let Some(block) = &block {
        block_text(&mut out, block, &first);
    }

    let _ = writeln!(out, "\nEach scheme against building nothing (its own business case; figures for {last}):");
    let gains = a.gains_alone(model);
    let residual = model.appraisal.residual_years > 0;
    let rows: Vec<Vec<String>> = model
        .schemes
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let mut cells = scheme_cells(model, j, a.chosen.portfolio.0[j], &a.alone[j], &gains[j], opens_text(s));
            if residual {
                cells.push(money(gains[j].residual_value));
            }
            cells
        })
        .collect();
    // The residual value is a column of its own only when the model counts one.
    let (mut headers, mut numeric) = (SCHEME_HEADERS.to_vec(), SCHEME_NUMERIC.to_vec());
    if residual {
        headers.push("residual value");
        numeric.push(true);
    }
    out.push_str(&grid(&headers, &rows, &numeric));
    let _ = writeln!(
        out,
        "Saving a year: money saved on places, transport and the scheme's running costs and place funding in {last}; \
         payback year: the first in which the savings to date reach the capital (after the years planned, at the \
         last year's saving); present value: savings less capital over the years, discounted{}.",
        if model.appraisal.residual_years > 0 { " (no residual value)" } else { "" }
    );

    let after = match model.appraisal.residual_years {
        0 => String::new(),
        n => format!(" and {n} residual year{} at {last}'s spend", if n == 1 { "" } else { "s" }),
    };
    let _ = writeln!(
        out,
        "\nSide by side, as the choice sees them ({last}, every child placed afresh; present values over \
         {span}{after}; present spend and weights adds the policy weights, which are not money, to the present \
         spend, and is what the choice minimises):"
    );
    let table = portfolios_table(model, a);
    out.push_str(&grid(
        &table.headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &table.rows,
        &[false, false, true, true, true, true, true, true, true, true],
    ));

    if !a.place_values.is_empty() {
        let shown = a.place_values.len().min(12);
        let _ = writeln!(
            out,
            "\nWhere the next place is worth most ({last}, with the chosen schemes; {shown} of {}; all in place_values.csv):",
            a.place_values.len()
        );
        let t = place_values_table(model, a, false);
        let rows: Vec<Vec<String>> = t.rows.iter().take(shown).cloned().collect();
        out.push_str(&grid(&PLACE_HEADERS, &rows, &[false, false, false, true, true, true, false]));
        let mut costs: Vec<f64> = model
            .settings
            .iter()
            .filter(|s| {
                s.in_borough && s.kind.provision() == crate::model::Provision::SpecialSchool && !s.kind.is_independent()
            })
            .map(|s| s.cost_per_place.0)
            .collect();
        costs.sort_by(f64::total_cmp);
        let typical = costs.get(costs.len() / 2).map_or_else(String::new, |c| {
            format!(" (the middle cost of a place in the borough's special schools is {} a year)", money(Money(*c)))
        });
        let _ = writeln!(
            out,
            "Money saved a year: what one more special school place there would take off the year's spend on places and \
             transport (the year solved again with the place), before its own running cost{typical}. Policy weight \
             avoided: the out-of-borough weight ({} a child) and the unmet penalty ({} a child) it takes off the weighted \
             cost; they are not money, and not in the saving. Places are ranked by the two together, as the optimiser \
             values them. A place for a child with no suitable place saves no money: the child is placed, at the cost of \
             their journey (a negative saving), and the weight is the unmet penalty.",
            money(model.policy.out_of_borough_weight),
            money(model.policy.unmet_penalty)
        );
    }
    if let Some((how, best)) = &a.robust {
        let _ = writeln!(
            out,
            "\nIn each forecast variant (present spend and weights: spend and the policy weights, which are not money, discounted):"
        );
        let t = variants_table(model, a, *how, best);
        let numeric: Vec<bool> = t.headers.iter().enumerate().map(|(i, _)| i > 0).collect();
        out.push_str(&grid(&t.headers.iter().map(String::as_str).collect::<Vec<_>>(), &t.rows, &numeric));
    }
    if let Some(curve) = curve {
        let _ = writeln!(out, "\nBudget curve (best portfolio at each capital budget; {last} figures):");
        let t = curve_table(model, &a.baseline, curve);
        out.push_str(&grid(
            &t.headers.iter().map(String::as_str).collect::<Vec<_>>(),
            &t.rows,
            &[true, false, true, true, true, true, true, true],
        ));
    }
    out
}

const SCHEME_HEADERS: [&str; 14] = [
    "scheme",
    "name",
    "opens",
    "chosen",
    "modules",
    "places",
    "capital",
    "capital per place",
    "children in",
    "back in borough",
    "unmet met",
    "saving a year",
    "payback year",
    "present value",
];
const SCHEME_NUMERIC: [bool; 14] =
    [false, false, false, false, true, true, true, true, true, true, true, true, true, true];

fn scheme_cells(model: &Model, j: usize, chosen: u32, alone: &Outcome, g: &Gain, opens: String) -> Vec<String> {
    let s = &model.schemes[j];
    let mut name = s.name.clone();
    if alone.portfolio.0.iter().enumerate().any(|(k, &m)| k != j && m > 0) {
        name = format!(
            "{name} (with {})",
            crate::planning::schemes::with_prerequisites(model, j)[1..]
                .iter()
                .map(|&k| model.schemes[k].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    vec![
        s.id.clone(),
        name,
        opens,
        if chosen > 0 { "yes".into() } else { "no".into() },
        alone.portfolio.0[j].to_string(),
        children(g.places),
        money(g.capital),
        g.cost_per_place.map_or_else(|| "-".into(), money),
        children(g.children),
        children(g.back_in_borough),
        children(g.unmet_met),
        money(g.annual_saving),
        g.payback.describe(),
        money(g.net_present_value),
    ]
}

/// The high-needs block under the business case: its deficit with and without, then the
/// block line by line.
fn block_text(out: &mut String, block: &Block, first: &str) {
    let last = |l: &crate::planning::high_needs::Ledger| l.cumulative_deficit().last().copied().unwrap_or_default();
    let (without, with) = (last(&block.without), last(&block.with));
    let year = block.without.years().last().map(|y| y.year.to_string()).unwrap_or_default();
    let _ = writeln!(
        out,
        "\nHigh-needs block (Dedicated Schools Grant), year by year, with and without the chosen portfolio:"
    );
    out.push_str(&super::high_needs::text(block));
    let _ = writeln!(
        out,
        "The grant and the other lines are as [high_needs] states them; specialist places are the business case's \
         spend on places. In-year balance = grant less spend (negative: an overspend); cumulative deficit = the \
         deficit brought forward into {first} ({}) less the balances to date. At the end of {year} the cumulative \
         deficit is {} without the programme and {} with it ({} {}). Transport is paid from the council's general \
         fund, not the block.",
        money(block.without.brought_forward()),
        money(without),
        money(with),
        money(Money((without - with).0.abs())),
        if with.0 <= without.0 { "less" } else { "more" }
    );
}

/// A business case year by year; with the high-needs block, each year's in-year balance and
/// cumulative deficit without and with.
#[must_use]
pub fn case_table(case: &BusinessCase, block: Option<&Block>) -> CsvTable {
    let headers = [
        "year",
        "capital spent",
        "places without",
        "places with",
        "transport without",
        "transport with",
        "saving on places",
        "saving on transport",
        "saving",
        "cumulative",
        "in new places",
        "empty new places",
        "back in borough",
    ];
    let cumulative = case.cumulative();
    let deficits = block.map(|b| {
        (b.without.years().iter().zip(b.with.years()).map(|(w, v)| (w.balance(), v.balance())))
            .zip(b.without.cumulative_deficit().into_iter().zip(b.with.cumulative_deficit()))
            .collect::<Vec<_>>()
    });
    let mut rows: Vec<Vec<String>> = case
        .years
        .iter()
        .zip(cumulative)
        .map(|(y, c)| {
            vec![
                y.year.to_string(),
                money(y.capital),
                money(y.without.0),
                money(y.with.0),
                money(y.without.1),
                money(y.with.1),
                money(y.high_needs_saving()),
                money(y.transport_saving()),
                money(y.saving()),
                money(c),
                children(y.in_new_places),
                children(y.empty_new_places),
                children(y.back_in_borough),
            ]
        })
        .collect();
    let mut headers: Vec<String> = headers.iter().map(|h| (*h).to_string()).collect();
    if let Some(deficits) = deficits {
        headers.extend(
            [
                "in year balance without",
                "in year balance with",
                "cumulative deficit without",
                "cumulative deficit with",
            ]
            .map(String::from),
        );
        for (row, ((bw, bv), (dw, dv))) in rows.iter_mut().zip(deficits) {
            row.extend([money(bw), money(bv), money(dw), money(dv)]);
        }
    }
    CsvTable { headers, rows }
}

/// Baseline, chosen, and each scheme alone, side by side.
#[must_use]
pub fn portfolios_table(model: &Model, a: &Appraised) -> CsvTable {
    let headers = [
        "run",
        "schemes",
        "capital",
        "present spend and weights",
        "present spend",
        "spend in last year",
        "placed in borough",
        "placed out of borough",
        "unmet",
        "saving a year",
        "best possible",
    ];
    let base_spend = a.baseline.futures[0].last().map_or(Money(0.0), |y| y.spend());
    let row = |name: String, o: &Outcome| {
        let y = o.futures[0].last().expect("a year");
        vec![
            name,
            o.portfolio.label(model),
            money(o.capital),
            money(o.present_cost[0]),
            money(o.present_spend[0]),
            money(y.spend()),
            children(y.summary.placed_in_borough),
            children(y.summary.placed_out_of_borough),
            children(y.summary.unmet),
            money(base_spend - y.spend()),
            o.proof.words(),
        ]
    };
    let mut rows = vec![row("Baseline (no schemes)".into(), &a.baseline), row("Chosen portfolio".into(), &a.chosen)];
    for (j, o) in a.alone.iter().enumerate() {
        rows.push(row(format!("{} alone", model.schemes[j].id), o));
    }
    CsvTable { headers: headers.iter().map(|h| (*h).to_string()).collect(), rows }
}

const PLACE_HEADERS: [&str; 7] = [
    "place in",
    "need",
    "phase",
    "money saved a year",
    "policy weight avoided",
    "unmet within reach",
    "it would go to",
];

/// The place values: money saved and, apart, the policy weights avoided. For the CSV
/// (`split`), the weights one column each and the weighted value the places are ranked by.
fn place_values_table(model: &Model, a: &Appraised, split: bool) -> CsvTable {
    let rows = a
        .place_values
        .iter()
        .map(|v| {
            let from = &model.locality(v.from).name;
            let mut row = vec![
                model.locality(v.locality).name.clone(),
                model.need_code(v.need).to_string(),
                model.phase_code(v.phase).to_string(),
                money(v.money),
            ];
            if split {
                row.extend([money(v.out_of_borough_weight), money(v.unmet_penalty), money(v.weighted)]);
            } else {
                row.push(money(v.out_of_borough_weight + v.unmet_penalty));
            }
            row.push(children(v.unmet_in_reach));
            row.push(if v.meets_unmet {
                format!("a child from {from} with no suitable place")
            } else if v.out_of_borough_weight.0 > 0.5 {
                format!("a child from {from} placed out of borough at greater cost")
            } else {
                format!("a child from {from} placed at greater cost")
            });
            row
        })
        .collect();
    let headers: Vec<String> = if split {
        let mut h: Vec<&str> = PLACE_HEADERS[..4].to_vec();
        h.extend([
            "out of borough weight avoided",
            "unmet penalty avoided",
            "weighted value",
            "unmet within reach",
            "it would go to",
        ]);
        h.iter().map(|h| (*h).to_string()).collect()
    } else {
        PLACE_HEADERS.iter().map(|h| (*h).to_string()).collect()
    };
    CsvTable { headers, rows }
}

fn variants_table(model: &Model, a: &Appraised, how: Robust, best: &[Money]) -> CsvTable {
    let mut headers = vec!["portfolio".to_string()];
    headers.extend(a.futures.iter().cloned());
    let mut rows = Vec::new();
    let mut line = |name: String, o: &Outcome| {
        let mut r = vec![name];
        r.extend(o.present_cost.iter().map(|c| money(*c)));
        rows.push(r);
    };
    line(format!("Chosen: {}", a.chosen.portfolio.label(model)), &a.chosen);
    line("Baseline (no schemes)".into(), &a.baseline);
    if how == Robust::Regret && !best.is_empty() {
        let mut r = vec!["Best for that variant alone".to_string()];
        r.extend(best.iter().map(|b| money(*b)));
        rows.push(r);
        let mut r = vec!["Regret of the chosen".to_string()];
        r.extend(a.chosen.present_cost.iter().zip(best).map(|(c, b)| money(*c - *b)));
        rows.push(r);
    }
    CsvTable { headers, rows }
}

fn curve_table(model: &Model, baseline: &Outcome, curve: &[CurvePoint]) -> CsvTable {
    let headers = [
        "budget",
        "schemes",
        "capital used",
        "present spend and weights",
        "present spend",
        "saving a year",
        "out of borough",
        "unmet",
    ];
    let base = baseline.futures[0].last().map_or(Money(0.0), |y| y.spend());
    let rows = curve
        .iter()
        .map(|p| {
            let y = p.outcome.futures[0].last().expect("a year");
            vec![
                money(p.budget),
                p.outcome.portfolio.label(model),
                money(p.outcome.capital),
                money(p.outcome.present_cost[0]),
                money(p.outcome.present_spend[0]),
                money(base - y.spend()),
                children(y.summary.placed_out_of_borough),
                children(y.summary.unmet),
            ]
        })
        .collect();
    CsvTable { headers: headers.iter().map(|h| (*h).to_string()).collect(), rows }
}

/// The CSV files: `schemes.csv`, `business_case.csv`, `portfolios.csv`, `place_values.csv`, and where asked
/// `budget_curve.csv` and `variants.csv`; with `[high_needs]`, `high_needs.csv` and `high_needs.json`.
/// Numbers are plain (no £ or separators); text from the input is made safe.
#[must_use]
pub fn csv_files(model: &Model, a: &Appraised, curve: Option<&[CurvePoint]>) -> Vec<(&'static str, String)> {
    let gains = a.gains_alone(model);
    let schemes = CsvTable {
        headers: [
            "scheme",
            "name",
            "kind",
            "site",
            "opens",
            "chosen_modules",
            "alone_modules",
            "places",
            "capital",
            "capital_per_place",
            "children_in_last_year",
            "back_in_borough",
            "unmet_met",
            "saving_a_year",
            "payback_year",
            "present_value",
            "residual_value",
        ]
        .iter()
        .map(|h| (*h).to_string())
        .collect(),
        rows: model
            .schemes
            .iter()
            .enumerate()
            .map(|(j, s)| {
                let g = &gains[j];
                vec![
                    safe_cell(&s.id),
                    safe_cell(&s.name),
                    s.setting.kind.code().to_string(),
                    safe_cell(crate::planning::schemes::site_name(model, j)),
                    s.opens.to_string(),
                    a.chosen.portfolio.0[j].to_string(),
                    a.alone[j].portfolio.0[j].to_string(),
                    plain(g.places, 1),
                    plain(g.capital.0, 0),
                    g.cost_per_place.map_or_else(String::new, |c| plain(c.0, 0)),
                    plain(g.children, 1),
                    plain(g.back_in_borough, 1),
                    plain(g.unmet_met, 1),
                    plain(g.annual_saving.0, 0),
                    match g.payback {
                        crate::planning::business_case::Payback::Within(y)
                        | crate::planning::business_case::Payback::Beyond(y) => y.to_string(),
                        crate::planning::business_case::Payback::Never => String::new(),
                    },
                    plain(g.net_present_value.0, 0),
                    plain(g.residual_value.0, 0),
                ]
            })
            .collect(),
    };
    let mut files = vec![("schemes.csv", schemes.text())];
    let block = Block::of_case(model, &a.case);
    let mut t = case_table(&a.case, block.as_ref());
    plain_money(&mut t);
    files.push(("business_case.csv", t.text()));
    if let Some(block) = &block {
        files.push(("high_needs.csv", super::high_needs::csv(block)));
        files.push(("high_needs.json", super::high_needs::json(&model.name, block)));
    }
    let mut p = portfolios_table(model, a);
    plain_money(&mut p);
    files.push(("portfolios.csv", p.text()));
    if let Some(curve) = curve {
        let mut t = curve_table(model, &a.baseline, curve);
        plain_money(&mut t);
        files.push(("budget_curve.csv", t.text()));
    }
    let mut t = place_values_table(model, a, true);
    plain_money(&mut t);
    files.push(("place_values.csv", t.text()));
    if let Some((how, best)) = &a.robust {
        let mut t = variants_table(model, a, *how, best);
        plain_money(&mut t);
        files.push(("variants.csv", t.text()));
    }
    files
}

/// Money and counts as plain numbers for spreadsheets; labels made safe.
fn plain_money(t: &mut CsvTable) {
    for h in &mut t.headers {
        *h = safe_cell(&h.replace(' ', "_"));
    }
    for row in &mut t.rows {
        for cell in row.iter_mut() {
            let bare: String = cell.chars().filter(|c| *c != '£' && *c != ',').collect();
            if bare.parse::<f64>().is_ok() {
                *cell = bare;
            } else {
                *cell = safe_cell(cell);
            }
        }
    }
}
