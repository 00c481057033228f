//! Text files as planners save them, and text as problems show it.
//!
//! A file that is valid UTF-8 is read as it is (a byte-order mark is dropped). Anything
//! else is almost always Excel's plain "CSV", which on English Windows is Windows-1252:
//! such a file is read as Windows-1252, so `’ – € £ é` arrive as written, and a note says
//! which encoding was assumed. A file that is UTF-8 but for a few stray bytes (rows pasted
//! in from another file, say) is neither: reading it as Windows-1252 would garble every
//! accented letter of its UTF-8 part, and reading it as UTF-8 would lose the stray
//! characters. It is refused, one problem for each line with a stray byte, so the planner
//! can fix those cells. The rule: at least as many well-formed UTF-8 characters beyond
//! ASCII as stray bytes is UTF-8 with stray bytes (at a tie either reading garbles as many
//! characters, so the file is refused rather than guessed); otherwise Windows-1252. A
//! byte-order mark for UTF-16 (Excel's "Unicode Text") is honoured.

use std::path::Path;

use super::problem::Problem;

/// What a file is, for saying how to save it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A CSV table, saved from a spreadsheet.
    Table,
    /// A model file (TOML), saved from a text editor.
    ModelFile,
}

impl FileKind {
    /// How Windows-1252 is described, and how to save the file as UTF-8.
    fn advice(self) -> (&'static str, &'static str) {
        match self {
            FileKind::Table => (" (Excel's 'CSV')", "save as 'CSV UTF-8'"),
            FileKind::ModelFile => ("", "save it as UTF-8"),
        }
    }
}

/// A file's text, and a note when its encoding was assumed rather than certain.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text, without a byte-order mark.
    pub(crate) text: String,
    /// Which encoding was assumed, when it was not UTF-8.
    pub(crate) note: Option<Problem>,
}

/// Reads `bytes` of the file shown as `shown` (see the module docs for the rule).
///
/// # Errors
/// One problem for each line holding a byte that is not UTF-8, in a file that is otherwise
/// UTF-8.
pub(crate) fn decode(bytes: &[u8], shown: &Path, kind: FileKind) -> Result<Decoded, Vec<Problem>> {
    let (excel, save_as) = kind.advice();
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let note = Problem::file(shown, format!("is {}: read as such; {save_as} to be sure", encoding.name()));
        return Ok(Decoded { text: text.into_owned(), note: Some(note) });
    }
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if has_bom { &bytes[3..] } else { bytes };
    if let Ok(text) = std::str::from_utf8(body) {
        return Ok(Decoded { text: text.to_string(), note: None });
    }
    let (good, stray) = utf8_census(body);
    if has_bom || (good > 0 && good >= stray.len()) {
        return Err(stray_lines(body, &stray, shown, save_as));
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
    let note = Problem::file(shown, format!("is not UTF-8: read as Windows-1252{excel}; {save_as} to be sure"));
    Ok(Decoded { text: text.into_owned(), note: Some(note) })
}

/// Well-formed UTF-8 characters beyond ASCII, and the offsets of stray bytes.
fn utf8_census(mut bytes: &[u8]) -> (usize, Vec<usize>) {
    let mut good = 0;
    let mut stray = Vec::new();
    let mut offset = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(rest) => {
                good += rest.chars().filter(|c| !c.is_ascii()).count();
                return (good, stray);
            }
            Err(e) => {
                let valid = e.valid_up_to();
                // Checked valid just now.
                good += std::str::from_utf8(&bytes[..valid]).map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                let bad = e.error_len().unwrap_or(bytes.len() - valid);
                stray.push(offset + valid);
                offset += valid + bad;
                bytes = &bytes[valid + bad..];
            }
        }
    }
}

/// One problem for each line holding a stray byte.
fn stray_lines(body: &[u8], stray: &[usize], shown: &Path, save_as: &str) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    let mut line = 1;
    let mut counted = 0;
    for &at in stray {
        line += body[counted..at].iter().filter(|&&b| b == b'\n').count();
        counted = at;
        if out.last().is_some_and(|p| p.line == Some(line)) {
            continue;
        }
        out.push(Problem::at(
            shown,
            line,
            format!(
                "has a byte that is not UTF-8 (0x{:02X}) in a file that is otherwise UTF-8: retype the \
                 character there, or {save_as}",
                body[at]
            ),
        ));
    }
    out
}

/// Why a file could not be read, in planners' words (the system's own words only for the
/// rare cases beyond these).
#[must_use]
pub fn unreadable(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "cannot read the file: there is no such file (a path in a model file is taken from the folder of \
             that model file)"
                .into()
        }
        std::io::ErrorKind::PermissionDenied => "cannot read the file: this account is not allowed to open it".into(),
        std::io::ErrorKind::IsADirectory => "is a folder: expected a file".into(),
        _ => format!("cannot read the file: {e}"),
    }
}

