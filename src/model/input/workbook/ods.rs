//! An OpenDocument spreadsheet (.ods, LibreOffice's) read as its content.xml streams: each
//! sheet as the cells it holds, a row or cell repeated (LibreOffice writes the thousand
//! empty rows below a table as one row repeated) kept once with its count, so that neither
//! a repeat count nor a far cell makes the sheet bigger in memory than in the file. What a
//! cell holds is read as calamine reads it (the value, else the text of its paragraphs).

use std::io::{BufRead, BufReader, Read, Seek};

use calamine::Data;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::sheet::{Budget, Cell, Row, Sheet, Value, present};

/// What an OpenDocument spreadsheet's `mimetype` part holds.
const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The sheets of the spreadsheet in `archive`, in order, or why it cannot be read (in words
/// to follow "cannot be read as an OpenDocument spreadsheet (.ods): ").
pub(super) fn read<R: Read + Seek>(archive: R, budget: &mut Budget) -> Result<Vec<(String, Sheet)>, String> {
    let mut zip = ZipArchive::new(archive).map_err(|e| format!("it is not a whole zip archive ({e})"))?;
    let mut mimetype = Vec::new();
    match zip.by_name("mimetype") {
        Ok(part) => part.take(100).read_to_end(&mut mimetype).map_err(|e| e.to_string())?,
        Err(_) => return Err("it has no part 'mimetype'".into()),
    };
    if mimetype.trim_ascii() != MIMETYPE {
        return Err(format!(
            "its part 'mimetype' says {:?}, not {:?}",
            String::from_utf8_lossy(&mimetype),
            String::from_utf8_lossy(MIMETYPE)
        ));
    }
    let content = zip.by_name("content.xml").map_err(|_| "it has no part 'content.xml'".to_string())?;
    let mut xml = Reader::from_reader(BufReader::new(content));
    xml.config_mut().expand_empty_elements = true;
    xml.config_mut().check_end_names = false;
    let mut sheets = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| in_content(&e))? {
            Event::Start(e) if e.name().as_ref() == b"table:table" => {
                let name = attribute(&xml, &e, b"table:name")?.unwrap_or_default();
                let sheet = read_table(&mut xml, budget)?;
                sheets.push((name, sheet));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// The reader's error, in words.
fn in_content(e: &dyn std::fmt::Display) -> String {
    format!("its content.xml is not well-formed XML ({e})")
}

/// The value of attribute `key` of `e`, if it has one.
fn attribute<R: BufRead>(xml: &Reader<R>, e: &BytesStart, key: &[u8]) -> Result<Option<String>, String> {
    match e.try_get_attribute(key).map_err(|e| in_content(&e))? {
        Some(a) => Ok(Some(a.decode_and_unescape_value(xml.decoder()).map_err(|e| in_content(&e))?.into_owned())),
        None => Ok(None),
    }
}

/// A repeat count (`table:number-rows-repeated` or `-columns-`), 1 if none.
fn repeat<R: BufRead>(xml: &Reader<R>, e: &BytesStart, key: &[u8]) -> Result<u64, String> {
    match attribute(xml, e, key)? {
        None => Ok(1),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "its content.xml repeats a {} {text:?} times: expected a whole number of at least 1",
                if key.ends_with(b"rows-repeated") { "row" } else { "cell" }
            )),
        },
    }
}

/// The rows of the table whose start was just read, to its end.
fn read_table<R: BufRead>(xml: &mut Reader<R>, budget: &mut Budget) -> Result<Sheet, String> {
    let mut sheet = Sheet::default();
    let mut row = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| in_content(&e))? {
            Event::Start(e) if e.name().as_ref() == b"table:table-row" => {
                let repeat = repeat(xml, &e, b"table:number-rows-repeated")?;
                let cells = read_row(xml, budget)?;
                if !cells.is_empty() {
                    sheet.rows.push(Row { row, repeat, cells });
                }
                row = row.saturating_add(repeat);
            }
            Event::End(e) if e.name().as_ref() == b"table:table" => return Ok(sheet),
            Event::Eof => return Err("its content.xml ends inside a sheet".into()),
            _ => {}
        }
    }
}

