//! Errors say what went wrong, where (file, sheet) and why, on one line.
//! `Error` is one pointer wide; its kind is structured (a limit names what
//! it limits, the value found, the maximum and the flag that raises it) and
//! keeps the reader's own error as its `source()`.

use std::error::Error as StdError;
use std::fmt;
use std::path::{Path, PathBuf};

/// An error naming the file (and sheet) it concerns.
#[derive(Debug)]
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    sheet: Option<String>,
    kind: ErrorKind,
}

/// A resource limit protecting memory or time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// What is limited, e.g. "non-empty cells".
    pub what: &'static str,
    pub found: u64,
    pub max: u64,
    /// The option that raises the limit, when one does.
    pub flag: Option<&'static str>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    Io(std::io::Error),
    /// The file is empty (or only blanks).
    Empty,
    /// The bytes are not text in any encoding declx reads.
    Encoding(String),
    /// The extension is not one declx reads.
    UnknownFormat,
    /// A named pipe, device or socket: never read.
    NotRegular,
    /// The bytes are another kind of file than the extension says.
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
    /// A damaged zip or OLE2 container, named by what was wrong.
    Damaged(String),
    /// A password-protected workbook or an encrypted zip entry.
    Encrypted,
    Xlsx(calamine::XlsxError),
    Xls(calamine::XlsError),
    Ods(calamine::OdsError),
    /// The workbook reader panicked on damaged data.
    ReaderFailed,
    /// A limit protecting memory or time was exceeded.
    Limit(Limit),
    /// A web page or Word document without a table: no form to read.
    NoTable,
    /// A Word document or web page that cannot be read, named by what was wrong.
    Document(String),
    /// Readable, but holds no declaration form.
    NoForm(String),
    /// A form whose title names a kind declx does not know.
    UnknownForm(String),
    /// A panic caught at the file boundary.
    Internal(String),
}

impl Error {
    pub fn new(path: &Path, kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            path: path.to_path_buf(),
            sheet: None,
            kind,
        }))
    }

    pub fn in_sheet(mut self, sheet: &str) -> Self {
        self.0.sheet = Some(sheet.to_string());
        self
    }

    /// The same error without its sheet (a file-level summary).
    pub(crate) fn without_sheet(mut self) -> Self {
        self.0.sheet = None;
        self
    }

    pub fn path(&self) -> &Path {
        &self.0.path
    }

    pub fn sheet(&self) -> Option<&str> {
        self.0.sheet.as_deref()
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    pub(crate) fn kind_mut(&mut self) -> &mut ErrorKind {
        &mut self.0.kind
    }

    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// A short machine-readable code for the run report.
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }
}

impl ErrorKind {
    pub fn limit(what: &'static str, found: u64, max: u64, flag: Option<&'static str>) -> Self {
        ErrorKind::Limit(Limit { what, found, max, flag })
    }

    /// A short machine-readable code for the run report.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Io(_) => "io",
            ErrorKind::Empty => "empty",
            ErrorKind::Encoding(_) => "encoding",
            ErrorKind::NotRegular => "io",
            ErrorKind::UnknownFormat
            | ErrorKind::WrongKind { .. }
            | ErrorKind::Damaged(_)
            | ErrorKind::Encrypted
            | ErrorKind::Xlsx(_)
            | ErrorKind::Xls(_)
            | ErrorKind::Ods(_)
            | ErrorKind::ReaderFailed => "workbook",
            ErrorKind::Limit(_) => "limit",
            ErrorKind::Document(_) => "document",
            ErrorKind::NoTable | ErrorKind::NoForm(_) => "no_form",
            ErrorKind::UnknownForm(_) => "unknown_form",
            ErrorKind::Internal(_) => "internal",
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}, above the limit of {}", self.found, self.what, self.max)?;
        if let Some(flag) = self.flag {
            write!(f, " ({flag})")?;
        }
        Ok(())
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const WB: &str = "cannot open workbook";
        match self {
            ErrorKind::Io(e) => write!(f, "cannot read: {e}"),
            ErrorKind::Empty => write!(f, "empty file"),
            ErrorKind::Encoding(why) => write!(f, "not a text export: {why}"),
            ErrorKind::UnknownFormat => write!(f, "{WB}: not a format declx reads"),
            ErrorKind::NotRegular => write!(f, "cannot read: not a regular file"),
            ErrorKind::WrongKind { expected, found } => write!(f, "{WB}: expected a {expected}, found {found}"),
            ErrorKind::Damaged(why) => write!(f, "{WB}: {why}"),
            ErrorKind::Encrypted => write!(f, "{WB}: password-protected workbook"),
            ErrorKind::Xlsx(e @ calamine::XlsxError::Zip(_)) => write!(f, "{WB}: damaged or truncated zip: {e}"),
            ErrorKind::Xlsx(e) => write!(f, "{WB}: {e}"),
            ErrorKind::Xls(e @ calamine::XlsError::Password) => write!(f, "{WB}: password-protected workbook: {e}"),
            ErrorKind::Xls(e) => write!(f, "{WB}: {e}"),
            ErrorKind::Ods(e) => write!(f, "{WB}: {e}"),
            ErrorKind::ReaderFailed => write!(f, "{WB}: the workbook reader failed on damaged data"),
            ErrorKind::Limit(l) => write!(f, "refused: {l}"),
            ErrorKind::Document(why) => write!(f, "cannot open document: {why}"),
            ErrorKind::NoTable => write!(f, "no declaration form: no table in the document"),
            ErrorKind::NoForm(why) => write!(f, "no declaration form: {why}"),
            ErrorKind::UnknownForm(title) => write!(f, "unknown form kind: title {title:?}"),
            ErrorKind::Internal(why) => write!(f, "internal error: {why}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::pathtext::terminal_line;
        // One line, whatever the cause carried, and nothing a terminal acts
        // on: a file or sheet name cannot send an escape sequence or forge a line.
        write!(f, "{}", terminal_line(&crate::pathtext::path_text(&self.0.path)))?;
        if let Some(s) = &self.0.sheet {
            write!(f, " [sheet {}]", terminal_line(s))?;
        }
        let msg = self.0.kind.to_string().replace(['\n', '\r'], " ");
        write!(f, ": {}", terminal_line(&msg))
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.0.kind {
            ErrorKind::Io(e) => Some(e),
            ErrorKind::Xlsx(e) => Some(e),
            ErrorKind::Xls(e) => Some(e),
            ErrorKind::Ods(e) => Some(e),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
