//! What calamine 0.38 does not expose, or reads twice, taken from the
//! workbook's own XML: XLSX merged regions, ODS merged regions and shown
//! numbers; and the digits a number format shows.

use crate::grid::{CellRef, Span};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;
use std::io::{Cursor, Read};

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// One part of a zip, at most `limit` bytes of it.
fn read_entry(zip: &mut Zip<'_>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let f = zip.by_name(name).ok()?;
    // Sized up front: an empty Vec makes read_to_end probe in small reads.
    let mut out = Vec::with_capacity(f.size().min(limit) as usize + 1);
    f.take(limit).read_to_end(&mut out).ok()?;
    Some(out)
}

fn zip_entry(bytes: &[u8], name: &str, limit: u64) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    String::from_utf8(read_entry(&mut zip, name, limit)?).ok()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// An XLSX opened for what calamine reads slowly: merged regions, without a
/// second parse of the whole sheet.
pub struct XlsxParts<'a> {
    zip: Option<Zip<'a>>,
    /// Sheet name → its part, e.g. `xl/worksheets/sheet1.xml`; read from
    /// the workbook and its relationships when first needed.
    sheets: Option<HashMap<String, String>>,
    /// How many sheets the workbook names (calamine's count).
    sheet_count: usize,
    limit: u64,
}

impl<'a> XlsxParts<'a> {
    pub fn open(bytes: &'a [u8], sheet_count: usize, limit: u64) -> Self {
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
    pub fn merges(&mut self, sheet: &str) -> Option<Vec<Span>> {
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

/// Calls `f` on every start or empty tag of a small XML part.
fn each_start(xml: &[u8], mut f: impl FnMut(&BytesStart<'_>)) {
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
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

pub(super) fn builtin_format(id: u32) -> &'static str {
    match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        49 => "@",
        _ => "General",
    }
}

/// A number shown through its format code: fixed decimals and percentages
/// as Excel displays them (no thousands separators: digits only).
pub fn apply_format(f: f64, code: &str) -> Option<String> {
    // Only the first section (positive numbers) matters for the digits.
    let section = code.split(';').next().unwrap_or(code);
    let (mut plain, mut prefix, mut suffix) = (String::new(), String::new(), String::new());
    let mut quoted = false;
    let mut escaped = false;
    for c in section.chars() {
        let literal = if escaped {
            escaped = false;
            true
        } else if c == '\\' {
            escaped = true;
            continue;
        } else if c == '"' {
            quoted = !quoted;
            continue;
        } else {
            quoted
        };
        if literal {
            if plain.contains(['0', '#']) {
                suffix.push(c);
            } else {
                prefix.push(c);
            }
        } else if c != '_' && c != '*' && c != ' ' && !(c == '[' || c == ']') {
            plain.push(c);
        }
    }
    if plain.eq_ignore_ascii_case("general") || plain == "@" || plain.contains(['E', 'e', 'y', 'd', 'h', 's']) {
        return None;
    }
    if !plain.contains('0') && !plain.contains('#') {
        return None;
    }
    let percent = plain.contains('%');
    let decimals = plain.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().take_while(|c| *c == '0' || *c == '#').count()
    });
    let v = if percent { f * 100.0 } else { f };
    let mut s = format!("{v:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s.remove(0);
    }
    if percent {
        s.push('%');
    }
    Some(format!("{prefix}{s}{suffix}"))
}

/// What an ODS says beyond calamine's values, per sheet name.
#[derive(Debug, Default)]
pub struct OdsLayout {
    pub spans: HashMap<String, Vec<Span>>,
    /// The text shown for numeric cells (`0.00`, `90%`), by (sheet, row, col).
    pub shown: HashMap<(String, u32, u32), String>,
    /// Per sheet, the rows and columns its content cells span (calamine
    /// allocates that rectangle densely).
    pub extent: HashMap<String, (u32, u32, u32, u32)>,
}

impl OdsLayout {
    /// Cells of the dense rectangle calamine will allocate for a sheet.
    pub fn dense_cells(&self, sheet: &str) -> u64 {
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
pub fn ods_layout(bytes: &[u8], limit: u64) -> OdsLayout {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_show_excel_digits() {
        assert_eq!(apply_format(0.0, "0.00").as_deref(), Some("0.00"));
        assert_eq!(apply_format(4972.33, "#,##0.00").as_deref(), Some("4972.33"));
        assert_eq!(apply_format(0.9, "0%").as_deref(), Some("90%"));
        assert_eq!(apply_format(0.952, "0.0%").as_deref(), Some("95.2%"));
        assert_eq!(apply_format(12.0, "General"), None);
        assert_eq!(apply_format(45292.0, "yyyy-mm-dd"), None);
        assert_eq!(apply_format(3.0, "0\"人\"").as_deref(), Some("3人"));
    }

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
