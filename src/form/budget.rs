//! The budget part of a form (预算整体情况, 项目资金): label/amount blocks.
//! Three layouts share one reading:
//! - `heading | 预算金额（万元）` header pairs: one block per pair;
//! - column headers over amount columns (年初预算数 | 全年预算数 …): one
//!   block per column, items labelled by the text column to their left;
//! - bare `label | amount` pairs with no header: one block per pair position.

use super::claims::Claims;
use crate::diag::{warn, WarningCode, Warnings};
use crate::grid::Row;
use crate::record::{Budget, BudgetBlock, BudgetItem, LabelMap, Number};
use crate::value::{self, looks_numeric};
use crate::vocab::{self, fold};

/// Where a block finds each item's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelAt {
    /// A fixed column (pair layouts).
    Column(u32),
    /// The nearest text cell left of the amount (column layouts).
    NearestLeft,
}

#[derive(Debug)]
struct Block {
    heading: String,
    label: LabelAt,
    amount_col: u32,
    items: Vec<BudgetItem>,
}

pub fn read(
    label: &Row,
    label_col: u32,
    rows: &[&Row],
    budget: &mut Budget,
    claims: &mut Claims,
    warnings: &mut Warnings,
) {
    let all: Vec<&Row> = std::iter::once(label).chain(rows.iter().copied()).collect();
    let section_text = label.get(label_col).unwrap_or_default();
    if budget.unit.is_none() {
        budget.unit = vocab::money_unit(&fold(section_text)).map(str::to_string);
    }
    let content = |row: &Row| -> Vec<(u32, String)> {
        row.cells
            .iter()
            .filter(|c| c.col > label_col)
            .map(|c| (c.col, c.text.clone()))
            .collect()
    };
    let mut blocks: Vec<Block> = Vec::new();
    // Blocks that take the rows below; a new header row replaces them.
    let mut active: Vec<usize> = Vec::new();
    // Text columns right of the amounts (测算依据): each item's note.
    let mut notes: Vec<(u32, String)> = Vec::new();
    let mut after_header = false;
    let contents: Vec<Vec<(u32, String)>> = all.iter().map(|r| content(r)).collect();
    let numeric_cols: Vec<Vec<u32>> = contents
        .iter()
        .map(|cells| {
            cells
                .iter()
                .filter(|(_, t)| looks_numeric(t))
                .map(|(c, _)| *c)
                .collect()
        })
        .collect();
    // Header rows, and the upper row of a two-row header: a row without
    // amounts right above a header row, its cells over the amounts below it.
    let numeric_at = |i: usize| numeric_cols.get(i).map_or(&[][..], |v| v.as_slice());
    let mut header: Vec<bool> = (0..all.len())
        .map(|i| !contents[i].is_empty() && is_header_row(&contents[i], numeric_at(i + 1)))
        .collect();
    for i in (0..all.len().saturating_sub(2)).rev() {
        let upper = &contents[i];
        if !header[i] && header[i + 1] && !upper.is_empty() && numeric_at(i).is_empty() {
            header[i] = upper.iter().any(|(c, _)| numeric_at(i + 2).contains(c));
        }
    }
    for (i, row) in all.iter().enumerate() {
        let cells = contents[i].as_slice();
        if cells.is_empty() {
            continue;
        }
        let next_numeric: &[u32] = if header.get(i + 1) == Some(&true) {
            numeric_at(i + 2)
        } else {
            numeric_at(i + 1)
        };
        if header[i] {
            // A header cell naming the money unit (资金结构（万元）) gives it
            // even when it heads no amounts (the row-label column's header).
            if budget.unit.is_none() {
                budget.unit = cells
                    .iter()
                    .find_map(|(_, t)| vocab::money_unit(&fold(t)))
                    .map(str::to_string);
            }
            // A list's own label (项目支出明细预算) in the section's label
            // column, else the section's label, heads a list budget.
            let list_label = row.get(label_col).filter(|_| i > 0).unwrap_or(section_text);
            let mut new = header_blocks(cells, next_numeric, list_label, budget);
            if after_header {
                // A two-row header: the lower cells head their columns; an
                // upper cell spanning both rows (no cell under it) keeps its
                // block, and the blocks stay in column order.
                // The upper row's blocks are the last ones made.
                let upper = blocks.split_off(active.first().copied().unwrap_or(blocks.len()));
                new.extend(
                    upper
                        .into_iter()
                        .filter(|b| !cells.iter().any(|(c, _)| *c == b.amount_col)),
                );
                new.sort_by_key(|b| b.amount_col);
            }
            active = (blocks.len()..blocks.len() + new.len()).collect();
            blocks.extend(new);
            notes = note_columns(cells, &active.iter().map(|&b| &blocks[b]).collect::<Vec<_>>());
            claims.take_row(row);
            after_header = true;
            continue;
        }
        after_header = false;
        if active.is_empty() {
            read_bare_pairs(row, cells, section_text, &mut blocks, budget, claims, warnings);
            continue;
        }
        let mut skip: Vec<u32> = active.iter().map(|&i| blocks[i].amount_col).collect();
        skip.extend(notes.iter().map(|n| n.0));
        for &bi in &active {
            read_item(row, &mut blocks[bi], &skip, budget, claims, warnings);
            let here = row.at(blocks[bi].amount_col).to_string();
            if let Some(item) = blocks[bi].items.last_mut().filter(|it| it.cell == here) {
                for (col, header) in &notes {
                    if let Some(t) = row.get(*col) {
                        claims.take(row, *col);
                        item.note
                            .get_or_insert_with(LabelMap::default)
                            .insert(vocab::clean_label(header), t.to_string());
                    }
                }
            }
        }
    }
    for mut b in blocks {
        if b.items.is_empty() && b.heading.is_empty() {
            continue;
        }
        // An amount with no label of its own (全年预算数 | 全年执行数 over one
        // row of amounts) is the amount of what the section's label names.
        for item in b.items.iter_mut().filter(|i| i.label.is_empty()) {
            item.label = vocab::clean_label(section_text);
        }
        budget.blocks.push(BudgetBlock {
            heading: Some(b.heading),
            items: b.items,
        });
    }
}

