//! Workbooks made to exhaust memory or to be misread: a stray cell at the sheet's last row
//! and column, an OpenDocument row repeated a million times, a small file that unpacks to
//! gigabytes, a byte changed inside a part. Each is read in seconds as the cells it holds,
//! or refused in one line naming the workbook. The workbooks are `init`'s template (or the
//! tiny .ods fixture) with one part rewritten here.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::util::{Case, stderr, stdout};

/// How long any of these may take, even in a debug build.
const SECONDS: Duration = Duration::from_secs(30);

/// Rewrites the archive at `path` part by part: `edit` writes each part (its name and bytes)
/// to the writer it is given. The parts named in `stored` are kept uncompressed.
fn rezip(path: &Path, stored: &[&str], mut edit: impl FnMut(&str, Vec<u8>, &mut dyn Write)) {
    let mut zip = ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        parts.push((part.name().to_string(), bytes));
    }
    let mut out = ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        let options = if stored.contains(&name.as_str()) {
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(1))
        };
        let options = options.large_file(true);
        out.start_file(&name, options).unwrap();
        edit(&name, bytes, &mut out);
    }
    out.finish().unwrap();
}

/// The part of `init`'s workbook holding sheet `sheet` (its sheets are sheet1.xml, … in order).
fn sheet_part(book: &Path, sheet: &str) -> String {
    let mut zip = ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut xml).unwrap();
    let before = &xml[..xml.find(&format!("<sheet name=\"{sheet}\"")).unwrap()];
    format!("xl/worksheets/sheet{}.xml", before.matches("<sheet name=").count() + 1)
}

/// `init`'s template in `template/`, with its Demand sheet's rows `extra` added at the end.
fn template_with_demand_rows(extra: &str) -> Case {
    let case = Case::fixture("tiny");
    assert_eq!(case.run(&["init", "--out", "template"]).status.code(), Some(0));
    let book = case.path("template/model.xlsx");
    let demand = sheet_part(&book, "Demand");
    rezip(&book, &[], |name, bytes, out| {
        let mut xml = String::from_utf8(bytes).unwrap();
        if name == demand {
            xml = xml.replacen("</sheetData>", &format!("{extra}</sheetData>"), 1);
        }
        out.write_all(xml.as_bytes()).unwrap();
    });
    case
}

/// `check` of `model`, timed: it must end within [`SECONDS`].
fn check(case: &Case, model: &str) -> std::process::Output {
    let start = Instant::now();
    let out = case.run(&["check", model]);
    assert!(start.elapsed() < SECONDS, "took {:?}", start.elapsed());
    out
}

/// The `error: ` lines of `out`, which failed with exit code 1.
fn errors(out: &std::process::Output) -> Vec<String> {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    err.lines().filter_map(|l| l.strip_prefix("error: ")).map(String::from).collect()
}

