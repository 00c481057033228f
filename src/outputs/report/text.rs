//! Terminal tables: the summary and the tables a planner reads first.

use std::fmt::Write as _;

use super::{Tables, need_phase_grid};
use crate::model::Model;
use crate::model::group_thousands;
use crate::optimise::plan::Summary;
use crate::optimise::run::Run;

/// Children, to one decimal place (forecasts are fractional).
#[must_use]
pub fn children(v: f64) -> String {
    let v = if v.abs() < 0.05 { 0.0 } else { v };
    let whole = v.trunc();
    let tenth = ((v - whole).abs() * 10.0).round();
    if tenth >= 10.0 {
        format!("{}.0", group_thousands(whole + v.signum()))
    } else {
        format!("{}.{tenth:.0}", group_thousands(whole))
    }
}

/// Aligned columns: text left, numbers right (a column is numeric if `numeric[i]`).
#[must_use]
pub fn grid(headers: &[&str], rows: &[Vec<String>], numeric: &[bool]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        let mut first = true;
        for (i, cell) in cells.enumerate() {
            if !first {
                out.push_str("  ");
            }
            first = false;
            let pad = widths[i] - cell.chars().count();
            if numeric.get(i).copied().unwrap_or(false) {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if i + 1 < widths.len() {
                    out.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push('\n');
    };
    line(&mut out, &mut headers.iter().copied());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut out, &mut rule.iter().map(String::as_str));
    for row in rows {
        line(&mut out, &mut row.iter().map(String::as_str));
    }
    out
}

/// The summary lines: (figure, value, unit).
#[must_use]
pub fn summary_lines(tables: &Tables) -> Vec<(String, String, &'static str)> {
    let s = &tables.summary;
    let mut lines = vec![
        (children_figure(s).into(), children(s.children), "children"),
        ("Placed in borough".into(), children(s.placed_in_borough), "children"),
        ("Placed out of borough".into(), children(s.placed_out_of_borough), "children"),
        (
            "Placed at independent or non-maintained schools (in or out)".into(),
            children(s.placed_independent),
            "children",
        ),
        ("Unmet need (no suitable place)".into(), children(s.unmet), "children"),
        ("Annual cost: places".into(), s.placement_cost.to_string(), "a year"),
        ("Annual cost: transport".into(), s.transport_cost.to_string(), "a year"),
        ("Annual cost: total spend".into(), s.annual_cost().to_string(), "a year"),
        ("Policy weight: out of borough (not spent)".into(), s.out_of_borough_weight.to_string(), "a year"),
        ("Policy penalty: unmet need (not spent)".into(), s.unmet_penalty.to_string(), "a year"),
        ("Mean journey each way".into(), format!("{:.1}", s.mean_journey_minutes), "minutes"),
        ("Mean journey each way, distance".into(), format!("{:.1}", s.mean_journey_km), "km"),
        ("Worst journey each way".into(), format!("{:.1}", s.worst_journey_minutes), "minutes"),
    ];
    if let Some(specialist) = s.specialist_children {
        lines.insert(1, (OF_WHOM_SPECIALIST.into(), children(specialist), "children"));
    }
    lines
}

/// The summary's first figure: children needing a specialist place, or, where the model
/// holds every EHC plan (some of them met in mainstream, alternative provision or
/// elsewhere), children with an EHC plan, followed by [`OF_WHOM_SPECIALIST`].
#[must_use]
pub fn children_figure(s: &Summary) -> &'static str {
    if s.specialist_children.is_some() {
        "Forecast children with an EHC plan"
    } else {
        "Forecast children needing a specialist place"
    }
}

/// The summary line under [`children_figure`] where the model holds every EHC plan.
pub const OF_WHOM_SPECIALIST: &str = "  of whom needing a specialist place";

/// A need × phase grid as a table with row totals; `all_rows` keeps needs with no
/// children and adds a total row. `None` when there is nothing to show.
#[must_use]
pub fn need_phase_table(model: &Model, values: &[Vec<f64>], all_rows: bool) -> Option<String> {
    let mut headers: Vec<&str> = vec!["need"];
    headers.extend(model.phases.iter().map(|p| p.code.as_str()));
    headers.push("total");
    let mut rows = Vec::new();
    let mut column_totals = vec![0.0; model.phases.len()];
    for (n, row_values) in values.iter().enumerate() {
        let total: f64 = row_values.iter().sum();
        for (t, v) in column_totals.iter_mut().zip(row_values) {
            *t += v;
        }
        if all_rows || total > 0.0 {
            let mut row = vec![model.needs[n].clone()];
            row.extend(row_values.iter().map(|v| children(*v)));
            row.push(children(total));
            rows.push(row);
        }
    }
    if rows.is_empty() {
        return None;
    }
    if all_rows {
        let mut row = vec!["total".to_string()];
        row.extend(column_totals.iter().map(|v| children(*v)));
        row.push(children(column_totals.iter().sum()));
        rows.push(row);
    }
    let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 0).collect();
    Some(grid(&headers, &rows, &numeric))
}

