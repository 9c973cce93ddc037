//! `declx labels`: what the form stage did not understand in a file — texts
//! that went to `info` under a label no table knows, indicator columns no
//! key names, and unmapped cells that look like labels — each with the part
//! of the form it sat in and its cell; then the same texts gathered over
//! many files and ranked by how many files hold them. Reads through the
//! same stages as `extract`; knows no file format and no label (the
//! vocabulary's lookups say what is known).

mod render;
mod suggest;

pub use render::{render_json, render_text, render_vocab};
pub use suggest::Suggestion;

use crate::error::Error;
use crate::form::{self, Claims, Part};
use crate::grid::{CellRef, Grid};
use crate::read::{self, Limits};
use crate::record::Record;
use crate::value::{self, ColumnKey};
use crate::vocab::{self, fold};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::path::Path;

/// Where in a form a text sat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Above the first section: title, header fields.
    Header,
    Budget,
    Goal,
    KeyTasks,
    OtherTasks,
    /// A column header of the indicator table.
    IndicatorHeader,
    Indicators,
    Info,
    /// The first column of a row the section above took the rest of: a
    /// section label no table knows, most likely.
    SectionLabel,
    /// Below everything the form stage took.
    Footer,
    /// A sheet in which no form was recognised.
    NoForm,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Header => "header",
            Place::Budget => "budget",
            Place::Goal => "goal",
            Place::KeyTasks => "key_tasks",
            Place::OtherTasks => "other_tasks",
            Place::IndicatorHeader => "indicator_header",
            Place::Indicators => "indicators",
            Place::Info => "info",
            Place::SectionLabel => "section_label",
            Place::Footer => "footer",
            Place::NoForm => "no_form",
        }
    }

    fn of(part: Part) -> Place {
        match part {
            Part::Title | Part::Field => Place::Header,
            Part::Budget => Place::Budget,
            Part::Goal => Place::Goal,
            Part::KeyTasks => Place::KeyTasks,
            Part::OtherTasks => Place::OtherTasks,
            Part::Indicators => Place::Indicators,
            Part::Info => Place::Info,
        }
    }
}

/// One text of one file that declx did not understand.
#[derive(Debug, Clone)]
pub struct Unknown {
    /// The cell's text as written.
    pub text: String,
    pub folded: String,
    pub place: Place,
    pub sheet: Option<String>,
    pub cell: Option<CellRef>,
}

/// Longest label worth listing, in characters (folded).
const MAX_LABEL_CHARS: usize = 20;

/// Whether a folded text looks like a label: short, one line, not a number
/// or a target (≥75%), not a placeholder, and not something the vocabulary already knows.
fn looks_like_label(text: &str, folded: &str) -> bool {
    looks_like_any_label(text, folded) && !is_known(folded)
}

/// Like `looks_like_label`, known labels included: a label the vocabulary
/// knows that still ended in `unmapped` is worth listing. Its length is
/// counted without a bracketed unit or prompt (长期目标（跨度多年的项目需填）：).
fn looks_like_any_label(text: &str, folded: &str) -> bool {
    let n = vocab::split_paren(folded).0.chars().count();
    (2..=MAX_LABEL_CHARS).contains(&n)
        && folded.chars().count() <= 2 * MAX_LABEL_CHARS
        && !text.contains('\n')
        && !value::looks_numeric(text)
        && value::parse_target(text).value.is_none()
        && !vocab::is_placeholder(text)
        && folded.chars().any(|c| !c.is_ascii_digit() && !c.is_ascii_punctuation())
}

/// Whether any table gives the label a role.
pub fn is_known(folded: &str) -> bool {
    vocab::field(folded).is_some()
        || vocab::section(folded).is_some()
        || vocab::column_key(folded).is_some()
        || vocab::level_header(folded).is_some()
        || vocab::is_level1(folded)
        || vocab::is_level2(folded)
        || vocab::task_field(folded).is_some()
        || vocab::goal_part(folded).is_some()
        || vocab::is_total_label(folded)
        || vocab::is_budget_column(folded)
        || vocab::is_plain_value_header(folded)
        || vocab::is_tick_group(folded)
        || vocab::is_title(folded)
}

