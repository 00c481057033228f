use super::*;
use rstest::rstest;

#[rstest]
#[case("12", Some(12.0))]
#[case(" 3.5 ", Some(3.5))]
#[case("£1,250", Some(1250.0))]
#[case("1,250.50", Some(1250.5))]
#[case("-2", Some(-2.0))]
#[case("12,345,678", Some(12_345_678.0))]
#[case("+7", Some(7.0))]
#[case("-£1,250", Some(-1250.0))]
#[case("2,5", None)]
#[case("1,2,3", None)]
#[case("1.250,5", None)]
#[case("12,34", None)]
#[case(",250", None)]
#[case("1,250,5", None)]
#[case("1,250.5,0", None)]
#[case("abc", None)]
#[case("NaN", None)]
#[case("inf", None)]
#[case("", None)]
fn numbers_parse_as_spreadsheets_write_them(#[case] text: &str, #[case] value: Option<f64>) {
    assert_eq!(parse_number(text), value);
}

#[test]
fn a_table_that_is_not_a_regular_file_is_refused_without_reading_it() {
    let mut problems = Problems::default();
    for path in ["/dev/zero", "/"] {
        assert!(Table::read(Path::new(path), Path::new(path), &["id"], &[], &mut problems).is_none());
    }
    assert_eq!(problems.0.len(), 2);
    assert!(problems.0.iter().all(|p| p.message.contains("is not a regular file")), "{problems:?}");
}

#[test]
fn an_unquoted_comma_in_a_value_is_a_row_error_not_a_misread_number() {
    // `£24,600.50` unquoted splits into two fields: the row has 4 fields, the header 3.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.csv");
    std::fs::write(&path, "id,name,cost_per_place\na,School A,£24,600.50\nb,School B,\"£24,600.50\"\n").unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, Path::new("settings.csv"), &["id", "cost_per_place"], &[], &mut problems).unwrap();
    assert_eq!(problems.0.len(), 1, "{problems:?}");
    let p = &problems.0[0];
    assert_eq!(p.line, Some(2));
    assert!(p.message.contains("has 4 fields but the header row has 3"), "{}", p.message);
    let rows: Vec<_> = table.rows().collect();
    assert_eq!(rows.len(), 1, "only the quoted row is read");
    assert_eq!(rows[0].number("cost_per_place", 0.0, &mut problems), Some(24_600.5));
}

#[rstest]
#[case("2,5", "2.5")]
#[case("1.250,5", "1250.5")]
#[case("-0,75", "-0.75")]
fn a_decimal_comma_is_refused_with_what_was_meant(#[case] text: &str, #[case] meant: &str) {
    assert_eq!(read_number(text), Err(NumberError::DecimalComma(meant.into())));
}

#[rstest]
#[case("crewe", true)]
#[case("S-01_a.b", true)]
#[case("-lead", false)]
#[case("has space", false)]
#[case("", false)]
fn ids_are_letters_digits_and_joiners(#[case] id: &str, #[case] ok: bool) {
    assert_eq!(is_valid_id(id), ok);
}

#[test]
fn headers_are_matched_by_name_ignoring_bom_case_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, "\u{feff}Name,ID,notes\nCrewe,crewe,x\n\n").unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, &path, &["id", "name"], &[], &mut problems).unwrap();
    assert!(problems.is_empty());
    let rows: Vec<_> = table.rows().collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].text("id"), "crewe");
    assert_eq!(rows[0].line, 2);
}

#[test]
fn rows_of_a_crlf_table_keep_their_physical_line_numbers() {
    // Excel and the GIAS download end lines with CR LF; a quoted cell may hold a line break.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, "id,name\r\na,A\r\n\r\nb,\"B\r\nB\"\r\nc,C\r\n").unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, &path, &["id", "name"], &[], &mut problems).unwrap();
    let lines: Vec<_> = table.rows().map(|r| (r.text("id").to_string(), r.line)).collect();
    assert_eq!(lines, [("a".into(), 2), ("b".into(), 4), ("c".into(), 6)]);
    // And the same file with LF endings.
    std::fs::write(&path, "id,name\na,A\n\nb,\"B\nB\"\nc,C\n").unwrap();
    let table = Table::read(&path, &path, &["id", "name"], &[], &mut problems).unwrap();
    let lines: Vec<_> = table.rows().map(|r| (r.text("id").to_string(), r.line)).collect();
    assert_eq!(lines, [("a".into(), 2), ("b".into(), 4), ("c".into(), 6)]);
    assert!(problems.is_empty());
}

#[test]
fn children_and_places_are_read_up_to_ten_million_a_row_and_costs_up_to_a_billion() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(
        &path,
        "children,places,cost\n\"10,000,000\",10000000,\"£1,000,000,000\"\n10000000.001,,1000000000.01\n",
    )
    .unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, Path::new("t.csv"), &["children", "places", "cost"], &[], &mut problems).unwrap();
    let rows: Vec<_> = table.rows().collect();
    // At the bounds: read as they are.
    assert_eq!(rows[0].count("children", &mut problems), Some(10_000_000.0));
    assert_eq!(rows[0].optional_count("places", &mut problems), Some(MOST_IN_A_ROW));
    assert_eq!(rows[0].number("cost", 0.0, &mut problems), Some(1e9));
    assert!(problems.is_empty(), "{problems:?}");
    // Past them: refused, naming the row and the field; an empty optional count is none.
    assert_eq!(rows[1].count("children", &mut problems), None);
    assert_eq!(rows[1].optional_count("places", &mut problems), None);
    assert_eq!(rows[1].number("cost", 0.0, &mut problems), None);
    let messages: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "t.csv:3: field 'children': '10000000.001' is too large: expected at most 10,000,000",
            "t.csv:3: field 'cost': '1000000000.01' is too large: expected at most 1,000,000,000",
        ]
    );
}

