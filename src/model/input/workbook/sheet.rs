//! A sheet as the cells it holds, and the table made of it. Only the cells present are kept
//! (not the sheet's declared size, nor the empty cells between a table and a stray cell far
//! below or to the right), a row or cell an OpenDocument sheet repeats is kept once with its
//! count, and the table made of them is held to a size in memory set by the workbook's size
//! unpacked: a small file cannot stand for gigabytes of rows.

use super::super::problem::{Problem, Problems};
use super::super::table::{Source, Table};

/// What a cell holds as a CSV export would (never empty), or why it cannot be read.
pub(super) type Value = Result<String, String>;

/// `value`, unless it is empty text (no cell at all).
pub(super) fn present(value: Value) -> Option<Value> {
    match value {
        Ok(text) if text.is_empty() => None,
        v => Some(v),
    }
}

/// A cell, and how many columns it fills (more than one where a sheet repeats it).
#[derive(Clone)]
pub(super) struct Cell {
    pub col: u64,
    pub repeat: u64,
    pub value: Value,
}

/// A row holding at least one cell, and how many rows it fills.
#[derive(Clone)]
pub(super) struct Row {
    /// From 0 (the header row).
    pub row: u64,
    pub repeat: u64,
    /// In column order.
    pub cells: Vec<Cell>,
}

/// The cells of a sheet, in row order.
#[derive(Clone, Default)]
pub(super) struct Sheet {
    pub rows: Vec<Row>,
}

/// Memory a sheet may still take, in bytes, and the limit it started from.
pub(super) struct Budget {
    pub limit: u64,
    pub left: u64,
}

/// Bytes a table's cell takes beside its text: the String it is read into, and its place in
/// the row the table keeps (the allocator's overhead counted with the text).
const STRING: u64 = 32;
/// Bytes a table's row takes beside its cells.
const ROW: u64 = 96;
/// Bytes a kept cell takes beside its text, and a text's allocation beside its bytes.
const CELL: u64 = 64;
const TEXT: u64 = 16;

impl Budget {
    /// The memory reading a workbook of `unpacked` bytes may take: a few times its size, and
    /// `room` (for a small one).
    pub fn for_workbook(room: u64, unpacked: u64) -> Budget {
        let limit = room.saturating_add(unpacked.saturating_mul(3));
        Budget { limit, left: limit }
    }

    /// Takes `bytes`, or says (false) there are not so many left.
    pub fn take(&mut self, bytes: u64) -> bool {
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }

    /// Takes what a kept cell of `value` takes.
    pub fn take_cell(&mut self, value: &Value) -> bool {
        self.take(CELL + TEXT + value.as_ref().map_or_else(String::len, String::len) as u64)
    }

    /// The problem when a sheet has taken it all, at row `row` (from 0).
    pub fn spent(&self, source: &Source, row: u64, unpacked: u64) -> Problem {
        source.whole(format!(
            "holds too much to read: by row {} its cells, repeats counted, take more than the {} MB of memory a workbook of {} MB unpacked may take; expected a table about the size of its file (delete the rows and columns past the table, and save it again)",
            row.saturating_add(1),
            self.limit / 1_000_000,
            unpacked.div_ceil(1_000_000)
        ))
    }
}

impl Sheet {
    /// The sheet of `cells` (row and column from 0, any order; the last of two at one place
    /// kept).
    pub fn from_cells(mut cells: Vec<(u64, u64, Value)>) -> Sheet {
        cells.sort_by_key(|c| (c.0, c.1)); // stable: of two at one place, the later stays later
        let mut rows: Vec<Row> = Vec::new();
        for (row, col, value) in cells {
            match rows.last_mut() {
                Some(last) if last.row == row => match last.cells.last_mut() {
                    Some(cell) if cell.col == col => cell.value = value,
                    _ => last.cells.push(Cell { col, repeat: 1, value }),
                },
                _ => rows.push(Row { row, repeat: 1, cells: vec![Cell { col, repeat: 1, value }] }),
            }
        }
        Sheet { rows }
    }

