//! Sections: a form's body split at its section labels (预算整体情况, 总体目标,
//! 绩效指标 …), with header-field rows read as they are met.

use super::claims::Claims;
use super::fields::{self, Fields};
use super::indicators;
use crate::grid::Row;
use crate::vocab::{self, Section};

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
        // A template's prompt left in a cell (对照年度目标，说明…(100字以内)) is
        // no content: it stays unclaimed, so it is listed in `unmapped`.
        for c in row
            .cells
            .iter()
            .filter(|c| c.col > s.label_col && !vocab::is_prompt(&c.text))
        {
            claims.take(row, c.col);
            if out.last() != Some(&c.text) {
                out.push(c.text.clone());
            }
        }
    }
    out
}

/// Splits the body into sections at their label cells; header-field rows
/// (部门名称, 填报人：…) are read as they are met.
pub fn walk<'a>(body: &'a [Row], fields: &mut Fields, claims: &mut Claims) -> Vec<SectionRows<'a>> {
    let mut sections: Vec<SectionRows<'a>> = Vec::new();
    let mut open: Option<usize> = None;
    for row in body {
        let Some(first) = row.first() else { continue };
        let f = vocab::label(first);
        // A 一级/二级/三级 header row opens the indicator table even with no
        // 绩效指标 label beside it (monitoring and some project templates).
        if vocab::section(f).is_none()
            && indicators::is_header_row(row)
            && !open.is_some_and(|i| sections[i].kind == Section::Indicators)
        {
            sections.push(SectionRows {
                kind: Section::Indicators,
                label: row,
                // No label cell: the column left of the table stands for it.
                label_col: first.col.saturating_sub(1),
                rows: Vec::new(),
            });
            open = Some(sections.len() - 1);
            continue;
        }
        if let Some(kind) = vocab::section(f) {
            // The same label again (page break, filled merge) continues the
            // section; so does a goal's next part (年度目标, then 长期目标).
            if let Some(i) = open {
                if sections[i].kind == kind && first.col == sections[i].label_col {
                    sections[i].rows.push(row);
                    continue;
                }
            }
            sections.push(SectionRows {
                kind,
                label: row,
                label_col: first.col,
                rows: Vec::new(),
            });
            open = Some(sections.len() - 1);
            continue;
        }
        let in_table = open.is_some_and(|i| first.col > sections[i].label_col);
        // A footer row (说明, 备注, 审核意见 …) ends the open section: it is
        // never a node of the tree nor an item of a table.
        if open.is_some() && ((!in_table && vocab::is_footer(f)) || (in_table && vocab::is_footer_label(f))) {
            fields::read_pairs(row, None, fields, claims);
            open = None;
            continue;
        }
        if !in_table && fields::is_field_row(row) {
            fields::read_pairs(row, None, fields, claims);
            if open.is_some_and(|i| sections[i].kind != Section::BasicInfo) {
                open = None;
            }
            continue;
        }
        match open {
            Some(i) => sections[i].rows.push(row),
            None => fields::read_pairs(row, None, fields, claims),
        }
    }
    sections
}
