//! The index of a review site: one row per input, rendered in the page from
//! embedded JSON (sortable, filterable, 200 rows a page), so an index of
//! 10,000 inputs stays a few MB and quick to open.

use super::templates;
use minijinja::context;
use serde::Serialize;
use std::collections::BTreeMap;

/// One input of the run, as the index lists it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexRow {
    /// The input's page, relative to the index.
    pub page: Option<String>,
    pub path: String,
    pub outcome: String,
    pub forms: String,
    pub department: String,
    pub year: String,
    pub records: usize,
    pub warnings: usize,
    pub by_code: BTreeMap<String, usize>,
    /// Failed checks of the review rules.
    pub findings: usize,
    pub unmapped: usize,
    pub cells: usize,
    /// Share of non-empty cells a field took, in percent.
    pub mapped: Option<u32>,
    pub error: Option<String>,
}

pub fn render_index(rows: &[IndexRow], version: &str) -> Result<String, minijinja::Error> {
    let failed = rows.iter().filter(|r| r.outcome != "ok").count();
    templates().get_template("index.html")?.render(context! {
        rows => minijinja::Value::from(minijinja::value::Serde(rows)),
        total => rows.len(),
        failed => failed,
        version => version,
    })
}
