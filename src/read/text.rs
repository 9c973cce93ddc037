//! Excel/WPS "save as text" exports: sniff the encoding, pick the delimiter,
//! split RFC 4180 records with the `csv` crate. Knows nothing of forms.

use super::sink::{text_grid, CellSink};
use super::{Limits, SheetReader};
use crate::diag::{Warning, WarningCode};
use crate::error::{Error, ErrorKind};
use crate::grid::{Grid, Row};
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;
use std::path::Path;

pub struct TextReader;

/// Decodes export bytes: BOM first, then UTF-8 validity, then UTF-16 without
/// a BOM (recognised by its NUL pattern), then GB18030 (a superset of GBK).
/// Returns the text and the name of the encoding used.
pub fn decode_text(bytes: &[u8]) -> std::result::Result<(Cow<'_, str>, &'static str), String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let name = enc.name();
        let text = if enc == UTF_8 {
            std::str::from_utf8(body)
                .map(Cow::Borrowed)
                .map_err(|e| format!("invalid UTF-8 after a UTF-8 BOM at byte {}", bom_len + e.valid_up_to()))?
        } else {
            enc.decode_without_bom_handling_and_without_replacement(body)
                .ok_or_else(|| format!("invalid {name} after its BOM"))?
        };
        return Ok((text, name));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let text = enc
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| format!("invalid {} (no BOM)", enc.name()))?;
        return Ok((text, enc.name()));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary data (NUL byte at offset {pos})"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(s), "UTF-8"));
    }
    if let Some(mixed) = decode_mixed(bytes) {
        return Ok((Cow::Owned(mixed), MIXED));
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| (t, "GB18030"))
        .ok_or_else(|| "bytes are neither UTF-8 nor GB18030/GBK".to_string())
}

/// The encoding name recorded for a file whose lines mix UTF-8 and GB18030.
pub const MIXED: &str = "UTF-8+GB18030";

/// Files pasted together from exports of different machines mix UTF-8 lines
/// with GBK lines; decoding all of it as GB18030 would garble the UTF-8 part.
/// Each line is decoded on its own when both kinds are present.
fn decode_mixed(bytes: &[u8]) -> Option<String> {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    let utf8_cjk = lines
        .iter()
        .filter(|l| !l.is_ascii() && std::str::from_utf8(l).is_ok())
        .count();
    if utf8_cjk == 0 {
        return None;
    }
    let mut out = String::with_capacity(bytes.len());
    for l in lines {
        if let Ok(s) = std::str::from_utf8(l) {
            out.push_str(s);
        } else if let Some(s) = GB18030.decode_without_bom_handling_and_without_replacement(l) {
            out.push_str(&s);
        } else {
            // The line itself switches: its valid UTF-8 prefix, then GB18030.
            let cut = std::str::from_utf8(l).err().map_or(0, |e| e.valid_up_to());
            out.push_str(std::str::from_utf8(&l[..cut]).unwrap_or_default());
            out.push_str(&GB18030.decode_without_bom_handling(&l[cut..]).0);
        }
    }
    Some(out)
}

