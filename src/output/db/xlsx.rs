//! `--xlsx FILE`: the tables as one workbook for Excel and WPS users
//! (rust_xlsxwriter, constant-memory sheets): 记录, 预算, 重点任务, 绩效指标
//! (one row per 三级指标 and value column, with its 一级/二级 names and the
//! parsed value) and 文件. Chinese headings in the first row, the English
//! column names in the second, both frozen; column widths fit the text;
//! amounts and values are numbers shown with the source's decimals. Written
//! under a temp name and renamed when the run ends. Knows nothing of records.

use super::batch::{Batch, BatchWriter};
use super::rows::{RecordRows, Row, Val};
use super::schema::{self, Column, Table, Ty};
use crate::output::atomic::{Naming, PendingFile};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Excel's last row (0-based) is 1,048,575; a fuller sheet goes on in `名称 2`.
const MAX_ROWS: u32 = 1_048_576;
const HEADER_ROWS: u32 = 2;
const MAX_WIDTH: f64 = 60.0;

/// A column of a sheet: headings and where its value comes from.
#[derive(Clone, Copy)]
struct Col {
    zh: &'static str,
    en: &'static str,
}

impl From<&Column> for Col {
    fn from(c: &Column) -> Self {
        Col { zh: c.zh, en: c.name }
    }
}

/// The columns each record-level sheet starts with, from the record.
const CONTEXT: [Col; 3] = [
    Col {
        zh: "部门",
        en: "department",
    },
    Col {
        zh: "年度", en: "year"
    },
    Col {
        zh: "项目名称",
        en: "project_name",
    },
];

const INDICATOR_COLS: [Col; 16] = [
    Col {
        zh: "记录编号",
        en: "record_id",
    },
    Col {
        zh: "一级指标",
        en: "level1",
    },
    Col {
        zh: "二级指标",
        en: "level2",
    },
    Col {
        zh: "三级指标",
        en: "level3",
    },
    Col {
        zh: "单元格",
        en: "cell",
    },
    Col {
        zh: "权重",
        en: "weight",
    },
    Col {
        zh: "列",
        en: "column_key",
    },
    Col {
        zh: "列标题",
        en: "header",
    },
    Col {
        zh: "原文", en: "raw"
    },
    Col {
        zh: "类型", en: "kind"
    },
    Col {
        zh: "比较符", en: "op"
    },
    Col {
        zh: "数值",
        en: "value",
    },
    Col {
        zh: "计量单位",
        en: "unit",
    },
    Col {
        zh: "下限",
        en: "min_value",
    },
    Col {
        zh: "上限",
        en: "max_value",
    },
    Col {
        zh: "等级",
        en: "grade",
    },
];

struct Sheet {
    name: &'static str,
    cols: Vec<Col>,
    /// Worksheet indexes in the workbook (more than one past Excel's row limit).
    parts: Vec<usize>,
    row: u32,
    widths: Vec<usize>,
}

pub struct XlsxWriter {
    target: PathBuf,
    book: Workbook,
    sheets: Vec<Sheet>,
    head: Format,
    sub: Format,
    /// Number formats by scale (digits after the point).
    numbers: HashMap<u32, Format>,
}

fn xe(e: XlsxError) -> String {
    e.to_string()
}

fn table_cols(t: &Table, context: bool) -> Vec<Col> {
    let mut cols: Vec<Col> = if context { CONTEXT.to_vec() } else { Vec::new() };
    cols.extend(t.columns.iter().filter(|c| c.ty != Ty::Json).map(Col::from));
    cols
}

/// Display width: CJK and full-width characters count two.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

