//! `tables.market`: the independent and non-maintained market, places bought by need and
//! phase beyond the named schools, in steps of rising price.

use std::collections::HashMap;
use std::path::Path;

use geo::Point;

use super::table::Row;
use super::{Codes, Problems, Sources, quoted};
use crate::model::{Journey, Locality, MarketStep, Money, Residence, Setting, SettingKind, TransportCosts};

/// Reads the market's steps as settings of kind [`SettingKind::IndependentMarket`], out of
/// the borough, placed (for maps only) at the middle of the localities. `taken` holds the
/// settings table's ids, which a step may not reuse; `longest` is the longest journey limit
/// of any phase, which a day place must be within.
pub(super) fn read(
    src: &Sources<'_>,
    path: Option<&Path>,
    codes: &Codes<'_>,
    context: (&[Locality], &TransportCosts, &[String], f64),
    problems: &mut Problems,
) -> Vec<Setting> {
    let (localities, transport, taken, longest) = context;
    let Some(table) = src.open("market", path, problems) else {
        return Vec::new();
    };
    let n = localities.len().max(1) as f64;
    let middle = Point::new(
        localities.iter().map(|l| l.position.x()).sum::<f64>() / n,
        localities.iter().map(|l| l.position.y()).sum::<f64>() / n,
    );
    let mut steps = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let needs = codes.needs_at(&row, "needs", problems);
        let phases = codes.phases_at(&row, "phases", problems);
        let places = row.optional_count("places", problems);
        let cost = row.number("cost_per_place", 0.0, problems);
        let minutes = row.number("journey_minutes", 0.0, problems);
        let km = row.optional_number("journey_km", 0.0, problems);
        let residence = residence_at(&row, problems);
        let transport_per_child = row.optional_number("transport_per_child", 0.0, problems).map(Money);
        let (Some(id), Some(name), Some(needs), Some(phases), Some(cost), Some(minutes), Some(residence)) =
            (id, name, needs, phases, cost, minutes, residence)
        else {
            continue;
        };
        if taken.contains(&id) {
            problems
                .push(row.problem("id", format!("{} is already a setting id: expected an id of its own", quoted(&id))));
            continue;
        }
        if let Some(first) = super::first_line(&mut seen, id.clone(), row.line) {
            problems.push(row.problem("id", format!("duplicate id '{id}': first used at line {first}")));
            continue;
        }
        if residence == Residence::Day && minutes > longest {
            problems.push(row.problem(
                "journey_minutes",
                format!(
                    "a day place {minutes} minutes away is beyond every phase's journey limit (at most {longest}): \
                     expected a shorter journey, or residence 38-week or 52-week"
                ),
            ));
            continue;
        }
        if residence != Residence::Day && transport_per_child.is_none() {
            problems.push(row.problem(
                "transport_per_child",
                "missing: a residential place needs its transport a year (journeys home at weekends or end of term)",
            ));
            continue;
        }
        let km = km.unwrap_or(minutes / 60.0 * transport.average_speed_kmh);
        steps.push(Setting {
            id,
            name,
            kind: SettingKind::IndependentMarket,
            position: middle,
            in_borough: false,
            places: places.unwrap_or(f64::INFINITY),
            phases,
            needs,
            cost_per_place: Money(cost),
            need_terms: Vec::new(),
            register: crate::model::Register::default(),
            programme_tiers: Vec::new(),
            market: Some(MarketStep { journey: Journey { minutes, km }, residence, transport_per_child }),
        });
    }
    steps
}

/// A `residence` cell: blank or `day`, `38-week`, `52-week`.
pub(crate) fn residence_at(row: &Row<'_>, problems: &mut Problems) -> Option<Residence> {
    let text = row.text("residence");
    match text.to_ascii_lowercase().as_str() {
        "" | "day" => Some(Residence::Day),
        "38-week" => Some(Residence::Weeks38),
        "52-week" => Some(Residence::Weeks52),
        _ => {
            problems.push(row.problem(
                "residence",
                format!("{} is not a kind of place: expected day, 38-week or 52-week", quoted(text)),
            ));
            None
        }
    }
}
