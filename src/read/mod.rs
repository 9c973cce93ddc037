//! Readers: bytes of one file in, one `Grid` per sheet (or per table of a
//! web page or Word document) out. A reader knows file formats, nothing of
//! forms.

pub mod budget;
mod cells;
mod docx;
mod html;
mod numfmt;
mod ods;
mod sink;
mod text;
mod workbook;
mod xls;
mod xlsx;
mod zip;

pub use crate::grid::Format;
pub use docx::DocxReader;
pub use html::HtmlReader;
pub use text::TextReader;
pub use workbook::WorkbookReader;

use crate::error::{Error, ErrorKind, Result};
use crate::grid::Grid;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Cells one sheet may span densely: calamine allocates the rectangle of a
/// sheet's content for XLS and ODS (BIFF8's own maximum is 65,536 × 256).
pub const MAX_DENSE_CELLS: u64 = 65_536 * 256;

/// Resource limits applied per input file; each can be raised from the CLI.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Most non-empty cells kept from one sheet.
    pub max_cells: usize,
    /// Most merged regions kept from one sheet.
    pub max_spans: usize,
    /// Longest cell text, in bytes; longer text is cut with a warning-free marker.
    pub max_cell_bytes: usize,
    /// Largest total uncompressed size of a zip-based workbook.
    pub max_unzipped_bytes: u64,
    /// Most rows read from one sheet or text file; later rows are dropped
    /// with a `rows_truncated` warning (a form has hundreds).
    pub max_rows: u32,
    /// Largest web page read: a page's HTML5 tree takes about 25 times its
    /// bytes, so this is well below `max_file_bytes`.
    pub max_page_bytes: u64,
    /// Seconds one file may take (reading, forms, its review page); 0: no
    /// limit. Checked in the loops crafted input can make long.
    pub max_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 << 20,
            max_cells: 2_000_000,
            max_spans: 100_000,
            max_cell_bytes: 1 << 20,
            max_unzipped_bytes: 1 << 30,
            max_rows: 20_000,
            max_page_bytes: 32 << 20,
            max_seconds: 60,
        }
    }
}

/// Common front of the per-format readers.
pub trait SheetReader {
    /// Every sheet of the file as a grid, in workbook order.
    fn read(&self, path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>>;
}

/// Reads a file of a known format into grids, with `source` filled in.
/// Only a regular file is read, and never more than the size limit, whatever
/// its metadata says (`/proc` files and devices report a size of 0).
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<Grid>> {
    let format = Format::from_path(path).ok_or_else(|| Error::new(path, ErrorKind::UnknownFormat))?;
    // The bytes are the file's own: a file holding a path is text, never
    // a pointer to follow (declx reads only the files it is given).
    let bytes = read_regular(path, limits)?;
    read_bytes(path, format, &bytes, limits)
}

/// Opens for reading without waiting: a FIFO with no writer would block
/// `open` itself. Regular files ignore the flag.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NONBLOCK);
    o.open(path)
}

/// A regular file's bytes, at most the size limit.
fn read_regular(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let err = |kind: ErrorKind| Error::new(path, kind);
    let file = open_nonblocking(path).map_err(|e| err(ErrorKind::Io(e)))?;
    // Checked on the open file: a file swapped for a FIFO after the walk is
    // refused here instead of blocking the worker (the open did not wait).
    let meta = file.metadata().map_err(|e| err(ErrorKind::Io(e)))?;
    if !meta.is_file() {
        return Err(err(ErrorKind::NotRegular));
    }
    let max = limits.max_file_bytes;
    let too_big = |found| err(ErrorKind::limit("bytes in the file", found, max, Some("--max-file-mb")));
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, max + 1), &mut bytes)
        .map_err(|e| err(ErrorKind::Io(e)))?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

pub fn read_bytes(path: &Path, format: Format, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::new(path, ErrorKind::Empty));
    }
    let sha = hex(&Sha256::digest(bytes));
    let mut grids = match format {
        Format::Text => TextReader.read(path, bytes, limits)?,
        Format::Html => HtmlReader.read(path, bytes, limits)?,
        Format::Docx => DocxReader.read(path, bytes, limits)?,
        _ => WorkbookReader(format).read(path, bytes, limits)?,
    };
    for g in &mut grids {
        g.source.path = crate::pathtext::path_text(path);
        g.source.sha256.clone_from(&sha);
    }
    Ok(grids)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
