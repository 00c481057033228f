//! The summary on the first page (need now and in the last year, places and how full they
//! are, the gap by home area, the programme and what it leaves, cost) and the words of
//! "What the council will do". Both are written after disclosure control, from the tables
//! as published: every figure they quote is one a table shows, so they reveal nothing the
//! tables withhold.

use std::collections::BTreeMap;

use crate::model::Model;
use crate::outputs::annex::markdown::escape;
use crate::outputs::annex::{Item, Section, Table, Unit, Value};

use crate::outputs::annex::content::inputs::Inputs;
use crate::outputs::annex::content::words::{in_words, portfolio_names};

/// A published table's figure: the row whose first cell is `row` (or the last row, for
/// `None`), the column headed `column`; `None` when it is withheld, blank or absent.
fn figure(t: &Table, row: Option<&str>, column: &str) -> Option<f64> {
    let c = t.columns.iter().position(|c| c.heading == column)?;
    let r = match row {
        Some(label) => t.rows.iter().find(|r| matches!(r.first(), Some(Value::Text(l)) if l == label))?,
        None => t.rows.last()?,
    };
    match r.get(c) {
        Some(Value::Number(v)) => Some(*v),
        _ => None,
    }
}

/// A figure in words as its table shows it, or "a number withheld to protect children's
/// privacy" when it is not published.
fn shown(t: &Table, row: Option<&str>, column: &str) -> String {
    let unit = t.columns.iter().find(|c| c.heading == column).map_or(Unit::Children, |c| c.unit);
    figure(t, row, column).map_or_else(|| "a number not published (see the method appendix)".into(), |v| unit.format(v))
}

/// The years of the annex, first and last.
fn first_last(years: &[String]) -> (&str, &str) {
    (years[0].as_str(), years[years.len() - 1].as_str())
}

/// The summary section, first in the annex.
pub(in crate::outputs::annex::content) fn summary(
    model: &Model,
    inputs: &Inputs<'_>,
    tables: &BTreeMap<String, Table>,
    years: &[String],
) -> Section {
    let (first, last) = first_last(years);
    let one_year = first == last;
    let mut points = Vec::new();
    // Need, by need group.
    if let Some(t) = tables.get("need-by-year") {
        let groups: Vec<String> = t.rows[..t.rows.len() - t.totals]
            .iter()
            .filter_map(|r| match r.first() {
                Some(Value::Text(need)) => {
                    Some(format!("{} {} to {}", escape(need), shown(t, Some(need), first), shown(t, Some(need), last)))
                }
                _ => None,
            })
            .collect();
        let need = if model.holds_every_plan() { "have EHC plans" } else { "with EHC plans need a specialist place" };
        points.push(format!(
            "**Need.** {} children and young people {need} in {first}; {} are forecast to in {last}, {} more. By \
             primary need: {}.",
            shown(t, Some("All needs"), first),
            shown(t, Some("All needs"), last),
            shown(t, Some("All needs"), &format!("Growth {first} to {last}")),
            groups.join("; ")
        ));
    } else if let Some(t) = tables.get("need-by-phase") {
        let need = if model.holds_every_plan() { "have EHC plans" } else { "with EHC plans need a specialist place" };
        points.push(format!(
            "**Need.** {} children and young people {need} in {first}.",
            shown(t, Some("All needs"), "All phases")
        ));
    }
    // Places and how full they are.
    if let Some(t) = tables.get("places-by-kind") {
        let later = if one_year {
            String::new()
        } else {
            format!(
                " In {last} the borough has {} places, with the changes to places the council has planned (see \
                 \"What the council will do\").",
                shown(t, Some("All settings"), &format!("Places in borough {last}"))
            )
        };
        points.push(format!(
            "**Places.** The borough's special schools, resourced provisions and specialist post-16 \
             institutions have {} places in {first}, {} full.{later}",
            shown(t, Some("All settings"), &format!("Places in borough {first}")),
            shown(t, Some("All settings"), &format!("Occupancy {first}")),
        ));
    }
    // The gap, by home area.
    if let Some(t) = tables.get("places-required-by-area") {
        let mut areas: Vec<(String, f64)> = t.rows[..t.rows.len() - t.totals]
            .iter()
            .filter_map(|r| match r.first() {
                Some(Value::Text(area)) => figure(t, Some(area), last).map(|v| (area.clone(), v)),
                _ => None,
            })
            .filter(|(_, v)| *v > 0.0)
            .collect();
        areas.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top: Vec<String> =
            areas.iter().take(3).map(|(a, v)| format!("{} ({})", escape(a), Unit::Children.format(*v))).collect();
        let most = if top.is_empty() { String::new() } else { format!(" The most are from {}.", in_words(&top)) };
        points.push(format!(
            "**The gap.** {} additional places are required in {last}: children who must go outside the borough \
             because every suitable place in it is full, or who have no place at all.{most}",
            shown(t, None, last)
        ));
    }
    // The programme and what it leaves.
    match (inputs.schemes, tables.get("scheme-portfolio"), tables.get("out-of-borough-with-schemes")) {
        (Some(part), Some(p), Some(o)) if part.appraised.chosen.portfolio.0.iter().any(|&m| m > 0) => {
            let chosen = figure(p, None, "Places added").map_or_else(String::new, |v| Unit::Places.format(v));
            let capital = figure(p, None, "Capital").map_or_else(String::new, |v| Unit::Pounds.format(v));
            points.push(format!(
                "**The programme.** The capital schemes chosen ({}) add {chosen} places for {capital} of capital. \
                 With them, in {last}, {} children are expected to be placed outside the borough, against {} \
                 without them.",
                escape(&portfolio_names(model, &part.appraised.chosen.portfolio)),
                shown(o, Some("All needs"), &format!("{last} with schemes")),
                shown(o, Some("All needs"), &format!("{last} without schemes")),
            ));
        }
        _ => points.push(
            "**The programme.** The plan names no new capital schemes: what it leaves is in \"What the council will \
             do\"."
                .into(),
        ),
    }
    // Cost.
    if let Some(t) = tables.get("placements-by-year") {
        let spend = if one_year {
            format!("{} in {first}", shown(t, Some(first), "Total spend"))
        } else {
            format!(
                "{} in {first}, forecast to be {} in {last}",
                shown(t, Some(first), "Total spend"),
                shown(t, Some(last), "Total spend")
            )
        };
        points.push(format!(
            "**Cost.** Specialist places and transport to them cost {spend} (today's prices{}).",
            if model.uplift.any() { ", with the cost rises in the method appendix" } else { "" }
        ));
    }
    let mut items = vec![Item::Markdown(points.iter().map(|p| format!("- {p}\n")).collect())];
    let contact = model.annex.contact.as_deref().map_or_else(
        || "Questions about this annex: contact the council.".to_string(),
        |c| format!("Questions about this annex: {}.", escape(c)),
    );
    let review = model
        .annex
        .review_date
        .as_deref()
        .map_or_else(String::new, |d| format!(" The statement will next be reviewed in {}.", escape(d)));
    items.push(Item::Markdown(format!(
        "{contact}{review} Every table is also in the workbook [annex.xlsx](annex.xlsx) (a sheet a table) and as a \
         CSV file in the [tables](tables/) folder (listed under \"Data files\")."
    )));
    Section { id: "summary".into(), heading: "Summary".into(), items }
}

