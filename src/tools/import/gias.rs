//! The settings table from the DfE's register of schools: Get Information About Schools
//! (GIAS), "all establishment data" (`edubasealldataYYYYMMDD.csv`, Windows-1252, one row per
//! establishment, open and closed).
//!
//! Kept: open special schools (maintained, academy and free, non-maintained, independent,
//! specialist post-16) and the resourced provisions and SEN units of open mainstream
//! schools; every one in the borough, and those outside it within a distance. Each row
//! becomes a setting: its URN as the id, its kind from the type of establishment, its
//! phases from the statutory age range, its needs from the `SEN1 (name)` … `SEN13 (name)`
//! columns, its places from the capacity, in or out of the borough from the LA code, and
//! its grid reference converted to latitude and longitude ([`super::bng`]). GIAS has no
//! costs: each kind's cost per place is the median of the model's settings of that kind,
//! or a default ([`DEFAULT_COST`]), and the table says which in `cost_per_place_from`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::bng::{self, GridRef, LatLon};
use crate::model::input::england;
use crate::model::input::table::{Row, Table, parse_number};
use crate::model::input::{Problem, Problems};
use crate::model::{DEFAULT_PHASE_YEAR_GROUPS, Model, SettingKind};
use crate::outputs::report::csv::safe_cell;

mod costs;
use costs::costs;
pub use costs::{DEFAULT_COST, KindCost};

/// GIAS's columns read, as its header row spells them.
pub mod column {
    /// Unique reference number.
    pub const URN: &str = "URN";
    /// Local authority code (3 digits).
    pub const LA_CODE: &str = "LA (code)";
    /// Local authority name.
    pub const LA_NAME: &str = "LA (name)";
    /// Name.
    pub const NAME: &str = "EstablishmentName";
    /// Type of establishment.
    pub const TYPE: &str = "TypeOfEstablishment (name)";
    /// Open, closed, ...
    pub const STATUS: &str = "EstablishmentStatus (name)";
    /// Youngest age, years.
    pub const LOW_AGE: &str = "StatutoryLowAge";
    /// Oldest age, years.
    pub const HIGH_AGE: &str = "StatutoryHighAge";
    /// Capacity.
    pub const CAPACITY: &str = "SchoolCapacity";
    /// Pupils on roll.
    pub const PUPILS: &str = "NumberOfPupils";
    /// National Grid easting, metres.
    pub const EASTING: &str = "Easting";
    /// National Grid northing, metres.
    pub const NORTHING: &str = "Northing";
    /// Resourced provision, SEN unit, both or neither.
    pub const RESOURCED: &str = "TypeOfResourcedProvision (name)";
    /// Places in the resourced provision.
    pub const RP_CAPACITY: &str = "ResourcedProvisionCapacity";
    /// Pupils in the resourced provision.
    pub const RP_ON_ROLL: &str = "ResourcedProvisionOnRoll";
    /// Places in the SEN unit.
    pub const UNIT_CAPACITY: &str = "SenUnitCapacity";
    /// Pupils in the SEN unit.
    pub const UNIT_ON_ROLL: &str = "SenUnitOnRoll";
}

/// The twelve need codes of the `SEN# (name)` values (their text before " - ").
pub const NEED_CODES: [&str; 12] =
    ["ASD", "SEMH", "SLCN", "MLD", "SLD", "PMLD", "SpLD", "HI", "VI", "MSI", "PD", "OTH"];

