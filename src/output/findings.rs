//! `--findings FILE`: what a reviewer hands back — one row per finding (a
//! failed check of a record: department, project, file, sheet, cell,
//! indicator, 审核要点, rule, severity, 审核细项, message). `.csv` is UTF-8
//! with BOM, streamed; `.xlsx` (rust_xlsxwriter) adds a summary sheet with
//! the count per department and rule, and is written when the run ends.
//! Knows nothing of how findings are found (that is `rules`).

use super::atomic::{write_atomic, Naming, PendingFile};
use super::report::RunReport;
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use crate::rules::Finding;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The format of `--findings`, by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingsFormat {
    Xlsx,
    Csv,
}

impl FindingsFormat {
    /// The format a file name asks for; `None` for any other extension.
    pub fn of(path: &Path) -> Option<FindingsFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Some(FindingsFormat::Xlsx),
            "csv" => Some(FindingsFormat::Csv),
            _ => None,
        }
    }
}

/// The findings sheet's headers in the workbook (the reviewer's words);
/// the CSV uses `Finding::HEADER`.
pub const SHEET_HEADER: [&str; 11] = [
    "部门",
    "项目",
    "文件",
    "工作表",
    "单元格",
    "指标",
    "审核要点",
    "规则",
    "严重程度",
    "审核细项",
    "审核意见",
];
pub const FINDINGS_SHEET: &str = "审核意见";
pub const SUMMARY_SHEET: &str = "汇总";
const SUMMARY_HEADER: [&str; 6] = ["部门", "规则", "审核要点", "严重程度", "审核细项", "条数"];

enum Writer {
    Csv(Box<csv::Writer<BufWriter<File>>>, PendingFile),
    /// Rows kept until the run ends: a workbook is written in one piece.
    Xlsx(Vec<Finding>),
}

pub struct FindingsSink {
    target: std::path::PathBuf,
    writer: Writer,
}

impl FindingsSink {
    pub fn create(target: &Path, format: FindingsFormat) -> Result<FindingsSink, OutputError> {
        let writer = match format {
            FindingsFormat::Xlsx => Writer::Xlsx(Vec::new()),
            FindingsFormat::Csv => {
                let (pending, file) =
                    PendingFile::create(target, Naming::Named).map_err(|e| OutputError::new(target, e))?;
                let open = || -> io::Result<csv::Writer<BufWriter<File>>> {
                    let mut file = BufWriter::new(file);
                    file.write_all("\u{feff}".as_bytes())?;
                    let mut w = csv::WriterBuilder::new().from_writer(file);
                    w.write_record(Finding::HEADER)?;
                    Ok(w)
                };
                match open() {
                    Ok(w) => Writer::Csv(Box::new(w), pending),
                    Err(e) => {
                        pending.abandon();
                        return Err(OutputError::new(target, e));
                    }
                }
            }
        };
        Ok(FindingsSink {
            target: target.to_path_buf(),
            writer,
        })
    }
}

impl RecordSink for FindingsSink {
    fn record(&mut self, r: &mut PreparedRecord) -> OutputResult {
        let Some(findings) = r.findings.take() else {
            return Ok(());
        };
        match &mut self.writer {
            Writer::Xlsx(rows) => rows.extend(findings),
            Writer::Csv(w, _) => {
                for f in &findings {
                    w.write_record(f.columns())
                        .map_err(|e| OutputError::new(&self.target, e.into()))?;
                }
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunReport) -> OutputResult {
        let FindingsSink { target, writer } = *self;
        match writer {
            Writer::Csv(w, pending) => match w.into_inner().map_err(|e| e.into_error()).and_then(|mut b| b.flush()) {
                Ok(()) => pending.commit().map_err(|e| OutputError::new(&target, e)),
                Err(e) => {
                    pending.abandon();
                    Err(OutputError::new(&target, e))
                }
            },
            Writer::Xlsx(rows) => {
                let bytes = workbook(&rows).map_err(|e| OutputError::new(&target, io::Error::other(e)))?;
                write_atomic(&target, &bytes).map_err(|e| OutputError::new(&target, e))
            }
        }
    }

    fn abort(self: Box<Self>, _: &RunReport) {
        if let Writer::Csv(w, pending) = self.writer {
            drop(w);
            pending.abandon();
        }
    }
}

/// The findings workbook: the findings sheet and the summary sheet.
pub fn workbook(rows: &[Finding]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#DDEBF7");
    let ws = wb.add_worksheet().set_name(FINDINGS_SHEET)?;
    for (c, h) in SHEET_HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, f) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, v) in f.columns().iter().enumerate() {
            ws.write_string(row, c as u16, *v)?;
        }
    }
    for (c, w) in [20, 18, 34, 8, 8, 36, 8, 26, 8, 20, 90].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, SHEET_HEADER.len() as u16 - 1)?;
    // Printed (or saved as PDF) one page wide, landscape, the header on every page.
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;

    let mut counts: BTreeMap<(&str, &str), (&Finding, usize)> = BTreeMap::new();
    for f in rows {
        counts.entry((&f.department, &f.rule)).or_insert((f, 0)).1 += 1;
    }
    let ws = wb.add_worksheet().set_name(SUMMARY_SHEET)?;
    for (c, h) in SUMMARY_HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, ((dept, rule), (f, n))) in counts.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, *dept)?;
        ws.write_string(row, 1, *rule)?;
        ws.write_string(row, 2, &f.point)?;
        ws.write_string(row, 3, &f.severity)?;
        ws.write_string(row, 4, &f.title)?;
        ws.write_number(row, 5, *n as f64)?;
    }
    for (c, w) in [24, 28, 10, 10, 22, 8].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}
