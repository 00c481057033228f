//! An Excel 97-2003 workbook (.xls) looked through before it is read. calamine reads such a
//! workbook whole as it opens it, each sheet as a grid from its first cell to its last, so a
//! small file with a cell at A1 and one at IV65536 on each sheet stands for gigabytes. Here
//! the workbook's records (BIFF8, [MS-XLS] 2.1.4: a type, a length, its bytes) are walked
//! first, keeping no cell, and what calamine will hold is counted: each sheet's grid, the
//! cells and formulas as read, the texts. A workbook that would take more memory than any
//! workbook of its size may, or whose records are cut short, is refused before it is read.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::mem::size_of;
use std::path::Path;

use calamine::{Cell, Data};

use super::super::table::column_letter;
use super::super::text::quoted;
use super::archive::Unusable;
use super::sheet::Budget;

/// Record types ([MS-XLS] 2.3): the workbook's and each sheet's first and last, the list of
/// sheets, the shared texts and their continuation, a sheet's declared size.
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const DIMENSIONS: u16 = 0x0200;
/// The cells calamine keeps: NUMBER, LABEL, BOOLERR, RK, LABELSST, MULRK, FORMULA, and the
/// text a formula gives (STRING). It skips BLANK, MULBLANK and RSTRING, which so take no room.
const NUMBER: u16 = 0x0203;
const LABEL: u16 = 0x0204;
const BOOLERR: u16 = 0x0205;
const RK: u16 = 0x027E;
const LABELSST: u16 = 0x00FD;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;

/// Bytes of text a character read may take (UTF-8 of one UTF-16 unit), and bytes a formula's
/// text may take for each byte of the formula in the file (a reference `$A$1` is written from
/// three); a reference to a long defined name may take more.
const PER_CHAR: u64 = 3;
const PER_FORMULA_BYTE: u64 = 8;

/// Checks the .xls workbook at `path`, of `size` bytes, whose reading may take `room` bytes
/// of memory besides three times its size: the memory calamine will take reading it.
pub(super) fn check(path: &Path, size: u64, room: u64) -> Result<u64, Unusable> {
    let file = File::open(path).map_err(|e| Unusable::Damaged(e.to_string()))?;
    check_reader(BufReader::new(file), size, room)
}

/// [`check`] of a workbook read from `reader`.
pub(super) fn check_reader<R: Read + Seek>(reader: R, size: u64, room: u64) -> Result<u64, Unusable> {
    let stream = workbook_stream(reader, size).map_err(Unusable::Damaged)?;
    scan(&stream, size, Budget::for_workbook(room, size).limit)
}

/// The Workbook stream of the compound file read from `reader` (of `size` bytes).
fn workbook_stream<R: Read + Seek>(reader: R, size: u64) -> Result<Vec<u8>, String> {
    let mut cfb = cfb::CompoundFile::open(reader)
        .map_err(|e| format!("it is not an Excel 97-2003 workbook (not a whole compound file: {e})"))?;
    let mut stream = ["Workbook", "Book"]
        .iter()
        .find_map(|name| cfb.open_stream(name).ok())
        .ok_or("it holds no Workbook stream (the part an Excel 97-2003 workbook keeps its sheets in)")?;
    if stream.len() > size {
        return Err(format!(
            "it is damaged: its Workbook stream says it is {} bytes, more than the file",
            stream.len()
        ));
    }
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).map_err(|e| format!("it is damaged: its Workbook stream cannot be read ({e})"))?;
    Ok(bytes)
}

/// A record: where it starts in the stream, its type, its bytes.
type Record<'a> = (usize, u16, &'a [u8]);

/// The records of a stream from byte `at`; an error (and then no more) where one is cut short.
#[derive(Clone)]
struct Records<'a> {
    stream: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, Unusable>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.stream.get(self.at..).filter(|r| !r.is_empty())?;
        let start = self.at;
        self.at = self.stream.len();
        if rest.len() < 4 {
            return Some(Err(cut_short(start, rest.len(), 4)));
        }
        let (typ, len) = (u16_at(rest, 0), usize::from(u16_at(rest, 2)));
        if rest.len() < 4 + len {
            return Some(Err(cut_short(start, rest.len(), 4 + len)));
        }
        self.at = start + 4 + len;
        Some(Ok((start, typ, &rest[4..4 + len])))
    }
}

