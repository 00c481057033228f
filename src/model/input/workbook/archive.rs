//! The archive a workbook is kept in (.xlsx, .xlsm, .xlsb and .ods are zip archives of
//! parts: a sheet, the shared texts, styles), checked whole before any of it is read: every
//! part unpacked to its end, so that a damaged byte fails the part's checksum (CRC) rather
//! than being read as a wrong name, and the size unpacked bounded as the file's size is, so
//! that a small file that unpacks to gigabytes is refused before it is read.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use zip::ZipArchive;

/// Largest size of a workbook's parts unpacked, in bytes: the largest table file read, so
/// that a workbook holds no more than a CSV file may.
pub const LARGEST_UNPACKED: u64 = super::super::table::LARGEST_FILE;

/// Why an archive is not read.
#[derive(Debug, PartialEq)]
pub(super) enum Unusable {
    /// It is not a whole archive, or a part of it is damaged: in words to follow "cannot be
    /// read as an Excel workbook (.xlsx): ".
    Damaged(String),
    /// It unpacks to more than `limit` bytes: to this many (said by the archive), or to
    /// more than the limit (found unpacking it).
    TooBig { size: Option<u64>, limit: u64 },
    /// Its sheets would take too much memory to read (an .xls): why, in words.
    TooMuch(String),
}

impl Unusable {
    /// A too-big archive, in words: `unpacks to 4,000 MB: expected at most 200 MB unpacked`.
    pub fn too_big(size: Option<u64>, limit: u64) -> String {
        let mb = |n: u64| n.div_ceil(1_000_000);
        let size = size.map_or_else(|| format!("more than {} MB", mb(limit)), |s| format!("{} MB", mb(s)));
        format!(
            "unpacks to {size}: expected a workbook of at most {} MB unpacked (its sheets are kept compressed in the file; a CSV file may be at most {} MB too)",
            limit / 1_000_000,
            limit / 1_000_000
        )
    }
}

/// Checks the archive at `path`: its size unpacked (in bytes), or why it cannot be read.
pub(super) fn check(path: &Path) -> Result<u64, Unusable> {
    let file = File::open(path).map_err(|e| Unusable::Damaged(e.to_string()))?;
    check_reader(BufReader::new(file), LARGEST_UNPACKED)
}

/// [`check`] of an archive read from `reader`, which may unpack to at most `limit` bytes.
pub(super) fn check_reader<R: Read + io::Seek>(reader: R, limit: u64) -> Result<u64, Unusable> {
    let mut zip =
        ZipArchive::new(reader).map_err(|e| Unusable::Damaged(format!("it is not a whole zip archive ({e})")))?;
    // What the archive says of its parts' sizes, first: a bomb is refused without unpacking.
    let declared = (0..zip.len()).try_fold(0u64, |sum, i| {
        zip.by_index_raw(i).map(|part| sum.saturating_add(part.size())).map_err(|e| damaged(&format!("part {i}"), &e))
    })?;
    if declared > limit {
        return Err(Unusable::TooBig { size: Some(declared), limit });
    }
    // Then every part unpacked, counting what it holds (not what it says it holds).
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| damaged(&format!("part {i}"), &e))?;
        let name = part.name().to_string();
        let room = limit - unpacked;
        let read = io::copy(&mut part.by_ref().take(room + 1), &mut io::sink()).map_err(|e| damaged(&name, &e))?;
        unpacked += read;
        if read > room {
            return Err(Unusable::TooBig { size: None, limit });
        }
    }
    Ok(unpacked)
}

/// A part that cannot be unpacked.
fn damaged(part: &str, error: &dyn std::fmt::Display) -> Unusable {
    let why = error.to_string();
    Unusable::Damaged(if why.contains("checksum") {
        format!(
            "it is damaged: its part {part} fails its checksum (CRC), so a byte of it has changed since it was saved"
        )
    } else {
        format!("it is damaged: its part {part} cannot be unpacked ({why})")
    })
}

#[cfg(test)]
#[path = "archive_tests.rs"]
mod tests;
