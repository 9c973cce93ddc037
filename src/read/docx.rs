//! Word documents (`.docx`, from Word or WPS): `word/document.xml` read in
//! one streaming pass. Each top-level `<w:tbl>` becomes one grid, "table 1",
//! "table 2" …: `w:gridSpan` and `w:vMerge` (restart / continue) are merged
//! regions, `w:gridBefore` skips grid columns, a cell's paragraphs are
//! lines (`w:br` breaks a line, `w:tab` is a tab), and a table nested in a
//! cell gives its text to that cell. The short paragraphs just before a
//! table (the title, 填报单位) are its leading rows. Deleted text (tracked
//! changes), field codes and the fallback copies of drawings are left out.
//! Knows nothing of forms.

use super::ods::push_entity;
use super::sink::CellSink;
use super::zip::{attr, check_zip, read_entry_checked};
use super::Limits;
use crate::diag::{Warning, WarningCode};
use crate::error::{Error, ErrorKind};
use crate::grid::{CellRef, Format, Grid, Span};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

/// Word's own grid is at most 63 columns; a span past this is damage.
const MAX_GRID_SPAN: u32 = 1000;

/// The reader of Word documents.
pub struct DocxReader;

impl super::SheetReader for DocxReader {
    fn read(&self, path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
        read(path, bytes, limits)
    }
}

fn read(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
    let err = |k| Error::new(path, k);
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(err(ErrorKind::Document(
            "a legacy Word .doc (OLE2) or an encrypted document, not a .docx: save it as .docx".into(),
        )));
    }
    if !bytes.starts_with(b"PK") {
        return Err(err(ErrorKind::Document("not a zip package, so not a .docx".into())));
    }
    check_zip(bytes, limits).map_err(err)?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| err(ErrorKind::Document(format!("damaged or truncated zip: {e}"))))?;
    let xml = read_entry_checked(&mut zip, "word/document.xml", limits.max_unzipped_bytes)
        .map_err(|why| err(ErrorKind::Document(format!("damaged zip: {why}"))))?
        .ok_or_else(|| err(ErrorKind::Document("no word/document.xml (not a Word document)".into())))?;
    let xml = String::from_utf8(xml).map_err(|_| err(ErrorKind::Document("word/document.xml is not UTF-8".into())))?;
    let grids = Walk::new(limits).run(&xml).map_err(err)?;
    if grids.is_empty() {
        return Err(err(ErrorKind::NoTable));
    }
    Ok(grids)
}

/// A vertical merge still open in a table: its first cell and width.
struct Open {
    first: CellRef,
    width: u32,
    last_row: u32,
}

/// One top-level table being read.
struct Table<'l> {
    sink: CellSink<'l>,
    spans: Vec<Span>,
    notes: Vec<Warning>,
    /// Open vertical merges by first column (disjoint: a cell closes every
    /// merge over its columns before it opens one).
    open: BTreeMap<u32, Open>,
    row: u32,
    col: u32,
    any_row: bool,
}

/// The cell being read: its text and properties.
#[derive(Default)]
struct Cell {
    text: String,
    span: u32,
    /// `Some(true)` restart, `Some(false)` continue.
    vmerge: Option<bool>,
    paragraphs: usize,
}

struct Walk<'l> {
    limits: &'l Limits,
    grids: Vec<Grid>,
    /// Body paragraphs since the last table.
    pending: Vec<String>,
    para: String,
    table: Option<Table<'l>>,
    cell: Option<Cell>,
    /// Tables open (1: a top-level table; more: nested in its cell).
    depth: usize,
    in_text: bool,
    /// Runs (`w:r`) open: only there is `w:tab` a character.
    runs: usize,
    /// Inside content never shown as text (mc:Fallback, w:del, w:instrText).
    hidden: usize,
}

impl<'l> Walk<'l> {
    fn new(limits: &'l Limits) -> Self {
        Walk {
            limits,
            grids: Vec::new(),
            pending: Vec::new(),
            para: String::new(),
            table: None,
            cell: None,
            depth: 0,
            in_text: false,
            runs: 0,
            hidden: 0,
        }
    }

    /// Where text goes now: the open cell (of the top-level table, nested
    /// tables included), else the body paragraph.
    fn out(&mut self) -> &mut String {
        match &mut self.cell {
            Some(c) => &mut c.text,
            None => &mut self.para,
        }
    }

