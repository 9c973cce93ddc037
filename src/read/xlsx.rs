//! XLSX / XLSM: cells streamed through calamine (a stray far-away cell
//! costs one cell), merged regions read from the sheet's tail.

use super::cells::{data_ref_text, spans_of};
use super::numfmt::apply_format;
use super::sink::CellSink;
use super::zip::{attr, check_zip, each_start, read_entry, Zip};
use super::Limits;
use crate::error::{Error, ErrorKind};
use crate::grid::{CellRef, Format, Grid, Span};
use calamine::{DataRef, Reader as _, Xlsx};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

/// Every sheet of an XLSX / XLSM workbook.
pub(super) fn read(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
    check_zip(bytes, limits).map_err(|e| Error::new(path, e))?;
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(|e| Error::new(path, ErrorKind::Xlsx(e)))?;
    let names = wb.sheet_names();
    let mut parts = XlsxParts::open(bytes, names.len(), limits.max_unzipped_bytes);
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let in_sheet = |e: ErrorKind| Error::new(path, e).in_sheet(&name);
        let sheet = sheet_cells(&mut wb, &name, limits).map_err(in_sheet)?;
        let spans = match parts.merges(&name) {
            Some(spans) => spans,
            None => spans_of(wb.merge_cells_by_sheet_name(&name).unwrap_or_default()),
        };
        grids.push(sheet.finish_sheet(spans, Format::Xlsx, &name).map_err(in_sheet)?);
    }
    Ok(grids)
}

/// One XLSX sheet streamed cell by cell: memory follows the real cells, not
/// the stored dimension (a stray cell at XFD1048576 costs one cell).
fn sheet_cells<'l>(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, limits: &'l Limits) -> Result<CellSink<'l>, ErrorKind> {
    let mut sheet = CellSink::new(limits);
    let mut cells = wb.worksheet_cells_reader(name).map_err(ErrorKind::Xlsx)?;
    while let Some((cell, style)) = cells.next_cell_with_style_id().map_err(ErrorKind::Xlsx)? {
        let (r, c) = cell.get_position();
        let shown = match cell.get_value() {
            // calamine's style palette carries each style's number format.
            DataRef::Float(f) => cells
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .and_then(|n| apply_format(*f, &n.format_code)),
            _ => None,
        };
        if let Some(t) = shown.or_else(|| data_ref_text(cell.get_value(), &mut sheet.notes, (r, c))) {
            sheet.push(r, c, &t)?;
        }
    }
    Ok(sheet)
}

/// An XLSX opened for what calamine reads slowly: merged regions, without a
/// second parse of the whole sheet.
struct XlsxParts<'a> {
    zip: Option<Zip<'a>>,
    /// Sheet name → its part, e.g. `xl/worksheets/sheet1.xml`; read from
    /// the workbook and its relationships when first needed.
    sheets: Option<HashMap<String, String>>,
    /// How many sheets the workbook names (calamine's count).
    sheet_count: usize,
    limit: u64,
}

impl<'a> XlsxParts<'a> {
    fn open(bytes: &'a [u8], sheet_count: usize, limit: u64) -> Self {
        XlsxParts {
            zip: zip::ZipArchive::new(Cursor::new(bytes)).ok(),
            sheets: None,
            sheet_count,
            limit,
        }
    }

    /// The part holding a sheet. A workbook of one sheet with one worksheet
    /// part (most forms) needs no look at the workbook's relationships.
    fn sheet_part(&mut self, sheet: &str) -> Option<String> {
        if self.sheet_count == 1 {
            let names: Option<Vec<_>> = self.zip.as_ref()?.file_names().map(Result::ok).collect();
            let mut worksheets = names.into_iter().flatten().filter(|n| {
                n.strip_prefix("xl/worksheets/")
                    .is_some_and(|f| f.ends_with(".xml") && !f.contains('/'))
            });
            if let (Some(only), None) = (worksheets.next(), worksheets.next()) {
                return Some(only.into_owned());
            }
        }
        if self.sheets.is_none() {
            self.sheets = Some(self.sheet_parts());
        }
        self.sheets.as_ref()?.get(sheet).cloned()
    }

    fn entry(&mut self, name: &str) -> Option<Vec<u8>> {
        read_entry(self.zip.as_mut()?, name, self.limit)
    }

