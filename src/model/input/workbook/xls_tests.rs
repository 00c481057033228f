use std::io::{Cursor, Write};

use super::super::{MEMORY_ROOM, read_sheet};
use super::*;

/// A BIFF record: its type, its length, its bytes.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend(u16::try_from(data.len()).unwrap().to_le_bytes());
    r.extend(data);
    r
}

/// A BIFF8 BOF record, of the workbook's globals (`kind` 5) or of a sheet (0x10).
fn bof(kind: u16) -> Vec<u8> {
    let mut data = vec![0x00, 0x06];
    data.extend(kind.to_le_bytes());
    data.extend([0; 12]);
    record(BOF, &data)
}

/// A NUMBER cell at (`row`, `col`).
fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
    let mut data = [row.to_le_bytes(), col.to_le_bytes(), [0, 0]].concat();
    data.extend(value.to_le_bytes());
    record(NUMBER, &data)
}

/// A LABEL cell at (`row`, `col`) holding `text` (ASCII).
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut data = [row.to_le_bytes(), col.to_le_bytes(), [0, 0]].concat();
    data.extend(u16::try_from(text.len()).unwrap().to_le_bytes());
    data.push(0);
    data.extend(text.as_bytes());
    record(LABEL, &data)
}

/// A Workbook stream of `sheets` (name, cell records): the globals (BOF, a BOUNDSHEET for
/// each, EOF), then each sheet (BOF, its cells, EOF).
fn stream(sheets: &[(&str, Vec<Vec<u8>>)]) -> Vec<u8> {
    let boundsheet = |at: u32, name: &str| {
        let mut data = at.to_le_bytes().to_vec();
        data.extend([0, 0, u8::try_from(name.len()).unwrap(), 0]);
        data.extend(name.as_bytes());
        record(BOUNDSHEET, &data)
    };
    let globals_len = bof(5).len() + sheets.iter().map(|(n, _)| boundsheet(0, n).len()).sum::<usize>() + 4;
    let mut bodies = Vec::new();
    let mut globals = bof(5);
    for (name, cells) in sheets {
        globals.extend(boundsheet(u32::try_from(globals_len + bodies.len()).unwrap(), name));
        bodies.extend(bof(0x10));
        bodies.extend(cells.concat());
        bodies.extend(record(EOF, &[]));
    }
    globals.extend(record(EOF, &[]));
    assert_eq!(globals.len(), globals_len);
    [globals, bodies].concat()
}

/// A compound file holding `stream` as its Workbook stream.
fn xls(stream: &[u8]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cfb.create_stream("Workbook").unwrap().write_all(stream).unwrap();
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

/// Writes `bytes` as `name` in a new folder, kept while the folder is.
fn saved(bytes: &[u8], name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// A sheet with a cell at A1 and one at IV65536: a grid of 16.8 million cells.
fn corners() -> Vec<Vec<u8>> {
    vec![number(0, 0, 1.0), number(65535, 255, 2.0)]
}

#[test]
fn an_ordinary_workbook_is_read_as_before() {
    let cells = vec![label(0, 0, "name"), label(0, 1, "places"), label(1, 0, "Oak School"), number(1, 1, 12.0)];
    let (_dir, path) = saved(&xls(&stream(&[("Other", vec![]), ("Demand", cells)])), "model.xls");
    let table = read_sheet(&path, "Demand", (&["name", "places"], &[]), MEMORY_ROOM).unwrap();
    let rows: Vec<(String, String)> = table.rows().map(|r| (r.text("name").into(), r.text("places").into())).collect();
    assert_eq!(rows, [("Oak School".to_string(), "12".to_string())]);
}

#[test]
fn a_sheet_spanning_a1_to_iv65536_is_refused_before_it_is_read() {
    let bytes = xls(&stream(&[("Demand", corners())]));
    let (_dir, path) = saved(&bytes, "model.xls");
    let problems = read_sheet(&path, "Demand", (&["name"], &[]), MEMORY_ROOM).err().unwrap();
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!(
            "{}: holds too much to read: by its sheet 1 ('Demand', rows 1 to 65536 and columns A to IV) its sheets",
            path.display()
        )),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("take more than the 64 MB of memory a workbook of 1 MB may take"), "{}", lines[0]);
    assert!(lines[0].ends_with("or save it as .xlsx, which is read a cell at a time)"), "{}", lines[0]);
}

