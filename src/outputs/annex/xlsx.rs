//! The annex as a workbook: a contents sheet, then a worksheet a table with its title,
//! note, headings with units, number formats and totals in bold, ready for officers to work
//! on. Text from input files is written as text (never a formula) and, as in the CSV
//! files, a leading `=`, `+`, `-` or `@` is neutralised.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use super::{Annex, Disclosure, Table, Unit, Value, WITHHELD};
use crate::outputs::report::csv::safe_cell;

fn number_format(unit: Unit) -> &'static str {
    match unit {
        Unit::Text => "@",
        Unit::Children | Unit::Places => "#,##0",
        Unit::Pounds | Unit::PoundsEach => "\"£\"#,##0",
        Unit::Minutes | Unit::Years => "0.0",
        Unit::Percent => "0.0\"%\"",
    }
}

/// The workbook's bytes.
///
/// # Errors
/// If the workbook cannot be assembled (a bug: names and sizes are checked here).
pub fn workbook(annex: &Annex) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let mut properties =
        DocProperties::new().set_title(safe_cell(&annex.title)).set_subject(safe_cell(&annex.scenario));
    if let Some(date) = date_of(&annex.produced) {
        properties = properties.set_creation_datetime(&date);
    }
    book.set_properties(&properties);
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let warning = Format::new().set_bold().set_font_color("#B00020");
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Contents")?;
        sheet.write_string_with_format(0, 0, safe_cell(&annex.title), &title)?;
        sheet.write_string(1, 0, safe_cell(&annex.subtitle()))?;
        sheet.write_string(2, 0, safe_cell(&annex.description))?;
        let statement = annex.disclosure.statement();
        if matches!(annex.disclosure, Disclosure::Off) {
            sheet.write_string_with_format(3, 0, &statement, &warning)?;
        } else {
            sheet.write_string(3, 0, &statement)?;
        }
        sheet.write_string_with_format(5, 0, "Sheet", &bold)?;
        sheet.write_string_with_format(5, 1, "Table", &bold)?;
        for (i, t) in annex.tables().enumerate() {
            let row = 6 + u32::try_from(i).unwrap_or(u32::MAX - 7);
            sheet.write_string(row, 0, sheet_name(t))?;
            sheet.write_string(row, 1, safe_cell(&t.title))?;
        }
        sheet.set_column_width(0, 28)?;
        sheet.set_column_width(1, 90)?;
    }
    for t in annex.tables() {
        table(&mut book, t, &annex.disclosure)?;
    }
    book.save_to_buffer()
}

/// A date written 2026-11-25.
fn date_of(text: &str) -> Option<ExcelDateTime> {
    let mut parts = text.splitn(3, '-').map(str::parse::<u16>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    ExcelDateTime::from_ymd(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()
}

/// A worksheet name: the table's id, at most 31 characters.
pub(super) fn sheet_name(t: &Table) -> String {
    t.id.chars().take(31).collect()
}

fn table(book: &mut Workbook, t: &Table, disclosure: &Disclosure) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(t))?;
    sheet.write_string_with_format(0, 0, safe_cell(&t.title), &Format::new().set_bold().set_font_size(13))?;
    sheet.write_string(1, 0, safe_cell(&t.note))?;
    sheet.write_string(2, 0, disclosure.statement())?;
    let head = 4u32;
    let header = Format::new().set_bold().set_text_wrap().set_background_color("#F3F6F9");
    for (c, col) in t.columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(head, c, col.heading_with_unit(), &header)?;
        let width = if col.unit == Unit::Text { 34.0 } else { 16.0 };
        sheet.set_column_width(c, width)?;
    }
    let first_total = t.rows.len().saturating_sub(t.totals);
    for (r, row) in t.rows.iter().enumerate() {
        let excel_row = head + 1 + u32::try_from(r).unwrap_or(u32::MAX - head - 1);
        let total = r >= first_total;
        for (c, (v, col)) in row.iter().zip(&t.columns).enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            let mut format = Format::new();
            if total {
                format = format.set_bold();
            }
            match v {
                Value::Text(text) => {
                    sheet.write_string_with_format(excel_row, c, safe_cell(text), &format)?;
                }
                Value::Number(n) => {
                    sheet.write_number_with_format(
                        excel_row,
                        c,
                        *n,
                        &format.set_num_format(number_format(col.unit)),
                    )?;
                }
                Value::Withheld => {
                    sheet.write_string_with_format(excel_row, c, WITHHELD, &format.set_align(FormatAlign::Right))?;
                }
                Value::Blank => {}
            }
        }
    }
    sheet.set_freeze_panes(head + 1, 1)?;
    Ok(())
}
