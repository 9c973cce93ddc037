//! The one shape every reader produces: sparse rows of non-empty cells, the
//! merged spans of the source (when it had any) and where it all came from.
//! Knows nothing of file formats' bytes nor of forms.

pub use crate::cell::{column_name, is_blank, CellRef};
use crate::diag::Warning;
use serde::{Serialize, Serializer};
use std::fmt;
use std::path::Path;

/// The input formats declx reads, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Xlsx,
    Xls,
    Ods,
    Html,
    Docx,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "tsv" | "csv" => Some(Format::Text),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            "htm" | "html" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    /// The name in `source.format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

crate::names::string_schema!(Format);

/// A non-empty cell; `text` is trimmed, line breaks normalised to `\n`.
#[derive(Debug, Clone)]
pub struct Cell {
    pub col: u32,
    pub text: String,
    /// A slot for the text folded as a label (`vocab::label` fills it on
    /// first use, `None` when equal to `text`): every stage asks for it.
    pub(crate) label: std::cell::OnceCell<Option<Box<str>>>,
}

impl Cell {
    pub fn new(col: u32, text: String) -> Self {
        Cell {
            col,
            text,
            label: std::cell::OnceCell::new(),
        }
    }
}

/// Cells are equal by position and text; the label slot is a cache.
impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        self.col == other.col && self.text == other.text
    }
}

impl Eq for Cell {}

/// One row of the source, holding only its non-empty cells, sorted by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub index: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn get(&self, col: u32) -> Option<&str> {
        self.cells
            .binary_search_by_key(&col, |c| c.col)
            .ok()
            .map(|i| self.cells[i].text.as_str())
    }

    pub fn first(&self) -> Option<&Cell> {
        self.cells.first()
    }

    pub fn last_col(&self) -> Option<u32> {
        self.cells.last().map(|c| c.col)
    }

    pub fn at(&self, col: u32) -> CellRef {
        CellRef::new(self.index, col)
    }
}

/// A merged region, inclusive on both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub first: CellRef,
    pub last: CellRef,
}

/// Where a grid came from: recorded in each record's `source`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    pub path: String,
    pub format: Format,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub sha256: String,
}

#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub rows: Vec<Row>,
    pub spans: Vec<Span>,
    /// False for text exports: the merge layout was lost and rows may be shifted.
    pub has_layout: bool,
    pub source: Provenance,
    /// Oddities a reader noticed; they become record warnings.
    pub notes: Vec<Warning>,
}

impl Grid {
    pub fn cell_count(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).sum()
    }
}

/// Cell text as declx keeps it: CR/LF folded to `\n`, trimmed at both ends
/// (including full-width and non-breaking spaces).
pub fn clean_text(raw: &str) -> String {
    let t = raw.trim_matches(is_blank);
    if t.contains('\r') {
        t.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        t.to_string()
    }
}

/// Whether text holds a character: its UTF-8 last byte (rarer in CJK text
/// than the lead byte) found with memchr, then the bytes before compared.
pub fn has_char(text: &str, c: char) -> bool {
    let mut buf = [0u8; 4];
    let pat = c.encode_utf8(&mut buf).as_bytes();
    let h = text.as_bytes();
    memchr::memchr_iter(pat[pat.len() - 1], h).any(|i| h[..=i].ends_with(pat))
}

/// Builds a grid row by row; drops empty cells and rows.
#[derive(Default)]
pub struct GridBuilder {
    rows: Vec<Row>,
}

impl GridBuilder {
    pub fn push(&mut self, row: u32, col: u32, raw: &str) {
        let text = clean_text(raw);
        if text.is_empty() {
            return;
        }
        match self.rows.last_mut() {
            Some(r) if r.index == row => r.cells.push(Cell::new(col, text)),
            _ => self.rows.push(Row {
                index: row,
                cells: vec![Cell::new(col, text)],
            }),
        }
    }

    /// Rows sorted by index, cells by column (readers may deliver any order).
    pub fn finish(mut self) -> Vec<Row> {
        if !self.rows.windows(2).all(|w| w[0].index < w[1].index) {
            self.rows.sort_by_key(|r| r.index);
            let mut merged: Vec<Row> = Vec::with_capacity(self.rows.len());
            for r in self.rows {
                match merged.last_mut() {
                    Some(m) if m.index == r.index => m.cells.extend(r.cells),
                    _ => merged.push(r),
                }
            }
            self.rows = merged;
        }
        for r in &mut self.rows {
            if !r.cells.windows(2).all(|w| w[0].col < w[1].col) {
                r.cells.sort_by_key(|c| c.col);
                r.cells.dedup_by_key(|c| c.col);
            }
        }
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(CellRef::new(18, 3).to_string(), "D19");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
    }

    #[test]
    fn builder_sorts_and_drops_blanks() {
        let mut b = GridBuilder::default();
        b.push(2, 1, "b");
        b.push(0, 3, " \u{3000} ");
        b.push(0, 2, "a\r\nb ");
        b.push(2, 0, "a");
        let rows = b.finish();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells[0].text, "a\nb");
        assert_eq!(rows[1].get(0), Some("a"));
        assert_eq!(rows[1].get(1), Some("b"));
    }
}
