//! Scenario files: a model file that `extends` another and overrides what it names.
//!
//! The chain of files is read parent first; each file's keys replace its parent's (tables
//! such as `[policy]` merge key by key). Table paths are taken relative to the file that
//! names them. A scenario may also add rows to a table from another CSV (`[[add_rows]]`),
//! remove rows by id (`[[remove_rows]]`), and set a setting's places from a year on
//! (`[[places]]`). A cycle of `extends`, or an override naming something absent, is an
//! error naming the file and line.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::{Table as TomlTable, Value};

use super::problem::{Problem, Problems};
use super::{line_of_key, tidy};

/// Where an override was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The scenario file.
    pub file: PathBuf,
    /// Its line.
    pub line: Option<usize>,
}

/// Rows added to a table from another file.
#[derive(Debug, Clone, PartialEq)]
pub struct AddRows {
    pub table: String,
    pub file: PathBuf,
    pub origin: Origin,
}

/// Rows removed from a table by id.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoveRows {
    pub table: String,
    pub ids: Vec<String>,
    pub origin: Origin,
}

/// A setting's places from a year on.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacesFrom {
    pub setting: String,
    pub from_year: String,
    pub places: f64,
    pub origin: Origin,
}

/// Everything the chain of files overrides in the tables, in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub add_rows: Vec<AddRows>,
    pub remove_rows: Vec<RemoveRows>,
    pub places: Vec<PlacesFrom>,
}

