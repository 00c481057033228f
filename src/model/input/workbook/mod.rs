//! Reading tables from the sheets of one workbook, for a model kept in a workbook rather
//! than CSV files (`[tables] workbook = "model.xlsx"`, then a sheet's name for each table).
//! The workbook is Excel's (.xlsx, .xlsm, .xlsb, or the older .xls) or an OpenDocument
//! spreadsheet (.ods, LibreOffice's), told apart by the file's extension.
//!
//! Each sheet becomes the same [`Table`] a CSV file does, so every check of every table
//! applies unchanged. Row 1 is the header row; a numeric cell is the number it holds (shown
//! as text, which the strict number reader reads back exactly); a text cell is its text,
//! trimmed, so a number typed as text goes through the same strict reading as a CSV cell.
//! A date, a TRUE/FALSE or an error (`#N/A`) in a cell is a problem naming the sheet, the
//! row and the column's letter. Empty rows, and columns without a header, are ignored.

mod archive;
mod ods;
mod sheet;
mod xls;

use std::borrow::Cow;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xls, Xlsb, Xlsx, open_workbook};

use super::problem::{Problem, Problems};
use super::table::{LARGEST_FILE, Source, Table};
use super::text::quoted;
use archive::Unusable;
use sheet::{Budget, Sheet};

/// The memory reading any workbook may take besides three times its size unpacked, in bytes:
/// room for the cells of a small one.
pub const MEMORY_ROOM: u64 = 64_000_000;

/// Reads sheet `sheet` of the workbook at `path` as a table with the `required` and
/// `optional` columns, taking at most `room` bytes of memory besides three times the
/// workbook's size unpacked (as a model's workbook is read, with [`MEMORY_ROOM`]): the
/// table, or the problems that stop it being read.
///
/// # Errors
/// The problems, each on one line, naming the workbook.
pub fn read_sheet(path: &Path, sheet: &str, columns: (&[&str], &[&str]), room: u64) -> Result<Table, Vec<Problem>> {
    let mut problems = Problems::default();
    let mut book = Workbook::open_within(path, path, room, &mut problems);
    match book.table("sheet", sheet, columns, &mut problems) {
        Some(table) if problems.0.is_empty() => Ok(table),
        _ => Err(problems.0),
    }
}

/// An open workbook, or (with its problem recorded) one that could not be opened.
pub(super) struct Workbook {
    shown: PathBuf,
    book: Option<Book>,
    /// Its size unpacked, in bytes (an .xls file's size).
    unpacked: u64,
    /// The memory its tables may take besides three times `unpacked`.
    room: u64,
    /// The memory its tables may yet take.
    budget: Budget,
}

/// A workbook of one of the formats read. Excel's are read by calamine, a sheet at a time
/// as its cells stream (but .xls, which calamine reads whole); an OpenDocument spreadsheet
/// by [`ods`], its sheets' cells kept as they are in the file.
enum Book {
    Xlsx(Xlsx<BufReader<File>>),
    Xlsb(Xlsb<BufReader<File>>),
    Xls(Xls<BufReader<File>>),
    Ods(Vec<(String, Sheet)>),
}

/// The workbook formats read: the extensions (any case) and what each is, in words.
pub const FORMATS: [(&str, &str); 5] = [
    ("xlsx", "an Excel workbook (.xlsx)"),
    ("xlsm", "an Excel macro-enabled workbook (.xlsm)"),
    ("xlsb", "an Excel binary workbook (.xlsb)"),
    ("xls", "an Excel 97-2003 workbook (.xls)"),
    ("ods", "an OpenDocument spreadsheet (.ods)"),
];

/// The formats, for messages: `.xlsx, .xlsm, .xlsb, .xls or .ods`.
fn formats_expected() -> String {
    let exts: Vec<String> = FORMATS.iter().map(|(e, _)| format!(".{e}")).collect();
    format!("{} or {}", exts[..exts.len() - 1].join(", "), exts[exts.len() - 1])
}

/// Opens `path` as the format its extension names: the reader and its size unpacked, or the
/// error. An archive (all but .xls) is checked whole first; an .xls, which calamine reads
/// whole, is looked through for what that will take.
fn open_as(path: &Path, extension: &str, size: u64, room: u64) -> Result<(Book, u64), Unusable> {
    let unpacked = if extension == "xls" {
        xls::check(path, size, room)?;
        size
    } else {
        archive::check(path)?
    };
    let book = open_book(path, extension, Budget::for_workbook(room, unpacked)).map_err(Unusable::Damaged)?;
    Ok((book, unpacked))
}

