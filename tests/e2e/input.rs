//! Input hardening: encodings, limits on names, planner-language errors from the model
//! file, and one problem for one mistake (no follow-on errors).

use crate::util::{Case, stderr};

/// The tiny fixture's settings table with a name in Windows-1252 bytes (’ – €).
fn windows_1252_settings(case: &Case) {
    let text = std::fs::read_to_string(case.path("settings.csv")).unwrap();
    let mut bytes = text.into_bytes();
    let from = b"Near Special School";
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    bytes.splice(at..at + from.len(), b"St Mary\x92s \x96 \x80 School".iter().copied());
    std::fs::write(case.path("settings.csv"), bytes).unwrap();
}

#[test]
fn a_windows_1252_table_is_read_with_a_note_naming_the_encoding() {
    let case = Case::fixture("tiny");
    windows_1252_settings(&case);
    let out = case.run(&["solve", "model.toml", "--out", "out"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("note: ")).collect::<Vec<_>>(),
        ["note: settings.csv: is not UTF-8: read as Windows-1252 (Excel's 'CSV'); save as 'CSV UTF-8' to be sure"]
    );
    let placements = std::fs::read_to_string(case.path("out/setting_use.csv")).unwrap();
    assert!(placements.contains("St Mary’s – € School"), "{placements}");
}

#[test]
fn a_stray_byte_in_a_utf8_table_is_one_error_naming_its_line() {
    let case = Case::fixture("tiny");
    case.edit("localities.csv", "Crewe,53", "Crewe – Café,53");
    let mut bytes = std::fs::read(case.path("localities.csv")).unwrap();
    let at = bytes.windows(8).position(|w| w == b"Nantwich").unwrap();
    bytes.insert(at + 8, 0x92);
    std::fs::write(case.path("localities.csv"), bytes).unwrap();
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error: ")).collect::<Vec<_>>(),
        ["error: localities.csv:3: has a byte that is not UTF-8 (0x92) in a file that is otherwise UTF-8: \
          retype the character there, or save as 'CSV UTF-8'"],
        "{err}"
    );
}

#[test]
fn a_windows_1252_model_file_is_read_with_a_note() {
    let case = Case::fixture("tiny");
    let text = std::fs::read_to_string(case.path("model.toml")).unwrap();
    let mut bytes = text.replacen("Tiny test authority", "Tiny \x01", 1).into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes.splice(at..=at, b"council\x92s plan".iter().copied());
    std::fs::write(case.path("model.toml"), bytes).unwrap();
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("note: model.toml: is not UTF-8: read as Windows-1252; save it as UTF-8 to be sure"), "{err}");
    assert!(crate::util::stdout(&out).contains("Tiny council’s plan"), "{}", crate::util::stdout(&out));
}