/// The merged model file and what it overrides.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The merged keys, table paths made relative to the working folder.
    pub value: TomlTable,
    /// Overrides from every file of the chain.
    pub overrides: Overrides,
    /// The files of the chain with their text, the named file first.
    pub chain: Vec<(PathBuf, String)>,
    /// Notes on how the files were read (an encoding assumed).
    pub notes: Vec<Problem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddRowsFile {
    table: String,
    file: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveRowsFile {
    table: String,
    ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    setting: String,
    from_year: String,
    places: f64,
}

/// Reads the model file at `path` and every file it extends.
///
/// # Errors
/// Unreadable files, TOML syntax, a cycle, or malformed override entries.
pub fn resolve(path: &Path) -> Result<Resolved, Problems> {
    let mut chain = Vec::new();
    let mut visiting = Vec::new();
    let mut notes = Vec::new();
    let (value, overrides) = layer(path, &mut visiting, &mut chain, &mut notes)?;

    Ok(Resolved { value, overrides, chain, notes })
}

fn layer(
    path: &Path,
    visiting: &mut Vec<PathBuf>,
    chain: &mut Vec<(PathBuf, String)>,
    notes: &mut Vec<Problem>,
) -> Result<(TomlTable, Overrides), Problems> {
    let shown = tidy(path);
    super::note_read(path);
    let text = read_model_file(path, &shown)?;
    notes.extend(text.note);
    let text = text.text;
    let mut table: TomlTable =
        text.parse().map_err(|e: toml::de::Error| Problems(vec![super::keys::syntax_problem(&text, &shown, &e)]))?;
    let wrong = super::keys::check(&text, &shown);
    if !wrong.is_empty() {
        return Err(Problems(wrong));
    }
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let problem = |key: &str, message: String| Problem {
        sheet: None,
        file: shown.clone(),
        line: line_of_key(&text, key),
        field: Some(key.to_string()),
        message,
    };
    let mut problems = Problems::default();

    // Table paths are relative to the file that names them.
    if let Some(Value::Table(tables)) = table.get_mut("tables") {
        for (_, v) in tables.iter_mut() {
            if let Value::String(rel) = v {
                *rel = tidy(&dir.join(&*rel)).to_string_lossy().into_owned();
            }
        }
    }
    // So are the annex's commentary files, published caseload and areas.
    if let Some(Value::Table(annex)) = table.get_mut("annex") {
        if let Some(Value::Table(commentary)) = annex.get_mut("commentary") {
            for (_, v) in commentary.iter_mut() {
                if let Value::String(rel) = v {
                    *rel = tidy(&dir.join(&*rel)).to_string_lossy().into_owned();
                }
            }
        }
        for key in ["caseload", "areas"] {
            if let Some(Value::String(rel)) = annex.get_mut(key) {
                *rel = tidy(&dir.join(&*rel)).to_string_lossy().into_owned();
            }
        }
    }
    let mut own = Overrides::default();
    // The i-th entry of a list is at the i-th line setting its key.
    let origin = |key: &str, i: usize| Origin { file: shown.clone(), line: nth_line_of_key(&text, key, i) };
    macro_rules! entries {
        ($key:literal, $ty:ty) => {{
            let mut out: Vec<$ty> = Vec::new();
            if let Some(v) = table.remove($key) {
                match Vec::<$ty>::deserialize(v) {
                    Ok(list) => out = list,
                    Err(e) => {
                        problems.push(problem($key, format!("{}: see models/README.md, Scenarios", e.message().trim())))
                    }
                }
            }
            out
        }};
    }
    for (i, a) in entries!("add_rows", AddRowsFile).into_iter().enumerate() {
        if super::schema::find(&a.table).is_some() {
            own.add_rows.push(AddRows { table: a.table, file: tidy(&dir.join(a.file)), origin: origin("file", i) });
        } else {
            problems.push(problem(
                "table",
                format!("add_rows names table '{}': expected one of {}", a.table, table_names()),
            ));
        }
    }
    for (i, r) in entries!("remove_rows", RemoveRowsFile).into_iter().enumerate() {
        if super::schema::find(&r.table).is_some() {
            own.remove_rows.push(RemoveRows { table: r.table, ids: r.ids, origin: origin("ids", i) });
        } else {
            problems.push(problem(
                "table",
                format!("remove_rows names table '{}': expected one of {}", r.table, table_names()),
            ));
        }
    }
    for (i, p) in entries!("places", PlacesFile).into_iter().enumerate() {
        if !(p.places.is_finite() && p.places >= 0.0) {
            problems.push(problem("places", format!("{}: expected a number of places of at least 0", p.places)));
        }
        own.places.push(PlacesFrom {
            setting: p.setting,
            from_year: p.from_year,
            places: p.places,
            origin: origin("setting", i),
        });
    }
    let extends = match table.remove("extends") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            problems.push(problem("extends", "expected the path of the model file this one extends, in quotes".into()));
            None
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    chain.push((shown.clone(), text.clone()));
    let Some(parent_rel) = extends else {
        return Ok((table, own));
    };
    let parent = tidy(&dir.join(&parent_rel));
    let key = std::fs::canonicalize(&parent).unwrap_or_else(|_| parent.clone());
    let here = std::fs::canonicalize(path).unwrap_or_else(|_| shown.clone());
    visiting.push(here);
    if visiting.contains(&key) {
        return Err(Problems(vec![problem(
            "extends",
            format!("extends '{parent_rel}', which leads back to this file: a cycle"),
        )]));
    }
    let (mut merged, mut overrides) = layer(&parent, visiting, chain, notes)?;
    visiting.pop();
    merge(&mut merged, table);
    overrides.add_rows.extend(own.add_rows);
    overrides.remove_rows.extend(own.remove_rows);
    overrides.places.extend(own.places);
    Ok((merged, overrides))
}

/// Largest model file read, in bytes: a model file is a page of settings.
const LARGEST_MODEL_FILE: u64 = 10_000_000;

/// The text of a model file: a regular file of a bounded size, UTF-8 or (with a note)
/// Windows-1252, as a table.
fn read_model_file(path: &Path, shown: &Path) -> Result<super::text::Decoded, Problems> {
    let refuse = |message: String| Problems(vec![Problem::file(shown, message)]);
    // A workbook or a table given where the model file goes: say what to do, not that its
    // first line is not TOML.
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => {
            return Err(refuse(
                "is a workbook: expected a model file (TOML) that names it, `[tables] workbook = \"...\"` \
                 (`sufficiency init` writes one; models/README.md, \"A model in one workbook\")"
                    .into(),
            ));
        }
        Some("csv") => {
            return Err(refuse(
                "is a table: expected a model file (TOML) that names it under [tables] (models/README.md)".into(),
            ));
        }
        _ => {}
    }
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err(refuse("is not a regular file: expected a model file (TOML)".into())),
        Ok(m) if m.len() > LARGEST_MODEL_FILE => {
            return Err(refuse(format!(
                "is {} MB: expected a model file (TOML) of at most {} MB",
                m.len() / 1_000_000,
                LARGEST_MODEL_FILE / 1_000_000
            )));
        }
        _ => {}
    }
    let bytes = std::fs::read(path).map_err(|e| refuse(super::text::unreadable(&e)))?;
    super::text::decode(&bytes, shown, super::text::FileKind::ModelFile).map_err(Problems)
}

/// The line of the `n`-th (from 0) assignment of `key`, if any.
fn nth_line_of_key(text: &str, key: &str, n: usize) -> Option<usize> {
    text.lines().enumerate().filter(|(_, l)| line_of_key(l, key).is_some()).nth(n).map(|(i, _)| i + 1)
}

/// Puts `top`'s keys over `base`'s: tables merge key by key, everything else is replaced.
fn merge(base: &mut TomlTable, top: TomlTable) {
    for (k, v) in top {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(t)) => merge(b, t),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn table_names() -> String {
    super::schema::TABLES.iter().map(|t| t.key).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_key_by_key_and_values_are_replaced() {
        let mut base: TomlTable = "name = \"a\"\n[policy]\nx = 1\ny = 2\n".parse().unwrap();
        let top: TomlTable = "name = \"b\"\n[policy]\ny = 3\n".parse().unwrap();
        merge(&mut base, top);
        assert_eq!(base["name"].as_str(), Some("b"));
        assert_eq!(base["policy"]["x"].as_integer(), Some(1));
        assert_eq!(base["policy"]["y"].as_integer(), Some(3));
    }
}
