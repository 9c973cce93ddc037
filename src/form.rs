//! Form: recognise the kind, walk the labelled sections, and assemble the
//! record. Knows nothing of file formats; all labels come from `vocab`.

use crate::budget;
use crate::checks;
use crate::error::ErrorKind;
use crate::grid::{column_name, CellRef, Grid, Row};
use crate::indicators;
use crate::layout::{self, FormRows};
use crate::record::{
    Budget, KeyTask, LabelMap, Number, OverallGoal, Record, Source, Unmapped, Warning, SCHEMA_VERSION,
};
use crate::values;
use crate::vocab::{self, fold, FormKind, Section, TaskField};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Cells a field has taken, with the part of the form that took them;
/// everything else of the form is `unmapped`.
#[derive(Debug, Default)]
pub struct Claims {
    taken: HashMap<(u32, u32), &'static str>,
    /// The part of the form being read: what `take` records.
    pub part: &'static str,
}

impl Claims {
    pub fn take(&mut self, row: &Row, col: u32) {
        self.taken.entry((row.index, col)).or_insert(self.part);
    }

    pub fn take_row(&mut self, row: &Row) {
        for c in &row.cells {
            self.take(row, c.col);
        }
    }

    pub fn has(&self, row: u32, col: u32) -> bool {
        self.taken.contains_key(&(row, col))
    }

    /// The part of the form that took a cell.
    pub fn part_of(&self, at: CellRef) -> Option<&'static str> {
        self.taken.get(&(at.row, at.col)).copied()
    }
}

/// Warnings collected while reading one form.
pub type Warnings = Vec<Warning>;

pub fn warn(w: &mut Warnings, code: &'static str, at: Option<CellRef>, detail: String) {
    w.push(Warning {
        code,
        cell: at.map(|c| c.to_string()),
        detail,
    });
}

/// Every form of a grid as a record. A grid holding no form is `NoForm`;
/// a titled form of a kind declx does not know is `UnknownForm`.
pub fn extract(grid: &Grid, file_stem: &str) -> Result<Vec<Record>, ErrorKind> {
    explain(grid, file_stem).map(|forms| forms.into_iter().map(|(r, _)| r).collect())
}

/// Like `extract`, with the claims that say where each cell went.
pub fn explain(grid: &Grid, file_stem: &str) -> Result<Vec<(Record, Claims)>, ErrorKind> {
    let mut out = Vec::new();
    let mut unknown = None;
    for form in layout::split_forms(grid) {
        match read_form(grid, form, file_stem) {
            Ok(r) => out.push(r),
            Err(FormMiss::Unknown(t)) => unknown = unknown.or(Some(t)),
            Err(FormMiss::None) => {}
        }
    }
    if out.is_empty() {
        return Err(match unknown {
            Some(t) => ErrorKind::UnknownForm(t),
            None => ErrorKind::NoForm("no title or labels of a declaration form found".into()),
        });
    }
    Ok(out)
}

enum FormMiss {
    None,
    Unknown(String),
}

static YEAR_OF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年度").expect("regex"));
static YEAR_PLAIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("regex"));
static YEAR_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)").expect("regex"));

/// The declared year: `…年度` in the title or subtitle first, then `…年`.
fn year_of_form(title: &str, subtitle: &str) -> Option<i32> {
    [&*YEAR_OF, &*YEAR_PLAIN]
        .iter()
        .flat_map(|re| [title, subtitle].map(|t| re.captures(t)))
        .flatten()
        .find_map(|c| c[1].parse().ok())
}

