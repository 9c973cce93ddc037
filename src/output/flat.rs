//! `--flat`: one row per 三级指标, the table analysts load straight into a
//! dataframe. The columns are fixed so a stream of forms shares one header.

use super::atomic::{Naming, PendingFile};
use super::report::RunReport;
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use crate::record::{ColumnKey, IndicatorNode, Record, Target};
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Value columns that get their own raw/kind/op/value/unit fields.
const KEYS: &[ColumnKey] = &[
    ColumnKey::Period,
    ColumnKey::Annual,
    ColumnKey::Actual,
    ColumnKey::Weight,
    ColumnKey::Score,
    ColumnKey::ExecutedToDate,
    ColumnKey::ExpectedFullYear,
];
const PARTS: &[&str] = &["raw", "kind", "op", "value", "unit"];

enum FlatWriter {
    /// UTF-8 with BOM, so Excel opens it right; DuckDB and pandas read it too.
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Jsonl(BufWriter<File>),
}

/// One row of the flat table.
#[derive(Debug, Serialize)]
pub struct FlatRow {
    pub department: Option<String>,
    pub year: Option<i32>,
    pub form: String,
    pub project: Option<String>,
    pub path: String,
    pub sheet: Option<String>,
    pub level1: String,
    pub level2: Option<String>,
    pub level3: String,
    pub cell: Option<String>,
    /// `key_part` → text; numbers as written.
    #[serde(flatten)]
    pub values: serde_json::Map<String, serde_json::Value>,
    /// Other columns (nature, deviation_note …) as a JSON object of raw texts.
    pub other: String,
}

/// The flat table's columns, in order.
pub fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "department",
        "year",
        "form",
        "project",
        "path",
        "sheet",
        "level1",
        "level2",
        "level3",
        "cell",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for k in KEYS {
        for p in PARTS {
            h.push(format!("{k}_{p}"));
        }
    }
    h.push("other".into());
    h
}

fn part(t: Option<&Target>, p: &str) -> Option<String> {
    let t = t?;
    match p {
        "raw" => Some(t.raw.clone()),
        "kind" => Some(t.kind.as_str().to_string()),
        "op" => t.op.map(|o| o.as_str().to_string()),
        "value" => t.value.map(|v| v.to_string()),
        "unit" => t.unit.clone(),
        _ => None,
    }
}

/// The flat rows of a record, in tree order.
/// One row per 三级指标 of a record.
pub fn rows(r: &Record) -> Vec<FlatRow> {
    let mut out = Vec::new();
    let form = r.form.as_str().to_string();
    let project = r.project.as_ref().and_then(|p| p.get("name")).map(str::to_string);
    let mut push = |l1: &str, l2: Option<&str>, leaf: &IndicatorNode| {
        let mut values = serde_json::Map::new();
        let v = leaf.values.as_ref();
        for k in KEYS {
            let t = v.and_then(|v| v.get(k));
            for p in PARTS {
                values.insert(
                    format!("{k}_{p}"),
                    part(t, p).map_or(serde_json::Value::Null, serde_json::Value::String),
                );
            }
        }
        let mut other = serde_json::Map::new();
        for (k, t) in v.map(|v| v.0.as_slice()).unwrap_or_default() {
            if !KEYS.contains(k) {
                other.insert(k.to_string(), serde_json::Value::String(t.raw.clone()));
            }
        }
        out.push(FlatRow {
            department: r.department.clone(),
            year: r.year,
            form: form.clone(),
            project: project.clone(),
            path: r.source.path.clone(),
            sheet: r.source.sheet.clone(),
            level1: l1.to_string(),
            level2: l2.map(str::to_string),
            level3: leaf.name.clone(),
            cell: leaf.cell.clone(),
            values,
            other: serde_json::Value::Object(other).to_string(),
        });
    };
    for l1 in &r.indicators {
        for n in l1.children.as_deref().unwrap_or_default() {
            match &n.children {
                None => push(&l1.name, None, n),
                Some(leaves) => {
                    for leaf in leaves {
                        push(&l1.name, Some(&n.name), leaf);
                    }
                }
            }
        }
    }
    out
}

