//! The indicator table: header columns → stable keys, rows → the
//! 一级 → 二级 → 三级 tree. Repeated page headers continue the tree.

use crate::form::{warn, Claims, Warnings};
use crate::grid::Row;
use crate::record::{IndicatorColumn, IndicatorNode, Target, TargetKind, Values};
use crate::values::{self, parse_target};
use crate::vocab::{self, fold};
use rust_decimal::Decimal;
use std::str::FromStr;

/// One value column of the table.
#[derive(Debug, Clone)]
struct Column {
    col: u32,
    key: String,
    header: String,
}

/// The table being read; a form may continue it over several sections.
#[derive(Debug, Default)]
pub struct Table {
    levels: Option<[u32; 3]>,
    columns: Vec<Column>,
    roots: Vec<IndicatorNode>,
    /// Path of the open 一级 and 二级 nodes (indices into roots / children).
    open: (Option<usize>, Option<usize>),
}

impl Table {
    pub fn finish(self) -> (Vec<IndicatorColumn>, Vec<IndicatorNode>) {
        let cols = self
            .columns
            .into_iter()
            .map(|c| IndicatorColumn {
                key: c.key,
                header: c.header,
            })
            .collect();
        (cols, self.roots)
    }
}

fn level_cols(row: &Row) -> Option<[u32; 3]> {
    let mut cols = [None; 3];
    for c in &row.cells {
        let f = fold(&c.text);
        if let Some(i) = vocab::LEVEL_HEADERS.iter().position(|h| *h == f) {
            cols[i].get_or_insert(c.col);
        }
    }
    match cols {
        [Some(a), Some(b), Some(c)] if a < b && b < c => Some([a, b, c]),
        _ => None,
    }
}

/// Name as written without a weight suffix, and the weight: 产出指标(50分).
fn name_and_weight(text: &str) -> (String, Option<Decimal>) {
    let t = text.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = t.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                let w = inner[i + open.len_utf8()..].trim();
                let num = w.trim_end_matches('分').trim_end_matches('%').trim();
                if w.ends_with('分') || w.ends_with('%') {
                    if let Ok(d) = Decimal::from_str(num) {
                        return (inner[..i].trim().to_string(), Some(d));
                    }
                }
            }
        }
    }
    (t.to_string(), None)
}

