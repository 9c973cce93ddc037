//! The relational schema of a run (README, "Import into a database"): the
//! tables, their columns with a Chinese heading each, and the DDL in the
//! PostgreSQL, SQLite and Oracle / DM dialects. Every sink writes these
//! tables and no other; knows nothing of records or of any database client.

use std::fmt::Write as _;
use std::str::FromStr;

/// The version of these tables, stored in `declx_meta`. A database made by
/// another version is refused, never mixed.
pub const DB_SCHEMA_VERSION: u32 = 1;

/// A column's type, mapped per dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// An id, code or short name.
    Key,
    /// Text of a cell (up to a few thousand characters).
    Text,
    /// Long text: goals, task contents, details.
    Long,
    Int,
    Bool,
    /// An exact decimal: NUMERIC / NUMBER; in SQLite a REAL for queries plus
    /// `<name>_exact` TEXT with the source's digits.
    Dec,
    /// JSON text: JSONB in PostgreSQL, TEXT in SQLite, CLOB in Oracle.
    Json,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Ty,
    /// The heading in the workbook.
    pub zh: &'static str,
    pub not_null: bool,
}

#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub zh: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
    /// Rows belong to a record (`record_id`, deleted with it).
    pub of_record: bool,
    /// Extra indexes: (name, columns).
    pub indexes: &'static [(&'static str, &'static str)],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

const fn c(name: &'static str, ty: Ty, zh: &'static str) -> Column {
    Column {
        name,
        ty,
        zh,
        not_null: false,
    }
}

const fn nn(name: &'static str, ty: Ty, zh: &'static str) -> Column {
    Column {
        name,
        ty,
        zh,
        not_null: true,
    }
}

use Ty::*;

pub const FILES: Table = Table {
    name: "files",
    zh: "文件",
    columns: &[
        nn("path", Text, "文件路径"),
        nn("outcome", Key, "结果"),
        c("sha256", Key, "SHA-256"),
        nn("record_count", Int, "记录数"),
        nn("warning_count", Int, "警告数"),
        c("error_code", Key, "错误代码"),
        c("error", Long, "错误"),
        c("skipped_sheets", Json, "跳过的工作表"),
    ],
    primary_key: &["path"],
    of_record: false,
    indexes: &[],
};

pub const RECORDS: Table = Table {
    name: "records",
    zh: "记录",
    columns: &[
        nn("id", Key, "记录编号"),
        nn("file_path", Text, "文件路径"),
        nn("form", Key, "表类型"),
        c("title", Text, "标题"),
        c("year", Int, "年度"),
        c("department", Text, "部门"),
        c("unit", Text, "单位"),
        c("project_name", Text, "项目名称"),
        c("goal", Long, "总体目标"),
        c("goal_annual", Long, "年度目标"),
        c("goal_period", Long, "实施期目标"),
        c("other_tasks", Long, "其他任务"),
        c("budget_unit", Key, "金额单位"),
        c("project", Json, "项目信息"),
        c("info", Json, "基本信息"),
        nn("source_path", Text, "来源路径"),
        nn("source_format", Key, "来源格式"),
        c("source_encoding", Key, "来源编码"),
        c("source_sheet", Text, "来源工作表"),
        nn("source_range", Key, "来源区域"),
        nn("source_sha256", Key, "来源SHA-256"),
        nn("schema_version", Int, "记录版本"),
        nn("record_json", Json, "记录JSON"),
    ],
    primary_key: &["id"],
    of_record: false,
    indexes: &[
        ("records_file_path", "file_path"),
        ("records_department_year", "department, year"),
    ],
};

pub const BUDGET_ITEMS: Table = Table {
    name: "budget_items",
    zh: "预算",
    columns: &[
        nn("record_id", Key, "记录编号"),
        nn("seq", Int, "序号"),
        nn("block_seq", Int, "块序号"),
        // Null for a form header's amounts (项目总金额（万元）), which head no block.
        c("heading", Text, "预算块"),
        nn("label", Text, "项目"),
        c("amount", Dec, "金额"),
        c("unit", Key, "金额单位"),
        nn("cell", Key, "单元格"),
        c("note", Json, "说明"),
    ],
    primary_key: &["record_id", "seq"],
    of_record: true,
    indexes: &[],
};

