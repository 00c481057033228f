use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::*;

/// A zip archive of `parts` (name, bytes), each stored or compressed.
fn archive(parts: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(*name, SimpleFileOptions::default().compression_method(method)).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Where `needle` first is in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn a_whole_archive_is_its_size_unpacked() {
    let zip = archive(&[("a.xml", b"<a>one</a>"), ("b.xml", &[b'x'; 5000])], CompressionMethod::Deflated);
    assert_eq!(check_reader(Cursor::new(zip), 1_000_000), Ok(5010));
}

#[test]
fn a_byte_changed_in_a_part_fails_its_checksum() {
    let mut zip = archive(&[("xl/sharedStrings.xml", b"<t>Near Special School</t>")], CompressionMethod::Stored);
    let at = find(&zip, b"School") + 2;
    zip[at] = b'm';
    assert_eq!(
        check_reader(Cursor::new(zip), 1_000_000),
        Err(Unusable::Damaged(
            "it is damaged: its part xl/sharedStrings.xml fails its checksum (CRC), so a byte of it has changed since it was saved"
                .into()
        ))
    );
}

#[test]
fn bytes_that_are_not_an_archive_are_damaged() {
    let Err(Unusable::Damaged(why)) = check_reader(Cursor::new(b"name,need\nx,y\n".to_vec()), 1000) else {
        panic!("read as an archive")
    };
    assert!(why.starts_with("it is not a whole zip archive ("), "{why}");
}

#[test]
fn an_archive_that_says_it_unpacks_to_too_much_is_refused_unread() {
    let zip = archive(&[("a.xml", &[b'x'; 3000]), ("b.xml", &[b'y'; 3000])], CompressionMethod::Deflated);
    assert_eq!(check_reader(Cursor::new(zip), 5000), Err(Unusable::TooBig { size: Some(6000), limit: 5000 }));
    assert_eq!(
        Unusable::too_big(Some(4_000_000_000), 200_000_000),
        "unpacks to 4000 MB: expected a workbook of at most 200 MB unpacked (its sheets are kept compressed in the file; a CSV file may be at most 200 MB too)"
    );
    assert!(Unusable::too_big(None, 200_000_000).starts_with("unpacks to more than 200 MB: "));
}

#[test]
fn an_archive_that_understates_its_size_is_refused_as_it_unpacks() {
    let mut zip = archive(&[("a.xml", &[b'x'; 100_000])], CompressionMethod::Deflated);
    // The size unpacked as the part's local header and the archive's directory say it.
    let local = find(&zip, b"PK\x03\x04");
    zip[local + 22..local + 26].copy_from_slice(&10u32.to_le_bytes());
    let central = find(&zip, b"PK\x01\x02");
    zip[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
    let read = check_reader(Cursor::new(zip), 5000);
    assert!(matches!(read, Err(Unusable::TooBig { size: None, limit: 5000 })), "{read:?}");
}
