//! The indicator table's value columns: header text → stable key, group
//! headers over sub-columns, tick groups, and side-by-side halves.

use crate::grid::Row;
use crate::value::ColumnKey;
use crate::vocab::{self, fold};

/// One value column of the table.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub col: u32,
    pub key: ColumnKey,
    pub header: String,
    /// For a tick group (完成目标可能性): each option's column and name.
    pub options: Vec<(u32, String)>,
}

/// One set of 二级/三级 columns with its value columns. Most tables have one;
/// the national project template puts 中期 and 年度 side by side.
#[derive(Debug, Clone)]
pub(super) struct Half {
    pub levels: [u32; 3],
    pub columns: Vec<Column>,
    /// The open 一级 and 二级 nodes (indices into roots / children).
    pub open: (Option<usize>, Option<usize>),
}

/// A block label's hint for a plain 指标值 column: 中长期绩效指标 → period.
pub(super) fn block_hint(label: &str) -> Option<ColumnKey> {
    vocab::block_hint(&fold(label))
}

/// Value columns between `from` (exclusive) and `to` (exclusive), with a
/// sub-header row's cells replacing the merged group header above them.
fn half_columns(header: &Row, sub: Option<&Row>, from: u32, to: u32, plain_key: &ColumnKey) -> Vec<Column> {
    let in_range = |c: u32| c > from && c < to;
    let subs: Vec<(u32, &str)> = sub
        .map(|s| {
            s.cells
                .iter()
                .filter(|c| in_range(c.col))
                .map(|c| (c.col, c.text.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let tops: Vec<(u32, &str)> = header
        .cells
        .iter()
        .filter(|c| in_range(c.col))
        .map(|c| (c.col, c.text.as_str()))
        .collect();
    let mut cols: Vec<Column> = Vec::new();
    let mut seen_subs: Vec<u32> = Vec::new();
    for (i, &(col, text)) in tops.iter().enumerate() {
        let next_top = tops.get(i + 1).map_or(to, |t| t.0);
        let under: Vec<(u32, &str)> = subs
            .iter()
            .copied()
            .filter(|(c, _)| *c >= col && *c < next_top)
            .collect();
        seen_subs.extend(under.iter().map(|u| u.0));
        let folded = fold(text);
        if under.len() >= 2 && vocab::is_tick_group(&folded) {
            cols.push(Column {
                col,
                key: ColumnKey::Other(text.replace('\n', "").into()),
                header: text.to_string(),
                options: under.iter().map(|(c, t)| (*c, t.to_string())).collect(),
            });
        } else if under.is_empty() || under.iter().all(|(_, t)| fold(t) == folded) {
            cols.push(column(col, text, plain_key));
        } else {
            cols.extend(under.iter().map(|&(c, t)| column(c, t, plain_key)));
        }
    }
    for &(c, t) in &subs {
        if !seen_subs.contains(&c) {
            cols.push(column(c, t, plain_key));
        }
    }
    cols.sort_by_key(|c| c.col);
    cols
}

fn column(col: u32, text: &str, plain_key: &ColumnKey) -> Column {
    let f = fold(text);
    let key = vocab::column_key(&f)
        .or_else(|| vocab::is_plain_value_header(&f).then(|| plain_key.clone()))
        .unwrap_or_else(|| ColumnKey::Other(text.replace('\n', "").into()));
    Column {
        col,
        key,
        header: text.to_string(),
        options: Vec::new(),
    }
}

pub(super) fn build_halves(header: &Row, sub: Option<&Row>, levels: &[[u32; 3]], hint: Option<ColumnKey>) -> Vec<Half> {
    let mut halves = Vec::new();
    for (i, l) in levels.iter().enumerate() {
        let to = levels.get(i + 1).map_or(u32::MAX, |n| n[1]);
        // 指标值 alone is the annual target (or what its block label says);
        // beside a second half it is the 中期 one.
        let plain = if levels.len() > 1 {
            if i == 0 {
                ColumnKey::Period
            } else {
                ColumnKey::Annual
            }
        } else {
            hint.clone().unwrap_or(ColumnKey::Annual)
        };
        let mut columns = half_columns(header, sub, l[2], to, &plain);
        if levels.len() == 1 && !columns.iter().any(|c| c.key == plain) {
            if let Some(c) = columns
                .iter_mut()
                .find(|c| vocab::is_plain_value_header(&fold(&c.header)))
            {
                c.key = plain.clone();
            }
        }
        halves.push(Half {
            levels: *l,
            columns,
            open: (None, None),
        });
    }
    // Keys stay unique across the table.
    let mut seen: Vec<String> = Vec::new();
    for c in halves.iter_mut().flat_map(|h| h.columns.iter_mut()) {
        if seen.iter().any(|s| s == c.key.as_str()) {
            let mut n = 2;
            while seen.contains(&format!("{}_{n}", c.key)) {
                n += 1;
            }
            c.key = ColumnKey::Other(format!("{}_{n}", c.key).into());
        }
        seen.push(c.key.as_str().to_string());
    }
    halves
}
