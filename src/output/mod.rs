//! Outputs: every destination of records is a `RecordSink` — one file per
//! record, JSON Lines, the flat indicator table, the run report — and every
//! file is written through the one atomic writer.

mod atomic;
mod files;
mod flat;
mod jsonl;
mod report;

pub use files::{record_stem, stable_suffix, FileSink, Namer};
pub use flat::{FlatRow, FlatSink};
pub use jsonl::JsonlSink;
pub use report::{InputReport, RecordReport, ReportSink, RunReport, SkippedSheet, Totals};

use crate::record::Record;
use serde::Serialize;
use std::io;

/// What the sinks need of one record, made on the worker thread so the
/// record itself is dropped there (freeing across threads was costly).
pub struct PreparedRecord {
    pub report: RecordReport,
    /// `record_stem` and `stable_suffix`, for the file name under `--out`.
    pub name: Option<(String, String)>,
    /// Pretty JSON, for `--out`.
    pub pretty: Option<Vec<u8>>,
    /// One line, for `--jsonl`.
    pub line: Option<Vec<u8>>,
    /// The record itself, kept only for `--flat`.
    pub record: Option<Record>,
}

/// One destination of records. Records arrive in input order; `finish`
/// completes the output once the run's report is final.
pub trait RecordSink {
    fn record(&mut self, r: &mut PreparedRecord) -> io::Result<()>;

    /// Called after each batch of inputs.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, report: &RunReport) -> io::Result<()>;
}

pub fn to_pretty(r: &impl Serialize) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(r).expect("records serialise");
    v.push(b'\n');
    v
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
