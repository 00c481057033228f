//! Property tests of the workbook reader: whatever a workbook's sheet declares (its size,
//! cells at the last row and column, rows and cells repeated millions of times, texts
//! repeated in a cell) and whatever bytes of it are damaged, reading a sheet never panics or
//! aborts, and gives either a table no bigger in memory than the workbook allows (a few
//! times its size unpacked, and a small room) or problems, each one line naming the
//! workbook.
//!
//! The workbooks (.xlsx and .ods) are written here, part by part, as zip archives on tmpfs
//! (where there is one). Run alone with `cargo test --test workbooks_prop`.

use std::io::{Cursor, Write};
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

use sufficiency::model::input::read_sheet;
use sufficiency::model::input::table::Table;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// The memory a small workbook may take in these tests: small, so that a sheet that would
/// take more is found in milliseconds.
const ROOM: u64 = 2_000_000;

/// The columns the sheet is read with.
const REQUIRED: &[&str] = &["id"];
const OPTIONAL: &[&str] = &["name", "places"];

/// A cell's value as written.
#[derive(Debug, Clone)]
enum Value {
    Number(f64),
    Text(String),
    /// A shared text, by index (perhaps past the last).
    Shared(u32),
    Bool(bool),
    Error,
}

/// A column letter (A, XFD, or past Excel's last), a row number (1 to past Excel's last).
fn reference() -> impl Strategy<Value = (u64, u64)> {
    let col = prop_oneof![4 => 0u64..6, 1 => Just(16_383u64), 1 => 16_380u64..20_000, 1 => 0u64..1_000_000];
    let row = prop_oneof![4 => 1u64..12, 1 => Just(1_048_576u64), 1 => 1_048_570u64..1_048_600, 1 => 1u64..u64::from(u32::MAX) + 9];
    (col, row)
}

fn letters(mut col: u64) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + u8::try_from(col % 26).unwrap());
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f64>().prop_map(Value::Number),
        "[a-z0-9 ]{0,12}".prop_map(Value::Text),
        (1usize..3, 0usize..60_000).prop_map(|(n, len)| Value::Text("n".repeat(n * len))),
        (0u32..6).prop_map(Value::Shared),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Error),
    ]
}

/// One `<c>` element (with its reference, or without one).
fn xlsx_cell(at: Option<(u64, u64)>, value: &Value) -> String {
    let r = at.map_or_else(String::new, |(c, r)| format!(" r=\"{}{r}\"", letters(c)));
    match value {
        Value::Number(f) => format!("<c{r}><v>{f}</v></c>"),
        Value::Text(t) => format!("<c{r} t=\"inlineStr\"><is><t>{t}</t></is></c>"),
        Value::Shared(i) => format!("<c{r} t=\"s\"><v>{i}</v></c>"),
        Value::Bool(b) => format!("<c{r} t=\"b\"><v>{}</v></c>", u8::from(*b)),
        Value::Error => format!("<c{r} t=\"e\"><v>#N/A</v></c>"),
    }
}

