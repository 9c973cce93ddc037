//! Workbooks through calamine: XLSX/XLSM (streamed cell by cell, so a stray
//! far-away cell costs nothing), legacy XLS and ODS, with merged regions.

use super::{xls_guard, zipxml, Format, Limits, SheetReader};
use crate::error::{Error, ErrorKind, Result};
use crate::grid::{CellRef, Grid, GridBuilder, Note, Provenance, Span};
use calamine::{Data, DataRef, Dimensions, Ods, Range, Reader, Xls, Xlsx};
use rust_decimal::Decimal;
use std::io::Cursor;
use std::path::Path;

pub struct WorkbookReader(pub Format);

impl SheetReader for WorkbookReader {
    /// calamine may panic on damaged bytes; that becomes this file's error.
    fn read(&self, path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.read_unguarded(path, bytes, limits)
        }))
        .unwrap_or_else(|_| {
            Err(Error::new(
                path,
                ErrorKind::Workbook("the workbook reader failed on damaged data".into()),
            ))
        })
    }
}

impl WorkbookReader {
    fn read_unguarded(&self, path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>> {
        let wb_err = |why: String| Error::new(path, ErrorKind::Workbook(why));
        let mut xls_formats = xls_guard::NumberFormats::new();
        match self.0 {
            Format::Xlsx | Format::Ods => check_zip(bytes, limits).map_err(|e| Error::new(path, e))?,
            Format::Xls => {
                if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
                    return Err(wb_err(wrong_kind(bytes, "legacy XLS (OLE2)")));
                }
                xls_formats = xls_guard::check(bytes, super::MAX_DENSE_CELLS).map_err(wb_err)?;
            }
            Format::Text => unreachable!("text is not a workbook"),
        }
        let mut grids = Vec::new();
        match self.0 {
            Format::Xlsx => {
                let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(|e| wb_err(describe_xlsx(e)))?;
                let names = wb.sheet_names();
                let mut parts = zipxml::XlsxParts::open(bytes, names.len(), limits.max_unzipped_bytes);
                for name in names {
                    let sheet = xlsx_sheet(&mut wb, &name, limits).map_err(|e| Error::new(path, e).in_sheet(&name))?;
                    let merges = match parts.merges(&name) {
                        Some(spans) => spans.iter().map(span_dimensions).collect(),
                        None => wb.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                    };
                    grids.push(
                        sheet
                            .finish(merges, limits)
                            .map_err(|e| Error::new(path, e).in_sheet(&name))?,
                    );
                }
            }
            Format::Xls => {
                let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| wb_err(describe_xls(e)))?;
                for name in wb.sheet_names() {
                    let range = wb
                        .worksheet_range(&name)
                        .map_err(|e| wb_err(e.to_string()).in_sheet(&name))?;
                    let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                    let sheet = range_grid(
                        &name,
                        "xls",
                        &range,
                        &|r, c| {
                            let code = xls_formats.get(&(name.clone(), r, c))?;
                            let v = range.get_value((r, c)).and_then(|d| match d {
                                Data::Float(f) => Some(*f),
                                Data::Int(i) => Some(*i as f64),
                                _ => None,
                            })?;
                            zipxml::apply_format(v, code)
                        },
                        limits,
                    )
                    .map_err(|e| Error::new(path, e).in_sheet(&name))?;
                    grids.push(
                        sheet
                            .finish(merges, limits)
                            .map_err(|e| Error::new(path, e).in_sheet(&name))?,
                    );
                }
            }
            Format::Ods => {
                // calamine has no ODS merge API and gives numbers as f64: the
                // spans and the shown digits come from content.xml, read first
                // so that an oversized sheet is refused before calamine
                // allocates it.
                let layout = zipxml::ods_layout(bytes, limits.max_unzipped_bytes);
                for sheet in layout.extent.keys() {
                    let dense = layout.dense_cells(sheet);
                    if dense > super::MAX_DENSE_CELLS {
                        return Err(Error::new(
                            path,
                            ErrorKind::Limit(format!("content spans {dense} cells, above {}", super::MAX_DENSE_CELLS)),
                        )
                        .in_sheet(sheet));
                    }
                }
                let mut wb = Ods::new(Cursor::new(bytes)).map_err(|e| wb_err(e.to_string()))?;
                for name in wb.sheet_names() {
                    let range = wb
                        .worksheet_range(&name)
                        .map_err(|e| wb_err(e.to_string()).in_sheet(&name))?;
                    let shown = |r: u32, c: u32| layout.shown.get(&(name.clone(), r, c)).cloned();
                    let sheet = range_grid(&name, "ods", &range, &shown, limits)
                        .map_err(|e| Error::new(path, e).in_sheet(&name))?;
                    let merges = layout
                        .spans
                        .get(&name)
                        .map(|v| v.iter().map(span_dimensions).collect())
                        .unwrap_or_default();
                    grids.push(
                        sheet
                            .finish(merges, limits)
                            .map_err(|e| Error::new(path, e).in_sheet(&name))?,
                    );
                }
            }
            Format::Text => unreachable!(),
        }
        Ok(grids)
    }
}

