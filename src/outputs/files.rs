//! Where the commands' results go: standard output, files written all or none (even when
//! interrupted, or when two runs write into one folder), and the date printed on a document.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::optimise::run::Error;

mod interruption;
mod journal;
mod lock;
mod write;

/// Prints `text` on standard output. A closed pipe (`| head`) is not an error for the planner.
///
/// # Errors
/// [`Error::Output`] if standard output cannot be written for any other reason.
pub fn print(text: &str) -> Result<(), Error> {
    super::stdout::check_open()?;
    let text = without_control_characters(text);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Output { path: "standard output".into(), source: e })
        }
        _ => Ok(()),
    }
}

/// `text` without control characters (C0 but tab and newline, DEL, C1: escape sequences,
/// bells, NULs that names in input files could carry to a terminal or a file), each shown as
/// `?`. Borrowed when there are none.
#[must_use]
pub fn without_control_characters(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if text.chars().any(bad) {
        std::borrow::Cow::Owned(text.chars().map(|c| if bad(c) { '?' } else { c }).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Writes every file or none: each goes to a hidden name beside it first, and only when
/// all are written are they moved into place, holding each folder's lock (another run
/// writing there waits), with a journal that lets the next run finish or undo a write that
/// was stopped. Ctrl-C and TERM leave the old files or the new ones. Folders are made as
/// needed. No file the model was read from is ever replaced.
///
/// # Errors
/// [`Error::Output`] naming the first file or folder that could not be written.
pub fn write_files<B: AsRef<[u8]>>(files: &[(PathBuf, B)]) -> Result<(), Error> {
    write::write(files, None)
}

/// As [`write_files`], and in the same write (all or none) removes every file named
/// `*.EXTENSION` in `folder` that is not one of `files`: a table an earlier run wrote and
/// this one does not is not left beside this run's.
///
/// # Errors
/// [`Error::Output`] naming the first file or folder that could not be written or removed.
pub fn write_files_replacing<B: AsRef<[u8]>>(
    files: &[(PathBuf, B)],
    folder: &Path,
    extension: &str,
) -> Result<(), Error> {
    write::write(files, Some((folder, extension)))
}

/// Today's date (UTC) as 2026-11-25; `SOURCE_DATE_EPOCH` (seconds) fixes it, for
/// reproducible output.
#[must_use]
pub fn today() -> String {
    let seconds =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    date_of(seconds)
}

/// The date (UTC) `seconds` after 1970-01-01 began, as 2026-11-25: days to the civil
/// (proleptic Gregorian) calendar by H. Hinnant's algorithm, which counts in 400-year eras
/// of 146,097 days from 0000-03-01, so that leap days fall at the end of a year.
#[must_use]
pub fn date_of(seconds: i64) -> String {
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod control_tests {
    use super::without_control_characters;

    #[test]
    fn escape_bell_nul_and_c1_characters_are_replaced_tabs_and_newlines_kept() {
        assert_eq!(without_control_characters("a\u{1b}[31mb\u{7}c\0d\u{92}e\tf\ng\r"), "a?[31mb?c?d?e\tf\ng?");
        assert!(matches!(without_control_characters("plain £ text"), std::borrow::Cow::Borrowed(_)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fall_on_the_right_day_across_leap_years_and_centuries() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(86_399), "1970-01-01");
        assert_eq!(date_of(-1), "1969-12-31");
        assert_eq!(date_of(951_782_400), "2000-02-29");
        assert_eq!(date_of(951_868_800), "2000-03-01");
        assert_eq!(date_of(1_764_000_000), "2025-11-24");
        assert_eq!(date_of(4_107_542_400), "2100-03-01");
        assert_eq!(date_of(4_107_456_000), "2100-02-28");
    }

    #[test]
    fn files_are_written_all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("blocker");
        std::fs::write(&blocker, "a file, not a folder").unwrap();
        let files = [(dir.path().join("a/one.csv"), "1\n"), (blocker.join("two.csv"), "2\n")];
        assert!(matches!(write_files(&files), Err(Error::Output { .. })));
        assert!(!dir.path().join("a/one.csv").exists());
        assert_eq!(std::fs::read_dir(dir.path().join("a")).unwrap().count(), 0, "no partial file is left");
        write_files(&files[..1]).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("a/one.csv")).unwrap(), "1\n");
    }

    #[test]
    fn no_file_read_as_input_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("demand.csv");
        std::fs::write(&input, "locality,need\n").unwrap();
        crate::model::input::note_read(&input);
        let other = dir.path().join("out.csv");
        // By another name for the same file, too.
        let files = [(other.clone(), "x\n"), (dir.path().join(".").join("demand.csv"), "x\n")];
        let Err(Error::Output { path, source }) = write_files(&files) else { panic!("an input was replaced") };
        assert_eq!(path, files[1].0);
        assert!(source.to_string().contains("input files"), "{source}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "locality,need\n");
        assert!(!other.exists(), "nothing is written");
    }
}
