//! A legacy XLS checked before calamine parses it. calamine trusts the
//! sheet extents a BIFF8 stream declares (DIMENSIONS records, cell positions)
//! and allocates them densely; damaged bytes can ask for terabytes, and a
//! failed allocation aborts the process. The extents are read here first.

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

/// Why the workbook must not reach calamine, if it must not.
pub fn check(bytes: &[u8], max_dense: u64) -> Result<(), String> {
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
    while pos + 4 <= stream.len() {
        let typ = u16_at(&stream, pos).unwrap_or(0);
        let len = u16_at(&stream, pos + 2).unwrap_or(0) as usize;
        let data = &stream[(pos + 4).min(stream.len())..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        match typ {
            // FILEPASS: the workbook is encrypted.
            0x002F => return Err("password-protected workbook".into()),
            0x0809 => extent = Extent::default(),
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
    Ok(())
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

    #[test]
    fn the_real_fixture_passes() {
        let bytes = std::fs::read("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls").unwrap();
        assert_eq!(check(&bytes, MAX_DENSE_CELLS), Ok(()));
    }
}
