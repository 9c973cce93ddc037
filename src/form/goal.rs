//! The goal section: the overall goal as one text, or split into 实施期 /
//! 年度 parts (self-evaluation: 预期目标 / 实际完成情况, the latter to `info`).

use super::claims::Claims;
use super::sections::{texts_after_label, SectionRows};
use crate::grid::Row;
use crate::record::{LabelMap, OverallGoal};
use crate::vocab;

/// The goal section: one text, or parts under sub-labels (实施期目标 /
/// 年度目标; self-evaluation: 预期目标 / 实际完成情况, the latter to `info`).
pub fn read_goal(s: &SectionRows<'_>, info: &mut LabelMap, claims: &mut Claims) -> Option<OverallGoal> {
    use vocab::GoalPart;
    let all: Vec<&Row> = std::iter::once(s.label).chain(s.rows.iter().copied()).collect();
    let mut parts: Vec<(GoalPart, u32, usize, String)> = Vec::new();
    // Labels in the section's own column name parts when two or more of
    // them do (年度目标 | … over 长期目标（跨度多年的项目需填）： | …).
    let in_label_col: Vec<(GoalPart, usize, String)> = all
        .iter()
        .enumerate()
        .filter_map(|(ri, row)| {
            let c = row.cells.iter().find(|c| c.col == s.label_col)?;
            let p = vocab::goal_part(vocab::label(c)).filter(|p| matches!(p, GoalPart::Annual | GoalPart::Period))?;
            Some((p, ri, c.text.clone()))
        })
        .collect();
    let label_parts = in_label_col.len() >= 2 && in_label_col.iter().any(|p| p.0 != in_label_col[0].0);
    for (ri, row) in all.iter().enumerate() {
        for c in row
            .cells
            .iter()
            .filter(|c| c.col > s.label_col && !vocab::is_prompt(&c.text))
        {
            if let Some(p) = vocab::goal_part(vocab::label(c)) {
                parts.push((p, c.col, ri, c.text.clone()));
            }
        }
    }
    if label_parts && parts.is_empty() {
        for (p, ri, text) in in_label_col {
            parts.push((p, s.label_col, ri, text));
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
        let beside = row.cells.iter().find(|c| {
            c.col > *col
                && c.col < next_part_col
                && vocab::goal_part(vocab::label(c)).is_none()
                && !vocab::is_prompt(&c.text)
        });
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
                    if vocab::is_prompt(&c.text) {
                        continue;
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