/// Opens `path` as the format its extension names, or the error in words.
fn open_book(path: &Path, extension: &str, mut budget: Budget) -> Result<Book, String> {
    Ok(match extension {
        "xlsx" | "xlsm" => open_workbook::<Xlsx<_>, _>(path).map(Book::Xlsx).map_err(|e| e.to_string())?,
        "xlsb" => open_workbook::<Xlsb<_>, _>(path).map(Book::Xlsb).map_err(|e| e.to_string())?,
        "xls" => open_workbook::<Xls<_>, _>(path).map(Book::Xls).map_err(|e| e.to_string())?,
        _ => {
            let file = File::open(path).map_err(|e| e.to_string())?;
            Book::Ods(ods::read(BufReader::new(file), &mut budget)?)
        }
    })
}

impl Book {
    /// The sheets' names, in order.
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xlsb(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(sheets) => sheets.iter().map(|(n, _)| n.clone()).collect(),
        }
    }

    /// The cells of sheet `name` (one of [`Book::sheet_names`]) of a workbook of `unpacked`
    /// bytes, taking at most `room` besides three times that, or the problem of `source`.
    fn sheet(&mut self, name: &str, source: &Source, (room, unpacked): (u64, u64)) -> Result<Cow<'_, Sheet>, Problem> {
        let mut budget = Budget::for_workbook(room, unpacked);
        let unreadable = |e: &dyn std::fmt::Display| source.whole(format!("cannot be read: {e}"));
        let mut cells = Vec::new();
        let mut keep = |(row, col): (u32, u32), value: Data| -> Result<(), Problem> {
            if let Some(value) = sheet::present(cell_text(&value)) {
                if !budget.take_cell(&value) {
                    return Err(budget.spent(source, u64::from(row), unpacked));
                }
                cells.push((u64::from(row), u64::from(col), value));
            }
            Ok(())
        };
        match self {
            Book::Xlsx(b) => match b.worksheet_cells_reader(name) {
                Ok(mut reader) => {
                    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                        keep(cell.get_position(), Data::from(cell.get_value().clone()))?;
                    }
                }
                Err(calamine::XlsxError::NotAWorksheet(_)) => {}
                Err(e) => return Err(unreadable(&e)),
            },
            Book::Xlsb(b) => {
                let mut reader = b.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
                while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                    keep(cell.get_position(), Data::from(cell.get_value().clone()))?;
                }
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(|e| unreadable(&e))?;
                let (row0, col0) = range.start().unwrap_or_default();
                for (r, c, value) in range.used_cells() {
                    let at = (row0 + u32::try_from(r).unwrap_or(u32::MAX), col0 + u32::try_from(c).unwrap_or(u32::MAX));
                    keep(at, value.clone())?;
                }
            }
            Book::Ods(sheets) => {
                let i = sheets.iter().position(|(n, _)| n == name).ok_or_else(|| unreadable(&"it is not there"))?;
                return Ok(Cow::Borrowed(&sheets[i].1));
            }
        }
        Ok(Cow::Owned(Sheet::from_cells(cells)))
    }
}

impl Workbook {
    /// Opens the workbook at `path` (shown to the user as `shown`). If it cannot be read, a
    /// problem says so once and every table in it is then left unread without another.
    pub(super) fn open(path: &Path, shown: &Path, problems: &mut Problems) -> Workbook {
        Workbook::open_within(path, shown, MEMORY_ROOM, problems)
    }

