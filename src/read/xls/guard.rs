//! The extent guard of a legacy XLS: calamine trusts the sheet extents a
//! BIFF8 stream declares (DIMENSIONS records, cell positions) and allocates
//! them densely; damaged bytes can ask for terabytes, and a failed
//! allocation aborts the process, so the extents are checked first.

use super::{u16_at, u32_at, Record};
use crate::error::ErrorKind;

/// Checks each record of the stream against the dense-cell maximum.
pub(super) struct Guard {
    max_dense: u64,
    extent: Extent,
}

impl Guard {
    pub fn new(max_dense: u64) -> Self {
        Guard {
            max_dense,
            extent: Extent::default(),
        }
    }

    pub fn visit(&mut self, r: &Record<'_>) -> Result<(), ErrorKind> {
        let data = r.data;
        match r.typ {
            // FILEPASS: the workbook is encrypted.
            0x002F => return Err(ErrorKind::Encrypted),
            0x0809 => self.extent = Extent::default(),
            0x0200 => {
                let declared = declared_cells(data);
                if declared > self.max_dense {
                    let what = "cells declared by a sheet's DIMENSIONS record";
                    return Err(ErrorKind::limit(what, declared, self.max_dense, None));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    self.extent.add(r, c);
                }
            }
            0x00BD => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, data.len().saturating_sub(2)),
                ) {
                    self.extent.add(r, c0);
                    self.extent.add(r, c1.max(c0));
                }
            }
            _ => {}
        }
        if self.extent.cells() > self.max_dense {
            let what = "cells spanned by a sheet's content";
            return Err(ErrorKind::limit(what, self.extent.cells(), self.max_dense, None));
        }
        Ok(())
    }
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
}
