//! List sheets: one table holding many projects (单位名称 | 项目名称 | 预算数 |
//! 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标值), a block of rows per
//! project; each block is a project record. Knows the table's shape, not
//! file formats.

use super::claims::{Claims, Part};
use super::fields::{self, Fields};
use super::indicators::{self, header_levels};
use super::{checks, source_of, unmapped_cells, year_of_form, YEAR_NAME};
use crate::grid::{Grid, Row};
use crate::layout::{self, FormRows};
use crate::record::{Budget, BudgetBlock, BudgetItem, LabelMap, Number, OverallGoal, Record, SCHEMA_VERSION};
use crate::value;
use crate::vocab::{self, fold, Field, FormKind};

/// How far down a list sheet's header row is looked for.
const HEADER_SEARCH_ROWS: usize = 12;

/// The columns left of the indicator levels, by role.
#[derive(Debug, Default)]
struct Columns {
    name: Option<u32>,
    /// (column, role) of the other header fields: department, unit, info.
    fields: Vec<(u32, String)>,
    budget: Vec<(u32, String)>,
    goal: Option<u32>,
}

impl Columns {
    fn of(header: &Row, first_level: u32) -> Columns {
        let mut c = Columns::default();
        for cell in header.cells.iter().filter(|x| x.col < first_level) {
            let f = vocab::label(cell);
            match vocab::field(f) {
                Some(Field::ProjectName) => c.name = Some(cell.col),
                Some(_) => c.fields.push((cell.col, cell.text.clone())),
                None if vocab::is_amount_header(f) || vocab::is_budget_column(f) || vocab::money_unit(f).is_some() => {
                    c.budget.push((cell.col, cell.text.clone()))
                }
                None if vocab::section(f) == Some(vocab::Section::Goal) || vocab::goal_part(f).is_some() => {
                    c.goal = Some(cell.col)
                }
                None => c.fields.push((cell.col, cell.text.clone())),
            }
        }
        c
    }
}

/// The projects of a list sheet as records, or `None` when the form is not
/// a list sheet (a header with a project-name column left of the indicator
/// levels, and at least two projects under it).
pub(super) fn read(grid: &Grid, form: &FormRows, file_stem: &str) -> Option<Vec<(Record, Claims)>> {
    let rows = &form.rows;
    // The list's header sits near the top, under the title and notes.
    let (hi, header) = rows.iter().enumerate().take(HEADER_SEARCH_ROWS).find(|(_, r)| {
        header_levels(r).is_some_and(|l| {
            let first = l[0][0];
            r.cells
                .iter()
                .any(|c| c.col < first && vocab::field(vocab::label(c)) == Some(Field::ProjectName))
        })
    })?;
    let levels = header_levels(header)?[0];
    let cols = Columns::of(header, levels[0]);
    let name_col = cols.name?;
    // A block starts where the project-name column holds a new name.
    let body = &rows[hi + 1..];
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut last_name: Option<&str> = None;
    for (i, r) in body.iter().enumerate() {
        if let Some(n) = r.get(name_col) {
            if last_name != Some(n) {
                blocks.push((i, i + 1));
                last_name = Some(n);
                continue;
            }
        }
        if let Some(b) = blocks.last_mut() {
            b.1 = i + 1;
        }
    }
    if blocks.len() < 2 {
        return None;
    }
    // Rows above the first project (a department's subtotal row) go with
    // the first project, so their cells are in its `unmapped`.
    if let Some(first) = blocks.first_mut() {
        first.0 = 0;
    }
    let heading = &rows[..hi];
    let out = blocks
        .iter()
        .map(|&(from, to)| {
            let block: Vec<&Row> = body[from..to].iter().collect();
            // A unit's cell merged down over its projects: the projects below
            // the first find it in the rows above, on a row naming a project.
            let above: Vec<&Row> = body[..from]
                .iter()
                .rev()
                .filter(|r| r.get(name_col).is_some())
                .collect();
            project(grid, form, heading, header, &block, &above, &cols, levels[0], file_stem)
        })
        .collect();
    Some(out)
}

