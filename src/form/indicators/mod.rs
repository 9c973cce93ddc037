//! The indicator table: header columns → stable keys, rows → the
//! 一级 → 二级 → 三级 tree. Repeated page headers continue the tree.

mod columns;
mod header;
mod nature;

use crate::table::NO_LEVEL;
pub(crate) use crate::table::{header_levels, is_header_row};

use super::claims::Claims;
use crate::diag::{warn, WarningCode, Warnings};
use crate::grid::{CellRef, Row};
use crate::record::{IndicatorColumn, IndicatorNode, Values};
use crate::value::{parse_target, ColumnKey, Target, TargetKind};
use crate::vocab;
use columns::{block_hint, build_halves, Column, Half};
use header::{is_subheader, name_and_weight};
use nature::{apply_nature, ticked_option};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

/// The table being read; a form may continue it over several sections.
#[derive(Debug, Default)]
pub struct Table {
    halves: Vec<Half>,
    tree: Tree,
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
                Some(k) if k.key == ColumnKey::Score => self.totals.insert(0, (label.clone(), c.text.clone())),
                Some(k) => rest.push((format!("{label}/{}", k.header.replace('\n', "")), c.text.clone())),
                None => rest.push((label.clone(), c.text.clone())),
            }
        }
        self.totals.extend(rest);
    }

    pub fn finish(self) -> (Vec<IndicatorColumn>, Vec<IndicatorNode>) {
        (self.columns, self.tree.roots)
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
                    key: ColumnKey::Annual,
                    header: vocab::PLAIN_VALUE_HEADER.into(),
                    options: Vec::new(),
                }],
                open: (None, None),
            }]);
            warn(
                warnings,
                WarningCode::NoIndicatorHeader,
                Some(row.at(l1)),
                format!(
                    "indicator table without a {}/{}/{} header row; columns assumed",
                    vocab::LEVEL_WORDS[0],
                    vocab::LEVEL_WORDS[1],
                    vocab::LEVEL_WORDS[2]
                ),
            );
        }
        if let Some(first) = row.first().filter(|c| c.col <= table.halves[0].levels[0]) {
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

/// The tree being built, indexed so that finding a category or an
/// indicator by name costs the same in a table of ten rows or of ten
/// thousand.
#[derive(Debug, Default)]
struct Tree {
    roots: Vec<IndicatorNode>,
    /// Categories by (parent root, name); `None` for 一级 ones. The first
    /// category of a name in its list is the one found.
    categories: FxHashMap<(Option<usize>, String), usize>,
    /// Indicators by (root, 二级 category, name): their places in that list.
    leaves: FxHashMap<(usize, Option<usize>, String), Vec<usize>>,
}

impl Tree {
    /// The category of this name under `parent` (a root, or the roots).
    fn category(&mut self, parent: Option<usize>, name: String, weight: Option<Decimal>) -> usize {
        if let Some(&i) = self.categories.get(&(parent, name.clone())) {
            return i;
        }
        let list = match parent {
            None => &mut self.roots,
            Some(p) => self.roots[p].children_mut(),
        };
        list.push(IndicatorNode::category(name.clone(), weight));
        let i = list.len() - 1;
        self.categories.insert((parent, name), i);
        i
    }

    /// Adds an indicator under root `p` (and 二级 `c`). The other half of a
    /// side-by-side table, or a later block (年度 after 中长期), adds its
    /// values to the indicator of that name that lacks them.
    fn leaf(&mut self, p: usize, c: Option<usize>, name: &str, cell: String, values: Values) {
        let list = match c {
            Some(c) => self.roots[p].children_mut()[c].children_mut(),
            None => self.roots[p].children_mut(),
        };
        let key = (p, c, name.to_string());
        let places = self.leaves.entry(key).or_default();
        let open = places.iter().copied().find(|&i| {
            list[i]
                .values
                .as_ref()
                .is_some_and(|v| values.0.iter().all(|(k, _)| v.get(k).is_none()))
        });
        if let Some(i) = open {
            if let Some(v) = list[i].values.as_mut() {
                v.0.extend(values.0);
            }
            return;
        }
        list.push(IndicatorNode {
            name: name.to_string(),
            weight: None,
            cell: Some(cell),
            children: None,
            values: Some(values),
        });
        places.push(list.len() - 1);
    }
}

/// A row below no 一级指标: its nodes go under an unnamed root, with a warning.
fn open_unnamed_root(
    tree: &mut Tree,
    h: &mut Half,
    warnings: &mut Warnings,
    code: WarningCode,
    at: CellRef,
    detail: String,
) -> usize {
    warn(warnings, code, Some(at), detail);
    let p = tree.category(None, String::new(), None);
    h.open.0 = Some(p);
    p
}

fn read_row(row: &Row, half: usize, table: &mut Table, claims: &mut Claims, warnings: &mut Warnings) {
    let l3 = table.halves[half].levels[2];
    open_categories(row, half, table, claims, warnings);
    let Some(name) = row.get(l3) else { return };
    claims.take(row, l3);
    let tree = &mut table.tree;
    let h = &mut table.halves[half];
    let values = row_values(row, &h.columns, claims, warnings);
    let (p, c) = match h.open {
        (Some(p), c) => (p, c),
        (None, _) => {
            let detail = format!("{} {name:?} has no category", vocab::LEVEL_NAMES[2]);
            let code = WarningCode::IndicatorWithoutCategory;
            (open_unnamed_root(tree, h, warnings, code, row.at(l3), detail), None)
        }
    };
    tree.leaf(p, c, name, row.at(l3).to_string(), values);
}

/// A weighted evaluation table (一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值):
/// a number between a level's column and the next level's is that level's
/// weight; nothing else sits there.
fn weight_between(row: &Row, from: u32, to: u32, claims: &mut Claims) -> Option<Decimal> {
    if to == NO_LEVEL || to <= from + 1 {
        return None;
    }
    let c = row.cells.iter().find(|c| c.col > from && c.col < to)?;
    let w = crate::value::parse_amount(&c.text).ok().flatten()?;
    claims.take(row, c.col);
    Some(w.value)
}

/// The row's 一级 and 二级 cells open (or continue) categories of the tree.
fn open_categories(row: &Row, half: usize, table: &mut Table, claims: &mut Claims, warnings: &mut Warnings) {
    let [l1, l2, l3] = table.halves[half].levels;
    let tree = &mut table.tree;
    let h = &mut table.halves[half];
    if let Some(t) = row.get(l1) {
        claims.take(row, l1);
        let (name, weight) = name_and_weight(t);
        let weight = weight.or_else(|| weight_between(row, l1, if l2 == NO_LEVEL { l3 } else { l2 }, claims));
        let keep = h.open.0.is_some_and(|i| tree.roots[i].name == name);
        if !keep {
            h.open = (Some(tree.category(None, name, weight)), None);
        }
    }
    if let Some(t) = row.get(l2).filter(|_| l2 != NO_LEVEL) {
        claims.take(row, l2);
        let (name, weight) = name_and_weight(t);
        let weight = weight.or_else(|| weight_between(row, l2, l3, claims));
        let parent = match h.open.0 {
            Some(p) => p,
            None => {
                let [l1_word, l2_word, _] = vocab::LEVEL_NAMES;
                let detail = format!("{l2_word} {t:?} has no {l1_word} above it");
                let code = WarningCode::CategoryWithoutParent;
                open_unnamed_root(tree, h, warnings, code, row.at(l2), detail)
            }
        };
        let siblings = tree.roots[parent].children_mut();
        let keep = h
            .open
            .1
            .is_some_and(|i| siblings.get(i).is_some_and(|n| n.name == name));
        if !keep {
            h.open.1 = Some(tree.category(Some(parent), name, weight));
        }
    }
}

/// The values of an indicator row, one per value column, with 指标性质 and
/// 度量单位 applied.
fn row_values(row: &Row, columns: &[Column], claims: &mut Claims, warnings: &mut Warnings) -> Values {
    let mut values = Values::default();
    let mut nature = None;
    let mut measure = None;
    for c in columns {
        let target = if c.options.is_empty() {
            let raw = row.get(c.col).unwrap_or_default();
            if !raw.is_empty() {
                claims.take(row, c.col);
            }
            match c.key {
                ColumnKey::Nature => nature = Some((raw.to_string(), c.col)),
                ColumnKey::MeasureUnit => measure = Some(raw.to_string()),
                _ => {}
            }
            if c.key.is_numeric() {
                // 实施期 and 年度 values are often the same text: parse it once.
                let same = values.0.iter().find(|(k, t)| k.is_numeric() && t.raw == raw);
                same.map_or_else(|| parse_target(raw), |(_, t)| t.clone())
            } else if crate::value::is_placeholder(raw) {
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
    values
}
