//! Transport commissioning options (`tables.transport_options`): independent travel training,
//! personal transport budgets and shared routes, each with its take-up and terms.

use std::collections::HashMap;
use std::path::Path;

use super::purchasing::codes_or_all;
use super::table::Row;
use super::{Problems, Tables, first_use, quoted};
use crate::model::{Money, TransportKind, TransportOption};

/// The kinds of transport option, as written in the `kind` column, each with its own columns.
const KINDS: [(&str, &[&str]); 3] = [
    ("travel-training", &["cost_per_child", "lasts_years"]),
    ("personal-budget", &["per_mile"]),
    ("shared-route", &["saving_share"]),
];

/// Longest a travel training's saving may be said to last, in years.
const LONGEST_LASTING: f64 = 20.0;

/// Reads the transport options, if the model names the table.
pub(crate) fn read(tables: &Tables<'_>, path: Option<&Path>, problems: &mut Problems) -> Vec<TransportOption> {
    if path.is_none() && !tables.src.adds("transport_options") {
        return Vec::new();
    }
    let Some(table) = tables.src.open("transport_options", path, problems) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let needs = codes_or_all(&row, "needs", tables, true, problems);
        let phases = codes_or_all(&row, "phases", tables, false, problems);
        let take_up = row.number_in("take_up", 0.0, 1.0, problems);
        let kind = kind_at(&row, problems);
        let (Some(id), Some(name), Some(needs), Some(phases), Some(take_up), Some(kind)) =
            (id, name, needs, phases, take_up, kind)
        else {
            continue;
        };
        if first_use(&mut seen, &id, &row, "id", problems) {
            out.push(TransportOption { id, name, kind, needs, phases, take_up });
        }
    }
    out
}

/// The kind and its terms; the other kinds' columns must be blank.
fn kind_at(row: &Row<'_>, problems: &mut Problems) -> Option<TransportKind> {
    let kind = row.text("kind").to_ascii_lowercase();
    let Some(&(code, _)) = KINDS.iter().find(|(code, _)| *code == kind) else {
        let expected: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
        let found = if kind.is_empty() { "empty".to_string() } else { quoted(row.text("kind")) };
        problems.push(row.problem(
            "kind",
            format!("{found} is not a kind of transport option: expected one of {}", expected.join(", ")),
        ));
        return None;
    };
    let mut ok = true;
    for &(other, columns) in KINDS.iter().filter(|(other, _)| *other != code) {
        for &c in columns {
            if !row.text(c).is_empty() {
                problems
                    .push(row.problem(c, format!("is given for a {code} option: leave it blank (it is for {other})")));
                ok = false;
            }
        }
    }
    let kind = match code {
        "travel-training" => {
            let cost = row.number("cost_per_child", 0.0, problems);
            let years = row.number_in("lasts_years", 0.0, LONGEST_LASTING, problems);
            if years == Some(0.0) {
                problems.push(row.problem("lasts_years", "is 0: expected the years the saving lasts, above 0"));
                return None;
            }
            TransportKind::TravelTraining { cost_per_child: Money(cost?), lasts_years: years? }
        }
        "personal-budget" => TransportKind::PersonalBudget { per_mile: Money(row.number("per_mile", 0.0, problems)?) },
        _ => TransportKind::SharedRoute { saving_share: row.number_in("saving_share", 0.0, 1.0, problems)? },
    };
    ok.then_some(kind)
}