/// Which kind of form the labels describe, when the title does not say.
fn kind_from_labels(rows: &[Row]) -> Option<FormKind> {
    let mut dept = false;
    let mut project = false;
    let mut actual = false;
    let mut monitor = false;
    for c in rows.iter().flat_map(|r| &r.cells) {
        let f = fold(&c.text);
        match vocab::field(&f) {
            Some(vocab::Field::ProjectName) => project = true,
            Some(vocab::Field::Department) => dept = true,
            _ => {}
        }
        match vocab::column_key(&f) {
            Some("actual" | "score") => actual = true,
            Some("executed_to_date" | "expected_full_year") => monitor = true,
            _ => {}
        }
        if vocab::section(&f) == Some(Section::KeyTasks) {
            dept = true;
        }
    }
    if monitor {
        Some(FormKind::Monitoring)
    } else if actual {
        Some(FormKind::SelfEvaluation)
    } else if project {
        Some(FormKind::Project)
    } else if dept {
        Some(FormKind::Department)
    } else {
        None
    }
}

/// Rows of one labelled section, as met on the form.
struct SectionRows<'a> {
    kind: Section,
    label: &'a Row,
    label_col: u32,
    rows: Vec<&'a Row>,
}

struct Builder {
    kind: FormKind,
    department: Option<String>,
    dept_fallback: Option<String>,
    unit: Option<String>,
    /// A `单位：万元` line: the money unit of the budget.
    money_unit: Option<String>,
    project: LabelMap,
    info: LabelMap,
    claims: Claims,
    warnings: Warnings,
}

fn read_form(grid: &Grid, form: FormRows, file_stem: &str) -> Result<(Record, Claims), FormMiss> {
    let FormRows {
        rows,
        has_title,
        warnings,
    } = form;
    let mut claims = Claims {
        part: "title",
        ..Claims::default()
    };
    let mut info = LabelMap::default();
    let mut body = &rows[..];
    let mut title = String::new();
    // Title and subtitle rows may carry notes (单位：万元) read as fields later.
    let mut heading_rows: Vec<&Row> = Vec::new();
    if has_title {
        let t = &rows[0];
        title = layout::title_text(t).unwrap_or_default().to_string();
        for c in t.cells.iter().filter(|c| c.text == title) {
            claims.take(t, c.col);
        }
        heading_rows.push(t);
        body = &rows[1..];
    }
    // A subtitle line such as （2024年度）.
    if let Some(sub) = body.first().filter(|r| is_subtitle(r)) {
        info.insert("subtitle".into(), sub.cells[0].text.clone());
        let text = &sub.cells[0].text;
        for c in sub.cells.iter().filter(|c| c.text == *text) {
            claims.take(sub, c.col);
        }
        heading_rows.push(sub);
        body = &body[1..];
    }
    let kind = vocab::kind_from_title(&fold(&title)).or_else(|| kind_from_labels(&rows));
    let Some(kind) = kind else {
        return Err(if has_title && !title.is_empty() {
            FormMiss::Unknown(title)
        } else {
            FormMiss::None
        });
    };
    if !has_title && !has_form_structure(&rows) {
        return Err(FormMiss::None);
    }
    let mut b = Builder {
        kind,
        department: None,
        dept_fallback: None,
        unit: None,
        money_unit: None,
        project: LabelMap::default(),
        info,
        claims,
        warnings,
    };

    b.claims.part = "field";
    for r in heading_rows {
        read_pairs(r, None, &mut b);
    }
    let sections = walk_sections(body, &mut b);
    let mut budget = Budget::default();
    let mut overall_goal = None;
    let mut key_tasks = Vec::new();
    let mut other_tasks: Option<String> = None;
    let mut table = indicators::Table::default();
    for s in &sections {
        b.claims.part = s.kind.name();
        b.claims.take(s.label, s.label_col);
        match s.kind {
            Section::Budget => budget::read(
                s.label,
                s.label_col,
                &s.rows,
                &mut budget,
                &mut b.claims,
                &mut b.warnings,
            ),
            Section::Goal => {
                if let Some(g) = read_goal(s, &mut b) {
                    overall_goal = Some(g);
                }
            }
            Section::KeyTasks => key_tasks.extend(read_key_tasks(s, &mut b.claims, &mut b.warnings)),
            Section::OtherTasks => {
                let t = texts_after_label(s, &mut b.claims);
                if !t.is_empty() {
                    other_tasks = Some(t.join("\n"));
                }
            }
            Section::Indicators => indicators::read(
                s.label,
                s.label_col,
                &s.rows,
                &mut table,
                &mut b.claims,
                &mut b.warnings,
            ),
            Section::BasicInfo => {
                read_pairs(s.label, Some(s.label_col), &mut b);
                for r in &s.rows {
                    read_pairs(r, None, &mut b);
                }
            }
        }
    }
    // A label cell of the section's own (repeated on later pages or filled
    // down a merged column) is the label, not content.
    for s in &sections {
        let label = fold(s.label.get(s.label_col).unwrap_or_default());
        for r in &s.rows {
            if let Some(c) = r.cells.iter().find(|c| c.col == s.label_col) {
                if fold(&c.text) == label {
                    b.claims.take(r, c.col);
                }
            }
        }
    }

    if budget.unit.is_none() {
        budget.unit = b.money_unit.clone();
    }
    let subtitle = b.info.get("subtitle").unwrap_or_default().to_string();
    let year =
        year_of_form(&title, &subtitle).or_else(|| YEAR_NAME.captures(file_stem).and_then(|c| c[1].parse().ok()));
    let department = b.department.clone().or(b.dept_fallback.clone());
    let unmapped = unmapped_cells(&rows, &b.claims);
    let mut warnings = b.warnings;
    for n in &grid.notes {
        warn(&mut warnings, n.code, n.cell, n.detail.clone());
    }
    for (k, v) in std::mem::take(&mut table.totals) {
        b.info.insert(k, v);
    }
    let (indicator_columns, indicators) = table.finish();
    let mut record = Record {
        schema_version: SCHEMA_VERSION,
        form: kind,
        title,
        year,
        department,
        unit: b.unit,
        project: (kind == FormKind::Project || !b.project.is_empty()).then_some(b.project),
        info: b.info,
        budget,
        overall_goal,
        key_tasks,
        other_tasks,
        indicator_columns,
        indicators,
        checks: Vec::new(),
        warnings,
        unmapped,
        source: source_of(grid, &rows),
    };
    record.checks = checks::run(&record);
    Ok((record, b.claims))
}