/// A CSV field a spreadsheet would not run as a formula (OWASP's rule for
/// CSV injection): text starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`, which Excel, LibreOffice and Google Sheets
/// show as text and do not display. A number (`-5`, `+1.5e3`, `-12%`,
/// `-1,234.50`) is kept as written. JSON outputs keep every text as written.
pub fn inert(field: &str) -> std::borrow::Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(field) {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

/// A plain signed decimal number, with thousands separators, an exponent or
/// a percent sign: what a spreadsheet reads as a number, never a formula.
fn is_number(s: &str) -> bool {
    let s = s.strip_suffix('%').unwrap_or(s);
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let mantissa_ok = digits > 0
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && mantissa.matches('.').count() <= 1
        && !mantissa.starts_with(',');
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

/// The two shapes of the flat table, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatFormat {
    /// `.csv`: UTF-8 with BOM, so Excel opens it right; DuckDB and pandas read it too.
    Csv,
    /// `.jsonl`, `.ndjson`: one JSON object per row.
    Jsonl,
}

impl FlatFormat {
    /// The format a file name asks for; `None` for any other extension.
    pub fn of(path: &Path) -> Option<FlatFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(FlatFormat::Csv),
            "jsonl" | "ndjson" => Some(FlatFormat::Jsonl),
            _ => None,
        }
    }
}

impl FlatWriter {
    /// Writes to `file` in `format`.
    fn create(file: File, format: FlatFormat) -> io::Result<FlatWriter> {
        let mut file = BufWriter::new(file);
        match format {
            FlatFormat::Csv => {
                file.write_all("\u{feff}".as_bytes())?;
                let mut w = csv::WriterBuilder::new().from_writer(file);
                w.write_record(header())?;
                Ok(FlatWriter::Csv(Box::new(w)))
            }
            FlatFormat::Jsonl => Ok(FlatWriter::Jsonl(file)),
        }
    }

    fn write(&mut self, r: &Record) -> io::Result<()> {
        for row in rows(r) {
            match self {
                FlatWriter::Csv(w) => {
                    let mut fields: Vec<String> = vec![
                        row.department.clone().unwrap_or_default(),
                        row.year.map(|y| y.to_string()).unwrap_or_default(),
                        row.form.clone(),
                        row.project.clone().unwrap_or_default(),
                        row.path.clone(),
                        row.sheet.clone().unwrap_or_default(),
                        row.level1.clone(),
                        row.level2.clone().unwrap_or_default(),
                        row.level3.clone(),
                        row.cell.clone().unwrap_or_default(),
                    ];
                    for k in KEYS {
                        for p in PARTS {
                            let v = &row.values[&format!("{k}_{p}")];
                            fields.push(v.as_str().unwrap_or_default().to_string());
                        }
                    }
                    fields.push(row.other.clone());
                    w.write_record(fields.iter().map(|f| inert(f).into_owned()))?;
                }
                FlatWriter::Jsonl(w) => {
                    serde_json::to_writer(&mut *w, &row)?;
                    w.write_all(b"\n")?;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> io::Result<()> {
        match self {
            FlatWriter::Csv(mut w) => w.flush(),
            FlatWriter::Jsonl(mut w) => w.flush(),
        }
    }
}

/// `--flat FILE`: the flat table of every record, committed when the run ends.
pub struct FlatSink {
    writer: FlatWriter,
    pending: PendingFile,
}

impl FlatSink {
    pub fn create(target: &Path, format: FlatFormat) -> Result<FlatSink, OutputError> {
        let err = |e| OutputError::new(target, e);
        let (pending, file) = PendingFile::create(target, Naming::Named).map_err(err)?;
        let writer = FlatWriter::create(file, format).map_err(err)?;
        Ok(FlatSink { writer, pending })
    }
}

impl RecordSink for FlatSink {
    fn record(&mut self, r: &mut PreparedRecord) -> OutputResult {
        match &r.record {
            Some(record) => self
                .writer
                .write(record)
                .map_err(|e| OutputError::new(&self.pending.target, e)),
            None => Ok(()),
        }
    }

    fn finish(self: Box<Self>, _: &RunReport) -> OutputResult {
        let FlatSink { writer, pending } = *self;
        let target = pending.target.clone();
        match writer.finish() {
            Ok(()) => pending.commit().map_err(|e| OutputError::new(&target, e)),
            Err(e) => {
                pending.abandon();
                Err(OutputError::new(&target, e))
            }
        }
    }

    fn abort(self: Box<Self>, _: &RunReport) {
        let FlatSink { writer, pending } = *self;
        drop(writer);
        pending.abandon();
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_made_inert_and_numbers_kept() {
        for f in [
            "=1+2",
            "+1+2",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1)",
            "\t=1",
            "\r=1",
            "-",
            "+",
            "=",
            "-e5",
            "1e5",
        ] {
            let out = inert(f);
            if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert_eq!(out, format!("'{f}"), "{f}");
            } else {
                assert_eq!(out, f);
            }
        }
        for n in [
            "-5",
            "+1.5e3",
            "-12%",
            "-1,234.50",
            "-0.5",
            "-.5",
            "-5E-3",
            "部门",
            "",
            "'=x",
        ] {
            assert_eq!(inert(n), n, "{n}");
        }
    }
}
