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

/// Checks the archive at `path`: its size unpacked (in bytes), or why it cannot be read, in
/// words to follow "cannot be read as an Excel workbook (.xlsx): ".
pub(super) fn check(path: &Path) -> Result<u64, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    check_reader(BufReader::new(file))
}

/// [`check`] of an archive read from `reader`.
pub(super) fn check_reader<R: Read + io::Seek>(reader: R) -> Result<u64, String> {
    let mut zip = ZipArchive::new(reader).map_err(|e| format!("it is not a whole zip archive ({e})"))?;
    // What the archive says of its parts' sizes, first: a bomb is refused without unpacking.
    let declared = (0..zip.len()).try_fold(0u64, |sum, i| {
        zip.by_index_raw(i).map(|part| sum.saturating_add(part.size())).map_err(|e| damaged(&format!("part {i}"), &e))
    })?;
    if declared > LARGEST_UNPACKED {
        return Err(too_big(declared));
    }
    // Then every part unpacked, counting what it holds (not what it says it holds).
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| damaged(&format!("part {i}"), &e))?;
        let name = part.name().to_string();
        let room = LARGEST_UNPACKED - unpacked;
        let read = io::copy(&mut part.by_ref().take(room + 1), &mut io::sink()).map_err(|e| damaged(&name, &e))?;
        unpacked += read;
        if read > room {
            return Err(too_big(LARGEST_UNPACKED + 1));
        }
    }
    Ok(unpacked)
}

/// A part that cannot be unpacked, in words.
fn damaged(part: &str, error: &dyn std::fmt::Display) -> String {
    let why = error.to_string();
    if why.contains("checksum") {
        format!("it is damaged: its part {part} fails its checksum (CRC), so a byte of it has changed since it was saved")
    } else {
        format!("it is damaged: its part {part} cannot be unpacked ({why})")
    }
}

/// An archive too big unpacked, in words.
fn too_big(size: u64) -> String {
    format!(
        "it unpacks to {} MB, more than the {} MB a workbook may hold",
        size.div_ceil(1_000_000),
        LARGEST_UNPACKED / 1_000_000
    )
}