/// One project's record from its block of rows.
#[allow(clippy::too_many_arguments)]
fn project(
    grid: &Grid,
    form: &FormRows,
    heading: &[Row],
    header: &Row,
    block: &[&Row],
    above: &[&Row],
    cols: &Columns,
    first_level: u32,
    file_stem: &str,
) -> (Record, Claims) {
    let mut claims = Claims::with_capacity(block.iter().map(|r| r.cells.len()).sum::<usize>() + 16);
    let title = match (form.has_title, heading.first()) {
        (true, Some(t)) => layout::title_text(t).map(str::to_string),
        _ => None,
    };
    if let (Some(t), Some(row)) = (&title, heading.first()) {
        for c in row.cells.iter().filter(|c| c.text == *t) {
            claims.take(row, c.col);
        }
    }
    let mut fields = Fields::new(FormKind::Project, LabelMap::default());
    claims.part = Part::Field;
    for r in heading.iter().skip(usize::from(title.is_some())) {
        fields::read_pairs(r, None, &mut fields, &mut claims);
    }
    claims.take_row(header);
    // From the row naming the project on, then the rows above it in the
    // block (a subtotal row above the first project is no project's).
    let named = cols
        .name
        .and_then(|n| block.iter().position(|r| r.get(n).is_some()))
        .unwrap_or(0);
    let first_of = |col: u32| {
        block[named..]
            .iter()
            .chain(&block[..named])
            .find_map(|r| r.get(col).map(|t| (*r, t)))
    };
    if let Some((r, name)) = cols.name.and_then(first_of) {
        claims.take(r, cols.name.unwrap_or_default());
        fields.project.insert("name".into(), name.to_string());
    }
    for (col, label) in &cols.fields {
        if let Some((r, v)) = first_of(*col) {
            claims.take(r, *col);
            fields::set_field(&mut fields, label, v.to_string());
        } else if let Some(v) = above.iter().find_map(|r| r.get(*col)) {
            fields::set_field(&mut fields, label, v.to_string());
        }
    }
    claims.part = Part::Budget;
    let mut budget = Budget::default();
    for (col, label) in &cols.budget {
        budget.unit = budget
            .unit
            .take()
            .or_else(|| vocab::money_unit(&fold(label)).map(str::to_string));
        let Some((r, raw)) = first_of(*col) else { continue };
        claims.take(r, *col);
        let amount = value::parse_amount(raw).ok().flatten().map(|a| Number(a.value));
        let heading = vocab::clean_label(label);
        budget.blocks.push(BudgetBlock {
            heading: Some(heading.clone()),
            items: vec![BudgetItem {
                label: heading,
                amount,
                cell: r.at(*col).to_string(),
                note: None,
            }],
        });
    }
    claims.part = Part::Goal;
    let mut goal: Vec<&str> = Vec::new();
    if let Some(col) = cols.goal {
        for r in block {
            if let Some(t) = r.get(col) {
                claims.take(r, col);
                if goal.last() != Some(&t) {
                    goal.push(t);
                }
            }
        }
    }
    claims.part = Part::Indicators;
    let mut warnings = form.warnings.clone();
    let mut table = indicators::Table::default();
    indicators::read(
        header,
        first_level.saturating_sub(1),
        block,
        &mut table,
        &mut claims,
        &mut warnings,
    );
    warnings.extend(grid.notes.iter().cloned());
    let (indicator_columns, indicators) = table.finish();
    let mut rows: Vec<Row> = heading.to_vec();
    rows.push(header.clone());
    rows.extend(block.iter().map(|r| (*r).clone()));
    let title_text = title.clone().unwrap_or_default();
    let subtitle = fields.info.get("subtitle").unwrap_or_default().to_string();
    let year =
        year_of_form(&title_text, &subtitle).or_else(|| YEAR_NAME.captures(file_stem).and_then(|c| c[1].parse().ok()));
    if budget.unit.is_none() {
        budget.unit = fields.money_unit.clone();
    }
    let identity = fields.identity(title.as_deref().unwrap_or_default());
    if identity.department.is_none() {
        warnings.push(super::missing_department());
    }
    claims.why = identity.why;
    let mut record = Record {
        schema_version: SCHEMA_VERSION,
        form: FormKind::Project,
        title,
        year,
        department: identity.department,
        unit: identity.unit,
        project: Some(fields.project),
        info: fields.info,
        budget,
        overall_goal: (!goal.is_empty()).then(|| OverallGoal::Text(goal.join("\n"))),
        key_tasks: Vec::new(),
        other_tasks: None,
        indicator_columns,
        indicators,
        checks: Vec::new(),
        warnings,
        unmapped: unmapped_cells(&rows, &claims),
        source: source_of(grid, &rows),
    };
    record.checks = checks::run(&record);
    (record, claims)
}
