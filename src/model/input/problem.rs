//! Problems found in input files: each names the file, the line, the field and what was
//! expected, on one line, so a planner can go straight to the cell in their spreadsheet.

use std::fmt;
use std::path::{Path, PathBuf};

use super::text::one_line;

/// One thing wrong with one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the user named it (or as the model file names it).
    pub file: PathBuf,
    /// Line in the file, counting from 1, where known.
    pub line: Option<usize>,
    /// Column or key, where it is about one.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// Where in a workbook, for a table kept as a sheet: `line` is then the sheet's row
    /// (boxed: most problems are not in a sheet, and a problem is kept small).
    pub sheet: Option<Box<SheetPlace>>,
}

/// Where in a workbook a problem is: the sheet, and the letter of the column where the
/// problem is about one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPlace {
    /// The sheet's name, as on its tab.
    pub sheet: String,
    /// The column's letter (`E`), where known.
    pub column: Option<String>,
}

impl Problem {
    /// A problem with a whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Problem {
        Problem { file: file.to_path_buf(), line: None, field: None, message: message.into(), sheet: None }
    }

    /// A problem at a line of a file.
    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> Problem {
        Problem { line: Some(line), ..Problem::file(file, message) }
    }

    /// A problem with one field at a line of a file.
    pub fn field(file: &Path, line: usize, field: &str, message: impl Into<String>) -> Problem {
        Problem { field: Some(field.to_string()), ..Problem::at(file, line, message) }
    }
}

/// Longest message shown, in characters: far above any message written here, so only text
/// quoted from a file without [`super::text::quoted`] is ever cut.
const LONGEST_MESSAGE: usize = 1_000;

impl fmt::Display for Problem {
    /// `file:line: field 'f': message`, always one line (control characters are escaped and
    /// a message of more than 1,000 characters is cut). In a workbook:
    /// `model.xlsx, sheet Settings, row 7, column E (places): message`. Problems only counted
    /// ([`Problems`]): `... and 5,000 more problems`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = self.counted() {
            return write!(f, "... and {} more problem{}", super::text::grouped(n), if n == 1 { "" } else { "s" });
        }
        write!(f, "{}", one_line(&self.file.display().to_string(), LONGEST_MESSAGE))?;
        if let Some(place) = &self.sheet {
            write!(f, ", sheet {}", one_line(&place.sheet, 100))?;
            if let Some(line) = self.line {
                write!(f, ", row {line}")?;
            }
            match (&place.column, &self.field) {
                (Some(letter), Some(field)) => write!(f, ", column {letter} ({})", one_line(field, 100))?,
                (Some(letter), None) => write!(f, ", column {letter}")?,
                (None, Some(field)) => write!(f, ", column '{}'", one_line(field, 100))?,
                (None, None) => {}
            }
            return write!(f, ": {}", one_line(&self.message, LONGEST_MESSAGE));
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field '{}'", one_line(field, 100))?;
        }
        write!(f, ": {}", one_line(&self.message, LONGEST_MESSAGE))
    }
}

/// Most problems a [`Problems`] keeps one by one ([`Problems::push`]): far more than are
/// ever shown (the commands show 50 and count the rest), so that a file of millions of bad
/// or repeated rows is counted in a few megabytes, not kept in gigabytes.
pub const MOST_KEPT: usize = 10_000;

/// Every problem found in a model's files, in the order found. Past [`MOST_KEPT`], problems
/// pushed are counted, not kept: one entry at the end ([`Problem::more`]) holds how many.
/// [`Problems::len`] counts them all and [`Problems::iter`] gives those kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problem {
    /// `n` problems counted but not kept (the last entry of a [`Problems`] past
    /// [`MOST_KEPT`]): no file, no message, the count as its line.
    fn more(n: usize) -> Problem {
        Problem { file: PathBuf::new(), line: Some(n), field: None, message: String::new(), sheet: None }
    }

    /// How many problems this entry counts without keeping them, if it is such an entry.
    fn counted(&self) -> Option<usize> {
        if self.file.as_os_str().is_empty() && self.message.is_empty() && self.field.is_none() {
            self.line
        } else {
            None
        }
    }
}

