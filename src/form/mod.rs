//! Form: recognise the kind, walk the labelled sections, and assemble the
//! record. Knows nothing of file formats; all labels come from `vocab`.

mod budget;
mod checks;
mod claims;
mod fields;
mod goal;
mod indicators;
mod list;
mod sections;
mod tasks;

pub use claims::{Claims, Part};

use crate::diag::{Warning, WarningCode, Warnings};
use crate::error::ErrorKind;
use crate::grid::{column_name, Grid, Row};
use crate::layout::{self, FormRows};
use crate::record::{
    Budget, BudgetBlock, BudgetItem, KeyTask, LabelMap, Number, OverallGoal, Record, Source, Unmapped, SCHEMA_VERSION,
};
use crate::value::ColumnKey;
use crate::vocab::{self, fold, FormKind, Section};
use fields::Fields;
use regex::Regex;
use rustc_hash::FxHashSet;
use sections::SectionRows;
use std::sync::LazyLock;

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
        if let Some(projects) = list::read(grid, &form, file_stem) {
            out.extend(projects);
            continue;
        }
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

static YEAR_OF: LazyLock<Regex> = LazyLock::new(|| Regex::new(vocab::YEAR_OF_PATTERN).expect("regex"));
static YEAR_PLAIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(vocab::YEAR_PLAIN_PATTERN).expect("regex"));
pub(super) static YEAR_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)").expect("regex"));

/// A four-digit year standing alone in a text (2023, 2023年度, 预算2023).
pub(super) fn year_in(text: &str) -> Option<i32> {
    YEAR_NAME.captures(text).and_then(|c| c[1].parse().ok())
}

/// The declared year: `…年度` in the title or subtitle first, then `…年`.
pub(super) fn year_of_form(title: &str, subtitle: &str) -> Option<i32> {
    // `find` runs on the DFA; capture groups would not, and the year is
    // the match's first four ASCII digits anyway.
    [&*YEAR_OF, &*YEAR_PLAIN]
        .iter()
        .flat_map(|re| [title, subtitle].map(|t| re.find(t)))
        .flatten()
        .find_map(|m| m.as_str().get(..4)?.parse().ok())
}

/// Which kind of form the labels describe, when the title does not say.
fn kind_from_labels(rows: &[Row]) -> Option<FormKind> {
    let mut dept = false;
    let mut project = false;
    let mut actual = false;
    let mut monitor = false;
    for c in rows.iter().flat_map(|r| &r.cells) {
        let f = vocab::label(c);
        match vocab::field(f) {
            Some(vocab::Field::ProjectName) => project = true,
            Some(vocab::Field::Department) => dept = true,
            _ => {}
        }
        match vocab::column_key(f) {
            Some(ColumnKey::Actual | ColumnKey::Score) => actual = true,
            Some(ColumnKey::ExecutedToDate | ColumnKey::ExpectedFullYear) => monitor = true,
            _ => {}
        }
        if vocab::section(f) == Some(Section::KeyTasks) {
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

/// How far under the title a subtitle is looked for.
const SUBTITLE_SEARCH_ROWS: usize = 4;

/// The title and subtitle rows of a form, and where its body starts.
struct Heading<'a> {
    title: String,
    /// Title and subtitle rows: they may carry notes (单位：万元) read as fields.
    rows: Vec<&'a Row>,
    body: &'a [Row],
}

fn read_heading<'a>(rows: &'a [Row], has_title: bool, claims: &mut Claims, info: &mut LabelMap) -> Heading<'a> {
    let mut h = Heading {
        title: String::new(),
        rows: Vec::new(),
        body: rows,
    };
    if has_title {
        let t = &rows[0];
        h.title = layout::title_text(t).unwrap_or_default().to_string();
        for c in t.cells.iter().filter(|c| c.text == h.title) {
            claims.take(t, c.col);
        }
        h.rows.push(t);
        h.body = &rows[1..];
    }
    // A subtitle line such as （2024年度）: right under the title, or under
    // the stray one-cell lines of a page heading (附件3, …公开目录) that
    // the layout moved below the title.
    let at = h
        .body
        .iter()
        .take(SUBTITLE_SEARCH_ROWS)
        .take_while(|r| r.cells.len() == 1 || is_subtitle(r))
        .position(is_subtitle);
    if let Some(i) = at {
        let sub = &h.body[i];
        info.insert("subtitle".into(), sub.cells[0].text.clone());
        let text = &sub.cells[0].text;
        for c in sub.cells.iter().filter(|c| c.text == *text) {
            claims.take(sub, c.col);
        }
        h.rows.push(sub);
        if i == 0 {
            h.body = &h.body[1..];
        }
    }
    h
}

