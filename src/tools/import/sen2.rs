//! The council's own SEN2 person-level return, as COLLECT exports it (the "Blade" CSV
//! export: one file a module, `Blade-Export_DD-MM-YYYY_<module>.csv`), read into the model's
//! base-year tables: where children with a plan are placed now (`current_placements`), and
//! the need they make by home locality, primary need and year group (`cohort`) or phase
//! (`demand`).
//!
//! The rules (models/README.md, "The base year from the council's SEN2 return", says them
//! to the planner):
//! - a child has an **active plan** when a named plan of theirs started on or before the
//!   census date (`referencedate` of the `sen2` module) and did not cease on or before it;
//! - their **main placement** is the placement open at the census (entered on or before it,
//!   not left on or before it) of the lowest `placementrank`, among the placements of the
//!   active-plans record of the request whose plan is active;
//! - their **primary need** is the `senneed` of `sentyperank` 1;
//! - their **year group** is their age on the 31 August before the census's school year
//!   began, less 4 (reception is 0);
//! - their **home locality** is their postcode's in the council's lookup, or the model's
//!   locality nearest the postcode's latitude and longitude in the ONS postcode directory;
//! - **specialist need** is a child whose main placement is a setting of the model (by URN,
//!   else UKPRN; a resourced provision only when the placement says the child is in its SEN
//!   unit or resourced provision). Children elsewhere (mainstream classes, colleges,
//!   arrangements without a URN, settings the model does not hold) are counted, not planned;
//! - but in a **model of every plan**, one with pools (settings short of a specialist place
//!   without a URN or UKPRN), a child elsewhere is written at the pool of their kind nearest
//!   home (`Pools::kind_for` says which kind), at its tier.
//!
//! Names, dates of birth, UPNs and postcodes are read, never written, and never quoted in a
//! problem: every output is a count.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::input::table::Table;
use crate::model::input::{Problem, Problems};
use crate::model::{DEFAULT_PHASE_YEAR_GROUPS, Model, Provision, SettingKind};

mod export;
mod fields;
mod tables;

use export::{Module, date, find_modules, keys, parent, rank, read_lookup};
pub use fields::{Date, year_group};
use fields::{boarding_weeks, flag, postcode_key};

/// The modules read, as their files' names end (`..._<module>.csv`); `plandetail` (the
/// settings the plans name) is optional and only its joins are checked.
pub const MODULES: [&str; 9] = [
    "sen2",
    "person",
    "requests",
    "assessment",
    "namedplan",
    "plandetail",
    "activeplans",
    "placementdetail",
    "senneed",
];

/// Where a child with an active plan is, at the census.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// An active plan, but no placement open at the census.
    NoPlacement,
    /// A setting of the model (its index): specialist need.
    Model(usize),
    /// A mainstream class of a school whose resourced provision or unit is in the model.
    Mainstream(usize),
    /// A URN (or, `true`, a UKPRN) no setting of the model has; whether the placement is in
    /// an SEN unit or resourced provision.
    NotInModel(String, bool, bool),
    /// No URN or UKPRN: the `sensetting` code (blank: `not given`).
    NoUrn(String),
}

/// A model of every plan's pools: its settings of a kind short of a specialist place with
/// no URN or UKPRN (a locality's mainstream schools as one, other arrangements, early years,
/// colleges), by kind. A model of specialist settings only has none, and nothing is pooled.
struct Pools {
    by_kind: Vec<(SettingKind, Vec<usize>)>,
}

impl Pools {
    fn of(model: &Model) -> Pools {
        let mut by_kind: Vec<(SettingKind, Vec<usize>)> = Vec::new();
        for (i, s) in model.settings.iter().enumerate() {
            let pool = s.market.is_none()
                && !s.kind.provision().is_specialist()
                && s.register.urn.is_none()
                && s.register.ukprn.is_none()
                && !s.id.bytes().all(|b| b.is_ascii_digit());
            if !pool {
                continue;
            }
            match by_kind.iter_mut().find(|(k, _)| *k == s.kind) {
                Some((_, list)) => list.push(i),
                None => by_kind.push((s.kind, vec![i])),
            }
        }
        Pools { by_kind }
    }

