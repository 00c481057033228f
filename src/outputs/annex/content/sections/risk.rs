//! The risk section: the chosen schemes' business case again in many possible futures
//! (`[risk]`), what was varied and by how much, the saving each year and the high-needs
//! block's cumulative deficit with and without the schemes as fan charts, and the chance of
//! paying back and of meeting the deficit target. Money, not counts: nothing here goes
//! through disclosure control.

use std::collections::BTreeMap;

use crate::model::{Money, Triangle};
use crate::outputs::annex::svg::{self, Fan};
use crate::outputs::annex::{Column, Figure, Table, Unit, Value};
use crate::planning::high_needs::Block;
use crate::planning::risk::Percentiles;

use crate::outputs::annex::content::builder::{Builder, Part};
use crate::outputs::annex::content::draft::{Draft, number, text};
use crate::outputs::annex::content::figures::Sketch;
use crate::outputs::annex::content::inputs::RiskPart;
use crate::outputs::annex::content::words::{plain, portfolio_names};

/// The tables' ids, which the charts read.
const SAVING: &str = "risk-saving";
const DEFICIT: &str = "risk-deficit";

/// Money as the tables round it: "£12,165,000".
fn pounds(m: Money) -> String {
    Unit::Pounds.format(Unit::Pounds.round(m.0))
}

/// A share of the futures as a percentage: "55%".
fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// "between £a and £b (middle £c)".
fn range(p: &Percentiles) -> String {
    format!("between {} and {} (middle {})", pounds(p.p10), pounds(p.p90), pounds(p.p50))
}

/// A spread of a multiplier in words: "from 5% lower to 20% higher, most likely as stated".
fn multiplier(t: &Triangle, what: &str) -> String {
    let change = |v: f64| {
        let p = plain(((v - 1.0) * 100.0 * 10.0).round() / 10.0);
        match v {
            v if (v - 1.0).abs() < 1e-9 => "as estimated".to_string(),
            v if v < 1.0 => format!("{}% lower", p.trim_start_matches('-')),
            _ => format!("{p}% higher"),
        }
    };
    if t.high - t.low < 1e-12 {
        format!("{what} {}", change(t.likely))
    } else if (t.low - 1.0).abs() < 1e-9 {
        format!("{what} as estimated or up to {}, most likely {}", change(t.high), change(t.likely))
    } else {
        format!("{what} from {} to {}, most likely {}", change(t.low), change(t.high), change(t.likely))
    }
}

