//! Reading one CSV table exported from a spreadsheet: UTF-8 or Windows-1252 (see
//! [`super::text`]), headers matched by name (any order, any case, a byte-order mark
//! tolerated, extra columns ignored), each row kept with its line number, and typed field
//! parsers that record a [`Problem`] instead of failing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::problem::{Problem, Problems, SheetPlace};
use super::text::{grouped, quoted};

mod cells;

use cells::{Cells, Stored};

/// Where a table was read from: a CSV file, or a sheet of a workbook, as named to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The CSV file, or the workbook.
    pub file: PathBuf,
    /// The sheet, for a table kept in a workbook.
    pub sheet: Option<String>,
}

impl Source {
    /// A CSV file.
    #[must_use]
    pub fn csv(file: &Path) -> Source {
        Source { file: file.to_path_buf(), sheet: None }
    }

    /// A problem with the whole table.
    #[must_use]
    pub fn whole(&self, message: impl Into<String>) -> Problem {
        Problem { sheet: self.place(None), ..Problem::file(&self.file, message) }
    }

    /// A problem at a line of a file (a row of a sheet).
    #[must_use]
    pub fn at(&self, line: usize, message: impl Into<String>) -> Problem {
        Problem { sheet: self.place(None), ..Problem::at(&self.file, line, message) }
    }

    /// A problem with one field, in column `index` (from 0) of a sheet where known.
    #[must_use]
    pub fn field(&self, line: usize, field: &str, index: Option<usize>, message: impl Into<String>) -> Problem {
        Problem { sheet: self.place(index), ..Problem::field(&self.file, line, field, message) }
    }

    /// `settings.csv`, or `model.xlsx, sheet Settings`.
    #[must_use]
    pub fn describe(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}, sheet {sheet}", self.file.display()),
            None => self.file.display().to_string(),
        }
    }

    fn place(&self, index: Option<usize>) -> Option<Box<SheetPlace>> {
        self.sheet.as_ref().map(|sheet| Box::new(SheetPlace { sheet: sheet.clone(), column: index.map(column_letter) }))
    }
}

/// The letter of a spreadsheet column, from 0: `A`, ..., `Z`, `AA`, ...
#[must_use]
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A row of a sheet: its row number and its cells' text.
pub(super) type SheetRow = (usize, Vec<String>);

/// A table read into memory (from a CSV file or a sheet): its rows, from one file or (with
/// rows a scenario adds) several, each row remembering its file and line, their cells kept
/// compactly ([`cells`]).
pub struct Table {
    /// Where it was read from, as named to the user.
    pub source: Source,
    parts: Vec<Part>,
    rows: Vec<Stored>,
    /// Rows refused for their number of fields (a problem says so).
    broken: Vec<Stored>,
    /// What is worth knowing about how it was read (an encoding assumed).
    pub notes: Vec<Problem>,
}

/// One file of a table: its header map and its rows' cells.
struct Part {
    source: Source,
    columns: HashMap<String, usize>,
    cells: Cells,
}

/// One row of a table, with the line it came from.
pub struct Row<'a> {
    part: &'a Part,
    /// Line number in the file, counting from 1.
    pub line: usize,
    stored: Stored,
}

/// The physical line (from 1) on which a record starting at a byte offset begins. The csv
/// reader's own line count runs one short after a CR LF line end (Excel's and the GIAS
/// download's), so lines are counted here from the text; offsets come in increasing order.
struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter { text: text.as_bytes(), at: 0, line: 1 }
    }

    fn line_at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        // A record's offset may fall on the line end before it: it begins after it.
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            self.line += self.text[self.at..start].iter().filter(|&&b| b == b'\n').count();
            self.at = start;
        }
        self.line
    }
}

