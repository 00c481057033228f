//! The template of a model kept in one workbook (`sufficiency init`): `model.xlsx`, with a
//! sheet for every table a model can use (its header row, drop-down lists for needs, phases
//! and kinds of setting), a Help sheet saying what each sheet and column is for, and the tiny
//! example authority filled in; and `model.toml`, naming the sheets the example uses.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::model::{DEFAULT_PHASES, DFE_NEED_CODES, SettingKind};

/// What a column holds, for its drop-down list and how the example's cells are written.
#[derive(Clone, Copy)]
enum Holds {
    /// Text (ids, names, years).
    Text,
    /// A number.
    Number,
    /// One need code.
    Need,
    /// `all`, or need codes separated by `;`.
    Needs,
    /// One phase.
    Phase,
    /// `all`, or phases separated by `;`.
    Phases,
    /// A kind of setting.
    Kind,
    /// One of these words (or blank).
    Choice(&'static [&'static str]),
}

/// One sheet of the template: the table key it is named by in `[tables]`, its name, what
/// it is for, its columns (name, what it holds, meaning) and the example's rows.
struct Sheet {
    key: &'static str,
    name: &'static str,
    purpose: &'static str,
    columns: &'static [(&'static str, Holds, &'static str)],
    example: Option<&'static str>,
}

const ID: (&str, Holds, &str) = ("id", Holds::Text, "short code, unique in the sheet: letters, digits, - _ .");
const NAME: (&str, Holds, &str) = ("name", Holds::Text, "name as reports show it");
const LAT: (&str, Holds, &str) = ("latitude", Holds::Number, "decimal degrees (WGS 84), -90 to 90");
const LON: (&str, Holds, &str) = ("longitude", Holds::Number, "decimal degrees (WGS 84), -180 to 180");
const IN_BOROUGH: (&str, Holds, &str) = ("in_borough", Holds::Choice(&["yes", "no"]), "yes or no");
const NEEDS: (&str, Holds, &str) = ("needs", Holds::Needs, "all, or need codes separated by ; (ASD;SLCN)");
const PHASES: (&str, Holds, &str) = ("phases", Holds::Phases, "all, or phases separated by ; (primary;secondary)");
const PROVISION: (&str, Holds, &str) = (
    "provision",
    Holds::Choice(&["any", "resourced-provision", "special-school"]),
    "least provision needed: blank or any (a resourced provision will do), or special-school",
);
const YEAR_GROUP: (&str, Holds, &str) = ("year_group", Holds::Text, "national curriculum year: N1, N2, R, 1 to 14");