impl XlsxWriter {
    pub fn create(target: &Path) -> Result<XlsxWriter, String> {
        let mut w = XlsxWriter {
            target: target.to_path_buf(),
            book: Workbook::new(),
            sheets: Vec::new(),
            head: Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)),
            sub: Format::new().set_italic().set_font_color(Color::RGB(0x808080)),
            numbers: HashMap::new(),
        };
        let specs: [(&'static str, Vec<Col>); 5] = [
            ("记录", table_cols(&schema::RECORDS, false)),
            ("预算", table_cols(&schema::BUDGET_ITEMS, true)),
            ("重点任务", table_cols(&schema::KEY_TASKS, true)),
            ("绩效指标", {
                let mut c = CONTEXT.to_vec();
                c.extend(INDICATOR_COLS);
                c
            }),
            ("文件", table_cols(&schema::FILES, false)),
        ];
        for (name, cols) in specs {
            let mut sheet = Sheet {
                name,
                widths: cols.iter().map(|c| width(c.zh).max(c.en.len())).collect(),
                cols,
                parts: Vec::new(),
                row: 0,
            };
            w.new_part(&mut sheet)?;
            w.sheets.push(sheet);
        }
        Ok(w)
    }

    /// Starts a worksheet of `sheet` with its two heading rows.
    fn new_part(&mut self, sheet: &mut Sheet) -> Result<(), String> {
        let name = match sheet.parts.len() {
            0 => sheet.name.to_string(),
            n => format!("{} {}", sheet.name, n + 1),
        };
        let ws = self.book.add_worksheet_with_constant_memory();
        ws.set_name(name).map_err(xe)?;
        for (i, c) in sheet.cols.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, c.zh, &self.head).map_err(xe)?;
        }
        for (i, c) in sheet.cols.iter().enumerate() {
            ws.write_string_with_format(1, i as u16, c.en, &self.sub).map_err(xe)?;
        }
        ws.set_freeze_panes(HEADER_ROWS, 0).map_err(xe)?;
        sheet.parts.push(self.book.worksheets_mut().len() - 1);
        sheet.row = HEADER_ROWS;
        Ok(())
    }

    fn number_format(&mut self, scale: u32) -> Format {
        self.numbers
            .entry(scale)
            .or_insert_with(|| {
                let pattern = if scale == 0 {
                    "0".to_string()
                } else {
                    format!("0.{}", "0".repeat(scale as usize))
                };
                Format::new().set_num_format(pattern)
            })
            .clone()
    }

    fn write_row(&mut self, s: usize, row: &[&Val]) -> Result<(), String> {
        if self.sheets[s].row >= MAX_ROWS {
            let mut sheet = std::mem::replace(
                &mut self.sheets[s],
                Sheet {
                    name: "",
                    cols: Vec::new(),
                    parts: Vec::new(),
                    row: 0,
                    widths: Vec::new(),
                },
            );
            let made = self.new_part(&mut sheet);
            self.sheets[s] = sheet;
            made?;
        }
        let r = self.sheets[s].row;
        let part = *self.sheets[s].parts.last().expect("a sheet has a part");
        for (i, v) in row.iter().enumerate() {
            let col = i as u16;
            let shown = match v {
                Val::Null => continue,
                Val::Int(n) => {
                    let ws = self.book.worksheet_from_index(part).map_err(xe)?;
                    ws.write_number(r, col, *n as f64).map_err(xe)?;
                    n.to_string().len()
                }
                Val::Bool(b) => {
                    let ws = self.book.worksheet_from_index(part).map_err(xe)?;
                    ws.write_boolean(r, col, *b).map_err(xe)?;
                    5
                }
                Val::Dec(d) => {
                    let f = self.number_format(d.scale());
                    let ws = self.book.worksheet_from_index(part).map_err(xe)?;
                    ws.write_number_with_format(r, col, d.to_f64().unwrap_or(0.0), &f)
                        .map_err(xe)?;
                    d.to_string().len()
                }
                Val::Text(t) => {
                    let ws = self.book.worksheet_from_index(part).map_err(xe)?;
                    ws.write_string(r, col, t).map_err(xe)?;
                    width(t)
                }
            };
            let w = &mut self.sheets[s].widths[i];
            *w = (*w).max(shown);
        }
        self.sheets[s].row += 1;
        Ok(())
    }

    fn record(&mut self, rec: &RecordRows) -> Result<(), String> {
        let r = &rec.tables[0][0];
        let col = |name: &str| &r[schema::RECORDS.column(name).expect("a records column")];
        let context = [col("department"), col("year"), col("project_name")];
        let keep =
            |t: &Table| -> Vec<usize> { (0..t.columns.len()).filter(|&i| t.columns[i].ty != Ty::Json).collect() };
        let rec_cols = keep(&schema::RECORDS);
        let row: Vec<&Val> = rec_cols.iter().map(|&i| &r[i]).collect();
        self.write_row(0, &row)?;
        for (sheet, t, table) in [(1, 1, &schema::BUDGET_ITEMS), (2, 2, &schema::KEY_TASKS)] {
            let cols = keep(table);
            for row in &rec.tables[t] {
                let mut out: Vec<&Val> = context.to_vec();
                out.extend(cols.iter().map(|&i| &row[i]));
                self.write_row(sheet, &out)?;
            }
        }
        self.indicators(rec, &context)
    }

    /// One row per 三级指标 and value column, with its ancestors' names.
    fn indicators(&mut self, rec: &RecordRows, context: &[&Val; 3]) -> Result<(), String> {
        let t = &schema::INDICATORS;
        let ix = |n: &str| t.column(n).expect("an indicators column");
        let (id, parent, depth, leaf, name, cell, weight) = (
            ix("id"),
            ix("parent_id"),
            ix("depth"),
            ix("leaf"),
            ix("name"),
            ix("cell"),
            ix("weight"),
        );
        let nodes: HashMap<&Val, &Row> = rec.tables[3].iter().map(|n| (&n[id], n)).collect();
        let v = &schema::INDICATOR_VALUES;
        let vx = |n: &str| v.column(n).expect("an indicator_values column");
        let mut values: HashMap<&Val, Vec<&Row>> = HashMap::new();
        for row in &rec.tables[4] {
            values.entry(&row[vx("indicator_id")]).or_default().push(row);
        }
        let null = Val::Null;
        let rid = Val::Text(rec.id.clone());
        for node in rec.tables[3].iter().filter(|n| n[leaf] == Val::Bool(true)) {
            // The names of the 一级 and 二级 above this leaf.
            let mut names: [&Val; 2] = [&null, &null];
            let mut up = &node[parent];
            while let Some(p) = nodes.get(up) {
                if let Val::Int(d @ 1..=2) = p[depth] {
                    names[d as usize - 1] = &p[name];
                }
                up = &p[parent];
            }
            let vals = values.get(&node[id]).cloned().unwrap_or_default();
            let blank: Vec<Val> = vec![Val::Null; v.columns.len()];
            let rows: Vec<&[Val]> = if vals.is_empty() {
                vec![&blank]
            } else {
                vals.iter().map(|r| r.as_slice()).collect()
            };
            for val in rows {
                let mut out: Vec<&Val> = context.to_vec();
                out.extend([&rid, names[0], names[1], &node[name], &node[cell], &node[weight]]);
                for c in [
                    "column_key",
                    "header",
                    "raw",
                    "kind",
                    "op",
                    "value",
                    "unit",
                    "min_value",
                    "max_value",
                    "grade",
                ] {
                    out.push(&val[vx(c)]);
                }
                self.write_row(3, &out)?;
            }
        }
        Ok(())
    }
}

