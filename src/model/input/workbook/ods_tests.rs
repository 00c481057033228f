use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use super::*;

/// An .ods archive whose one sheet, Data, has the rows `rows` (XML).
fn ods(rows: &str) -> Cursor<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", SimpleFileOptions::default()).unwrap();
    zip.write_all(MIMETYPE).unwrap();
    zip.start_file("content.xml", SimpleFileOptions::default()).unwrap();
    write!(
        zip,
        r#"<office:document-content><table:table table:name="Data">{rows}</table:table></office:document-content>"#
    )
    .unwrap();
    Cursor::new(zip.finish().unwrap().into_inner())
}

/// A row read: (row, repeat, [(column, repeat, value)]).
type Read = (u64, u64, Vec<(u64, u64, Value)>);

/// The sheet's rows.
fn cells(rows: &str) -> Result<Vec<Read>, String> {
    let mut sheets = read(ods(rows), &mut Budget::for_workbook(1_000_000, 0))?;
    assert_eq!(sheets.len(), 1);
    let (name, sheet) = sheets.remove(0);
    assert_eq!(name, "Data");
    Ok(sheet
        .rows
        .into_iter()
        .map(|r| (r.row, r.repeat, r.cells.into_iter().map(|c| (c.col, c.repeat, c.value)).collect()))
        .collect())
}

#[test]
fn a_cells_text_is_its_paragraphs_with_their_spaces_and_without_comments() {
    let row = r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>a note</text:p></office:annotation><text:p>Near<text:s text:c="2"/>School &amp; <text:span>unit</text:span></text:p><text:p>two</text:p></table:table-cell></table:table-row>"#;
    assert_eq!(cells(row), Ok(vec![(0, 1, vec![(0, 1, Ok("Near  School & unit\ntwo".into()))])]));
}

#[test]
fn repeats_are_kept_as_counts_and_empty_rows_and_cells_as_nothing() {
    let rows = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-columns-repeated="5" office:value-type="float" office:value="2.5"/><table:table-cell office:value-type="boolean" office:boolean-value="true"/></table:table-row>"#;
    let read = cells(rows).unwrap();
    assert_eq!(read.len(), 1);
    let (row, repeat, cells) = &read[0];
    assert_eq!((*row, *repeat), (1_000_000, 3));
    assert_eq!(cells[0], (2, 5, Ok("2.5".into())));
    assert_eq!((cells[1].0, cells[1].1), (7, 1));
    assert!(cells[1].2.as_ref().unwrap_err().contains("TRUE"));
}

#[test]
fn a_repeat_count_that_is_not_a_whole_number_is_refused() {
    for count in ["0", "-1", "1e9", "99999999999999999999999"] {
        let row =
            format!(r#"<table:table-row table:number-rows-repeated="{count}"><table:table-cell/></table:table-row>"#);
        assert_eq!(
            cells(&row),
            Err(format!("its content.xml repeats a row {count:?} times: expected a whole number of at least 1"))
        );
    }
}

#[test]
fn spaces_past_the_budget_are_refused_not_made() {
    let row = r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="18446744073709551615"/></text:p></table:table-cell></table:table-row>"#;
    assert_eq!(cells(row), Err("its cells' text would take more than 1 MB of memory".into()));
}

#[test]
fn a_file_that_is_not_a_spreadsheet_says_what_it_is() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", SimpleFileOptions::default()).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.text").unwrap();
    let archive = Cursor::new(zip.finish().unwrap().into_inner());
    let Err(why) = read(archive, &mut Budget::for_workbook(1_000_000, 0)) else { panic!("read") };
    assert!(why.starts_with("its part 'mimetype' says \"application/vnd.oasis.opendocument.text\""), "{why}");
}
