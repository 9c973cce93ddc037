//! The one cell sink every reader fills: drops blank cells, applies the
//! cell-count and cell-length limits, and turns the result into a `Grid`.

use super::Limits;
use crate::diag::{Warning, WarningCode};
use crate::error::ErrorKind;
use crate::grid::{CellRef, Format, Grid, GridBuilder, Provenance, Row, Span};

/// Non-empty cells of one sheet (or text file) under the limits.
pub(super) struct CellSink<'l> {
    builder: GridBuilder,
    cells: usize,
    limits: &'l Limits,
    /// Non-empty rows met, and the last one's index.
    rows: u32,
    last_row: Option<u32>,
    /// Rows past `max_rows` non-empty ones were dropped.
    rows_cut: bool,
    /// Oddities met while reading: they become record warnings.
    pub notes: Vec<Warning>,
}

impl<'l> CellSink<'l> {
    pub fn new(limits: &'l Limits) -> Self {
        CellSink {
            builder: GridBuilder::default(),
            cells: 0,
            limits,
            rows: 0,
            last_row: None,
            rows_cut: false,
            notes: Vec::new(),
        }
    }

    /// Whether the row limit was reached: later rows are dropped.
    pub fn full(&self) -> bool {
        self.rows_cut
    }

    /// The text blocks just above a table (a page's heading, a document's
    /// title paragraph, 单位：万元) as its first rows: the last few of
    /// `above`, each short (page chrome is longer or further up). Returns
    /// the row the table starts on.
    pub fn push_leading(&mut self, above: &[String]) -> Result<u32, ErrorKind> {
        const BLOCKS: usize = 3;
        const CHARS: usize = 120;
        let n = above
            .iter()
            .rev()
            .take_while(|b| b.chars().count() <= CHARS)
            .take(BLOCKS)
            .count();
        let mut row = 0;
        for block in &above[above.len() - n..] {
            self.push(row, 0, block)?;
            row += 1;
        }
        Ok(row)
    }

    /// Adds a cell; text longer than the limit is cut with a warning.
    pub fn push(&mut self, row: u32, col: u32, text: &str) -> Result<(), ErrorKind> {
        // Every reader passes each cell here: the file's time budget.
        super::budget::check()?;
        if text.trim().is_empty() {
            return Ok(());
        }
        if self.last_row != Some(row) && !self.rows_cut {
            self.last_row = Some(row);
            self.rows += 1;
            if self.rows > self.limits.max_rows {
                self.rows_cut = true;
                self.notes.push(Warning::new(
                    WarningCode::RowsTruncated,
                    Some(CellRef::new(row, col)),
                    format!(
                        "rows from {} on dropped: above {} rows (--max-rows)",
                        row + 1,
                        self.limits.max_rows
                    ),
                ));
            }
        }
        if self.rows_cut {
            return Ok(());
        }
        self.cells += 1;
        if self.cells > self.limits.max_cells {
            let max = self.limits.max_cells as u64;
            return Err(ErrorKind::limit("non-empty cells", max + 1, max, Some("--max-cells")));
        }
        let max = self.limits.max_cell_bytes;
        if text.len() > max {
            let mut cut = max;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            self.notes.push(Warning::new(
                WarningCode::CellTruncated,
                Some(CellRef::new(row, col)),
                format!("cell text cut at {max} bytes (--max-cell-kb)"),
            ));
            self.builder.push(row, col, &text[..cut]);
        } else {
            self.builder.push(row, col, text);
        }
        Ok(())
    }

    /// The grid of a source with merged regions (a workbook sheet).
    pub fn finish_sheet(self, mut spans: Vec<Span>, format: Format, sheet: &str) -> Result<Grid, ErrorKind> {
        if spans.len() > self.limits.max_spans {
            let (found, max) = (spans.len() as u64, self.limits.max_spans as u64);
            return Err(ErrorKind::limit("merged regions", found, max, Some("--max-spans")));
        }
        spans.sort();
        spans.retain(|s| s.first != s.last);
        Ok(Grid {
            rows: self.builder.finish(),
            spans,
            has_layout: true,
            source: Provenance {
                format,
                sheet: Some(sheet.to_string()),
                ..Provenance::default()
            },
            notes: self.notes,
        })
    }

    /// The rows read and the warnings met, for a reader that looks at the
    /// rows before it makes its grid (text exports).
    pub fn into_parts(self) -> (Vec<Row>, Vec<Warning>) {
        (self.builder.finish(), self.notes)
    }
}

/// The grid of a text export: no merged regions, rows may be shifted.
pub(super) fn text_grid(rows: Vec<Row>, encoding: &str, notes: Vec<Warning>) -> Grid {
    Grid {
        rows,
        spans: Vec::new(),
        has_layout: false,
        source: Provenance {
            format: Format::Text,
            encoding: Some(encoding.to_string()),
            ..Provenance::default()
        },
        notes,
    }
}