/// A record at byte `at` with only `left` of its `needed` bytes.
fn cut_short(at: usize, left: usize, needed: usize) -> Unusable {
    Unusable::Damaged(format!(
        "it is cut short: its Workbook stream ends {left} bytes into a record at byte {at} of {needed} bytes"
    ))
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    bytes.get(at..at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes.get(at..at + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A sheet listed in the workbook: where its records start, its name.
struct Listed {
    at: usize,
    name: String,
}

/// Walks the Workbook `stream` of a workbook of `size` bytes: the memory calamine will take
/// reading it, or why not (more than `limit`, or records cut short).
fn scan(stream: &[u8], size: u64, limit: u64) -> Result<u64, Unusable> {
    let mut records = Records { stream, at: 0 };
    let version = match records.next() {
        Some(Ok((_, BOF, data))) => u16_at(data, 0),
        Some(Err(e)) => return Err(e),
        _ => 0,
    };
    // BIFF8 (Excel 97 and later), or BIFF5 (Excel 95), whose cells are laid out alike.
    if !matches!(version, 0x0600 | 0x0500) {
        return Err(Unusable::Damaged(
            "it is not an Excel 97-2003 workbook: its Workbook stream does not begin as one does (a BIFF8 BOF record)"
                .into(),
        ));
    }
    let mut sheets = Vec::new();
    let mut shared: Vec<u64> = Vec::new();
    while let Some(record) = records.next() {
        let (at, typ, data) = record?;
        match typ {
            EOF => break,
            BOUNDSHEET if data.len() < 6 => {
                return Err(Unusable::Damaged(format!("it is damaged: its sheet list is cut short at byte {at}")));
            }
            BOUNDSHEET => {
                let start = u32_at(data, 0) as usize;
                if start > stream.len() {
                    return Err(Unusable::Damaged(format!(
                        "it is damaged: its sheet {} begins past the end of its Workbook stream",
                        sheets.len() + 1
                    )));
                }
                sheets.push(Listed { at: start, name: sheet_name(&data[6..], version == 0x0600) });
            }
            SST => shared = shared_texts(data, records.clone(), at)?,
            _ => {}
        }
    }
    // calamine keeps the stream, the shared texts, then each sheet's grids as it reads them.
    let mut total = (stream.len() + shared.len() * size_of::<String>()) as u64 + shared.iter().sum::<u64>();
    for (i, sheet) in sheets.iter().enumerate() {
        let grid = Grid::of(stream, sheet.at, &shared)?;
        total = total.saturating_add(grid.bytes());
        if total > limit {
            return Err(Unusable::TooMuch(too_much(i, sheet, &grid, (size, limit))));
        }
    }
    Ok(total)
}

/// A sheet's name from its BOUNDSHEET record past the sheet's kind: a count, then (BIFF8) a
/// flag for two-byte characters, then the characters.
fn sheet_name(data: &[u8], biff8: bool) -> String {
    let count = usize::from(data.first().copied().unwrap_or(0));
    if !biff8 {
        return data.iter().skip(1).take(count).map(|&b| char::from(b)).collect();
    }
    let wide = data.get(1).is_some_and(|f| f & 1 != 0);
    let chars = data.get(2..).unwrap_or_default();
    if wide {
        let units: Vec<u16> = chars.chunks_exact(2).take(count).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(count).map(|&b| char::from(b)).collect()
    }
}

/// The bytes of text each shared text (SST record `data`, then the CONTINUE records that
/// follow in `after`; [MS-XLS] 2.4.265) will take once read, walked as calamine walks it.
fn shared_texts(data: &[u8], after: Records<'_>, at: usize) -> Result<Vec<u64>, Unusable> {
    let damaged = || Unusable::Damaged(format!("it is damaged: its shared texts (at byte {at}) are cut short"));
    let mut parts = vec![data.get(8..).ok_or_else(damaged)?];
    for record in after {
        match record? {
            (_, CONTINUE, more) => parts.push(more),
            _ => break,
        }
    }
    let mut texts = Vec::new();
    let mut read = Parts { parts, at: 0 };
    while read.more() {
        let (chars, flags) = (read.u16().ok_or_else(damaged)?, read.u8().ok_or_else(damaged)?);
        let runs = if flags & 0x8 != 0 { read.u16().ok_or_else(damaged)? } else { 0 };
        let extra = if flags & 0x4 != 0 { read.u32().ok_or_else(damaged)? } else { 0 };
        // The characters, one or two bytes each: a text split between records carries its
        // width again at the start of the next.
        let (mut left, mut wide) = (usize::from(chars), flags & 1 != 0);
        loop {
            let width = if wide { 2 } else { 1 };
            let n = left.min(read.left() / width);
            read.skip(n * width).ok_or_else(damaged)?;
            left -= n;
            if left == 0 {
                break;
            }
            read.next_part().ok_or_else(damaged)?;
            wide = read.u8().ok_or_else(damaged)? & 1 != 0;
        }
        read.skip(usize::from(runs) * 4).ok_or_else(damaged)?;
        read.skip(usize::try_from(extra).unwrap_or(usize::MAX)).ok_or_else(damaged)?;
        texts.push(u64::from(chars) * PER_CHAR);
    }
    Ok(texts)
}

/// Bytes read across a record and its continuations.
struct Parts<'a> {
    parts: Vec<&'a [u8]>,
    at: usize,
}

impl Parts<'_> {
    /// Whether any byte is left (moving past used-up parts).
    fn more(&mut self) -> bool {
        while self.parts.first().is_some_and(|p| self.at >= p.len()) {
            if self.next_part().is_none() {
                return false;
            }
        }
        !self.parts.is_empty()
    }

    /// Bytes left in this part.
    fn left(&self) -> usize {
        self.parts.first().map_or(0, |p| p.len().saturating_sub(self.at))
    }

    fn next_part(&mut self) -> Option<()> {
        (self.parts.len() > 1).then(|| {
            self.parts.remove(0);
            self.at = 0;
        })
    }

    /// Skips `n` bytes, into the next parts as needed.
    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            if self.left() == 0 {
                self.next_part()?;
            }
            let step = n.min(self.left());
            self.at += step;
            n -= step;
        }
        Some(())
    }

    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        let part = self.parts.first()?;
        let bytes = part.get(self.at..self.at + N)?.try_into().ok()?;
        self.at += N;
        Some(bytes)
    }

    fn u8(&mut self) -> Option<u8> {
        self.bytes::<1>().map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.bytes().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.bytes().map(u32::from_le_bytes)
    }
}

