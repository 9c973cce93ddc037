//! Errors say what went wrong, where (file, sheet) and why, on one line.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum ErrorKind {
    Io(std::io::Error),
    /// The file is empty (or only blanks).
    Empty,
    /// The bytes are not text in any encoding declx reads.
    Encoding(String),
    /// The workbook could not be opened or read.
    Workbook(String),
    /// A limit protecting memory or time was exceeded.
    Limit(String),
    /// Readable, but holds no declaration form.
    NoForm(String),
    /// A form whose title names a kind declx does not know.
    UnknownForm(String),
    /// A panic caught at the file boundary.
    Internal(String),
}

#[derive(Debug)]
pub struct Error {
    pub path: PathBuf,
    pub sheet: Option<String>,
    pub kind: ErrorKind,
}

impl Error {
    pub fn new(path: &Path, kind: ErrorKind) -> Self {
        Error {
            path: path.to_path_buf(),
            sheet: None,
            kind,
        }
    }

    pub fn in_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self
    }

    /// A short machine-readable code for the run report.
    pub fn code(&self) -> &'static str {
        match self.kind {
            ErrorKind::Io(_) => "io",
            ErrorKind::Empty => "empty",
            ErrorKind::Encoding(_) => "encoding",
            ErrorKind::Workbook(_) => "workbook",
            ErrorKind::Limit(_) => "limit",
            ErrorKind::NoForm(_) => "no_form",
            ErrorKind::UnknownForm(_) => "unknown_form",
            ErrorKind::Internal(_) => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Io(e) => write!(f, "cannot read: {e}"),
            ErrorKind::Empty => write!(f, "empty file"),
            ErrorKind::Encoding(why) => write!(f, "not a text export: {why}"),
            ErrorKind::Workbook(why) => write!(f, "cannot open workbook: {why}"),
            ErrorKind::Limit(why) => write!(f, "refused: {why}"),
            ErrorKind::NoForm(why) => write!(f, "no declaration form: {why}"),
            ErrorKind::UnknownForm(title) => write!(f, "unknown form kind: title {title:?}"),
            ErrorKind::Internal(why) => write!(f, "internal error: {why}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(s) = &self.sheet {
            write!(f, " [sheet {s}]")?;
        }
        // One line, whatever the cause carried.
        let msg = self.kind.to_string().replace(['\n', '\r'], " ");
        write!(f, ": {msg}")
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