/// What the sections of a form give.
#[derive(Default)]
struct Parts {
    budget: Budget,
    overall_goal: Option<OverallGoal>,
    key_tasks: Vec<KeyTask>,
    other_tasks: Option<String>,
    table: indicators::Table,
}

/// Whether a budget-labelled section is text alone (测算依据 | 按合同测算):
/// no amount, no amount column's header, no money unit in its label.
fn is_text_field(s: &SectionRows<'_>) -> bool {
    let label = fold(s.label.get(s.label_col).unwrap_or_default());
    vocab::money_unit(&label).is_none()
        && !std::iter::once(s.label)
            .chain(s.rows.iter().copied())
            .flat_map(|r| &r.cells)
            .filter(|c| c.col > s.label_col)
            .any(|c| {
                let f = vocab::label(c);
                crate::value::looks_numeric(&c.text) || vocab::is_budget_column(f) || vocab::money_unit(f).is_some()
            })
}

fn read_sections(
    sections: &[SectionRows<'_>],
    fields: &mut Fields,
    claims: &mut Claims,
    warnings: &mut Warnings,
) -> Parts {
    let mut p = Parts::default();
    for s in sections {
        claims.part = s.kind.into();
        claims.take(s.label, s.label_col);
        match s.kind {
            // A budget label over text alone (测算依据 | 按合同测算 …) is a
            // header field: its text goes to `project`/`info` by its label.
            Section::Budget if is_text_field(s) => {
                claims.part = Part::Field;
                let label = s.label.get(s.label_col).unwrap_or_default();
                let mut texts: Vec<&str> = Vec::new();
                for r in std::iter::once(s.label).chain(s.rows.iter().copied()) {
                    if r.index != s.label.index && r.get(s.label_col).is_some() {
                        // A row with a label of its own is a field of its own.
                        fields::read_pairs(r, None, fields, claims);
                        continue;
                    }
                    for c in r.cells.iter().filter(|c| c.col > s.label_col) {
                        claims.take(r, c.col);
                        texts.push(&c.text);
                    }
                }
                if !texts.is_empty() {
                    fields::set_field(fields, label, texts.join("\n"));
                }
            }
            Section::Budget => budget::read(s.label, s.label_col, &s.rows, &mut p.budget, claims, warnings),
            Section::Goal => {
                if let Some(g) = goal::read_goal(s, &mut fields.info, claims) {
                    p.overall_goal = Some(g);
                }
            }
            Section::KeyTasks => p.key_tasks.extend(tasks::read_key_tasks(s, claims, warnings)),
            Section::OtherTasks => {
                let t = sections::texts_after_label(s, claims);
                if !t.is_empty() {
                    p.other_tasks = Some(t.join("\n"));
                }
            }
            Section::Indicators => indicators::read(s.label, s.label_col, &s.rows, &mut p.table, claims, warnings),
            Section::BasicInfo => {
                fields::read_pairs(s.label, Some(s.label_col), fields, claims);
                for r in &s.rows {
                    fields::read_pairs(r, None, fields, claims);
                }
            }
        }
    }
    // A label cell of the section's own (repeated on later pages or filled
    // down a merged column) is the label, not content.
    for s in sections {
        let label = fold(s.label.get(s.label_col).unwrap_or_default());
        for r in &s.rows {
            if let Some(c) = r.cells.iter().find(|c| c.col == s.label_col) {
                if vocab::label(c) == label {
                    claims.take(r, c.col);
                }
            }
        }
    }
    p
}

fn read_form(grid: &Grid, form: FormRows, file_stem: &str) -> Result<(Record, Claims), FormMiss> {
    let FormRows {
        rows,
        has_title,
        mut warnings,
    } = form;
    let mut claims = Claims::with_capacity(rows.iter().map(|r| r.cells.len()).sum());
    let mut info = LabelMap::default();
    let heading = read_heading(&rows, has_title, &mut claims, &mut info);
    let title = heading.title.clone();
    let mut kind = vocab::kind_from_title(&fold(&title)).or_else(|| kind_from_labels(&rows));
    if !has_title {
        if !has_form_structure(&rows) {
            return Err(FormMiss::None);
        }
        // A bare indicator table lifted from a report: a form all the same.
        let bare = rows.iter().any(indicators::is_header_row);
        if kind.is_none() && bare {
            kind = Some(FormKind::Project);
        }
        if let Some(k) = kind {
            let detail = format!("no title line above the form; its kind ({k}) is judged from its labels and columns");
            warnings.push(Warning::new(WarningCode::NoTitle, None, detail));
        }
    }
    let Some(kind) = kind else {
        return Err(if has_title && !title.is_empty() {
            FormMiss::Unknown(title)
        } else {
            FormMiss::None
        });
    };
    let mut fields = Fields::new(kind, info);
    claims.part = Part::Field;
    for r in &heading.rows {
        fields::read_pairs(r, None, &mut fields, &mut claims);
    }
    let sections = sections::walk(heading.body, &mut fields, &mut claims);
    let mut parts = read_sections(&sections, &mut fields, &mut claims, &mut warnings);
    if parts.budget.unit.is_none() {
        parts.budget.unit = fields.money_unit.clone();
    }
    let subtitle = fields.info.get("subtitle").unwrap_or_default().to_string();
    // The title's year, then a 年度 field's, then the file name's.
    let year = year_of_form(&title, &subtitle)
        .or(fields.year)
        .or_else(|| year_in(file_stem));
    let identity = fields.identity(&title);
    header_amounts(&fields, &mut parts.budget, &mut warnings);
    if identity.department.is_none() {
        warnings.push(missing_department());
    }
    claims.why = identity.why;
    let department = identity.department;
    let unmapped = unmapped_cells(&rows, &claims);
    warnings.extend(grid.notes.iter().cloned());
    for (k, v) in std::mem::take(&mut parts.table.totals) {
        fields.info.insert(k, v);
    }
    let (indicator_columns, indicators) = parts.table.finish();
    let mut record = Record {
        schema_version: SCHEMA_VERSION,
        form: kind,
        title: has_title.then_some(title),
        year,
        department,
        unit: identity.unit,
        project: (kind == FormKind::Project || !fields.project.is_empty()).then_some(fields.project),
        info: fields.info,
        budget: parts.budget,
        overall_goal: parts.overall_goal,
        key_tasks: parts.key_tasks,
        other_tasks: parts.other_tasks,
        indicator_columns,
        indicators,
        checks: Vec::new(),
        warnings,
        unmapped,
        source: source_of(grid, &rows),
    };
    record.checks = checks::run(&record);
    Ok((record, claims))
}

/// The warning of a form in which no department was found.
pub(super) fn missing_department() -> Warning {
    Warning::new(
        WarningCode::MissingDepartment,
        None,
        "no department found: no label names it (部门名称, 主管部门, 一级预算单位 …) and no open field \
         (填报单位, 申报单位 …) holds an organisation; teach declx the label with a --vocab file"
            .into(),
    )
}

/// Header fields naming an amount (项目总金额（中期规划，万元）, 本年度项目金额
/// （万元）) as a budget block with no heading, before the budget part's
/// blocks; the budget's unit from their labels when the form gives none.
fn header_amounts(fields: &Fields, budget: &mut Budget, warnings: &mut Warnings) {
    if fields.amounts.is_empty() {
        return;
    }
    let mut items = Vec::new();
    for a in &fields.amounts {
        let amount = match crate::value::parse_amount(&a.raw) {
            Ok(Some(v)) => Some(Number(v.value)),
            _ => {
                let detail = format!("header amount {:?} at {} is not a number", a.raw, a.cell);
                warnings.push(Warning::new(WarningCode::AmountNotNumeric, None, detail));
                None
            }
        };
        items.push(BudgetItem {
            label: a.label.clone(),
            amount,
            cell: a.cell.clone(),
            note: None,
        });
    }
    if budget.unit.is_none() {
        budget.unit = fields
            .amounts
            .iter()
            .find(|a| !a.unit.is_empty())
            .map(|a| a.unit.to_string());
    }
    budget.blocks.insert(0, BudgetBlock { heading: None, items });
}

fn has_form_structure(rows: &[Row]) -> bool {
    let mut sections = 0;
    for c in rows.iter().flat_map(|r| &r.cells) {
        let f = vocab::label(c);
        if vocab::section(f).is_some() || vocab::level_header(f).is_some() {
            sections += 1;
        }
    }
    sections >= 2
}

fn is_subtitle(row: &Row) -> bool {
    let Some(c) = row.first() else {
        return false;
    };
    let f = vocab::label(c);
    f.chars().count() <= 24
        && vocab::field(f).is_none()
        && vocab::section(f).is_none()
        && ((f.starts_with('(') && f.ends_with(')')) || f.contains(vocab::YEAR_WORD))
}

/// Non-empty cells nobody claimed; a cell repeating a claimed neighbour's
/// text (left or above: a merge saved "unmerged and filled") is not lost.
pub(super) fn unmapped_cells(rows: &[Row], claims: &Claims) -> Vec<Unmapped> {
    let mut covered: FxHashSet<(u32, u32)> = FxHashSet::default();
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

pub(super) fn source_of(grid: &Grid, rows: &[Row]) -> Source {
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