/// Every table a model can use, in the order of models/README.md.
const SHEETS: &[Sheet] = &[
    Sheet {
        key: "localities",
        name: "Localities",
        purpose: "The home areas children come from (towns, wards or smaller areas). At least one row.",
        columns: &[ID, NAME, LAT, LON, IN_BOROUGH],
        example: Some(include_str!("../../tests/fixtures/tiny/localities.csv")),
    },
    Sheet {
        key: "settings",
        name: "Settings",
        purpose: "The schools and units the council places children in now.",
        columns: &[
            ID,
            NAME,
            ("kind", Holds::Kind, "kind of setting (from the list)"),
            LAT,
            LON,
            IN_BOROUGH,
            ("places", Holds::Number, "places available to the authority's children (0 or more)"),
            PHASES,
            NEEDS,
            ("cost_per_place", Holds::Number, "£ a year: place funding + top-up, or the independent fee"),
        ],
        example: Some(include_str!("../../tests/fixtures/tiny/settings.csv")),
    },
    Sheet {
        key: "setting_needs",
        name: "Setting needs",
        purpose: "Optional: terms for one need at a setting (a cap on its children, or its own fee).",
        columns: &[
            ("setting", Holds::Text, "a setting's id"),
            ("need", Holds::Need, "a need the setting serves"),
            ("places", Holds::Number, "most children of that need there (blank: no cap of its own)"),
            ("cost_per_place", Holds::Number, "£ a year for that need (blank: the setting's)"),
        ],
        example: Some(include_str!("../../tests/fixtures/tiny/setting_needs.csv")),
    },
    Sheet {
        key: "locality_caps",
        name: "Locality caps",
        purpose: "Optional: the most children from one home locality the council places at one setting.",
        columns: &[
            ("setting", Holds::Text, "a setting's id"),
            ("locality", Holds::Text, "a locality's id"),
            ("max_children", Holds::Number, "most children, 0 or more"),
        ],
        example: None,
    },
    Sheet {
        key: "market",
        name: "Market",
        purpose: "Optional: places bought from the independent market, as price steps filled cheapest first.",
        columns: &[
            ID,
            NAME,
            NEEDS,
            PHASES,
            ("places", Holds::Number, "most children at this step (blank: no limit)"),
            ("cost_per_place", Holds::Number, "£ a year a child"),
            ("journey_minutes", Holds::Number, "typical journey each way from the borough, minutes"),
            ("journey_km", Holds::Number, "typical journey each way, km (blank: from the minutes)"),
            ("residence", Holds::Choice(&["day", "38-week", "52-week"]), "blank or day, 38-week or 52-week"),
            ("transport_per_child", Holds::Number, "£ a year of transport, for a residential step"),
        ],
        example: None,
    },
    Sheet {
        key: "demand",
        name: "Demand",
        purpose: "Forecast children needing a specialist place, by home locality, need and phase (a multi-year \
                  model may add a year column, 2025/26, ...).",
        columns: &[
            ("locality", Holds::Text, "a locality's id"),
            ("need", Holds::Need, "primary need"),
            ("phase", Holds::Phase, "phase"),
            ("children", Holds::Number, "children, 0 or more (a forecast may be fractional)"),
            PROVISION,
        ],
        example: Some(include_str!("../../tests/fixtures/tiny/demand.csv")),
    },
    Sheet {
        key: "road_nodes",
        name: "Road nodes",
        purpose: "Optional, with Road edges: towns and junctions of the road network.",
        columns: &[ID, ("name", Holds::Text, "name (optional)"), LAT, LON],
        example: Some(include_str!("../../tests/fixtures/tiny/road_nodes.csv")),
    },
    Sheet {
        key: "road_edges",
        name: "Road edges",
        purpose: "Optional, with Road nodes: two-way roads between nodes.",
        columns: &[
            ("from", Holds::Text, "a road node's id"),
            ("to", Holds::Text, "a road node's id"),
            ("minutes", Holds::Number, "typical drive time"),
            ("km", Holds::Number, "road distance (blank: straight line x circuity)"),
        ],
        example: Some(include_str!("../../tests/fixtures/tiny/road_edges.csv")),
    },
    Sheet {
        key: "cohort",
        name: "Cohort",
        purpose: "Multi-year models: children needing a specialist place in the base year, by year group.",
        columns: &[
            ("locality", Holds::Text, "a locality's id"),
            ("need", Holds::Need, "primary need"),
            YEAR_GROUP,
            ("children", Holds::Number, "children, 0 or more"),
            PROVISION,
        ],
        example: None,
    },
    Sheet {
        key: "forecast_rates",
        name: "Forecast rates",
        purpose: "Multi-year models, with Cohort: new plans, leavers and growth, by forecast variant.",
        columns: &[
            ("variant", Holds::Text, "a forecast variant: low, central, high, ..."),
            ("need", Holds::Need, "primary need"),
            YEAR_GROUP,
            ("new_plans", Holds::Number, "new plans a year across the authority"),
            ("ceasing_rate", Holds::Number, "share leaving a year, 0 to 1"),
            ("growth", Holds::Number, "growth a year of new plans (0.05 is 5%)"),
            ("new_per_1000", Holds::Number, "optional: new plans a year per 1,000 of Population"),
        ],
        example: None,
    },
    Sheet {
        key: "population",
        name: "Population",
        purpose: "Optional, multi-year models: population by locality, year and year group.",
        columns: &[
            ("locality", Holds::Text, "a locality's id"),
            ("year", Holds::Text, "school year, like 2025/26"),
            YEAR_GROUP,
            ("population", Holds::Number, "children living there"),
        ],
        example: None,
    },
    Sheet {
        key: "current_placements",
        name: "Current placements",
        purpose: "Optional, multi-year models: where children of the base year are placed now.",
        columns: &[
            ("setting", Holds::Text, "a setting's id"),
            ("locality", Holds::Text, "a locality's id"),
            ("need", Holds::Need, "primary need"),
            YEAR_GROUP,
            ("children", Holds::Number, "children, 0 or more"),
            PROVISION,
            (
                "residence",
                Holds::Choice(&["day", "38-week", "52-week"]),
                "blank or day; 38-week or 52-week if they board",
            ),
        ],
        example: None,
    },
    Sheet {
        key: "setting_places",
        name: "Setting places",
        purpose: "Optional, multi-year models: a setting's places from a year on (0 closes it).",
        columns: &[
            ("setting", Holds::Text, "a setting's id"),
            ("from_year", Holds::Text, "school year, like 2027/28"),
            ("places", Holds::Number, "places from that year on"),
        ],
        example: None,
    },
    Sheet {
        key: "schemes",
        name: "Schemes",
        purpose: "Optional: candidate capital schemes (new schools, expansions, resource bases).",
        columns: &[
            ID,
            NAME,
            ("kind", Holds::Kind, "kind of setting; blank for an expansion"),
            ("expands", Holds::Text, "for an expansion: the setting's id"),
            LAT,
            LON,
            IN_BOROUGH,
            ("opens", Holds::Text, "school year its places are first used, like 2027/28"),
            ("capital_cost", Holds::Number, "£ of capital a module"),
            ("cost_per_place", Holds::Number, "£ a year a child placed (blank for an expansion)"),
            ("fixed_annual_cost", Holds::Number, "£ a year of running cost a module once open"),
            ("min_modules", Holds::Number, "fewest modules (default 1)"),
            ("max_modules", Holds::Number, "most modules (default 1)"),
            ("exclusive_group", Holds::Text, "schemes sharing a group: at most one is built"),
            ("requires", Holds::Text, "scheme ids that must be built too, separated by ;"),
            ("capital_profile", Holds::Text, "percentages of capital a year before opening (30;70)"),
            ("fill_years", Holds::Number, "years its places take to fill (default 1: all at once)"),
        ],
        example: None,
    },
    Sheet {
        key: "scheme_places",
        name: "Scheme places",
        purpose: "Optional, with Schemes: the places a module of a scheme adds.",
        columns: &[
            ("scheme", Holds::Text, "a scheme's id"),
            NEEDS,
            PHASES,
            ("places", Holds::Number, "places a module"),
            ("opens", Holds::Text, "optional: year these places open (blank: the scheme's)"),
        ],
        example: None,
    },
    Sheet {
        key: "purchasing_options",
        name: "Purchasing options",
        purpose: "Optional: frameworks, block and cost-and-volume contracts for independent places.",
        columns: &[
            ID,
            NAME,
            ("kind", Holds::Choice(&["framework", "block", "cost-and-volume"]), "framework, block or cost-and-volume"),
            ("settings", Holds::Text, "setting ids separated by ;, or independent"),
            NEEDS,
            PHASES,
            ("discount", Holds::Number, "framework: fraction off each fee, 0 to 1"),
            ("joining_fee", Holds::Number, "framework: £ a year to belong"),
            ("fee_per_placement", Holds::Number, "framework: £ a year a child placed through it"),
            ("max_children_per_setting", Holds::Number, "framework: most children a school takes through it"),
            ("block_places", Holds::Number, "block: places in a block"),
            ("block_price", Holds::Number, "block: £ a year a block"),
            ("max_blocks", Holds::Number, "block: most blocks (default 1)"),
            ("price_above", Holds::Number, "cost-and-volume: £ a year a child beyond the blocks"),
            ("max_above", Holds::Number, "cost-and-volume: most children beyond the blocks"),
            ("contract_years", Holds::Number, "years it runs, 1 to 50 (blank: all)"),
            ("uplift", Holds::Number, "rise a year of its prices, -0.2 to 0.5"),
            ("acceptance", Holds::Number, "framework: share of offers providers accept, 0 to 1"),
        ],
        example: None,
    },
    Sheet {
        key: "purchasing_prices",
        name: "Purchasing prices",
        purpose: "Optional, with Purchasing options: a framework's price caps or bands by need and phase.",
        columns: &[
            ("option", Holds::Text, "a purchasing option's id"),
            NEEDS,
            PHASES,
            ("rule", Holds::Choice(&["cap", "band"]), "cap (at most the price) or band (the price)"),
            ("price", Holds::Number, "£ a year"),
        ],
        example: None,
    },
];

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
    for sheet in SHEETS {
        let line = format!("{} = \"{}\"\n", sheet.key, sheet.name);
        if sheet.example.is_some() {
            out.push_str(&line);
        }
    }
    out.push_str("# Sheets of the workbook a model may also use (remove the # to use one):\n");
    for sheet in SHEETS.iter().filter(|s| s.example.is_none()) {
        out.push_str(&format!("# {} = \"{}\"\n", sheet.key, sheet.name));
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

    for sheet in SHEETS {
        let ws = book.add_worksheet().set_name(sheet.name)?;
        for (c, (column, holds, meaning)) in sheet.columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, c, *column, &bold)?;
            ws.set_column_width(c, (column.len() + 4).max(12) as f64)?;
            if let Some(list) = validation(*holds, meaning)? {
                ws.add_data_validation(1, c, 10_000, c, &list)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        if let Some(csv) = sheet.example {
            write_example(ws, sheet, csv)?;
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
    for sheet in SHEETS {
        help.write_string_with_format(row, 0, sheet.name, bold)?;
        help.write_string_with_format(row, 1, format!("(tables.{})", sheet.key), wrap)?;
        help.write_string_with_format(row, 2, sheet.purpose, wrap)?;
        row += 1;
        for (column, _, meaning) in sheet.columns {
            help.write_string(row, 1, *column)?;
            help.write_string_with_format(row, 2, *meaning, wrap)?;
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
    for (r, record) in reader.records().flatten().enumerate() {
        let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (header, text) in headers.iter().zip(record.iter()) {
            let Some(c) = sheet.columns.iter().position(|(name, _, _)| name == header) else {
                continue;
            };
            let holds = sheet.columns[c].1;
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
    fn every_sheet_the_model_file_names_is_in_the_workbook_and_every_table_has_one() {
        let toml = model_toml();
        for (key, _) in crate::model::input::TABLE_KEYS {
            assert!(SHEETS.iter().any(|s| s.key == key), "no sheet for {key}");
            assert!(toml.contains(&format!("{key} = \"")), "model.toml does not mention {key}");
        }
        assert_eq!(SHEETS.len(), crate::model::input::TABLE_KEYS.len());
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
        for sheet in SHEETS {
            if let Some(csv) = sheet.example {
                for header in csv.lines().next().unwrap().split(',') {
                    assert!(sheet.columns.iter().any(|c| c.0 == header), "{}: {header}", sheet.name);
                }
            }
        }
    }
}
