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
//!   arrangements without a URN, settings the model does not hold) are counted, not planned.
//!
//! Names, dates of birth, UPNs and postcodes are read, never written, and never quoted in a
//! problem: every output is a count.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::input::table::{Row, Table};
use crate::model::input::{Problem, Problems, quoted};
use crate::model::{DEFAULT_PHASE_YEAR_GROUPS, Model, Provision, SettingKind};
use crate::outputs::report::csv::safe_cell;

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

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

impl Date {
    /// Reads a date as the export writes it, `2022-Sep-28 00:00:00`, or as a spreadsheet may
    /// have rewritten it: `2022-09-28` (with or without a time) or `28/09/2022`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Date> {
        let day_part = text.trim().split([' ', 'T']).next()?;
        let (y, m, d) = if let Some((d, rest)) = day_part.split_once('/') {
            let (m, y) = rest.split_once('/')?;
            (y, m, d)
        } else {
            let mut parts = day_part.splitn(3, '-');
            (parts.next()?, parts.next()?, parts.next()?)
        };
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && y.len() == 4 && all_digits(d) && d.len() <= 2) {
            return None;
        }
        let month = if all_digits(m) && m.len() <= 2 {
            m.parse().ok()?
        } else {
            let lower = m.to_ascii_lowercase();
            u32::try_from(MONTHS.iter().position(|n| *n == lower)?).ok()? + 1
        };
        let date = Date { year: y.parse().ok()?, month, day: d.parse().ok()? };
        ((1..=12).contains(&month) && (1..=date.days_in_month()).contains(&date.day)).then_some(date)
    }

    fn days_in_month(self) -> u32 {
        match self.month {
            2 if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Whole years from `birth` to this date.
    #[must_use]
    pub fn age_of(self, birth: Date) -> i32 {
        self.year - birth.year - i32::from((self.month, self.day) < (birth.month, birth.day))
    }

    /// The year the school year holding this date began (1 September).
    #[must_use]
    pub fn school_year_start(self) -> i32 {
        if self.month >= 9 { self.year } else { self.year - 1 }
    }

    /// `16 January 2025`.
    #[must_use]
    pub fn long(self) -> String {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {} {}", self.day, NAMES[(self.month as usize).clamp(1, 12) - 1], self.year)
    }
}

/// The national curriculum year of a child born on `birth`, in the school year holding
/// `census`: their age on the 31 August before that year began, less 4 (reception is 0).
#[must_use]
pub fn year_group(birth: Date, census: Date) -> i32 {
    let before = Date { year: census.school_year_start(), month: 8, day: 31 };
    before.age_of(birth) - 4
}

/// `N1`, `N2`, `R`, `1`, ... as the model writes year groups (N1 to 14 only are written).
fn year_group_code(ncy: i32) -> String {
    match ncy {
        0 => "R".into(),
        n if n < 0 => format!("N{}", 3 + n),
        n => n.to_string(),
    }
}

/// Postcodes compare without spaces, in upper case.
fn postcode_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

/// Yes in a flag column: `1`, `Y`, `yes`, `true` (any case).
fn flag(text: &str) -> bool {
    matches!(text.trim().to_ascii_lowercase().as_str(), "1" | "y" | "yes" | "true" | "t")
}

/// A residential placement in a residential column (`res`, `planres`): anything but blank,
/// `0`, `N`, `no`, `false` or `NA`.
fn residential(text: &str) -> bool {
    !matches!(text.trim().to_ascii_lowercase().as_str(), "" | "0" | "n" | "no" | "false" | "f" | "na" | "n/a" | "none")
}

/// The weeks a residential column says a child boards: 0 (a day placement), 52 where its
/// value says 52 (`52`, `RES52`, ...), else 38 (the DfE counts 38 to 51 weeks and 52 weeks).
fn boarding_weeks(text: &str) -> u8 {
    match (residential(text), text.contains("52")) {
        (false, _) => 0,
        (true, true) => 52,
        (true, false) => 38,
    }
}

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

/// A module's table, read.
struct Module {
    table: Table,
    shown: PathBuf,
}

/// The files of each module among `inputs` (files, or folders holding the export).
///
/// # Errors
/// A module with no file or with two, or an input that is neither a file nor a folder.
fn find_modules(inputs: &[PathBuf]) -> Result<BTreeMap<&'static str, PathBuf>, Problems> {
    let mut problems = Problems::default();
    let mut found: BTreeMap<&'static str, PathBuf> = BTreeMap::new();
    let mut consider = |path: PathBuf, named: bool, problems: &mut Problems| {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let Some(stem) = name.strip_suffix(".csv") else {
            if named {
                problems.push(Problem::file(
                    &path,
                    "is not a CSV file: expected a module of the export, Blade-Export_DD-MM-YYYY_<module>.csv",
                ));
            }
            return;
        };
        let last = stem.rsplit('_').next().unwrap_or(stem);
        let Some(module) = MODULES.iter().find(|m| **m == last) else {
            if named {
                problems.push(Problem::file(
                    &path,
                    format!(
                        "is not a module of the export: expected a name ending _<module>.csv, the module one of {}",
                        MODULES.join(", ")
                    ),
                ));
            }
            return;
        };
        if let Some(first) = found.get(module) {
            problems.push(Problem::file(
                &path,
                format!(
                    "is a second file for the '{module}' module (the first is {}): expected one export, the files of one date",
                    first.display()
                ),
            ));
        } else {
            found.insert(module, path);
        }
    };
    for input in inputs {
        if input.is_dir() {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(input) {
                Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect(),
                Err(e) => {
                    problems.push(Problem::file(input, format!("cannot be read: {e}")));
                    continue;
                }
            };
            entries.sort();
            for p in entries {
                consider(p, false, &mut problems);
            }
        } else if input.is_file() {
            consider(input.clone(), true, &mut problems);
        } else {
            problems
                .push(Problem::file(input, "does not exist: expected the folder of the SEN2 export, or its CSV files"));
        }
    }
    for module in MODULES.iter().filter(|m| **m != "plandetail") {
        if !found.contains_key(module) && problems.is_empty() {
            let shown: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
            problems.push(Problem::file(
                Path::new(&shown.join(", ")),
                format!("has no file for the '{module}' module: expected Blade-Export_DD-MM-YYYY_{module}.csv"),
            ));
        }
    }
    if problems.is_empty() { Ok(found) } else { Err(problems) }
}

