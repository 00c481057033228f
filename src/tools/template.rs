//! The template of a model kept in one workbook (`sufficiency init`): `model.xlsx`, with a
//! sheet for every table a model can use (its header row, drop-down lists for needs, phases
//! and kinds of setting), a Help sheet saying what each sheet and column is for, and the tiny
//! example authority filled in; and `model.toml`, naming the sheets the example uses.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::model::input::schema::{self, Column, Holds, TableSpec};
use crate::model::{DEFAULT_PHASES, DFE_NEED_CODES, SettingKind};

/// The tables of the template, in the order of models/README.md (each described in
/// [`schema::TABLES`]), with the tiny example's rows where it has the table.
const SHEETS: &[(&str, Option<&str>)] = &[
    ("localities", Some(include_str!("../../tests/fixtures/tiny/localities.csv"))),
    ("settings", Some(include_str!("../../tests/fixtures/tiny/settings.csv"))),
    ("setting_needs", Some(include_str!("../../tests/fixtures/tiny/setting_needs.csv"))),
    ("locality_caps", None),
    ("market", None),
    ("demand", Some(include_str!("../../tests/fixtures/tiny/demand.csv"))),
    ("road_nodes", Some(include_str!("../../tests/fixtures/tiny/road_nodes.csv"))),
    ("road_edges", Some(include_str!("../../tests/fixtures/tiny/road_edges.csv"))),
    ("cohort", None),
    ("forecast_rates", None),
    ("population", None),
    ("tier_policy", None),
    ("current_placements", None),
    ("setting_places", None),
    ("schemes", None),
    ("scheme_places", None),
    ("purchasing_options", None),
    ("purchasing_prices", None),
    ("transport_options", None),
];

/// One sheet of the template: its table and the example's rows, if any.
struct Sheet {
    table: &'static TableSpec,
    example: Option<&'static str>,
}

impl Sheet {
    /// The table's key under `[tables]`.
    fn key(&self) -> &'static str {
        self.table.key
    }

    /// The sheet's name.
    fn name(&self) -> &'static str {
        self.table.sheet
    }

    /// The columns the template gives the sheet.
    fn columns(&self) -> impl Iterator<Item = &'static Column> {
        self.table.columns.iter().filter(|c| c.in_template)
    }
}

/// The template's sheets, in order.
fn sheets() -> impl Iterator<Item = Sheet> {
    SHEETS.iter().map(|(key, example)| Sheet { table: schema::table(key), example: *example })
}

/// The model file of the template: the example's sheets named, the others listed for use.
fn model_toml() -> String {
    let mut out = String::from(
        "# The tiny example authority, its tables kept as sheets of model.xlsx (written by\n\
         # `sufficiency init`). Replace the example's rows with your own, then run\n\
         # `sufficiency check model.toml`. See the workbook's Help sheet and models/README.md.\n\
         name = \"Tiny example authority\"\n\
         planning_year = \"2025/26\"\n\n\
         [tables]\n\
         workbook = \"model.xlsx\"\n",
    );
    for sheet in sheets() {
        let line = format!("{} = \"{}\"\n", sheet.key(), sheet.name());
        if sheet.example.is_some() {
            out.push_str(&line);
        }
    }
    out.push_str("# Sheets of the workbook a model may also use (remove the # to use one):\n");
    for sheet in sheets().filter(|s| s.example.is_none()) {
        out.push_str(&format!("# {} = \"{}\"\n", sheet.key(), sheet.name()));
    }
    out.push_str(
        "\n[policy]\nout_of_borough_weight = 5000\nunmet_penalty = 1000000\n\n\
         [transport]\nfixed_per_child = 1000\ncost_per_km = 1.0\n",
    );
    out
}

/// The template's files: `model.toml` (text) and `model.xlsx` (bytes).
///
/// # Errors
/// If the workbook cannot be built (not expected: its contents are fixed).
pub fn files() -> Result<Vec<(&'static str, Vec<u8>)>, XlsxError> {
    Ok(vec![("model.toml", model_toml().into_bytes()), ("model.xlsx", workbook()?)])
}

fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let heading = Format::new().set_bold().set_font_size(14);

    let help = book.add_worksheet().set_name("Help")?;
    help_sheet(help, &bold, &wrap, &heading)?;

    for sheet in sheets() {
        let ws = book.add_worksheet().set_name(sheet.name())?;
        for (c, column) in sheet.columns().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, c, column.name, &bold)?;
            ws.set_column_width(c, (column.name.len() + 4).max(12) as f64)?;
            if let Some(list) = validation(column.holds, column.help)? {
                ws.add_data_validation(1, c, 10_000, c, &list)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        if let Some(csv) = sheet.example {
            write_example(ws, &sheet, csv)?;
        }
    }
    book.save_to_buffer()
}