/// Where the borough is and what is near it.
#[derive(Debug)]
pub enum Near<'a> {
    /// A model: its localities are the places distances are measured from; the borough is
    /// the authority of the establishments nearest its in-borough localities; its settings
    /// give the costs; its needs and phases the codes.
    Model(&'a Model),
    /// A local authority, by its 3-digit code or its name as GIAS spells it: distances are
    /// measured from its open establishments.
    Authority(&'a str),
}

/// The setting kind of a type of establishment, before the borough is known (a state
/// special school outside it becomes [`SettingKind::OtherAuthoritySpecial`]); `None` for a
/// type that is not a special school (a mainstream school is kept only for its units).
#[must_use]
pub fn special_kind(type_name: &str) -> Option<SettingKind> {
    let t = type_name.trim().to_ascii_lowercase();
    if t.contains("post 16") || t.contains("post-16") {
        return t.contains("special").then_some(SettingKind::SpecialistPost16);
    }
    if !t.contains("special") {
        return None;
    }
    Some(if t.contains("non-maintained") {
        SettingKind::NonMaintainedSpecial
    } else if t.contains("independent") {
        SettingKind::IndependentSpecial
    } else if t.contains("academy") || t.contains("free school") {
        SettingKind::AcademySpecial
    } else {
        SettingKind::MaintainedSpecial
    })
}

/// Whether `TypeOfResourcedProvision (name)` says the school has a resourced provision or
/// an SEN unit.
#[must_use]
pub fn has_unit(resourced: &str) -> bool {
    let t = resourced.trim().to_ascii_lowercase();
    t.contains("resourced provision") || t.contains("sen unit")
}

/// Whether an establishment is open (`Open`, or `Open, but proposed to close`).
#[must_use]
pub fn is_open(status: &str) -> bool {
    status.trim().to_ascii_lowercase().starts_with("open")
}

/// The phases (of `phases`, each with its first and last year group) that an age range
/// reaches. A child of age `a` on 31 August is in year group `a − 4` (reception is 0), so
/// statutory ages `low` to `high` are year groups `low − 4` to `high − 5` (2 to 19:
/// nursery to year 14).
#[must_use]
pub fn phases_for_ages<'p>(low: i32, high: i32, phases: &[(&'p str, i8, i8)]) -> Vec<&'p str> {
    let (first, last) = (low - 4, high - 5);
    phases
        .iter()
        .filter(|(_, a, b)| i32::from(*a) <= last && i32::from(*b) >= first)
        .map(|(code, _, _)| *code)
        .collect()
}

/// The need code of a `SEN# (name)` value (`ASD - Autistic Spectrum Disorder` → `ASD`),
/// among `declared` (ignoring case); `Ok(None)` for a blank or `Not Applicable`.
///
/// # Errors
/// The code, when it is not one declared (an old `BESD`, say).
pub fn need_of<'d>(value: &str, declared: &'d [String]) -> Result<Option<&'d str>, String> {
    let v = value.trim();
    if v.is_empty() || v.eq_ignore_ascii_case("not applicable") {
        return Ok(None);
    }
    let code = v.split(" - ").next().unwrap_or(v).trim();
    declared.iter().find(|d| d.eq_ignore_ascii_case(code)).map(|d| Some(d.as_str())).ok_or_else(|| code.to_string())
}

/// A setting read from GIAS.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The URN.
    pub urn: String,
    /// Name.
    pub name: String,
    /// Kind, the borough known.
    pub kind: SettingKind,
    /// Where.
    pub position: LatLon,
    /// In the borough.
    pub in_borough: bool,
    /// Places.
    pub places: f64,
    /// Phase codes (all of the model's: written `all`).
    pub phases: Vec<String>,
    /// Need codes (none found: written `all`).
    pub needs: Vec<String>,
    /// LA code and name.
    pub la: (String, String),
    /// Type of establishment as GIAS names it.
    pub type_name: String,
}

/// What an import found.
#[derive(Debug)]
pub struct Import {
    /// The borough: LA code and name.
    pub borough: (String, String),
    /// How the borough was found.
    pub borough_from: String,
    /// The settings kept, in the borough first, by kind and name.
    pub settings: Vec<Imported>,
    /// Cost per place of each kind kept.
    pub costs: Vec<KindCost>,
    /// Rows kept but changed, or left out for a fault (each with file, line and field).
    pub warnings: Vec<Problem>,
    /// Rows left out, by reason, in words, with counts.
    pub left_out: BTreeMap<&'static str, usize>,
    /// All phase codes, for writing `all`.
    all_phases: Vec<String>,
}