    /// The kind of pool a child placed here goes to, if the model has pools of it: a
    /// mainstream class (of a school whose unit the model holds, or of a URN it lacks, not in
    /// a unit) to mainstream; a UKPRN the model lacks, not in a unit, to a general FE
    /// college; an early years provider without a URN (`EYP`) to early years; any other
    /// arrangement without a URN to other arrangements. A unit or resourced provision the
    /// model lacks, or no placement, goes to none: they stay counted, not planned.
    fn kind_for(&self, place: &Place) -> Option<SettingKind> {
        let kind = match place {
            Place::Mainstream(_) | Place::NotInModel(_, false, false) => SettingKind::Mainstream,
            Place::NotInModel(_, true, false) => SettingKind::GeneralFe,
            Place::NoUrn(code) if code == "EYP" => SettingKind::EarlyYears,
            Place::NoUrn(_) => SettingKind::OtherArrangements,
            Place::NoPlacement | Place::Model(_) | Place::NotInModel(_, _, true) => return None,
        };
        self.by_kind.iter().any(|(k, _)| *k == kind).then_some(kind)
    }

    /// The pool of `kind` nearest the home locality (the first, where the home is unknown).
    fn nearest(&self, model: &Model, kind: SettingKind, locality: Option<usize>) -> usize {
        let list = self.by_kind.iter().find(|(k, _)| *k == kind).map(|(_, l)| l.as_slice()).unwrap_or_default();
        let Some(l) = locality else { return list[0] };
        let home = model.localities[l].position;
        let far = |s: &usize| crate::model::input::reach::straight_line_km(home, model.settings[*s].position);
        list.iter().copied().min_by(|a, b| far(a).total_cmp(&far(b))).unwrap_or(list[0])
    }
}

/// One counted line of the reconciliation, also written as `reconciliation.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// What is counted (a short code, stable for scripts).
    pub measure: &'static str,
    /// A key within it (a URN, a code), or blank.
    pub key: String,
    /// Children.
    pub children: usize,
}

/// A cell of the tables: indices of the setting, locality and need of the model, the year
/// group (reception 0) and the provision.
pub type Cell = (usize, usize, usize, i32, Provision);

/// What an import found: the tables' rows (counts only) and the reconciliation.
#[derive(Debug)]
pub struct Import {
    /// Census date.
    pub census: Date,
    /// The authority's 3-digit code, as the return gives it.
    pub lea: String,
    /// Which form the postcode lookup was in, in words.
    pub lookup_form: &'static str,
    /// Specialist children by setting, locality, need, year group and provision: children
    /// and, of them, in residential placements.
    pub placed: BTreeMap<Cell, (usize, usize, usize)>,
    /// The reconciliation, in the order printed.
    pub counts: Vec<Count>,
    /// The model's phases with their first and last year group.
    phases: Vec<(String, i32, i32)>,
    /// Ids of the model's settings, localities and needs, for writing.
    setting_ids: Vec<String>,
    locality_ids: Vec<String>,
    needs: Vec<String>,
    /// The school year of the census, and the model's base year, as `2024/25`.
    census_year: String,
    base_year: String,
}

/// The model's phases with their first and last year groups.
fn phase_year_groups(model: &Model) -> Vec<(String, i32, i32)> {
    model
        .phases
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let (a, b) = match &model.horizon {
                Some(h) => (h.phase_year_groups[i].0.0, h.phase_year_groups[i].1.0),
                None => DEFAULT_PHASE_YEAR_GROUPS.iter().find(|d| d.0 == p.code).map(|d| (d.1, d.2))?,
            };
            Some((p.code.clone(), i32::from(a), i32::from(b)))
        })
        .collect()
}

