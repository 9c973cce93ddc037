//! Legacy XLS (BIFF8): one pass over the Workbook stream guards calamine
//! and keeps the number formats it drops; then calamine reads the sheets.

mod formats;
mod guard;

use super::cells::{range_cells, spans_of};
use super::numfmt::apply_format;
use super::workbook::wrong_kind;
use super::{Limits, MAX_DENSE_CELLS};
use crate::error::{Error, ErrorKind};
use crate::grid::{Format, Grid};
use calamine::{Data, Reader as _, Xls};
use formats::{Formats, NumberFormats};
use guard::Guard;
use std::io::{Cursor, Read};
use std::path::Path;

/// The signature of an OLE2 container.
const OLE2: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// Every sheet of a legacy XLS workbook.
pub(super) fn read(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
    let file_err = |e: ErrorKind| Error::new(path, e);
    if !bytes.starts_with(&OLE2) {
        return Err(file_err(wrong_kind(bytes, "legacy XLS (OLE2)")));
    }
    let formats = scan(bytes, MAX_DENSE_CELLS).map_err(file_err)?;
    let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| file_err(ErrorKind::Xls(e)))?;
    let mut grids = Vec::new();
    for name in wb.sheet_names() {
        let in_sheet = |e: ErrorKind| Error::new(path, e).in_sheet(&name);
        let range = wb.worksheet_range(&name).map_err(|e| in_sheet(ErrorKind::Xls(e)))?;
        let spans = spans_of(wb.merge_cells_by_sheet_name(&name).unwrap_or_default());
        let shown = |r: u32, c: u32| {
            let code = formats.get(&(name.clone(), r, c))?;
            let v = range.get_value((r, c)).and_then(|d| match d {
                Data::Float(f) => Some(*f),
                Data::Int(i) => Some(*i as f64),
                _ => None,
            })?;
            apply_format(v, code)
        };
        let sheet = range_cells(&range, &shown, limits).map_err(in_sheet)?;
        grids.push(sheet.finish_sheet(spans, Format::Xls, &name).map_err(in_sheet)?);
    }
    Ok(grids)
}

/// One BIFF record: its type, its data and where it starts in the stream.
pub(super) struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    start: usize,
}

/// Walks the Workbook stream once: refuses a workbook that must not reach
/// calamine, and returns the number formats of its numeric cells.
fn scan(bytes: &[u8], max_dense: u64) -> Result<NumberFormats, ErrorKind> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| ErrorKind::Damaged(format!("damaged OLE2 container: {e}")))?;
    let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or_else(|| ErrorKind::Damaged("no Workbook stream (an encrypted workbook, or not a spreadsheet)".into()))?;
    let mut stream = Vec::new();
    cf.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| ErrorKind::Damaged(format!("damaged Workbook stream: {e}")))?;
    let mut guard = Guard::new(max_dense);
    let mut formats = Formats::default();
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let len = u16_at(&stream, pos + 2).unwrap_or(0) as usize;
        let record = Record {
            typ: u16_at(&stream, pos).unwrap_or(0) as u16,
            data: &stream[(pos + 4).min(stream.len())..(pos + 4 + len).min(stream.len())],
            start: pos,
        };
        pos += 4 + len;
        formats.visit(&record);
        guard.visit(&record)?;
    }
    Ok(formats.finish())
}

pub(super) fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

pub(super) fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::MAX_DENSE_CELLS;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    /// A Workbook stream: globals (XF, FORMAT, BOUNDSHEET) and one sheet.
    fn workbook(cells: &[(u16, u16, u16)]) -> Vec<u8> {
        let mut globals = record(0x0809, &[0; 16]);
        for ifmt in [0u16, 10, 164] {
            let mut xf = vec![0, 0];
            xf.extend(ifmt.to_le_bytes());
            xf.extend([0; 16]);
            globals.extend(record(0x00E0, &xf));
        }
        let code = "0.000";
        let mut fmt = 164u16.to_le_bytes().to_vec();
        fmt.extend((code.len() as u16).to_le_bytes());
        fmt.push(0);
        fmt.extend(code.as_bytes());
        globals.extend(record(0x041E, &fmt));
        let bound_len = 4 + 4 + 2 + 2 + 2; // record header + offset, flags, name
        let sheet_at = globals.len() + bound_len + 4;
        let mut bound = (sheet_at as u32).to_le_bytes().to_vec();
        bound.extend([0, 0, 2, 0]);
        bound.extend(b"S1");
        globals.extend(record(0x0085, &bound));
        globals.extend(record(0x000A, &[]));
        assert_eq!(globals.len(), sheet_at);
        let mut sheet = record(0x0809, &[0; 16]);
        for &(row, col, xf) in cells {
            let mut d = Vec::new();
            for v in [row, col, xf] {
                d.extend(v.to_le_bytes());
            }
            d.extend(0.9f64.to_le_bytes());
            sheet.extend(record(0x0203, &d));
        }
        sheet.extend(record(0x000A, &[]));
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        {
            let mut s = cf.create_stream("/Workbook").unwrap();
            std::io::Write::write_all(&mut s, &globals).unwrap();
            std::io::Write::write_all(&mut s, &sheet).unwrap();
        }
        cf.into_inner().into_inner()
    }

    #[test]
    fn number_formats_by_cell() {
        let bytes = workbook(&[(0, 0, 0), (1, 2, 1), (3, 1, 2)]);
        let f = scan(&bytes, MAX_DENSE_CELLS).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[&("S1".to_string(), 1, 2)], "0.00%");
        assert_eq!(f[&("S1".to_string(), 3, 1)], "0.000");
    }

    #[test]
    fn far_apart_cells_are_refused() {
        let bytes = workbook(&[(0, 0, 0), (65_000, 60_000, 0)]);
        assert!(scan(&bytes, MAX_DENSE_CELLS)
            .unwrap_err()
            .to_string()
            .contains("spanned"));
    }

    #[test]
    fn the_real_fixture_passes() {
        let bytes = std::fs::read("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls").unwrap();
        assert!(scan(&bytes, MAX_DENSE_CELLS).is_ok());
    }
}
