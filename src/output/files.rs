//! `--out DIR`: one pretty JSON file per record, named from department,
//! year and project plus a short hash of where the record came from, safe on
//! every file system. The files of a batch are written unsynced, flushed to
//! disk together, then renamed into place.

use super::atomic::{check_own, sync_dir, sync_files, temp_file};
use super::report::RunReport;
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use crate::record::Record;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// The longest record file name, in bytes (file systems allow 255).
pub const MAX_NAME_BYTES: usize = 200;

/// Characters that draw nothing or reorder what follows: bidi controls
/// (a right-to-left override makes `x\u{202e}nosj.exe` show as `xexe.json`),
/// zero-width and other invisible format characters, fillers.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Windows device names: `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`,
/// `LPT0`–`LPT9` and `COM¹²³`/`LPT¹²³`, in any case, also before an
/// extension (`NUL.json` is the device) or trailing spaces.
fn is_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or_default().trim_end_matches(' ');
    let upper = base.to_uppercase();
    let mut chars = upper.chars();
    let head: String = chars.by_ref().take(3).collect();
    let tail: Vec<char> = chars.collect();
    match (head.as_str(), tail.as_slice()) {
        ("CON" | "PRN" | "AUX" | "NUL", []) => true,
        ("COM" | "LPT", [c]) => c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'),
        _ => false,
    }
}

/// A file name safe on Windows, macOS and Linux and in sync tools: no
/// reserved or invisible characters, no leading or trailing dots, spaces or
/// underscores, no reserved device name (also before a dot), no `~$`
/// (Office lock files, refused by OneDrive and SharePoint).
pub fn safe_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || c.is_whitespace() || is_invisible(c) => '_',
            c => c,
        })
        .collect();
    while out.ends_with(['.', '_']) {
        out.pop();
    }
    let out = out.trim_start_matches(['.', '_']).to_string();
    if out.is_empty() || is_reserved(&out) || out.starts_with("~$") {
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
    /// This batch's files: temp file (removed when dropped) and final name.
    staged: Vec<(TempPath, PathBuf)>,
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
        let target = self.dir.join(&name);
        let tmp = temp_file(&self.dir)
            .and_then(|(mut f, tmp)| f.write_all(bytes).map(|()| tmp))
            .map_err(|e| OutputError::new(&target, e))?;
        self.staged.push((tmp, target));
        r.report.file = Some(name);
        Ok(())
    }

    /// One sync for the batch, then the renames, then the directory.
    fn flush(&mut self) -> OutputResult {
        if self.staged.is_empty() {
            return Ok(());
        }
        let tmps: Vec<&Path> = self.staged.iter().map(|(t, _)| t.as_ref()).collect();
        sync_files(&self.dir, &tmps).map_err(|e| OutputError::new(&self.dir, e))?;
        // A failed rename drops the rest of the batch: their temps go too.
        for (tmp, target) in std::mem::take(&mut self.staged) {
            check_own(&target).map_err(|e| OutputError::new(&target, e))?;
            tmp.persist(&target).map_err(|e| OutputError::new(&target, e.error))?;
        }
        sync_dir(&self.dir).map_err(|e| OutputError::new(&self.dir, e))
    }

    fn finish(mut self: Box<Self>, _: &RunReport) -> OutputResult {
        self.flush()
    }

    /// The staged temps are removed as they are dropped.
    fn abort(self: Box<Self>, _: &RunReport) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(safe_name("广州市/天河区:司法局 2024"), "广州市_天河区_司法局_2024");
        assert_eq!(safe_name("..."), "record_");
        assert_eq!(safe_name("CON"), "record_CON");
        assert_eq!(safe_name("nul.json"), "record_nul.json");
        assert_eq!(safe_name("COM¹.x"), "record_COM¹.x");
        assert_eq!(safe_name("LPT9"), "record_LPT9");
        assert_eq!(safe_name("CONSOLE.局"), "CONSOLE.局");
        assert_eq!(safe_name("部门\u{202e}nosj.exe"), "部门_nosj.exe");
        assert_eq!(safe_name("\u{200b}\u{200b}"), "record_");
        assert_eq!(safe_name("~$lock"), "record_~$lock");
    }
}
