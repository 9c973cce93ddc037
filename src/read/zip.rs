//! Zip packages (XLSX, ODS): the central directory checked before anything
//! is inflated, and small helpers to read one part's XML.

use super::Limits;
use crate::error::ErrorKind;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::io::{Cursor, Read};

pub(super) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// One part of a zip, at most `limit` bytes of it.
pub(super) fn read_entry(zip: &mut Zip<'_>, name: &str, limit: u64) -> Option<Vec<u8>> {
    read_entry_checked(zip, name, limit).ok().flatten()
}

/// One part of a zip: `Ok(None)` when the zip has no such part, an error
/// naming the part when its bytes cannot be inflated (a bad CRC, a lying
/// size, damaged data).
pub(super) fn read_entry_checked(zip: &mut Zip<'_>, name: &str, limit: u64) -> Result<Option<Vec<u8>>, String> {
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{name} in the zip: {e}")),
    };
    // Sized up front: an empty Vec makes read_to_end probe in small reads.
    let mut out = Vec::with_capacity(f.size().min(limit) as usize + 1);
    f.take(limit)
        .read_to_end(&mut out)
        .map_err(|e| format!("{name} in the zip: {e}"))?;
    Ok(Some(out))
}

pub(super) fn zip_entry(bytes: &[u8], name: &str, limit: u64) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    String::from_utf8(read_entry(&mut zip, name, limit)?).ok()
}

pub(super) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Calls `f` on every start or empty tag of a small XML part.
pub(super) fn each_start(xml: &[u8], mut f: impl FnMut(&BytesStart<'_>)) {
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

/// A zip's central directory, checked before calamine inflates anything:
/// too many entries or too much uncompressed data is a zip bomb.
pub(super) fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ErrorKind> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(super::workbook::wrong_kind(bytes, "zip-based workbook"));
    }
    // End of central directory: signature PK\x05\x06 within the last 64 KiB.
    let tail_start = bytes.len().saturating_sub(65_557);
    let eocd = bytes[tail_start..]
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .map(|p| tail_start + p)
        .ok_or_else(|| ErrorKind::Damaged("truncated zip (no central directory)".into()))?;
    let le16 = |at: usize| bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u64);
    let le32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
    };
    let entries = le16(eocd + 10).ok_or_else(|| ErrorKind::Damaged("truncated zip".into()))?;
    let mut at = le32(eocd + 16).ok_or_else(|| ErrorKind::Damaged("truncated zip".into()))? as usize;
    if entries > 10_000 {
        return Err(ErrorKind::limit("zip entries", entries, 10_000, None));
    }
    let mut total = 0u64;
    for _ in 0..entries {
        if le32(at) != Some(0x0201_4b50) {
            return Err(ErrorKind::Damaged("damaged zip central directory".into()));
        }
        let flags = le16(at + 8).unwrap_or(0);
        if flags & 1 == 1 {
            return Err(ErrorKind::Encrypted);
        }
        let compressed = le32(at + 20).unwrap_or(0);
        let size = le32(at + 24).unwrap_or(0);
        if compressed > 0 && size / compressed > 1000 && size > (64 << 20) {
            // A zip bomb: the ratio is what is limited.
            return Err(ErrorKind::limit(
                "times its compressed size (a zip bomb)",
                size / compressed,
                1000,
                None,
            ));
        }
        total += size;
        let name_len = le16(at + 28).unwrap_or(0) as usize;
        let extra_len = le16(at + 30).unwrap_or(0) as usize;
        let comment_len = le16(at + 32).unwrap_or(0) as usize;
        at += 46 + name_len + extra_len + comment_len;
    }
    if total > limits.max_unzipped_bytes {
        let max = limits.max_unzipped_bytes;
        return Err(ErrorKind::limit(
            "bytes unzipped",
            total,
            max,
            Some("--max-unzipped-mb"),
        ));
    }
    Ok(())
}
