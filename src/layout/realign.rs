//! Re-alignment: put back the empty leading cells that text exporters drop
//! from some rows, deciding by the open section's columns and the category
//! vocabularies, never by line numbers.

use super::FormRows;
use crate::diag::{Warning, WarningCode};
use crate::table::{header_levels, NO_LEVEL};
use crate::grid::{Cell, CellRef, Row};
use crate::vocab;

/// The column frame of the section being read, from its label/header rows.
#[derive(Debug, Default, Clone, Copy)]
struct Frame {
    label_col: u32,
    first_data_col: u32,
    last_col: u32,
    /// 一级/二级/三级 columns when the section is the indicator table.
    levels: Option<[u32; 3]>,
}

/// Whether a cell is a label that starts its own row structure (section,
/// header field, or `label：value` note) and so is never shifted.
fn is_anchor(cell: &Cell) -> bool {
    let f = vocab::label(cell);
    if vocab::section(f).is_some() || vocab::field(f).is_some() || vocab::is_title(f) || vocab::is_total_label(f) {
        return true;
    }
    if let Some((label, _)) = f.split_once(':') {
        return vocab::field(label).is_some() || label.chars().count() <= 8;
    }
    vocab::NOTE_PREFIXES.iter().any(|p| f.starts_with(p))
}

/// Re-aligns rows that lost their empty leading cells, deciding by the open
/// section's columns and the category vocabularies, never by line numbers.
/// A workbook keeps its cells where the author put them, so there (`strict`)
/// only a row that fills every data column once moved is taken as shifted.
pub(super) fn realign(form: &mut FormRows, strict: bool) {
    let mut frame: Option<Frame> = None;
    for row in &mut form.rows {
        let Some(first) = row.first() else {
            continue;
        };
        let (first_col, folded) = (first.col, vocab::label(first));
        if let Some(levels) = header_levels(row).map(|l| l[0]) {
            let f = frame.get_or_insert(Frame::default());
            f.levels = Some(levels);
            f.last_col = f.last_col.max(row.last_col().unwrap_or(0));
            f.first_data_col = levels[0];
            continue;
        }
        if vocab::section(folded).is_some() {
            let keep_levels = frame
                .and_then(|f| f.levels)
                .filter(|_| vocab::section(folded) == Some(vocab::Section::Indicators));
            let second = row.cells.get(1).map_or(first.col + 1, |c| c.col);
            frame = Some(Frame {
                label_col: first.col,
                first_data_col: keep_levels.map_or(second, |l| l[0]),
                last_col: row
                    .last_col()
                    .unwrap_or(first.col)
                    .max(keep_levels.map_or(0, |l| l[2] + 1)),
                levels: keep_levels,
            });
            continue;
        }
        let Some(f) = frame else { continue };
        if is_anchor(first) {
            continue;
        }
        let shift = shift_of(&f, row, strict);
        if shift > 0 {
            form.warnings.push(Warning::new(
                WarningCode::RowRealigned,
                Some(CellRef::new(row.index, first_col)),
                format!(
                    "row {} lost {shift} leading empty cell(s) in the export; {:?} moved to {}",
                    row.index + 1,
                    first.text,
                    CellRef::new(row.index, first_col + shift)
                ),
            ));
            for c in &mut row.cells {
                c.col += shift;
            }
        }
    }
}

/// How many cells a row lost on the left, judged by the open section's frame.
fn shift_of(f: &Frame, row: &Row, strict: bool) -> u32 {
    let Some(first) = row.first() else { return 0 };
    let folded = vocab::label(first);
    let row_last = row.last_col().unwrap_or(first.col);
    let lone = row.cells.len() == 1;
    let n = row.cells.len() as u32;
    let contiguous = row_last - first.col + 1 == n;
    let fills = |target: u32| contiguous && f.last_col + 1 == target + n;
    match f.levels {
        Some([l1, l2, l3]) => {
            if vocab::is_level1(folded) {
                l1.saturating_sub(first.col)
            } else if vocab::is_level2(folded) && l2 == NO_LEVEL {
                // A two-level table: every category sits in the one category column.
                l1.saturating_sub(first.col)
            } else if vocab::is_level2(folded) {
                if strict && !lone {
                    0
                } else {
                    l2.saturating_sub(first.col)
                }
            } else if lone || first.col >= l3 {
                0
            } else {
                let s = (f.last_col.saturating_sub(row_last)).min(l3 - first.col);
                if strict && !fills(first.col + s) {
                    0
                } else {
                    s
                }
            }
        }
        None => {
            if first.col == f.label_col && first.col < f.first_data_col && !lone {
                let s = (f.last_col.saturating_sub(row_last)).min(f.first_data_col - first.col);
                if strict && !fills(first.col + s) {
                    0
                } else {
                    s
                }
            } else {
                0
            }
        }
    }
}
