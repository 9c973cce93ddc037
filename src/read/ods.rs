//! ODS: what calamine does not expose — merged regions, the digits a number
//! shows, and each table's extent (checked before calamine allocates it).

use super::cells::range_cells;
use super::zip::{attr, check_zip, zip_entry};
use super::{Limits, MAX_DENSE_CELLS};
use crate::error::{Error, ErrorKind};
use crate::grid::{CellRef, Format, Grid, Span};
use calamine::{Ods, Reader as _};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

/// Every table of an ODS. calamine has no ODS merge API and gives numbers
/// as f64: the spans and the shown digits come from content.xml, read first
/// so that an oversized sheet is refused before calamine allocates it.
pub(super) fn read(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
    check_zip(bytes, limits).map_err(|e| Error::new(path, e))?;
    let mut layout = ods_layout(bytes, limits.max_unzipped_bytes);
    for sheet in layout.extent.keys() {
        let dense = layout.dense_cells(sheet);
        if dense > MAX_DENSE_CELLS {
            let e = ErrorKind::limit("cells in a table's extent", dense, MAX_DENSE_CELLS, None);
            return Err(Error::new(path, e).in_sheet(sheet));
        }
    }
    let mut wb = Ods::new(Cursor::new(bytes)).map_err(|e| Error::new(path, ErrorKind::Ods(e)))?;
    let mut grids = Vec::new();
    for name in wb.sheet_names() {
        let in_sheet = |e: ErrorKind| Error::new(path, e).in_sheet(&name);
        let range = wb.worksheet_range(&name).map_err(|e| in_sheet(ErrorKind::Ods(e)))?;
        let shown = |r: u32, c: u32| layout.shown.get(&(name.clone(), r, c)).cloned();
        let sheet = range_cells(&range, &shown, limits).map_err(in_sheet)?;
        let spans = layout.spans.remove(&name).unwrap_or_default();
        grids.push(sheet.finish_sheet(spans, Format::Ods, &name).map_err(in_sheet)?);
    }
    Ok(grids)
}

/// What an ODS says beyond calamine's values, per sheet name.
#[derive(Debug, Default)]
struct OdsLayout {
    spans: HashMap<String, Vec<Span>>,
    /// The text shown for numeric cells (`0.00`, `90%`), by (sheet, row, col).
    shown: HashMap<(String, u32, u32), String>,
    /// Per sheet, the rows and columns its content cells span (calamine
    /// allocates that rectangle densely).
    extent: HashMap<String, (u32, u32, u32, u32)>,
}

impl OdsLayout {
    /// Cells of the dense rectangle calamine will allocate for a sheet.
    fn dense_cells(&self, sheet: &str) -> u64 {
        self.extent
            .get(sheet)
            .map_or(0, |&(r0, r1, c0, c1)| u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1))
    }

    fn grow(&mut self, sheet: &str, rows: (u32, u32), cols: (u32, u32)) {
        let e = self
            .extent
            .entry(sheet.to_string())
            .or_insert((rows.0, rows.1, cols.0, cols.1));
        e.0 = e.0.min(rows.0);
        e.1 = e.1.max(rows.1);
        e.2 = e.2.min(cols.0);
        e.3 = e.3.max(cols.1);
    }
}

/// Merged regions and shown numbers of every table of an ODS.
fn ods_layout(bytes: &[u8], limit: u64) -> OdsLayout {
    let mut out = OdsLayout::default();
    let Some(xml) = zip_entry(bytes, "content.xml", limit) else {
        return out;
    };
    let mut reader = Reader::from_str(&xml);
    let mut sheet = String::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    // A numeric cell being read: its first column, repeat count and text.
    let mut numeric: Option<(u32, u32, String)> = None;
    let num = |e: &BytesStart<'_>, name: &str| attr(e, name).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
    loop {
        let ev = reader.read_event();
        let (e, empty) = match &ev {
            Ok(Event::Start(e)) => (e.clone(), false),
            Ok(Event::Empty(e)) => (e.clone(), true),
            Ok(Event::Text(t)) => {
                if let Some((_, _, text)) = numeric.as_mut() {
                    text.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
                continue;
            }
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    "table-row" => row = row.saturating_add(row_repeat),
                    "table" => row = 0,
                    "table-cell" => {
                        if let Some((c0, n, text)) = numeric.take() {
                            for c in c0..c0.saturating_add(n.min(1024)) {
                                out.shown.insert((sheet.clone(), row, c), text.trim().to_string());
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "table" => {
                sheet = attr(&e, "table:name").unwrap_or_default();
                row = 0;
            }
            "table-row" => {
                col = 0;
                row_repeat = num(&e, "table:number-rows-repeated");
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table-cell" | "covered-table-cell" => {
                let cols = num(&e, "table:number-columns-spanned");
                let rows = num(&e, "table:number-rows-spanned");
                let is_cell = e.local_name().as_ref() == "table-cell";
                if (cols > 1 || rows > 1) && is_cell {
                    out.spans.entry(sheet.clone()).or_default().push(Span {
                        first: CellRef::new(row, col),
                        last: CellRef::new(row.saturating_add(rows - 1), col.saturating_add(cols - 1)),
                    });
                }
                let repeat = num(&e, "table:number-columns-repeated");
                let value_type = attr(&e, "office:value-type").unwrap_or_default();
                if is_cell && (!empty || !value_type.is_empty()) {
                    let rows = (row, row.saturating_add(row_repeat - 1));
                    let cols = (col, col.saturating_add(repeat - 1));
                    let name = sheet.clone();
                    out.grow(&name, rows, cols);
                }
                if is_cell && !empty && matches!(value_type.as_str(), "float" | "percentage" | "currency") {
                    numeric = Some((col, repeat, String::new()));
                }
                col = col.saturating_add(repeat);
            }
            _ => {}
        }
    }
    out
}
