//! The run report: every input with its outcome (records, warnings by code,
//! skipped sheets, or the error that stopped it), as `_report.json` and as a
//! one-screen summary on stderr.

use super::atomic::{check_own, dir_of, temp_file, Naming, PendingFile};
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use crate::record::{FormKind, Record};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// A file passed over, with the reason (listed under `skipped`).
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// The error code and text of an input whose files were never committed.
pub const NOT_WRITTEN: &str = "not_written";

/// The outcome of one input, as listed in `_report.json`.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub path: String,
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordReport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_sheets: Vec<SkippedSheet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<&'static str>,
    /// `--review`: the input's page, for the review sink (never in the report).
    #[serde(skip)]
    pub review: Option<crate::review::ReviewPage>,
}

impl InputReport {
    /// The entry without its review page (which can be large).
    pub fn clone_without_page(&self) -> InputReport {
        InputReport {
            path: self.path.clone(),
            outcome: self.outcome,
            records: self.records.clone(),
            skipped_sheets: self.skipped_sheets.clone(),
            error: self.error.clone(),
            error_code: self.error_code,
            review: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordReport {
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub form: FormKind,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub warnings: BTreeMap<&'static str, usize>,
    pub unmapped: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedSheet {
    pub sheet: String,
    pub reason: String,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Totals {
    pub inputs: usize,
    pub ok: usize,
    pub failed: usize,
    pub records: usize,
    pub warnings: usize,
    pub skipped_files: usize,
}

/// What a run did, kept as counts so memory does not grow with the number
/// of inputs: each input's entry goes to the report file as it is made.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    pub declx_version: &'static str,
    pub totals: Totals,
    pub skipped: Vec<SkippedFile>,
    /// The run stopped early (a signal, a closed pipe, a write error): only
    /// the inputs listed finished.
    pub interrupted: bool,
    /// Warnings and errors by code, for the summary.
    pub warnings_by_code: BTreeMap<&'static str, usize>,
    pub errors_by_code: BTreeMap<&'static str, usize>,
    /// Record files in `--out` that earlier runs wrote and this one did not
    /// (and did not remove): listed so a later `--clean` knows them.
    pub stale: Vec<String>,
    /// Wall time; kept out of `_report.json` so reruns write the same bytes.
    pub seconds: f64,
}

impl RecordReport {
    pub fn of(r: &Record, file: Option<String>) -> Self {
        let mut warnings = BTreeMap::new();
        for w in &r.warnings {
            *warnings.entry(w.code.as_str()).or_insert(0) += 1;
        }
        RecordReport {
            file,
            sheet: r.source.sheet.clone(),
            form: r.form,
            department: r.department.clone(),
            year: r.year,
            warnings,
            unmapped: r.unmapped.len(),
        }
    }
}

impl RunReport {
    pub fn new() -> Self {
        RunReport {
            declx_version: env!("CARGO_PKG_VERSION"),
            ..RunReport::default()
        }
    }

    /// Counts one input's outcome.
    pub fn add(&mut self, input: &InputReport) {
        let t = &mut self.totals;
        t.inputs += 1;
        match input.error_code {
            Some(code) => {
                t.failed += 1;
                *self.errors_by_code.entry(code).or_insert(0) += 1;
            }
            None => t.ok += 1,
        }
        for r in &input.records {
            t.records += 1;
            for (code, n) in &r.warnings {
                t.warnings += n;
                *self.warnings_by_code.entry(code).or_insert(0) += n;
            }
        }
    }

    /// A one-screen summary for stderr: totals, warnings and errors by code.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let mut out = format!(
            "declx: {} input(s): {} ok, {} failed, {} skipped; {} record(s), {} warning(s) in {:.2}s",
            t.inputs, t.ok, t.failed, t.skipped_files, t.records, t.warnings, self.seconds
        );
        if self.interrupted {
            out.push_str(" (interrupted: the inputs not listed were not read)");
        }
        let line = |m: &BTreeMap<&str, usize>| m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
        if !self.warnings_by_code.is_empty() {
            out.push_str(&format!("\n  warnings: {}", line(&self.warnings_by_code)));
        }
        if !self.errors_by_code.is_empty() {
            out.push_str(&format!("\n  errors: {}", line(&self.errors_by_code)));
        }
        out
    }
}

/// The report's file name: `_report.json`, or `_report.K-of-N.json` for
/// shard K of N, so shards written into one directory keep every report.
pub fn report_name(shard: Option<(u64, u64)>) -> String {
    match shard {
        Some((k, n)) => format!("_report.{k}-of-{n}.json"),
        None => "_report.json".to_string(),
    }
}

/// Writes the run report into `--out`: each input's entry is appended to a
/// temp file once its batch is committed (`flush`); at the end the report is
/// assembled around them and renamed into place. The layout is serde_json's
/// pretty one. Entries of a batch that never committed (a write error
/// stopped the run) are listed as `not_written`, without file names.
pub struct ReportSink {
    target: PathBuf,
    entries: Option<(TempPath, BufWriter<File>)>,
    count: usize,
    /// This batch's entries, until its files are committed.
    batch: Vec<InputReport>,
}

impl ReportSink {
    pub fn create(target: &Path) -> Result<ReportSink, OutputError> {
        let err = |e| OutputError::new(target, e);
        check_own(target).map_err(err)?;
        let (file, tmp) = temp_file(dir_of(target)).map_err(err)?;
        Ok(ReportSink {
            target: target.to_path_buf(),
            entries: Some((tmp, BufWriter::new(file))),
            count: 0,
            batch: Vec::new(),
        })
    }

    fn err(&self, e: io::Error) -> OutputError {
        OutputError::new(&self.target, e)
    }

    /// Appends one entry to the entries file.
    fn append(&mut self, input: &InputReport) -> OutputResult {
        let bytes = indented(input, 4).map_err(|e| self.err(e))?;
        let first = self.count == 0;
        self.count += 1;
        let Some((_, w)) = self.entries.as_mut() else {
            return Ok(());
        };
        let result = (|| {
            if !first {
                w.write_all(b",\n")?;
            }
            w.write_all(b"    ")?;
            w.write_all(&bytes)
        })();
        result.map_err(|e| self.err(e))
    }

    /// The report file: header and totals, the entries, the skipped files.
    fn write_report(&mut self, report: &RunReport) -> OutputResult {
        let Some((entries_path, mut entries)) = self.entries.take() else {
            return Ok(());
        };
        let result = (|| -> io::Result<()> {
            entries.flush()?;
            drop(entries);
            let mut out = Vec::new();
            out.extend_from_slice(b"{\n  \"declx_version\": ");
            out.extend(serde_json::to_vec(report.declx_version)?);
            out.extend_from_slice(b",\n  \"totals\": ");
            out.extend(indented(&report.totals, 2)?);
            out.extend_from_slice(b",\n  \"inputs\": ");
            out.extend_from_slice(if self.count == 0 { b"[]" } else { b"[\n" });
            let (pending, file) = PendingFile::create(&self.target, Naming::Own)?;
            let mut f = BufWriter::new(file);
            f.write_all(&out)?;
            io::copy(&mut File::open(&entries_path)?, &mut f)?;
            out.clear();
            if self.count > 0 {
                out.extend_from_slice(b"\n  ]");
            }
            out.extend_from_slice(b",\n  \"skipped\": ");
            out.extend(indented(&report.skipped, 2)?);
            if !report.stale.is_empty() {
                out.extend_from_slice(b",\n  \"stale\": ");
                out.extend(indented(&report.stale, 2)?);
            }
            if report.interrupted {
                out.extend_from_slice(b",\n  \"interrupted\": true");
            }
            out.extend_from_slice(b"\n}\n");
            f.write_all(&out)?;
            let file = f.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            drop(file);
            pending.commit()
        })();
        drop(entries_path);
        result.map_err(|e| self.err(e))
    }
}

/// An input whose batch never committed: its records were not written.
fn not_written(mut input: InputReport) -> InputReport {
    input.outcome = "error";
    input.error_code = Some(NOT_WRITTEN);
    input.error = Some(format!(
        "{}: not written: the run stopped at a write error before this input's files were committed",
        input.path
    ));
    for r in &mut input.records {
        r.file = None;
    }
    input
}

/// A value pretty-printed as serde_json would inside an object nested
/// `depth` levels deep (its lines after the first indented by that much).
fn indented(v: &impl Serialize, depth: usize) -> io::Result<Vec<u8>> {
    let text = serde_json::to_vec_pretty(v)?;
    let pad = " ".repeat(depth);
    let mut out = Vec::with_capacity(text.len());
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(pad.as_bytes());
        }
        out.extend_from_slice(line);
    }
    Ok(out)
}

impl RecordSink for ReportSink {
    fn record(&mut self, _: &mut PreparedRecord) -> OutputResult {
        Ok(())
    }

    fn input(&mut self, input: &InputReport) -> OutputResult {
        self.batch.push(input.clone_without_page());
        Ok(())
    }

    /// The batch's files are committed: its entries go to the report.
    fn flush(&mut self) -> OutputResult {
        for input in std::mem::take(&mut self.batch) {
            self.append(&input)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, report: &RunReport) -> OutputResult {
        self.flush()?;
        self.write_report(report)
    }

    /// The report of what finished is still written; the inputs of a batch
    /// that never committed are listed as not written.
    fn abort(mut self: Box<Self>, report: &RunReport) {
        let mut report = report.clone();
        for input in std::mem::take(&mut self.batch) {
            let was_ok = input.error_code.is_none();
            let input = not_written(input);
            report.totals.records -= input.records.len();
            if was_ok {
                report.totals.ok -= 1;
                report.totals.failed += 1;
            }
            *report.errors_by_code.entry(NOT_WRITTEN).or_insert(0) += 1;
            let _ = self.append(&input);
        }
        let _ = self.write_report(&report);
    }
}
