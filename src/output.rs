//! Output: record files named from department/year/project, JSON Lines,
//! and the run report. Every file is written to a temp name, then renamed.

use crate::record::Record;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temp file in the same directory, so a
/// reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // Never rename over a device or a pipe.
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return fs::write(path, bytes);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A file name safe on Windows, macOS and Linux: no reserved characters,
/// no trailing dots or spaces, at most 80 characters.
pub fn safe_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || c.is_whitespace() => '_',
            c => c,
        })
        .take(80)
        .collect();
    while out.ends_with(['.', '_']) {
        out.pop();
    }
    let out = out.trim_start_matches(['.', '_']).to_string();
    let upper = out.to_ascii_uppercase();
    let reserved = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "LPT1", "LPT2", "LPT3",
    ];
    if out.is_empty() || reserved.contains(&upper.as_str()) {
        format!("record_{out}")
    } else {
        out
    }
}

/// The base name of a record's file: department, year, project.
pub fn record_stem(r: &Record) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = &r.department {
        parts.push(d.clone());
    }
    if let Some(y) = r.year {
        parts.push(y.to_string());
    }
    if let Some(p) = r.project.as_ref().and_then(|p| p.get("name")) {
        parts.push(p.to_string());
    }
    if parts.is_empty() {
        let stem = Path::new(&r.source.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("record")
            .to_string();
        parts.push(stem);
        if let Some(s) = &r.source.sheet {
            parts.push(s.clone());
        }
    }
    safe_name(&parts.join("_"))
}

/// A short suffix that depends only on where the record came from.
pub fn stable_suffix(r: &Record) -> String {
    let mut h = Sha256::new();
    h.update(r.source.path.as_bytes());
    h.update([0]);
    h.update(r.source.sheet.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(r.source.range.as_bytes());
    h.finalize()[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// Hands out record file names, adding a stable suffix on collision.
#[derive(Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// The name for a record known by its `record_stem` and `stable_suffix`.
    pub fn name_for(&mut self, stem: &str, suffix: &str) -> String {
        let mut name = format!("{stem}.json");
        if !self.taken.insert(name.to_lowercase()) {
            name = format!("{stem}_{suffix}.json");
            let mut n = 2;
            while !self.taken.insert(name.to_lowercase()) {
                name = format!("{stem}_{suffix}_{n}.json");
                n += 1;
            }
        }
        name
    }
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
    pub form: crate::vocab::FormKind,
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

#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    pub path: String,
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
            *warnings.entry(w.code).or_insert(0) += 1;
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
        let mut warnings: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        let mut errors: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
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
        let line = |m: &std::collections::BTreeMap<&str, usize>| {
            m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(safe_name("广州市/天河区:司法局 2024"), "广州市_天河区_司法局_2024");
        assert_eq!(safe_name("..."), "record_");
        assert_eq!(safe_name("CON"), "record_CON");
    }
}