/// The P10, P50 and P90 of the cumulative deficit at the end of each year over the futures,
/// without and with the schemes: (year, without, with).
fn deficit_by_year(
    part: &RiskPart<'_>,
    model: &crate::model::Model,
) -> Option<Vec<(String, Percentiles, Percentiles)>> {
    let blocks: Vec<Block> = part.cases.iter().map(|c| Block::of_case(model, c)).collect::<Option<_>>()?;
    let first = blocks.first()?;
    let (without, with): (Vec<Vec<Money>>, Vec<Vec<Money>>) =
        blocks.iter().map(|b| (b.without.cumulative_deficit(), b.with.cumulative_deficit())).unzip();
    let rows = first
        .with
        .years()
        .iter()
        .enumerate()
        .map(|(k, y)| {
            (
                y.year.to_string(),
                Percentiles::of(without.iter().map(|d| d[k].0)),
                Percentiles::of(with.iter().map(|d| d[k].0)),
            )
        })
        .collect();
    Some(rows)
}

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn risk_section(&mut self, part: RiskPart<'_>) {
        let model = self.model;
        let s = part.summary;
        if s.draws == 0 || s.saving.is_empty() {
            return;
        }
        self.section("risk", "Risk: the programme in many possible futures");
        let r = &model.risk;
        let cohort = matches!(model.horizon.as_ref().map(|h| &h.need), Some(crate::model::NeedByYear::Cohort { .. }));
        let need = match (&r.need_variants, cohort) {
            (Some((low, high)), true) => format!(
                "need for specialist places grows, need by need and phase, anywhere between the '{low}' and the \
                 '{high}' forecasts, most likely as the central forecast"
            ),
            _ => "need is as the central forecast".to_string(),
        };
        let points = |v: f64| plain((v * 1000.0).round() / 10.0);
        let fees = if r.fee_rise.high - r.fee_rise.low < 1e-12 {
            "independent school fees rise as assumed".to_string()
        } else {
            let unit = |v: f64| if points(v) == "1" { "percentage point" } else { "percentage points" };
            format!(
                "independent school fees rise each year by from {} {} less to {} {} more than assumed, most likely \
                 as assumed, the same rise every year of a future",
                points(-r.fee_rise.low),
                unit(-r.fee_rise.low),
                points(r.fee_rise.high),
                unit(r.fee_rise.high)
            )
        };
        let market = multiplier(&r.market_price, "places bought from independent providers cost");
        let capital = multiplier(&r.capital_overrun, "each scheme's building cost is");
        let late = if r.late_chance > 0.0 {
            format!("each scheme has a {} chance of opening a year late", percent(r.late_chance))
        } else {
            "every scheme opens on time".to_string()
        };
        let chosen = self.inputs.schemes.map_or_else(
            || "the chosen schemes".to_string(),
            |p| format!("the chosen schemes ({})", portfolio_names(model, &p.appraised.chosen.portfolio)),
        );
        self.add(Part::Paragraph(format!(
            "The business case above is for one future: the central forecast, with prices and costs as estimated. To \
             show how far its figures could move, the business case of {chosen} was worked out again in {} possible \
             futures, drawn at random (the same futures each time the annex is made, from the number {}). In each \
             future, {need}; {fees}; {market}; {capital}; and {late}. Each is drawn from a range with a least, a most \
             likely and a greatest value. In every future the years are planned both with and without the schemes, \
             and set against each other.",
            s.draws, s.seed
        )));
        let years: Vec<String> = s.saving.iter().map(|(y, _)| y.to_string()).collect();
        let last = years.last().cloned().unwrap_or_default();
        let (_, last_saving) = s.saving[s.saving.len() - 1];
        let first_paid = s.payback_by.iter().find(|p| p.chance >= 0.5).map_or_else(
            || format!("fewer than half of the futures have paid back by the end of {last}"),
            |p| format!("half of the futures or more have paid back by the end of {} ({})", p.year, percent(p.chance)),
        );
        self.add(Part::Paragraph(format!(
            "In {last}, the schemes save {} in 8 futures in 10. Savings to date reach the capital spent: {first_paid}; \
             counting the years after {last} at that year's saving, {} of the futures pay back. The capital is {}, \
             and the present value (savings less capital, discounted) {}, in 8 futures in 10.",
            range(&last_saving),
            percent(s.pays_back),
            range(&s.capital),
            range(&s.present_value),
        )));
        let mut t = Draft::new(
            SAVING,
            "The saving each year over the futures, and the chance of having paid back",
            format!(
                "Over the {} futures: the saving on places and transport each year (building the schemes against \
                 building nothing), its 10th percentile (one future in ten saves this or less), middle (50th) and 90th \
                 percentile (one future in ten saves more); and the share of the futures whose savings to date reach \
                 the capital by the end of the year.",
                s.draws
            ),
            vec![
                Column::new("Year", Unit::Text),
                Column::new("Saving, 10th percentile", Unit::Pounds),
                Column::new("Saving, middle", Unit::Pounds),
                Column::new("Saving, 90th percentile", Unit::Pounds),
                Column::new("Paid back by the end of the year", Unit::Percent),
            ],
        );
        for ((year, p), paid) in s.saving.iter().zip(&s.payback_by) {
            t.rows.push(vec![
                text(year.to_string()),
                number(p.p10.0),
                number(p.p50.0),
                number(p.p90.0),
                number(paid.chance * 100.0),
            ]);
        }
        self.add(Part::Table(t));
        self.add(Part::Figure(Sketch::RiskSaving));
        let mut totals = Draft::new(
            "risk-totals",
            "Capital and present value over the futures",
            "The 10th percentile, middle (50th) and 90th percentile over the futures of the capital spent on the \
             schemes and of the present value (the savings less the capital, discounted). Pays back: the share of \
             futures whose savings reach the capital within the years planned or after them at the last year's \
             saving.",
            vec![
                Column::new("Figure", Unit::Text),
                Column::new("10th percentile", Unit::Pounds),
                Column::new("Middle", Unit::Pounds),
                Column::new("90th percentile", Unit::Pounds),
                Column::new("Share of futures", Unit::Percent),
            ],
        );
        let blank = || crate::outputs::annex::content::draft::Cell::Value(Value::Blank);
        for (name, p) in [("Capital", &s.capital), ("Present value", &s.present_value)] {
            totals.rows.push(vec![text(name), number(p.p10.0), number(p.p50.0), number(p.p90.0), blank()]);
        }
        totals.rows.push(vec![text("Pays back"), blank(), blank(), blank(), number(s.pays_back * 100.0)]);
        let deficit = s.deficit.as_ref().zip(deficit_by_year(&part, model));
        if let Some((d, _)) = &deficit
            && let Some((target, without, with)) = d.target
        {
            let at = |which: &str| {
                format!("Cumulative deficit at the end of {} at or below {}, {which}", d.year, pounds(target))
            };
            totals.rows.push(vec![text(at("without the schemes")), blank(), blank(), blank(), number(without * 100.0)]);
            totals.rows.push(vec![text(at("with the schemes")), blank(), blank(), blank(), number(with * 100.0)]);
        }
        self.add(Part::Table(totals));
        let Some((d, by_year)) = deficit else { return };
        let target = d.target.map_or_else(String::new, |(t, without, with)| {
            format!(
                " The council's target for the end of {} is {}: {} of the futures meet it with the schemes, {} \
                 without them.",
                d.year,
                pounds(t),
                percent(with),
                percent(without)
            )
        });
        self.add(Part::Paragraph(format!(
            "The high-needs block's cumulative deficit at the end of {}, in 8 futures in 10: without the schemes {}; \
             with them {}.{target} Only the spending on places changes from one future to another: the grant and the \
             other high-needs spending are as stated above in every future.",
            d.year,
            range(&d.without),
            range(&d.with),
        )));
        let mut t = Draft::new(
            DEFICIT,
            "The high-needs block's cumulative deficit over the futures, with and without the chosen schemes",
            "The cumulative deficit at the end of each year (as in the high-needs block table), its 10th percentile, \
             middle (50th) and 90th percentile over the futures, without and with the schemes.",
            vec![
                Column::new("Year", Unit::Text),
                Column::new("Without, 10th percentile", Unit::Pounds),
                Column::new("Without, middle", Unit::Pounds),
                Column::new("Without, 90th percentile", Unit::Pounds),
                Column::new("With, 10th percentile", Unit::Pounds),
                Column::new("With, middle", Unit::Pounds),
                Column::new("With, 90th percentile", Unit::Pounds),
            ],
        );
        for (year, without, with) in by_year {
            t.rows.push(vec![
                text(year),
                number(without.p10.0),
                number(without.p50.0),
                number(without.p90.0),
                number(with.p10.0),
                number(with.p50.0),
                number(with.p90.0),
            ]);
        }
        self.add(Part::Table(t));
        self.add(Part::Figure(Sketch::RiskDeficit));
    }
}

