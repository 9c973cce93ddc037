//! `--out DIR`: one pretty JSON file per record, named from department,
//! year and project plus a short hash of where the record came from, safe on
//! every file system. The files of a batch are written unsynced, flushed to
//! disk together, then renamed into place.

use super::atomic::{sync_dir, sync_files, temp_path};
use super::report::RunReport;
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use crate::record::Record;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The longest record file name, in bytes (file systems allow 255).
pub const MAX_NAME_BYTES: usize = 200;

/// A file name safe on Windows, macOS and Linux: no reserved characters,
/// no leading or trailing dots, spaces or underscores, no reserved device name.
pub fn safe_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || c.is_whitespace() => '_',
            c => c,
        })
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

/// A short suffix that depends only on where the record came from: its
/// path below its input root (so `in`, `./in` and `/abs/in` agree, and so do
/// shards), its sheet and its range.
pub fn stable_suffix(r: &Record, rel: &str) -> String {
    let mut h = Sha256::new();
    h.update(rel.as_bytes());
    h.update([0]);
    h.update(r.source.sheet.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(r.source.range.as_bytes());
    h.finalize()[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// The record's file name: `<stem>_<suffix>.json`, at most
/// `MAX_NAME_BYTES`, the stem cut on a character boundary.
pub fn record_name(r: &Record, rel: &str) -> String {
    let suffix = stable_suffix(r, rel);
    let stem = record_stem(r);
    let budget = MAX_NAME_BYTES - suffix.len() - "_.json".len();
    let mut cut = stem.len().min(budget);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    let stem = stem[..cut].trim_end_matches(['.', '_']);
    format!("{stem}_{suffix}.json")
}

/// Writes each record to its own file in a directory.
pub struct FileSink {
    dir: PathBuf,
    /// This batch's files: temp name and final name.
    staged: Vec<(PathBuf, PathBuf)>,
    /// Names written by this run (lower case: some file systems fold case).
    taken: HashSet<String>,
}

impl FileSink {
    pub fn create(dir: &Path) -> Result<FileSink, OutputError> {
        fs::create_dir_all(dir).map_err(|e| OutputError::new(dir, e))?;
        Ok(FileSink {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
            taken: HashSet::new(),
        })
    }
}

impl RecordSink for FileSink {
    fn record(&mut self, r: &mut PreparedRecord) -> OutputResult {
        let (Some(bytes), Some(name)) = (&r.pretty, &r.name) else {
            return Ok(());
        };
        // Two inputs can share a path below their roots (`a/x.txt` and
        // `b/x.txt` given as roots): the second gets a number.
        let mut name = name.clone();
        let mut n = 2;
        while !self.taken.insert(name.to_lowercase()) {
            name = format!(
                "{}_{n}.json",
                r.name.as_deref().unwrap_or_default().trim_end_matches(".json")
            );
            n += 1;
        }
        let tmp = temp_path(&self.dir);
        if let Err(e) = fs::write(&tmp, bytes) {
            let _ = fs::remove_file(&tmp);
            return Err(OutputError::new(&self.dir.join(&name), e));
        }
        self.staged.push((tmp, self.dir.join(&name)));
        r.report.file = Some(name);
        Ok(())
    }

    /// One sync for the batch, then the renames, then the directory.
    fn flush(&mut self) -> OutputResult {
        if self.staged.is_empty() {
            return Ok(());
        }
        let tmps: Vec<PathBuf> = self.staged.iter().map(|(t, _)| t.clone()).collect();
        sync_files(&self.dir, &tmps).map_err(|e| OutputError::new(&self.dir, e))?;
        for (tmp, target) in std::mem::take(&mut self.staged) {
            if let Err(e) = fs::rename(&tmp, &target) {
                let _ = fs::remove_file(&tmp);
                return Err(OutputError::new(&target, e));
            }
        }
        sync_dir(&self.dir).map_err(|e| OutputError::new(&self.dir, e))
    }

    fn finish(mut self: Box<Self>, _: &RunReport) -> OutputResult {
        self.flush()
    }

    fn abort(self: Box<Self>, _: &RunReport) {
        for (tmp, _) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
}

impl Drop for FileSink {
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
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
