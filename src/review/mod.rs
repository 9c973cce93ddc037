//! Review pages: one self-contained HTML file per input showing its
//! reconstructed grid (merged regions drawn), every cell coloured by the
//! part of the record it went to, the warnings linked to their cells and
//! the records as a tree; and an index of a whole run. Pages are rendered by
//! minijinja with HTML auto-escaping (a cell holding `<script>` shows as
//! text); data for the page's script is embedded with `tojson`, which
//! escapes `<`, `>` and `&`. Reads through the same stages as `extract`;
//! knows no output file (the sink in `output/review.rs` writes pages).

mod index;

pub use index::{render_index, IndexRow};

use crate::error::Error;
use crate::form::{self, Claims, Part};
use crate::grid::{CellRef, Grid};
use crate::layout;
use crate::read::{self, Limits};
use crate::record::Record;
use minijinja::{context, AutoEscape, Environment};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::path::Path;
use std::sync::LazyLock;

/// Rows drawn per grid; a larger sheet is cut with a note (a form has hundreds).
const MAX_ROWS_DRAWN: usize = 3000;
/// Columns drawn per grid.
const MAX_COLS_DRAWN: u32 = 200;
/// Grid positions (cells, empty ones included) drawn per page, over all its
/// sheets: past it, rows are cut with a note.
const PAGE_CELLS_DRAWN: usize = 400_000;
/// A sheet whose extent is larger is drawn sparsely: only the rows and
/// columns holding a cell or a merged region's edge.
const DENSE_CELLS: u64 = 20_000;
/// Grid positions looked at to place merged regions, per sheet, in units of
/// the drawn area: past it, the regions left are drawn as plain cells.
const SPAN_WORK: usize = 4;

/// Which rows and columns of a grid are drawn, and its merged regions laid
/// over them: each region either drawn whole or, when it overlaps one drawn
/// before it, left out (HTML cannot draw overlapping regions). Work and
/// memory follow what the sheet holds, never its dense extent.
struct Layout {
    rows: Vec<u32>,
    cols: Vec<u32>,
    dense: bool,
    rows_cut: bool,
    /// (row, col) of a region's first cell → (rowspan, colspan) in drawn rows and columns.
    span_at: FxHashMap<(u32, u32), (u32, u32)>,
    /// Drawn positions inside a region other than its first cell.
    taken: Vec<bool>,
    spans_dropped: usize,
}

