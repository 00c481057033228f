//! Reports over several years: the plan year by year, the need forecast, and scenarios
//! compared side by side with their differences from the first.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Tables;
use super::csv::{CsvTable, safe_cell};
use super::text::{children, grid, with_sign};
use crate::model::{Model, Money, YearsAhead};
use crate::optimise::plan::Summary;
use crate::planning::forecast::NeedGrid;
use crate::planning::horizon::YearRun;

/// One year's headline figures.
#[derive(Debug, Clone)]
pub struct YearFigures {
    /// Year label.
    pub year: String,
    /// The year's summary.
    pub summary: Summary,
    /// Children who stayed from the year before.
    pub staying: f64,
    /// Children placed afresh because their place was cut or their forecast fell.
    pub moved_by_cuts: f64,
    /// Unmet children by (need, phase) code.
    pub unmet: BTreeMap<(String, String), f64>,
}

impl YearFigures {
    /// The figures of a solved year.
    #[must_use]
    pub fn of(year: &YearRun) -> YearFigures {
        let model = &year.run.model;
        let mut unmet = BTreeMap::new();
        for (d, u) in model.demand.iter().zip(&year.run.plan.unmet) {
            if *u > 0.0 {
                *unmet
                    .entry((model.need_code(d.need).to_string(), model.phase_code(d.phase).to_string()))
                    .or_insert(0.0) += u;
            }
        }
        YearFigures {
            year: year.year.to_string(),
            summary: year.run.plan.summary(model),
            staying: year.staying,
            moved_by_cuts: year.moved_by_cuts,
            unmet,
        }
    }
}

/// A figure of a year, how to show it, and whether it adds up over years.
struct Figure {
    name: &'static str,
    unit: &'static str,
    value: fn(&YearFigures) -> f64,
    money: bool,
    adds_up: bool,
}

const FIGURES: [Figure; 15] = [
    Figure {
        name: "Children needing a specialist place",
        unit: "children",
        value: |y| y.summary.children,
        money: false,
        adds_up: false,
    },
    Figure {
        name: "  of whom staying where they were",
        unit: "children",
        value: |y| y.staying,
        money: false,
        adds_up: false,
    },
    Figure {
        name: "  placed afresh as their place was cut",
        unit: "children",
        value: |y| y.moved_by_cuts,
        money: false,
        adds_up: false,
    },
    Figure {
        name: "Placed in borough",
        unit: "children",
        value: |y| y.summary.placed_in_borough,
        money: false,
        adds_up: false,
    },
    Figure {
        name: "Placed out of borough",
        unit: "children",
        value: |y| y.summary.placed_out_of_borough,
        money: false,
        adds_up: false,
    },
    Figure {
        name: "Placed at independent or non-maintained",
        unit: "children",
        value: |y| y.summary.placed_independent,
        money: false,
        adds_up: false,
    },
    Figure { name: "Unmet need", unit: "children", value: |y| y.summary.unmet, money: false, adds_up: false },
    Figure {
        name: "Cost of places",
        unit: "£ a year",
        value: |y| y.summary.placement_cost.pounds(),
        money: true,
        adds_up: true,
    },
    Figure {
        name: "Cost of transport",
        unit: "£ a year",
        value: |y| y.summary.transport_cost.pounds(),
        money: true,
        adds_up: true,
    },
    Figure {
        name: "Total spend",
        unit: "£ a year",
        value: |y| y.summary.annual_cost().pounds(),
        money: true,
        adds_up: true,
    },
    Figure {
        name: "Policy weight: out of borough (not spent)",
        unit: "£ a year",
        value: |y| y.summary.out_of_borough_weight.pounds(),
        money: true,
        adds_up: true,
    },
    Figure {
        name: "Policy penalty: unmet need (not spent)",
        unit: "£ a year",
        value: |y| y.summary.unmet_penalty.pounds(),
        money: true,
        adds_up: true,
    },
    Figure {
        name: "Spend + policy weights",
        unit: "£ a year",
        value: |y| y.summary.weighted_total().pounds(),
        money: true,
        adds_up: true,
    },
    Figure {
        name: "Mean journey each way",
        unit: "minutes",
        value: |y| y.summary.mean_journey_minutes,
        money: false,
        adds_up: false,
    },
    Figure {
        name: "Worst journey each way",
        unit: "minutes",
        value: |y| y.summary.worst_journey_minutes,
        money: false,
        adds_up: false,
    },
];

/// The first two figures where the model holds every EHC plan, in place of [`FIGURES`]'
/// first: the children with a plan, and of them those needing a specialist place.
const EVERY_PLAN: [Figure; 2] = [
    Figure {
        name: "Children with an EHC plan",
        unit: "children",
        value: |y| y.summary.children,
        money: false,
        adds_up: false,
    },
    Figure {
        name: "  of whom needing a specialist place",
        unit: "children",
        value: |y| y.summary.specialist_children.unwrap_or(y.summary.children),
        money: false,
        adds_up: false,
    },
];

