//! The budget part of a form (预算整体情况, 项目资金): label/amount blocks.
//! Two layouts share one reading: `heading | 预算金额（万元）` pairs (one
//! block per pair) and column headers over amount columns (one block per
//! column, SPEC §3 "several amount columns").

use crate::form::{warn, Claims, Warnings};
use crate::grid::Row;
use crate::record::{Budget, BudgetBlock, BudgetItem, Number};
use crate::values::{self, looks_numeric};
use crate::vocab::{self, fold};

#[derive(Debug)]
struct Block {
    heading: String,
    label_col: Option<u32>,
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
    let mut done: Vec<Block> = Vec::new();
    let mut active: Vec<Block> = Vec::new();
    for (i, row) in all.iter().enumerate() {
        let cells = content(row);
        if cells.is_empty() {
            continue;
        }
        let next_numeric: Vec<u32> = all
            .get(i + 1)
            .map(|n| {
                content(n)
                    .into_iter()
                    .filter(|(_, t)| looks_numeric(t))
                    .map(|(c, _)| c)
                    .collect()
            })
            .unwrap_or_default();
        let has_amount_header = cells.iter().any(|(_, t)| vocab::is_amount_header(&fold(t)));
        let any_numeric = cells.iter().any(|(_, t)| looks_numeric(t));
        let heads_numbers = cells
            .iter()
            .any(|(c, t)| !looks_numeric(t) && next_numeric.contains(c));
        if !any_numeric && (has_amount_header || heads_numbers) {
            done.append(&mut active);
            active = header_blocks(&cells, &next_numeric, budget);
            claims.take_row(row);
            continue;
        }
        if active.is_empty() {
            active.push(Block {
                heading: vocab::clean_label(section_text),
                label_col: None,
                amount_col: 0,
                items: Vec::new(),
            });
        }
        read_items(row, &cells, &mut active, budget, claims, warnings);
    }
    done.append(&mut active);
    for b in done {
        if b.items.is_empty() && b.heading.is_empty() {
            continue;
        }
        budget.blocks.push(BudgetBlock {
            heading: b.heading,
            items: b.items,
        });
    }
}

/// Blocks announced by a header row.
fn header_blocks(cells: &[(u32, String)], numeric_cols: &[u32], budget: &mut Budget) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (i, (col, text)) in cells.iter().enumerate() {
        let f = fold(text);
        if vocab::is_amount_header(&f) {
            if budget.unit.is_none() {
                budget.unit = vocab::money_unit(&f).map(str::to_string);
            }
            // `heading | 预算金额（万元）`: the heading sits left of its amount header.
            let left = i
                .checked_sub(1)
                .map(|j| &cells[j])
                .filter(|(_, t)| !vocab::is_amount_header(&fold(t)));
            match left {
                Some((lc, lt)) => blocks.push(Block {
                    heading: vocab::clean_label(lt),
                    label_col: Some(*lc),
                    amount_col: *col,
                    items: Vec::new(),
                }),
                None => blocks.push(Block {
                    heading: vocab::clean_label(text),
                    label_col: None,
                    amount_col: *col,
                    items: Vec::new(),
                }),
            }
        } else if numeric_cols.contains(col) {
            if budget.unit.is_none() {
                budget.unit = vocab::money_unit(&f).map(str::to_string);
            }
            blocks.push(Block {
                heading: vocab::clean_label(text),
                label_col: None,
                amount_col: *col,
                items: Vec::new(),
            });
        }
    }
    blocks
}

fn read_items(
    row: &Row,
    cells: &[(u32, String)],
    blocks: &mut [Block],
    budget: &Budget,
    claims: &mut Claims,
    warnings: &mut Warnings,
) {
    let amount_cols: Vec<u32> = blocks.iter().map(|b| b.amount_col).collect();
    for b in blocks.iter_mut() {
        // Column blocks share the label column: the nearest text cell to the left.
        let (label_col, amount_col) = match b.label_col {
            Some(l) => (Some(l), b.amount_col),
            None if b.amount_col == 0 => {
                // Implicit block: label | amount pairs along the row.
                let pairs = implicit_pairs(cells);
                for (lc, ac) in pairs {
                    push_item(row, Some(lc), ac, b, budget, claims, warnings);
                }
                continue;
            }
            None => {
                let l = cells
                    .iter()
                    .filter(|(c, t)| {
                        *c < b.amount_col && !amount_cols.contains(c) && !looks_numeric(t)
                    })
                    .map(|(c, _)| *c)
                    .next_back();
                (l, b.amount_col)
            }
        };
        push_item(row, label_col, amount_col, b, budget, claims, warnings);
    }
}

/// `label | amount | label | amount` along a row with no header above it.
fn implicit_pairs(cells: &[(u32, String)]) -> Vec<(u32, u32)> {
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

fn push_item(
    row: &Row,
    label_col: Option<u32>,
    amount_col: u32,
    b: &mut Block,
    budget: &Budget,
    claims: &mut Claims,
    warnings: &mut Warnings,
) {
    let label = label_col.and_then(|c| row.get(c));
    let raw = row.get(amount_col);
    if label.is_none() && raw.is_none() {
        return;
    }
    if let Some(c) = label_col.filter(|_| label.is_some()) {
        claims.take(row, c);
    }
    let mut amount = None;
    if let Some(raw) = raw {
        claims.take(row, amount_col);
        match values::parse_amount(raw) {
            Ok(Some(a)) => {
                if let (Some(cell_unit), Some(header_unit)) = (a.unit, budget.unit.as_deref()) {
                    if cell_unit != "%" && cell_unit != header_unit {
                        warn(
                            warnings,
                            "amount_unit_mismatch",
                            Some(row.at(amount_col)),
                            format!("amount {raw:?} is in {cell_unit}, the header says {header_unit}; kept as written"),
                        );
                    }
                }
                amount = Some(Number(a.value));
            }
            Ok(None) => {}
            Err(()) => warn(
                warnings,
                "amount_not_numeric",
                Some(row.at(amount_col)),
                format!("budget amount {raw:?} is not a number"),
            ),
        }
    }
    b.items.push(BudgetItem {
        label: vocab::clean_label(label.unwrap_or_default()),
        amount,
        cell: row.at(amount_col).to_string(),
    });
}