/// The keys of a module's rows: its own table id to its row's index. A duplicate id is a
/// problem.
fn keys(module: &Module, column: &str, problems: &mut Problems) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for (i, row) in module.table.rows().enumerate() {
        let key = row.text(column);
        if key.is_empty() {
            problems.push(row.problem(column, "is blank: expected the record's id"));
        } else if out.insert(key.to_string(), i).is_some() {
            problems.push(row.problem(column, "repeats an id of an earlier row: expected each record once"));
        }
    }
    out
}

/// The parent row a row's foreign key names, or a problem.
fn parent(
    row: &Row,
    column: &str,
    parents: &HashMap<String, usize>,
    of: &Module,
    problems: &mut Problems,
) -> Option<usize> {
    let key = row.text(column);
    let found = parents.get(key).copied();
    if found.is_none() {
        problems.push(row.problem(
            column,
            if key.is_empty() {
                format!("is blank: expected the id of a row of {}", of.shown.display())
            } else {
                format!(
                    "names no row of {}: expected the id of a row there (the export is incomplete or mixes two dates)",
                    of.shown.display()
                )
            },
        ));
    }
    found
}

/// A date cell (its value is never quoted: some are dates of birth).
fn date(row: &Row, column: &str, required: bool, problems: &mut Problems) -> Option<Option<Date>> {
    let t = row.text(column);
    if t.is_empty() {
        if required {
            problems.push(row.problem(column, "is blank: expected a date like 2025-Jan-16 00:00:00"));
            return None;
        }
        return Some(None);
    }
    match Date::parse(t) {
        Some(d) => Some(Some(d)),
        None => {
            problems.push(row.problem(
                column,
                "is not a date: expected one like 2025-Jan-16 00:00:00 (as the export writes it), 2025-01-16 or 16/01/2025",
            ));
            None
        }
    }
}