/// Columns `from`, `from + 1` and `from + 2` of a published table as a fan in £ million,
/// and its years.
fn fan_of(t: &Table, name: &str, from: usize) -> (Vec<String>, Fan) {
    let column = |c: usize| -> Vec<f64> {
        t.rows
            .iter()
            .map(|row| match row.get(c) {
                Some(Value::Number(v)) => *v / 1e6,
                _ => 0.0,
            })
            .collect()
    };
    let years = t
        .rows
        .iter()
        .map(|row| match row.first() {
            Some(Value::Text(y)) => y.clone(),
            _ => String::new(),
        })
        .collect();
    (years, Fan { name: name.into(), low: column(from), middle: column(from + 1), high: column(from + 2) })
}

/// The fan chart of the saving each year, from the published table.
pub(in crate::outputs::annex::content) fn saving_chart(tables: &BTreeMap<String, Table>) -> Figure {
    let (years, fan) = fan_of(&tables[SAVING], "Saving", 1);
    Figure {
        id: "chart-risk-saving".into(),
        title: "The saving each year over the futures".into(),
        caption: "A fan chart, in £ million: the band spans the 10th to the 90th percentile of the saving each year \
                  over the futures (8 futures in 10 fall inside it), and the line is the middle future. The table \
                  above gives the figures to the £1,000."
            .into(),
        svg: svg::fan_chart(&years, &[fan], None, "£ million", "The saving each year over the futures"),
    }
}

/// The fan chart of the cumulative deficit without and with the schemes, from the published
/// table, with the model's target if it states one.
pub(in crate::outputs::annex::content) fn deficit_chart(
    tables: &BTreeMap<String, Table>,
    target: Option<Money>,
) -> Figure {
    let t = &tables[DEFICIT];
    let (years, without) = fan_of(t, "Without the schemes", 1);
    let (_, with) = fan_of(t, "With the schemes", 4);
    let target_words = if target.is_some() { "; the dashed line is the council's target" } else { "" };
    Figure {
        id: "chart-risk-deficit".into(),
        title: "The high-needs block's cumulative deficit over the futures, with and without the chosen schemes".into(),
        caption: format!(
            "A fan chart, in £ million: each band spans the 10th to the 90th percentile of the cumulative deficit at \
             the end of each year over the futures (8 futures in 10 fall inside it), without the schemes (orange) \
             and with them (dark blue, drawn over the orange where they overlap); each line is the middle future, \
             named at its end{target_words}. The table above gives the figures to the £1,000."
        ),
        svg: svg::fan_chart(
            &years,
            &[without, with],
            target.map(|t| t.0 / 1e6),
            "£ million",
            "The high-needs block's cumulative deficit over the futures",
        ),
    }
}