/// The figures shown for these years: [`FIGURES`], with [`EVERY_PLAN`] first where any
/// year's model holds every EHC plan.
fn figures_of(years: &[&YearFigures]) -> Vec<&'static Figure> {
    if years.iter().any(|y| y.summary.specialist_children.is_some()) {
        EVERY_PLAN.iter().chain(&FIGURES[1..]).collect()
    } else {
        FIGURES.iter().collect()
    }
}

fn show(f: &Figure, v: f64) -> String {
    if f.money {
        Money(v).to_string()
    } else if f.unit == "minutes" {
        format!("{v:.1}")
    } else {
        children(v)
    }
}

fn csv_number(v: f64) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

/// The plan for the terminal: figures by year, unmet and out-of-borough by need and phase.
#[must_use]
pub fn plan_text(model: &Model, years: &[YearRun]) -> String {
    let figures: Vec<YearFigures> = years.iter().map(YearFigures::of).collect();
    let mut out = String::new();
    let h = model.horizon.as_ref();
    let _ = writeln!(
        out,
        "{} — plan for {} years from {}{}",
        model.name,
        years.len(),
        model.planning_year,
        h.map(|h| format!(", forecast variant {}", h.variant)).unwrap_or_default()
    );
    if !model.description.is_empty() {
        let _ = writeln!(out, "{}", model.description);
    }
    if let Some(first) = years.first() {
        let t = Tables::new(&first.run);
        let _ = writeln!(
            out,
            "Solver {} ({} objective), each year in turn; travel: {}",
            t.facts.solver, t.facts.objective, t.facts.travel
        );
    }
    out.push('\n');
    let mut headers: Vec<&str> = vec!["figure"];
    headers.extend(figures.iter().map(|f| f.year.as_str()));
    headers.push("all years");
    let rows: Vec<Vec<String>> = figures_of(&figures.iter().collect::<Vec<_>>())
        .into_iter()
        .map(|f| {
            let mut row = vec![f.name.to_string()];
            row.extend(figures.iter().map(|y| show(f, (f.value)(y))));
            row.push(if f.adds_up { show(f, figures.iter().map(|y| (f.value)(y)).sum()) } else { String::new() });
            row
        })
        .collect();
    let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 0).collect();
    out.push_str(&grid(&headers, &rows, &numeric));

    for (title, pick) in
        [("Unmet need by need and phase (children)", 0), ("Placed out of borough by need and phase (children)", 1)]
    {
        let _ = writeln!(out, "\n{title}");
        let mut cells: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
        for (k, yr) in years.iter().enumerate() {
            let m = &yr.run.model;
            let mut add = |need: &str, phase: &str, v: f64| {
                cells.entry((need.to_string(), phase.to_string())).or_insert_with(|| vec![0.0; years.len()])[k] += v;
            };
            if pick == 0 {
                for (d, u) in m.demand.iter().zip(&yr.run.plan.unmet) {
                    if *u > 0.0 {
                        add(m.need_code(d.need), m.phase_code(d.phase), *u);
                    }
                }
            } else {
                for p in yr.run.plan.placements.iter().filter(|p| !m.setting(p.setting).in_borough) {
                    let d = &m.demand[p.demand];
                    add(m.need_code(d.need), m.phase_code(d.phase), p.children);
                }
            }
        }
        cells.retain(|_, v| v.iter().sum::<f64>() >= 0.05);
        if cells.is_empty() {
            out.push_str("none\n");
            continue;
        }
        let mut headers: Vec<&str> = vec!["need", "phase"];
        headers.extend(figures.iter().map(|f| f.year.as_str()));
        let rows = need_phase_rows(model, cells);
        let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 1).collect();
        out.push_str(&grid(&headers, &rows, &numeric));
    }
    out.push_str("\nSpend is for children placed; children with unmet need are counted, and weighed by the policy penalty, not costed.\nWrite every table, year by year, with --out DIR.\n");
    out
}

/// Rows of a need × phase × year table: need, phase, then children each year.
fn need_phase_rows(model: &Model, cells: BTreeMap<(String, String), Vec<f64>>) -> Vec<Vec<String>> {
    ordered(model, cells)
        .into_iter()
        .map(|((n, p), v)| {
            let mut row = vec![n, p];
            row.extend(v.iter().map(|x| children(*x)));
            row
        })
        .collect()
}

/// Need × phase cells in the model's declared order.
fn ordered<V>(model: &Model, cells: BTreeMap<(String, String), V>) -> Vec<((String, String), V)> {
    let mut v: Vec<_> = cells.into_iter().collect();
    let rank = |n: &str, p: &str| {
        (
            model.needs.iter().position(|x| x == n).unwrap_or(usize::MAX),
            model.phases.iter().position(|x| x.code == p).unwrap_or(usize::MAX),
        )
    };
    v.sort_by_key(|((n, p), _)| rank(n, p));
    v
}

