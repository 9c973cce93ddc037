//! The batching shared by the table sinks: a run's records and file rows
//! gathered per batch of inputs (the runner's `flush`), each record once
//! (identical copies of a file share a record id: the first path keeps it),
//! then handed whole to a writer — one transaction per batch for a
//! database. Knows nothing of any database client.

use super::rows::{self, RecordRows, Row};
use crate::output::{InputReport, OutputError, OutputResult, PreparedRecord, RecordSink, RunReport};
use std::collections::HashSet;
use std::io;
use std::sync::Arc;

/// One batch: the inputs' rows in `files` and their records' rows.
#[derive(Default)]
pub struct Batch {
    /// The paths of `files`: their old records and rows are replaced.
    pub paths: Vec<String>,
    pub files: Vec<Row>,
    pub records: Vec<Arc<RecordRows>>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.records.is_empty()
    }

    /// The record ids of the batch.
    #[allow(dead_code)]
    pub fn ids(&self) -> Vec<String> {
        self.records.iter().map(|r| r.id.clone()).collect()
    }

    /// Every row of table `t` (an index into `schema::TABLES[1..]`).
    pub fn rows(&self, t: usize) -> impl Iterator<Item = &Row> {
        self.records.iter().flat_map(move |r| r.tables[t].iter())
    }
}

/// Where a batch goes.
pub trait BatchWriter {
    /// The destination as shown in errors (a database URL without its password).
    fn name(&self) -> String;
    /// Writes one batch whole, or nothing of it.
    fn write(&mut self, batch: &Batch) -> Result<(), String>;
    /// Completes the output after the last batch.
    fn finish(self: Box<Self>) -> Result<(), String>;
    /// Leaves what earlier batches wrote; discards what is not complete.
    fn abort(self: Box<Self>) {}
}

/// A `RecordSink` that gathers batches for a `BatchWriter`.
pub struct BatchSink {
    writer: Box<dyn BatchWriter>,
    batch: Batch,
    /// Record ids already written by this run.
    seen: HashSet<u128>,
    /// The SHA-256 of the input whose records are arriving.
    sha256: Option<String>,
    number: usize,
}

impl BatchSink {
    pub fn new(writer: Box<dyn BatchWriter>) -> Self {
        BatchSink {
            writer,
            batch: Batch::default(),
            seen: HashSet::new(),
            sha256: None,
            number: 0,
        }
    }

    fn error(&self, why: String) -> OutputError {
        OutputError {
            path: format!("{} (batch {})", self.writer.name(), self.number),
            source: io::Error::other(one_line(&why)),
        }
    }

    fn write(&mut self) -> OutputResult {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.number += 1;
        let batch = std::mem::take(&mut self.batch);
        self.writer.write(&batch).map_err(|e| self.error(e))
    }
}

/// An error as one line.
pub fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

impl RecordSink for BatchSink {
    fn record(&mut self, r: &mut PreparedRecord) -> OutputResult {
        if let Some(rows) = &r.rows {
            self.sha256 = Some(rows.sha256.clone());
            let key = u128::from_str_radix(&rows.id, 16).unwrap_or_default();
            if self.seen.insert(key) {
                self.batch.records.push(Arc::clone(rows));
            }
        }
        Ok(())
    }

    fn input(&mut self, report: &InputReport) -> OutputResult {
        let sha = self.sha256.take();
        self.batch.paths.push(report.path.clone());
        self.batch.files.push(rows::file_row(report, sha.as_deref()));
        Ok(())
    }

    fn flush(&mut self) -> OutputResult {
        self.write()
    }

    fn finish(mut self: Box<Self>, report: &RunReport) -> OutputResult {
        self.write()?;
        for s in &report.skipped {
            self.batch.paths.push(s.path.clone());
            self.batch.files.push(rows::skipped_row(&s.path, &s.reason));
        }
        self.write()?;
        let name = self.writer.name();
        let number = self.number;
        self.writer.finish().map_err(|e| OutputError {
            path: format!("{name} (after batch {number})"),
            source: io::Error::other(one_line(&e)),
        })
    }

    fn abort(self: Box<Self>, _: &RunReport) {
        self.writer.abort();
    }
}
