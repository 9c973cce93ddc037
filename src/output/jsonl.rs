//! `--jsonl FILE|-`: every record as one line of JSON, in input order.

use super::atomic::PendingFile;
use super::report::RunReport;
use super::{PreparedRecord, RecordSink};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// JSON Lines to a file (committed when the run ends) or to stdout.
pub struct JsonlSink {
    writer: Box<dyn Write>,
    pending: Option<PendingFile>,
}

impl JsonlSink {
    /// `-` is standard output.
    pub fn create(target: &Path) -> io::Result<JsonlSink> {
        if target.as_os_str() == "-" {
            return Ok(JsonlSink {
                writer: Box::new(io::BufWriter::new(io::stdout().lock())),
                pending: None,
            });
        }
        let pending = PendingFile::new(target);
        let writer = Box::new(io::BufWriter::new(fs::File::create(&pending.path)?));
        Ok(JsonlSink {
            writer,
            pending: Some(pending),
        })
    }
}

impl RecordSink for JsonlSink {
    fn record(&mut self, r: &mut PreparedRecord) -> io::Result<()> {
        match &r.line {
            Some(line) => self.writer.write_all(line),
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    fn finish(mut self: Box<Self>, _: &RunReport) -> io::Result<()> {
        let flushed = self.writer.flush();
        match (self.pending.take(), flushed) {
            (Some(p), Ok(())) => p.commit(),
            (Some(p), Err(e)) => {
                p.abandon();
                Err(e)
            }
            (None, flushed) => flushed,
        }
    }
}
