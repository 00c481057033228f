//! Where tables are read from: a CSV file or a sheet of the model's workbook, with the rows
//! scenarios add and remove; and the list of every file read, which no output may replace.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::model_file;
use super::table::{self, Table};
use super::{Problem, Problems, line_of_key, quoted, scenario, schema, tidy, workbook};

/// Every input file read in this run, by its canonical path, so that no output is ever
/// written over one (see [`is_input`]). One list for the process: the CLI reads its models,
/// then writes.
static FILES_READ: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Notes `path` as an input file read.
pub(crate) fn note_read(path: &Path) {
    if let (Ok(canonical), Ok(mut read)) = (std::fs::canonicalize(path), FILES_READ.lock())
        && !read.contains(&canonical)
    {
        read.push(canonical);
    }
}

/// Whether `path` is a file this run read its model from (an output must never replace one).
#[must_use]
pub fn is_input(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|c| FILES_READ.lock().is_ok_and(|read| read.contains(&c)))
}

/// The model's workbook, if `[tables] workbook` names one, and the tables kept as its
/// sheets, by key: with a workbook, a table named by anything but a `.csv` file is a sheet,
/// named as written (the merged value is a path made relative to the working folder, so the
/// name is taken from the file of the chain that sets it).
pub(super) fn workbook_sheets(
    resolved: &scenario::Resolved,
    t: &model_file::TablesFile,
    problems: &mut Problems,
) -> (Option<std::cell::RefCell<workbook::Workbook>>, HashMap<String, String>) {
    let Some(path) = &t.workbook else {
        return (None, HashMap::new());
    };
    let book = workbook::Workbook::open(Path::new(path), &tidy(Path::new(path)), problems);
    let mut sheets = HashMap::new();
    for key in schema::TABLES.iter().map(|t| t.key) {
        let written = resolved.chain.iter().find_map(|(_, text)| {
            let value: toml::Table = text.parse().ok()?;
            value.get("tables")?.get(key)?.as_str().map(str::to_string)
        });
        if let Some(name) = written.filter(|w| !w.to_ascii_lowercase().ends_with(".csv")) {
            sheets.insert(key.to_string(), name);
        }
    }
    (Some(std::cell::RefCell::new(book)), sheets)
}

/// Opens tables with the rows a scenario adds and removes.
pub(super) struct Sources<'a> {
    /// The model file and those it extends, with their text.
    pub(super) chain: &'a [(PathBuf, String)],
    pub(super) overrides: &'a scenario::Overrides,
    /// Notes on how the tables opened were read (an encoding assumed).
    pub(super) notes: std::cell::RefCell<Vec<Problem>>,
    /// Tables kept as sheets of the workbook, by key: the sheet's name.
    pub(super) sheets: HashMap<String, String>,
    /// The model's workbook, if it has one.
    pub(super) workbook: Option<std::cell::RefCell<workbook::Workbook>>,
}

impl Sources<'_> {
    /// Where table `name` (named `path` in the model file) is read from.
    pub(super) fn source(&self, name: &str, path: &Path) -> table::Source {
        match (self.sheets.get(name), &self.workbook) {
            (Some(sheet), Some(book)) => {
                table::Source { file: book.borrow().shown().to_path_buf(), sheet: Some(sheet.clone()) }
            }
            _ => table::Source::csv(&tidy(path)),
        }
    }

    /// Whether a scenario adds rows to this table.
    pub(super) fn adds(&self, name: &str) -> bool {
        self.overrides.add_rows.iter().any(|a| a.table == name)
    }

    /// Reads table `name` from `path` (if the model names one), adds and removes the rows
    /// scenarios say, its header row checked against the columns of [`schema::TABLES`].
    /// `None` when there is nothing usable.
    pub(super) fn open(&self, name: &str, path: Option<&Path>, problems: &mut Problems) -> Option<Table> {
        self.open_for(name, path, false, problems)
    }

    /// As [`Sources::open`], for a model with a `[horizon]` if `multi_year` (whose tables may
    /// require a column more: the year of a demand row).
    pub(super) fn open_for(
        &self,
        name: &str,
        path: Option<&Path>,
        multi_year: bool,
        problems: &mut Problems,
    ) -> Option<Table> {
        let spec = schema::table(name);
        let (required, optional) = (&spec.required(multi_year)[..], &spec.optional()[..]);
        let mut table = match (self.sheets.get(name), &self.workbook) {
            (Some(sheet), Some(book)) => book.borrow_mut().table(name, sheet, (required, optional), problems),
            // `/` or `..`: a folder, named at the key that names it (it has no file name).
            _ if path.is_some_and(|p| p.file_name().is_none()) => {
                let (file, line) = self
                    .chain
                    .iter()
                    .find_map(|(f, t)| line_of_key(t, name).map(|l| (f.clone(), Some(l))))
                    .unwrap_or_else(|| (self.chain[0].0.clone(), None));
                let written = path.map(|p| p.display().to_string()).unwrap_or_default();
                problems.push(Problem {
                    file,
                    line,
                    field: Some(format!("tables.{name}")),
                    message: format!("{} is a folder: expected a CSV file", quoted(&written)),
                    sheet: None,
                });
                return None;
            }
            _ => path.and_then(|p| Table::read(p, &tidy(p), required, optional, problems)),
        };
        if let Some(t) = &mut table {
            self.notes.borrow_mut().append(&mut t.notes);
        }
        if path.is_some() && table.is_none() {
            return None;
        }
        for add in self.overrides.add_rows.iter().filter(|a| a.table == name) {
            if let Some(mut extra) = Table::read(&add.file, &add.file, required, optional, problems) {
                self.notes.borrow_mut().append(&mut extra.notes);
                match &mut table {
                    Some(t) => t.append(extra),
                    None => table = Some(extra),
                }
            }
        }
        let key = spec.id;
        for rm in self.overrides.remove_rows.iter().filter(|r| r.table == name) {
            let missing = match &mut table {
                Some(t) => t.remove(key, &rm.ids),
                None => rm.ids.clone(),
            };
            for id in missing {
                problems.push(Problem {
                    sheet: None,
                    file: rm.origin.file.clone(),
                    line: rm.origin.line,
                    field: Some("ids".into()),
                    message: format!("remove_rows names '{id}', which is not in the {name} table ({key} column)"),
                });
            }
        }
        table
    }
}