#[test]
fn sheets_are_counted_together() {
    // Each sheet's grid is 640 × 256 cells (5.2 MB as read): ten pass, twenty do not.
    let sheet = || vec![number(0, 0, 1.0), number(639, 255, 2.0)];
    let names: Vec<String> = (1..=20).map(|i| format!("S{i}")).collect();
    let book = |n: usize| stream(&names[..n].iter().map(|s| (s.as_str(), sheet())).collect::<Vec<_>>());
    let ten = book(10);
    let taken = scan(&ten, 1000, 100_000_000).unwrap();
    assert!(taken > 10 * 640 * 256 * 32 && taken < 100_000_000, "{taken}");
    let Err(Unusable::TooMuch(why)) = scan(&book(20), 1000, 100_000_000) else { panic!() };
    assert!(why.starts_with("holds too much to read: by its sheet "), "{why}");
}

#[test]
fn a_declared_size_calamine_makes_room_for_is_counted() {
    // A DIMENSIONS record of 4 billion rows, on a sheet of one cell.
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend(u32::MAX.to_le_bytes());
    dims.extend([0, 0, 0, 1, 0, 0]);
    let book = stream(&[("Demand", vec![record(DIMENSIONS, &dims), number(0, 0, 1.0)])]);
    assert!(matches!(scan(&book, 1000, 100_000_000), Err(Unusable::TooMuch(_))));
    // One that ends before it begins (which calamine's checked arithmetic refuses by panicking).
    let mut dims = 5u32.to_le_bytes().to_vec();
    dims.extend(5u32.to_le_bytes());
    dims.extend([0, 0, 3, 0, 0, 0]);
    let book = stream(&[("Demand", vec![record(DIMENSIONS, &dims)])]);
    let Err(Unusable::Damaged(why)) = scan(&book, 1000, 100_000_000) else { panic!() };
    assert!(why.contains("ends before it begins"), "{why}");
}

#[test]
fn a_row_of_numbers_counts_its_first_and_last_column() {
    // MULRK: row 3, columns 2 to 201, six bytes each.
    let mut data = [3u16.to_le_bytes(), 2u16.to_le_bytes()].concat();
    data.extend(vec![0; 6 * 200]);
    data.extend(201u16.to_le_bytes());
    let book = stream(&[("Demand", vec![number(0, 0, 1.0), record(MULRK, &data)])]);
    let grid = Grid::of(&book, u32_at(&book, bof(5).len() + 4) as usize, &[]).unwrap();
    assert_eq!(grid.values.0, Some(((0, 0), (3, 201))));
    assert_eq!(grid.cells, 201);
}

#[test]
fn shared_texts_are_counted_across_continue_records() {
    // Two texts: "ab" (one byte a character) and 5 wide characters split 2 + 3 across a
    // CONTINUE record, which starts with the width again.
    let mut sst = vec![0; 8];
    sst.extend([2, 0, 0, b'a', b'b']);
    sst.extend([5, 0, 1, b'x', 0, b'y', 0]);
    let more = record(CONTINUE, &[1, b'z', 0, b'z', 0, b'z', 0]);
    let after = Records { stream: &more, at: 0 };
    assert_eq!(shared_texts(&sst, after.clone(), 0).unwrap(), [6, 15]);
    // Cut short: the last text's characters run past its records.
    let short = record(CONTINUE, &[1, b'z', 0]);
    assert!(matches!(shared_texts(&sst, Records { stream: &short, at: 0 }, 0), Err(Unusable::Damaged(_))));
}

#[test]
fn a_stream_that_is_not_biff8_or_is_cut_short_is_refused() {
    let not = |bytes: &[u8]| match scan(bytes, 1000, 100_000_000) {
        Err(Unusable::Damaged(why)) => why,
        other => panic!("{other:?}"),
    };
    assert!(not(&record(0x0009, &[0; 4])).starts_with("it is not an Excel 97-2003 workbook"));
    let whole = stream(&[("Demand", corners())]);
    assert!(
        not(&whole[..whole.len() - 3]).starts_with("it is cut short: its Workbook stream ends 1 bytes into a record")
    );
    assert!(not(&whole[..30]).starts_with("it is cut short"));
    // A sheet listed past the stream's end.
    let mut far = whole.clone();
    let at = bof(5).len() + 4;
    far[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(not(&far).contains("begins past the end"));
}

#[test]
fn a_file_that_is_not_a_compound_file_is_refused_in_one_line() {
    let (_dir, path) = saved(b"name,places\nOak,12\n", "model.xls");
    let problems = read_sheet(&path, "Demand", (&["name"], &[]), MEMORY_ROOM).err().unwrap();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].to_string().contains("cannot be read as an Excel 97-2003 workbook (.xls): it is not an Excel 97-2003 workbook (not a whole compound file"));
}