/// A special school or unit found in the file, before the borough is known.
struct Candidate {
    line: usize,
    urn: String,
    name: String,
    kind: SettingKind,
    position: Option<LatLon>,
    places: f64,
    phases: Vec<String>,
    needs: Vec<String>,
    la: (String, String),
    type_name: String,
    /// Problems that leave it out if it is kept (grid reference, ages).
    faults: Vec<Problem>,
    /// Problems worth telling if it is kept.
    notes: Vec<Problem>,
}

const LEFT_CLOSED: &str = "closed or not yet open";
const LEFT_MAINSTREAM: &str = "not a special school and no resourced provision or SEN unit";
const LEFT_FAR: &str = "outside the borough and further than the distance given";
const LEFT_FAULT: &str = "in the borough but with a fault (warnings above)";
const LEFT_FAULT_ELSEWHERE: &str = "outside the borough without a usable grid reference or age range";
const LEFT_DUPLICATE: &str = "a URN already read";

/// Reads the GIAS file at `path` (shown as `shown`) and keeps the settings of the borough
/// `near` names, and those outside it within `within_km`.
///
/// # Errors
/// The file cannot be read, lacks a column, or `near` names no authority in it.
pub fn import(path: &Path, shown: &Path, near: &Near, within_km: f64) -> Result<Import, Problems> {
    use column::*;
    let mut problems = Problems::default();
    let lower = |c: &str| c.to_ascii_lowercase();
    let required: Vec<String> = [
        URN,
        LA_CODE,
        LA_NAME,
        NAME,
        TYPE,
        STATUS,
        LOW_AGE,
        HIGH_AGE,
        CAPACITY,
        EASTING,
        NORTHING,
        RESOURCED,
        RP_CAPACITY,
        UNIT_CAPACITY,
        "SEN1 (name)",
    ]
    .iter()
    .map(|c| lower(c))
    .collect();
    let required: Vec<&str> = required.iter().map(String::as_str).collect();
    let Some(table) = Table::read(path, shown, &required, &[], &mut problems) else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (needs, phases): (Vec<String>, Vec<(String, i8, i8)>) = match near {
        Near::Model(m) => (
            m.needs.clone(),
            m.phases
                .iter()
                .filter_map(|p| {
                    let yg = m
                        .horizon
                        .as_ref()
                        .and_then(|h| m.phases.iter().position(|q| q.code == p.code).map(|i| h.phase_year_groups[i]));
                    let (a, b) = match yg {
                        Some((a, b)) => (a.0, b.0),
                        None => DEFAULT_PHASE_YEAR_GROUPS.iter().find(|d| d.0 == p.code).map(|d| (d.1, d.2))?,
                    };
                    Some((p.code.clone(), a, b))
                })
                .collect(),
        ),
        Near::Authority(_) => (
            NEED_CODES.iter().map(ToString::to_string).collect(),
            DEFAULT_PHASE_YEAR_GROUPS.iter().map(|(c, a, b)| ((*c).to_string(), *a, *b)).collect(),
        ),
    };
    let phase_refs: Vec<(&str, i8, i8)> = phases.iter().map(|(c, a, b)| (c.as_str(), *a, *b)).collect();
    let mut left_out: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut candidates = Vec::new();
    // Every open establishment with a grid reference: (LA code, LA name, where).
    let mut open: Vec<(String, String, LatLon)> = Vec::new();
    for row in table.rows() {
        let la = (row.text(&lower(LA_CODE)).to_string(), row.text(&lower(LA_NAME)).to_string());
        if !is_open(row.text(&lower(STATUS))) {
            *left_out.entry(LEFT_CLOSED).or_default() += 1;
            continue;
        }
        let grid = grid_ref(&row);
        if let Ok(p) = grid {
            open.push((la.0.clone(), la.1.clone(), p));
        }
        let type_name = row.text(&lower(TYPE)).to_string();
        let kind = match special_kind(&type_name) {
            Some(k) => k,
            None if has_unit(row.text(&lower(RESOURCED))) => SettingKind::ResourcedProvision,
            None => {
                *left_out.entry(LEFT_MAINSTREAM).or_default() += 1;
                continue;
            }
        };
        let mut faults = Vec::new();
        let mut notes = Vec::new();
        let position = grid.map_err(|p| faults.push(p)).ok();
        let row_phases = match (age(&row, LOW_AGE), age(&row, HIGH_AGE)) {
            (Ok(lo), Ok(hi)) => {
                let ps = phases_for_ages(lo, hi, &phase_refs);
                if ps.is_empty() {
                    faults.push(row.problem(
                        HIGH_AGE,
                        format!("ages {lo} to {hi} reach none of the model's phases: expected an age range of school age; the school is left out"),
                    ));
                }
                ps.into_iter().map(ToString::to_string).collect()
            }
            (Err(p), _) | (_, Err(p)) => {
                faults.push(p);
                Vec::new()
            }
        };
        let mut row_needs: Vec<String> = Vec::new();
        for i in 1..=13 {
            let col = format!("SEN{i} (name)");
            match need_of(row.text(&lower(&col)), &needs) {
                Ok(Some(n)) if !row_needs.iter().any(|m| m == n) => row_needs.push(n.to_string()),
                Ok(_) => {}
                Err(code) => notes.push(row.problem(
                    &col,
                    format!(
                        "{} is not a need code of the model ('{code}'): expected one of {}; left out of the setting's needs",
                        crate::model::input::quoted(row.text(&lower(&col))),
                        needs.join(", ")
                    ),
                )),
            }
        }
        if row_needs.is_empty() {
            notes.push(row.row_problem(
                "lists no type of SEN provision in SEN1 (name) to SEN13 (name): its needs are written 'all': narrow them by hand",
            ));
        }
        // What the settings table takes, so that every row written passes `check`.
        let urn = row.text(&lower(URN));
        if urn.is_empty() || urn.len() > 8 || !urn.bytes().all(|b| b.is_ascii_digit()) {
            faults.push(row.problem(
                URN,
                format!(
                    "{} is not a URN: expected the establishment's number, digits only (at most 8); the school is left out: add it by hand",
                    crate::model::input::quoted(urn)
                ),
            ));
        }
        if row.text(&lower(NAME)).trim().is_empty() {
            faults.push(
                row.problem(
                    NAME,
                    "is blank: expected the establishment's name; the school is left out: add it by hand",
                ),
            );
        } else if let Some(why) = crate::model::input::table::name_problem(row.text(&lower(NAME))) {
            faults.push(row.problem(NAME, format!("{why}; the school is left out: add it by hand")));
        }
        let places = places(&row, kind, &mut notes);
        candidates.push(Candidate {
            line: row.line,
            urn: row.text(&lower(URN)).to_string(),
            name: row.text(&lower(NAME)).to_string(),
            kind,
            position,
            places,
            phases: row_phases,
            needs: row_needs,
            la,
            type_name,
            faults,
            notes,
        });
    }
    // The borough, and the points distances are measured from.
    let (borough, borough_from, from): (_, String, Vec<LatLon>) = match near {
        Near::Authority(text) => {
            let t = text.trim();
            let hit = open.iter().find(|(code, name, _)| code == t || name.eq_ignore_ascii_case(t));
            let Some((code, name, _)) = hit else {
                return Err(Problems(vec![Problem {
                    sheet: None,
                    file: "command line".into(),
                    line: None,
                    field: Some("--near".into()),
                    message: format!(
                        "{} is neither a model file nor the code or name of an authority with an open establishment in {}: expected a model file, a 3-digit LA code (895) or an LA name as GIAS spells it (Cheshire East)",
                        crate::model::input::quoted(t),
                        shown.display()
                    ),
                }]));
            };
            let points = open.iter().filter(|(c, _, _)| c == code).map(|(_, _, p)| *p).collect();
            ((code.clone(), name.clone()), "named by --near".to_string(), points)
        }
        Near::Model(m) => {
            let mut votes: BTreeMap<(String, String), usize> = BTreeMap::new();
            let inside: Vec<_> = m.localities.iter().filter(|l| l.in_borough).collect();
            for l in &inside {
                let at = LatLon { latitude: l.position.y(), longitude: l.position.x() };
                let nearest = open.iter().min_by(|a, b| bng::km_between(a.2, at).total_cmp(&bng::km_between(b.2, at)));
                if let Some((code, name, _)) = nearest {
                    *votes.entry((code.clone(), name.clone())).or_default() += 1;
                }
            }
            let Some((la, n)) = votes.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))) else {
                return Err(Problems(vec![Problem::file(
                    shown,
                    "has no open establishment with a grid reference: expected the GIAS 'all establishment data' file",
                )]));
            };
            let from = format!(
                "the authority of the establishments nearest {n} of the model's {} in-borough localities",
                inside.len()
            );
            let points = m.localities.iter().map(|l| LatLon { latitude: l.position.y(), longitude: l.position.x() });
            (la, from, points.collect())
        }
    };
    // With a model, the borough's schools should be near its in-borough localities.
    let borough_box = match near {
        Near::Model(m) => england::around(
            m.localities.iter().filter(|l| l.in_borough).map(|l| (l.position.y(), l.position.x())),
            england::BOROUGH_MARGIN_KM,
        ),
        Near::Authority(_) => None,
    };
    let mut warnings = Vec::new();
    let mut seen = HashSet::new();
    let mut settings = Vec::new();
    for c in candidates {
        let in_borough = c.la.0 == borough.0;
        if !c.faults.is_empty() {
            if in_borough {
                warnings.extend(c.faults);
                *left_out.entry(LEFT_FAULT).or_default() += 1;
            } else {
                *left_out.entry(LEFT_FAULT_ELSEWHERE).or_default() += 1;
            }
            continue;
        }
        let Some(position) = c.position else { continue };
        if !in_borough && !from.iter().any(|p| bng::km_between(*p, position) <= within_km) {
            *left_out.entry(LEFT_FAR).or_default() += 1;
            continue;
        }
        if !seen.insert(c.urn.clone()) {
            warnings.push(Problem::field(
                shown,
                c.line,
                URN,
                format!("{} is already read: this row is left out", c.urn),
            ));
            *left_out.entry(LEFT_DUPLICATE).or_default() += 1;
            continue;
        }
        warnings.extend(c.notes);
        if in_borough && borough_box.is_some_and(|b| !b.holds(position.latitude, position.longitude)) {
            warnings.push(Problem::field(
                shown,
                c.line,
                column::EASTING,
                format!(
                    "puts this school of the borough at latitude {:.3}, longitude {:.3}, more than {} km beyond the \
                     model's in-borough localities: check its grid reference (the school is kept)",
                    position.latitude,
                    position.longitude,
                    england::BOROUGH_MARGIN_KM
                ),
            ));
        }
        let kind = match c.kind {
            SettingKind::MaintainedSpecial | SettingKind::AcademySpecial if !in_borough => {
                SettingKind::OtherAuthoritySpecial
            }
            k => k,
        };
        settings.push(Imported {
            urn: c.urn,
            name: c.name,
            kind,
            position,
            in_borough,
            places: c.places,
            phases: c.phases,
            needs: c.needs,
            la: c.la,
            type_name: c.type_name,
        });
    }
    settings.sort_by(|a, b| {
        (!a.in_borough, kind_order(a.kind), &a.name).cmp(&(!b.in_borough, kind_order(b.kind), &b.name))
    });
    let costs = costs(&settings, near);
    Ok(Import {
        borough,
        borough_from,
        settings,
        costs,
        warnings,
        left_out,
        all_phases: phases.into_iter().map(|p| p.0).collect(),
    })
}