fn help_sheet(help: &mut Worksheet, bold: &Format, wrap: &Format, heading: &Format) -> Result<(), XlsxError> {
    help.set_column_width(0, 22)?;
    help.set_column_width(1, 24)?;
    help.set_column_width(2, 90)?;
    help.write_string_with_format(0, 0, "A model of special-school places, one sheet for each table", heading)?;
    let intro = [
        "model.toml names this workbook ([tables] workbook = \"model.xlsx\") and, for each table, the sheet that \
         holds it (settings = \"Settings\"). Only the sheets it names are read: the others are there for when you need them.",
        "Row 1 of each sheet is its header row: keep the column names (any order; extra columns, such as notes, are ignored). \
         One row for each item; empty rows are skipped.",
        "Numbers: a number cell, or text such as 1,250 or £1,250 (a decimal point, commas only between thousands). \
         Dates, TRUE/FALSE and errors such as #N/A are refused: type yes or no, and years as text (2025/26).",
        "Check the model with `sufficiency check model.toml`: each problem names the sheet, the row and the column letter.",
        "The example filled in is the tiny test authority: replace its rows with your own.",
    ];
    let mut row = 2;
    for line in intro {
        help.merge_range(row, 0, row, 2, line, wrap)?;
        help.set_row_height(row, 32)?;
        row += 1;
    }
    row += 1;
    for (c, title) in ["sheet", "column", "what it holds"].iter().enumerate() {
        help.write_string_with_format(row, u16::try_from(c).unwrap_or(0), *title, bold)?;
    }
    row += 1;
    for sheet in sheets() {
        help.write_string_with_format(row, 0, sheet.name(), bold)?;
        help.write_string_with_format(row, 1, format!("(tables.{})", sheet.key()), wrap)?;
        help.write_string_with_format(row, 2, sheet.table.help, wrap)?;
        row += 1;
        for column in sheet.columns() {
            help.write_string(row, 1, column.name)?;
            help.write_string_with_format(row, 2, column.help, wrap)?;
            row += 1;
        }
    }
    help.set_freeze_panes(1, 0)?;
    help.set_active(true);
    Ok(())
}

const OWN_CODES: &str =
    "Not a code of the list: fine only if model.toml declares it (needs = [...] or phases = [...]).";
const FIXED: &str = "Choose a value from the list.";
const LIST: &str = "Not one value from the list: all, or codes separated by ; (ASD;SLCN), is fine.";