/// Reads the export in `inputs` (its folder, or its files) and the postcode lookup at
/// `lookup`, against `model`'s settings, localities, needs and phases.
///
/// # Errors
/// Every problem with the files, each naming file, line and field (never a person's value).
#[allow(clippy::too_many_lines)]
pub fn import(inputs: &[PathBuf], lookup: &Path, model: &Model) -> Result<Import, Problems> {
    let paths = find_modules(inputs)?;
    let mut problems = Problems::default();
    let required: BTreeMap<&str, (&[&str], &[&str])> = BTreeMap::from([
        ("sen2", (&["sen2tableid", "referencedate"][..], &["lea"][..])),
        ("person", (&["persontableid", "sen2tableid", "personbirthdate", "postcode"][..], &[][..])),
        ("requests", (&["requeststableid", "persontableid"][..], &[][..])),
        ("assessment", (&["assessmenttableid", "requeststableid"][..], &[][..])),
        ("namedplan", (&["namedplantableid", "assessmenttableid", "startdate", "ceasedate"][..], &["planres"][..])),
        ("plandetail", (&["plandetailtableid", "namedplantableid"][..], &[][..])),
        ("activeplans", (&["activeplanstableid", "requeststableid"][..], &["res"][..])),
        (
            "placementdetail",
            (
                &[
                    "placementdetailtableid",
                    "activeplanstableid",
                    "urn",
                    "ukprn",
                    "sensetting",
                    "placementrank",
                    "entrydate",
                    "leavingdate",
                ][..],
                &["senunitindicator", "resourcedprovisionindicator", "res"][..],
            ),
        ),
        ("senneed", (&["senneedtableid", "activeplanstableid", "sentype", "sentyperank"][..], &[][..])),
    ]);
    let mut modules: BTreeMap<&str, Module> = BTreeMap::new();
    for (module, path) in &paths {
        let (req, opt) = required[module];
        if let Some(table) = Table::read(path, path, req, opt, &mut problems) {
            modules.insert(module, Module { table, shown: path.clone() });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let m = |name: &str| &modules[name];
    // The census date.
    let sen2 = m("sen2");
    let mut census = None;
    let mut lea = String::new();
    for (i, row) in sen2.table.rows().enumerate() {
        if i > 0 {
            problems.push(row.row_problem("is a second return: expected the one row of one authority's return"));
            break;
        }
        census = date(&row, "referencedate", true, &mut problems).flatten();
        lea = row.text("lea").to_string();
    }
    if sen2.table.rows().next().is_none() {
        problems.push(Problem::file(
            &sen2.shown,
            "has no rows: expected the return's one row, with its referencedate (the census date)",
        ));
    }
    let sen2_keys = keys(sen2, "sen2tableid", &mut problems);
    // Every module's keys, then each row's parent.
    let person_keys = keys(m("person"), "persontableid", &mut problems);
    let request_keys = keys(m("requests"), "requeststableid", &mut problems);
    let assessment_keys = keys(m("assessment"), "assessmenttableid", &mut problems);
    let plan_keys = keys(m("namedplan"), "namedplantableid", &mut problems);
    let active_keys = keys(m("activeplans"), "activeplanstableid", &mut problems);
    let _ = keys(m("placementdetail"), "placementdetailtableid", &mut problems);
    let _ = keys(m("senneed"), "senneedtableid", &mut problems);

    struct Person {
        birth: Option<Date>,
        postcode: String,
        requests: Vec<usize>,
    }
    let mut people: Vec<Person> = Vec::new();
    for row in m("person").table.rows() {
        parent(&row, "sen2tableid", &sen2_keys, sen2, &mut problems);
        let birth = date(&row, "personbirthdate", false, &mut problems).flatten();
        people.push(Person { birth, postcode: postcode_key(row.text("postcode")), requests: Vec::new() });
    }
    let mut request_person = Vec::new();
    let mut request_plans: Vec<Vec<usize>> = Vec::new();
    let mut request_active: Vec<Vec<usize>> = Vec::new();
    for row in m("requests").table.rows() {
        let p = parent(&row, "persontableid", &person_keys, m("person"), &mut problems);
        if let Some(p) = p {
            people[p].requests.push(request_person.len());
        }
        request_person.push(p);
        request_plans.push(Vec::new());
        request_active.push(Vec::new());
    }
    let assessment_request: Vec<Option<usize>> = m("assessment")
        .table
        .rows()
        .map(|row| parent(&row, "requeststableid", &request_keys, m("requests"), &mut problems))
        .collect();
    struct Plan {
        start: Option<Date>,
        cease: Option<Date>,
        residential: u8,
    }
    let mut plans = Vec::new();
    for row in m("namedplan").table.rows() {
        let a = parent(&row, "assessmenttableid", &assessment_keys, m("assessment"), &mut problems);
        let start = date(&row, "startdate", true, &mut problems).flatten();
        let cease = date(&row, "ceasedate", false, &mut problems).flatten();
        if let Some(r) = a.and_then(|a| assessment_request[a]) {
            request_plans[r].push(plans.len());
        }
        plans.push(Plan { start, cease, residential: boarding_weeks(row.text("planres")) });
    }
    if let Some(pd) = modules.get("plandetail") {
        for row in pd.table.rows() {
            parent(&row, "namedplantableid", &plan_keys, m("namedplan"), &mut problems);
        }
    }
    let mut active_residential = Vec::new();
    let mut active_placements: Vec<Vec<usize>> = Vec::new();
    let mut active_needs: Vec<Vec<(u32, String)>> = Vec::new();
    for row in m("activeplans").table.rows() {
        if let Some(r) = parent(&row, "requeststableid", &request_keys, m("requests"), &mut problems) {
            request_active[r].push(active_residential.len());
        }
        active_residential.push(boarding_weeks(row.text("res")));
        active_placements.push(Vec::new());
        active_needs.push(Vec::new());
    }
    struct Placement {
        urn: String,
        ukprn: String,
        sensetting: String,
        rank: u32,
        entry: Option<Date>,
        leaving: Option<Date>,
        in_unit: bool,
        residential: u8,
    }
    let mut placements = Vec::new();
    for row in m("placementdetail").table.rows() {
        let a = parent(&row, "activeplanstableid", &active_keys, m("activeplans"), &mut problems);
        let rank = rank(&row, "placementrank", &mut problems);
        let entry = date(&row, "entrydate", false, &mut problems);
        let leaving = date(&row, "leavingdate", false, &mut problems);
        let (Some(a), Some(rank), Some(entry), Some(leaving)) = (a, rank, entry, leaving) else { continue };
        active_placements[a].push(placements.len());
        placements.push(Placement {
            urn: row.text("urn").to_string(),
            ukprn: row.text("ukprn").to_string(),
            sensetting: row.text("sensetting").to_ascii_uppercase(),
            rank,
            entry,
            leaving,
            in_unit: flag(row.text("senunitindicator")) || flag(row.text("resourcedprovisionindicator")),
            residential: boarding_weeks(row.text("res")),
        });
    }
    for row in m("senneed").table.rows() {
        let a = parent(&row, "activeplanstableid", &active_keys, m("activeplans"), &mut problems);
        let rank = rank(&row, "sentyperank", &mut problems);
        if let (Some(a), Some(rank)) = (a, rank) {
            active_needs[a].push((rank, row.text("sentype").to_string()));
        }
    }
    // The lookup, for the postcodes of the return.
    let wanted: HashSet<String> = people.iter().map(|p| p.postcode.clone()).filter(|p| !p.is_empty()).collect();
    let lookup = read_lookup(lookup, model, &wanted, &mut problems);
    let (Some(census), Some((lookup, lookup_form)), true) = (census, lookup, problems.is_empty()) else {
        return Err(problems);
    };

    // The model's settings by URN and UKPRN (a setting without a `urn` whose id is all
    // digits, as `import gias` writes them, is known by its id).
    let mut by_urn: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_ukprn: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in model.settings.iter().enumerate().filter(|(_, s)| s.market.is_none()) {
        let urn =
            s.register.urn.as_deref().or_else(|| s.id.bytes().all(|b| b.is_ascii_digit()).then_some(s.id.as_str()));
        if let Some(u) = urn {
            by_urn.entry(u).or_default().push(i);
        }
        if let Some(u) = s.register.ukprn.as_deref() {
            by_ukprn.entry(u).or_default().push(i);
        }
    }
    let place_at = |p: &Placement| -> Place {
        let (list, code, is_ukprn) = if !p.urn.is_empty() {
            (by_urn.get(p.urn.as_str()), &p.urn, false)
        } else if !p.ukprn.is_empty() {
            (by_ukprn.get(p.ukprn.as_str()), &p.ukprn, true)
        } else {
            let code = if p.sensetting.is_empty() { "not given".to_string() } else { p.sensetting.clone() };
            return Place::NoUrn(code);
        };
        let Some(list) = list else { return Place::NotInModel(code.clone(), is_ukprn, p.in_unit) };
        let unit = list.iter().find(|i| model.settings[**i].kind == SettingKind::ResourcedProvision);
        let school = list.iter().find(|i| model.settings[**i].kind != SettingKind::ResourcedProvision);
        match (unit, school, p.in_unit) {
            (Some(u), _, true) => Place::Model(*u),
            (_, Some(s), _) => Place::Model(*s),
            (Some(u), None, false) => Place::Mainstream(*u),
            (None, None, _) => Place::NotInModel(code.clone(), is_ukprn, p.in_unit),
        }
    };
    let pools = Pools::of(model);
    let phases = phase_year_groups(model);
    let need_of = |code: &str| model.needs.iter().position(|n| n.eq_ignore_ascii_case(code.trim()));

    let mut placed: BTreeMap<Cell, (usize, usize, usize)> = BTreeMap::new();
    let mut tally: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    let mut add = |measure: &'static str, key: String| *tally.entry((measure, key)).or_default() += 1;
    for person in &people {
        add("read", String::new());
        // The active plan: the latest started of those open at the census.
        let mut active: Option<(usize, usize)> = None; // (request, plan)
        let (mut ceased, mut later) = (false, false);
        for &r in &person.requests {
            for &p in &request_plans[r] {
                let plan = &plans[p];
                let Some(start) = plan.start else { continue };
                if start > census {
                    later = true;
                } else if plan.cease.is_some_and(|c| c <= census) {
                    ceased = true;
                } else if active.is_none_or(|(_, q)| plans[q].start <= Some(start)) {
                    active = Some((r, p));
                }
            }
        }
        let Some((request, plan)) = active else {
            add(
                "no_active_plan",
                if ceased {
                    "ceased on or before the census"
                } else if later {
                    "starts after the census"
                } else {
                    "no named plan (a request or assessment only)"
                }
                .into(),
            );
            continue;
        };
        add("active", String::new());
        let records = &request_active[request];
        let main = records
            .iter()
            .flat_map(|a| active_placements[*a].iter())
            .map(|i| &placements[*i])
            .filter(|p| p.entry.is_none_or(|d| d <= census) && p.leaving.is_none_or(|d| d > census))
            .min_by_key(|p| p.rank);
        let need = records
            .iter()
            .flat_map(|a| active_needs[*a].iter())
            .find(|(r, _)| *r == 1)
            .map(|(_, code)| code.trim().to_string());
        // The longest boarding any of the plan, its active plans record and the main
        // placement records.
        let weeks = records
            .iter()
            .map(|a| active_residential[*a])
            .chain([plans[plan].residential, main.map_or(0, |p| p.residential)])
            .max()
            .unwrap_or(0);
        let is_residential = weeks > 0;
        // Data quality, over every child with an active plan.
        let locality = lookup.get(&person.postcode).copied();
        if locality.is_none() {
            add("postcode_not_found", String::new());
        }
        let need_ix = match &need {
            None => {
                add("need_missing", "no need of rank 1".into());
                None
            }
            Some(code) => {
                let n = need_of(code);
                if n.is_none() {
                    add("need_missing", if code.is_empty() { "blank".into() } else { code.to_ascii_uppercase() });
                }
                n
            }
        };
        let age = person.birth.map(|b| census.age_of(b));
        if !age.is_some_and(|a| (0..=25).contains(&a)) {
            add("age_outside_0_25", if age.is_none() { "no date of birth".into() } else { String::new() });
        }
        let ncy = person.birth.map(|b| year_group(b, census));
        let phase = ncy.and_then(|y| phases.iter().position(|(_, a, b)| (*a..=*b).contains(&y)));
        let place = main.map_or(Place::NoPlacement, place_at);
        match &place {
            Place::NoPlacement => add("no_placement", String::new()),
            Place::Model(s) => {
                add("specialist", String::new());
                add("specialist_by_kind", model.settings[*s].kind.code().to_string());
            }
            Place::Mainstream(s) => add("mainstream_at_unit_school", model.settings[*s].id.clone()),
            Place::NotInModel(code, ukprn, in_unit) => {
                add(if *ukprn { "not_in_model_ukprn" } else { "not_in_model_urn" }, code.clone());
                if *in_unit {
                    add(if *ukprn { "not_in_model_ukprn_in_unit" } else { "not_in_model_urn_in_unit" }, code.clone());
                }
            }
            Place::NoUrn(code) => add("no_urn", code.clone()),
        }
        // In a model of every plan, a child at a setting the model does not name is put in the
        // pool of the kind their placement says, nearest their home.
        let pooled = pools.kind_for(&place).map(|kind| pools.nearest(model, kind, locality));
        if let Some(pool) = pooled {
            add("pooled", model.settings[pool].kind.code().to_string());
        }
        let Some(s) = (match place {
            Place::Model(s) => Some(s),
            _ => pooled,
        }) else {
            continue;
        };
        let why = if !age.is_some_and(|a| (0..=25).contains(&a)) {
            Some("age outside 0-25 or no date of birth")
        } else if phase.is_none() {
            Some("year group in no phase of the model")
        } else if need_ix.is_none() {
            Some("primary need missing or not the model's")
        } else if locality.is_none() {
            Some("postcode not found")
        } else {
            None
        };
        match (why, locality, need_ix, ncy) {
            (None, Some(l), Some(n), Some(y)) => {
                add("written", String::new());
                if is_residential {
                    add("written_residential", String::new());
                }
                let provision = model.settings[s].kind.provision();
                let cell = placed.entry((s, l, n, y, provision)).or_default();
                cell.0 += 1;
                cell.1 += usize::from(weeks == 38);
                cell.2 += usize::from(weeks == 52);
            }
            (why, ..) => {
                let why = why.unwrap_or("postcode not found");
                add("left_out", why.into());
                if why == "year group in no phase of the model" {
                    add("left_out_year_group", ncy.map(|y| format!("NCY {y}")).unwrap_or_default());
                }
            }
        }
    }
    let counts = tally.into_iter().map(|((measure, key), children)| Count { measure, key, children }).collect();
    let base = model.horizon.as_ref().map_or(model.planning_year, |h| h.first_year);
    let census_year = crate::model::SchoolYear(u16::try_from(census.school_year_start()).unwrap_or(0));
    Ok(Import {
        census,
        lea,
        lookup_form,
        placed,
        counts,
        phases,
        setting_ids: model.settings.iter().map(|s| s.id.clone()).collect(),
        locality_ids: model.localities.iter().map(|l| l.id.clone()).collect(),
        needs: model.needs.clone(),
        census_year: census_year.to_string(),
        base_year: base.to_string(),
    })
}

#[cfg(test)]
mod tests;