/// A row under no header: `label | amount` pairs, a block per pair position
/// (opened as first met).
fn read_bare_pairs(
    row: &Row,
    cells: &[(u32, String)],
    section_text: &str,
    blocks: &mut Vec<Block>,
    budget: &Budget,
    claims: &mut Claims,
    warnings: &mut Warnings,
) {
    // Bare pairs: a block per pair position, opened as first met.
    let pairs = bare_pairs(cells);
    let single = pairs.len() == 1;
    for (lc, ac) in pairs {
        if blocks
            .iter()
            .any(|b| b.amount_col == ac && b.label == LabelAt::Column(lc))
        {
            continue;
        }
        let first_label = cells.iter().find(|(c, _)| *c == lc).map_or("", |(_, t)| t.as_str());
        let heading = if single { section_text } else { first_label };
        blocks.push(Block {
            heading: vocab::clean_label(heading),
            label: LabelAt::Column(lc),
            amount_col: ac,
            items: Vec::new(),
        });
    }
    let amount_cols: Vec<u32> = blocks.iter().map(|b| b.amount_col).collect();
    for b in blocks.iter_mut() {
        read_item(row, b, &amount_cols, budget, claims, warnings);
    }
}

/// A header row holds no amounts, and either announces amount columns
/// (预算金额（万元）, 年初预算数 …) or stands above the next row's amounts.
fn is_header_row(cells: &[(u32, String)], next_numeric: &[u32]) -> bool {
    if cells.iter().any(|(_, t)| looks_numeric(t)) {
        return false;
    }
    let announced = cells.iter().filter(|(_, t)| vocab::is_budget_column(&fold(t))).count();
    cells.iter().any(|(_, t)| vocab::is_amount_header(&fold(t)))
        || announced >= 2
        || cells.iter().any(|(c, _)| next_numeric.contains(c))
}