/// The cells of the row whose start was just read, to its end.
fn read_row<R: BufRead>(xml: &mut Reader<R>, budget: &mut Budget) -> Result<Vec<Cell>, String> {
    let mut cells = Vec::new();
    let mut col = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| in_content(&e))? {
            Event::Start(e) if matches!(e.name().as_ref(), b"table:table-cell" | b"table:covered-table-cell") => {
                let repeat = repeat(xml, &e, b"table:number-columns-repeated")?;
                let e = e.into_owned();
                if let Some(value) = read_cell(xml, &e, budget)? {
                    if !budget.take_cell(&value) {
                        return Err(too_much(budget));
                    }
                    cells.push(Cell { col, repeat, value });
                }
                col = col.saturating_add(repeat);
            }
            Event::Start(e) => {
                let e = e.into_owned();
                xml.read_to_end_into(e.name(), &mut Vec::new()).map_err(|e| in_content(&e))?;
            }
            Event::End(e) if e.name().as_ref() == b"table:table-row" => return Ok(cells),
            Event::Eof => return Err("its content.xml ends inside a row".into()),
            _ => {}
        }
    }
}

/// The problem of a spreadsheet whose text is too long to hold.
fn too_much(budget: &Budget) -> String {
    format!("its cells' text would take more than {} MB of memory", budget.limit / 1_000_000)
}

/// What the cell whose start `e` was just read holds (`None` if nothing), read to its end.
fn read_cell<R: BufRead>(xml: &mut Reader<R>, e: &BytesStart, budget: &mut Budget) -> Result<Option<Value>, String> {
    let mut value = None;
    let mut string = false;
    for a in e.attributes() {
        let a = a.map_err(|e| in_content(&e))?;
        let text = || a.decode_and_unescape_value(xml.decoder()).map(|t| t.into_owned()).map_err(|e| in_content(&e));
        match a.key.as_ref() {
            b"office:value" if value.is_none() => {
                let t = text()?;
                value = Some(match t.trim().parse::<f64>() {
                    Ok(f) => Data::Float(f),
                    Err(_) => Data::String(t),
                });
            }
            b"office:string-value" if value.is_none() => value = Some(Data::String(text()?)),
            b"office:date-value" if value.is_none() => value = Some(Data::DateTimeIso(text()?)),
            b"office:time-value" if value.is_none() => value = Some(Data::DurationIso(text()?)),
            b"office:boolean-value" if value.is_none() => {
                value = Some(Data::Bool(matches!(a.value.as_ref(), b"true" | b"TRUE")));
            }
            b"office:value-type" if value.is_none() => string = a.value.as_ref() == b"string",
            _ => {}
        }
    }
    let value = match value {
        Some(v) => {
            xml.read_to_end_into(e.name(), &mut Vec::new()).map_err(|e| in_content(&e))?;
            v
        }
        None if string => Data::String(paragraphs(xml, budget)?),
        None => {
            xml.read_to_end_into(e.name(), &mut Vec::new()).map_err(|e| in_content(&e))?;
            return Ok(None);
        }
    };
    Ok(present(super::cell_text(&value)))
}

/// The text of a cell's paragraphs (one to a line), to the cell's end; its comments left out.
fn paragraphs<R: BufRead>(xml: &mut Reader<R>, budget: &mut Budget) -> Result<String, String> {
    let mut text = String::new();
    let mut first = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let before = text.len();
        match xml.read_event_into(&mut buf).map_err(|e| in_content(&e))? {
            Event::Text(t) => text.push_str(&t.xml10_content().map_err(|e| in_content(&e))?),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| in_content(&e))?;
                match quick_xml::escape::resolve_xml_entity(&name) {
                    Some(s) => text.push_str(s),
                    None => match r.resolve_char_ref().map_err(|e| in_content(&e))? {
                        Some(c) => text.push(c),
                        None => return Err(format!("its content.xml names an unknown entity &{name};")),
                    },
                }
            }
            Event::Start(e) if e.name().as_ref() == b"office:annotation" => {
                let e = e.into_owned();
                xml.read_to_end_into(e.name(), &mut Vec::new()).map_err(|e| in_content(&e))?;
            }
            Event::Start(e) if e.name().as_ref() == b"text:p" => {
                if !first {
                    text.push('\n');
                }
                first = false;
            }
            Event::Start(e) if e.name().as_ref() == b"text:s" => {
                let count = match attribute(xml, &e, b"text:c")? {
                    Some(c) => c.trim().parse::<u64>().map_err(|_| format!("its content.xml has {c:?} spaces"))?,
                    None => 1,
                };
                if !budget.take(count) {
                    return Err(too_much(budget));
                }
                text.extend(std::iter::repeat_n(' ', usize::try_from(count).unwrap_or(usize::MAX)));
            }
            Event::End(e) if matches!(e.name().as_ref(), b"table:table-cell" | b"table:covered-table-cell") => {
                return Ok(text);
            }
            Event::Eof => return Err("its content.xml ends inside a cell".into()),
            _ => {}
        }
        if !budget.take((text.len() - before) as u64) {
            return Err(too_much(budget));
        }
    }
}

#[cfg(test)]
#[path = "ods_tests.rs"]
mod tests;