pub const KEY_TASKS: Table = Table {
    name: "key_tasks",
    zh: "重点任务",
    columns: &[
        nn("record_id", Key, "记录编号"),
        nn("seq", Int, "序号"),
        c("name", Text, "任务名称"),
        c("content", Long, "主要内容"),
        c("funds", Dec, "预算金额"),
        c("expected_goal", Long, "预期目标"),
        nn("cell", Key, "单元格"),
    ],
    primary_key: &["record_id", "seq"],
    of_record: true,
    indexes: &[],
};

pub const INDICATORS: Table = Table {
    name: "indicators",
    zh: "绩效指标",
    columns: &[
        nn("id", Key, "指标编号"),
        nn("record_id", Key, "记录编号"),
        nn("seq", Int, "序号"),
        c("parent_id", Key, "上级指标编号"),
        nn("depth", Int, "级次"),
        nn("leaf", Bool, "末级"),
        nn("name", Text, "指标名称"),
        c("cell", Key, "单元格"),
        c("weight", Dec, "权重"),
    ],
    primary_key: &["id"],
    of_record: true,
    indexes: &[("indicators_record", "record_id")],
};

pub const INDICATOR_VALUES: Table = Table {
    name: "indicator_values",
    zh: "指标值",
    columns: &[
        nn("indicator_id", Key, "指标编号"),
        nn("record_id", Key, "记录编号"),
        nn("column_key", Key, "列"),
        c("header", Text, "列标题"),
        nn("raw", Text, "原文"),
        nn("kind", Key, "类型"),
        c("op", Key, "比较符"),
        c("value", Dec, "数值"),
        c("unit", Key, "计量单位"),
        c("metric", Text, "度量"),
        c("min_value", Dec, "下限"),
        c("max_value", Dec, "上限"),
        c("grade", Key, "等级"),
        c("terms", Json, "多项"),
    ],
    primary_key: &["indicator_id", "column_key"],
    of_record: true,
    indexes: &[("indicator_values_record", "record_id")],
};

/// `point` and `severity` are filled by review rules; empty for the
/// consistency checks. Any other field of a finding goes to `extra`.
pub const CHECKS: Table = Table {
    name: "checks",
    zh: "校验",
    columns: &[
        nn("record_id", Key, "记录编号"),
        nn("seq", Int, "序号"),
        nn("code", Key, "代码"),
        nn("ok", Bool, "通过"),
        c("detail", Long, "详情"),
        c("cells", Json, "单元格"),
        c("point", Text, "审核要点"),
        c("severity", Key, "严重程度"),
        c("extra", Json, "其他"),
    ],
    primary_key: &["record_id", "seq"],
    of_record: true,
    indexes: &[],
};

pub const WARNINGS: Table = Table {
    name: "warnings",
    zh: "警告",
    columns: &[
        nn("record_id", Key, "记录编号"),
        nn("seq", Int, "序号"),
        nn("code", Key, "代码"),
        c("cell", Key, "单元格"),
        c("detail", Long, "详情"),
    ],
    primary_key: &["record_id", "seq"],
    of_record: true,
    indexes: &[],
};

pub const UNMAPPED: Table = Table {
    name: "unmapped",
    zh: "未识别",
    columns: &[
        nn("record_id", Key, "记录编号"),
        nn("seq", Int, "序号"),
        nn("cell", Key, "单元格"),
        nn("text", Long, "文本"),
    ],
    primary_key: &["record_id", "seq"],
    of_record: true,
    indexes: &[],
};

/// Every table, in the order they are created and loaded.
pub const TABLES: [&Table; 9] = [
    &FILES,
    &RECORDS,
    &BUDGET_ITEMS,
    &KEY_TASKS,
    &INDICATORS,
    &INDICATOR_VALUES,
    &CHECKS,
    &WARNINGS,
    &UNMAPPED,
];

/// The tables a record's rows go to: `TABLES[1..]`.
pub const RECORD_TABLES: usize = 8;

/// The DDL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Sqlite,
    /// Oracle and 达梦 DM: VARCHAR2, NUMBER, CLOB.
    Oracle,
}

impl FromStr for Dialect {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            "sqlite" => Ok(Dialect::Sqlite),
            "oracle" | "dm" | "dameng" => Ok(Dialect::Oracle),
            _ => Err(format!(
                "unknown SQL dialect {s:?}: expected postgres, sqlite or oracle"
            )),
        }
    }
}

