//! A cell address: 0-based row and column inside, A1-style outside (in
//! every record, warning and message).

use serde::{Serialize, Serializer};

/// What counts as a blank in a cell's text: whitespace, the ideographic
/// space, a no-break space and a stray byte-order mark.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{feff}'
}
use std::fmt;

/// A cell position, 0-based internally, shown A1-style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }
}

/// Spreadsheet column letters for a 0-based index: 0 → A, 26 → AA.
pub fn column_name(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", column_name(self.col), self.row + 1)
    }
}

/// Serialised A1-style, as every address in a record is.
impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

crate::names::string_schema!(CellRef);