fn span_dimensions(s: &Span) -> Dimensions {
    Dimensions::new((s.first.row, s.first.col), (s.last.row, s.last.col))
}

/// One XLSX sheet streamed cell by cell: memory follows the real cells, not
/// the stored dimension (a stray cell at XFD1048576 costs one cell).
fn xlsx_sheet(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, limits: &Limits) -> std::result::Result<SheetGrid, ErrorKind> {
    let mut sheet = SheetGrid::new(name, "xlsx");
    let mut cells = wb
        .worksheet_cells_reader(name)
        .map_err(|e| ErrorKind::Workbook(e.to_string()))?;
    while let Some((cell, style)) = cells
        .next_cell_with_style_id()
        .map_err(|e| ErrorKind::Workbook(e.to_string()))?
    {
        let (r, c) = cell.get_position();
        let shown = match cell.get_value() {
            // calamine's style palette carries each style's number format.
            DataRef::Float(f) => cells
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .and_then(|n| zipxml::apply_format(*f, &n.format_code)),
            _ => None,
        };
        if let Some(t) = shown.or_else(|| data_ref_text(cell.get_value(), &mut sheet.notes, (r, c))) {
            sheet.push(r, c, &t, limits)?;
        }
    }
    Ok(sheet)
}

/// A zip's central directory, checked before calamine inflates anything:
/// too many entries or too much uncompressed data is a zip bomb.
fn check_zip(bytes: &[u8], limits: &Limits) -> std::result::Result<(), ErrorKind> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ErrorKind::Workbook(wrong_kind(bytes, "zip-based workbook")));
    }
    // End of central directory: signature PK\x05\x06 within the last 64 KiB.
    let tail_start = bytes.len().saturating_sub(65_557);
    let eocd = bytes[tail_start..]
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .map(|p| tail_start + p)
        .ok_or_else(|| ErrorKind::Workbook("truncated zip (no central directory)".into()))?;
    let le16 = |at: usize| bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u64);
    let le32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
    };
    let entries = le16(eocd + 10).ok_or_else(|| ErrorKind::Workbook("truncated zip".into()))?;
    let mut at = le32(eocd + 16).ok_or_else(|| ErrorKind::Workbook("truncated zip".into()))? as usize;
    if entries > 10_000 {
        return Err(ErrorKind::Limit(format!("zip holds {entries} entries")));
    }
    let mut total = 0u64;
    for _ in 0..entries {
        if le32(at) != Some(0x0201_4b50) {
            return Err(ErrorKind::Workbook("damaged zip central directory".into()));
        }
        let flags = le16(at + 8).unwrap_or(0);
        if flags & 1 == 1 {
            return Err(ErrorKind::Workbook("encrypted zip entry".into()));
        }
        let compressed = le32(at + 20).unwrap_or(0);
        let size = le32(at + 24).unwrap_or(0);
        if compressed > 0 && size / compressed > 1000 && size > (64 << 20) {
            return Err(ErrorKind::Limit(format!(
                "zip bomb: an entry inflates {compressed} bytes to {size}"
            )));
        }
        total += size;
        let name_len = le16(at + 28).unwrap_or(0) as usize;
        let extra_len = le16(at + 30).unwrap_or(0) as usize;
        let comment_len = le16(at + 32).unwrap_or(0) as usize;
        at += 46 + name_len + extra_len + comment_len;
    }
    if total > limits.max_unzipped_bytes {
        return Err(ErrorKind::Limit(format!(
            "workbook inflates to {total} bytes, above the {}-byte limit (--max-unzipped-mb)",
            limits.max_unzipped_bytes
        )));
    }
    Ok(())
}

/// Why bytes are not the workbook their extension promised.
fn wrong_kind(bytes: &[u8], expected: &str) -> String {
    let seen = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "an OLE2 file (legacy XLS, or an encrypted workbook)"
    } else if bytes.starts_with(b"PK") {
        "a zip file"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF"
    } else if bytes.iter().take(512).any(|&b| b == 0) {
        "binary data"
    } else {
        "text"
    };
    format!("expected a {expected}, found {seen}")
}

fn describe_xlsx(e: calamine::XlsxError) -> String {
    let s = e.to_string();
    if s.contains("Zip") || s.contains("zip") {
        format!("damaged or truncated zip: {s}")
    } else {
        s
    }
}

fn describe_xls(e: calamine::XlsError) -> String {
    let s = e.to_string();
    if s.to_lowercase().contains("encrypt") || s.contains("password") {
        format!("password-protected workbook: {s}")
    } else {
        s
    }
}

struct SheetGrid {
    name: String,
    format: &'static str,
    builder: GridBuilder,
    cells: usize,
    notes: Vec<Note>,
}

impl SheetGrid {
    fn new(name: &str, format: &'static str) -> Self {
        SheetGrid {
            name: name.to_string(),
            format,
            builder: GridBuilder::default(),
            cells: 0,
            notes: Vec::new(),
        }
    }

