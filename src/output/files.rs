//! `--out DIR`: one pretty JSON file per record, named from department,
//! year and project, safe on every file system.

use super::atomic::write_atomic;
use super::report::RunReport;
use super::{PreparedRecord, RecordSink};
use crate::record::Record;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

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

/// Writes each record to its own file in a directory.
pub struct FileSink {
    pub dir: PathBuf,
    pub namer: Namer,
}

impl RecordSink for FileSink {
    fn record(&mut self, r: &mut PreparedRecord) -> io::Result<()> {
        if let (Some(bytes), Some((stem, suffix))) = (&r.pretty, &r.name) {
            let name = self.namer.name_for(stem, suffix);
            write_atomic(&self.dir.join(&name), bytes)?;
            r.report.file = Some(name);
        }
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunReport) -> io::Result<()> {
        Ok(())
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