impl BatchWriter for XlsxWriter {
    fn name(&self) -> String {
        crate::pathtext::path_text(&self.target)
    }

    fn write(&mut self, batch: &Batch) -> Result<(), String> {
        for rec in &batch.records {
            self.record(rec)?;
        }
        for row in &batch.files {
            let refs: Vec<&Val> = schema::FILES
                .columns
                .iter()
                .zip(row)
                .filter(|(c, _)| c.ty != Ty::Json)
                .map(|(_, v)| v)
                .collect();
            self.write_row(4, &refs)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        let sheets = std::mem::take(&mut self.sheets);
        for s in &sheets {
            for &part in &s.parts {
                let ws = self.book.worksheet_from_index(part).map_err(xe)?;
                for (i, w) in s.widths.iter().enumerate() {
                    let w = (*w as f64 + 2.0).min(MAX_WIDTH);
                    ws.set_column_width(i as u16, w).map_err(xe)?;
                }
            }
        }
        let (pending, file) = PendingFile::create(&self.target, Naming::Named).map_err(|e| e.to_string())?;
        if let Err(e) = self.book.save_to_writer(std::io::BufWriter::new(file)) {
            pending.abandon();
            return Err(xe(e));
        }
        pending.commit().map_err(|e| e.to_string())
    }
}
