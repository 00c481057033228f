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
}

impl Problem {
    /// A problem with a whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Problem {
        Problem { file: file.to_path_buf(), line: None, field: None, message: message.into() }
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
    /// a message of more than 1,000 characters is cut).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", one_line(&self.file.display().to_string(), LONGEST_MESSAGE))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field '{}'", one_line(field, 100))?;
        }
        write!(f, ": {}", one_line(&self.message, LONGEST_MESSAGE))
    }
}

/// Every problem found in a model's files, in the order found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }
    /// Whether nothing is wrong.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// How many problems.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// The problems.
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
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
    fn a_problem_is_one_line_however_long_or_broken_its_text() {
        let p = Problem::field(Path::new("a\nb.csv"), 2, "x\ny", format!("'{}'\nnext", "z".repeat(5_000)));
        let shown = p.to_string();
        assert_eq!(shown.lines().count(), 1, "{shown}");
        assert!(shown.starts_with("a\\nb.csv:2: field 'x\\ny': 'zzz"), "{shown}");
        assert!(shown.ends_with('…') && shown.chars().count() < 1_100, "{}", shown.len());
    }
}