fn has_form_structure(rows: &[Row]) -> bool {
    let mut sections = 0;
    for c in rows.iter().flat_map(|r| &r.cells) {
        let f = fold(&c.text);
        if vocab::section(&f).is_some() || vocab::level_header(&f).is_some() {
            sections += 1;
        }
    }
    sections >= 2
}

fn is_subtitle(row: &Row) -> bool {
    let Some(c) = row.first() else {
        return false;
    };
    let f = fold(&c.text);
    f.chars().count() <= 24
        && vocab::field(&f).is_none()
        && vocab::section(&f).is_none()
        && ((f.starts_with('(') && f.ends_with(')')) || f.contains("年度"))
}

/// Splits the body into sections at their label cells; header-field rows
/// (部门名称, 填报人：…) are read as they are met.
fn walk_sections<'a>(body: &'a [Row], b: &mut Builder) -> Vec<SectionRows<'a>> {
    let mut sections: Vec<SectionRows<'a>> = Vec::new();
    let mut open: Option<usize> = None;
    for row in body {
        let Some(first) = row.first() else { continue };
        let f = fold(&first.text);
        // A 一级/二级/三级 header row opens the indicator table even with no
        // 绩效指标 label beside it (monitoring and some project templates).
        if vocab::section(&f).is_none()
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
        if let Some(kind) = vocab::section(&f) {
            // The same label again (page break, filled merge) continues the section.
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
        if !in_table && is_field_row(row) {
            read_pairs(row, None, b);
            if open.is_some_and(|i| sections[i].kind != Section::BasicInfo) {
                open = None;
            }
            continue;
        }
        match open {
            Some(i) => sections[i].rows.push(row),
            None => read_pairs(row, None, b),
        }
    }
    sections
}

/// A row starting with a header-field label, or with `label：value`.
fn is_field_row(row: &Row) -> bool {
    let Some(first) = row.first() else {
        return false;
    };
    let f = fold(&first.text);
    vocab::field(&f).is_some() || colon_pair(&first.text).is_some_and(|(l, _)| vocab::field(&fold(l)).is_some())
}

