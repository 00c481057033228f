//! A model kept in one workbook: `init`'s template round trip, and the tiny fixture's tables
//! written as sheets, with a bad cell, numbers stored as text, an empty or a missing sheet.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::util::{Case, stderr, stdout};

/// The tiny fixture's tables and the sheets that hold them.
const TABLES: [(&str, &str); 6] = [
    ("localities", "Localities"),
    ("settings", "Settings"),
    ("setting_needs", "Setting needs"),
    ("demand", "Demand"),
    ("road_nodes", "Road nodes"),
    ("road_edges", "Road edges"),
];

/// A cell written in place of the fixture's.
enum Cell {
    Text(&'static str),
    Bool(bool),
    Date,
}

/// How the fixture's numbers are written.
#[derive(Clone, Copy, PartialEq)]
enum Numbers {
    AsNumbers,
    AsText,
}

/// The tiny fixture with its tables as the sheets of `model.xlsx` (and `model.toml` naming
/// them in place of the CSV files), with `changes` (sheet, row, column from 0, cell) made.
fn tiny_workbook(numbers: Numbers, changes: &[(&str, u32, u16, Cell)]) -> Case {
    let case = Case::fixture("tiny");
    let mut book = Workbook::new();
    for (key, sheet) in TABLES {
        let ws = book.add_worksheet().set_name(sheet).unwrap();
        let text = std::fs::read_to_string(case.path(&format!("{key}.csv"))).unwrap();
        for (r, line) in text.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
                match cell.parse::<f64>() {
                    Ok(v) if numbers == Numbers::AsNumbers => ws.write_number(r, c, v).map(|_| ()),
                    _ if cell.is_empty() => Ok(()),
                    _ => ws.write_string(r, c, cell).map(|_| ()),
                }
                .unwrap();
            }
        }
        for (_, r, c, cell) in changes.iter().filter(|ch| ch.0 == sheet) {
            match cell {
                Cell::Text(t) => ws.write_string(*r, *c, *t).map(|_| ()),
                Cell::Bool(b) => ws.write_boolean(*r, *c, *b).map(|_| ()),
                Cell::Date => {
                    let date = ExcelDateTime::from_ymd(2025, 9, 1).unwrap();
                    ws.write_datetime_with_format(*r, *c, date, &Format::new().set_num_format("dd/mm/yyyy")).map(|_| ())
                }
            }
            .unwrap();
        }
    }
    book.save(case.path("model.xlsx")).unwrap();
    let mut toml = std::fs::read_to_string(case.path("model.toml")).unwrap();
    toml = toml.replace("[tables]\n", "[tables]\nworkbook = \"model.xlsx\"\n");
    for (key, sheet) in TABLES {
        toml = toml.replace(&format!("{key} = \"{key}.csv\""), &format!("{key} = \"{sheet}\""));
    }
    case.write("model.toml", &toml);
    case
}

/// The solve of the tiny fixture from its CSV files, every line after the title.
fn csv_plan() -> String {
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out).lines().skip(1).collect::<Vec<_>>().join("\n")
}

/// `check` fails with exactly these problems (one line each).
fn refused(case: &Case, expected: &[&str]) {
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let errors: Vec<&str> = err.lines().filter_map(|l| l.strip_prefix("error: ")).collect();
    assert_eq!(errors, expected, "{err}");
}