    fn sheet_parts(&mut self) -> HashMap<String, String> {
        let mut targets: HashMap<String, String> = HashMap::new();
        if let Some(rels) = self.entry("xl/_rels/workbook.xml.rels") {
            each_start(&rels, |e| {
                if e.local_name().as_ref() == "Relationship" {
                    if let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target")) {
                        let path = match target.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{target}"),
                        };
                        targets.insert(id, path);
                    }
                }
            });
        }
        let mut sheets = HashMap::new();
        if let Some(wb) = self.entry("xl/workbook.xml") {
            each_start(&wb, |e| {
                if e.local_name().as_ref() == "sheet" {
                    let id = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "id")
                        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()));
                    if let (Some(name), Some(path)) = (attr(e, "name"), id.and_then(|id| targets.get(&id))) {
                        sheets.insert(name, path.clone());
                    }
                }
            });
        }
        sheets
    }

    /// The merged regions of a sheet, or `None` when its part is not found
    /// or is damaged. `<mergeCells>` follows `<sheetData>`, so only that
    /// element is parsed: calamine's own call parses the whole sheet again.
    fn merges(&mut self, sheet: &str) -> Option<Vec<Span>> {
        let part = self.sheet_part(sheet)?;
        let xml = self.entry(&part)?;
        let after_data = memchr::memmem::rfind(&xml, b"sheetData>").map_or(0, |i| i + b"sheetData>".len());
        let Some(name_at) = memchr::memmem::find(&xml[after_data..], b"mergeCells").map(|i| after_data + i) else {
            return Some(Vec::new());
        };
        let open = memchr::memrchr(b'<', &xml[..name_at])?;
        let mut spans = Vec::new();
        let mut reader = Reader::from_reader(&xml[open..]);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                    if let Some(span) = attr(&e, "ref").as_deref().and_then(span_of_a1) {
                        spans.push(span);
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => break,
                Ok(Event::Eof) => break,
                Err(_) => return None,
                _ => {}
            }
        }
        Some(spans)
    }
}

/// `B2:D4` (or a single `B2`) as a span.
fn span_of_a1(a1: &str) -> Option<Span> {
    let (first, last) = a1.split_once(':').unwrap_or((a1, a1));
    let (first, last) = (cell_of_a1(first)?, cell_of_a1(last)?);
    (first.row <= last.row && first.col <= last.col).then_some(Span { first, last })
}

fn cell_of_a1(a1: &str) -> Option<CellRef> {
    let a1 = a1.trim().trim_start_matches('$');
    let split = a1.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1))
        - 1;
    let row: u32 = digits.trim_start_matches('$').parse().ok()?;
    Some(CellRef::new(row.checked_sub(1)?, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_ranges_become_spans() {
        let span = span_of_a1("B2:D14").unwrap();
        assert_eq!((span.first, span.last), (CellRef::new(1, 1), CellRef::new(13, 3)));
        let span = span_of_a1("$AA$10:$AB$10").unwrap();
        assert_eq!((span.first, span.last), (CellRef::new(9, 26), CellRef::new(9, 27)));
        assert_eq!(span_of_a1("C3").map(|s| s.last), Some(CellRef::new(2, 2)));
        assert!(span_of_a1("D4:B2").is_none());
        assert!(span_of_a1("A0:B2").is_none());
        assert!(span_of_a1("ABCD1").is_none());
    }

    /// A minimal XLSX whose sheet part has a namespace prefix and a sheet
    /// name that differs from its file name.
    fn package(sheet_xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let parts = [
            (
                "xl/workbook.xml",
                r#"<workbook xmlns:r="R"><sheets><sheet name="表1" sheetId="1" r:id="rId7"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships><Relationship Id="rId7" Target="/xl/worksheets/data.xml"/></Relationships>"#,
            ),
            ("xl/worksheets/data.xml", sheet_xml),
        ];
        for (name, text) in parts {
            zip.start_file(name, opts).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn merges_are_read_after_the_sheet_data() {
        let bytes = package(
            r#"<x:worksheet><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>mergeCells &lt;mergeCell ref="Z9:Z99"/&gt;</x:t></x:is></x:c></x:row></x:sheetData><x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><x:mergeCell ref="A2:A5"/></x:mergeCells><x:pageMargins/></x:worksheet>"#,
        );
        let mut parts = XlsxParts::open(&bytes, 2, 1 << 20);
        let spans = parts.merges("表1").unwrap();
        let got: Vec<_> = spans.iter().map(|s| (s.first, s.last)).collect();
        assert_eq!(
            got,
            [
                (CellRef::new(0, 0), CellRef::new(0, 2)),
                (CellRef::new(1, 0), CellRef::new(4, 0))
            ]
        );
        assert!(
            parts.merges("Sheet2").is_none(),
            "an unknown sheet falls back to calamine"
        );
        // One sheet, one worksheet part: found without the relationships.
        let mut one = XlsxParts::open(&bytes, 1, 1 << 20);
        assert_eq!(one.merges("表1").map(|v| v.len()), Some(2));
        assert!(one.sheets.is_none(), "the workbook's relationships were not read");
        let bytes = package(r#"<worksheet><sheetData/></worksheet>"#);
        assert_eq!(
            XlsxParts::open(&bytes, 1, 1 << 20).merges("表1").map(|v| v.len()),
            Some(0)
        );
    }
}