/// `summary.csv` of a horizon: a row per figure, a column per year, and the total over the
/// years where the figure adds up.
#[must_use]
pub fn summary_by_year(years: &[YearRun]) -> CsvTable {
    let figures: Vec<YearFigures> = years.iter().map(YearFigures::of).collect();
    let mut headers = vec!["figure".to_string(), "unit".to_string()];
    headers.extend(figures.iter().map(|f| f.year.clone()));
    headers.push("all_years".into());
    let rows = figures_of(&figures.iter().collect::<Vec<_>>())
        .into_iter()
        .map(|f| {
            let mut row = vec![f.name.trim().to_string(), f.unit.to_string()];
            row.extend(figures.iter().map(|y| csv_number((f.value)(y))));
            row.push(if f.adds_up { csv_number(figures.iter().map(|y| (f.value)(y)).sum()) } else { String::new() });
            row
        })
        .collect();
    CsvTable { headers, rows }
}

/// A per-year table of every year, with a year column.
#[must_use]
pub fn each_year(years: &[YearRun], table: fn(&Tables) -> CsvTable) -> CsvTable {
    CsvTable::by_year(years.iter().map(|y| (y.year.to_string(), table(&Tables::new(&y.run)))).collect())
}

/// The forecast for the terminal: children by need and phase (rows) and year (columns).
#[must_use]
pub fn forecast_text(ahead: YearsAhead<'_>, grids: &[NeedGrid]) -> String {
    let (model, h) = (ahead.model(), ahead.horizon());
    let labels: Vec<String> = h.years().map(|y| y.to_string()).collect();
    let mut out = String::new();
    // A model of every EHC plan forecasts children of tiers short of a specialist place too.
    let specialist = |g: &NeedGrid| g.cells().filter(|c| c.3.is_specialist()).map(|c| c.4).sum::<f64>();
    let every_plan = grids.iter().any(|g| g.cells().any(|c| !c.3.is_specialist()));
    let whom = if every_plan { "children with an EHC plan" } else { "children needing a specialist place" };
    let _ = writeln!(out, "{} — {whom}, forecast variant {}", model.name, h.variant);
    let _ = writeln!(
        out,
        "{}\n",
        match &h.need {
            crate::model::NeedByYear::Cohort { .. } =>
                "From the base-year cohort, aged forward with the model's rates.",
            crate::model::NeedByYear::Direct(_) => "The model's own demand by year.",
        }
    );
    let cells = forecast_cells(ahead, grids);
    let mut headers: Vec<&str> = vec!["need", "phase"];
    headers.extend(labels.iter().map(String::as_str));
    let mut rows = need_phase_rows(model, cells);
    let totals: Vec<f64> = grids.iter().map(NeedGrid::total).collect();
    let mut total = vec!["total".to_string(), String::new()];
    total.extend(totals.iter().map(|t| children(*t)));
    rows.push(total);
    if every_plan {
        let mut of_whom = vec!["  of whom needing a specialist place".to_string(), String::new()];
        of_whom.extend(grids.iter().map(|g| children(specialist(g))));
        rows.push(of_whom);
    }
    let mut growth = vec!["growth on the year".to_string(), String::new(), String::new()];
    growth.extend(
        totals.windows(2).map(
            |w| {
                if w[0] > 0.0 { format!("{:+.1}%", 100.0 * (w[1] / w[0] - 1.0)) } else { String::new() }
            },
        ),
    );
    rows.push(growth);
    let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 1).collect();
    out.push_str(&grid(&headers, &rows, &numeric));
    out
}

fn forecast_cells(ahead: YearsAhead<'_>, grids: &[NeedGrid]) -> BTreeMap<(String, String), Vec<f64>> {
    let (model, h) = (ahead.model(), ahead.horizon());
    let mut cells: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for (k, g) in grids.iter().enumerate() {
        for (_, n, yg, _, v) in g.cells() {
            let Some(phase) = h.phase_of(yg) else {
                continue;
            };
            cells
                .entry((model.need_code(n).to_string(), model.phase_code(phase).to_string()))
                .or_insert_with(|| vec![0.0; grids.len()])[k] += v;
        }
    }
    cells
}

