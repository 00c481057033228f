//! The export's files: each module's file found among the inputs, its keys, the parents
//! its rows name, its dates and ranks, and the council's postcode lookup.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Date, MODULES, postcode_key};
use crate::model::Model;
use crate::model::input::table::{Row, Table};
use crate::model::input::{Problem, Problems, quoted};

/// A module's table, read.
pub(super) struct Module {
    pub(super) table: Table,
    pub(super) shown: PathBuf,
}

/// The files of each module among `inputs` (files, or folders holding the export).
///
/// # Errors
/// A module with no file or with two, or an input that is neither a file nor a folder.
pub(super) fn find_modules(inputs: &[PathBuf]) -> Result<BTreeMap<&'static str, PathBuf>, Problems> {
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
pub(super) fn keys(module: &Module, column: &str, problems: &mut Problems) -> HashMap<String, usize> {
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
pub(super) fn parent(
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
pub(super) fn date(row: &Row, column: &str, required: bool, problems: &mut Problems) -> Option<Option<Date>> {
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
pub(super) fn rank(row: &Row, column: &str, problems: &mut Problems) -> Option<u32> {
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
pub(super) fn read_lookup(
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