/// The plan for the terminal: summary, unmet need by need and phase, gaps, setting use.
#[must_use]
pub fn plan(run: &Run, tables: &Tables) -> String {
    let model = &run.model;
    let f = &tables.facts;
    let mut out = String::new();
    let _ = writeln!(out, "{} — placement plan for {}", f.model, f.planning_year);
    let _ = writeln!(
        out,
        "Solver {} ({} objective; {}); {} columns, {} rows; travel: {}",
        f.solver, f.objective, f.optimality, f.columns, f.rows, f.travel
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = summary_lines(tables).into_iter().map(|(a, b, c)| vec![a, b, c.to_string()]).collect();
    out.push_str(&grid(&["Summary", "value", "unit"], &rows, &[false, true, false]));

    out.push_str("\nUnmet need by need and phase (children)\n");
    let unmet = model.demand.iter().zip(&run.plan.unmet).map(|(d, u)| (d.need, d.phase, *u));
    let unmet = need_phase_table(model, &need_phase_grid(model, unmet), false);
    out.push_str(unmet.as_deref().unwrap_or("none: every child has a suitable place\n"));

    out.push_str("\nPlaced out of borough by need and phase (children)\n");
    let away = run.plan.placements.iter().filter(|p| !model.setting(p.setting).in_borough).map(|p| {
        let d = &model.demand[p.demand];
        (d.need, d.phase, p.children)
    });
    let away = need_phase_table(model, &need_phase_grid(model, away), false);
    out.push_str(away.as_deref().unwrap_or("none: every child placed is placed in the borough\n"));

    if !tables.gaps.is_empty() {
        out.push_str("\nGaps: unmet need by need, phase and locality\n");
        let rows: Vec<Vec<String>> = tables
            .gaps
            .iter()
            .map(|g| {
                vec![
                    g.need.clone(),
                    g.phase.clone(),
                    g.locality_name.clone(),
                    g.provision.to_string(),
                    children(g.forecast),
                    children(g.unmet),
                    g.reason.clone(),
                ]
            })
            .collect();
        out.push_str(&grid(
            &["need", "phase", "locality", "provision", "forecast", "unmet", "why"],
            &rows,
            &[false, false, false, false, true, true, false],
        ));
    }

    out.push_str("\nSetting use (all needs)\n");
    let rows: Vec<Vec<String>> = tables
        .setting_use
        .iter()
        .filter(|u| u.need == "all")
        .map(|u| {
            vec![
                u.setting_name.clone(),
                u.kind.to_string(),
                if u.in_borough { "in".into() } else { "out".into() },
                u.places.map_or_else(|| "no limit".to_string(), children),
                children(u.used),
                u.free.map_or_else(|| "-".to_string(), children),
            ]
        })
        .collect();
    out.push_str(&grid(
        &["setting", "kind", "borough", "places", "used", "free"],
        &rows,
        &[false, false, false, true, true, true],
    ));
    let _ = writeln!(
        out,
        "\n{} placement lines; write every table with --out DIR, or use --format csv or json.",
        tables.placements.len()
    );
    out
}

/// `shown` (a difference's size as shown) with the difference's sign, unless it shows as
/// zero: a difference of 0.0004 children is "0.0", not "+0.0" or "-0.0".
#[must_use]
pub fn with_sign(shown: String, d: f64) -> String {
    let zero = !shown.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if zero {
        ""
    } else if d > 0.0 {
        "+"
    } else {
        "-"
    };
    format!("{sign}{shown}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_that_shows_as_zero_has_no_sign() {
        assert_eq!(with_sign(format!("{:.1}", 1e-13_f64.abs()), -1e-13), "0.0");
        assert_eq!(with_sign(format!("{:.1}", 0.04_f64), 0.04), "0.0");
        assert_eq!(with_sign("6.7".into(), -6.7), "-6.7");
        assert_eq!(with_sign("1,234.5".into(), 1234.5), "+1,234.5");
    }

    #[test]
    fn children_show_one_decimal_place() {
        assert_eq!(children(0.0), "0.0");
        assert_eq!(children(0.04), "0.0");
        assert_eq!(children(12.34), "12.3");
        assert_eq!(children(1234.96), "1,235.0");
    }

    #[test]
    fn grid_aligns_numbers_right() {
        let text = grid(&["a", "n"], &[vec!["x".into(), "5".into()], vec!["yy".into(), "10".into()]], &[false, true]);
        assert_eq!(text, "a    n\n--  --\nx    5\nyy  10\n");
    }
}
