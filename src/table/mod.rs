//! Table: reads tables by their structure — header rows, row-label columns,
//! data cells. Knows the grid and the vocabulary, never what a form is or
//! which record a table feeds; `layout` and `form` both read tables here.

mod header;

pub(crate) use header::{header_levels, is_header_row, NO_LEVEL};