/// The words of "What the council will do", before its tables: the programme, and what it
/// leaves to places bought outside the borough.
pub(in crate::outputs::annex::content) fn plan_words(
    inputs: &Inputs<'_>,
    tables: &BTreeMap<String, Table>,
    years: &[String],
) -> Vec<Item> {
    let (_, last) = first_last(years);
    let mut items = Vec::new();
    let chosen = inputs.schemes.is_some_and(|p| p.appraised.chosen.portfolio.0.iter().any(|&m| m > 0));
    let planned = tables.contains_key("programme");
    items.push(Item::Paragraph(match (chosen, planned) {
        (true, _) => "The council's programme is the set of capital schemes that costs least over the years planned \
                      (see \"Capital schemes appraised\"), with the changes to places it has already agreed. The \
                      table below gives each with the year it opens and its places."
            .into(),
        (false, true) => "The plan builds no new capital schemes. The changes to places the council has already \
                          agreed are in the table below."
            .into(),
        (false, false) => "The plan builds no new capital schemes and the model changes no setting's places.".into(),
    }));
    let left = match (chosen, tables.get("out-of-borough-with-schemes")) {
        (true, Some(o)) => Some((
            shown(o, Some("All needs"), &format!("{last} with schemes")),
            figure(o, Some("No place available, all needs"), &format!("{last} with schemes")),
        )),
        _ => tables
            .get("placements-by-year")
            .map(|t| (shown(t, Some(last), "Placed out of borough"), figure(t, Some(last), "No place available"))),
    };
    if let Some((out, unmet)) = left {
        let unmet = match unmet {
            Some(v) if v > 0.0 => format!(", and {} children have no place available", Unit::Children.format(v)),
            _ => String::new(),
        };
        let after = if chosen { " after the programme" } else { "" };
        items.push(Item::Paragraph(format!(
            "What it leaves: {out} children are expected to need a place outside the borough in {last}{after}{unmet}. \
             The plan meets that need with places bought from independent and non-maintained special schools and \
             other authorities' schools; the plan itself states no further response, which is for the council's \
             commentary in the statement."
        )));
    }
    items
}
