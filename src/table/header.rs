//! Indicator header rows: which columns hold the 一级 / 二级 / 三级 names
//! (一级指标 | 二级指标 | 三级指标, or a category column and a name column).
//! Knows header words from `vocab`; not what the rows under them become.

use crate::grid::Row;
use crate::vocab;

/// The 二级 column of a two-level table (指标类型 | 指标名称): none.
pub(crate) const NO_LEVEL: u32 = u32::MAX;

/// The level columns of an indicator header row: 一级指标 once, then each
/// 二级/三级 pair (the national project template has two, side by side).
/// A table with one category column and a name column (指标类型 | 指标名称)
/// has the levels `[category, NO_LEVEL, name]`: a two-level tree.
pub(crate) fn header_levels(row: &Row) -> Option<Vec<[u32; 3]>> {
    // A header row names the 一级 column (perhaps spaced out: 一 级 指 标) or
    // a category column (指标类型); indicator rows seldom say either.
    if !row.cells.iter().any(|c| {
        (c.text.len() <= 60 && crate::grid::has_char(&c.text, vocab::LEVEL_CHAR))
            || (c.text.len() <= 24 && vocab::is_category_header_hint(&c.text))
    }) {
        return None;
    }
    let mut l1 = None;
    let mut pairs: Vec<[u32; 3]> = Vec::new();
    let mut pending_l2 = None;
    for c in &row.cells {
        match vocab::level_header(vocab::label(c)) {
            Some(0) if l1.is_none() => l1 = Some(c.col),
            Some(1) => pending_l2 = Some(c.col),
            Some(2) => {
                if let (Some(a), Some(b)) = (l1, pending_l2.take()) {
                    if a < b && b < c.col {
                        pairs.push([a, b, c.col]);
                    }
                }
            }
            _ => {}
        }
    }
    if pairs.is_empty() {
        // One category column, then a name column.
        let name = row
            .cells
            .iter()
            .find(|c| l1.is_some_and(|a| c.col > a) && vocab::level_header(vocab::label(c)) == Some(2))?;
        return Some(vec![[l1?, NO_LEVEL, name.col]]);
    }
    Some(pairs)
}

/// Whether a row is an indicator table header (一级指标 | 二级指标 | 三级指标 …).
pub(crate) fn is_header_row(row: &Row) -> bool {
    header_levels(row).is_some()
}