    /// The table of this sheet, with the `required` columns, within `budget`; `None`, with
    /// problems recorded, if it cannot be used at all.
    pub fn table(
        &self,
        source: Source,
        (required, optional): (&[&str], &[&str]),
        (budget, unpacked): (&mut Budget, u64),
        problems: &mut Problems,
    ) -> Option<Table> {
        let mut expected: Vec<&str> = required.to_vec();
        expected.extend(optional);
        if self.rows.is_empty() {
            problems.push(source.at(1, format!("is empty: expected a header row with {}", expected.join(","))));
            return None;
        }
        // Row 1 is the header row; a cell that is not text or a number is no header.
        let header_row = self.rows.first().filter(|r| r.row == 0);
        let last = header_row.and_then(|r| r.cells.iter().rev().find(|c| c.value.is_ok()));
        let width = last.map_or(0, |c| c.col.saturating_add(c.repeat));
        let charge = |budget: &mut Budget, cells: u64| budget.take(cells.saturating_mul(STRING));
        if !charge(budget, width) {
            problems.push(budget.spent(&source, 0, unpacked));
            return None;
        }
        let width = usize::try_from(width).unwrap_or(usize::MAX);
        let headers = header_row.map_or_else(Vec::new, |r| expand(r, width));
        let headers: Vec<String> = headers.into_iter().map(|v| v.unwrap_or_default()).collect();
        let mut rows = Vec::new();
        let mut broken = Vec::new();
        for row in &self.rows {
            // Only cells under a header are read: a row with none is an empty row, however
            // often it repeats.
            if !row.cells.iter().any(|c| usize::try_from(c.col).is_ok_and(|col| col < width)) {
                continue;
            }
            let first = u64::from(row.row == 0); // row 1 itself is the header
            for copy in first..row.repeat {
                let at = row.row.saturating_add(copy);
                let line = usize::try_from(at).unwrap_or(usize::MAX).saturating_add(1);
                let values = expand(row, width);
                let text: u64 = values
                    .iter()
                    .map(|v| v.as_ref().map_or(0, |t| if t.is_empty() { 0 } else { TEXT + t.len() as u64 }))
                    .sum();
                if !charge(budget, width as u64) || !budget.take(ROW + text) {
                    problems.push(budget.spent(&source, at, unpacked));
                    return None;
                }
                let mut bad = false;
                let mut cells = Vec::with_capacity(width);
                for (c, (value, header)) in values.into_iter().zip(&headers).enumerate() {
                    if header.is_empty() {
                        cells.push(String::new()); // a column without a header is ignored
                        continue;
                    }
                    match value {
                        Ok(text) => cells.push(text),
                        Err(why) => {
                            if !budget.take(CELL + why.len() as u64) {
                                problems.push(budget.spent(&source, at, unpacked));
                                return None;
                            }
                            problems.push(source.field(line, &header.to_ascii_lowercase(), Some(c), why));
                            bad = true;
                            cells.push(String::new());
                        }
                    }
                }
                if bad {
                    broken.push(cells);
                } else if cells.iter().any(|t| !t.is_empty()) {
                    rows.push((line, cells));
                }
            }
        }
        Table::from_sheet(source, &headers, (rows, broken), (required, optional), problems)
    }
}

/// The values of `row` in its first `width` columns.
fn expand(row: &Row, width: usize) -> Vec<Value> {
    let mut values: Vec<Value> = vec![Ok(String::new()); width];
    for cell in &row.cells {
        let Ok(start) = usize::try_from(cell.col) else { break };
        let end = usize::try_from(cell.col.saturating_add(cell.repeat)).unwrap_or(usize::MAX).min(width);
        for value in values.iter_mut().take(end).skip(start) {
            value.clone_from(&cell.value);
        }
    }
    values
}