fn kind_order(kind: SettingKind) -> usize {
    SettingKind::ALL.iter().position(|k| *k == kind).unwrap_or(usize::MAX)
}

/// The grid reference of a row, converted.
fn grid_ref(row: &Row) -> Result<LatLon, Problem> {
    use column::{EASTING, NORTHING};
    let read = |col: &str, (lo, hi): (f64, f64), what: &str| {
        let t = row.text(&col.to_ascii_lowercase());
        let bad = |why: &str| {
            row.problem(
                col,
                format!(
                    "{why}: expected {what} on the British National Grid, {} to {} metres; the school is left out: add it by hand",
                    crate::model::input::grouped(lo as usize),
                    crate::model::input::grouped(hi as usize)
                ),
            )
        };
        if t.is_empty() {
            return Err(bad("is blank"));
        }
        match parse_number(t) {
            Some(v) if (lo..=hi).contains(&v) => Ok(v),
            Some(_) => Err(bad(&format!("{} is off the grid", crate::model::input::quoted(t)))),
            None => Err(bad(&format!("{} is not a number", crate::model::input::quoted(t)))),
        }
    };
    let easting = read(EASTING, bng::EASTING_RANGE, "metres east")?;
    let northing = read(NORTHING, bng::NORTHING_RANGE, "metres north")?;
    let at = bng::to_wgs84(GridRef { easting, northing }).ok_or_else(|| {
        row.problem(
            EASTING,
            "cannot be converted to latitude and longitude; the school is left out: add it by hand".to_string(),
        )
    })?;
    // The register is of England's schools: a point outside England (0, 0 is off the Isles of
    // Scilly) is a grid reference mistyped or left at 0.
    if !england::ENGLAND.holds(at.latitude, at.longitude) {
        return Err(row.problem(
            EASTING,
            format!(
                "{} E, {} N is outside England (latitude {:.3}, longitude {:.3}): expected the school's grid \
                 reference; the school is left out: add it by hand",
                crate::model::input::grouped(easting as usize),
                crate::model::input::grouped(northing as usize),
                at.latitude,
                at.longitude
            ),
        ));
    }
    Ok(at)
}

