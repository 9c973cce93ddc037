//! The rows of the tables (`schema`): one record's rows in every table, and
//! an input's row in `files`, made once on the worker thread and shared by
//! every sink (SQLite, PostgreSQL, CSV tables, workbook), so all of them
//! hold the same rows. Knows nothing of any database client.

use super::schema::RECORD_TABLES;
use crate::output::InputReport;
use crate::record::{OverallGoal, Record, Source};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Val {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    /// An exact decimal with the source's digits.
    Dec(Decimal),
}

impl Val {
    fn text(s: &str) -> Val {
        Val::Text(s.to_string())
    }

    fn opt(s: Option<&str>) -> Val {
        s.map_or(Val::Null, Val::text)
    }

    fn dec(d: Option<Decimal>) -> Val {
        d.map_or(Val::Null, Val::Dec)
    }

    fn json(v: &impl serde::Serialize) -> Val {
        Val::Text(serde_json::to_string(v).expect("records serialise"))
    }

    /// The text of a value as CSV and PostgreSQL's COPY take it; `None` for NULL.
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match self {
            Val::Null => None,
            Val::Int(i) => Some(Cow::Owned(i.to_string())),
            Val::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Val::Text(s) => Some(Cow::Borrowed(s)),
            Val::Dec(d) => Some(Cow::Owned(d.to_string())),
        }
    }
}

pub type Row = Vec<Val>;

/// One record's rows, table by table in `schema::TABLES[1..]` order.
#[derive(Debug, Clone)]
pub struct RecordRows {
    pub id: String,
    pub file_path: String,
    pub sha256: String,
    pub tables: [Vec<Row>; RECORD_TABLES],
}

/// A record's id: 16 bytes of SHA-256 over its source file's SHA-256, sheet
/// and range, as 32 hex digits. The same form has the same id on every run
/// and machine whatever its path; identical copies of a file share it.
pub fn record_id(s: &Source) -> String {
    let mut h = Sha256::new();
    h.update(s.sha256.as_bytes());
    h.update([0]);
    h.update(s.sheet.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(s.range.as_bytes());
    let d = h.finalize();
    let mut out = String::with_capacity(32);
    for b in &d[..16] {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Every row of one record. `json` is the record as one line of JSON.
pub fn record_rows(r: &Record, json: &str) -> RecordRows {
    let id = record_id(&r.source);
    let rid = || Val::Text(id.clone());
    let (goal, annual, period) = match &r.overall_goal {
        None => (None, None, None),
        Some(OverallGoal::Text(t)) => (Some(t.as_str()), None, None),
        Some(OverallGoal::Split { annual, period }) => (None, annual.as_deref(), period.as_deref()),
    };
    let project_name = r.project.as_ref().and_then(|p| p.get("name"));
    let records = vec![vec![
        rid(),
        Val::text(&r.source.path),
        Val::text(r.form.as_str()),
        Val::opt(r.title.as_deref()),
        r.year.map_or(Val::Null, |y| Val::Int(y.into())),
        Val::opt(r.department.as_deref()),
        Val::opt(r.unit.as_deref()),
        Val::opt(project_name),
        Val::opt(goal),
        Val::opt(annual),
        Val::opt(period),
        Val::opt(r.other_tasks.as_deref()),
        Val::opt(r.budget.unit.as_deref()),
        r.project.as_ref().map_or(Val::Null, Val::json),
        if r.info.is_empty() {
            Val::Null
        } else {
            Val::json(&r.info)
        },
        Val::text(&r.source.path),
        Val::text(r.source.format.as_str()),
        Val::opt(r.source.encoding.as_deref()),
        Val::opt(r.source.sheet.as_deref()),
        Val::text(&r.source.range),
        Val::text(&r.source.sha256),
        Val::Int(r.schema_version.into()),
        Val::text(json.trim_end()),
    ]];
    let mut budget = Vec::new();
    for (block_seq, b) in r.budget.blocks.iter().enumerate() {
        for item in &b.items {
            budget.push(vec![
                rid(),
                Val::Int(budget.len() as i64 + 1),
                Val::Int(block_seq as i64 + 1),
                Val::opt(b.heading.as_deref()),
                Val::text(&item.label),
                Val::dec(item.amount.map(|n| n.0)),
                Val::opt(r.budget.unit.as_deref()),
                Val::text(&item.cell),
                item.note.as_ref().map_or(Val::Null, Val::json),
            ]);
        }
    }
    let tasks = r
        .key_tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                rid(),
                Val::Int(i as i64 + 1),
                Val::opt(t.name.as_deref()),
                Val::opt(t.content.as_deref()),
                Val::dec(t.funds.map(|n| n.0)),
                Val::opt(t.expected_goal.as_deref()),
                Val::text(&t.cell),
            ]
        })
        .collect();
    let headers: Vec<(&str, &str)> = r
        .indicator_columns
        .iter()
        .map(|c| (c.key.as_str(), c.header.as_str()))
        .collect();
    let mut tree = Tree {
        id: &id,
        headers: &headers,
        nodes: Vec::new(),
        values: Vec::new(),
    };
    for n in &r.indicators {
        tree.node(n, None, 1);
    }
    let checks = r
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| check_row(&id, i, serde_json::to_value(c).expect("checks serialise")))
        .collect();
    let warnings = r
        .warnings
        .iter()
        .enumerate()
        .map(|(i, w)| {
            vec![
                rid(),
                Val::Int(i as i64 + 1),
                Val::text(w.code.as_str()),
                w.cell.as_ref().map_or(Val::Null, |c| Val::Text(c.to_string())),
                Val::text(&w.detail),
            ]
        })
        .collect();
    let unmapped = r
        .unmapped
        .iter()
        .enumerate()
        .map(|(i, u)| vec![rid(), Val::Int(i as i64 + 1), Val::text(&u.cell), Val::text(&u.text)])
        .collect();
    let Tree { nodes, values, .. } = tree;
    RecordRows {
        file_path: r.source.path.clone(),
        sha256: r.source.sha256.clone(),
        tables: [records, budget, tasks, nodes, values, checks, warnings, unmapped],
        id,
    }
}