    fn push(&mut self, row: u32, col: u32, text: &str, limits: &Limits) -> std::result::Result<(), ErrorKind> {
        if text.trim().is_empty() {
            return Ok(());
        }
        self.cells += 1;
        if self.cells > limits.max_cells {
            return Err(ErrorKind::Limit(format!(
                "more than {} non-empty cells (--max-cells)",
                limits.max_cells
            )));
        }
        if text.len() > limits.max_cell_bytes {
            let mut cut = limits.max_cell_bytes;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            self.notes.push(Note {
                code: "cell_truncated",
                cell: Some(CellRef::new(row, col)),
                detail: format!("cell text cut at {} bytes", limits.max_cell_bytes),
            });
            self.builder.push(row, col, &text[..cut]);
        } else {
            self.builder.push(row, col, text);
        }
        Ok(())
    }

    fn finish(self, mut merges: Vec<Dimensions>, limits: &Limits) -> std::result::Result<Grid, ErrorKind> {
        if merges.len() > limits.max_spans {
            return Err(ErrorKind::Limit(format!(
                "{} merged regions, above the limit of {} (--max-spans)",
                merges.len(),
                limits.max_spans
            )));
        }
        merges.sort();
        let spans = merges
            .into_iter()
            .filter(|d| d.start != d.end)
            .map(|d| Span {
                first: CellRef::new(d.start.0, d.start.1),
                last: CellRef::new(d.end.0, d.end.1),
            })
            .collect();
        Ok(Grid {
            rows: self.builder.finish(),
            spans,
            has_layout: true,
            source: Provenance {
                format: self.format,
                sheet: Some(self.name),
                ..Provenance::default()
            },
            notes: self.notes,
        })
    }
}

/// A whole-sheet range; `shown(row, col)` may supply a number's shown text.
fn range_grid(
    name: &str,
    format: &'static str,
    range: &Range<Data>,
    shown: &dyn Fn(u32, u32) -> Option<String>,
    limits: &Limits,
) -> std::result::Result<SheetGrid, ErrorKind> {
    let mut sheet = SheetGrid::new(name, format);
    for (r, c, v) in range.used_cells() {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let (r, c) = (r0 + r as u32, c0 + c as u32);
        let value = match v {
            Data::Int(i) => Some(i.to_string()),
            Data::Float(f) => Some(shown(r, c).unwrap_or_else(|| excel_number(*f))),
            Data::String(s) => Some(s.clone()),
            Data::Bool(b) => Some(bool_text(*b, &mut sheet.notes, (r, c))),
            Data::DateTime(d) => Some(excel_date(d.as_f64())),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
            Data::Error(e) => Some(error_text(&e.to_string(), &mut sheet.notes, (r, c))),
            Data::Empty => None,
        };
        if let Some(t) = value {
            sheet.push(r, c, &t, limits)?;
        }
    }
    Ok(sheet)
}

fn data_ref_text(v: &DataRef<'_>, notes: &mut Vec<Note>, at: (u32, u32)) -> Option<String> {
    match v {
        DataRef::Int(i) => Some(i.to_string()),
        DataRef::Float(f) => Some(excel_number(*f)),
        DataRef::String(s) => Some(s.clone()),
        DataRef::SharedString(s) => Some((*s).to_string()),
        DataRef::Bool(b) => Some(bool_text(*b, notes, at)),
        DataRef::DateTime(d) => Some(excel_date(d.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s.clone()),
        DataRef::Error(e) => Some(error_text(&e.to_string(), notes, at)),
        DataRef::Empty => None,
    }
}

fn bool_text(b: bool, notes: &mut Vec<Note>, at: (u32, u32)) -> String {
    let t = if b { "TRUE" } else { "FALSE" };
    notes.push(Note {
        code: "boolean_cell",
        cell: Some(CellRef::new(at.0, at.1)),
        detail: format!("boolean cell kept as {t}"),
    });
    t.to_string()
}

fn error_text(e: &str, notes: &mut Vec<Note>, at: (u32, u32)) -> String {
    notes.push(Note {
        code: "error_cell",
        cell: Some(CellRef::new(at.0, at.1)),
        detail: format!("spreadsheet error value {e}"),
    });
    e.to_string()
}

/// A float as Excel shows it in General format: 15 significant digits, no
/// binary noise (4972.330000000001 → 4972.33).
pub fn excel_number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let sci = format!("{f:.14e}");
    match Decimal::from_scientific(&sci) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => sci,
    }
}

/// An Excel serial date as an ISO date (with the time when it has one).
fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    // Serial 60 is Excel's phantom 1900-02-29; serials after it are one day ahead.
    let unix_days = if days > 60 { days - 25569 } else { days - 25568 };
    let (y, m, d) = civil_from_days(unix_days);
    let secs = ((serial - serial.floor()) * 86400.0).round() as i64;
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(excel_number(4972.330000000001), "4972.33");
        assert_eq!(excel_number(190.0), "190");
        assert_eq!(excel_number(0.1 + 0.2), "0.3");
        assert_eq!(excel_number(-12.5), "-12.5");
    }

    #[test]
    fn serial_dates() {
        assert_eq!(excel_date(45292.0), "2024-01-01");
        assert_eq!(excel_date(1.0), "1900-01-01");
        assert_eq!(excel_date(45292.5), "2024-01-01T12:00:00");
    }
}
