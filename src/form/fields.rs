//! Header fields: `label | value` pairs and `label：value` cells (部门名称,
//! 主管部门, 项目属性, 联系人 …) routed to the record's department, unit,
//! project and info; who the form is about decided by label, then by value
//! (`Fields::identity`).

use super::claims::Claims;
use crate::grid::Row;
use crate::record::LabelMap;
use crate::value;
use crate::vocab::{self, fold, FormKind};

/// The fields a form's labels fill.
#[derive(Debug)]
pub struct Fields {
    pub kind: FormKind,
    pub department: Option<String>,
    /// 主管部门 or 填报单位 of a department form: its department when no 部门名称 says it.
    pub dept_fallback: Option<String>,
    pub unit: Option<String>,
    /// A `单位：万元` line: the money unit of the budget.
    pub money_unit: Option<String>,
    /// The year a 年度 field names.
    pub year: Option<i32>,
    pub project: LabelMap,
    pub info: LabelMap,
    /// 中央主管部门: the department only when the form names no other.
    pub central: Option<String>,
    /// Fields whose label leaves open whether they name the department or
    /// the unit (填报单位, 申报单位), with an organisation as value:
    /// (label, value, cell).
    pub open_orgs: Vec<(String, String, Option<String>)>,
    /// Header fields naming an amount (项目总金额（万元）): budget items of
    /// a block with no heading.
    pub amounts: Vec<HeaderAmount>,
}

/// A header field naming an amount.
#[derive(Debug)]
pub struct HeaderAmount {
    pub label: String,
    pub raw: String,
    pub unit: &'static str,
    pub cell: String,
}

/// Who a form is about, and why (what `declx inspect` prints).
#[derive(Debug, Default)]
pub struct Identity {
    pub department: Option<String>,
    pub unit: Option<String>,
    pub why: Vec<String>,
}

impl Fields {
    pub fn new(kind: FormKind, info: LabelMap) -> Self {
        Fields {
            kind,
            department: None,
            dept_fallback: None,
            unit: None,
            money_unit: None,
            year: None,
            project: LabelMap::default(),
            info,
            central: None,
            open_orgs: Vec::new(),
            amounts: Vec::new(),
        }
    }

    /// The department and unit: by label first (部门名称 / 一级预算单位,
    /// then 主管部门 or 填报单位 of a department form, then 中央主管部门),
    /// then by value: a field whose label leaves the role open and whose
    /// value names an organisation fills what the form kind still lacks;
    /// last, an organisation the title starts with.
    pub fn identity(&self, title: &str) -> Identity {
        let mut id = Identity {
            department: self.department.clone(),
            unit: self.unit.clone(),
            why: Vec::new(),
        };
        if id.department.is_some() {
            id.why.push("department: by its label".into());
        } else if let Some(d) = &self.dept_fallback {
            id.department = Some(d.clone());
            id.why
                .push("department: 主管部门 or 填报单位, the form naming no 部门名称".into());
        } else if let Some(d) = &self.central {
            id.department = Some(d.clone());
            id.why
                .push("department: 中央主管部门, the form naming no local one".into());
        }
        if id.department.is_none() {
            // The title's own words: 某市统计局2023年部门整体支出绩效目标表.
            if let Some(d) = vocab::organisation_in_title(title) {
                id.department = Some(d.to_string());
                id.why
                    .push(format!("department: the title starts with an organisation ({d})"));
            }
        }
        let wants_unit = self.kind != FormKind::Department;
        for (label, value, cell) in &self.open_orgs {
            if id.department.as_deref() == Some(value.as_str()) || id.unit.as_deref() == Some(value.as_str()) {
                continue;
            }
            let at = cell.as_deref().unwrap_or("-");
            if id.department.is_none() {
                id.department = Some(value.clone());
                id.why.push(format!(
                    "department: {at} {label}: its value names an organisation and no label named the department"
                ));
            } else if wants_unit && id.unit.is_none() {
                id.unit = Some(value.clone());
                id.why.push(format!(
                    "unit: {at} {label}: its value names an organisation and no label named the unit"
                ));
            }
        }
        if id.unit.is_some() && !id.why.iter().any(|w| w.starts_with("unit:")) {
            id.why.push("unit: by its label".into());
        }
        id
    }
}