/// `填报人：张三` → (填报人, 张三); the label must be short.
fn colon_pair(text: &str) -> Option<(&str, &str)> {
    let i = text.find([':', '：'])?;
    let (label, rest) = text.split_at(i);
    let value = rest.trim_start_matches([':', '：']).trim();
    let label = label.trim();
    (!label.is_empty() && label.chars().count() <= 10 && !label.contains('\n')).then_some((label, value))
}

/// Reads `label | value | label | value …` and `label：value` cells of a row.
fn read_pairs(row: &Row, skip_col: Option<u32>, b: &mut Builder) {
    let cells: Vec<_> = row
        .cells
        .iter()
        .filter(|c| Some(c.col) != skip_col && !b.claims.has(row.index, c.col))
        .collect();
    let mut i = 0;
    while i < cells.len() {
        let c = cells[i];
        let f = fold(&c.text);
        let known = vocab::field(&f);
        if known.is_none() {
            if let Some((label, value)) = colon_pair(&c.text) {
                if vocab::field(&fold(label)).is_some() || i + 1 == cells.len() || !value.is_empty() {
                    b.claims.take(row, c.col);
                    if !value.is_empty() {
                        set_field(b, label, value.to_string());
                    } else if let Some(next) = cells.get(i + 1) {
                        b.claims.take(row, next.col);
                        set_field(b, label, next.text.clone());
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
            }
        }
        let next = cells.get(i + 1).filter(|n| vocab::field(&fold(&n.text)).is_none());
        let label_like = known.is_some()
            || (next.is_some() && f.chars().count() <= 12 && !values::looks_numeric(&c.text) && !c.text.contains('\n'));
        match (label_like, next) {
            (true, Some(n)) => {
                b.claims.take(row, c.col);
                b.claims.take(row, n.col);
                set_field(b, &c.text, n.text.clone());
                // A filled merge repeats the value across the row.
                let mut j = i + 2;
                while j < cells.len() && cells[j].text == n.text {
                    j += 1;
                }
                i = j;
            }
            (true, None) if known.is_some() => {
                b.claims.take(row, c.col);
                i += 1;
            }
            _ => i += 1,
        }
    }
}

fn set_field(b: &mut Builder, label: &str, value: String) {
    let clean = vocab::clean_label(label);
    let folded_label = fold(label);
    if folded_label.trim_start_matches('(').ends_with("单位") {
        let v = fold(&value);
        let v = v.trim_end_matches(')');
        if matches!(v, "万元" | "元" | "亿元" | "千元") {
            b.money_unit.get_or_insert_with(|| v.to_string());
            return;
        }
    }
    match vocab::field(&folded_label) {
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
        Some(vocab::Field::Info) | None => {
            if fold(label) == "填报单位" && b.dept_fallback.is_none() {
                b.dept_fallback = Some(value.clone());
            }
            b.info.insert(clean, value)
        }
    }
}

/// Texts to the right of the label and in the section's rows, in order.
fn texts_after_label(s: &SectionRows<'_>, claims: &mut Claims) -> Vec<String> {
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
fn read_goal(s: &SectionRows<'_>, b: &mut Builder) -> Option<OverallGoal> {
    use vocab::GoalPart;
    let all: Vec<&Row> = std::iter::once(s.label).chain(s.rows.iter().copied()).collect();
    let mut parts: Vec<(GoalPart, u32, usize, String)> = Vec::new();
    for (ri, row) in all.iter().enumerate() {
        for c in row.cells.iter().filter(|c| c.col > s.label_col) {
            if let Some(p) = vocab::goal_part(&fold(&c.text)) {
                parts.push((p, c.col, ri, c.text.clone()));
            }
        }
    }
    if parts.is_empty() {
        let texts = texts_after_label(s, &mut b.claims);
        return (!texts.is_empty()).then(|| OverallGoal::Text(texts.join("\n")));
    }
    let (mut annual, mut period, mut expected) = (None, None, None);
    for (part, col, ri, label) in &parts {
        let row = all[*ri];
        b.claims.take(row, *col);
        let next_part_col = parts
            .iter()
            .filter(|p| p.2 == *ri && p.1 > *col)
            .map(|p| p.1)
            .min()
            .unwrap_or(u32::MAX);
        let beside = row
            .cells
            .iter()
            .find(|c| c.col > *col && c.col < next_part_col && vocab::goal_part(&fold(&c.text)).is_none());
        let text = if let Some(c) = beside {
            b.claims.take(row, c.col);
            Some(c.text.clone())
        } else {
            // A header above its text: the text sits below, in the same column.
            let mut texts = Vec::new();
            for below in &all[ri + 1..] {
                if let Some(c) = below.cells.iter().find(|c| c.col == *col) {
                    if vocab::goal_part(&fold(&c.text)).is_some() {
                        break;
                    }
                    b.claims.take(below, c.col);
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
                    b.info.insert(vocab::clean_label(label), t);
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

fn read_key_tasks(s: &SectionRows<'_>, claims: &mut Claims, warnings: &mut Warnings) -> Vec<KeyTask> {
    let all: Vec<&Row> = std::iter::once(s.label).chain(s.rows.iter().copied()).collect();
    // Header row: the first row naming at least two task columns.
    let mut columns: Vec<(u32, TaskField)> = Vec::new();
    let mut data_from = 0;
    for (i, row) in all.iter().enumerate() {
        let cols: Vec<(u32, TaskField)> = row
            .cells
            .iter()
            .filter(|c| c.col > s.label_col)
            .filter_map(|c| vocab::task_field(&fold(&c.text)).map(|f| (c.col, f)))
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
            .filter(|c| vocab::task_field(&fold(&c.text)).is_some())
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

/// Non-empty cells nobody claimed; a cell repeating a claimed neighbour's
/// text (left or above: a merge saved "unmerged and filled") is not lost.
fn unmapped_cells(rows: &[Row], claims: &Claims) -> Vec<Unmapped> {
    let mut covered: HashSet<(u32, u32)> = HashSet::new();
    let mut out = Vec::new();
    let mut ordered: Vec<&Row> = rows.iter().collect();
    ordered.sort_by_key(|r| r.index);
    for (i, row) in ordered.iter().enumerate() {
        let above = i
            .checked_sub(1)
            .map(|j| ordered[j])
            .filter(|a| a.index + 1 == row.index);
        for c in &row.cells {
            let at = (row.index, c.col);
            if claims.has(at.0, at.1) {
                covered.insert(at);
                continue;
            }
            let left_same =
                c.col > 0 && row.get(c.col - 1) == Some(&c.text) && covered.contains(&(row.index, c.col - 1));
            let up_same = above.is_some_and(|a| a.get(c.col) == Some(&c.text) && covered.contains(&(a.index, c.col)));
            if left_same || up_same {
                covered.insert(at);
                continue;
            }
            out.push(Unmapped {
                cell: row.at(c.col).to_string(),
                text: c.text.clone(),
            });
        }
    }
    out
}

fn source_of(grid: &Grid, rows: &[Row]) -> Source {
    let first_row = rows.iter().map(|r| r.index).min().unwrap_or(0);
    let last_row = rows.iter().map(|r| r.index).max().unwrap_or(0);
    let first_col = rows.iter().filter_map(|r| r.first()).map(|c| c.col).min().unwrap_or(0);
    let last_col = rows.iter().filter_map(|r| r.last_col()).max().unwrap_or(0);
    Source {
        path: grid.source.path.clone(),
        format: grid.source.format,
        encoding: grid.source.encoding.clone(),
        sheet: grid.source.sheet.clone(),
        range: format!(
            "{}{}:{}{}",
            column_name(first_col),
            first_row + 1,
            column_name(last_col),
            last_row + 1
        ),
        sha256: grid.source.sha256.clone(),
    }
}