/// A statutory age, 0 to 25.
fn age(row: &Row, col: &str) -> Result<i32, Problem> {
    let t = row.text(&col.to_ascii_lowercase());
    match parse_number(t) {
        Some(v) if v.fract() == 0.0 && (0.0..=25.0).contains(&v) => Ok(v as i32),
        _ => Err(row.problem(
            col,
            format!(
                "{} is not an age: expected whole years, 0 to 25; the school is left out",
                crate::model::input::quoted(t)
            ),
        )),
    }
}

/// Most places a row's capacity may give: far above any school's (the largest special schools
/// have a few hundred).
const MOST_PLACES: f64 = 10_000.0;

/// Places: a special school's capacity, or a unit's (its resourced provision's and SEN
/// unit's capacities added); the pupils on roll where the capacity is blank; 0 where both
/// are, with a note.
fn places(row: &Row, kind: SettingKind, notes: &mut Vec<Problem>) -> f64 {
    use column::*;
    let number = |col: &str, notes: &mut Vec<Problem>| {
        let t = row.text(&col.to_ascii_lowercase());
        if t.is_empty() {
            return None;
        }
        match parse_number(t) {
            Some(v) if (0.0..=MOST_PLACES).contains(&v) => Some(v),
            Some(v) if v > MOST_PLACES => {
                notes.push(row.problem(
                    col,
                    format!(
                        "{} is more places than any school has (at most {}): read as blank",
                        crate::model::input::quoted(t),
                        crate::model::input::grouped(MOST_PLACES as usize)
                    ),
                ));
                None
            }
            _ => {
                notes.push(row.problem(
                    col,
                    format!("{} is not a number of places: read as blank", crate::model::input::quoted(t)),
                ));
                None
            }
        }
    };
    let sum = |cols: &[&str], notes: &mut Vec<Problem>| {
        let vs: Vec<f64> = cols.iter().filter_map(|c| number(c, notes)).collect();
        (!vs.is_empty()).then(|| vs.iter().sum::<f64>())
    };
    let (capacity, on_roll, named): (&[&str], &[&str], &str) = if kind == SettingKind::ResourcedProvision {
        (&[RP_CAPACITY, UNIT_CAPACITY], &[RP_ON_ROLL, UNIT_ON_ROLL], RP_CAPACITY)
    } else {
        (&[CAPACITY], &[PUPILS], CAPACITY)
    };
    if let Some(v) = sum(capacity, notes).filter(|v| *v > 0.0) {
        return v;
    }
    if let Some(v) = sum(on_roll, notes).filter(|v| *v > 0.0) {
        notes.push(
            row.problem(named, format!("is blank: places are the pupils on roll ({v}): check them with the school")),
        );
        return v;
    }
    notes.push(row.problem(named, "is blank, and so is the number on roll: places are written 0: fill them in"));
    0.0
}