/// The rows and columns from a sheet's first cell to its last (from 0), if it has one.
#[derive(Default, Clone, Copy)]
struct Span(Option<((u32, u32), (u32, u32))>);

impl Span {
    fn add(&mut self, row: u32, col: u32) {
        let ((r0, c0), (r1, c1)) = self.0.unwrap_or(((row, col), (row, col)));
        self.0 = Some(((r0.min(row), c0.min(col)), (r1.max(row), c1.max(col))));
    }

    fn cells(self) -> u64 {
        self.0.map_or(0, |((r0, c0), (r1, c1))| u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1))
    }
}

/// What calamine keeps of one sheet: the grid of its values and that of its formulas, the
/// cells as read (room for as many as its DIMENSIONS record declares, first), their texts.
#[derive(Default)]
struct Grid {
    values: Span,
    formulas: Span,
    declared: u64,
    cells: u64,
    formula_cells: u64,
    text: u64,
}

impl Grid {
    /// The sheet whose records start at byte `at` of `stream`, up to its EOF record (or the
    /// stream's end), with the workbook's `shared` texts' sizes.
    fn of(stream: &[u8], at: usize, shared: &[u64]) -> Result<Grid, Unusable> {
        let mut grid = Grid::default();
        let mut formula_at = (0, 0);
        for record in (Records { stream, at }) {
            let (at, typ, data) = record?;
            let (row, col) = (u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)));
            match typ {
                EOF => break,
                DIMENSIONS => grid.declared = grid.declared.max(declared(data, at)?),
                NUMBER | BOOLERR | RK => grid.value(row, col, 0),
                LABEL => grid.value(row, col, data.len() as u64 * PER_CHAR),
                LABELSST => grid.value(row, col, shared.get(u32_at(data, 6) as usize).copied().unwrap_or(0)),
                STRING => grid.value(formula_at.0, formula_at.1, data.len() as u64 * PER_CHAR),
                MULRK if data.len() >= 6 => {
                    let last = u32::from(u16_at(data, data.len() - 2));
                    if last < col {
                        return Err(Unusable::Damaged(format!(
                            "it is damaged: a row of numbers (MULRK record at byte {at}) ends before it begins"
                        )));
                    }
                    grid.value(row, col, 0);
                    grid.values.add(row, last);
                    grid.cells += u64::from(last - col);
                }
                FORMULA => {
                    formula_at = (row, col);
                    grid.value(row, col, 0);
                    grid.formulas.add(row, col);
                    grid.formula_cells += 1;
                    grid.text += 64 + data.len() as u64 * PER_FORMULA_BYTE;
                }
                _ => {}
            }
        }
        Ok(grid)
    }

    /// A value cell at (`row`, `col`) with `text` bytes of text.
    fn value(&mut self, row: u32, col: u32, text: u64) {
        self.values.add(row, col);
        self.cells += 1;
        self.text += text;
    }

    /// The memory calamine takes for the sheet: the grids whole, the cells as read (a list
    /// that may have grown to twice what it holds), the texts.
    fn bytes(&self) -> u64 {
        let size = |n: usize| n as u64;
        let listed = self.declared.saturating_add(self.cells).saturating_mul(2 * size(size_of::<Cell<Data>>()));
        let formulas = self.formula_cells.saturating_mul(2 * size(size_of::<Cell<String>>()));
        self.values
            .cells()
            .saturating_mul(size(size_of::<Data>()))
            .saturating_add(self.formulas.cells().saturating_mul(size(size_of::<String>())))
            .saturating_add(listed)
            .saturating_add(formulas)
            .saturating_add(self.text)
    }
}