/// A rank: a whole number from 1.
fn rank(row: &Row, column: &str, problems: &mut Problems) -> Option<u32> {
    let t = row.text(column);
    match t.parse::<u32>() {
        Ok(r) if r >= 1 => Some(r),
        _ => {
            problems.push(
                row.problem(column, format!("{} is not a rank: expected a whole number, 1 for the first", quoted(t))),
            );
            None
        }
    }
}

/// The postcode lookup: each postcode (as [`postcode_key`]) to a locality index, for the
/// postcodes in `wanted`.
fn read_lookup(
    path: &Path,
    model: &Model,
    wanted: &HashSet<String>,
    problems: &mut Problems,
) -> Option<(HashMap<String, usize>, &'static str)> {
    let table = Table::read(path, path, &[], &[], problems)?;
    let mut out = HashMap::new();
    if table.has_column("postcode") && table.has_column("locality") {
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        for row in table.rows() {
            let text = row.text("locality");
            let hit = model.localities.iter().position(|l| l.id == text).or_else(|| {
                model
                    .localities
                    .iter()
                    .position(|l| l.id.eq_ignore_ascii_case(text) || l.name.eq_ignore_ascii_case(text))
            });
            let Some(l) = hit else {
                problems.push(row.problem(
                    "locality",
                    format!(
                        "{} is not a locality of the model: expected a locality id of the model's localities table",
                        quoted(text)
                    ),
                ));
                continue;
            };
            let key = postcode_key(row.text("postcode"));
            if key.is_empty() {
                continue;
            }
            match seen.get(&key) {
                Some((first, m)) if *m != l => problems.push(row.problem(
                    "postcode",
                    format!("is given a different locality at line {first}: expected each postcode once"),
                )),
                Some(_) => {}
                None => {
                    seen.insert(key.clone(), (row.line, l));
                    if wanted.contains(&key) {
                        out.insert(key, l);
                    }
                }
            }
        }
        return Some((out, "the council's postcode to locality lookup"));
    }
    if !(table.has_column("pcds") && table.has_column("lat") && table.has_column("long")) {
        problems.push(Problem::at(
            path,
            1,
            "has neither postcode and locality columns nor the ONS postcode directory's pcds, lat and long: expected a header row postcode,locality or pcds,lat,long",
        ));
        return None;
    }
    for row in table.rows() {
        let key = postcode_key(row.text("pcds"));
        if !wanted.contains(&key) {
            continue;
        }
        // The directory gives 99.999999 (no grid reference) for some postcodes: not found.
        let (Some(lat), Some(long)) = (
            crate::model::input::table::parse_number(row.text("lat")),
            crate::model::input::table::parse_number(row.text("long")),
        ) else {
            continue;
        };
        if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&long)) {
            continue;
        }
        let at = geo::Point::new(long, lat);
        let nearest = model
            .localities
            .iter()
            .enumerate()
            .map(|(i, l)| (i, crate::travel::straight_line_km(at, l.position)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some((i, _)) = nearest {
            out.insert(key, i);
        }
    }
    Some((out, "the ONS postcode directory (pcds, lat, long), each postcode to the model's nearest locality"))
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
                        let provision = model.settings[*s].kind.provision();
                        let cell = placed.entry((*s, l, n, y, provision)).or_default();
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
            Place::Mainstream(s) => add("mainstream_at_unit_school", model.settings[*s].id.clone()),
            Place::NotInModel(code, ukprn, in_unit) => {
                add(if *ukprn { "not_in_model_ukprn" } else { "not_in_model_urn" }, code.clone());
                if *in_unit {
                    add(if *ukprn { "not_in_model_ukprn_in_unit" } else { "not_in_model_urn_in_unit" }, code.clone());
                }
            }
            Place::NoUrn(code) => add("no_urn", code.clone()),
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

impl Import {
    /// Children counted under `measure` (and `key`, if given).
    #[must_use]
    pub fn count(&self, measure: &str, key: Option<&str>) -> usize {
        self.counts.iter().filter(|c| c.measure == measure && key.is_none_or(|k| c.key == k)).map(|c| c.children).sum()
    }

    fn provision_code(p: Provision) -> &'static str {
        match p {
            Provision::SpecialSchool => Provision::SpecialSchool.code(),
            Provision::ResourcedProvision => "",
        }
    }

    fn write(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).expect("in memory");
        for r in rows {
            w.write_record(r.iter().map(|c| safe_cell(c))).expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
    }

    /// `current_placements.csv`: `setting,locality,need,year_group,children,provision,residence`,
    /// a row for the day children of a cell and one for each kind of boarding (`38-week`,
    /// `52-week`), as the horizon model reads it.
    #[must_use]
    pub fn current_placements_csv(&self) -> String {
        let rows = self.placed.iter().flat_map(|((s, l, n, y, p), (c, r38, r52))| {
            [(c - r38 - r52, ""), (*r38, "38-week"), (*r52, "52-week")].into_iter().filter(|(k, _)| *k > 0).map(
                move |(k, residence)| {
                    vec![
                        self.setting_ids[*s].clone(),
                        self.locality_ids[*l].clone(),
                        self.needs[*n].clone(),
                        year_group_code(*y),
                        k.to_string(),
                        Self::provision_code(*p).to_string(),
                        residence.to_string(),
                    ]
                },
            )
        });
        Self::write(&["setting", "locality", "need", "year_group", "children", "provision", "residence"], rows)
    }

    /// `cohort.csv`: `locality,need,year_group,children,provision`.
    #[must_use]
    pub fn cohort_csv(&self) -> String {
        let mut by: BTreeMap<(usize, usize, i32, Provision), usize> = BTreeMap::new();
        for ((_, l, n, y, p), (c, ..)) in &self.placed {
            *by.entry((*l, *n, *y, *p)).or_default() += c;
        }
        let rows = by.into_iter().map(|((l, n, y, p), c)| {
            vec![
                self.locality_ids[l].clone(),
                self.needs[n].clone(),
                year_group_code(y),
                c.to_string(),
                Self::provision_code(p).to_string(),
            ]
        });
        Self::write(&["locality", "need", "year_group", "children", "provision"], rows)
    }

    /// `demand.csv`: `locality,need,phase,children,provision`.
    #[must_use]
    pub fn demand_csv(&self) -> String {
        let mut by: BTreeMap<(usize, usize, usize, Provision), usize> = BTreeMap::new();
        for ((_, l, n, y, p), (c, ..)) in &self.placed {
            if let Some(ph) = self.phases.iter().position(|(_, a, b)| (*a..=*b).contains(y)) {
                *by.entry((*l, *n, ph, *p)).or_default() += c;
            }
        }
        let rows = by.into_iter().map(|((l, n, ph, p), c)| {
            vec![
                self.locality_ids[l].clone(),
                self.needs[n].clone(),
                self.phases[ph].0.clone(),
                c.to_string(),
                Self::provision_code(p).to_string(),
            ]
        });
        Self::write(&["locality", "need", "phase", "children", "provision"], rows)
    }

    /// `settings_not_in_model.csv`: each URN or UKPRN of a main placement the model has no
    /// setting for, with its children and how many of them are in an SEN unit or resourced
    /// provision there.
    #[must_use]
    pub fn not_in_model_csv(&self) -> String {
        let rows = self.not_in_model().into_iter().map(|(what, code, n, unit)| {
            vec![
                if what == "URN" { code.clone() } else { String::new() },
                if what == "UKPRN" { code } else { String::new() },
                n.to_string(),
                unit.to_string(),
            ]
        });
        Self::write(&["urn", "ukprn", "children", "in_unit_or_resourced_provision"], rows)
    }

    /// (`URN` or `UKPRN`, the number, children, of whom in a unit), most children first.
    fn not_in_model(&self) -> Vec<(&'static str, String, usize, usize)> {
        let mut out: Vec<(&'static str, String, usize, usize)> = Vec::new();
        for (measure, what, unit) in [
            ("not_in_model_urn", "URN", "not_in_model_urn_in_unit"),
            ("not_in_model_ukprn", "UKPRN", "not_in_model_ukprn_in_unit"),
        ] {
            for c in self.counts.iter().filter(|c| c.measure == measure) {
                out.push((what, c.key.clone(), c.children, self.count(unit, Some(&c.key))));
            }
        }
        out.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(&b.1)));
        out
    }

    /// `reconciliation.csv`: `measure,key,children`, every count printed.
    #[must_use]
    pub fn reconciliation_csv(&self) -> String {
        Self::write(
            &["measure", "key", "children"],
            self.counts.iter().map(|c| vec![c.measure.to_string(), c.key.clone(), c.children.to_string()]),
        )
    }

    /// The reconciliation, for standard output.
    #[must_use]
    pub fn summary(&self, out: &Path) -> String {
        use crate::model::input::grouped;
        let n = |measure: &str| self.count(measure, None);
        let keyed = |measure: &str| -> Vec<(String, usize)> {
            let mut v: Vec<(String, usize)> =
                self.counts.iter().filter(|c| c.measure == measure).map(|c| (c.key.clone(), c.children)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        let line = |text: &mut String, indent: usize, label: &str, count: usize| {
            let label = format!("{}{label}", " ".repeat(indent));
            text.push_str(&format!("{label:<64} {:>7}\n", grouped(count)));
        };
        let mut t = format!(
            "SEN2 return of authority {}: census date {} (school year {}); home localities by {}.\n",
            if self.lea.is_empty() { "(not given)" } else { self.lea.as_str() },
            self.census.long(),
            self.census_year,
            self.lookup_form
        );
        if self.census_year != self.base_year {
            t.push_str(&format!(
                "note: the model's base year is {}, the census's school year {}: the tables describe the children as at the census, in the year groups of {}.\n",
                self.base_year, self.census_year, self.census_year
            ));
        }
        t.push('\n');
        line(&mut t, 0, "children read", n("read"));
        line(&mut t, 2, "without an active plan at the census", n("no_active_plan"));
        for (k, c) in keyed("no_active_plan") {
            line(&mut t, 4, &k, c);
        }
        line(&mut t, 2, "with an active plan at the census", n("active"));
        line(&mut t, 4, "no placement open at the census", n("no_placement"));
        line(&mut t, 4, "main placement at a setting of the model (specialist)", n("specialist"));
        for (k, c) in keyed("specialist_by_kind") {
            line(&mut t, 6, &k, c);
        }
        line(&mut t, 4, "in a mainstream class of a school whose unit is in the model", n("mainstream_at_unit_school"));
        let not_in = self.not_in_model();
        line(
            &mut t,
            4,
            &format!("at {} settings not in the model (by URN or UKPRN)", grouped(not_in.len())),
            n("not_in_model_urn") + n("not_in_model_ukprn"),
        );
        line(&mut t, 4, "no URN or UKPRN: other arrangements, by SEN setting code", n("no_urn"));
        for (k, c) in keyed("no_urn") {
            line(&mut t, 6, &k, c);
        }
        t.push_str("\nChildren with an active plan whose records fall short:\n");
        line(&mut t, 2, "postcode not found in the lookup", n("postcode_not_found"));
        line(&mut t, 2, "primary need (rank 1) missing or not a need of the model", n("need_missing"));
        for (k, c) in keyed("need_missing") {
            line(&mut t, 4, &k, c);
        }
        line(&mut t, 2, "age outside 0-25 at the census (or no date of birth)", n("age_outside_0_25"));
        t.push_str("\nChildren at settings of the model:\n");
        line(&mut t, 2, "written to the tables", n("written"));
        line(&mut t, 4, "of whom in residential placements", n("written_residential"));
        line(&mut t, 2, "left out of the tables", n("left_out"));
        for (k, c) in keyed("left_out") {
            line(&mut t, 4, &k, c);
            if k == "year group in no phase of the model" {
                let mut by_year = keyed("left_out_year_group");
                by_year.sort_by_key(|(k, _)| k.trim_start_matches("NCY ").parse::<i32>().unwrap_or(i32::MAX));
                for (k, c) in by_year {
                    line(&mut t, 6, &k, c);
                }
            }
        }
        if !not_in.is_empty() {
            t.push_str("\nSettings not in the model (add the special schools and units among them to the settings table, with their urn, and run again):\n");
            t.push_str("  number     children  in a unit or resourced provision\n");
            for (what, code, c, unit) in not_in.iter().take(20) {
                t.push_str(&format!("  {what:<5} {:<10} {c:>5}  {unit:>5}\n", safe_cell(code)));
            }
            if not_in.len() > 20 {
                t.push_str(&format!("  ... and {} more in settings_not_in_model.csv\n", not_in.len() - 20));
            }
        }
        t.push_str(&format!(
            "\nWrote {}: current_placements.csv, cohort.csv, demand.csv, settings_not_in_model.csv and reconciliation.csv.\n\
             They hold counts only, by setting, home locality, need and year group or phase: no name, date of birth, UPN or postcode is written. \
             The counts are not rounded or suppressed: for the planner, not for publication.\n",
            out.display()
        ));
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case("2022-Sep-28 00:00:00", (2022, 9, 28))]
    #[case("2024-Feb-29 00:00:00", (2024, 2, 29))]
    #[case("2025-jan-16", (2025, 1, 16))]
    #[case("2025-01-16", (2025, 1, 16))]
    #[case("2025-01-16T00:00:00", (2025, 1, 16))]
    #[case("16/01/2025", (2025, 1, 16))]
    fn dates_are_read_as_the_export_writes_them(#[case] text: &str, #[case] (year, month, day): (i32, u32, u32)) {
        assert_eq!(Date::parse(text), Some(Date { year, month, day }));
    }

    #[rstest::rstest]
    #[case("2023-Feb-29 00:00:00")]
    #[case("2022-Sept-28")]
    #[case("2022-13-01")]
    #[case("28-09-2022")]
    #[case("")]
    #[case("yesterday")]
    fn other_dates_are_refused(#[case] text: &str) {
        assert_eq!(Date::parse(text), None);
    }

    /// The 31 August rule: a child 4 on the 31 August before the school year began is in
    /// reception. Census 16 January 2025 (school year 2024/25, from 1 September 2024).
    #[rstest::rstest]
    #[case((2019, 9, 1), 0)] // 4 on 31 August 2024 (5 the next day): reception
    #[case((2019, 8, 31), 1)] // 5 on 31 August 2024: year 1
    #[case((2020, 8, 31), 0)] // 4 on 31 August 2024: reception
    #[case((2020, 9, 1), -1)] // 3 on 31 August 2024: N2
    #[case((2013, 3, 5), 7)] // 11: year 7
    #[case((2006, 1, 16), 14)] // 18: year 14
    fn year_groups_follow_the_31_august_rule(#[case] (year, month, day): (i32, u32, u32), #[case] ncy: i32) {
        let census = Date { year: 2025, month: 1, day: 16 };
        assert_eq!(year_group(Date { year, month, day }, census), ncy);
    }

    #[test]
    fn ages_count_whole_years() {
        let census = Date { year: 2025, month: 1, day: 16 };
        assert_eq!(census.age_of(Date { year: 2000, month: 1, day: 16 }), 25);
        assert_eq!(census.age_of(Date { year: 1999, month: 1, day: 17 }), 25);
        assert_eq!(census.age_of(Date { year: 1999, month: 1, day: 16 }), 26);
        assert_eq!(census.age_of(Date { year: 2025, month: 1, day: 17 }), -1);
    }

    #[test]
    fn year_groups_are_written_as_the_model_writes_them() {
        assert_eq!(year_group_code(-2), "N1");
        assert_eq!(year_group_code(-1), "N2");
        assert_eq!(year_group_code(0), "R");
        assert_eq!(year_group_code(14), "14");
    }

    #[test]
    fn postcodes_compare_without_spaces_in_upper_case() {
        assert_eq!(postcode_key(" cw1 2ab "), "CW12AB");
        assert_eq!(postcode_key("CW12AB"), "CW12AB");
    }

    #[test]
    fn boarding_weeks_are_52_only_where_the_value_says_so() {
        assert_eq!(boarding_weeks(""), 0);
        assert_eq!(boarding_weeks("N"), 0);
        assert_eq!(boarding_weeks("Y"), 38);
        assert_eq!(boarding_weeks("RES52"), 52);
        assert_eq!(boarding_weeks("52"), 52);
    }

    #[test]
    fn flags_and_residential_codes() {
        for yes in ["1", "Y", "yes", "TRUE"] {
            assert!(flag(yes), "{yes}");
        }
        for no in ["0", "N", "", "false"] {
            assert!(!flag(no), "{no}");
        }
        assert!(residential("RSC"));
        assert!(residential("1"));
        assert!(!residential(""));
        assert!(!residential("NA"));
        assert!(!residential("0"));
    }
}