/// Longest piece of a cell quoted back in a problem, in characters.
const QUOTED: usize = 60;

/// A cell's text as a problem quotes it: in single quotes, control characters shown as
/// `\n`, `\t` and so on (so a problem stays one line), and cut after 60 characters with
/// the length given (so a megabyte cell does not fill the screen).
#[must_use]
pub fn quoted(text: &str) -> String {
    let mut out = String::from("'");
    for (i, c) in text.chars().enumerate() {
        if i == QUOTED {
            out.push_str(&format!("…' ({} characters)", grouped(text.chars().count())));
            return out;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A count with commas between groups of three digits: `1,000,000`.
#[must_use]
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `text` made safe to print as part of one line: control characters escaped, and cut
/// after `limit` characters.
#[must_use]
pub fn one_line(text: &str, limit: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= limit && !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == limit {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Decoded, Vec<Problem>> {
        decode(bytes, Path::new("settings.csv"), FileKind::Table)
    }

    #[test]
    fn utf8_is_read_as_it_is_without_a_note() {
        let d = read("id,name\nx,Sainte-Thérèse – St Mary’s\n".as_bytes()).unwrap();
        assert_eq!(d.text, "id,name\nx,Sainte-Thérèse – St Mary’s\n");
        assert!(d.note.is_none());
    }

    #[test]
    fn a_utf8_byte_order_mark_is_dropped() {
        let d = read(b"\xEF\xBB\xBFid,name\nx,Caf\xC3\xA9\n").unwrap();
        assert_eq!(d.text, "id,name\nx,Café\n");
        assert!(d.note.is_none());
    }

    #[test]
    fn windows_1252_punctuation_arrives_as_written_with_a_note() {
        // ’ – € £ é as Excel's "CSV" writes them on English Windows.
        let d = read(b"id,name\nx,St Mary\x92s \x96 \x80 \xA3 caf\xE9\n").unwrap();
        assert_eq!(d.text, "id,name\nx,St Mary’s – € £ café\n");
        assert_eq!(
            d.note.unwrap().to_string(),
            "settings.csv: is not UTF-8: read as Windows-1252 (Excel's 'CSV'); save as 'CSV UTF-8' to be sure"
        );
    }

    #[test]
    fn a_stray_byte_in_a_utf8_file_is_refused_naming_its_line() {
        // Two well-formed é, then one Windows-1252 ’ pasted in at line 3.
        let p = read(b"id,name\na,Caf\xC3\xA9 R\xC3\xA9gis\nb,St Mary\x92s\n").unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].to_string(),
            "settings.csv:3: has a byte that is not UTF-8 (0x92) in a file that is otherwise UTF-8: retype the \
             character there, or save as 'CSV UTF-8'"
        );
    }

    #[test]
    fn stray_bytes_after_a_utf8_byte_order_mark_are_refused_one_problem_a_line() {
        let p = read(b"\xEF\xBB\xBFid,name\na,\x92\x92\nb,ok\nc,\x96\n").unwrap_err();
        let lines: Vec<Option<usize>> = p.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(2), Some(4)]);
    }

    /// Issue 26, case 9: one well-formed `ö` and one stray byte is a UTF-8 file with a
    /// mistake, not Windows-1252 (which would read the `ö` as `Ã¶`).
    #[test]
    fn one_utf8_character_and_one_stray_byte_is_refused_not_read_as_windows_1252() {
        let p = read(b"id,name\na,Sch\xC3\xB6ol\nb,Park Lane Sch\xF6ol\n").unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, Some(3));
        assert!(p[0].message.contains("(0xF6) in a file that is otherwise UTF-8"), "{}", p[0]);
    }

    #[test]
    fn one_stray_byte_and_nothing_else_beyond_ascii_is_windows_1252() {
        let d = read(b"id,name\nb,St Mary\x92s\n").unwrap();
        assert_eq!(d.text, "id,name\nb,St Mary’s\n");
        assert!(d.note.is_some());
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read_with_a_note() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "id,name\nx,Café\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let d = read(&bytes).unwrap();
        assert_eq!(d.text, "id,name\nx,Café\n");
        assert!(d.note.unwrap().message.contains("is UTF-16LE"));
    }

    #[test]
    fn quoted_cells_stay_on_one_short_line() {
        assert_eq!(quoted("five"), "'five'");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1234), "1,234");
        assert_eq!(quoted("a\nb\u{7}"), "'a\\nb\\u{7}'");
        let long = "x".repeat(1_000_000);
        assert_eq!(quoted(&long), format!("'{}…' (1,000,000 characters)", "x".repeat(60)));
    }
}
