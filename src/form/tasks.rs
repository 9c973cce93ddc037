//! The key task table (年度重点工作任务): name, content, funds and expected
//! goal per row, under a header row or in the template's default columns.

use super::claims::Claims;
use super::sections::SectionRows;
use crate::diag::{warn, WarningCode, Warnings};
use crate::grid::Row;
use crate::record::{KeyTask, Number};
use crate::value;
use crate::vocab::{self, TaskField};

pub fn read_key_tasks(s: &SectionRows<'_>, claims: &mut Claims, warnings: &mut Warnings) -> Vec<KeyTask> {
    let all: Vec<&Row> = std::iter::once(s.label).chain(s.rows.iter().copied()).collect();
    // Header row: the first row naming at least two task columns.
    let mut columns: Vec<(u32, TaskField)> = Vec::new();
    let mut data_from = 0;
    for (i, row) in all.iter().enumerate() {
        let cols: Vec<(u32, TaskField)> = row
            .cells
            .iter()
            .filter(|c| c.col > s.label_col)
            .filter_map(|c| vocab::task_field(vocab::label(c)).map(|f| (c.col, f)))
            .collect();
        if cols.len() >= 2 {
            claims.take_row(row);
            claims.take(row, s.label_col);
            columns = cols;
            data_from = i + 1;
            break;
        }
    }
    if columns.is_empty() {
        let start = s.label_col + 1;
        columns = [TaskField::Name, TaskField::Content, TaskField::Funds, TaskField::Goal]
            .into_iter()
            .enumerate()
            .map(|(i, f)| (start + i as u32, f))
            .collect();
    }
    let mut tasks = Vec::new();
    for row in &all[data_from..] {
        // Repeated header after a page break.
        if row
            .cells
            .iter()
            .filter(|c| vocab::task_field(vocab::label(c)).is_some())
            .count()
            >= 2
        {
            claims.take_row(row);
            continue;
        }
        let mut t = KeyTask {
            name: None,
            content: None,
            funds: None,
            expected_goal: None,
            cell: String::new(),
        };
        let mut any = false;
        for &(col, field) in &columns {
            let Some(text) = row.get(col) else { continue };
            claims.take(row, col);
            any = true;
            if t.cell.is_empty() {
                t.cell = row.at(col).to_string();
            }
            let text = text.to_string();
            match field {
                TaskField::Name => t.name = Some(text),
                TaskField::Content => t.content = Some(text),
                TaskField::Goal => t.expected_goal = Some(text),
                TaskField::Funds => match value::parse_amount(&text) {
                    Ok(a) => t.funds = a.map(|a| Number(a.value)),
                    Err(()) => warn(
                        warnings,
                        WarningCode::AmountNotNumeric,
                        Some(row.at(col)),
                        format!("key task funds {text:?} is not a number"),
                    ),
                },
            }
        }
        if any {
            tasks.push(t);
        }
    }
    tasks
}
