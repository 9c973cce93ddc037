//! calamine's cell values as the text a spreadsheet shows: numbers through
//! their format, dates as ISO dates, booleans and error values kept as text
//! with a warning.

use super::numfmt::{excel_date, excel_number};
use super::sink::CellSink;
use super::Limits;
use crate::diag::{Warning, WarningCode};
use crate::error::ErrorKind;
use crate::grid::{CellRef, Span};
use calamine::{Data, DataRef, Dimensions, Range};

/// calamine's merged regions as spans.
pub(super) fn spans_of(dims: Vec<Dimensions>) -> Vec<Span> {
    dims.into_iter()
        .map(|d| Span {
            first: CellRef::new(d.start.0, d.start.1),
            last: CellRef::new(d.end.0, d.end.1),
        })
        .collect()
}

/// A whole-sheet range; `shown(row, col)` may supply a number's shown text.
pub(super) fn range_cells<'l>(
    range: &Range<Data>,
    shown: &dyn Fn(u32, u32) -> Option<String>,
    limits: &'l Limits,
) -> Result<CellSink<'l>, ErrorKind> {
    let mut sheet = CellSink::new(limits);
    for (r, c, v) in range.used_cells() {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let (r, c) = (r0 + r as u32, c0 + c as u32);
        let value = match v {
            Data::Int(i) => Some(i.to_string()),
            Data::Float(f) => Some(shown(r, c).unwrap_or_else(|| excel_number(*f))),
            Data::String(s) => Some(s.clone()),
            Data::Bool(b) => Some(bool_text(*b, &mut sheet.notes, (r, c))),
            Data::DateTime(d) => Some(excel_date(d.as_f64())),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
            Data::Error(e) => Some(error_text(&e.to_string(), &mut sheet.notes, (r, c))),
            Data::Empty => None,
        };
        if let Some(t) = value {
            sheet.push(r, c, &t)?;
        }
    }
    Ok(sheet)
}

pub(super) fn data_ref_text(v: &DataRef<'_>, notes: &mut Vec<Warning>, at: (u32, u32)) -> Option<String> {
    match v {
        DataRef::Int(i) => Some(i.to_string()),
        DataRef::Float(f) => Some(excel_number(*f)),
        DataRef::String(s) => Some(s.clone()),
        DataRef::SharedString(s) => Some((*s).to_string()),
        DataRef::Bool(b) => Some(bool_text(*b, notes, at)),
        DataRef::DateTime(d) => Some(excel_date(d.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s.clone()),
        DataRef::Error(e) => Some(error_text(&e.to_string(), notes, at)),
        DataRef::Empty => None,
    }
}

fn bool_text(b: bool, notes: &mut Vec<Warning>, at: (u32, u32)) -> String {
    let t = if b { "TRUE" } else { "FALSE" };
    notes.push(Warning::new(
        WarningCode::BooleanCell,
        Some(CellRef::new(at.0, at.1)),
        format!("boolean cell kept as {t}"),
    ));
    t.to_string()
}

fn error_text(e: &str, notes: &mut Vec<Warning>, at: (u32, u32)) -> String {
    notes.push(Warning::new(
        WarningCode::ErrorCell,
        Some(CellRef::new(at.0, at.1)),
        format!("spreadsheet error value {e}"),
    ));
    e.to_string()
}