/// UTF-16 text without a BOM has NUL high bytes on ASCII characters such as
/// tabs and line breaks; look for them on one parity only.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        match (pair[0], pair[1]) {
            (b'\t' | b'\n' | b'\r' | b',', 0) => even += 1,
            (0, b'\t' | b'\n' | b'\r' | b',') => odd += 1,
            _ => {}
        }
    }
    // CJK code units may have a zero low byte (U+4E00 is 00 4E in LE), so
    // only the ASCII separators, always on one parity, decide.
    if even >= 2 && odd == 0 {
        Some(UTF_16LE)
    } else if odd >= 2 && even == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Tab unless the sample has no tab at all (WPS and Excel "text" exports are
/// tab-separated; CSV exports carry no tabs outside quotes in practice).
fn detect_delimiter(text: &str) -> u8 {
    let sample = &text.as_bytes()[..text.len().min(256 * 1024)];
    [b'\t', b',', b';']
        .into_iter()
        .find(|&d| memchr::memchr(d, sample).is_some())
        .unwrap_or(b'\t')
}

/// A quote that never closes swallows the rest of the file into one cell:
/// a cell holding the delimiter across several lines, or very many lines.
fn has_runaway_quote(grid_rows: &[Row], delimiter: u8) -> bool {
    // A quote that never closes swallows whole records: lines inside one
    // cell that hold about as many delimiters as a row has. A quoted
    // paragraph with a few commas of its own (a CSV of Chinese prose) is
    // no runaway.
    let mut widths: Vec<u32> = grid_rows.iter().filter_map(|r| r.last_col()).map(|c| c + 1).collect();
    widths.sort_unstable();
    let width = widths.get(widths.len() / 2).copied().unwrap_or(2) as usize;
    let swallowed = width.div_ceil(2).max(2);
    grid_rows.iter().flat_map(|r| &r.cells).any(|c| {
        let breaks = c.text.matches('\n').count();
        let record_like = c
            .text
            .lines()
            .filter(|l| l.matches(delimiter as char).count() >= swallowed)
            .count();
        (breaks >= 2 && record_like >= 2) || breaks > 50
    })
}

/// Rows of the text, and the warnings of the cells cut at the cell limit.
type Split = (Vec<Row>, Vec<Warning>);

/// Adds one record's fields as cells of a row.
fn push_record<'f>(sink: &mut CellSink<'_>, row: u32, fields: impl Iterator<Item = &'f str>) -> Result<(), ErrorKind> {
    for (col, field) in fields.enumerate() {
        let col = u32::try_from(col).map_err(|_| ErrorKind::Encoding("too many columns".into()))?;
        sink.push(row, col, field)?;
    }
    Ok(())
}

fn split_records(text: &str, delimiter: u8, quoting: bool, limits: &Limits) -> Result<Split, ErrorKind> {
    let mut sink = CellSink::new(limits);
    if !quoting || !text.contains('"') {
        // Without quotes a record is a line and a field is what lies between
        // delimiters; the csv reader's set-up would cost more than the split.
        let breaks: &[char] = if text.contains('\n') { &['\n'] } else { &['\r'] };
        for (i, line) in text.split(breaks).enumerate() {
            let row = u32::try_from(i).map_err(|_| ErrorKind::Encoding("too many lines".into()))?;
            push_record(&mut sink, row, line.trim_end_matches('\r').split(delimiter as char))?;
            if sink.full() {
                break;
            }
        }
        return Ok(sink.into_parts());
    }
    CSV_READERS.with_borrow_mut(|readers| {
        let reader = csv_reader(readers, delimiter, text);
        let mut record = csv::StringRecord::new();
        let mut lines = LineCounter::new(text);
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(ErrorKind::Encoding(e.to_string())),
            }
            // csv reports a record after blank lines at the first blank line;
            // a spreadsheet row is the line where the record's text starts.
            let start = record.position().map_or(0, |p| p.byte() as usize);
            push_record(&mut sink, lines.row_of(start), record.iter())?;
            if sink.full() {
                break;
            }
        }
        // A rare huge export should not stay resident with the thread.
        if reader.get_ref().get_ref().capacity() > 4 << 20 {
            *reader.get_mut().get_mut() = Vec::new();
        }
        Ok(())
    })?;
    Ok(sink.into_parts())
}

type CsvReader = csv::Reader<std::io::Cursor<Vec<u8>>>;

thread_local! {
    /// One csv reader per delimiter and thread, rewound for each file:
    /// building one costs more than splitting a whole form.
    static CSV_READERS: std::cell::RefCell<Vec<(u8, CsvReader)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn csv_reader<'r>(readers: &'r mut Vec<(u8, CsvReader)>, delimiter: u8, text: &str) -> &'r mut CsvReader {
    let i = match readers.iter().position(|(d, _)| *d == delimiter) {
        Some(i) => i,
        None => {
            let reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(std::io::Cursor::new(Vec::new()));
            readers.push((delimiter, reader));
            readers.len() - 1
        }
    };
    let reader = &mut readers[i].1;
    let input = reader.get_mut().get_mut();
    input.clear();
    input.extend_from_slice(text.as_bytes());
    reader
        .seek_raw(std::io::SeekFrom::Start(0), csv::Position::new())
        .expect("seeking an in-memory cursor");
    reader
}