/// `forecast.csv`: year, locality, need, year group, phase, provision, children.
#[must_use]
pub fn forecast_csv(ahead: YearsAhead<'_>, grids: &[NeedGrid]) -> CsvTable {
    let (model, h) = (ahead.model(), ahead.horizon());
    let mut rows = Vec::new();
    for (year, g) in h.years().zip(grids) {
        for (l, n, yg, p, v) in g.cells() {
            let phase = h.phase_of(yg).map_or("", |ph| model.phase_code(ph));
            rows.push(vec![
                year.to_string(),
                safe_cell(&model.locality(l).id),
                safe_cell(model.need_code(n)),
                yg.to_string(),
                safe_cell(phase),
                p.code().to_string(),
                format!("{v:.3}"),
            ]);
        }
    }
    CsvTable {
        headers: ["year", "locality", "need", "year_group", "phase", "provision", "children"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// One scenario's figures by year, for comparing.
#[derive(Debug, Clone)]
pub struct ScenarioFigures {
    /// The scenario's name (from its model file).
    pub name: String,
    /// Figures by year.
    pub years: Vec<YearFigures>,
}

/// Scenarios side by side: each figure by year and over all years, then the differences
/// from the first scenario.
#[must_use]
pub fn compare_table(scenarios: &[ScenarioFigures]) -> CsvTable {
    let years: Vec<String> = {
        let mut y: Vec<String> = scenarios.iter().flat_map(|s| s.years.iter().map(|y| y.year.clone())).collect();
        y.sort();
        y.dedup();
        y
    };
    let mut headers = vec!["figure".to_string(), "unit".to_string(), "year".to_string()];
    headers.extend(scenarios.iter().map(|s| s.name.clone()));
    headers.extend(scenarios.iter().skip(1).map(|s| format!("change: {}", s.name)));
    let value = |s: &ScenarioFigures, f: &Figure, year: Option<&str>| -> Option<f64> {
        match year {
            Some(y) => s.years.iter().find(|x| x.year == y).map(|x| (f.value)(x)),
            None if f.adds_up => Some(s.years.iter().map(|x| (f.value)(x)).sum()),
            None => None,
        }
    };
    let mut rows = Vec::new();
    for f in figures_of(&scenarios.iter().flat_map(|s| &s.years).collect::<Vec<_>>()) {
        let mut periods: Vec<Option<&str>> = years.iter().map(|y| Some(y.as_str())).collect();
        if f.adds_up {
            periods.push(None);
        }
        for period in periods {
            let values: Vec<Option<f64>> = scenarios.iter().map(|s| value(s, f, period)).collect();
            let mut row =
                vec![f.name.trim().to_string(), f.unit.to_string(), period.unwrap_or("all years").to_string()];
            row.extend(values.iter().map(|v| v.map_or(String::new(), |v| show(f, v))));
            row.extend(values.iter().skip(1).map(|v| match (v, values[0]) {
                (Some(v), Some(b)) => signed(f, v - b),
                _ => String::new(),
            }));
            rows.push(row);
        }
    }
    // Unmet need by need and phase, over all years (child-years).
    let mut cells: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for (i, s) in scenarios.iter().enumerate() {
        for y in &s.years {
            for (k, v) in &y.unmet {
                cells.entry(k.clone()).or_insert_with(|| vec![0.0; scenarios.len()])[i] += v;
            }
        }
    }
    for ((need, phase), v) in cells {
        let mut row = vec![format!("Unmet need: {need} {phase}"), "child-years".into(), "all years".into()];
        row.extend(v.iter().map(|x| children(*x)));
        row.extend(v.iter().skip(1).map(|x| with_sign(format!("{:.1}", (x - v[0]).abs()), x - v[0])));
        rows.push(row);
    }
    CsvTable { headers, rows }
}

fn signed(f: &Figure, d: f64) -> String {
    with_sign(show(f, d.abs()), d)
}

/// The comparison for the terminal.
#[must_use]
pub fn compare_text(scenarios: &[ScenarioFigures]) -> String {
    let table = compare_table(scenarios);
    let headers: Vec<&str> = table.headers.iter().map(String::as_str).collect();
    let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 2).collect();
    let mut out = format!(
        "Scenarios compared; each \"change\" column is the difference from the first ({}).\nSpend is for children placed; children with unmet need are counted, and weighed by the policy penalty, not costed.\n\n",
        scenarios.first().map_or("", |s| s.name.as_str())
    );
    out.push_str(&grid(&headers, &table.rows, &numeric));
    out
}

#[cfg(test)]
mod tests {
    use super::with_sign;

    #[test]
    fn a_difference_that_shows_as_zero_has_no_sign() {
        assert_eq!(with_sign(format!("{:.1}", 0.0004_f64.abs()), 0.0004), "0.0");
        assert_eq!(with_sign(format!("{:.1}", 0.0004_f64.abs()), -0.0004), "0.0");
        assert_eq!(with_sign(format!("{:.1}", 0.06_f64), 0.06), "+0.1");
        assert_eq!(with_sign("£0".into(), -0.3), "£0");
        assert_eq!(with_sign("£1,024".into(), -1_024.0), "-£1,024");
    }
}
