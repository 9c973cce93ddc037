//! ODS: `content.xml` read in one streaming pass into the cell sink — cell
//! text as LibreOffice shows it (numbers keep their shown digits), merged
//! regions from `table:number-*-spanned`. Memory follows the cells present:
//! a stray cell at IV65536 costs one cell, not the rectangle up to it.

use super::numfmt::excel_number;
use super::sink::CellSink;
use super::zip::{attr, check_zip, zip_entry};
use super::Limits;
use crate::diag::{Warning, WarningCode};
use crate::error::{Error, ErrorKind};
use crate::grid::{CellRef, Format, Grid, Span};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::path::Path;

/// Every table of an ODS, in document order.
pub(super) fn read(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
    check_zip(bytes, limits).map_err(|e| Error::new(path, e))?;
    let xml = zip_entry(bytes, "content.xml", limits.max_unzipped_bytes).ok_or_else(|| {
        Error::new(
            path,
            ErrorKind::Damaged("no readable content.xml (not an ODS spreadsheet)".into()),
        )
    })?;
    let mut reader = Reader::from_str(&xml);
    let mut grids = Vec::new();
    let mut table: Option<Table<'_>> = None;
    let (mut row, mut col, mut row_repeat) = (0u32, 0u32, 1u32);
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    "table-row" => row = row.saturating_add(row_repeat),
                    "table" => {
                        if let Some(t) = table.take() {
                            grids.push(t.finish().map_err(|k| Error::new(path, k))?);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(Error::new(
                    path,
                    ErrorKind::Damaged(format!("damaged content.xml: {e}")),
                ))
            }
            _ => continue,
        };
        match e.local_name().as_ref() {
            "table" if !empty => {
                table = Some(Table::new(attr(&e, "table:name").unwrap_or_default(), limits));
                row = 0;
            }
            "table-row" => {
                col = 0;
                row_repeat = count(&e, "table:number-rows-repeated");
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table-cell" | "covered-table-cell" => {
                let Some(t) = table.as_mut() else { continue };
                let repeat = count(&e, "table:number-columns-repeated");
                let is_cell = e.local_name().as_ref() == "table-cell";
                let (cols, rows) = (
                    count(&e, "table:number-columns-spanned"),
                    count(&e, "table:number-rows-spanned"),
                );
                if is_cell && (cols > 1 || rows > 1) {
                    t.spans.push(Span {
                        first: CellRef::new(row, col),
                        last: CellRef::new(row.saturating_add(rows - 1), col.saturating_add(cols - 1)),
                    });
                }
                let content = if empty {
                    String::new()
                } else {
                    cell_content(&mut reader)
                };
                let at = CellRef::new(row, col);
                if let Some(text) = cell_text(&e, content, &mut t.sink.notes, at) {
                    t.put(row, row_repeat, col, repeat, &text)
                        .map_err(|k| Error::new(path, k).in_sheet(&t.name))?;
                }
                col = col.saturating_add(repeat);
            }
            _ => {}
        }
    }
    if let Some(t) = table.take() {
        grids.push(t.finish().map_err(|k| Error::new(path, k))?);
    }
    Ok(grids)
}

/// One table being read.
struct Table<'l> {
    name: String,
    sink: CellSink<'l>,
    spans: Vec<Span>,
}

impl<'l> Table<'l> {
    fn new(name: String, limits: &'l Limits) -> Self {
        Table {
            name,
            sink: CellSink::new(limits),
            spans: Vec::new(),
        }
    }