/// The name of the table holding `schema_version`.
pub const META: &str = "declx_meta";

fn sql_type(ty: Ty, d: Dialect) -> &'static str {
    match (d, ty) {
        (Dialect::Postgres, Key | Text | Long) => "TEXT",
        (Dialect::Postgres, Int) => "INTEGER",
        (Dialect::Postgres, Bool) => "BOOLEAN",
        (Dialect::Postgres, Dec) => "NUMERIC",
        (Dialect::Postgres, Json) => "JSONB",
        (Dialect::Sqlite, Key | Text | Long | Json) => "TEXT",
        (Dialect::Sqlite, Int | Bool) => "INTEGER",
        (Dialect::Sqlite, Dec) => "REAL",
        (Dialect::Oracle, Key) => "VARCHAR2(200 CHAR)",
        (Dialect::Oracle, Text) => "VARCHAR2(4000)",
        (Dialect::Oracle, Long | Json) => "CLOB",
        (Dialect::Oracle, Int) => "NUMBER(10)",
        (Dialect::Oracle, Bool) => "NUMBER(1)",
        (Dialect::Oracle, Dec) => "NUMBER",
    }
}

#[allow(dead_code)]
/// The columns a table has in a dialect: SQLite adds `<dec>_exact` after
/// each decimal column.
pub fn physical_columns(t: &Table, d: Dialect) -> Vec<(String, Ty)> {
    let mut out = Vec::new();
    for col in t.columns {
        out.push((col.name.to_string(), col.ty));
        if d == Dialect::Sqlite && col.ty == Dec {
            out.push((format!("{}_exact", col.name), Text));
        }
    }
    out
}

/// The CREATE statements of every table, the index and the meta table (with
/// its rows), as one script.
pub fn ddl(d: Dialect) -> String {
    let mut s = String::new();
    let comment = match d {
        Dialect::Postgres => "PostgreSQL (also openGauss, Kingbase in PostgreSQL mode)",
        Dialect::Sqlite => {
            "SQLite: each decimal column is a REAL for queries plus <name>_exact TEXT with the source's digits"
        }
        Dialect::Oracle => "Oracle and DM (达梦)",
    };
    let _ = writeln!(s, "-- declx tables, schema_version {DB_SCHEMA_VERSION}: {comment}");
    for stmt in statements(d) {
        let _ = writeln!(s, "{stmt};");
    }
    s
}

/// The DDL as separate statements (no trailing `;`).
pub fn statements(d: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    let text = sql_type(Key, d);
    out.push(format!(
        "CREATE TABLE {META} (name {text} PRIMARY KEY, value {text} NOT NULL)"
    ));
    for t in TABLES {
        let mut cols: Vec<String> = Vec::new();
        for col in t.columns {
            let null = if col.not_null { " NOT NULL" } else { "" };
            cols.push(format!("  {} {}{null}", col.name, sql_type(col.ty, d)));
            if d == Dialect::Sqlite && col.ty == Dec {
                cols.push(format!("  {}_exact TEXT", col.name));
            }
        }
        cols.push(format!("  PRIMARY KEY ({})", t.primary_key.join(", ")));
        if t.of_record {
            cols.push("  FOREIGN KEY (record_id) REFERENCES records (id) ON DELETE CASCADE".into());
        }
        out.push(format!("CREATE TABLE {} (\n{}\n)", t.name, cols.join(",\n")));
        for (name, on) in t.indexes {
            out.push(format!("CREATE INDEX {name} ON {} ({on})", t.name));
        }
    }
    out.push(format!(
        "INSERT INTO {META} (name, value) VALUES ('schema_version', '{DB_SCHEMA_VERSION}')"
    ));
    out.push(format!(
        "INSERT INTO {META} (name, value) VALUES ('record_schema_version', '{}')",
        crate::record::SCHEMA_VERSION
    ));
    out
}

#[allow(dead_code)]
/// The one-line error for a database made by another version.
pub fn version_mismatch(found: &str) -> String {
    format!(
        "it holds declx tables of schema_version {found}; this declx writes schema_version {DB_SCHEMA_VERSION}: import into a new database (or drop the declx tables)"
    )
}
