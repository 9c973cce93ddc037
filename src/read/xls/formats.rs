//! Number formats of a legacy XLS, which calamine drops: each numeric
//! cell's format code by (sheet, row, col), so that a number shows the
//! digits Excel shows.

use super::{u16_at, u32_at, Record};
use crate::read::numfmt::builtin_format;
use std::collections::HashMap;

/// Number format codes of numeric cells, by (sheet, row, col); General
/// cells are left out.
pub type NumberFormats = HashMap<(String, u32, u32), String>;

/// Collects the formats while the stream is walked once.
#[derive(Default)]
pub(super) struct Formats {
    codes: HashMap<u32, String>,
    xf_formats: Vec<u32>,
    sheet_at: HashMap<usize, String>,
    sheet: Option<String>,
    out: NumberFormats,
}

impl Formats {
    pub fn visit(&mut self, r: &Record<'_>) {
        let data = r.data;
        match r.typ {
            0x0085 => {
                if let (Some(at), Some(&cch)) = (u32_at(data, 0), data.get(6)) {
                    if let Some(name) = data.get(7..).and_then(|d| biff_string(d, cch as usize)) {
                        self.sheet_at.insert(at as usize, name);
                    }
                }
            }
            0x041E => {
                if let (Some(ifmt), Some(cch)) = (u16_at(data, 0), u16_at(data, 2)) {
                    if let Some(code) = data.get(4..).and_then(|d| biff_string(d, cch as usize)) {
                        self.codes.insert(ifmt, code);
                    }
                }
            }
            0x00E0 => self.xf_formats.push(u16_at(data, 2).unwrap_or(0)),
            0x0203 | 0x027E | 0x0006 => self.number_at(u16_at(data, 0), u16_at(data, 2), u16_at(data, 4)),
            0x00BD => {
                let (row, first) = (u16_at(data, 0), u16_at(data, 2).unwrap_or(0));
                let n = data.len().saturating_sub(6) / 6;
                for i in 0..n {
                    self.number_at(row, Some(first + i as u32), u16_at(data, 4 + i * 6));
                }
            }
            0x0809 => self.sheet = self.sheet_at.get(&r.start).cloned(),
            _ => {}
        }
    }

    fn number_at(&mut self, row: Option<u32>, col: Option<u32>, ixfe: Option<u32>) {
        let (Some(r), Some(c), Some(x), Some(s)) = (row, col, ixfe, self.sheet.as_ref()) else {
            return;
        };
        let Some(&ifmt) = self.xf_formats.get(x as usize) else {
            return;
        };
        let code = self
            .codes
            .get(&ifmt)
            .cloned()
            .unwrap_or_else(|| builtin_format(ifmt).to_string());
        if code != "General" {
            self.out.insert((s.clone(), r, c), code);
        }
    }

    pub fn finish(self) -> NumberFormats {
        self.out
    }
}

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