/// What the form stage did not understand in one file.
pub fn survey_file(path: &Path, limits: &Limits) -> Result<Vec<Unknown>, Error> {
    let grids = read::read_file(path, limits)?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let surveyed: Vec<_> = grids.iter().map(|g| survey_grid(g, stem)).collect();
    // Sheets without a form beside sheets with one are notes and lists,
    // not a template declx missed.
    let any_form = surveyed.iter().any(|u| u.iter().all(|u| u.place != Place::NoForm));
    Ok(surveyed
        .into_iter()
        .filter(|u| !any_form || u.iter().all(|u| u.place != Place::NoForm))
        .flatten()
        .collect())
}

/// What the form stage did not understand in one grid.
pub fn survey_grid(grid: &Grid, stem: &str) -> Vec<Unknown> {
    let sheet = grid.source.sheet.clone();
    let unknown = |text: &str, folded: String, place, cell| Unknown {
        text: text.to_string(),
        folded,
        place,
        sheet: sheet.clone(),
        cell,
    };
    let Ok(forms) = form::explain(grid, stem) else {
        // No form recognised: every label-like cell is a candidate.
        return grid
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(move |c| (r, c)))
            .filter_map(|(r, c)| {
                let f = fold(&c.text).into_owned();
                looks_like_label(&c.text, &f).then(|| unknown(&c.text, f, Place::NoForm, Some(r.at(c.col))))
            })
            .collect();
    };
    let mut out = Vec::new();
    let mut seen: FxHashSet<(u32, u32)> = FxHashSet::default();
    for (record, claims) in &forms {
        let unmapped: FxHashSet<&str> = record.unmapped.iter().map(|u| u.cell.as_str()).collect();
        let claimed_rows = claimed_rows(grid, claims);
        let grid_first_col = grid.rows.iter().filter_map(|r| r.first().map(|c| c.col)).min();
        for row in &grid.rows {
            for c in &row.cells {
                let at = row.at(c.col);
                if !unmapped.contains(at.to_string().as_str()) || !seen.insert((row.index, c.col)) {
                    continue;
                }
                let f = fold(&c.text).into_owned();
                if looks_like_any_label(&c.text, &f) {
                    let place = match place_of(&claimed_rows, row.index) {
                        Place::Budget | Place::Goal | Place::KeyTasks | Place::OtherTasks | Place::Indicators
                            if Some(c.col) == grid_first_col =>
                        {
                            Place::SectionLabel
                        }
                        p => p,
                    };
                    out.push(unknown(&c.text, f, place, Some(at)));
                }
            }
        }
        for key in unknown_info_keys(record) {
            let cell = find_label_cell(grid, key);
            if cell.is_some_and(|at| !seen.insert((at.row, at.col))) {
                continue;
            }
            let place = cell.map_or(Place::Header, |at| claims.part_of(at).map_or(Place::Header, Place::of));
            out.push(unknown(key, fold(key).into_owned(), place, cell));
        }
        for col in &record.indicator_columns {
            if let ColumnKey::Other(h) = &col.key {
                let f = fold(h).into_owned();
                if f.chars().count() <= MAX_LABEL_CHARS && !is_known(&f) {
                    let cell = find_label_cell(grid, &col.header);
                    if cell.is_some_and(|at| !seen.insert((at.row, at.col))) {
                        continue;
                    }
                    out.push(unknown(&col.header, f, Place::IndicatorHeader, cell));
                }
            }
        }
    }
    out
}

/// `info` keys that are labels no table knows (not the subtitle, not a
/// row of options kept as written).
fn unknown_info_keys(record: &Record) -> impl Iterator<Item = &str> {
    record.info.0.iter().map(|(k, _)| k.as_str()).filter(|k| {
        let f = fold(k);
        *k != "subtitle"
            && !k.ends_with(vocab::OPTIONS_SUFFIX)
            && vocab::split_paren(&f).0.chars().count() <= MAX_LABEL_CHARS
            && !is_known(&f)
    })
}