fn column_headers(header: &Row, sub: Option<&Row>, l3: u32) -> Vec<Column> {
    let mut cols: Vec<Column> = Vec::new();
    let subs: Vec<(u32, &str)> = sub
        .map(|s| {
            s.cells
                .iter()
                .filter(|c| c.col > l3)
                .map(|c| (c.col, c.text.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let tops: Vec<(u32, &str)> = header
        .cells
        .iter()
        .filter(|c| c.col > l3)
        .map(|c| (c.col, c.text.as_str()))
        .collect();
    let mut all: Vec<(u32, &str)> = Vec::new();
    for (i, &(col, text)) in tops.iter().enumerate() {
        let next_top = tops.get(i + 1).map_or(u32::MAX, |t| t.0);
        let under: Vec<(u32, &str)> = subs
            .iter()
            .copied()
            .filter(|(c, _)| *c >= col && *c < next_top)
            .collect();
        if under.is_empty() {
            all.push((col, text));
        } else {
            all.extend(under);
        }
    }
    // Sub-headers under an empty top cell (a merged group header to their left).
    for &(c, t) in &subs {
        if !all.iter().any(|(ac, _)| *ac == c) {
            all.push((c, t));
        }
    }
    all.sort_by_key(|(c, _)| *c);
    let has_annual = all
        .iter()
        .any(|(_, t)| vocab::column_key(&fold(t)) == Some("annual"));
    for (col, text) in all {
        let f = fold(text);
        let mut key = vocab::column_key(&f)
            .map(str::to_string)
            .or_else(|| {
                (vocab::is_plain_value_header(&f) && !has_annual).then(|| "annual".to_string())
            })
            .unwrap_or_else(|| text.replace('\n', ""));
        if cols.iter().any(|c| c.key == key) {
            let mut n = 2;
            while cols.iter().any(|c| c.key == format!("{key}_{n}")) {
                n += 1;
            }
            key = format!("{key}_{n}");
        }
        cols.push(Column {
            col,
            key,
            header: text.to_string(),
        });
    }
    cols
}

/// Whether a row is (a repeat of) the table's sub-header row.
fn is_subheader(row: &Row, l3: u32) -> bool {
    !row.cells.is_empty()
        && row
            .cells
            .iter()
            .all(|c| c.col > l3 && !values::looks_numeric(&c.text))
        && row
            .cells
            .iter()
            .any(|c| vocab::column_key(&fold(&c.text)).is_some())
}

pub fn read(
    label: &Row,
    label_col: u32,
    rows: &[&Row],
    table: &mut Table,
    claims: &mut Claims,
    warnings: &mut Warnings,
) {
    let all: Vec<&Row> = std::iter::once(label).chain(rows.iter().copied()).collect();
    let mut i = 0;
    while i < all.len() {
        let row = all[i];
        if let Some(levels) = level_cols(row) {
            claims.take_row(row);
            let sub = all
                .get(i + 1)
                .copied()
                .filter(|r| level_cols(r).is_none() && is_subheader(r, levels[2]));
            if let Some(s) = sub {
                claims.take_row(s);
                i += 1;
            }
            if table.levels.is_none() {
                table.levels = Some(levels);
                table.columns = column_headers(row, sub, levels[2]);
            }
            i += 1;
            continue;
        }
        let levels = match table.levels {
            Some(l) => l,
            None => {
                // No header row: 一级 in the first column after the label.
                let Some(first) = row.cells.iter().find(|c| c.col > label_col) else {
                    i += 1;
                    continue;
                };
                if !vocab::is_level1(&fold(&first.text)) {
                    i += 1;
                    continue;
                }
                let l1 = first.col;
                let l = [l1, l1 + 1, l1 + 2];
                table.levels = Some(l);
                table.columns = vec![Column {
                    col: l1 + 3,
                    key: "annual".into(),
                    header: "指标值".into(),
                }];
                warn(
                    warnings,
                    "no_indicator_header",
                    Some(row.at(l1)),
                    "indicator table without a 一级/二级/三级 header row; columns assumed".into(),
                );
                l
            }
        };
        if is_subheader(row, levels[2]) {
            claims.take_row(row);
            i += 1;
            continue;
        }
        read_row(row, levels, table, claims, warnings);
        i += 1;
    }
}

fn find_or_push(nodes: &mut Vec<IndicatorNode>, name: String, weight: Option<Decimal>) -> usize {
    if let Some(i) = nodes
        .iter()
        .position(|n| n.name == name && n.children.is_some())
    {
        return i;
    }
    nodes.push(IndicatorNode::category(name, weight));
    nodes.len() - 1
}

fn read_row(
    row: &Row,
    [l1, l2, l3]: [u32; 3],
    table: &mut Table,
    claims: &mut Claims,
    warnings: &mut Warnings,
) {
    if let Some(t) = row.get(l1) {
        claims.take(row, l1);
        let (name, weight) = name_and_weight(t);
        let keep = table.open.0.is_some_and(|i| table.roots[i].name == name);
        if !keep {
            table.open = (Some(find_or_push(&mut table.roots, name, weight)), None);
        }
    }
    if let Some(t) = row.get(l2) {
        claims.take(row, l2);
        let (name, weight) = name_and_weight(t);
        let parent = match table.open.0 {
            Some(p) => p,
            None => {
                warn(
                    warnings,
                    "category_without_parent",
                    Some(row.at(l2)),
                    format!("二级指标 {t:?} has no 一级指标 above it"),
                );
                let p = find_or_push(&mut table.roots, String::new(), None);
                table.open.0 = Some(p);
                p
            }
        };
        let siblings = table.roots[parent].children_mut();
        let keep = table
            .open
            .1
            .is_some_and(|i| siblings.get(i).is_some_and(|n| n.name == name));
        if !keep {
            table.open.1 = Some(find_or_push(siblings, name, weight));
        }
    }
    let Some(name) = row.get(l3) else { return };
    claims.take(row, l3);
    let mut values = Values::default();
    let mut nature = None;
    let mut measure = None;
    for c in &table.columns {
        let raw = row.get(c.col).unwrap_or_default();
        if !raw.is_empty() {
            claims.take(row, c.col);
        }
        let target = if vocab::is_numeric_key(&c.key) {
            parse_target(raw)
        } else if values::is_placeholder(raw) {
            Target::text(raw, TargetKind::Empty)
        } else {
            Target::text(raw, TargetKind::Qualitative)
        };
        match c.key.as_str() {
            "nature" => nature = Some((raw.to_string(), c.col)),
            "measure_unit" => measure = Some(raw.to_string()),
            _ => {}
        }
        values.0.push((c.key.clone(), target));
    }
    apply_nature(&mut values, nature, measure, row, warnings);
    let leaf = IndicatorNode {
        name: name.to_string(),
        weight: None,
        cell: Some(row.at(l3).to_string()),
        children: None,
        values: Some(values),
    };
    let parent = match table.open {
        (Some(p), Some(c)) => table.roots[p].children_mut()[c].children_mut(),
        (Some(p), None) => table.roots[p].children_mut(),
        (None, _) => {
            warn(
                warnings,
                "indicator_without_category",
                Some(row.at(l3)),
                format!("三级指标 {name:?} has no category"),
            );
            let p = find_or_push(&mut table.roots, String::new(), None);
            table.open.0 = Some(p);
            table.roots[p].children_mut()
        }
    };
    parent.push(leaf);
}

/// 指标性质 gives `op` (定性 makes the target qualitative) and 度量单位 gives
/// `unit` to the row's targets; a comparator written in the value wins.
fn apply_nature(
    values: &mut Values,
    nature: Option<(String, u32)>,
    measure: Option<String>,
    row: &Row,
    warnings: &mut Warnings,
) {
    let nature_op = nature.as_ref().and_then(|(n, _)| match fold(n).as_str() {
        "≥" | ">=" | "≧" | "正向" | "正向指标" | "大于等于" => Some(">="),
        "≤" | "<=" | "≦" | "反向" | "反向指标" | "小于等于" => Some("<="),
        "=" | "等于" => Some("="),
        ">" | "大于" => Some(">"),
        "<" | "小于" => Some("<"),
        "定性" => Some("qualitative"),
        _ => None,
    });
    let measure = measure.filter(|m| !values::is_placeholder(m));
    for (key, t) in values.0.iter_mut() {
        if !matches!(key.as_str(), "period" | "annual" | "actual") || t.kind == TargetKind::Empty {
            continue;
        }
        if let Some(op) = nature_op {
            if op == "qualitative" {
                let raw = t.raw.clone();
                *t = Target::text(&raw, TargetKind::Qualitative);
                continue;
            }
            let written = t.raw.chars().any(|c| "≥≧≤≦<>=＞＜＝".contains(c))
                || vocab::COMPARATORS
                    .iter()
                    .any(|(w, _)| w.chars().count() > 1 && t.raw.contains(w))
                || vocab::TRAILING_COMPARATORS
                    .iter()
                    .any(|(w, _)| t.raw.contains(w));
            if t.kind == TargetKind::Quantitative && written {
                if t.op != Some(op) {
                    let col = nature.as_ref().map(|(_, c)| *c).unwrap_or(0);
                    warn(
                        warnings,
                        "nature_conflict",
                        Some(row.at(col)),
                        format!(
                            "指标性质 says {op} but the value {:?} says {}; the value wins",
                            t.raw,
                            t.op.unwrap_or("=")
                        ),
                    );
                }
            } else {
                t.op = Some(op);
                if let Some(first) = t.terms.first_mut() {
                    first.op = op;
                }
            }
        }
        if let Some(m) = &measure {
            if t.unit.is_none() {
                t.unit = Some(m.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_split_off_names() {
        assert_eq!(
            name_and_weight("产出指标(50分)"),
            ("产出指标".to_string(), Some(Decimal::from(50)))
        );
        assert_eq!(name_and_weight("绩效指标（90分）").0, "绩效指标");
        assert_eq!(name_and_weight("专职人民调解员配置数量（人）").1, None);
    }
}