/// A row starting with a header-field label, or with `label：value`.
pub fn is_field_row(row: &Row) -> bool {
    let Some(first) = row.first() else {
        return false;
    };
    let f = vocab::label(first);
    vocab::field(f).is_some() || colon_pair(&first.text).is_some_and(|(l, _)| vocab::field(&fold(l)).is_some())
}

/// `填报人：张三` → (填报人, 张三); the label must be short.
/// A colon inside brackets (项目资金（单位：万元）：…) is part of the label,
/// and the label's length is counted without its bracketed note.
pub fn colon_pair(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    let i = text.char_indices().find_map(|(i, c)| {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth -= 1,
            _ if depth <= 0 && vocab::COLONS.contains(&c) => return Some(i),
            _ => {}
        }
        None
    })?;
    let (label, rest) = text.split_at(i);
    let value = rest.trim_start_matches(vocab::COLONS).trim();
    let label = label.trim();
    let short = vocab::split_paren(&fold(label)).0.chars().count() <= 10;
    (!label.is_empty() && short && !label.contains('\n')).then_some((label, value))
}

/// Reads `label | value | label | value …` and `label：value` cells of a row.
pub fn read_pairs(row: &Row, skip_col: Option<u32>, b: &mut Fields, claims: &mut Claims) {
    let cells: Vec<_> = row
        .cells
        .iter()
        .filter(|c| Some(c.col) != skip_col && !claims.has(row.index, c.col))
        .collect();
    let mut i = 0;
    while i < cells.len() {
        let c = cells[i];
        let f = vocab::label(c);
        let known = vocab::field(f);
        if known.is_none() {
            if let Some((label, value)) = colon_pair(&c.text) {
                if vocab::field(&fold(label)).is_some() || i + 1 == cells.len() || !value.is_empty() {
                    claims.take(row, c.col);
                    if !value.is_empty() {
                        // Two fields in one cell: 填报单位:(盖章) 单位:万元.
                        for (l, v) in several_pairs(label, value) {
                            set_field_at(b, l, v.to_string(), Some(row.at(c.col).to_string()));
                        }
                    } else if let Some(next) = cells.get(i + 1) {
                        claims.take(row, next.col);
                        set_field_at(b, label, next.text.clone(), Some(row.at(next.col).to_string()));
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
            }
        }
        let next = cells.get(i + 1).filter(|n| vocab::field(vocab::label(n)).is_none());
        // A label's length without its bracketed unit or prompt:
        // 项目总金额（中期规划，万元）： is a five-character label.
        let label_like = known.is_some()
            || (next.is_some()
                && vocab::split_paren(f).0.chars().count() <= 12
                && !value::looks_numeric(&c.text)
                && !c.text.contains('\n'));
        match (label_like, next) {
            (true, Some(n)) => {
                claims.take(row, c.col);
                claims.take(row, n.col);
                set_field_at(b, &c.text, n.text.clone(), Some(row.at(n.col).to_string()));
                // A filled merge repeats the value across the row.
                let mut j = i + 2;
                while j < cells.len() && cells[j].text == n.text {
                    j += 1;
                }
                i = j;
            }
            (true, None) if known.is_some() => {
                claims.take(row, c.col);
                i += 1;
            }
            _ => i += 1,
        }
    }
}

/// A cell's `label：value` text split where a second short `label：` follows
/// a blank: `填报单位:(盖章) 单位:万元` → (填报单位, (盖章)), (单位, 万元).
fn several_pairs<'t>(label: &'t str, value: &'t str) -> Vec<(&'t str, &'t str)> {
    let mut out = Vec::new();
    let (mut label, mut rest) = (label, value);
    loop {
        let next = rest
            .char_indices()
            .filter(|&(_, ch)| crate::grid::is_blank(ch))
            .find_map(|(i, _)| colon_pair(rest[i..].trim_start()).map(|p| (i, p)));
        match next {
            Some((i, (l, v))) if !l.contains(char::is_whitespace) => {
                out.push((label, rest[..i].trim()));
                label = l;
                rest = v;
            }
            _ => {
                out.push((label, rest));
                return out;
            }
        }
    }
}

pub(super) fn set_field(b: &mut Fields, label: &str, value: String) {
    set_field_at(b, label, value, None);
}

/// A field with the cell its value came from (where a header amount's
/// budget item points).
pub(super) fn set_field_at(b: &mut Fields, label: &str, value: String, cell: Option<String>) {
    // A stamp or signature placeholder ((盖章), 签字) is no value; a row of
    // ticked options (1.部门项目 □ 2.公共项目 □√) gives the ticked one.
    if vocab::is_stamp_placeholder(&value) {
        return;
    }
    let clean = vocab::clean_label(label);
    let value = match vocab::ticked_choice(&value) {
        Some(choice) => {
            // The options as written stay in the record: nothing is lost.
            b.info.insert(format!("{clean}{}", vocab::OPTIONS_SUFFIX), value);
            choice
        }
        None => value,
    };
    let folded_label = fold(label);
    if folded_label.trim_start_matches('(').ends_with(vocab::UNIT_LABEL) {
        let v = fold(&value);
        let v = v.trim_end_matches(')');
        if vocab::is_money_unit(v) {
            b.money_unit.get_or_insert_with(|| v.to_string());
            return;
        }
    }
    let role = vocab::field(&folded_label);
    if matches!(
        role,
        None | Some(vocab::Field::Info | vocab::Field::Project | vocab::Field::ProjectKey(_))
    ) {
        if let (Some(unit), Some(cell)) = (vocab::header_amount_label(&folded_label), &cell) {
            if matches!(value::parse_amount(&value), Ok(Some(_))) {
                b.amounts.push(HeaderAmount {
                    label: clean.clone(),
                    raw: value.clone(),
                    unit,
                    cell: cell.clone(),
                });
            }
        }
        // A role a label was given (a vocabulary's project.<key>) is kept.
        let open = matches!(role, None | Some(vocab::Field::Info));
        if open && vocab::is_organisation_label(&folded_label) && vocab::is_organisation(&value) {
            b.open_orgs.push((clean.clone(), value.clone(), cell.clone()));
        }
    }
    match role {
        Some(vocab::Field::CentralDepartment) => {
            if b.central.is_none() {
                b.central = Some(value.clone());
            }
            b.info.insert(clean, value);
        }
        Some(vocab::Field::Department) => {
            if b.department.is_none() {
                b.department = Some(value);
            } else {
                b.info.insert(clean, value);
            }
        }
        Some(vocab::Field::ParentDepartment) => {
            if b.kind != FormKind::Department && b.department.is_none() {
                b.department = Some(value);
            } else {
                if b.dept_fallback.is_none() {
                    b.dept_fallback = Some(value.clone());
                }
                b.info.insert(clean, value);
            }
        }
        Some(vocab::Field::Unit) => {
            if b.unit.is_none() {
                b.unit = Some(value);
            } else {
                b.info.insert(clean, value);
            }
        }
        Some(vocab::Field::ProjectName) => b.project.insert("name".into(), value),
        Some(vocab::Field::Project) => b.project.insert(clean, value),
        Some(vocab::Field::ProjectKey(key)) => b.project.insert(key.to_string(), value),
        Some(vocab::Field::Year) => {
            // Kept as written; the record's year when the title gives none.
            if b.year.is_none() {
                b.year = super::year_in(&value);
            }
            b.info.insert(clean, value)
        }
        Some(vocab::Field::Info) | None => {
            if vocab::split_paren(&folded_label).0 == vocab::FILER_LABEL && b.dept_fallback.is_none() {
                b.dept_fallback = Some(value.clone());
            }
            b.info.insert(clean, value)
        }
    }
}
