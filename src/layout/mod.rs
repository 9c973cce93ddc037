//! Layout: split a grid into forms at their title rows, and put back the
//! empty leading cells that text exporters drop from some rows. Knows the
//! shape of forms (titles, sections), not what their fields mean.

mod realign;

use crate::diag::Warning;
use crate::grid::{Grid, Row};
use crate::vocab;
use realign::realign;

/// One form's rows, title row first when the form has one.
#[derive(Debug, Clone)]
pub struct FormRows {
    pub rows: Vec<Row>,
    pub has_title: bool,
    pub warnings: Vec<Warning>,
}

/// The distinct texts of a row: a filled merge repeats one text.
fn distinct_texts(row: &Row) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for c in &row.cells {
        if !seen.contains(&c.text.as_str()) {
            seen.push(&c.text);
        }
    }
    seen
}

/// A title row holds one text (perhaps repeated by a filled merge) that
/// reads as a form title and is not a section label.
pub fn title_text(row: &Row) -> Option<&str> {
    // Every title says 绩效 or ends in 表; most rows are rejected without folding.
    let first = row.first()?;
    if !vocab::TITLE_CHARS
        .iter()
        .any(|c| crate::grid::has_char(&first.text, *c))
    {
        return None;
    }
    let f = vocab::label(first);
    if !(vocab::is_title(f) && vocab::section(f).is_none() && vocab::field(f).is_none()) {
        return None;
    }
    // Beside the title only short notes (单位：万元, a date), at most two.
    let others: Vec<&str> = distinct_texts(row).into_iter().filter(|t| *t != first.text).collect();
    (others.len() <= 2 && others.iter().all(|t| t.chars().count() <= 24)).then_some(first.text.as_str())
}

/// The grid's rows without the copies some writers (legacy XLS among them)
/// store in the covered cells of a merged region: the region is one cell.
fn without_covered_copies(grid: &Grid) -> Vec<Row> {
    let mut rows = grid.rows.clone();
    if grid.spans.is_empty() {
        return rows;
    }
    let text_at = |rows: &[Row], r: u32, c: u32| -> Option<String> {
        let i = rows.binary_search_by_key(&r, |row| row.index).ok()?;
        rows[i].get(c).map(str::to_string)
    };
    for span in &grid.spans {
        let Some(top) = text_at(&rows, span.first.row, span.first.col) else {
            continue;
        };
        let from = rows.partition_point(|row| row.index < span.first.row);
        for row in rows[from..].iter_mut().take_while(|row| row.index <= span.last.row) {
            row.cells.retain(|c| {
                let inside = c.col >= span.first.col && c.col <= span.last.col;
                let top_left = row.index == span.first.row && c.col == span.first.col;
                !(inside && !top_left && c.text == top)
            });
        }
    }
    rows.retain(|r| !r.cells.is_empty());
    rows
}

/// Splits a grid into forms. Rows before the first title belong to the first
/// form; with no title at all the whole grid is one candidate form.
pub fn split_forms(grid: &Grid) -> Vec<FormRows> {
    let rows = without_covered_copies(grid);
    let starts: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| title_text(r).is_some())
        .map(|(i, _)| i)
        .collect();
    let mut forms = Vec::new();
    if starts.is_empty() {
        forms.push(FormRows {
            rows,
            has_title: false,
            warnings: Vec::new(),
        });
    } else {
        // From the last form up, so each form's rows move out without a copy.
        let mut rows = rows;
        for (n, &s) in starts.iter().enumerate().rev() {
            let from = if n == 0 { 0 } else { s };
            let mut form_rows = rows.split_off(from);
            // Stray rows above the first title stay in the form, after its title.
            if n == 0 && s > 0 {
                let title = form_rows.remove(s);
                form_rows.insert(0, title);
            }
            forms.push(FormRows {
                rows: form_rows,
                has_title: true,
                warnings: Vec::new(),
            });
        }
        forms.reverse();
    }
    // A sheet, page or document with merged regions is its author's exact
    // grid: no row there lost cells. Text exports lose them; so may export
    // rows pasted into a sheet without merges, read strictly.
    let exact = grid.has_layout && !grid.spans.is_empty();
    if !exact {
        for f in &mut forms {
            realign(f, grid.has_layout);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{CellRef, GridBuilder};

    fn grid(lines: &[&str]) -> Grid {
        let mut b = GridBuilder::default();
        for (r, l) in lines.iter().enumerate() {
            for (c, t) in l.split('\t').enumerate() {
                b.push(r as u32, c as u32, t);
            }
        }
        Grid {
            rows: b.finish(),
            ..Grid::default()
        }
    }

    #[test]
    fn shifted_indicator_and_category_rows_move_back() {
        let g = grid(&[
            "部门整体预算绩效目标申报表",
            "绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值",
            "\t产出指标\t数量指标\t甲\t1次\t1次",
            "乙（人）\t12人\t12人",
            "\t\t丙\t良好以上\t良好以上",
            "\t效益指标\t社会效益指标\t丁\t1\t1",
            "\t生态效益指标",
            "\t成本指标",
        ]);
        let forms = split_forms(&g);
        assert_eq!(forms.len(), 1);
        let rows = &forms[0].rows;
        assert_eq!(rows[3].get(3), Some("乙（人）"));
        assert_eq!(rows[3].get(5), Some("12人"));
        assert_eq!(rows[4].get(3), Some("丙"));
        assert_eq!(rows[6].get(2), Some("生态效益指标"));
        assert_eq!(rows[7].get(1), Some("成本指标"));
        assert_eq!(forms[0].warnings.len(), 3);
        assert_eq!(forms[0].warnings[0].cell, Some(CellRef::new(3, 0)));
    }

    #[test]
    fn copies_in_covered_cells_are_one_merged_cell() {
        let mut g = grid(&[
            "部门整体支出绩效目标申报表\t部门整体支出绩效目标申报表",
            "绩效指标\t甲",
            "绩效指标\t乙",
            "丙\t丁",
        ]);
        g.has_layout = true;
        g.spans = vec![
            crate::grid::Span {
                first: CellRef::new(0, 0),
                last: CellRef::new(0, 1),
            },
            crate::grid::Span {
                first: CellRef::new(1, 0),
                last: CellRef::new(3, 0),
            },
        ];
        let forms = split_forms(&g);
        let rows = &forms[0].rows;
        assert_eq!(rows[0].cells.len(), 1);
        assert_eq!(rows[2].get(0), None);
        assert_eq!(rows[2].get(1), Some("乙"));
        // A different text inside a region is kept: it is not a copy.
        assert_eq!(rows[3].get(0), Some("丙"));
    }

    #[test]
    fn splits_stacked_forms() {
        let g = grid(&[
            "说明",
            "部门整体支出绩效目标申报表",
            "部门名称\t甲",
            "部门整体支出绩效目标申报表",
            "部门名称\t乙",
        ]);
        let forms = split_forms(&g);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].rows.len(), 3);
        assert_eq!(forms[0].rows[0].cells[0].text, "部门整体支出绩效目标申报表");
        assert_eq!(forms[1].rows[1].get(1), Some("乙"));
    }
}
