//! `--jsonl FILE|-`: every record as one line of JSON, in input order.

use super::atomic::{Naming, PendingFile};
use super::report::RunReport;
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// JSON Lines to a file (committed when the run ends) or to stdout.
pub struct JsonlSink {
    writer: Box<dyn Write>,
    /// The file's temp name and target; `None` for stdout.
    pending: Option<PendingFile>,
    target: PathBuf,
}

impl JsonlSink {
    /// `-` is standard output.
    pub fn create(target: &Path) -> Result<JsonlSink, OutputError> {
        if target.as_os_str() == "-" {
            return Ok(JsonlSink {
                writer: Box::new(io::BufWriter::new(io::stdout().lock())),
                pending: None,
                target: target.to_path_buf(),
            });
        }
        let (pending, file) = PendingFile::create(target, Naming::Named).map_err(|e| OutputError::new(target, e))?;
        Ok(JsonlSink {
            writer: Box::new(io::BufWriter::new(file)),
            pending: Some(pending),
            target: target.to_path_buf(),
        })
    }

    fn err(&self, e: io::Error) -> OutputError {
        OutputError::new(&self.target, e)
    }
}

impl RecordSink for JsonlSink {
    fn record(&mut self, r: &mut PreparedRecord) -> OutputResult {
        match &r.line {
            Some(line) => self.writer.write_all(line).map_err(|e| self.err(e)),
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> OutputResult {
        self.writer.flush().map_err(|e| self.err(e))
    }

    fn finish(mut self: Box<Self>, _: &RunReport) -> OutputResult {
        let flushed = self.writer.flush().map_err(|e| self.err(e));
        let pending = self.pending.take();
        let target = self.target.clone();
        drop(self);
        match (pending, flushed) {
            (Some(p), Ok(())) => p.commit().map_err(|e| OutputError::new(&target, e)),
            (Some(p), Err(e)) => {
                p.abandon();
                Err(e)
            }
            (None, flushed) => flushed,
        }
    }

    fn abort(mut self: Box<Self>, _: &RunReport) {
        let _ = self.writer.flush();
        if let Some(p) = self.pending.take() {
            drop(self);
            p.abandon();
        }
    }
}
