//! `--review DIR`: the review site of a run. Each input's page (rendered on
//! the worker that read it) is written as `DIR/forms/NNNNNN.html` when the
//! input's report arrives; `DIR/index.html`, one row per input, is written
//! at the end. Every file goes through the atomic writer.

use super::atomic::{check_own, write_own};
use super::report::{InputReport, RunReport};
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use crate::review::{render_index, IndexRow};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file marking a directory as a review site written by declx; the
/// input walk passes over a directory holding it, and its `forms/`.
pub const SITE_MARKER: &str = ".declx-review";
const SITE_MARKER_TEXT: &str = "A review site written by declx: `declx extract` does not read this directory.\n";

pub struct ReviewSink {
    dir: PathBuf,
    rows: Vec<IndexRow>,
}

impl ReviewSink {
    pub fn create(dir: &Path) -> Result<Self, OutputError> {
        std::fs::create_dir_all(dir.join("forms")).map_err(|e| OutputError::new(dir, e))?;
        let index = dir.join("index.html");
        check_own(&index).map_err(|e| OutputError::new(&index, e))?;
        // Marks the site as declx's own, so a later run over a tree holding
        // it does not read its pages back as forms.
        let marker = dir.join(SITE_MARKER);
        write_own(&marker, SITE_MARKER_TEXT.as_bytes()).map_err(|e| OutputError::new(&marker, e))?;
        Ok(ReviewSink {
            dir: dir.to_path_buf(),
            rows: Vec::new(),
        })
    }
}

fn joined(values: impl Iterator<Item = String>) -> String {
    let mut v: Vec<String> = values.filter(|s| !s.is_empty()).collect();
    v.dedup();
    v.join(", ")
}

impl RecordSink for ReviewSink {
    fn record(&mut self, _: &mut PreparedRecord) -> OutputResult {
        Ok(())
    }

    fn input(&mut self, report: &InputReport) -> OutputResult {
        let n = self.rows.len() + 1;
        let page = match &report.review {
            Some(p) => {
                let name = format!("forms/{n:06}.html");
                let path = self.dir.join(&name);
                write_own(&path, p.html.as_bytes()).map_err(|e| OutputError::new(&path, e))?;
                Some(name)
            }
            None => None,
        };
        let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
        for r in &report.records {
            for (code, k) in &r.warnings {
                *by_code.entry(code.to_string()).or_default() += k;
            }
        }
        let recs = &report.records;
        let (cells, mapped, unmapped) = report
            .review
            .as_ref()
            .map_or((0, 0, 0), |p| (p.cells, p.mapped, p.unmapped));
        self.rows.push(IndexRow {
            page,
            path: report.path.clone(),
            outcome: report.outcome.to_string(),
            forms: joined(recs.iter().map(|r| r.form.as_str().to_string())),
            department: joined(recs.iter().map(|r| r.department.clone().unwrap_or_default())),
            year: joined(recs.iter().map(|r| r.year.map(|y| y.to_string()).unwrap_or_default())),
            records: report.records.len(),
            warnings: by_code.values().sum(),
            by_code,
            findings: report.review.as_ref().map_or(0, |p| p.findings),
            unmapped,
            cells,
            mapped: (cells > 0).then(|| (100 * mapped / cells) as u32),
            error: report.error.clone(),
        });
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunReport) -> OutputResult {
        let html = render_index(&self.rows, env!("CARGO_PKG_VERSION"))
            .map_err(|e| OutputError::new(&self.dir, std::io::Error::other(e.to_string())))?;
        let path = self.dir.join("index.html");
        write_own(&path, html.as_bytes()).map_err(|e| OutputError::new(&path, e))
    }

    fn abort(self: Box<Self>, report: &RunReport) {
        // The pages written stay; the index lists what finished.
        let _ = self.finish(report);
    }
}