impl Table {
    /// Reads `path` (shown to the user as `shown`), checking that the required columns are
    /// present. Returns `None`, with problems recorded, if the file cannot be used at all.
    pub fn read(
        path: &Path,
        shown: &Path,
        required: &[&str],
        optional: &[&str],
        problems: &mut Problems,
    ) -> Option<Table> {
        // A table is a regular file of a bounded size: not a device (`/dev/zero` would be read
        // for ever), a pipe (which could hang) or a folder.
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => {
                problems.push(Problem::file(shown, "is not a regular file: expected a CSV file"));
                return None;
            }
            Ok(m) if m.len() > LARGEST_FILE => {
                problems.push(Problem::file(
                    shown,
                    format!("is {} MB: expected at most {} MB", m.len() / 1_000_000, LARGEST_FILE / 1_000_000),
                ));
                return None;
            }
            _ => {}
        }
        super::note_read(path);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::file(shown, super::text::unreadable(&e)));
                return None;
            }
        };
        // A workbook (.xlsx, .xlsm or .ods: all zip files) named as a CSV table: say how to name its sheets.
        if bytes.starts_with(b"PK\x03\x04") {
            problems.push(Problem::file(
                shown,
                "is a workbook (Excel or OpenDocument), not a CSV file: name it under [tables] as workbook = \"...\" and each table \
                 by its sheet (settings = \"Settings\"), or save the sheet as 'CSV UTF-8' (see models/README.md)",
            ));
            return None;
        }
        // UTF-8, or Excel's plain "CSV" (Windows-1252) with a note saying so.
        let decoded = match super::text::decode(&bytes, shown, super::text::FileKind::Table) {
            Ok(d) => d,
            Err(stray) => {
                problems.0.extend(stray);
                return None;
            }
        };
        // The file's bytes are not needed once decoded: at most one copy of the text is held.
        drop(bytes);
        let text = decoded.text;
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                problems.push(Problem::at(shown, 1, format!("cannot read the header row: {e}")));
                return None;
            }
        };
        let source = Source::csv(shown);
        let columns = header_map(&source, headers.iter(), required, optional, problems)?;
        let mut cells = Cells::for_text(&text);
        let mut rows = Vec::new();
        let mut broken = Vec::new();
        let mut lines = LineCounter::new(&text);
        // One record read into again and again: its cells are kept in `cells`.
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
                    if record.iter().all(str::is_empty) {
                        continue; // blank line left by a spreadsheet
                    }
                    let Some(stored) = cells.add(0, line, &record) else {
                        problems.push(Problem::at(
                            shown,
                            line,
                            "is beyond the rows a table can hold: expected a smaller file",
                        ));
                        return None;
                    };
                    if record.len() != headers.len() {
                        problems.push(Problem::at(
                            shown,
                            line,
                            format!(
                                "has {} fields but the header row has {}: expected one value per column (a value \
                                 with a comma in it, like £24,600.50, must be in quotes or written without the comma)",
                                record.len(),
                                headers.len()
                            ),
                        ));
                        broken.push(stored);
                        continue;
                    }
                    rows.push(stored);
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                    problems.push(Problem::at(shown, line, format!("cannot read the row: {e}")));
                }
            }
        }
        drop(text);
        cells.shrink();
        rows.shrink_to_fit();
        Some(Table {
            source: source.clone(),
            parts: vec![Part { source, columns, cells }],
            rows,
            broken,
            notes: decoded.note.into_iter().collect(),
        })
    }

    /// A table from a sheet's cells: the header row (row 1) and each later row with its row
    /// number, as text (a row whose cells could not be read goes to `broken`, its problems
    /// recorded). `None`, with a problem, if a required column is missing.
    pub(super) fn from_sheet(
        source: Source,
        headers: &[String],
        (rows, broken): (Vec<SheetRow>, Vec<Vec<String>>),
        (required, optional): (&[&str], &[&str]),
        problems: &mut Problems,
    ) -> Option<Table> {
        let columns = header_map(&source, headers.iter().map(String::as_str), required, optional, problems)?;
        let mut cells = Cells::default();
        let mut keep = |line: usize, row: &[String]| {
            let stored = cells.add(0, line, row.iter().map(String::as_str));
            if stored.is_none() {
                problems.push(source.at(line, "is beyond the rows a table can hold: expected a smaller sheet"));
            }
            stored
        };
        let rows: Option<Vec<Stored>> = rows.into_iter().map(|(line, row)| keep(line, &row)).collect();
        // A row refused for its cells has no row number kept: 0.
        let broken: Option<Vec<Stored>> = broken.into_iter().map(|row| keep(0, &row)).collect();
        let (rows, broken) = (rows?, broken?);
        cells.shrink();
        Some(Table {
            parts: vec![Part { source: source.clone(), columns, cells }],
            source,
            rows,
            broken,
            notes: Vec::new(),
        })
    }

    /// Rows in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|&stored| Row { part: &self.parts[stored.part as usize], line: stored.line(), stored })
    }

    /// Whether the (first file's) header has this column.
    #[must_use]
    pub fn has_column(&self, name: &str) -> bool {
        self.parts[0].columns.contains_key(name)
    }

    /// Adds the rows of another file of the same table (a scenario's added rows).
    pub fn append(&mut self, other: Table) {
        let offset = self.parts.len();
        self.parts.extend(other.parts);
        self.notes.extend(other.notes);
        // A table is read from a few files: its parts are counted far below 4 billion.
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        let moved = |rows: Vec<Stored>| {
            rows.into_iter().map(move |mut r| {
                r.part = r.part.saturating_add(offset);
                r
            })
        };
        self.rows.extend(moved(other.rows));
        self.broken.extend(moved(other.broken));
    }

    /// Removes the rows whose `column` holds one of `ids`; returns the ids no row held (a
    /// row refused for its number of fields counts as holding what its `column` holds).
    pub fn remove(&mut self, column: &str, ids: &[String]) -> Vec<String> {
        let mut found = vec![false; ids.len()];
        let parts = &self.parts;
        let mut keep = |stored: &Stored| {
            let part = &parts[stored.part as usize];
            let text = part.columns.get(column).and_then(|&i| part.cells.get(*stored, i)).unwrap_or("");
            match ids.iter().position(|id| id == text) {
                Some(i) => {
                    found[i] = true;
                    false
                }
                None => true,
            }
        };
        self.rows.retain(&mut keep);
        self.broken.retain(&mut keep);
        ids.iter().zip(found).filter(|(_, f)| !f).map(|(id, _)| id.clone()).collect()
    }

    /// What `column` holds in each row refused for its number of fields: a reference to
    /// such a row is not a second problem (its own problem is reported).
    pub fn broken_cells<'a>(&'a self, column: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.broken.iter().filter_map(move |&stored| {
            let part = &self.parts[stored.part as usize];
            part.columns.get(column).and_then(|&i| part.cells.get(stored, i))
        })
    }
}