#[test]
fn a_windows_1252_export_is_read_rather_than_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    // "£1,250" with the pound sign as byte 0xA3, as Excel writes it.
    std::fs::write(&path, b"id,cost\nx,\"\xa31,250\"\n").unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, &path, &["id", "cost"], &[], &mut problems).unwrap();
    let row = table.rows().next().unwrap();
    assert_eq!(row.number("cost", 0.0, &mut problems), Some(1250.0));
    assert!(problems.is_empty());
}

#[test]
fn windows_1252_punctuation_arrives_as_written_and_the_table_notes_the_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.csv");
    // ’ – € as bytes 0x92 0x96 0x80: once read as Latin-1, they became control characters.
    std::fs::write(&path, b"id,name\nx,St Mary\x92s \x96 \x80 fund\n").unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, Path::new("settings.csv"), &["id", "name"], &[], &mut problems).unwrap();
    assert!(problems.is_empty(), "{problems}");
    assert_eq!(table.rows().next().unwrap().text("name"), "St Mary’s – € fund");
    assert_eq!(table.notes.len(), 1);
    assert_eq!(
        table.notes[0].to_string(),
        "settings.csv: is not UTF-8: read as Windows-1252 (Excel's 'CSV'); save as 'CSV UTF-8' to be sure"
    );
}

#[test]
fn a_stray_byte_in_a_utf8_table_is_a_problem_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.csv");
    std::fs::write(&path, b"id,name\na,Caf\xC3\xA9\nb,R\xC3\xA9gis\nc,St Mary\x92s\n").unwrap();
    let mut problems = Problems::default();
    assert!(Table::read(&path, Path::new("settings.csv"), &["id", "name"], &[], &mut problems).is_none());
    assert_eq!(problems.len(), 1, "{problems}");
    assert!(problems.to_string().starts_with("settings.csv:4: has a byte that is not UTF-8 (0x92)"), "{problems}");
}

#[test]
fn a_utf8_table_with_a_byte_order_mark_has_no_note_and_its_first_column_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, "\u{feff}id,name\nx,Café – St Mary’s\n").unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, &path, &["id", "name"], &[], &mut problems).unwrap();
    assert!(problems.is_empty() && table.notes.is_empty());
    let row = table.rows().next().unwrap();
    assert_eq!((row.text("id"), row.text("name")), ("x", "Café – St Mary’s"));
}

#[test]
fn a_workbook_named_as_a_csv_table_says_how_to_name_its_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.xlsx");
    std::fs::write(&path, b"PK\x03\x04 rest of a zip").unwrap();
    let mut problems = Problems::default();
    assert!(Table::read(&path, Path::new("model.xlsx"), &["id"], &[], &mut problems).is_none());
    assert!(
        problems
            .to_string()
            .starts_with("model.xlsx: is a workbook (Excel or OpenDocument), not a CSV file: name it under [tables]"),
        "{problems}"
    );
}

#[test]
fn a_missing_column_is_one_problem_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, "id\nx\n").unwrap();
    let mut problems = Problems::default();
    assert!(Table::read(&path, Path::new("t.csv"), &["id", "name"], &[], &mut problems).is_none());
    assert_eq!(problems.len(), 1);
    assert!(problems.to_string().starts_with("t.csv:1: missing column 'name'"), "{problems}");
}

#[test]
fn a_table_of_many_short_rows_is_held_in_under_three_times_its_file() {
    // 100,000 rows of 24 bytes, all the same (a file of duplicates): a record a row took
    // about ten times the file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demand.csv");
    let text = format!("locality,need,phase,children,provision\n{}", "crewe,ASD,primary,24.1,\n".repeat(100_000));
    std::fs::write(&path, &text).unwrap();
    let mut problems = Problems::default();
    let table = Table::read(&path, Path::new("demand.csv"), &["locality"], &[], &mut problems).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(table.rows().count(), 100_000);
    let row = table.rows().nth(99_999).unwrap();
    assert_eq!((row.line, row.text("children"), row.text("provision")), (100_001, "24.1", ""));
    assert_eq!(row.cells().collect::<Vec<_>>(), ["crewe", "ASD", "primary", "24.1", ""]);
    let held = table.parts[0].cells.held() + table.rows.capacity() * size_of::<cells::Stored>();
    assert!(held < 3 * text.len(), "{held} bytes held for a file of {}", text.len());
}

#[test]
fn rows_added_from_another_file_keep_their_cells_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let read = |name: &str, text: &str, problems: &mut Problems| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        Table::read(&path, Path::new(name), &["id"], &[], problems).unwrap()
    };
    let mut problems = Problems::default();
    let mut table = read("settings.csv", "id,places\na,1\nb,2,extra\nc,3\n", &mut problems);
    // Another order of columns in the added file.
    let added = read("added.csv", "places,id\n\n7,d\n8,e,extra\n", &mut problems);
    assert_eq!(problems.len(), 2, "a row of three fields in each file: {problems:?}");
    table.append(added);
    let shown = |t: &Table| {
        t.rows()
            .map(|r| format!("{}:{} {}={}", r.row_problem("").file.display(), r.line, r.text("id"), r.text("places")))
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(&table), ["settings.csv:2 a=1", "settings.csv:4 c=3", "added.csv:3 d=7"]);
    assert_eq!(table.broken_cells("id").collect::<Vec<_>>(), ["b", "e"]);
    assert_eq!(table.remove("id", &["c".into(), "e".into(), "z".into()]), ["z"]);
    assert_eq!(shown(&table), ["settings.csv:2 a=1", "added.csv:3 d=7"]);
    assert_eq!(table.broken_cells("id").collect::<Vec<_>>(), ["b"]);
}
