//! The localities and settings tables: the home areas children come from, the settings that
//! place them, and a setting's terms for one need.

use std::collections::HashMap;
use std::path::Path;

use super::codes::Codes;
use super::ids::{Ids, first_line, first_use, reference};
use super::sources::Sources;
use super::tables::{in_borough_position, position};
use super::{Problem, Problems, quoted, table, tidy};
use crate::model::{Locality, Money, Need, NeedTerms, Setting, SettingKind};

pub(super) fn read_localities(
    src: &Sources<'_>,
    path: &Path,
    problems: &mut Problems,
) -> (Vec<Locality>, Vec<usize>, Ids) {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let Some(table) = src.open("localities", Some(path), problems) else {
        return (out, lines, Ids::unreadable());
    };
    let mut ids = Ids::default();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let position = position(&row, problems);
        let in_borough = row.yes_no("in_borough", problems);
        let (Some(id), Some(name), Some(position), Some(in_borough)) = (id, name, position, in_borough) else {
            ids.reject(row.text("id"));
            continue;
        };
        if !in_borough_position(&row, position, in_borough, problems) {
            ids.reject(&id);
            continue;
        }
        if first_use(&mut seen, &id, &row, "id", problems) {
            ids.add(&id);
            out.push(Locality { id, name, position, in_borough });
            lines.push(row.line);
        }
    }
    for id in table.broken_cells("id") {
        ids.reject(id);
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(Problem::file(&tidy(path), "has no localities: expected at least one row"));
    }
    (out, lines, ids)
}

/// The kind of setting in a row's `kind` cell, or a problem naming the kinds.
pub(super) fn kind_at(row: &table::Row<'_>, problems: &mut Problems) -> Option<SettingKind> {
    let text = row.text("kind");
    let kind = SettingKind::from_code(&text.to_ascii_lowercase());
    if kind.is_none() {
        let kinds: Vec<&str> = SettingKind::ALL.iter().map(|k| k.code()).collect();
        problems.push(row.problem(
            "kind",
            format!("{} is not a kind of setting: expected one of {}", quoted(text), kinds.join(", ")),
        ));
    }
    kind
}

/// A setting's optional `urn` (digits, up to 8) and `ukprn` (8 digits) cells.
pub(super) fn register_at(row: &table::Row<'_>, problems: &mut Problems) -> Option<crate::model::Register> {
    let mut ok = true;
    let mut read = |column: &str, fits: fn(&str) -> bool, expected: &str| {
        let t = row.text(column);
        if t.is_empty() {
            None
        } else if fits(t) {
            Some(t.to_string())
        } else {
            problems.push(row.problem(column, format!("{} is not a {expected}", quoted(t))));
            ok = false;
            None
        }
    };
    let urn = read(
        "urn",
        |t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()),
        "URN: expected the school's unique reference number in digits (e.g. 111505), or blank",
    );
    let ukprn = read(
        "ukprn",
        |t| t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()),
        "UKPRN: expected the provider's 8-digit UK provider reference number (e.g. 10001234), or blank",
    );
    ok.then_some(crate::model::Register { urn, ukprn })
}

pub(super) fn read_settings(
    src: &Sources<'_>,
    path: &Path,
    codes: &Codes<'_>,
    localities: &[Locality],
    problems: &mut Problems,
) -> (Vec<Setting>, Vec<usize>, Ids) {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let Some(table) = src.open("settings", Some(path), problems) else {
        return (out, lines, Ids::unreadable());
    };
    let mut ids = Ids::default();
    let mut seen = HashMap::new();
    // The borough's settings lie near its localities: one far beyond them is told (see `england`).
    let borough = super::england::around(
        localities.iter().filter(|l| l.in_borough).map(|l| (l.position.y(), l.position.x())),
        super::england::BOROUGH_MARGIN_KM,
    );
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let kind = kind_at(&row, problems);
        let position = position(&row, problems);
        let in_borough = row.yes_no("in_borough", problems);
        let places = row.count("places", problems);
        let phases = codes.phases_at(&row, "phases", problems);
        let needs = codes.needs_at(&row, "needs", problems);
        let cost = row.number("cost_per_place", 0.0, problems);
        let register = register_at(&row, problems);
        let (
            Some(id),
            Some(name),
            Some(kind),
            Some(position),
            Some(in_borough),
            Some(places),
            Some(phases),
            Some(needs),
            Some(cost),
            Some(register),
        ) = (id, name, kind, position, in_borough, places, phases, needs, cost, register)
        else {
            ids.reject(row.text("id"));
            continue;
        };
        if !in_borough_position(&row, position, in_borough, problems) {
            ids.reject(&id);
            continue;
        }
        if in_borough && borough.is_some_and(|b| !b.holds(position.y(), position.x())) {
            src.notes.borrow_mut().push(row.problem(
                "latitude",
                format!(
                    "setting {} is in the borough but more than {} km beyond the box around the in-borough \
                     localities: check its latitude and longitude (read as given)",
                    quoted(&id),
                    super::england::BOROUGH_MARGIN_KM
                ),
            ));
        }
        if kind == SettingKind::IndependentMarket {
            problems.push(row.problem(
                "kind",
                "independent-market is for the steps of the market table (tables.market), not a named setting",
            ));
            ids.reject(&id);
            continue;
        }
        if first_use(&mut seen, &id, &row, "id", problems) {
            ids.add(&id);
            out.push(Setting {
                id,
                name,
                kind,
                position,
                in_borough,
                places,
                phases,
                needs,
                cost_per_place: Money(cost),
                need_terms: Vec::new(),
                market: None,
                register,
                programme_tiers: Vec::new(),
            });
            lines.push(row.line);
        }
    }
    for id in table.broken_cells("id") {
        ids.reject(id);
    }
    (out, lines, ids)
}

pub(super) fn read_setting_needs(
    src: &Sources<'_>,
    path: Option<&Path>,
    codes: &Codes<'_>,
    (index, settings): (&Ids, &mut [Setting]),
    problems: &mut Problems,
) {
    let Some(table) = src.open("setting_needs", path, problems) else {
        return;
    };
    let mut seen: HashMap<(usize, Need), usize> = HashMap::new();
    for row in table.rows() {
        let setting_text = row.text("setting");
        let setting = reference(&row, "setting", index, "a setting id in the settings table", problems);
        let need = codes.need_at(&row, "need", problems);
        let places = row.optional_count("places", problems);
        let cost = row.optional_number("cost_per_place", 0.0, problems);
        let (Some(s), Some(need)) = (setting, need) else {
            continue;
        };
        if !settings[s].needs.contains(need.0) {
            problems.push(row.problem(
                "need",
                format!(
                    "setting '{setting_text}' does not serve {}: add it to the setting's needs or remove this row",
                    codes.needs[need.0]
                ),
            ));
            continue;
        }
        if let Some(first) = first_line(&mut seen, (s, need), row.line) {
            problems.push(row.row_problem(format!(
                "duplicate row for setting '{setting_text}' and need {}: first at line {first}",
                codes.needs[need.0]
            )));
            continue;
        }
        settings[s].need_terms.push(NeedTerms { need, places, cost_per_place: cost.map(Money) });
    }
}
