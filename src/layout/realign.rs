//! Re-alignment: put back the empty leading cells that text exporters drop
//! from some rows, deciding by the open section's columns, the row's shape
//! (where its last cell ends) and then the category vocabularies, never by
//! line numbers. Knows table columns, not what a form makes of the rows.

use super::FormRows;
use crate::diag::{Warning, WarningCode};
use crate::grid::{Cell, CellRef, Row};
use crate::table::{header_levels, NO_LEVEL};
use crate::vocab;

/// The column frame of the section being read, from its label/header rows.
#[derive(Debug, Default, Clone, Copy)]
struct Frame {
    label_col: u32,
    first_data_col: u32,
    last_col: u32,
    /// 一级/二级/三级 columns when the section is the indicator table.
    levels: Option<[u32; 3]>,
    /// The last columns the indicator rows with values read so far reach
    /// once placed (bit n: column n): the table's value columns as filled —
    /// a trailing 备注 or 偏差原因 column is filled in some rows, not others.
    leaf_ends: u128,
    /// Whether a row under the header has put a cell in a category column:
    /// before that, a row is no 三级 (a leaf sits under a category), so a
    /// list sheet's subtotal row (单位 | | 金额) is not pushed into the tree.
    seen_category: bool,
}

impl Frame {
    /// Whether a row ending in `col` ends where a leaf row ends: as seen in
    /// this table, or before any was seen, at the header's last column.
    fn ends_like_a_leaf(&self, col: u32) -> bool {
        if self.leaf_ends == 0 {
            col == self.last_col
        } else {
            col < 128 && self.leaf_ends & (1u128 << col) != 0
        }
    }
}

/// Whether a row is a sign-off row (主管部门审核意见 | 单位公章): its cells ask
/// for a stamp or a signature, so it holds no indicator and is never shifted.
fn is_sign_off(row: &Row) -> bool {
    row.cells.iter().any(|c| vocab::mentions_stamp(&c.text))
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
/// section's columns, the row's shape and the category vocabularies, never
/// by line numbers. Only grids that may have lost cells come here (a text
/// export, or export rows pasted into a sheet without merged regions); in a
/// sheet (`strict`) only a row that fills every data column once moved is
/// taken as shifted.
pub(super) fn realign(form: &mut FormRows, strict: bool) {
    let mut frame: Option<Frame> = None;
    let mut under_header = false;
    for row in &mut form.rows {
        let Some(first) = row.first() else {
            continue;
        };
        let (first_col, folded) = (first.col, vocab::label(first));
        // The lower row of a two-row header (指标性质 | 指标值 | 度量单位 under
        // 年度指标值) that lost its leading cells: its columns start right of
        // the 三级 column.
        if std::mem::take(&mut under_header) && !strict {
            if let Some([_, _, l3]) = frame.and_then(|f| f.levels) {
                let header_words = row.cells.iter().all(|c| {
                    let t = vocab::label(c);
                    vocab::column_key(t).is_some() || vocab::is_plain_value_header(t)
                });
                if header_words && first_col <= l3 {
                    move_right(row, l3 + 1 - first_col, &mut form.warnings);
                    continue;
                }
            }
        }
        if let Some(levels) = header_levels(row).map(|l| l[0]) {
            under_header = true;
            let f = frame.get_or_insert(Frame::default());
            f.levels = Some(levels);
            f.last_col = f.last_col.max(row.last_col().unwrap_or(0));
            f.first_data_col = levels[0];
            f.leaf_ends = 0;
            f.seen_category = false;
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
                leaf_ends: 0,
                seen_category: false,
            });
            continue;
        }
        let Some(f) = frame.as_mut() else { continue };
        if is_anchor(first) {
            continue;
        }
        let shift = shift_of(f, row, strict);
        // A sign-off row is never moved and shapes nothing; asked only of a
        // row that would move or would mark where leaves end (most rows
        // are neither, and the stamp words are a text search).
        let marks_leaf_end = f
            .levels
            .is_some_and(|[_, _, l3]| first_col + shift <= l3 && row.last_col().unwrap_or(first_col) + shift > l3);
        if (shift > 0 || marks_leaf_end) && is_sign_off(row) {
            continue;
        }
        if let Some([l1, l2, _]) = f.levels {
            f.seen_category |= row
                .cells
                .iter()
                .any(|c| c.col + shift == l1 || (l2 != NO_LEVEL && c.col + shift == l2));
        }
        if let Some([_, _, l3]) = f.levels {
            // Where this row's leaf ends once placed: what the next rows' shapes are read by.
            let row_last = row.last_col().unwrap_or(first_col) + shift;
            if first_col + shift <= l3 && row_last > l3 && row_last < 128 {
                f.leaf_ends |= 1u128 << row_last;
            }
        }
        if shift > 0 {
            move_right(row, shift, &mut form.warnings);
        }
    }
}