/// The header of the settings table written: the model's columns, then notes the loader
/// ignores.
pub const HEADER: [&str; 14] = [
    "id",
    "name",
    "kind",
    "latitude",
    "longitude",
    "in_borough",
    "places",
    "phases",
    "needs",
    "cost_per_place",
    "cost_per_place_from",
    "la_code",
    "la_name",
    "type_of_establishment",
];

impl Import {
    /// The settings table, in the model's format (with three columns of notes the model
    /// ignores), every cell from the file neutralised for spreadsheets.
    ///
    /// # Panics
    /// Never: writing CSV to memory cannot fail.
    #[must_use]
    pub fn settings_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(HEADER).expect("in memory");
        let codes = |v: &[String], all: &[String]| {
            if v.is_empty() || (v.len() == all.len() && all.iter().all(|a| v.contains(a))) {
                "all".to_string()
            } else {
                v.join(";")
            }
        };
        for s in &self.settings {
            let cost = self.costs.iter().find(|c| c.kind == s.kind);
            let cell = |t: &str| safe_cell(&crate::outputs::files::without_control_characters(t));
            w.write_record([
                cell(&s.urn),
                cell(&s.name),
                s.kind.code().to_string(),
                format!("{:.5}", s.position.latitude),
                format!("{:.5}", s.position.longitude),
                if s.in_borough { "yes" } else { "no" }.to_string(),
                format!("{}", s.places),
                codes(&s.phases, &self.all_phases),
                if s.needs.is_empty() { "all".to_string() } else { s.needs.join(";") },
                cost.map_or_else(String::new, |c| format!("{}", c.pounds)),
                cost.map_or_else(String::new, |c| cell(&c.from)),
                cell(&s.la.0),
                cell(&s.la.1),
                cell(&s.type_name),
            ])
            .expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
    }