#[test]
fn a_cell_at_the_last_row_and_column_of_a_sheet_is_read_as_the_one_cell_it_is() {
    // Case 1: calamine sized the sheet by its extreme cell, 2^34 cells, and aborted.
    let case = template_with_demand_rows(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#);
    let out = check(&case, "template/model.toml");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 localities, 3 settings, 4 demand rows, 15.5 children"), "{}", stdout(&out));
    // Under a header, the cell is a row of its own, read as any row is.
    let case = template_with_demand_rows(
        r#"<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>crewe</t></is></c><c r="XFD1048576"><v>1</v></c></row>"#,
    );
    let errors = errors(&check(&case, "template/model.toml"));
    assert!(
        !errors.is_empty() && errors.iter().all(|e| e.starts_with("template/model.xlsx, sheet Demand, row 1048576")),
        "{errors:?}"
    );
}

/// The tiny .ods fixture in the case, its Demand sheet's rows `extra` added at the end.
fn tiny_ods_with_demand_rows(extra: &str) -> Case {
    let case = Case::fixture("tiny");
    let book = case.path("tiny.ods");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ods/tiny.ods"), &book).unwrap();
    rezip(&book, &["mimetype"], |name, bytes, out| {
        let mut xml = String::from_utf8(bytes).unwrap();
        if name == "content.xml" {
            let demand = xml.find("table:name=\"Demand\"").unwrap();
            let end = demand + xml[demand..].find("</table:table>").unwrap();
            xml.insert_str(end, extra);
        }
        out.write_all(xml.as_bytes()).unwrap();
    });
    let mut toml = std::fs::read_to_string(case.path("model.toml")).unwrap();
    toml = toml.replace("[tables]\n", "[tables]\nworkbook = \"tiny.ods\"\n");
    for (key, sheet) in [("localities", "Localities"), ("settings", "Settings"), ("demand", "Demand")] {
        toml = toml.replace(&format!("{key} = \"{key}.csv\""), &format!("{key} = \"{sheet}\""));
    }
    case.write("model.toml", &toml);
    case
}

#[test]
fn a_row_of_an_opendocument_sheet_repeated_a_million_times_is_refused_in_one_line() {
    // Case 2: a row of 95 numbers repeated 1,048,000 times took 8.4 GB.
    let row = r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="95" office:value-type="float" office:value="1"/></table:table-row>"#;
    let case = tiny_ods_with_demand_rows(row);
    assert!(std::fs::metadata(case.path("tiny.ods")).unwrap().len() < 10_000);
    let errors = errors(&check(&case, "model.toml"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("tiny.ods, sheet Demand: holds too much to read: by row "), "{errors:?}");
    assert!(errors[0].contains(" MB of memory a workbook of 1 MB unpacked may take; "), "{errors:?}");
    // Repeated empty rows, and cells repeated past the last header, are nothing to read.
    let row = r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
    let case = tiny_ods_with_demand_rows(row);
    let out = check(&case, "model.toml");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("4 demand rows, 15.5 children"), "{}", stdout(&out));
}

#[test]
fn a_small_workbook_that_unpacks_to_more_than_a_table_file_may_hold_is_refused_unread() {
    // Case 3: 100,000 rows of long names, small compressed, took over 10 GB.
    let case = Case::fixture("tiny");
    assert_eq!(case.run(&["init", "--out", "template"]).status.code(), Some(0));
    let book = case.path("template/model.xlsx");
    let demand = sheet_part(&book, "Demand");
    let name = "x".repeat(2_100);
    rezip(&book, &[], |part, bytes, out| {
        if part != demand {
            out.write_all(&bytes).unwrap();
            return;
        }
        let xml = String::from_utf8(bytes).unwrap();
        let (head, tail) = xml.split_at(xml.find("</sheetData>").unwrap());
        out.write_all(head.as_bytes()).unwrap();
        for r in 2..100_002 {
            write!(out, r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}{name}</t></is></c></row>"#).unwrap();
        }
        out.write_all(tail.as_bytes()).unwrap();
    });
    assert!(std::fs::metadata(&book).unwrap().len() < 20_000_000);
    let errors = errors(&check(&case, "template/model.toml"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("template/model.xlsx: unpacks to 21"), "{errors:?}");
    assert!(errors[0].contains(" MB: expected a workbook of at most 200 MB unpacked "), "{errors:?}");
}

#[test]
fn a_text_shared_by_every_row_of_a_sheet_is_held_to_the_workbooks_size() {
    // Case 3 another way: one 40 KB name, kept once, in 100,000 rows.
    let case = Case::fixture("tiny");
    assert_eq!(case.run(&["init", "--out", "template"]).status.code(), Some(0));
    let book = case.path("template/model.xlsx");
    let demand = sheet_part(&book, "Demand");
    let mut texts = String::new();
    let mut zip = ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut texts).unwrap();
    let index = texts.matches("<si>").count();
    rezip(&book, &[], |part, bytes, out| {
        let mut xml = String::from_utf8(bytes).unwrap();
        if part == "xl/sharedStrings.xml" {
            xml = xml.replace("</sst>", &format!("<si><t>{}</t></si></sst>", "n".repeat(40_000)));
        } else if part == demand {
            let rows: String =
                (2..100_002).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>{index}</v></c></row>"#)).collect();
            xml = xml.replacen("</sheetData>", &format!("{rows}</sheetData>"), 1);
        }
        out.write_all(xml.as_bytes()).unwrap();
    });
    assert!(index > 0);
    let errors = errors(&check(&case, "template/model.toml"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("template/model.xlsx, sheet Demand: holds too much to read: by row "), "{errors:?}");
}

#[test]
fn a_byte_changed_inside_a_workbook_is_refused_not_misread() {
    // Case 4: one byte of the shared texts changed was read as "Near Special Scmool".
    let case = Case::fixture("tiny");
    assert_eq!(case.run(&["init", "--out", "template"]).status.code(), Some(0));
    let book = case.path("template/model.xlsx");
    rezip(&book, &["xl/sharedStrings.xml"], |_, bytes, out| out.write_all(&bytes).unwrap());
    let mut bytes = std::fs::read(&book).unwrap();
    let at = bytes.windows(19).position(|w| w == b"Near Special School").unwrap();
    bytes[at + 15] = b'm';
    std::fs::write(&book, bytes).unwrap();
    let errors = errors(&check(&case, "template/model.toml"));
    assert_eq!(
        errors,
        [
            "template/model.xlsx: cannot be read as an Excel workbook (.xlsx): it is damaged: its part xl/sharedStrings.xml fails its checksum (CRC), so a byte of it has changed since it was saved; save it again from Excel or LibreOffice as an Excel workbook (.xlsx), or as another of .xlsx, .xlsm, .xlsb, .xls or .ods"
        ]
    );
}