/// The drop-down list of a column, where it has one: one need, phase or kind strictly; a
/// list of needs or phases (`ASD;SLCN`) offered but not enforced.
fn validation(holds: Holds, meaning: &str) -> Result<Option<DataValidation>, XlsxError> {
    let needs: Vec<&str> = DFE_NEED_CODES.to_vec();
    let phases: Vec<&str> = DEFAULT_PHASES.iter().map(|p| p.0).collect();
    let kinds: Vec<&str> =
        SettingKind::ALL.iter().map(|k| k.code()).filter(|k| *k != SettingKind::IndependentMarket.code()).collect();
    let with_all = |codes: &[&'static str]| [&["all"], codes].concat();
    // A kind of setting, or a word, is one of a fixed list; a model may declare needs and
    // phases of its own, so a code not listed is warned about, and a list of codes allowed.
    let (list, style, error) = match holds {
        Holds::Text | Holds::Number => return Ok(None),
        Holds::Need => (needs, DataValidationErrorStyle::Warning, OWN_CODES),
        Holds::Phase => (phases, DataValidationErrorStyle::Warning, OWN_CODES),
        Holds::Kind => (kinds, DataValidationErrorStyle::Stop, FIXED),
        Holds::Choice(words) => (words.to_vec(), DataValidationErrorStyle::Stop, FIXED),
        Holds::Needs => (with_all(&needs), DataValidationErrorStyle::Information, LIST),
        Holds::Phases => (with_all(&phases), DataValidationErrorStyle::Information, LIST),
    };
    let message: String = meaning.chars().take(250).collect();
    let v = DataValidation::new()
        .allow_list_strings(&list)?
        .ignore_blank(true)
        .set_input_message(message)?
        .set_error_style(style)
        .set_error_message(error)?;
    Ok(Some(v))
}

/// The example's rows: numbers in number columns as numbers, everything else as text.
fn write_example(ws: &mut Worksheet, sheet: &Sheet, csv: &str) -> Result<(), XlsxError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers: Vec<String> = reader.headers().map(|h| h.iter().map(str::to_string).collect()).unwrap_or_default();
    let columns: Vec<&Column> = sheet.columns().collect();
    for (r, record) in reader.records().flatten().enumerate() {
        let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (header, text) in headers.iter().zip(record.iter()) {
            let Some(c) = columns.iter().position(|column| column.name == header) else {
                continue;
            };
            let holds = columns[c].holds;
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match (holds, crate::model::input::table::parse_number(text)) {
                (_, _) if text.is_empty() => {}
                (Holds::Number, Some(v)) => {
                    ws.write_number(row, c, v)?;
                }
                _ => {
                    ws.write_string(row, c, text)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_read_back_has_a_sheet_for_every_table_and_holds_the_tiny_example() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files().unwrap() {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        // Read back by calamine, not by the code that wrote it: the sheets, in the order of
        // models/README.md, and the header rows, as written out here by hand.
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("model.xlsx")).unwrap();
        assert_eq!(
            book.sheet_names(),
            [
                "Help",
                "Localities",
                "Settings",
                "Setting needs",
                "Locality caps",
                "Market",
                "Demand",
                "Road nodes",
                "Road edges",
                "Cohort",
                "Forecast rates",
                "Population",
                "Tier policy",
                "Current placements",
                "Setting places",
                "Schemes",
                "Scheme places",
                "Purchasing options",
                "Purchasing prices",
                "Transport options",
            ]
        );
        let header = |book: &mut calamine::Xlsx<_>, sheet: &str| -> Vec<String> {
            let range = book.worksheet_range(sheet).unwrap();
            range.rows().next().unwrap().iter().map(ToString::to_string).collect()
        };
        let settings = [
            "id",
            "name",
            "kind",
            "latitude",
            "longitude",
            "in_borough",
            "places",
            "phases",
            "needs",
            "cost_per_place",
        ];
        assert_eq!(header(&mut book, "Settings"), settings);
        assert_eq!(header(&mut book, "Demand"), ["locality", "need", "phase", "children", "provision"]);
        assert_eq!(header(&mut book, "Locality caps"), ["setting", "locality", "max_children"]);
        // The model file names the example's six sheets and lists the other thirteen.
        let toml = model_toml();
        assert_eq!(toml.lines().filter(|l| l.contains(" = \"") && !l.starts_with('#')).count(), 6 + 3);
        assert_eq!(toml.lines().filter(|l| l.starts_with("# ") && l.contains(" = \"")).count(), 13);
        // Read by the loader, the workbook is the tiny example its CSV files hold.
        let from_book = crate::model::input::load(&dir.path().join("model.toml")).unwrap();
        let tiny = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny/model.toml");
        let from_csv = crate::model::input::load(&tiny).unwrap();
        assert_eq!(from_book.localities, from_csv.localities);
        assert_eq!(format!("{:?}", from_book.settings), format!("{:?}", from_csv.settings));
        assert_eq!(format!("{:?}", from_book.demand), format!("{:?}", from_csv.demand));
        assert_eq!(format!("{:?}", from_book.network), format!("{:?}", from_csv.network));
        assert_eq!(from_book.settings.len(), 3, "the tiny example's three settings");
        assert_eq!(from_book.network.as_ref().map(|n| n.nodes.len()), Some(3), "its three road nodes");
    }

    #[test]
    fn needs_phases_and_kinds_have_drop_down_lists_and_free_text_has_none() {
        for holds in [Holds::Need, Holds::Needs, Holds::Phase, Holds::Phases, Holds::Kind, Holds::Choice(&["cap"])] {
            assert!(validation(holds, "what it holds").unwrap().is_some());
        }
        assert!(validation(Holds::Text, "").unwrap().is_none() && validation(Holds::Number, "").unwrap().is_none());
    }

    #[test]
    fn every_example_column_is_a_column_of_its_sheet() {
        for sheet in sheets() {
            if let Some(csv) = sheet.example {
                for header in csv.lines().next().unwrap().split(',') {
                    assert!(sheet.columns().any(|c| c.name == header), "{}: {header}", sheet.name());
                }
            }
        }
    }

    #[test]
    fn every_table_of_the_schema_has_one_sheet() {
        for table in schema::TABLES {
            assert_eq!(SHEETS.iter().filter(|(key, _)| *key == table.key).count(), 1, "{}", table.key);
        }
        assert_eq!(SHEETS.len(), schema::TABLES.len());
    }
}