    /// A cell's text at each of its repeats (rows and columns); the sink's
    /// limits end a huge repeat early.
    fn put(&mut self, row: u32, rows: u32, col: u32, cols: u32, text: &str) -> Result<(), ErrorKind> {
        // A blank cell repeated 10⁹ × 10⁹ times is nothing: the sink would
        // drop each copy without counting it against any limit.
        if text.trim().is_empty() {
            return Ok(());
        }
        for r in row..row.saturating_add(rows) {
            for c in col..col.saturating_add(cols) {
                self.sink.push(r, c, text)?;
                if self.sink.full() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Grid, ErrorKind> {
        self.sink.finish_sheet(self.spans, Format::Ods, &self.name)
    }
}

/// A repeat or span count attribute (1 when absent or not a number).
fn count(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

/// The text of a cell's content up to its end: paragraphs joined by line
/// breaks, `text:s` as spaces, tabs and line breaks kept, annotations
/// (comments) left out.
fn cell_content(reader: &mut Reader<&[u8]>) -> String {
    let mut s = String::new();
    let mut paragraphs = 0;
    let mut depth = 0usize;
    let mut in_note = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Text(t)) if in_note == 0 => s.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Ok(Event::GeneralRef(r)) if in_note == 0 => push_entity(&r, &mut s),
            Ok(Event::Start(e)) => {
                depth += 1;
                match e.local_name().as_ref() {
                    "annotation" => in_note += 1,
                    "p" if in_note == 0 => {
                        if paragraphs > 0 {
                            s.push('\n');
                        }
                        paragraphs += 1;
                    }
                    other if in_note == 0 => push_mark(other, &e, &mut s),
                    _ => {}
                }
            }
            Ok(Event::Empty(e)) if in_note == 0 => match e.local_name().as_ref() {
                "p" => {
                    if paragraphs > 0 {
                        s.push('\n');
                    }
                    paragraphs += 1;
                }
                other => push_mark(other, &e, &mut s),
            },
            Ok(Event::End(e)) => {
                if depth == 0 {
                    return s;
                }
                depth -= 1;
                if e.local_name().as_ref() == "annotation" {
                    in_note = in_note.saturating_sub(1);
                }
            }
            Ok(Event::Eof) | Err(_) => return s,
            _ => {}
        }
    }
}

/// `text:s` (spaces), `text:tab` and `text:line-break`.
fn push_mark(name: &str, e: &BytesStart<'_>, s: &mut String) {
    match name {
        "s" => {
            let n = attr(e, "text:c").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1);
            s.extend(std::iter::repeat_n(' ', n.min(1024)));
        }
        "tab" => s.push('\t'),
        "line-break" => s.push('\n'),
        _ => {}
    }
}

pub(super) fn push_entity(r: &BytesRef<'_>, s: &mut String) {
    match r.as_ref() {
        "amp" => s.push('&'),
        "lt" => s.push('<'),
        "gt" => s.push('>'),
        "quot" => s.push('"'),
        "apos" => s.push('\''),
        _ => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                s.push(c);
            }
        }
    }
}

/// The text a cell shows, from its value type: numbers as shown (their
/// paragraph text, else the value in General format), strings, dates and
/// times as stored, booleans as TRUE/FALSE with a warning.
fn cell_text(e: &BytesStart<'_>, content: String, notes: &mut Vec<Warning>, at: CellRef) -> Option<String> {
    let value_type = attr(e, "office:value-type").unwrap_or_default();
    match value_type.as_str() {
        "float" | "percentage" | "currency" => {
            let shown = content.trim();
            if shown.is_empty() {
                let v: f64 = attr(e, "office:value")?.parse().ok()?;
                Some(excel_number(v))
            } else {
                Some(shown.to_string())
            }
        }
        "string" => Some(attr(e, "office:string-value").unwrap_or(content)),
        "date" => attr(e, "office:date-value"),
        "time" => attr(e, "office:time-value"),
        "boolean" => {
            let v = attr(e, "office:boolean-value")?;
            let t = if v.eq_ignore_ascii_case("true") {
                "TRUE"
            } else {
                "FALSE"
            };
            notes.push(Warning::new(
                WarningCode::BooleanCell,
                Some(at),
                format!("boolean cell kept as {t}"),
            ));
            Some(t.to_string())
        }
        _ => None,
    }
}