/// A zip archive of `parts`.
fn archive(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        let method = if *name == "mimetype" { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        zip.start_file(*name, SimpleFileOptions::default().compression_method(method)).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An .xlsx workbook of one sheet, Data: its declared dimension, its header row, `cells`,
/// and a long shared text among a few short ones.
fn xlsx(dimension: (u64, u64), cells: &[(Option<(u64, u64)>, Value)], long: usize) -> Vec<u8> {
    let mut sheet = format!(
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"A1:{}{}\"/><sheetData><row r=\"1\">",
        letters(dimension.0),
        dimension.1
    );
    for (c, name) in ["id", "name", "places"].iter().enumerate() {
        sheet += &xlsx_cell(Some((c as u64, 1)), &Value::Text((*name).into()));
    }
    sheet += "</row>";
    for (at, value) in cells {
        let row = at.map_or(2, |a| a.1);
        sheet += &format!("<row r=\"{row}\">{}</row>", xlsx_cell(*at, value));
    }
    sheet += "</sheetData></worksheet>";
    let shared = format!("<sst><si><t>a</t></si><si><t>{}</t></si><si><t>b c</t></si></sst>", "s".repeat(long));
    archive(&[
        (
            "xl/workbook.xml",
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into(),
        ),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// A row of an OpenDocument sheet: its repeat count (as written) and its cells, each with
/// its repeat count and value (`None`, an empty cell).
type OdsRow = (String, Vec<(String, Option<Value>)>);

/// A repeat count as written: mostly whole numbers, some far too large, some not numbers.
fn repeats() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (1u64..4).prop_map(|n| n.to_string()),
        3 => (1u64..2_000_000).prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => prop::sample::select(vec!["0", "-1", "1e9", "", "99999999999999999999999"]).prop_map(String::from),
    ]
}

fn ods_row() -> impl Strategy<Value = OdsRow> {
    (repeats(), prop::collection::vec((repeats(), prop::option::of(value())), 0..5))
}

/// One `<table:table-cell>` of `repeat` columns.
fn ods_cell(repeat: &str, value: Option<&Value>) -> String {
    let r = format!(" table:number-columns-repeated=\"{repeat}\"");
    match value {
        None => format!("<table:table-cell{r}/>"),
        Some(Value::Number(f)) => format!("<table:table-cell{r} office:value-type=\"float\" office:value=\"{f}\"/>"),
        Some(Value::Text(t)) => {
            format!(
                "<table:table-cell{r} office:value-type=\"string\"><text:p>{t}<text:s text:c=\"{}\"/></text:p></table:table-cell>",
                t.len() * 1000
            )
        }
        Some(Value::Shared(i)) => {
            format!("<table:table-cell{r} office:value-type=\"string\" office:string-value=\"v{i}\"/>")
        }
        Some(Value::Bool(b)) => {
            format!("<table:table-cell{r} office:value-type=\"boolean\" office:boolean-value=\"{b}\"/>")
        }
        Some(Value::Error) => {
            format!("<table:table-cell{r} office:value-type=\"date\" office:date-value=\"2025-09-01\"/>")
        }
    }
}

/// An .ods spreadsheet of one sheet, Data: its header row, then `rows`.
fn ods(rows: &[OdsRow]) -> Vec<u8> {
    let mut xml = String::from(
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Data"><table:table-row>"#,
    );
    for name in ["id", "name", "places"] {
        xml += &ods_cell("1", Some(&Value::Text(name.into())))
            .replace("<text:s text:c=\"2000\"/>", "")
            .replace(&format!("<text:s text:c=\"{}\"/>", name.len() * 1000), "");
    }
    xml += "</table:table-row>";
    for (repeat, cells) in rows {
        xml += &format!("<table:table-row table:number-rows-repeated=\"{repeat}\">");
        for (r, value) in cells {
            xml += &ods_cell(r, value.as_ref());
        }
        xml += "</table:table-row>";
    }
    xml += "</table:table></office:spreadsheet></office:body></office:document-content>";
    archive(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()), ("content.xml", xml)])
}

/// The bytes a table's cells take in memory (as the reader counts them).
fn size(table: &Table) -> u64 {
    table.rows().flat_map(|r| r.cells().map(|c| 24 + c.len() as u64).collect::<Vec<_>>()).sum()
}

/// Writes `bytes` as `name` in a fresh folder and reads its sheet Data: the table's size and
/// the size unpacked, or the problems (checked to be one line each, naming the workbook).
fn read(name: &str, bytes: &[u8]) -> Result<(u64, u64), Vec<String>> {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let unpacked = unpacked(bytes);
    match read_sheet(&path, "Data", (REQUIRED, OPTIONAL), ROOM) {
        Ok(table) => Ok((size(&table), unpacked)),
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            assert!(!lines.is_empty());
            for line in &lines {
                assert!(!line.contains('\n'), "{line}");
                assert!(line.starts_with(&path.display().to_string()), "{line}");
            }
            Err(lines)
        }
    }
}

/// What the archive `bytes` unpacks to, if it is whole.
fn unpacked(bytes: &[u8]) -> u64 {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return 0 };
    (0..zip.len())
        .filter_map(|i| zip.by_index(i).ok().map(|mut p| std::io::copy(&mut p, &mut std::io::sink()).unwrap_or(0)))
        .sum()
}

/// A table made of the workbook fits the memory it may take.
fn bounded(read: &Result<(u64, u64), Vec<String>>) {
    if let Ok((size, unpacked)) = read {
        assert!(*size <= ROOM + 3 * unpacked, "a table of {size} bytes from {unpacked} unpacked");
    }
}

#[test]
fn a_plain_workbook_is_read_whole() {
    let cells = [
        (Some((0, 2)), Value::Text("near".into())),
        (Some((1, 2)), Value::Shared(1)),
        (Some((2, 2)), Value::Number(12.0)),
        (Some((0, 4)), Value::Text("far".into())),
    ];
    let (size, _) = read("plain.xlsx", &xlsx((2, 4), &cells, 5)).unwrap();
    assert_eq!(size, 6 * 24 + 4 + 5 + 2 + 3);
    let rows = vec![(
        "2".to_string(),
        vec![("1".to_string(), Some(Value::Shared(7))), ("2".to_string(), Some(Value::Number(3.0)))],
    )];
    let (size, _) = read("plain.ods", &ods(&rows)).unwrap();
    assert_eq!(size, 2 * (3 * 24 + 2 + 1 + 1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn an_xlsx_sheet_of_any_size_and_cells_is_read_within_its_memory(
        dimension in reference(),
        cells in prop::collection::vec((prop::option::of(reference()), value()), 0..8),
        long in prop_oneof![Just(3usize), 0usize..200_000],
    ) {
        bounded(&read("model.xlsx", &xlsx(dimension, &cells, long)));
    }

    #[test]
    fn an_ods_sheet_of_any_repeats_is_read_within_its_memory(rows in prop::collection::vec(ods_row(), 0..6)) {
        bounded(&read("model.ods", &ods(&rows)));
    }

    #[test]
    fn a_damaged_workbook_is_refused_or_read_within_its_memory(
        ods_book in any::<bool>(),
        cells in prop::collection::vec((prop::option::of(reference()), value()), 0..4),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let (name, mut bytes) = if ods_book {
            let rows: Vec<OdsRow> = cells.iter().map(|(_, v)| ("2".to_string(), vec![("1".to_string(), Some(v.clone()))])).collect();
            ("model.ods", ods(&rows))
        } else {
            ("model.xlsx", xlsx((2, 9), &cells, 40))
        };
        for (at, byte) in damage {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        bounded(&read(name, &bytes));
    }
}
