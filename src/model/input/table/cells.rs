//! The cells of a table's rows kept in little memory: every cell's text one after another in
//! one string, and where each ends, a few bytes a cell, where a record or a list of strings
//! for each row takes a hundred bytes or more before its text (a 190 MB CSV of short rows
//! peaked at over 3 GB).

/// Where one row's cells are kept, with the file (part of the table) and line it came from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stored {
    /// Where the row's text begins in [`Cells::text`].
    start: usize,
    /// Its first cell's end in [`Cells::ends`].
    first: usize,
    /// How many cells it has.
    count: u32,
    /// The part of the table (file) it came from.
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

/// Every cell of a table's rows.
#[derive(Debug, Default)]
pub(super) struct Cells {
    /// The cells' text, one after another.
    text: String,
    /// Where each cell ends, from the start of its row's text.
    ends: Vec<u32>,
}

impl Cells {
    /// Room for rows of `text` (a file's): no more cell text than it holds, and no more cells
    /// than its commas and line ends and one more, so that the store is never copied as it grows.
    pub fn for_text(text: &str) -> Cells {
        let cells = text.bytes().filter(|&b| b == b',' || b == b'\n').count() + 1;
        Cells { text: String::with_capacity(text.len()), ends: Vec::with_capacity(cells) }
    }

    /// Keeps a row's cells, from `part` at `line`. `None` if a row or the line is beyond what
    /// the store counts (a row of 4 GB, the line after 4 billion): none is near any file read.
    pub fn add<'c>(&mut self, part: usize, line: usize, cells: impl IntoIterator<Item = &'c str>) -> Option<Stored> {
        let (part, line) = (u32::try_from(part).ok()?, u32::try_from(line).ok()?);
        let start = self.text.len();
        let first = self.ends.len();
        for cell in cells {
            self.text.push_str(cell);
            match u32::try_from(self.text.len() - start) {
                Ok(end) => self.ends.push(end),
                Err(_) => {
                    self.text.truncate(start);
                    self.ends.truncate(first);
                    return None;
                }
            }
        }
        let count = u32::try_from(self.ends.len() - first).ok()?;
        Some(Stored { start, first, count, part, line })
    }

    /// Bytes held on the heap, rows (`rows` of them kept) and all.
    #[cfg(test)]
    pub fn held(&self, rows: usize) -> usize {
        self.text.capacity() + self.ends.capacity() * size_of::<u32>() + rows * size_of::<Stored>()
    }

    /// Gives back the room not used.
    pub fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Cell `i` (from 0) of a row, if it has one.
    pub fn get(&self, row: Stored, i: usize) -> Option<&str> {
        if i >= row.count as usize {
            return None;
        }
        let end = |k: usize| self.ends[row.first + k] as usize;
        let from = if i == 0 { 0 } else { end(i - 1) };
        self.text.get(row.start + from..row.start + end(i))
    }

    /// A row's cells, in the file's order.
    pub fn row(&self, row: Stored) -> impl Iterator<Item = &str> {
        (0..row.count as usize).filter_map(move |i| self.get(row, i))
    }

    /// Adds the rows of `other`, their parts counted from `parts` (a few: a table's files):
    /// the rows as stored here.
    pub fn append(&mut self, other: &Cells, rows: &[Stored], parts: usize) -> Vec<Stored> {
        let (text, ends) = (self.text.len(), self.ends.len());
        self.text.push_str(&other.text);
        self.ends.extend_from_slice(&other.ends);
        let parts = u32::try_from(parts).unwrap_or(u32::MAX);
        rows.iter()
            .map(|r| Stored { start: r.start + text, first: r.first + ends, part: r.part.saturating_add(parts), ..*r })
            .collect()
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
        assert_eq!(cells.row(one).collect::<Vec<_>>(), ["a", "bc"]);
        assert_eq!(cells.row(two).collect::<Vec<_>>(), ["", "é", "x,y"]);
        assert_eq!(cells.row(empty).count(), 0);
        assert_eq!((cells.get(two, 1), cells.get(two, 3), cells.get(one, 2)), (Some("é"), None, None));
        assert_eq!((two.line(), two.part), (3, 1));
        cells.shrink();
        let mut more = Cells::default();
        let three = more.add(0, 9, ["z"]).unwrap();
        let added = cells.append(&more, &[three], 2);
        assert_eq!(cells.row(added[0]).collect::<Vec<_>>(), ["z"]);
        assert_eq!((added[0].line(), added[0].part), (9, 2));
        assert_eq!(cells.row(one).collect::<Vec<_>>(), ["a", "bc"], "earlier rows unchanged");
    }

    #[test]
    fn a_line_beyond_what_is_counted_is_not_kept_as_another() {
        let mut cells = Cells::default();
        assert!(cells.add(0, usize::MAX, ["a"]).is_none());
    }
}
