//! The indicator table: header columns → stable keys, rows → the
//! 一级 → 二级 → 三级 tree. Repeated page headers continue the tree.

use crate::form::{warn, Claims, Warnings};
use crate::grid::Row;
use crate::layout::header_levels;
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
    /// For a tick group (完成目标可能性): each option's column and name.
    options: Vec<(u32, String)>,
}

/// One set of 二级/三级 columns with its value columns. Most tables have one;
/// the national project template puts 中期 and 年度 side by side.
#[derive(Debug, Clone)]
struct Half {
    levels: [u32; 3],
    columns: Vec<Column>,
    /// The open 一级 and 二级 nodes (indices into roots / children).
    open: (Option<usize>, Option<usize>),
}

/// The table being read; a form may continue it over several sections.
#[derive(Debug, Default)]
pub struct Table {
    halves: Vec<Half>,
    roots: Vec<IndicatorNode>,
    /// Sub-header texts, to skip them when a page break repeats them.
    subheader: Vec<String>,
    /// Total rows (总分 …): label → value, for `info`.
    pub totals: Vec<(String, String)>,
    /// Every value column met, in order: a form may hold a 中长期 block and
    /// a 年度 block of indicators one after the other.
    columns: Vec<IndicatorColumn>,
}

impl Table {
    /// A total row: the score column's value is the total; other columns'
    /// values are kept as `总分/分值`.
    fn read_total(&mut self, row: &Row, label_col: u32, claims: &mut Claims) {
        let label = row.get(label_col).unwrap_or_default().to_string();
        claims.take(row, label_col);
        let columns: Vec<&Column> = self.halves.iter().flat_map(|h| &h.columns).collect();
        let mut rest = Vec::new();
        for c in row.cells.iter().filter(|c| c.col > label_col) {
            claims.take(row, c.col);
            match columns.iter().find(|k| k.col == c.col) {
                Some(k) if k.key == "score" => self.totals.insert(0, (label.clone(), c.text.clone())),
                Some(k) => rest.push((format!("{label}/{}", k.header.replace('\n', "")), c.text.clone())),
                None => rest.push((label.clone(), c.text.clone())),
            }
        }
        self.totals.extend(rest);
    }

    pub fn finish(self) -> (Vec<IndicatorColumn>, Vec<IndicatorNode>) {
        (self.columns, self.roots)
    }

    /// Starts reading under a header: the first, a repeat (ignored), or the
    /// header of a new block with other value columns.
    fn open_block(&mut self, halves: Vec<Half>) {
        let same = |a: &[Half], b: &[Half]| {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    x.levels == y.levels
                        && x.columns.len() == y.columns.len()
                        && x.columns
                            .iter()
                            .zip(&y.columns)
                            .all(|(c, d)| c.key == d.key && c.col == d.col)
                })
        };
        if !self.halves.is_empty() && same(&self.halves, &halves) {
            return;
        }
        for c in halves.iter().flat_map(|h| &h.columns) {
            let col = IndicatorColumn {
                key: c.key.clone(),
                header: c.header.clone(),
            };
            if !self.columns.contains(&col) {
                self.columns.push(col);
            }
        }
        self.halves = halves;
    }
}

/// A block label's hint for a plain 指标值 column: 中长期绩效指标 → period.
fn block_hint(label: &str) -> Option<&'static str> {
    let f = fold(label);
    if ["中长期", "中期", "长期", "实施期", "实施周期"]
        .iter()
        .any(|k| f.contains(k))
    {
        Some("period")
    } else if f.contains("年度") {
        Some("annual")
    } else {
        None
    }
}

