//! Form: recognise the kind, walk the labelled sections, and assemble the
//! record. Knows nothing of file formats; all labels come from `vocab`.

use crate::budget;
use crate::checks;
use crate::error::ErrorKind;
use crate::fields::{self, Fields};
use crate::grid::{column_name, CellRef, Grid, Row};
use crate::indicators;
use crate::layout::{self, FormRows};
use crate::record::{Budget, LabelMap, Record, Source, Unmapped, Warning, SCHEMA_VERSION};
use crate::sections::{self, SectionRows};
use crate::vocab::{self, fold, FormKind, Section};
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;

/// Cells a field has taken, with the part of the form that took them;
/// everything else of the form is `unmapped`.
#[derive(Debug, Default)]
pub struct Claims {
    // Looked up for every cell by every stage: Fx, not SipHash.
    taken: FxHashMap<(u32, u32), &'static str>,
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
            Some("actual" | "score") => actual = true,
            Some("executed_to_date" | "expected_full_year") => monitor = true,
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

/// What a form's reading accumulates besides the sections' own fields.
struct Builder {
    fields: Fields,
    claims: Claims,
    warnings: Warnings,
}

fn read_form(grid: &Grid, form: FormRows, file_stem: &str) -> Result<(Record, Claims), FormMiss> {
    let FormRows {
        rows,
        has_title,
        warnings,
    } = form;
    let cells = rows.iter().map(|r| r.cells.len()).sum();
    let mut claims = Claims {
        // Nearly every cell is claimed: sized once instead of rehashed.
        taken: FxHashMap::with_capacity_and_hasher(cells, Default::default()),
        part: "title",
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
        fields: Fields::new(kind, info),
        claims,
        warnings,
    };
    b.claims.part = "field";
    for r in heading_rows {
        fields::read_pairs(r, None, &mut b.fields, &mut b.claims);
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
                if let Some(g) = sections::read_goal(s, &mut b.fields.info, &mut b.claims) {
                    overall_goal = Some(g);
                }
            }
            Section::KeyTasks => key_tasks.extend(sections::read_key_tasks(s, &mut b.claims, &mut b.warnings)),
            Section::OtherTasks => {
                let t = sections::texts_after_label(s, &mut b.claims);
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
                fields::read_pairs(s.label, Some(s.label_col), &mut b.fields, &mut b.claims);
                for r in &s.rows {
                    fields::read_pairs(r, None, &mut b.fields, &mut b.claims);
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
                if vocab::label(c) == label {
                    b.claims.take(r, c.col);
                }
            }
        }
    }

    if budget.unit.is_none() {
        budget.unit = b.fields.money_unit.clone();
    }
    let subtitle = b.fields.info.get("subtitle").unwrap_or_default().to_string();
    let year =
        year_of_form(&title, &subtitle).or_else(|| YEAR_NAME.captures(file_stem).and_then(|c| c[1].parse().ok()));
    let department = b.fields.department.clone().or(b.fields.dept_fallback.clone());
    let unmapped = unmapped_cells(&rows, &b.claims);
    let mut warnings = b.warnings;
    for n in &grid.notes {
        warn(&mut warnings, n.code, n.cell, n.detail.clone());
    }
    for (k, v) in std::mem::take(&mut table.totals) {
        b.fields.info.insert(k, v);
    }
    let (indicator_columns, indicators) = table.finish();
    let mut record = Record {
        schema_version: SCHEMA_VERSION,
        form: kind,
        title,
        year,
        department,
        unit: b.fields.unit,
        project: (kind == FormKind::Project || !b.fields.project.is_empty()).then_some(b.fields.project),
        info: b.fields.info,
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
        && ((f.starts_with('(') && f.ends_with(')')) || f.contains("年度"))
}

/// Splits the body into sections at their label cells; header-field rows
/// (部门名称, 填报人：…) are read as they are met.
fn walk_sections<'a>(body: &'a [Row], b: &mut Builder) -> Vec<SectionRows<'a>> {
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
        if !in_table && fields::is_field_row(row) {
            fields::read_pairs(row, None, &mut b.fields, &mut b.claims);
            if open.is_some_and(|i| sections[i].kind != Section::BasicInfo) {
                open = None;
            }
            continue;
        }
        match open {
            Some(i) => sections[i].rows.push(row),
            None => fields::read_pairs(row, None, &mut b.fields, &mut b.claims),
        }
    }
    sections
}

/// Non-empty cells nobody claimed; a cell repeating a claimed neighbour's
/// text (left or above: a merge saved "unmerged and filled") is not lost.
fn unmapped_cells(rows: &[Row], claims: &Claims) -> Vec<Unmapped> {
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