    /// What was kept and left out, for standard output.
    #[must_use]
    pub fn summary(&self, out: &Path, within_km: f64) -> String {
        let inside = self.settings.iter().filter(|s| s.in_borough).count();
        let mut text = format!(
            "Borough: {} {} ({}).\nWrote {}: {} settings, {} in the borough and {} outside it within {within_km} km.\n",
            self.borough.0,
            self.borough.1,
            self.borough_from,
            out.display(),
            self.settings.len(),
            inside,
            self.settings.len() - inside
        );
        text.push_str("\nkind                     in borough  outside  places  cost per place  from\n");
        for c in &self.costs {
            let of = self.settings.iter().filter(|s| s.kind == c.kind);
            let (mut n_in, mut n_out, mut places) = (0, 0, 0.0);
            for s in of {
                if s.in_borough {
                    n_in += 1;
                } else {
                    n_out += 1;
                }
                places += s.places;
            }
            text.push_str(&format!(
                "{:<23}  {n_in:>10}  {n_out:>7}  {places:>6}  {:>14}  {}\n",
                c.kind.code(),
                format!("£{}", crate::model::input::grouped(c.pounds.round() as usize)),
                c.from
            ));
        }
        if !self.left_out.is_empty() {
            text.push_str("\nRows left out:\n");
            for (why, n) in &self.left_out {
                text.push_str(&format!("  {n:>6}  {why}\n"));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests;