/// Whether a row is an indicator table header (一级指标 | 二级指标 | 三级指标 …).
pub fn is_header_row(row: &Row) -> bool {
    header_levels(row).is_some()
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

/// Value columns between `from` (exclusive) and `to` (exclusive), with a
/// sub-header row's cells replacing the merged group header above them.
fn half_columns(header: &Row, sub: Option<&Row>, from: u32, to: u32, plain_key: &str) -> Vec<Column> {
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
                key: text.replace('\n', ""),
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

fn column(col: u32, text: &str, plain_key: &str) -> Column {
    let f = fold(text);
    let key = vocab::column_key(&f)
        .map(str::to_string)
        .or_else(|| vocab::is_plain_value_header(&f).then(|| plain_key.to_string()))
        .unwrap_or_else(|| text.replace('\n', ""));
    Column {
        col,
        key,
        header: text.to_string(),
        options: Vec::new(),
    }
}

fn build_halves(header: &Row, sub: Option<&Row>, levels: &[[u32; 3]], hint: Option<&'static str>) -> Vec<Half> {
    let mut halves = Vec::new();
    for (i, l) in levels.iter().enumerate() {
        let to = levels.get(i + 1).map_or(u32::MAX, |n| n[1]);
        // 指标值 alone is the annual target (or what its block label says);
        // beside a second half it is the 中期 one.
        let plain = if levels.len() > 1 {
            if i == 0 {
                "period"
            } else {
                "annual"
            }
        } else {
            hint.unwrap_or("annual")
        };
        let mut columns = half_columns(header, sub, l[2], to, plain);
        if levels.len() == 1 && !columns.iter().any(|c| c.key == plain) {
            if let Some(c) = columns
                .iter_mut()
                .find(|c| vocab::is_plain_value_header(&fold(&c.header)))
            {
                c.key = plain.into();
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
        if seen.contains(&c.key) {
            let mut n = 2;
            while seen.contains(&format!("{}_{n}", c.key)) {
                n += 1;
            }
            c.key = format!("{}_{n}", c.key);
        }
        seen.push(c.key.clone());
    }
    halves
}

/// The row right under a header that names sub-columns only.
fn is_subheader(row: &Row, header: &Row, first_l3: u32) -> bool {
    row.index == header.index + 1
        && !row.cells.is_empty()
        && row
            .cells
            .iter()
            .all(|c| c.col > first_l3 && !values::looks_numeric(&c.text) && !vocab::is_tick(&c.text))
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
        if let Some(levels) = header_levels(row) {
            claims.take_row(row);
            let sub = all.get(i + 1).copied().filter(|r| is_subheader(r, row, levels[0][2]));
            if let Some(s) = sub {
                claims.take_row(s);
                i += 1;
            }
            let hint = row.get(label_col).or_else(|| label.get(label_col)).and_then(block_hint);
            if table.halves.is_empty() {
                table.subheader = sub
                    .map(|s| s.cells.iter().map(|c| c.text.clone()).collect())
                    .unwrap_or_default();
            }
            table.open_block(build_halves(row, sub, &levels, hint));
            i += 1;
            continue;
        }
        if table.halves.is_empty() {
            // No header row: 一级 in the first column after the label.
            let Some(first) = row.cells.iter().find(|c| c.col > label_col) else {
                i += 1;
                continue;
            };
            if !vocab::is_level1(vocab::label(first)) {
                i += 1;
                continue;
            }
            let l1 = first.col;
            table.open_block(vec![Half {
                levels: [l1, l1 + 1, l1 + 2],
                columns: vec![Column {
                    col: l1 + 3,
                    key: "annual".into(),
                    header: "指标值".into(),
                    options: Vec::new(),
                }],
                open: (None, None),
            }]);
            warn(
                warnings,
                "no_indicator_header",
                Some(row.at(l1)),
                "indicator table without a 一级/二级/三级 header row; columns assumed".into(),
            );
        }
        if let Some(first) = row.first().filter(|c| c.col < table.halves[0].levels[0]) {
            if vocab::is_total_label(vocab::label(first)) {
                table.read_total(row, first.col, claims);
                i += 1;
                continue;
            }
        }
        let texts: Vec<String> = row.cells.iter().map(|c| c.text.clone()).collect();
        if !table.subheader.is_empty() && texts == table.subheader {
            claims.take_row(row);
            i += 1;
            continue;
        }
        for h in 0..table.halves.len() {
            read_row(row, h, table, claims, warnings);
        }
        i += 1;
    }
}

fn find_or_push(nodes: &mut Vec<IndicatorNode>, name: String, weight: Option<Decimal>) -> usize {
    if let Some(i) = nodes.iter().position(|n| n.name == name && n.children.is_some()) {
        return i;
    }
    nodes.push(IndicatorNode::category(name, weight));
    nodes.len() - 1
}

/// A row below no 一级指标: its nodes go under an unnamed root, with a warning.
fn open_unnamed_root(
    roots: &mut Vec<IndicatorNode>,
    h: &mut Half,
    warnings: &mut Warnings,
    code: &'static str,
    at: crate::grid::CellRef,
    detail: String,
) -> usize {
    warn(warnings, code, Some(at), detail);
    let p = find_or_push(roots, String::new(), None);
    h.open.0 = Some(p);
    p
}

fn read_row(row: &Row, half: usize, table: &mut Table, claims: &mut Claims, warnings: &mut Warnings) {
    let [l1, l2, l3] = table.halves[half].levels;
    let roots = &mut table.roots;
    let h = &mut table.halves[half];
    if let Some(t) = row.get(l1) {
        claims.take(row, l1);
        let (name, weight) = name_and_weight(t);
        let keep = h.open.0.is_some_and(|i| roots[i].name == name);
        if !keep {
            h.open = (Some(find_or_push(roots, name, weight)), None);
        }
    }
    if let Some(t) = row.get(l2) {
        claims.take(row, l2);
        let (name, weight) = name_and_weight(t);
        let parent = match h.open.0 {
            Some(p) => p,
            None => {
                let detail = format!("二级指标 {t:?} has no 一级指标 above it");
                open_unnamed_root(roots, h, warnings, "category_without_parent", row.at(l2), detail)
            }
        };
        let siblings = roots[parent].children_mut();
        let keep = h
            .open
            .1
            .is_some_and(|i| siblings.get(i).is_some_and(|n| n.name == name));
        if !keep {
            h.open.1 = Some(find_or_push(siblings, name, weight));
        }
    }
    let Some(name) = row.get(l3) else { return };
    claims.take(row, l3);
    let mut values = Values::default();
    let mut nature = None;
    let mut measure = None;
    for c in &h.columns {
        let target = if c.options.is_empty() {
            let raw = row.get(c.col).unwrap_or_default();
            if !raw.is_empty() {
                claims.take(row, c.col);
            }
            match c.key.as_str() {
                "nature" => nature = Some((raw.to_string(), c.col)),
                "measure_unit" => measure = Some(raw.to_string()),
                _ => {}
            }
            if vocab::is_numeric_key(&c.key) {
                // 实施期 and 年度 values are often the same text: parse it once.
                let same = values.0.iter().find(|(k, t)| vocab::is_numeric_key(k) && t.raw == raw);
                same.map_or_else(|| parse_target(raw), |(_, t)| t.clone())
            } else if values::is_placeholder(raw) {
                Target::text(raw, TargetKind::Empty)
            } else {
                Target::text(raw, TargetKind::Qualitative)
            }
        } else {
            ticked_option(row, &c.options, claims)
        };
        values.0.push((c.key.clone(), target));
    }
    apply_nature(&mut values, nature, measure, row, warnings);
    let parent = match h.open {
        (Some(p), Some(c)) => roots[p].children_mut()[c].children_mut(),
        (Some(p), None) => roots[p].children_mut(),
        (None, _) => {
            let detail = format!("三级指标 {name:?} has no category");
            let p = open_unnamed_root(roots, h, warnings, "indicator_without_category", row.at(l3), detail);
            roots[p].children_mut()
        }
    };
    // The other half of a side-by-side table, or a later block (年度 after
    // 中长期), adds its values to the same indicator.
    if let Some(leaf) = parent.iter_mut().find(|n| {
        n.children.is_none()
            && n.name == name
            && n.values
                .as_ref()
                .is_some_and(|v| values.0.iter().all(|(k, _)| v.get(k).is_none()))
    }) {
        if let Some(v) = leaf.values.as_mut() {
            v.0.extend(values.0);
        }
        return;
    }
    parent.push(IndicatorNode {
        name: name.to_string(),
        weight: None,
        cell: Some(row.at(l3).to_string()),
        children: None,
        values: Some(values),
    });
}

/// The name of the ticked option of a tick group; other text is kept raw.
fn ticked_option(row: &Row, options: &[(u32, String)], claims: &mut Claims) -> Target {
    let mut picked: Vec<&str> = Vec::new();
    for (col, name) in options {
        if let Some(t) = row.get(*col) {
            claims.take(row, *col);
            picked.push(if vocab::is_tick(t) { name.as_str() } else { t });
        }
    }
    if picked.is_empty() {
        Target::text("", TargetKind::Empty)
    } else {
        Target::text(&picked.join("、"), TargetKind::Qualitative)
    }
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
    let nature_op = nature.as_ref().and_then(|(n, _)| match fold(n).as_ref() {
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
                || vocab::TRAILING_COMPARATORS.iter().any(|(w, _)| t.raw.contains(w));
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