/// The cells a DIMENSIONS record (at byte `at`) declares, for which calamine makes room at
/// once: rows (four bytes each in BIFF8, two in BIFF5) and columns, first and one past last.
fn declared(data: &[u8], at: usize) -> Result<u64, Unusable> {
    let (first_row, end_row, first_col, end_col) = match data.len() {
        10 => (u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)), u16_at(data, 4), u16_at(data, 6)),
        14 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8), u16_at(data, 10)),
        _ => return Ok(0), // calamine refuses it
    };
    // As calamine reads it: a first column past IV, or after the end, is column A.
    let first_col = if first_col > 0xFF || end_col < first_col { 0 } else { first_col };
    if end_row == 0 || end_col == 0 {
        return Ok(1);
    }
    if end_row <= first_row || end_col <= first_col {
        return Err(Unusable::Damaged(format!(
            "it is damaged: a sheet's size (DIMENSIONS record at byte {at}) ends before it begins"
        )));
    }
    Ok(u64::from(end_row - first_row) * u64::from(end_col - first_col))
}

/// The problem of a workbook of (`size`, `limit`) bytes whose sheets, by sheet `i`, take more.
fn too_much(i: usize, sheet: &Listed, grid: &Grid, (size, limit): (u64, u64)) -> String {
    let span = grid.values.0.map_or_else(String::new, |((r0, c0), (r1, c1))| {
        format!(
            ", rows {} to {} and columns {} to {}",
            r0 + 1,
            r1 + 1,
            column_letter(c0 as usize),
            column_letter(c1 as usize)
        )
    });
    format!(
        "holds too much to read: by its sheet {} ({}{span}) its sheets, which an Excel 97-2003 workbook's reader holds whole from each one's first cell to its last, take more than the {} MB of memory a workbook of {} MB may take; expected tables about the size of the file (delete the rows and columns past each table, or save it as .xlsx, which is read a cell at a time)",
        i + 1,
        quoted(&sheet.name),
        limit / 1_000_000,
        size.div_ceil(1_000_000)
    )
}

#[cfg(test)]
#[path = "xls_tests.rs"]
mod tests;