/// The header row's columns by lower-case name; a column named twice, or a required one
/// missing, is a problem (`None` if one is missing).
fn header_map<'a>(
    source: &Source,
    headers: impl Iterator<Item = &'a str>,
    required: &[&str],
    optional: &[&str],
    problems: &mut Problems,
) -> Option<HashMap<String, usize>> {
    let mut columns = HashMap::new();
    for (i, name) in headers.enumerate() {
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if columns.insert(name.clone(), i).is_some() {
            problems.push(source.field(1, &name, Some(i), "column appears twice in the header row"));
        }
    }
    let missing: Vec<&str> = required.iter().copied().filter(|c| !columns.contains_key(*c)).collect();
    if !missing.is_empty() {
        let mut expected: Vec<&str> = required.to_vec();
        expected.extend(optional.iter().map(|c| &c[..]));
        problems.push(source.at(
            1,
            format!(
                "missing column{} {}: expected a header row with {}",
                if missing.len() > 1 { "s" } else { "" },
                missing.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", "),
                expected.join(",")
            ),
        ));
        return None;
    }
    Some(columns)
}

impl Row<'_> {
    /// Every cell of the row, in the file's order.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        self.part.cells.row(self.stored)
    }

    /// The trimmed text of a column ("" if the column is absent or the row is short).
    #[must_use]
    pub fn text(&self, column: &str) -> &str {
        self.part.columns.get(column).and_then(|&i| self.part.cells.get(self.stored, i)).unwrap_or("")
    }

    /// A problem about a field of this row.
    #[must_use]
    pub fn problem(&self, column: &str, message: impl Into<String>) -> Problem {
        self.part.source.field(self.line, column, self.part.columns.get(column).copied(), message)
    }

    /// A problem about this row as a whole.
    #[must_use]
    pub fn row_problem(&self, message: impl Into<String>) -> Problem {
        self.part.source.at(self.line, message)
    }

    /// A required, non-empty text field.
    pub fn required(&self, column: &str, problems: &mut Problems) -> Option<String> {
        let t = self.text(column);
        if t.is_empty() {
            problems.push(self.problem(column, "is empty: expected a value"));
            None
        } else {
            Some(t.to_string())
        }
    }

    /// An id: letters, digits, '-', '_' and '.', starting with a letter or digit, at most
    /// [`LONGEST_ID`] characters.
    pub fn id(&self, column: &str, problems: &mut Problems) -> Option<String> {
        let t = self.required(column, problems)?;
        if is_valid_id(&t) {
            Some(t)
        } else {
            problems.push(self.problem(
                column,
                format!(
                    "{} is not a valid id: expected letters, digits, '-', '_' or '.', starting with a letter or \
                     digit, at most {LONGEST_ID} characters",
                    quoted(&t)
                ),
            ));
            None
        }
    }

    /// A name (of a locality, setting, scheme, option or step of the market): one line of
    /// text, at most [`LONGEST_NAME`] characters.
    pub fn name(&self, column: &str, problems: &mut Problems) -> Option<String> {
        let t = self.required(column, problems)?;
        match name_problem(&t) {
            None => Some(t),
            Some(why) => {
                problems.push(self.problem(column, why));
                None
            }
        }
    }

    /// A finite number, at least `min`. Spreadsheet money like `£1,250` is accepted.
    pub fn number(&self, column: &str, min: f64, problems: &mut Problems) -> Option<f64> {
        let t = self.text(column);
        if t.is_empty() {
            problems.push(self.problem(column, format!("is empty: expected a number of at least {min}")));
            return None;
        }
        self.parse_number(column, t, min, problems)
    }

    /// Like [`Row::number`], but an empty cell (or a missing column) gives `None` silently.
    pub fn optional_number(&self, column: &str, min: f64, problems: &mut Problems) -> Option<f64> {
        let t = self.text(column);
        if t.is_empty() { None } else { self.parse_number(column, t, min, problems) }
    }

    /// A number of children or places in one row: at least 0, at most [`MOST_IN_A_ROW`].
    pub fn count(&self, column: &str, problems: &mut Problems) -> Option<f64> {
        let t = self.text(column);
        if t.is_empty() {
            problems.push(self.problem(column, "is empty: expected a number of at least 0"));
            return None;
        }
        self.parse_count(column, t, problems)
    }

    /// Like [`Row::count`], but an empty cell (or a missing column) gives `None` silently.
    pub fn optional_count(&self, column: &str, problems: &mut Problems) -> Option<f64> {
        let t = self.text(column);
        if t.is_empty() { None } else { self.parse_count(column, t, problems) }
    }

    fn parse_count(&self, column: &str, t: &str, problems: &mut Problems) -> Option<f64> {
        let v = self.parse_number(column, t, 0.0, problems)?;
        if v > MOST_IN_A_ROW {
            problems.push(self.problem(
                column,
                format!("{} is too large: expected at most {}", quoted(t), grouped(MOST_IN_A_ROW as usize)),
            ));
            return None;
        }
        Some(v)
    }

    fn parse_number(&self, column: &str, t: &str, min: f64, problems: &mut Problems) -> Option<f64> {
        if let Err(NumberError::DecimalComma(point)) = read_number(t) {
            problems.push(self.problem(
                column,
                format!(
                    "{} has a decimal comma: expected a decimal point ({point}), and commas only between groups of three digits",
                    quoted(t)
                ),
            ));
            return None;
        }
        match parse_number(t) {
            Some(v) if v > LARGEST => {
                problems
                    .push(self.problem(column, format!("{} is too large: expected at most 1,000,000,000", quoted(t))));
                None
            }
            Some(v) if v >= min => Some(v),
            Some(_) => {
                problems.push(
                    self.problem(column, format!("{} is below {min}: expected a number of at least {min}", quoted(t))),
                );
                None
            }
            None => {
                problems.push(
                    self.problem(column, format!("{} is not a number: expected a number of at least {min}", quoted(t))),
                );
                None
            }
        }
    }

    /// A number within a closed range (for latitude and longitude).
    pub fn number_in(&self, column: &str, lo: f64, hi: f64, problems: &mut Problems) -> Option<f64> {
        let t = self.text(column);
        if let Err(NumberError::DecimalComma(point)) = read_number(t) {
            problems.push(
                self.problem(column, format!("{} has a decimal comma: expected a decimal point ({point})", quoted(t))),
            );
            return None;
        }
        match parse_number(t) {
            Some(v) if (lo..=hi).contains(&v) => Some(v),
            _ => {
                let found = if t.is_empty() { "empty".to_string() } else { quoted(t) };
                problems.push(self.problem(column, format!("{found}: expected a number from {lo} to {hi}")));
                None
            }
        }
    }

    /// A yes/no field.
    pub fn yes_no(&self, column: &str, problems: &mut Problems) -> Option<bool> {
        let t = self.text(column);
        match t.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Some(true),
            "no" | "n" | "false" | "0" => Some(false),
            _ => {
                let found = if t.is_empty() { "empty".to_string() } else { quoted(t) };
                problems.push(self.problem(column, format!("{found}: expected yes or no")));
                None
            }
        }
    }
}