/// Moves a row that lost `shift` leading cells back, with its warning.
fn move_right(row: &mut Row, shift: u32, warnings: &mut Vec<Warning>) {
    let Some(first) = row.first() else { return };
    warnings.push(Warning::new(
        WarningCode::RowRealigned,
        Some(CellRef::new(row.index, first.col)),
        format!(
            "row {} lost {shift} leading empty cell(s) in the export; {:?} moved to {}",
            row.index + 1,
            first.text,
            CellRef::new(row.index, first.col + shift)
        ),
    ));
    for c in &mut row.cells {
        c.col += shift;
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
            if !strict && first.col < l3 && is_leaf_by_shape(f, row, l3) {
                // Shape before words: 服务对象满意度 with its values is a 三级.
                l3 - first.col
            } else if !strict
                && l2 != NO_LEVEL
                && !lone
                && vocab::is_level1(folded)
                && vocab::is_level2(folded)
                && reads_as_level2(f, row, [l1, l2, l3])
            {
                // A name of either level (成本指标, 满意度指标) followed by
                // one leaf and its values, not by a 二级 as well, is the 二级.
                l2.saturating_sub(first.col)
            } else if vocab::is_level1(folded) {
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
            } else if lone || first.col >= l3 || (!f.seen_category && !strict) {
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

/// Whether a row reads as a 三级 by its shape: as many columns after its
/// name as the table's leaf rows have value columns, none of them a category. A name
/// written as a category with its 指标 word (服务对象满意度指标) keeps its
/// words: a 二级 whose leaf left its last value blank has the same shape.
fn is_leaf_by_shape(f: &Frame, row: &Row, l3: u32) -> bool {
    let Some(first) = row.first() else { return false };
    let row_last = row.last_col().unwrap_or(first.col);
    let is_category = |c: &Cell| {
        let t = vocab::label(c);
        vocab::is_level1(t) || vocab::is_level2(t)
    };
    let named_category =
        is_category(first) && vocab::category_base(vocab::label(first)).ends_with(vocab::CATEGORY_WORD);
    row.cells.len() > 1
        && f.ends_like_a_leaf(l3 + row_last - first.col)
        && !named_category
        && !row.cells[1..].iter().any(is_category)
}

/// Whether a row starting with a name of either level (成本指标) reads as a
/// 二级 with its leaf: placed at the 二级 column it ends where leaves end,
/// and placed at the 一级 column it would not — or would put a target value
/// (≤4.2万元) where the leaf's name belongs.
fn reads_as_level2(f: &Frame, row: &Row, [l1, l2, l3]: [u32; 3]) -> bool {
    let Some(first) = row.first() else { return false };
    let after = row.last_col().unwrap_or(first.col) - first.col;
    if !f.ends_like_a_leaf(l2 + after) {
        return false;
    }
    if !f.ends_like_a_leaf(l1 + after) {
        return true;
    }
    row.get(first.col + (l3 - l1)).is_some_and(|t| {
        let t = crate::value::parse_target(t);
        t.kind == crate::value::TargetKind::Quantitative && t.metric.is_none()
    })
}
