//! The cells of a table's rows kept in little memory: every cell's text one after another in
//! one string for each file, and where each ends, a few bytes a cell, where a record or a list
//! of strings for each row takes a hundred bytes or more before its text (a 190 MB CSV of
//! short rows peaked at over 3 GB).

/// Where one row's cells are kept, with the file (part of the table) and line it came from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stored {
    /// Its first cell's end in [`Cells::ends`].
    first: u32,
    /// How many cells it has.
    count: u32,
    /// The part of the table (file) it came from, whose [`Cells`] hold it.
    pub part: u32,
    /// Its line (or a sheet's row), from 1.
    line: u32,
}

impl Stored {
    /// Its line (or a sheet's row), from 1.
    pub fn line(self) -> usize {
        self.line as usize
    }
}

/// Every cell of the rows of one file of a table.
#[derive(Debug, Default)]
pub(super) struct Cells {
    /// The cells' text, one after another.
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<u32>,
}

impl Cells {
    /// Room for rows of `text` (a file's): no more cell text than it holds, and no more cells
    /// than its commas and line ends and one more, so that the store is never copied as it grows.
    pub fn for_text(text: &str) -> Cells {
        let cells = text.bytes().filter(|&b| b == b',' || b == b'\n').count() + 1;
        Cells { text: String::with_capacity(text.len()), ends: Vec::with_capacity(cells) }
    }

    /// Keeps a row's cells, from `part` at `line`. `None`, nothing kept, past what the store
    /// counts (4 GB of text or 4 billion cells or lines in one file): far beyond any file read.
    pub fn add<'c>(&mut self, part: usize, line: usize, cells: impl IntoIterator<Item = &'c str>) -> Option<Stored> {
        let (text, ends) = (self.text.len(), self.ends.len());
        let row = self.push(part, line, cells);
        if row.is_none() {
            self.text.truncate(text);
            self.ends.truncate(ends);
        }
        row
    }

    fn push<'c>(&mut self, part: usize, line: usize, cells: impl IntoIterator<Item = &'c str>) -> Option<Stored> {
        let first = u32::try_from(self.ends.len()).ok()?;
        for cell in cells {
            self.text.push_str(cell);
            self.ends.push(u32::try_from(self.text.len()).ok()?);
        }
        let count = u32::try_from(self.ends.len()).ok()? - first;
        Some(Stored { first, count, part: u32::try_from(part).ok()?, line: u32::try_from(line).ok()? })
    }

    /// Gives back the room not used.
    pub fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Bytes held on the heap.
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * size_of::<u32>()
    }

    /// Cell `i` (from 0) of a row kept here, if it has one.
    pub fn get(&self, row: Stored, i: usize) -> Option<&str> {
        if i >= row.count as usize {
            return None;
        }
        let k = row.first as usize + i;
        let from = if k == 0 { 0 } else { *self.ends.get(k - 1)? as usize };
        self.text.get(from..*self.ends.get(k)? as usize)
    }

    /// A row's cells, in the file's order.
    pub fn row(&self, row: Stored) -> impl Iterator<Item = &str> {
        (0..row.count as usize).filter_map(move |i| self.get(row, i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rows_cells_come_back_as_kept() {
        let mut cells = Cells::for_text("a,bc\n,é,\"x,y\"\n");
        let one = cells.add(0, 2, ["a", "bc"]).unwrap();
        let two = cells.add(1, 3, ["", "é", "x,y"]).unwrap();
        let empty = cells.add(0, 4, []).unwrap();
        let last = cells.add(0, 5, ["z"]).unwrap();
        cells.shrink();
        assert_eq!(cells.row(one).collect::<Vec<_>>(), ["a", "bc"]);
        assert_eq!(cells.row(two).collect::<Vec<_>>(), ["", "é", "x,y"]);
        assert_eq!(cells.row(empty).count(), 0);
        assert_eq!(cells.row(last).collect::<Vec<_>>(), ["z"]);
        assert_eq!((cells.get(two, 1), cells.get(two, 3), cells.get(one, 2)), (Some("é"), None, None));
        assert_eq!((two.line(), two.part), (3, 1));
    }

    #[test]
    fn a_line_beyond_what_is_counted_is_not_kept_as_another() {
        let mut cells = Cells::default();
        assert!(cells.add(0, usize::MAX, ["a"]).is_none());
        assert!(cells.text.is_empty() && cells.ends.is_empty(), "nothing is left of it");
        let row = cells.add(0, 2, ["b"]).unwrap();
        assert_eq!(cells.row(row).collect::<Vec<_>>(), ["b"]);
    }
}