    fn run(mut self, xml: &str) -> Result<Vec<Grid>, ErrorKind> {
        let mut reader = Reader::from_str(xml);
        loop {
            super::budget::check()?;
            match reader.read_event() {
                Ok(Event::Start(e)) => self.start(&e, false)?,
                Ok(Event::Empty(e)) => self.start(&e, true)?,
                Ok(Event::End(e)) => self.end(e.local_name().as_ref())?,
                Ok(Event::Text(t)) if self.in_text && self.hidden == 0 => {
                    let t = t.xml_content(XmlVersion::Implicit1_0).into_owned();
                    self.out().push_str(&t);
                }
                Ok(Event::GeneralRef(r)) if self.in_text && self.hidden == 0 => {
                    let mut s = String::new();
                    push_entity(&r, &mut s);
                    self.out().push_str(&s);
                }
                Ok(Event::Eof) => break,
                Err(e) => return Err(ErrorKind::Document(format!("damaged word/document.xml: {e}"))),
                _ => {}
            }
        }
        Ok(self.grids)
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ErrorKind> {
        let name = e.local_name();
        match name.as_ref() {
            "Fallback" | "del" | "instrText" | "delText" if !empty => self.hidden += 1,
            _ if self.hidden > 0 => {}
            "t" if !empty => self.in_text = true,
            // Inside a run: a tab or a break; elsewhere w:tab is a tab stop.
            "r" if !empty => self.runs += 1,
            "tab" if self.runs > 0 => self.out().push('\t'),
            "br" | "cr" if self.runs > 0 => self.out().push('\n'),
            "p" if !empty => {
                if let Some(c) = &mut self.cell {
                    if c.paragraphs > 0 {
                        c.text.push('\n');
                    }
                    c.paragraphs += 1;
                }
            }
            "tbl" if !empty => {
                self.depth += 1;
                if self.depth == 1 {
                    self.flush_para();
                    self.begin_table()?;
                } else if let Some(c) = &mut self.cell {
                    c.text.push('\n');
                }
            }
            "tr" if !empty && self.depth == 1 => {
                if let Some(t) = &mut self.table {
                    if t.any_row {
                        t.row += 1;
                    }
                    t.any_row = true;
                    t.col = 0;
                }
            }
            "gridBefore" if self.depth == 1 && self.cell.is_none() => {
                let n = val(e).unwrap_or(0).min(MAX_GRID_SPAN);
                if let Some(t) = &mut self.table {
                    t.col = t.col.saturating_add(n);
                    past_columns(t)?;
                }
            }
            "tc" if !empty && self.depth == 1 => {
                self.cell = Some(Cell {
                    span: 1,
                    ..Cell::default()
                })
            }
            "tc" if !empty => {
                // A nested table's cell: a space between cells.
                if let Some(c) = &mut self.cell {
                    c.text.push(' ');
                }
            }
            "gridSpan" if self.depth == 1 => {
                if let Some(c) = &mut self.cell {
                    c.span = val(e).unwrap_or(1).max(1);
                }
            }
            "vMerge" if self.depth == 1 => {
                if let Some(c) = &mut self.cell {
                    c.vmerge = Some(attr(e, "w:val").as_deref() == Some("restart"));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), ErrorKind> {
        match name {
            "Fallback" | "del" | "instrText" | "delText" => self.hidden = self.hidden.saturating_sub(1),
            _ if self.hidden > 0 => {}
            "t" => self.in_text = false,
            "r" => self.runs = self.runs.saturating_sub(1),
            "p" if self.cell.is_none() && self.depth == 0 => self.flush_para(),
            "tc" if self.depth == 1 => {
                if let Some(c) = self.cell.take() {
                    self.place(c)?;
                }
            }
            "tr" if self.depth > 1 => {
                if let Some(c) = &mut self.cell {
                    c.text.push('\n');
                }
            }
            "tbl" => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.end_table()?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn flush_para(&mut self) {
        let p = self.para.trim().to_string();
        self.para.clear();
        if !p.is_empty() {
            self.pending.push(p);
        }
    }

    fn begin_table(&mut self) -> Result<(), ErrorKind> {
        let above = std::mem::take(&mut self.pending);
        let mut t = Table {
            sink: CellSink::new(self.limits),
            spans: Vec::new(),
            notes: Vec::new(),
            open: BTreeMap::new(),
            row: 0,
            col: 0,
            any_row: false,
        };
        t.row = t.sink.push_leading(&above)?;
        self.table = Some(t);
        Ok(())
    }

    /// A cell's text at its grid position; merges opened, extended, closed.
    fn place(&mut self, mut c: Cell) -> Result<(), ErrorKind> {
        let Some(t) = &mut self.table else {
            return Ok(());
        };
        let at = CellRef::new(t.row, t.col);
        if c.span > MAX_GRID_SPAN {
            t.notes.push(Warning::new(
                WarningCode::SpanClamped,
                Some(at),
                format!("w:gridSpan=\"{}\" reaches past any table; cut to 1", c.span),
            ));
            c.span = 1;
        }
        past_columns(t)?;
        let (from, to) = (t.col, t.col.saturating_add(c.span - 1));
        let text = c
            .text
            .trim_matches(|ch: char| ch == '\n' || ch.is_whitespace() && ch != '\t');
        if c.vmerge == Some(false) {
            // Continues the merge above in this column.
            if let Some(o) = t.open.get_mut(&from) {
                if text.trim().is_empty() {
                    o.last_row = t.row;
                    t.col = t.col.saturating_add(c.span);
                    return Ok(());
                }
                // Word shows only the merge's first cell: text here would be
                // lost, so the merge ends above and this is a cell of its own.
                t.notes.push(Warning::new(
                    WarningCode::SpanClamped,
                    Some(at),
                    "a w:vMerge continuation cell holds text: the merge above ends there and the cell is read on its own".into(),
                ));
            }
        }
        // Any merge open over these columns ends above this cell.
        close_over(t, from, to);
        if !text.is_empty() {
            t.sink.push(t.row, t.col, text)?;
        }
        if c.vmerge == Some(true) {
            t.open.insert(
                from,
                Open {
                    first: at,
                    width: c.span,
                    last_row: t.row,
                },
            );
        } else if c.span > 1 {
            t.spans.push(Span {
                first: at,
                last: CellRef::new(t.row, to),
            });
        }
        t.col = t.col.saturating_add(c.span);
        // Checked as they come: a document of many merges is refused early.
        if t.spans.len() > self.limits.max_spans {
            let max = self.limits.max_spans as u64;
            return Err(ErrorKind::limit("merged regions", max + 1, max, Some("--max-spans")));
        }
        Ok(())
    }

    fn end_table(&mut self) -> Result<(), ErrorKind> {
        let Some(mut t) = self.table.take() else {
            return Ok(());
        };
        let all = std::mem::take(&mut t.open);
        push_closed(&mut t.spans, all.into_values());
        let n = self.grids.len() + 1;
        let mut grid = t.sink.finish_sheet(t.spans, Format::Docx, &format!("table {n}"))?;
        grid.notes.extend(t.notes);
        self.grids.push(grid);
        Ok(())
    }
}

/// The last grid column a cell may start in: Word's grid has at most 63
/// columns; past this the document is damaged (a run of `w:gridBefore`
/// would otherwise wrap the column number onto cells already read).
const MAX_COLUMN: u32 = 16_384;

fn past_columns(t: &Table<'_>) -> Result<(), ErrorKind> {
    if t.col > MAX_COLUMN {
        return Err(ErrorKind::Document(format!(
            "a cell of row {} starts past column {MAX_COLUMN} (damaged w:gridBefore / w:gridSpan)",
            t.row + 1
        )));
    }
    Ok(())
}

/// Closes the open vertical merges over columns `from..=to` into merged
/// regions: the one starting left of `from` when it reaches it, and those
/// starting in the range.
fn close_over(t: &mut Table<'_>, from: u32, to: u32) {
    let mut firsts: Vec<u32> = Vec::new();
    if let Some((&c, o)) = t.open.range(..from).next_back() {
        if c.saturating_add(o.width) > from {
            firsts.push(c);
        }
    }
    firsts.extend(t.open.range(from..=to).map(|(&c, _)| c));
    let done: Vec<Open> = firsts.iter().filter_map(|c| t.open.remove(c)).collect();
    push_closed(&mut t.spans, done.into_iter());
}

fn push_closed(spans: &mut Vec<Span>, done: impl Iterator<Item = Open>) {
    for o in done {
        let last = CellRef::new(o.last_row, o.first.col.saturating_add(o.width - 1));
        if last != o.first {
            spans.push(Span { first: o.first, last });
        }
    }
}

/// A `w:val` number.
fn val(e: &BytesStart<'_>) -> Option<u32> {
    attr(e, "w:val")?.trim().parse().ok()
}