/// Line numbers of byte offsets met in increasing order, counted once.
struct LineCounter<'t> {
    bytes: &'t [u8],
    at: usize,
    line: u32,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            at: 0,
            line: 0,
        }
    }

    /// 0-based line of the first non-line-break byte at or after `start`.
    fn row_of(&mut self, start: usize) -> u32 {
        let mut end = start.min(self.bytes.len());
        while end < self.bytes.len() && matches!(self.bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        if end < self.at {
            return self.line;
        }
        let newlines = self.bytes[self.at..end].iter().filter(|&&b| b == b'\n').count();
        self.line = self.line.saturating_add(newlines as u32);
        self.at = end;
        self.line
    }
}

impl SheetReader for TextReader {
    fn read(&self, path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
        let to_err = |kind: ErrorKind| Error::new(path, kind);
        let (text, encoding) = decode_text(bytes).map_err(|why| to_err(ErrorKind::Encoding(why)))?;
        let delimiter = detect_delimiter(&text);
        let (mut rows, mut truncated) = split_records(&text, delimiter, true, limits).map_err(to_err)?;
        let mut notes = Vec::new();
        if encoding == MIXED {
            notes.push(Warning::new(
                WarningCode::MixedEncoding,
                None,
                "lines in UTF-8 and lines in GB18030/GBK; each line decoded on its own".into(),
            ));
        }
        if has_runaway_quote(&rows, delimiter) {
            (rows, truncated) = split_records(&text, delimiter, false, limits).map_err(to_err)?;
            notes.push(Warning::new(
                WarningCode::UnbalancedQuote,
                None,
                "a quote never closes; the file was split without quoting".into(),
            ));
        }
        notes.extend(truncated);
        if rows.is_empty() {
            return Err(to_err(ErrorKind::Empty));
        }
        Ok(vec![text_grid(rows, encoding, notes)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_fallbacks() {
        let (t, e) = decode_text("\u{feff}部门".as_bytes()).unwrap();
        assert_eq!((t.as_ref(), e), ("部门", "UTF-8"));
        let (gbk, _, _) = GB18030.encode("部门名称\t司法局\n");
        let (t, e) = decode_text(&gbk).unwrap();
        assert_eq!((t.as_ref(), e), ("部门名称\t司法局\n", "GB18030"));
        let mut le = vec![0xFF, 0xFE];
        for u in "部门\t1\n".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        let (t, e) = decode_text(&le).unwrap();
        assert_eq!((t.as_ref(), e), ("部门\t1\n", "UTF-16LE"));
        let (t, e) = decode_text(&le[2..]).unwrap();
        assert_eq!((t.as_ref(), e), ("部门\t1\n", "UTF-16LE"));
        assert!(decode_text(b"\x00\x01\x02binary").is_err());
        let mut mixed = "部门名称\t甲\n".as_bytes().to_vec();
        mixed.extend(GB18030.encode("联系人\t乙\n").0.iter());
        let (t, e) = decode_text(&mixed).unwrap();
        assert_eq!((t.as_ref(), e), ("部门名称\t甲\n联系人\t乙\n", MIXED));
    }

    #[test]
    fn records_keep_line_numbers_and_quoted_breaks() {
        let text = "\n\n标题\n\"a\nb\"\tx\n\ny\n";
        let (rows, _) = split_records(text, b'\t', true, &Limits::default()).unwrap();
        let idx: Vec<u32> = rows.iter().map(|r| r.index).collect();
        assert_eq!(idx, vec![2, 3, 6]);
        assert_eq!(rows[1].cells[0].text, "a\nb");
    }
}
