//! Outputs: every destination of records is a `RecordSink` — one file per
//! record, JSON Lines, the flat indicator table, the run report — and every
//! file is written through the one atomic writer.

mod atomic;
pub mod db;
mod files;
mod findings;
mod flat;
mod jsonl;
#[cfg(feature = "parquet")]
mod parquet;
mod report;
mod review;
#[cfg(feature = "parquet")]
pub use parquet::ParquetSink;
pub use review::{ReviewSink, SITE_MARKER};

pub use atomic::write_atomic;
pub use files::{record_name, FileSink};
pub use findings::{FindingsFormat, FindingsSink};
pub use flat::{header as flat_header, rows as flat_rows, FlatFormat, FlatRow, FlatSink};
pub use jsonl::JsonlSink;
pub use report::{report_name, InputReport, RecordReport, ReportSink, RunReport, SkippedFile, SkippedSheet};

use crate::pathtext::path_text;
use crate::record::Record;
use serde::Serialize;
use std::fmt;
use std::io;
use std::path::Path;

/// What the sinks need of one record, made on the worker thread so the
/// record itself is dropped there (freeing across threads was costly).
pub struct PreparedRecord {
    pub report: RecordReport,
    /// The record's file name under `--out`.
    pub name: Option<String>,
    /// Pretty JSON, for `--out`.
    pub pretty: Option<Vec<u8>>,
    /// One line, for `--jsonl`.
    pub line: Option<Vec<u8>>,
    /// The record's findings (failed checks), for `--findings`.
    pub findings: Option<Vec<crate::rules::Finding>>,
    /// The record itself, kept only for `--flat` and `--parquet`.
    pub record: Option<Record>,
    /// The record's table rows, for `--db`, `--tables` and `--xlsx`.
    pub rows: Option<std::sync::Arc<db::RecordRows>>,
}

/// A write that failed, naming the file.
#[derive(Debug)]
pub struct OutputError {
    pub path: String,
    pub source: io::Error,
}

impl OutputError {
    pub fn new(path: &Path, source: io::Error) -> Self {
        OutputError {
            path: path_text(path),
            source,
        }
    }

    /// The reader of a pipe went away (`declx … --jsonl - | head`).
    pub fn is_broken_pipe(&self) -> bool {
        self.source.kind() == io::ErrorKind::BrokenPipe
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write {}: {}", self.path, self.source)
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

pub type OutputResult = Result<(), OutputError>;

/// One destination of records. Records arrive in input order, each input's
/// report after its records; `flush` ends a batch; `finish` completes the
/// output once the run's report is final; `abort` removes what is not
/// complete (an interrupted run, a closed pipe, a write error elsewhere).
pub trait RecordSink {
    fn record(&mut self, r: &mut PreparedRecord) -> OutputResult;

    fn input(&mut self, _report: &InputReport) -> OutputResult {
        Ok(())
    }

    /// Called after each batch of inputs.
    fn flush(&mut self) -> OutputResult {
        Ok(())
    }

    fn finish(self: Box<Self>, report: &RunReport) -> OutputResult;

    /// Leaves no temp file behind; what was complete stays. The report sink
    /// still writes the report of what finished.
    fn abort(self: Box<Self>, report: &RunReport);
}

pub fn to_pretty(r: &impl Serialize) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(r).expect("records serialise");
    v.push(b'\n');
    v
}

/// The record as one line of JSON text, without the newline.
pub fn to_json(r: &Record) -> String {
    serde_json::to_string(r).expect("records serialise")
}

pub fn to_line(r: &Record) -> Vec<u8> {
    // Serialised into a reused buffer, then copied once at its final size:
    // growing a fresh Vec by doubling was most of the serialiser's cost.
    thread_local!(static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) });
    BUF.with_borrow_mut(|buf| {
        buf.clear();
        serde_json::to_writer(&mut *buf, r).expect("records serialise");
        buf.push(b'\n');
        buf.clone()
    })
}