impl Layout {
    fn new(g: &Grid, text_at: &FxHashMap<(u32, u32), &str>, row_end: u32, col_end: u32, budget: &mut usize) -> Self {
        let dense = row_end as u64 * col_end as u64 <= DENSE_CELLS;
        let (mut keep_rows, mut keep_cols): (Vec<bool>, Vec<bool>) = if dense {
            (vec![true; row_end as usize], vec![true; col_end as usize])
        } else {
            let mut kr = vec![false; row_end as usize];
            let mut kc = vec![false; col_end as usize];
            let mut mark = |r: u32, c: u32| {
                if r < row_end && c < col_end {
                    kr[r as usize] = true;
                    kc[c as usize] = true;
                }
            };
            for &(r, c) in text_at.keys() {
                mark(r, c);
            }
            for s in &g.spans {
                mark(s.first.row, s.first.col);
                mark(
                    s.last.row.min(row_end.saturating_sub(1)),
                    s.last.col.min(col_end.saturating_sub(1)),
                );
            }
            (kr, kc)
        };
        keep_rows.resize(row_end as usize, false);
        keep_cols.resize(col_end as usize, false);
        let cols: Vec<u32> = (0..col_end).filter(|&c| keep_cols[c as usize]).collect();
        let mut rows: Vec<u32> = (0..row_end).filter(|&r| keep_rows[r as usize]).collect();
        let width = cols.len().max(1);
        let rows_cut = rows.len() * width > *budget;
        if rows_cut {
            rows.truncate(*budget / width);
        }
        *budget = budget.saturating_sub(rows.len() * width);
        // Drawn index of each grid row / column, and how many are drawn before it.
        let index = |kept: &[u32], end: u32| {
            let mut at = vec![u32::MAX; end as usize];
            for (i, &x) in kept.iter().enumerate() {
                at[x as usize] = i as u32;
            }
            at
        };
        let (row_at, col_at) = (index(&rows, row_end), index(&cols, col_end));
        let last_kept = |at: &[u32], from: u32, to: u32| -> Option<u32> {
            (from..=to.min(at.len() as u32 - 1))
                .rev()
                .map(|x| at[x as usize])
                .find(|&i| i != u32::MAX)
        };
        let mut layout = Layout {
            taken: vec![false; rows.len() * cols.len()],
            rows,
            cols,
            dense,
            rows_cut,
            span_at: FxHashMap::default(),
            spans_dropped: 0,
        };
        let n_cols = layout.cols.len();
        let mut work = SPAN_WORK * layout.taken.len().max(1);
        let mut occupied = vec![false; layout.taken.len()];
        for s in &g.spans {
            let (r0, c0) = (s.first.row, s.first.col);
            if r0 >= row_end || c0 >= col_end {
                continue;
            }
            let (kr0, kc0) = (row_at[r0 as usize], col_at[c0 as usize]);
            if kr0 == u32::MAX || kc0 == u32::MAX {
                continue;
            }
            let (Some(kr1), Some(kc1)) = (last_kept(&row_at, r0, s.last.row), last_kept(&col_at, c0, s.last.col))
            else {
                continue;
            };
            let cells = || (kr0..=kr1).flat_map(|r| (kc0..=kc1).map(move |c| r as usize * n_cols + c as usize));
            let area = (kr1 - kr0 + 1) as usize * (kc1 - kc0 + 1) as usize;
            let anchor = kr0 as usize * n_cols + kc0 as usize;
            // Every position looked at is paid for, placed or not.
            if occupied[anchor] || area > work || {
                work -= area;
                cells().any(|i| occupied[i])
            } {
                layout.spans_dropped += 1;
                continue;
            }
            for i in cells() {
                occupied[i] = true;
                layout.taken[i] = i != anchor;
            }
            if area > 1 {
                layout.span_at.insert((r0, c0), (kr1 - kr0 + 1, kc1 - kc0 + 1));
            }
        }
        layout
    }

    fn covered(&self, kr: usize, kc: usize) -> bool {
        self.taken[kr * self.cols.len() + kc]
    }
}

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // Every template is HTML: every value is escaped unless marked safe.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("page.html", include_str!("page.html"))
        .expect("page template");
    env.add_template("index.html", include_str!("index.html"))
        .expect("index template");
    env
});

pub(crate) fn templates() -> &'static Environment<'static> {
    &TEMPLATES
}

/// One drawn cell of a grid.
#[derive(Debug, Serialize)]
struct CellView {
    addr: String,
    text: String,
    /// CSS class: the part of the record, `unmapped`, `filled` or `empty`.
    class: &'static str,
    /// Where it went, for the info panel.
    part: &'static str,
    path: Option<String>,
    rowspan: u32,
    colspan: u32,
}