/// Longest id, in characters: ids are short codes (`crewe`, `rowan-bank`), shown in every
/// table of every report.
pub const LONGEST_ID: usize = 64;

/// Longest name, in characters: the longest school name in England's register is under
/// 120; a name is shown in report tables, the annex and its workbook.
pub const LONGEST_NAME: usize = 200;

/// What is wrong with `text` as a name, if anything.
#[must_use]
pub fn name_problem(text: &str) -> Option<String> {
    let n = text.chars().count();
    if n > LONGEST_NAME {
        Some(format!("{} is too long: expected a name of at most {LONGEST_NAME} characters", super::text::quoted(text)))
    } else if text.chars().any(char::is_control) {
        Some(format!(
            "{} has a line break or other control character: expected a name on one line",
            super::text::quoted(text)
        ))
    } else {
        None
    }
}

/// Whether `s` is acceptable as an id.
#[must_use]
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= LONGEST_ID
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Largest table file read, in bytes: far above any authority's tables (England's generated
/// tables are under 100 MB).
pub const LARGEST_FILE: u64 = 200_000_000;

/// Largest number accepted in a table: far above any count, place or fee, and small enough
/// that sums and penalties stay exact.
const LARGEST: f64 = 1e9;

/// Most children or places in one row ([`Row::count`]): far above any setting's or any
/// authority's (England had about 640,000 EHC plans in 2025), and small enough that the
/// network simplex holds them in its integers ([`crate::optimise::flow`]).
pub const MOST_IN_A_ROW: f64 = 10_000_000.0;