#[test]
fn init_writes_a_workbook_that_checks_and_solves_to_the_tiny_fixtures_plan() {
    let case = Case::fixture("tiny");
    let init = case.run(&["init", "--out", "template"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let check = case.run(&["check", "template/model.toml"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stdout(&check).contains("2 localities, 3 settings, 4 demand rows, 15.5 children"), "{}", stdout(&check));
    let solve = case.run(&["solve", "template/model.toml"]);
    assert_eq!(solve.status.code(), Some(0), "{}", stderr(&solve));
    let plan = stdout(&solve);
    assert!(plan.starts_with("Tiny example authority — placement plan for 2025/26\n"), "{plan}");
    let body = plan.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body, csv_plan());
    for figure in [
        "Placed in borough                                                11.5  children",
        "Placed out of borough                                             4.0  children",
        "Annual cost: total spend                                     £546,333  a year",
    ] {
        assert!(body.contains(figure), "{figure}\n{body}");
    }
    // A second init into the same folder is refused, and --force writes over it.
    let again = case.run(&["init", "--out", "template"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already holds files: expected a new or empty folder (or --force"));
    let forced = case.run(&["init", "--out", "template", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
}

#[test]
fn the_template_has_a_help_sheet_then_a_sheet_for_every_table() {
    use calamine::{Reader, Xlsx, open_workbook};
    let case = Case::fixture("tiny");
    assert_eq!(case.run(&["init", "--out", "t"]).status.code(), Some(0));
    let mut book: Xlsx<_> = open_workbook(case.path("t/model.xlsx")).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[0], "Help");
    assert_eq!(names.len(), 20, "{names:?}");
    let help = book.worksheet_range("Help").unwrap();
    assert!(help.rows().any(|r| r.iter().any(|c| *c == "cost_per_place")));
}

#[test]
fn the_tiny_fixture_as_a_workbook_solves_to_the_same_plan_as_its_csv_files() {
    let case = tiny_workbook(Numbers::AsNumbers, &[]);
    let out = case.run(&["solve", "model.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().skip(1).collect::<Vec<_>>().join("\n"), csv_plan());
}

#[test]
fn numbers_stored_as_text_are_read_as_a_csv_cell_is() {
    let changes = [("Settings", 1, 9, Cell::Text("£22,000")), ("Settings", 2, 9, Cell::Text(" 15,000 "))];
    let case = tiny_workbook(Numbers::AsText, &changes);
    let out = case.run(&["solve", "model.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().skip(1).collect::<Vec<_>>().join("\n"), csv_plan());
}

#[test]
fn a_bad_cell_is_one_line_naming_the_sheet_row_and_column_letter() {
    let case = tiny_workbook(Numbers::AsNumbers, &[("Settings", 2, 6, Cell::Text("ten"))]);
    refused(
        &case,
        &[
            "model.xlsx, sheet Settings, row 3, column G (places): 'ten' is not a number: expected a number of at least 0",
        ],
    );
}

#[test]
fn a_decimal_comma_typed_as_text_is_refused_as_in_a_csv_file() {
    let case = tiny_workbook(Numbers::AsNumbers, &[("Demand", 4, 3, Cell::Text("2,5"))]);
    refused(
        &case,
        &[
            "model.xlsx, sheet Demand, row 5, column D (children): '2,5' has a decimal comma: expected a decimal point (2.5), and commas only between groups of three digits",
        ],
    );
}

#[test]
fn dates_and_true_false_in_cells_are_refused_with_what_to_type() {
    let changes = [("Localities", 1, 4, Cell::Bool(true)), ("Road nodes", 2, 2, Cell::Date)];
    let case = tiny_workbook(Numbers::AsNumbers, &changes);
    refused(
        &case,
        &[
            "model.xlsx, sheet Localities, row 2, column E (in_borough): is the logical value TRUE: expected text or a number (for a yes/no column, type yes or no)",
            "model.xlsx, sheet Road nodes, row 3, column C (latitude): is a date or time: expected text or a number (format the column as Text or Number, not Date)",
        ],
    );
}

#[test]
fn an_empty_sheet_says_what_header_row_it_needs() {
    let case = tiny_workbook(Numbers::AsNumbers, &[]);
    // Point setting_needs at a sheet with nothing in it.
    let mut book = Workbook::new();
    for (key, sheet) in TABLES {
        let ws = book.add_worksheet().set_name(sheet).unwrap();
        if key == "setting_needs" {
            continue;
        }
        let text = std::fs::read_to_string(case.path(&format!("{key}.csv"))).unwrap();
        for (r, line) in text.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
                match cell.parse::<f64>() {
                    Ok(v) => ws.write_number(r, c, v).map(|_| ()),
                    Err(_) => ws.write_string(r, c, cell).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    book.save(case.path("model.xlsx")).unwrap();
    refused(
        &case,
        &[
            "model.xlsx, sheet Setting needs, row 1: is empty: expected a header row with setting,need,places,cost_per_place",
        ],
    );
}

#[test]
fn a_missing_sheet_names_the_sheets_there_are() {
    let case = tiny_workbook(Numbers::AsNumbers, &[]);
    case.edit("model.toml", "settings = \"Settings\"", "settings = \"Setings\"");
    refused(
        &case,
        &[
            "model.xlsx: has no sheet 'Setings' (named by tables.settings): its sheets are 'Localities', 'Settings', 'Setting needs', 'Demand', 'Road nodes', 'Road edges'",
        ],
    );
}

#[test]
fn sheets_and_csv_files_mix_and_extra_columns_and_blank_rows_are_ignored() {
    // demand from its CSV file; a notes column with no header and blank rows in Settings.
    let changes = [("Settings", 1, 12, Cell::Text("a note")), ("Settings", 9, 0, Cell::Text(" "))];
    let case = tiny_workbook(Numbers::AsNumbers, &changes);
    case.edit("model.toml", "demand = \"Demand\"", "demand = \"demand.csv\"");
    let out = case.run(&["solve", "model.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().skip(1).collect::<Vec<_>>().join("\n"), csv_plan());
}

#[test]
fn a_scenario_in_another_folder_names_sheets_of_the_workbook_its_base_names() {
    let case = tiny_workbook(Numbers::AsNumbers, &[]);
    std::fs::create_dir(case.path("scenarios")).unwrap();
    case.write(
        "scenarios/same.toml",
        "extends = \"../model.toml\"\nname = \"Same\"\n\n[tables]\nsettings = \"Settings\"\nsetting_needs = \"../setting_needs.csv\"\n",
    );
    let out = case.run(&["solve", "scenarios/same.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().skip(1).collect::<Vec<_>>().join("\n"), csv_plan());
}

/// The tiny fixture with its tables as the sheets of `book` (copied from
/// tests/fixtures/ods/tiny.ods, written by hand by its make_fixture.py), `model.toml` naming
/// them.
fn tiny_ods(book: &str) -> Case {
    let case = Case::fixture("tiny");
    let ods = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ods/tiny.ods");
    std::fs::copy(ods, case.path(book)).unwrap();
    let mut toml = std::fs::read_to_string(case.path("model.toml")).unwrap();
    toml = toml.replace("[tables]\n", &format!("[tables]\nworkbook = \"{book}\"\n"));
    for (key, sheet) in TABLES {
        toml = toml.replace(&format!("{key} = \"{key}.csv\""), &format!("{key} = \"{sheet}\""));
    }
    case.write("model.toml", &toml);
    case
}

#[test]
fn the_tiny_fixture_as_an_ods_spreadsheet_solves_to_the_same_plan_as_its_csv_files() {
    // Any case of the extension.
    for book in ["tiny.ods", "TINY.ODS"] {
        let case = tiny_ods(book);
        let check = case.run(&["check", "model.toml"]);
        assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
        assert!(
            stdout(&check).contains("2 localities, 3 settings, 4 demand rows, 15.5 children"),
            "{}",
            stdout(&check)
        );
        let out = case.run(&["solve", "model.toml"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let body = stdout(&out).lines().skip(1).collect::<Vec<_>>().join("\n");
        assert_eq!(body, csv_plan());
        assert!(
            body.contains("Annual cost: total spend                                     £546,333  a year"),
            "{body}"
        );
    }
}

#[test]
fn a_workbook_of_another_format_or_not_the_format_it_is_named_is_one_line() {
    let case = tiny_ods("model.numbers");
    refused(
        &case,
        &[
            "model.numbers: is not a workbook this reads: expected a file ending .xlsx, .xlsm, .xlsb, .xls or .ods (save it from Excel or LibreOffice in one of these)",
        ],
    );
    // An OpenDocument file named .xls.
    let case = tiny_ods("model.xls");
    let out = case.run(&["check", "model.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].starts_with("error: model.xls: cannot be read as an Excel 97-2003 workbook (.xls): "), "{err}");
    assert!(errors[0].ends_with("or as another of .xlsx, .xlsm, .xlsb, .xls or .ods"), "{err}");
}