#[derive(Debug, Serialize)]
struct RowView {
    number: u32,
    realigned: bool,
    cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
struct WarningView {
    id: String,
    code: String,
    cell: Option<String>,
    detail: String,
}

#[derive(Debug, Serialize)]
struct GridView {
    id: usize,
    name: String,
    format: String,
    encoding: Option<String>,
    columns: Vec<String>,
    rows: Vec<RowView>,
    /// Non-empty cells drawn and merged regions, for the page's self-check.
    cells: usize,
    spans: usize,
    cut: Option<String>,
    warnings: Vec<WarningView>,
    /// The records' findings (failed checks of the review rules), linked like warnings.
    findings: Vec<WarningView>,
    /// The records as JSON text, in the record's field order (given to the
    /// page as a string: a `Value` with exact numbers would not survive the
    /// template engine's serializer).
    records: String,
    note: Option<String>,
}

/// A file's review page and the figures of its index row.
#[derive(Debug, Clone)]
pub struct ReviewPage {
    pub html: String,
    /// Non-empty cells, and those a field took.
    pub cells: usize,
    pub mapped: usize,
    pub unmapped: usize,
    /// Failed checks of the records (review findings).
    pub findings: usize,
}

/// Every cell address a record names, with its JSON path (`indicators[0]…`).
fn cell_paths(v: &serde_json::Value, path: &str, out: &mut FxHashMap<String, String>) {
    match v {
        serde_json::Value::Object(o) => {
            if let Some(serde_json::Value::String(c)) = o.get("cell") {
                out.entry(c.clone()).or_insert_with(|| path.to_string());
            }
            for (k, x) in o {
                if k != "checks" && k != "warnings" {
                    cell_paths(x, &format!("{path}.{k}"), out);
                }
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                cell_paths(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn part_class(p: Part) -> &'static str {
    match p {
        Part::Title => "title",
        Part::Field => "field",
        Part::Budget => "budget",
        Part::Goal => "goal",
        Part::KeyTasks => "task",
        Part::OtherTasks => "task",
        Part::Indicators => "indicator",
        Part::Info => "info",
    }
}

/// One grid drawn with its forms' claims.
type Drawn = (GridView, usize, usize, usize);

fn grid_view(id: usize, g: &Grid, path: &Path, stem: &str, budget: &mut usize) -> Result<Drawn, Error> {
    let result = form::explain(g, stem);
    // A sheet with no form is drawn too: what was read, and why no form.
    let note = result.as_ref().err().map(|e| e.to_string());
    let explained: Vec<(Record, Claims)> = result.unwrap_or_default();
    let records: Vec<serde_json::Value> = explained
        .iter()
        .map(|(r, _)| serde_json::to_value(r).expect("records serialise"))
        .collect();
    let records_json =
        serde_json::to_string(&explained.iter().map(|(r, _)| r).collect::<Vec<_>>()).expect("records serialise");
    let mut paths = FxHashMap::default();
    for (i, r) in records.iter().enumerate() {
        cell_paths(r, &format!("records[{i}]"), &mut paths);
    }
    let unmapped: FxHashSet<String> = explained
        .iter()
        .flat_map(|(r, _)| r.unmapped.iter().map(|u| u.cell.clone()))
        .collect();
    let forms = layout::split_forms(g);
    let mut warnings: Vec<WarningView> = Vec::new();
    let mut realigned: FxHashSet<u32> = FxHashSet::default();
    for w in forms
        .iter()
        .flat_map(|f| &f.warnings)
        .chain(explained.iter().flat_map(|(r, _)| &r.warnings))
    {
        if w.code == crate::diag::WarningCode::RowRealigned {
            if let Some(c) = w.cell {
                realigned.insert(c.row);
            }
        }
    }
    for (r, _) in &explained {
        for w in &r.warnings {
            warnings.push(WarningView {
                id: format!("warn-{id}-{}", warnings.len()),
                code: w.code.to_string(),
                cell: w.cell.map(|c| c.to_string()),
                detail: w.detail.clone(),
            });
        }
    }
    let findings: Vec<WarningView> = explained
        .iter()
        .flat_map(|(r, _)| r.checks.iter().filter(|c| !c.ok))
        .enumerate()
        .map(|(n, c)| WarningView {
            id: format!("find-{id}-{n}"),
            code: c.code.clone(),
            cell: c.cells.first().cloned(),
            detail: c.detail.clone(),
        })
        .collect();
    let mut rows: Vec<&crate::grid::Row> = forms.iter().flat_map(|f| &f.rows).collect();
    rows.sort_by_key(|r| r.index);
    let text_at: FxHashMap<(u32, u32), &str> = rows
        .iter()
        .flat_map(|r| r.cells.iter().map(move |c| ((r.index, c.col), c.text.as_str())))
        .collect();
    let last_row = rows
        .last()
        .map_or(0, |r| r.index)
        .max(g.spans.iter().map(|s| s.last.row).max().unwrap_or(0));
    let last_col = rows
        .iter()
        .filter_map(|r| r.last_col())
        .max()
        .unwrap_or(0)
        .max(g.spans.iter().map(|s| s.last.col).max().unwrap_or(0))
        .min(MAX_COLS_DRAWN - 1);
    let row_count = (last_row + 1) as usize;
    let layout = Layout::new(g, &text_at, row_count.min(MAX_ROWS_DRAWN) as u32, last_col + 1, budget);
    let mut notes: Vec<String> = Vec::new();
    if row_count > MAX_ROWS_DRAWN {
        notes.push(format!(
            "rows after {MAX_ROWS_DRAWN} are not drawn ({row_count} in all)"
        ));
    }
    if !layout.dense {
        notes.push("rows and columns holding nothing are not drawn (see the row numbers and column letters)".into());
    }
    if layout.rows_cut {
        notes.push(format!(
            "the page draws at most {PAGE_CELLS_DRAWN} cells: rows after {} of this sheet are not drawn",
            layout.rows.last().map_or(0, |r| r + 1)
        ));
    }
    if layout.spans_dropped > 0 {
        notes.push(format!(
            "{} merged region(s) overlapping another are drawn as plain cells",
            layout.spans_dropped
        ));
    }
    let (mut cells, mut mapped, mut unmapped_n) = (0, 0, 0);
    let mut out_rows = Vec::new();
    for (kr, &r) in layout.rows.iter().enumerate() {
        let mut row = RowView {
            number: r + 1,
            realigned: realigned.contains(&r),
            cells: Vec::new(),
        };
        for (kc, &c) in layout.cols.iter().enumerate() {
            crate::read::budget::check().map_err(|k| Error::new(path, k))?;
            if layout.covered(kr, kc) {
                continue;
            }
            let at = CellRef::new(r, c);
            let addr = at.to_string();
            let (rowspan, colspan) = layout.span_at.get(&(r, c)).copied().unwrap_or((1, 1));
            let text = text_at.get(&(r, c)).copied().unwrap_or("");
            let part = explained.iter().find_map(|(_, cl)| cl.part_of(at));
            let path = paths.get(&addr).cloned();
            let (class, part_name) = if text.is_empty() {
                ("empty", "")
            } else if let Some(p) = part {
                let class = match p {
                    Part::Indicators if path.is_some() => "indicator-name",
                    Part::Indicators => "indicator",
                    other => part_class(other),
                };
                (class, p.as_str())
            } else if unmapped.contains(&addr) {
                ("unmapped", "unmapped")
            } else {
                ("filled", "filled merge (repeats a neighbour)")
            };
            if !text.is_empty() {
                cells += 1;
                match class {
                    "unmapped" => unmapped_n += 1,
                    _ => mapped += 1,
                }
            }
            row.cells.push(CellView {
                addr,
                text: text.to_string(),
                class,
                part: part_name,
                path,
                rowspan,
                colspan,
            });
        }
        out_rows.push(row);
    }
    let spans = out_rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| c.rowspan > 1 || c.colspan > 1)
        .count();
    let view = GridView {
        id,
        name: g.source.sheet.clone().unwrap_or_else(|| "(text)".into()),
        format: g.source.format.to_string(),
        encoding: g.source.encoding.clone(),
        columns: layout.cols.iter().map(|&c| crate::grid::column_name(c)).collect(),
        rows: out_rows,
        cells,
        spans,
        cut: (!notes.is_empty()).then(|| notes.join("; ")),
        warnings,
        findings,
        records: records_json,
        note,
    };
    Ok((view, cells, mapped, unmapped_n))
}

/// The review page of one file (every sheet, or only `sheet`).
pub fn page(path: &Path, sheet: Option<&str>, limits: &Limits) -> Result<ReviewPage, Error> {
    page_of(path, &read::read_file(path, limits)?, sheet)
}

/// The review page of grids already read from `path`.
pub(crate) fn page_of(path: &Path, grids: &[Grid], sheet: Option<&str>) -> Result<ReviewPage, Error> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let mut views = Vec::new();
    let (mut cells, mut mapped, mut unmapped) = (0, 0, 0);
    let mut budget = PAGE_CELLS_DRAWN;
    for (i, g) in grids.iter().enumerate() {
        if sheet.is_some() && g.source.sheet.as_deref() != sheet {
            continue;
        }
        let (v, c, m, u) = grid_view(i, g, path, stem, &mut budget)?;
        cells += c;
        mapped += m;
        unmapped += u;
        views.push(v);
    }
    let findings = views.iter().map(|v| v.findings.len()).sum();
    let file = crate::pathtext::path_text(path);
    let html = templates()
        .get_template("page.html")
        .and_then(|t| {
            t.render(context! {
                file => file,
                version => env!("CARGO_PKG_VERSION"),
                grids => minijinja::Value::from(minijinja::value::Serde(&views)),
                cells => cells,
                mapped => mapped,
                unmapped => unmapped,
            })
        })
        .map_err(|e| Error::new(path, crate::error::ErrorKind::Internal(format!("review page: {e}"))))?;
    Ok(ReviewPage {
        html,
        cells,
        mapped,
        unmapped,
        findings,
    })
}