/// The first cell whose label is `label` (its text, or `label：…`).
fn find_label_cell(grid: &Grid, label: &str) -> Option<CellRef> {
    let want = fold(label);
    grid.rows.iter().find_map(|r| {
        r.cells.iter().find_map(|c| {
            let f = fold(&c.text);
            let hit = f == want
                || vocab::clean_label(&c.text) == label
                || f.strip_prefix(want.as_ref()).is_some_and(|rest| rest.starts_with(':'));
            hit.then(|| r.at(c.col))
        })
    })
}

/// Each row holding a claimed cell, with the part most of its cells went to.
fn claimed_rows(grid: &Grid, claims: &Claims) -> Vec<(u32, Part)> {
    let mut out = Vec::new();
    for row in &grid.rows {
        let mut count: FxHashMap<Part, usize> = FxHashMap::default();
        for c in &row.cells {
            if let Some(p) = claims.part_of(row.at(c.col)) {
                *count.entry(p).or_default() += 1;
            }
        }
        if let Some((p, _)) = count.into_iter().max_by_key(|(p, n)| (*n, *p as u8)) {
            out.push((row.index, p));
        }
    }
    out
}

/// The part of the form a row sits in: its own cells' part, else the part
/// of the nearest claimed row above; above everything it is the header,
/// below everything the footer.
fn place_of(claimed: &[(u32, Part)], row: u32) -> Place {
    if let Some((_, p)) = claimed.iter().find(|(r, _)| *r == row) {
        return Place::of(*p);
    }
    if claimed.last().is_some_and(|(r, _)| *r < row) {
        return Place::Footer;
    }
    match claimed.iter().rev().find(|(r, _)| *r < row) {
        Some((_, p)) => Place::of(*p),
        None => Place::Header,
    }
}

/// One text gathered over many files.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// The folded text: what a vocabulary file names.
    pub label: String,
    /// Files holding it.
    pub files: usize,
    /// Cells holding it, over all files.
    pub cells: usize,
    /// Where it sat most often.
    pub place: Place,
    /// The first file (in input order) and cell holding it.
    pub example: Example,
    pub suggestion: Option<Suggestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub text: String,
}

/// Texts over many files, gathered by folded text.
#[derive(Debug, Default)]
pub struct Survey {
    by_label: FxHashMap<String, (Label, FxHashMap<Place, usize>)>,
    /// Files read, and files that could not be read.
    pub files: usize,
    pub failed: usize,
}

impl Survey {
    /// Adds one file's texts; call in input order (the first file is the example).
    pub fn add(&mut self, file: &str, unknowns: Vec<Unknown>) {
        self.files += 1;
        let mut in_file: FxHashSet<String> = FxHashSet::default();
        for u in unknowns {
            let first_here = in_file.insert(u.folded.clone());
            let (label, places) = self.by_label.entry(u.folded.clone()).or_insert_with(|| {
                (
                    Label {
                        label: u.folded.clone(),
                        files: 0,
                        cells: 0,
                        place: u.place,
                        example: Example {
                            file: file.to_string(),
                            sheet: u.sheet.clone(),
                            cell: u.cell.map(|c| c.to_string()),
                            text: u.text.clone(),
                        },
                        suggestion: None,
                    },
                    FxHashMap::default(),
                )
            });
            label.cells += 1;
            if first_here {
                label.files += 1;
            }
            *places.entry(u.place).or_default() += 1;
        }
    }

    /// The labels ranked by files (then cells, then text), at most `top`.
    pub fn ranked(self, top: Option<usize>) -> Vec<Label> {
        let mut all: Vec<Label> = self
            .by_label
            .into_values()
            .map(|(mut l, places)| {
                if let Some((p, _)) = places.into_iter().max_by_key(|(p, n)| (*n, std::cmp::Reverse(*p))) {
                    l.place = p;
                }
                l
            })
            .collect();
        all.sort_by(|a, b| {
            b.files
                .cmp(&a.files)
                .then(b.cells.cmp(&a.cells))
                .then_with(|| a.label.cmp(&b.label))
        });
        all.truncate(top.unwrap_or(usize::MAX));
        for l in &mut all {
            l.suggestion = suggest::suggest(&l.label, l.place);
        }
        all
    }
}