    /// [`Workbook::open`], its tables taking at most `room` besides three times its size.
    fn open_within(path: &Path, shown: &Path, room: u64, problems: &mut Problems) -> Workbook {
        let mut refuse = |message: String| {
            problems.push(Problem::file(shown, message));
            Workbook {
                shown: shown.to_path_buf(),
                book: None,
                unpacked: 0,
                room,
                budget: Budget::for_workbook(room, 0),
            }
        };
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        let Some((extension, what)) = FORMATS.iter().find(|(e, _)| *e == extension) else {
            return refuse(format!(
                "is not a workbook this reads: expected a file ending {} (save it from Excel or LibreOffice in one of these)",
                formats_expected()
            ));
        };
        let size = match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => return refuse(format!("is not a regular file: expected {what}")),
            Ok(m) if m.len() > LARGEST_FILE => {
                return refuse(format!(
                    "is {} MB: expected at most {} MB",
                    m.len() / 1_000_000,
                    LARGEST_FILE / 1_000_000
                ));
            }
            Ok(m) => m.len(),
            Err(e) => return refuse(super::text::unreadable(&e)),
        };
        super::note_read(path);
        match open_as(path, extension, size, room) {
            Ok((book, unpacked)) => Workbook {
                shown: shown.to_path_buf(),
                book: Some(book),
                unpacked,
                room,
                budget: Budget::for_workbook(room, unpacked),
            },
            Err(Unusable::Damaged(e)) => refuse(format!(
                "cannot be read as {what}: {e}; save it again from Excel or LibreOffice as {what}, or as another of {}",
                formats_expected()
            )),
            Err(Unusable::TooBig { size, limit }) => refuse(Unusable::too_big(size, limit)),
            Err(Unusable::TooMuch(e)) => refuse(e),
        }
    }

    /// The workbook, as named to the user.
    pub(super) fn shown(&self) -> &Path {
        &self.shown
    }

    /// Reads sheet `sheet` (named by `tables.KEY`) as a table with the `required` columns.
    /// `None`, with problems recorded, if it cannot be used at all.
    pub(super) fn table(
        &mut self,
        key: &str,
        sheet: &str,
        columns: (&[&str], &[&str]),
        problems: &mut Problems,
    ) -> Option<Table> {
        let book = self.book.as_mut()?;
        let names = book.sheet_names();
        // Excel's sheet names are unique ignoring case.
        let Some(name) = names
            .iter()
            .find(|n| n.as_str() == sheet)
            .or_else(|| names.iter().find(|n| n.to_lowercase() == sheet.to_lowercase()))
            .cloned()
        else {
            problems.push(Problem::file(
                &self.shown,
                format!(
                    "has no sheet {} (named by tables.{key}): its sheets are {}",
                    quoted(sheet),
                    names.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(", ")
                ),
            ));
            return None;
        };
        let source = Source { file: self.shown.clone(), sheet: Some(name.clone()) };
        // The cells as read take memory of their own, beside the table made of them.
        let cells = match book.sheet(&name, &source, (self.room, self.unpacked)) {
            Ok(cells) => cells,
            Err(problem) => {
                problems.push(problem);
                return None;
            }
        };
        cells.table(source, columns, (&mut self.budget, self.unpacked), problems)
    }
}

/// The text of a cell as a CSV export would hold it, or why it cannot be read.
fn cell_text(data: &Data) -> Result<String, String> {
    match data {
        Data::Empty => Ok(String::new()),
        Data::String(s) => Ok(s.trim().to_string()),
        // Rust writes the shortest text that reads back as the same number, never with an
        // exponent: the strict number reader reads it exactly.
        Data::Float(f) => Ok(format!("{f}")),
        Data::Int(i) => Ok(i.to_string()),
        Data::Bool(b) => Err(format!(
            "is the logical value {}: expected text or a number (for a yes/no column, type yes or no)",
            if *b { "TRUE" } else { "FALSE" }
        )),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err("is a date or time: expected text or a number (format the column as Text or Number, not Date)".into())
        }
        Data::Error(e) => Err(format!("holds the error {e}: expected a value (check the cell's formula)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::input::table::column_letter;

    #[test]
    fn the_formats_are_listed_in_messages() {
        assert_eq!(formats_expected(), ".xlsx, .xlsm, .xlsb, .xls or .ods");
    }

    #[test]
    fn a_workbook_of_another_format_is_refused_naming_the_formats() {
        let mut problems = Problems::default();
        let book = Workbook::open(Path::new("model.numbers"), Path::new("model.numbers"), &mut problems);
        assert!(book.book.is_none());
        assert_eq!(
            problems.0.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "model.numbers: is not a workbook this reads: expected a file ending .xlsx, .xlsm, .xlsb, .xls or .ods (save it from Excel or LibreOffice in one of these)"
            ]
        );
    }

    #[test]
    fn columns_are_lettered_as_in_excel() {
        let letters: Vec<String> = [0, 4, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column_letter).collect();
        assert_eq!(letters, ["A", "E", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn cells_read_as_a_csv_export_would_hold_them() {
        assert_eq!(cell_text(&Data::Float(22000.0)), Ok("22000".into()));
        assert_eq!(cell_text(&Data::Float(2.5)), Ok("2.5".into()));
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)), Ok("0.30000000000000004".into()));
        assert_eq!(cell_text(&Data::Int(-3)), Ok("-3".into()));
        assert_eq!(cell_text(&Data::String(" £1,250 ".into())), Ok("£1,250".into()));
        assert!(cell_text(&Data::Bool(true)).unwrap_err().contains("TRUE"));
        assert!(cell_text(&Data::Error(calamine::CellErrorType::NA)).unwrap_err().contains("#N/A"));
        assert!(cell_text(&Data::DateTimeIso("2025-09-01".into())).unwrap_err().starts_with("is a date"));
    }

    #[test]
    fn every_float_a_cell_holds_reads_back_exactly() {
        for f in [1e-7, 123_456_789.125, 0.05, 1e9, 53.0988, -2.4405] {
            assert_eq!(super::super::table::parse_number(&cell_text(&Data::Float(f)).unwrap()), Some(f));
        }
    }
}