/// A check or review finding as a row: the known fields in their columns,
/// any other field (from newer rules) as JSON in `extra`.
fn check_row(id: &str, i: usize, v: serde_json::Value) -> Row {
    let serde_json::Value::Object(mut m) = v else {
        return vec![Val::text(id), Val::Int(i as i64 + 1), Val::text("?"), Val::Bool(false)];
    };
    let mut take = |k: &str| m.remove(k);
    let text = |v: Option<serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => Val::Null,
        Some(serde_json::Value::String(s)) => Val::Text(s),
        Some(other) => Val::Text(other.to_string()),
    };
    let code = text(take("code"));
    let ok = take("ok").and_then(|v| v.as_bool()).unwrap_or(false);
    let detail = text(take("detail"));
    let cells = take("cells").map_or(Val::Null, |v| Val::Text(v.to_string()));
    let point = text(take("point"));
    let severity = text(take("severity"));
    let extra = if m.is_empty() {
        Val::Null
    } else {
        Val::Text(serde_json::Value::Object(m).to_string())
    };
    vec![
        Val::text(id),
        Val::Int(i as i64 + 1),
        if code == Val::Null { Val::text("?") } else { code },
        Val::Bool(ok),
        detail,
        cells,
        point,
        severity,
        extra,
    ]
}

/// The indicator tree walked depth first: one row per node, one per leaf
/// value.
struct Tree<'a> {
    id: &'a str,
    headers: &'a [(&'a str, &'a str)],
    nodes: Vec<Row>,
    values: Vec<Row>,
}

impl Tree<'_> {
    fn node(&mut self, n: &crate::record::IndicatorNode, parent: Option<&str>, depth: i64) {
        let seq = self.nodes.len() + 1;
        let node_id = format!("{}-{seq}", self.id);
        self.nodes.push(vec![
            Val::text(&node_id),
            Val::text(self.id),
            Val::Int(seq as i64),
            Val::opt(parent),
            Val::Int(depth),
            Val::Bool(n.children.is_none()),
            Val::text(&n.name),
            Val::opt(n.cell.as_deref()),
            Val::dec(n.weight.map(|w| w.0)),
        ]);
        if let Some(values) = &n.values {
            for (key, t) in &values.0 {
                let key = key.as_str();
                let header = self.headers.iter().find(|(k, _)| *k == key).map(|(_, h)| *h);
                let terms = if t.terms.len() > 1 {
                    Val::json(&t.terms)
                } else {
                    Val::Null
                };
                self.values.push(vec![
                    Val::text(&node_id),
                    Val::text(self.id),
                    Val::text(key),
                    Val::opt(header),
                    Val::text(&t.raw),
                    Val::text(t.kind.as_str()),
                    Val::opt(t.op.map(|o| o.as_str())),
                    Val::dec(t.value),
                    Val::opt(t.unit.as_deref()),
                    Val::opt(t.metric.as_deref()),
                    Val::dec(t.min),
                    Val::dec(t.max),
                    Val::opt(t.grade),
                    terms,
                ]);
            }
        }
        if let Some(children) = &n.children {
            for c in children {
                self.node(c, Some(&node_id), depth + 1);
            }
        }
    }
}

/// An input's row in `files`.
pub fn file_row(input: &InputReport, sha256: Option<&str>) -> Row {
    let warnings: usize = input.records.iter().map(|r| r.warnings.values().sum::<usize>()).sum();
    vec![
        Val::text(&input.path),
        Val::text(input.outcome),
        Val::opt(sha256),
        Val::Int(input.records.len() as i64),
        Val::Int(warnings as i64),
        Val::opt(input.error_code),
        Val::opt(input.error.as_deref()),
        if input.skipped_sheets.is_empty() {
            Val::Null
        } else {
            Val::json(&input.skipped_sheets)
        },
    ]
}

/// A file passed over by the walk, as a row of `files` (outcome `skipped`).
pub fn skipped_row(path: &str, reason: &str) -> Row {
    vec![
        Val::text(path),
        Val::text("skipped"),
        Val::Null,
        Val::Int(0),
        Val::Int(0),
        Val::text("skipped"),
        Val::text(reason),
        Val::Null,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::db::schema;

    #[test]
    fn every_row_has_its_tables_columns() {
        let line = crate::output::to_line(&sample());
        let rows = record_rows(&sample(), std::str::from_utf8(&line).unwrap());
        for (t, rows) in schema::TABLES[1..].iter().zip(&rows.tables) {
            for r in rows {
                assert_eq!(r.len(), t.columns.len(), "{}", t.name);
            }
        }
        assert_eq!(rows.id.len(), 32);
    }

    fn sample() -> Record {
        let text = include_str!("../../../seeds/000_be24f91d7f1b64fe.txt");
        let p = std::path::Path::new("seed.txt");
        crate::extract_bytes(p, text.as_bytes(), &crate::Limits::default())
            .expect("the seed reads")
            .records
            .remove(0)
    }
}