/// Most children in a year's demand, all rows together: over a hundred times England's
/// plans.
pub const MOST_CHILDREN: f64 = 100_000_000.0;

/// Parses a number as a spreadsheet may export it: `1250`, `1,250.50`, `£1,250`.
#[must_use]
pub fn parse_number(text: &str) -> Option<f64> {
    read_number(text).ok()
}

/// Why a number could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberError {
    /// Not a number at all.
    NotANumber,
    /// A comma where a decimal point belongs (`2,5`, `1.250,5`): what it would be with a point.
    DecimalComma(String),
}

/// Reads a number strictly: an optional `£` and sign, digits with commas only between groups
/// of three (`1,250`, `12,345,678`), an optional decimal point and digits. `2,5`, `1,2,3`,
/// `1.250,5` and `12,34` are refused, not read as 25, 123, 1.2505 or 1234.
///
/// # Errors
/// [`NumberError::DecimalComma`] where a decimal comma looks meant, else
/// [`NumberError::NotANumber`].
pub fn read_number(text: &str) -> Result<f64, NumberError> {
    let t = text.trim();
    let (sign, t) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    let t = t.strip_prefix('£').unwrap_or(t);
    let (whole, fraction) = match t.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (t, None),
    };
    let grouped = |whole: &str| {
        let groups: Vec<&str> = whole.split(',').collect();
        (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
    };
    if (whole.contains(',') && !grouped(whole)) || fraction.is_some_and(|f| f.contains(',')) {
        // "2,5" or "1.250,5": a decimal comma, with dots (if any) grouping thousands.
        if let Some((w, f)) = t.rsplit_once(',') {
            let w: String = w.chars().filter(|&c| c != '.').collect();
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if digits(&w) && digits(f) && !t[..t.len() - f.len()].contains(",,") && t.matches(',').count() == 1 {
                return Err(NumberError::DecimalComma(format!("{sign}{w}.{f}")));
            }
        }
        return Err(NumberError::NotANumber);
    }
    let cleaned: String = whole.chars().filter(|&c| c != ',').collect();
    if cleaned.is_empty() && fraction.is_none_or(str::is_empty) {
        return Err(NumberError::NotANumber);
    }
    let joined = match fraction {
        Some(f) => format!("{sign}{cleaned}.{f}"),
        None => format!("{sign}{cleaned}"),
    };
    match joined.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(NumberError::NotANumber),
    }
}

#[cfg(test)]
mod tests;
