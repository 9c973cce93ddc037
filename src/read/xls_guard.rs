//! A legacy XLS read before calamine parses it. calamine trusts the sheet
//! extents a BIFF8 stream declares (DIMENSIONS records, cell positions) and
//! allocates them densely; damaged bytes can ask for terabytes, and a failed
//! allocation aborts the process, so the extents are checked here first.
//! The same pass keeps what calamine drops: each number's format, so that a
//! number shows the digits Excel shows.

use std::collections::HashMap;
use std::io::{Cursor, Read};

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        let r = self.rows.get_or_insert((row, row));
        r.0 = r.0.min(row);
        r.1 = r.1.max(row);
        let c = self.cols.get_or_insert((col, col));
        c.0 = c.0.min(col);
        c.1 = c.1.max(col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some(r), Some(c)) => u64::from(r.1 - r.0 + 1) * u64::from(c.1 - c.0 + 1),
            _ => 0,
        }
    }
}

/// The area calamine reserves for a DIMENSIONS record, computed as it does.
fn declared_cells(d: &[u8]) -> u64 {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
        _ => return 0,
    };
    let (Some(rf), Some(rl), Some(cf0), Some(cl)) = (rf, rl, cf.take(), cl) else {
        return 0;
    };
    cf = Some(if cf0 > 0xFF || cl < cf0 { 0 } else { cf0 });
    if rl == 0 || cl == 0 {
        return 0;
    }
    let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
    let cols = u64::from((cl - 1).wrapping_sub(cf.unwrap_or(0)).wrapping_add(1));
    rows.saturating_mul(cols)
}

/// Number format codes of numeric cells, by (sheet, row, col); General
/// cells are left out.
pub type NumberFormats = HashMap<(String, u32, u32), String>;

/// A BIFF8 string: `cch` characters, a flags byte (bit 0: two bytes each).
fn biff_string(d: &[u8], cch: usize) -> Option<String> {
    let high = d.first()? & 1 == 1;
    let body = d.get(1..)?;
    if high {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .take(cch)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(body.iter().take(cch).map(|&b| char::from(b)).collect())
    }
}

/// Reads the stream, refusing a workbook that must not reach calamine, and
/// returns the number formats of its numeric cells.
pub fn check(bytes: &[u8], max_dense: u64) -> Result<NumberFormats, String> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| format!("damaged OLE2 container: {e}"))?;
    let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or("no Workbook stream (an encrypted workbook, or not a spreadsheet)")?;
    let mut stream = Vec::new();
    cf.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| format!("damaged Workbook stream: {e}"))?;
    let mut pos = 0usize;
    let mut extent = Extent::default();
    let mut formats: HashMap<u32, String> = HashMap::new();
    let mut xf_formats: Vec<u32> = Vec::new();
    let mut sheet_at: HashMap<usize, String> = HashMap::new();
    let mut sheet: Option<String> = None;
    let mut out = NumberFormats::new();
    while pos + 4 <= stream.len() {
        let start = pos;
        let typ = u16_at(&stream, pos).unwrap_or(0);
        let len = u16_at(&stream, pos + 2).unwrap_or(0) as usize;
        let data = &stream[(pos + 4).min(stream.len())..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        let mut number_at = |row: Option<u32>, col: Option<u32>, ixfe: Option<u32>| {
            let (Some(r), Some(c), Some(x), Some(s)) = (row, col, ixfe, sheet.as_ref()) else {
                return;
            };
            let Some(&ifmt) = xf_formats.get(x as usize) else {
                return;
            };
            let code = formats
                .get(&ifmt)
                .cloned()
                .unwrap_or_else(|| super::zipxml::builtin_format(ifmt).to_string());
            if code != "General" {
                out.insert((s.clone(), r, c), code);
            }
        };
        match typ {
            0x0085 => {
                if let (Some(at), Some(&cch)) = (u32_at(data, 0), data.get(6)) {
                    if let Some(name) = data.get(7..).and_then(|d| biff_string(d, cch as usize)) {
                        sheet_at.insert(at as usize, name);
                    }
                }
            }
            0x041E => {
                if let (Some(ifmt), Some(cch)) = (u16_at(data, 0), u16_at(data, 2)) {
                    if let Some(code) = data.get(4..).and_then(|d| biff_string(d, cch as usize)) {
                        formats.insert(ifmt, code);
                    }
                }
            }
            0x00E0 => xf_formats.push(u16_at(data, 2).unwrap_or(0)),
            0x0203 | 0x027E | 0x0006 => number_at(u16_at(data, 0), u16_at(data, 2), u16_at(data, 4)),
            0x00BD => {
                let (row, first) = (u16_at(data, 0), u16_at(data, 2).unwrap_or(0));
                let n = data.len().saturating_sub(6) / 6;
                for i in 0..n {
                    number_at(row, Some(first + i as u32), u16_at(data, 4 + i * 6));
                }
            }
            _ => {}
        }
        match typ {
            // FILEPASS: the workbook is encrypted.
            0x002F => return Err("password-protected workbook".into()),
            0x0809 => {
                extent = Extent::default();
                sheet = sheet_at.get(&start).cloned();
            }
            0x0200 => {
                let declared = declared_cells(data);
                if declared > max_dense {
                    return Err(format!(
                        "a sheet declares {declared} cells (DIMENSIONS record), above {max_dense}"
                    ));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    extent.add(r, c);
                }
            }
            0x00BD => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, data.len().saturating_sub(2)),
                ) {
                    extent.add(r, c0);
                    extent.add(r, c1.max(c0));
                }
            }
            _ => {}
        }
        if extent.cells() > max_dense {
            return Err(format!(
                "a sheet's cells span {} cells, above {max_dense}",
                extent.cells()
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::MAX_DENSE_CELLS;

    #[test]
    fn declared_extents_as_calamine_computes_them() {
        let mut d = Vec::new();
        d.extend(0u32.to_le_bytes());
        d.extend(100u32.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(9u16.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        assert_eq!(declared_cells(&d), 100 * 9);
        // rwMic above rwMac wraps in calamine: a huge reservation.
        d[0..4].copy_from_slice(&200u32.to_le_bytes());
        assert!(declared_cells(&d) > MAX_DENSE_CELLS);
    }

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
        let f = check(&bytes, MAX_DENSE_CELLS).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[&("S1".to_string(), 1, 2)], "0.00%");
        assert_eq!(f[&("S1".to_string(), 3, 1)], "0.000");
    }

    #[test]
    fn far_apart_cells_are_refused() {
        let bytes = workbook(&[(0, 0, 0), (65_000, 60_000, 0)]);
        assert!(check(&bytes, MAX_DENSE_CELLS).unwrap_err().contains("span"));
    }

    #[test]
    fn the_real_fixture_passes() {
        let bytes = std::fs::read("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls").unwrap();
        assert!(check(&bytes, MAX_DENSE_CELLS).is_ok());
    }
}
