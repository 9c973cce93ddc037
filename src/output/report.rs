//! The run report: every input with its outcome (records, warnings by code,
//! skipped sheets, or the error that stopped it), as `_report.json` and as a
//! one-screen summary on stderr.

use super::atomic::write_atomic;
use super::{PreparedRecord, RecordSink};
use crate::record::{FormKind, Record};
pub use crate::run::inputs::SkippedFile;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

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
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordReport {
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub form: FormKind,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub warnings: std::collections::BTreeMap<&'static str, usize>,
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

#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub declx_version: &'static str,
    pub totals: Totals,
    pub inputs: Vec<InputReport>,
    pub skipped: Vec<SkippedFile>,
    /// Wall time; kept out of `_report.json` so reruns write the same bytes.
    #[serde(skip)]
    pub seconds: f64,
}

impl RecordReport {
    pub fn of(r: &Record, file: Option<String>) -> Self {
        let mut warnings = std::collections::BTreeMap::new();
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
    /// A one-screen summary for stderr: totals, warnings and errors by code.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let mut out = format!(
            "declx: {} input(s): {} ok, {} failed, {} skipped; {} record(s), {} warning(s) in {:.2}s",
            t.inputs, t.ok, t.failed, t.skipped_files, t.records, t.warnings, self.seconds
        );
        let mut warnings: BTreeMap<&str, usize> = BTreeMap::new();
        let mut errors: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &self.inputs {
            for r in &i.records {
                for (code, n) in &r.warnings {
                    *warnings.entry(code).or_insert(0) += n;
                }
            }
            if let Some(code) = i.error_code {
                *errors.entry(code).or_insert(0) += 1;
            }
        }
        let line = |m: &BTreeMap<&str, usize>| m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
        if !warnings.is_empty() {
            out.push_str(&format!("\n  warnings: {}", line(&warnings)));
        }
        if !errors.is_empty() {
            out.push_str(&format!("\n  errors: {}", line(&errors)));
        }
        out
    }
}

pub fn report_path(out: &Path) -> PathBuf {
    out.join("_report.json")
}

/// Writes `_report.json` into `--out` when the run is over.
pub struct ReportSink {
    pub dir: PathBuf,
}

impl RecordSink for ReportSink {
    fn record(&mut self, _: &mut PreparedRecord) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, report: &RunReport) -> io::Result<()> {
        write_atomic(&report_path(&self.dir), &super::to_pretty(report))
    }
}