impl Problems {
    /// Records a problem: kept, or past [`MOST_KEPT`] only counted.
    pub fn push(&mut self, problem: Problem) {
        if self.0.len() < MOST_KEPT {
            self.0.push(problem);
            return;
        }
        match self.0.last_mut() {
            Some(last) if last.counted().is_some() => last.line = last.line.map(|n| n.saturating_add(1)),
            _ => self.0.push(Problem::more(1)),
        }
    }
    /// Whether nothing is wrong.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// How many problems: those kept and those only counted.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.iter().map(|p| p.counted().unwrap_or(1)).sum()
    }
    /// The problems kept.
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.counted().is_none())
    }
}

impl fmt::Display for Problems {
    /// One problem a line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_as_file_line_field_message() {
        let p = Problem::field(Path::new("data/settings.csv"), 14, "places", "expected a number");
        assert_eq!(p.to_string(), "data/settings.csv:14: field 'places': expected a number");
        let q = Problem::file(Path::new("m.toml"), "cannot read");
        assert_eq!(q.to_string(), "m.toml: cannot read");
    }

    #[test]
    fn a_problem_in_a_sheet_names_the_sheet_row_and_column_letter() {
        let place = |column: Option<&str>| {
            Some(Box::new(SheetPlace { sheet: "Settings".into(), column: column.map(Into::into) }))
        };
        let p = Problem { sheet: place(Some("E")), ..Problem::field(Path::new("model.xlsx"), 7, "places", "bad") };
        assert_eq!(p.to_string(), "model.xlsx, sheet Settings, row 7, column E (places): bad");
        let q = Problem { sheet: place(None), ..Problem::at(Path::new("model.xlsx"), 3, "a row") };
        assert_eq!(q.to_string(), "model.xlsx, sheet Settings, row 3: a row");
        let r = Problem { sheet: place(None), ..Problem::file(Path::new("model.xlsx"), "empty") };
        assert_eq!(r.to_string(), "model.xlsx, sheet Settings: empty");
    }

    #[test]
    fn past_the_most_kept_problems_are_counted_not_kept() {
        let mut problems = Problems::default();
        let at = |line| Problem::at(Path::new("demand.csv"), line, "duplicate demand");
        for line in 2..MOST_KEPT + 2 {
            problems.push(at(line));
        }
        assert_eq!((problems.len(), problems.0.len()), (MOST_KEPT, MOST_KEPT));
        for line in 0..25_000 {
            problems.push(at(MOST_KEPT + 2 + line));
        }
        assert_eq!(problems.len(), MOST_KEPT + 25_000, "every problem is counted");
        assert_eq!(problems.0.len(), MOST_KEPT + 1, "one entry counts those not kept");
        assert_eq!(problems.iter().count(), MOST_KEPT);
        assert!(problems.iter().all(|p| p.message == "duplicate demand"));
        assert_eq!(problems.to_string().lines().last(), Some("... and 25,000 more problems"));
        // Problems gathered from several files are all counted.
        let mut all = Problems(vec![at(1)]);
        all.0.extend(problems.0.clone());
        all.push(at(3));
        assert_eq!(all.len(), MOST_KEPT + 25_002);
    }

    #[test]
    fn a_problem_is_one_line_however_long_or_broken_its_text() {
        let p = Problem::field(Path::new("a\nb.csv"), 2, "x\ny", format!("'{}'\nnext", "z".repeat(5_000)));
        let shown = p.to_string();
        assert_eq!(shown.lines().count(), 1, "{shown}");
        assert!(shown.starts_with("a\\nb.csv:2: field 'x\\ny': 'zzz"), "{shown}");
        assert!(shown.ends_with('…') && shown.chars().count() < 1_100, "{}", shown.len());
    }
}