/// Blocks announced by a header row.
fn header_blocks(cells: &[(u32, String)], numeric_cols: &[u32], list_label: &str, budget: &mut Budget) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (i, (col, text)) in cells.iter().enumerate() {
        let f = fold(text);
        // A share of the total (占比) is no amount: its cells stay unmapped.
        if vocab::is_share_header(&f) {
            continue;
        }
        let amount_header = vocab::is_amount_header(&f);
        if !(amount_header || numeric_cols.contains(col) || vocab::is_budget_column(&f)) {
            continue;
        }
        if budget.unit.is_none() {
            budget.unit = vocab::money_unit(&f).map(str::to_string);
        }
        // `heading | 预算金额（万元）`: the heading sits left of its amount header.
        let left = i
            .checked_sub(1)
            .map(|j| &cells[j])
            .filter(|(_, t)| amount_header && !vocab::is_budget_column(&fold(t)));
        blocks.push(match left {
            // `资金来源项目 | 金额`: the left cell names the label column, so
            // the list's label is the heading (SPEC: list budgets).
            Some((lc, lt)) if vocab::is_label_column_header(&fold(lt)) => Block {
                heading: vocab::clean_label(list_label),
                label: LabelAt::Column(*lc),
                amount_col: *col,
                items: Vec::new(),
            },
            Some((lc, lt)) => Block {
                heading: vocab::clean_label(lt),
                label: LabelAt::Column(*lc),
                amount_col: *col,
                items: Vec::new(),
            },
            None => Block {
                heading: vocab::clean_label(text),
                label: LabelAt::NearestLeft,
                amount_col: *col,
                items: Vec::new(),
            },
        });
    }
    blocks
}

/// The header's text columns right of its first amount column that head no
/// block and hold no item labels: their cells are each item's note.
fn note_columns(cells: &[(u32, String)], active: &[&Block]) -> Vec<(u32, String)> {
    let Some(first) = active.iter().map(|b| b.amount_col).min() else {
        return Vec::new();
    };
    cells
        .iter()
        .filter(|(c, _)| {
            *c > first
                && !active
                    .iter()
                    .any(|b| b.amount_col == *c || b.label == LabelAt::Column(*c))
        })
        .cloned()
        .collect()
}

/// `label | amount | label | amount` along a row with no header above it.
fn bare_pairs(cells: &[(u32, String)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < cells.len() {
        if !looks_numeric(&cells[i].1) && looks_numeric(&cells[i + 1].1) {
            out.push((cells[i].0, cells[i + 1].0));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

fn read_item(
    row: &Row,
    b: &mut Block,
    amount_cols: &[u32],
    budget: &Budget,
    claims: &mut Claims,
    warnings: &mut Warnings,
) {
    let label_col = match b.label {
        LabelAt::Column(c) => Some(c),
        LabelAt::NearestLeft => row
            .cells
            .iter()
            .filter(|c| c.col < b.amount_col && !amount_cols.contains(&c.col) && !looks_numeric(&c.text))
            .map(|c| c.col)
            .next_back(),
    };
    let label = label_col.and_then(|c| row.get(c));
    let raw = row.get(b.amount_col);
    if label.is_none() && raw.is_none() {
        return;
    }
    if let Some(c) = label_col.filter(|_| label.is_some()) {
        claims.take(row, c);
    }
    let mut amount = None;
    if let Some(raw) = raw {
        claims.take(row, b.amount_col);
        match value::parse_amount(raw) {
            Ok(Some(a)) => {
                if let (Some(cell_unit), Some(header_unit)) = (a.unit, budget.unit.as_deref()) {
                    if cell_unit != "%" && cell_unit != header_unit {
                        warn(
                            warnings,
                            WarningCode::AmountUnitMismatch,
                            Some(row.at(b.amount_col)),
                            format!("amount {raw:?} is in {cell_unit}, the header says {header_unit}; kept as written"),
                        );
                    }
                }
                amount = Some(Number(a.value));
            }
            Ok(None) => {}
            Err(()) => warn(
                warnings,
                WarningCode::AmountNotNumeric,
                Some(row.at(b.amount_col)),
                format!("budget amount {raw:?} is not a number"),
            ),
        }
    }
    b.items.push(BudgetItem {
        label: vocab::clean_label(label.unwrap_or_default()),
        amount,
        cell: row.at(b.amount_col).to_string(),
        note: None,
    });
}
