//! Workbooks through calamine: one reader for XLSX/XLSM, XLS and ODS that
//! guards calamine (panics on damaged bytes become the file's error) and
//! dispatches to the per-format reader.

use super::{ods, xls, xlsx, Limits, SheetReader};
use crate::error::{Error, ErrorKind};
use crate::grid::{Format, Grid};
use std::path::Path;

pub struct WorkbookReader(pub Format);

impl SheetReader for WorkbookReader {
    /// calamine may panic on damaged bytes; that becomes this file's error.
    fn read(&self, path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match self.0 {
            Format::Xlsx => xlsx::read(path, bytes, limits),
            Format::Xls => xls::read(path, bytes, limits),
            Format::Ods => ods::read(path, bytes, limits),
            Format::Text | Format::Html | Format::Docx => Err(Error::new(path, ErrorKind::UnknownFormat)),
        }))
        .unwrap_or_else(|_| Err(Error::new(path, ErrorKind::ReaderFailed)))
    }
}

/// Why bytes are not the workbook their extension promised.
pub(super) fn wrong_kind(bytes: &[u8], expected: &'static str) -> ErrorKind {
    let seen = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "an OLE2 file (legacy XLS, or an encrypted workbook)"
    } else if bytes.starts_with(b"PK") {
        "a zip file"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF"
    } else if bytes.iter().take(512).any(|&b| b == 0) {
        "binary data"
    } else {
        "text"
    };
    ErrorKind::WrongKind { expected, found: seen }
}
