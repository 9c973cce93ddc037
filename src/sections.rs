//! The text sections of a form: the overall goal (whole, or split into
//! 实施期 / 年度 parts) and the key task table.

use crate::form::{warn, Claims, Warnings};
use crate::grid::Row;
use crate::record::{KeyTask, LabelMap, Number, OverallGoal};
use crate::values;
use crate::vocab::{self, Section, TaskField};

/// Rows of one labelled section, as met on the form.
pub struct SectionRows<'a> {
    pub kind: Section,
    pub label: &'a Row,
    pub label_col: u32,
    pub rows: Vec<&'a Row>,
}

/// Texts to the right of the label and in the section's rows, in order.
pub fn texts_after_label(s: &SectionRows<'_>, claims: &mut Claims) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in std::iter::once(s.label).chain(s.rows.iter().copied()) {
        for c in row.cells.iter().filter(|c| c.col > s.label_col) {
            claims.take(row, c.col);
            if out.last() != Some(&c.text) {
                out.push(c.text.clone());
            }
        }
    }
    out
}

/// The goal section: one text, or parts under sub-labels (实施期目标 /
/// 年度目标; self-evaluation: 预期目标 / 实际完成情况, the latter to `info`).
pub fn read_goal(s: &SectionRows<'_>, info: &mut LabelMap, claims: &mut Claims) -> Option<OverallGoal> {
    use vocab::GoalPart;
    let all: Vec<&Row> = std::iter::once(s.label).chain(s.rows.iter().copied()).collect();
    let mut parts: Vec<(GoalPart, u32, usize, String)> = Vec::new();
    for (ri, row) in all.iter().enumerate() {
        for c in row.cells.iter().filter(|c| c.col > s.label_col) {
            if let Some(p) = vocab::goal_part(vocab::label(c)) {
                parts.push((p, c.col, ri, c.text.clone()));
            }
        }
    }
    if parts.is_empty() {
        let texts = texts_after_label(s, claims);
        return (!texts.is_empty()).then(|| OverallGoal::Text(texts.join("\n")));
    }
    let (mut annual, mut period, mut expected) = (None, None, None);
    for (part, col, ri, label) in &parts {
        let row = all[*ri];
        claims.take(row, *col);
        let next_part_col = parts
            .iter()
            .filter(|p| p.2 == *ri && p.1 > *col)
            .map(|p| p.1)
            .min()
            .unwrap_or(u32::MAX);
        let beside = row
            .cells
            .iter()
            .find(|c| c.col > *col && c.col < next_part_col && vocab::goal_part(vocab::label(c)).is_none());
        let text = if let Some(c) = beside {
            claims.take(row, c.col);
            Some(c.text.clone())
        } else {
            // A header above its text: the text sits below, in the same column.
            let mut texts = Vec::new();
            for below in &all[ri + 1..] {
                if let Some(c) = below.cells.iter().find(|c| c.col == *col) {
                    if vocab::goal_part(vocab::label(c)).is_some() {
                        break;
                    }
                    claims.take(below, c.col);
                    texts.push(c.text.clone());
                }
            }
            (!texts.is_empty()).then(|| texts.join("\n"))
        };
        match part {
            GoalPart::Annual => annual = annual.or(text),
            GoalPart::Period => period = period.or(text),
            GoalPart::Expected => expected = expected.or(text),
            GoalPart::Actual => {
                if let Some(t) = text {
                    info.insert(vocab::clean_label(label), t);
                }
            }
        }
    }
    if parts.iter().any(|p| matches!(p.0, GoalPart::Annual | GoalPart::Period)) {
        Some(OverallGoal::Split { annual, period })
    } else {
        expected.map(OverallGoal::Text)
    }
}

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
                TaskField::Funds => match values::parse_amount(&text) {
                    Ok(a) => t.funds = a.map(|a| Number(a.value)),
                    Err(()) => warn(
                        warnings,
                        "amount_not_numeric",
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
