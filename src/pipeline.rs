//! The per-file driver: read a file into grids, extract every form of
//! every grid, and say why when none holds a form.

use crate::error::{Error, ErrorKind};
use crate::form;
use crate::read::{self, Limits};
use crate::record::Record;
use std::path::Path;

/// What one input file gave.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub records: Vec<Record>,
    /// Sheets passed over, with the reason (说明 sheets, unrelated tables).
    pub skipped_sheets: Vec<(String, String)>,
}

/// Reads one file and extracts every form in it. A file in which no sheet
/// holds a form is an error naming the file.
pub fn extract_file(path: &Path, limits: &Limits) -> Result<FileOutcome, Error> {
    let grids = read::read_file(path, limits)?;
    outcome(path, &grids)
}

/// Like [`extract_file`], for a file's bytes already in memory (Spark's
/// `binaryFile`, an upload): `name` gives the format by its extension and
/// names the file in records and errors.
pub fn extract_bytes(name: &Path, bytes: &[u8], limits: &Limits) -> Result<FileOutcome, Error> {
    let format = crate::grid::Format::from_path(name).ok_or_else(|| Error::new(name, ErrorKind::UnknownFormat))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        let max = limits.max_file_bytes;
        return Err(Error::new(
            name,
            ErrorKind::limit("bytes in the file", bytes.len() as u64, max, Some("--max-file-mb")),
        ));
    }
    let grids = read::read_bytes(name, format, bytes, limits)?;
    outcome(name, &grids)
}

/// Every form of grids already read from `path` (what `extract_file` does
/// after reading, for a caller that also needs the grids).
pub(crate) fn outcome(path: &Path, grids: &[crate::grid::Grid]) -> Result<FileOutcome, Error> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let mut out = FileOutcome::default();
    let mut first_err: Option<Error> = None;
    for grid in grids {
        // The file's time budget, between its sheets.
        read::budget::check_now().map_err(|k| Error::new(path, k))?;
        match form::extract(grid, stem) {
            Ok(records) => out.records.extend(records),
            Err(kind) => {
                let e = Error::new(path, kind);
                let e = match &grid.source.sheet {
                    Some(s) => e.in_sheet(s),
                    None => e,
                };
                if let Some(s) = &grid.source.sheet {
                    out.skipped_sheets.push((s.clone(), e.kind().to_string()));
                }
                // An unknown form kind says more than "no form".
                let better = match (&first_err, e.kind()) {
                    (None, _) => true,
                    (Some(prev), ErrorKind::UnknownForm(_)) => !matches!(prev.kind(), ErrorKind::UnknownForm(_)),
                    _ => false,
                };
                if better {
                    first_err = Some(e);
                }
            }
        }
    }
    if out.records.is_empty() {
        let mut e = first_err.unwrap_or_else(|| Error::new(path, ErrorKind::NoForm("no sheet".into())));
        // A text decoded by fallback may be in an encoding declx does not read (Big5 …).
        if let (ErrorKind::NoForm(why), Some(enc)) =
            (e.kind_mut(), grids.first().and_then(|g| g.source.encoding.as_deref()))
        {
            if enc != "UTF-8" {
                why.push_str(&format!(" (text decoded as {enc}; is it in another encoding?)"));
            }
        }
        return Err(if grids.len() > 1 {
            let e = e.without_sheet();
            let path = e.path().to_path_buf();
            Error::new(
                &path,
                match e.into_kind() {
                    ErrorKind::UnknownForm(t) => ErrorKind::UnknownForm(t),
                    other => ErrorKind::NoForm(format!("none of {} sheets holds a form ({other})", grids.len())),
                },
            )
        } else {
            e
        });
    }
    Ok(out)
}
