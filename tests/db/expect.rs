//! The rows each table must hold, worked out from the JSON Lines alone (not
//! from declx's row code), and the record id recomputed from its documented
//! recipe.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Rows as text tuples per table; NULL is "∅".
pub type Rows = BTreeMap<&'static str, Vec<Vec<String>>>;

pub fn s(v: &Value) -> String {
    match v {
        Value::Null => "∅".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// SHA-256 over source.sha256, NUL, sheet, NUL, range: the first 16 bytes in hex.
pub fn record_id(r: &Value) -> String {
    let src = &r["source"];
    let mut h = Sha256::new();
    h.update(src["sha256"].as_str().unwrap().as_bytes());
    h.update([0]);
    h.update(src["sheet"].as_str().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(src["range"].as_str().unwrap().as_bytes());
    h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn walk(id: &str, n: &Value, depth: usize, out: &mut Rows) {
    let leaf = n.get("children").is_none();
    out.entry("indicators").or_default().push(vec![
        id.into(),
        s(&n["name"]),
        depth.to_string(),
        leaf.to_string(),
        n.get("cell").map_or("∅".into(), s),
    ]);
    if let Some(Value::Object(values)) = n.get("values") {
        for (key, t) in values {
            out.entry("indicator_values").or_default().push(vec![
                id.into(),
                s(&n["name"]),
                key.clone(),
                s(&t["raw"]),
                s(&t["kind"]),
                t.get("op").map_or("∅".into(), s),
                t.get("value").map_or("∅".into(), s),
                t.get("unit").map_or("∅".into(), s),
            ]);
        }
    }
    for c in n.get("children").and_then(Value::as_array).into_iter().flatten() {
        walk(id, c, depth + 1, out);
    }
}

/// The rows of every record of a run (each id once, the first copy kept).
pub fn rows(records: &[Value]) -> Rows {
    let mut out = Rows::new();
    let mut seen = BTreeSet::new();
    for r in records {
        let id = record_id(r);
        if !seen.insert(id.clone()) {
            continue;
        }
        out.entry("records").or_default().push(vec![
            id.clone(),
            s(&r["form"]),
            s(&r["department"]),
            s(&r["year"]),
            s(&r["source"]["range"]),
        ]);
        for b in r["budget"]["blocks"].as_array().unwrap() {
            for i in b["items"].as_array().unwrap() {
                out.entry("budget_items").or_default().push(vec![
                    id.clone(),
                    s(&b["heading"]),
                    s(&i["label"]),
                    s(&i["amount"]),
                    s(&i["cell"]),
                ]);
            }
        }
        for t in r["key_tasks"].as_array().unwrap() {
            out.entry("key_tasks")
                .or_default()
                .push(vec![id.clone(), s(&t["name"]), s(&t["funds"]), s(&t["cell"])]);
        }
        for n in r["indicators"].as_array().unwrap() {
            walk(&id, n, 1, &mut out);
        }
        for c in r["checks"].as_array().unwrap() {
            out.entry("checks")
                .or_default()
                .push(vec![id.clone(), s(&c["code"]), s(&c["ok"])]);
        }
        for w in r["warnings"].as_array().unwrap() {
            out.entry("warnings")
                .or_default()
                .push(vec![id.clone(), s(&w["code"]), s(&w["cell"])]);
        }
        for u in r["unmapped"].as_array().unwrap() {
            out.entry("unmapped")
                .or_default()
                .push(vec![id.clone(), s(&u["cell"]), s(&u["text"])]);
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

/// The queries giving the same tuples from a database; `dec(col)` is a
/// decimal column's exact text in that dialect, `b(col)` a boolean's.
pub fn queries(dec: fn(&str) -> String, b: fn(&str) -> String) -> Vec<(&'static str, String)> {
    vec![
        (
            "records",
            "SELECT id, form, department, year, source_range FROM records".to_string(),
        ),
        (
            "budget_items",
            format!(
                "SELECT record_id, heading, label, {}, cell FROM budget_items",
                dec("amount")
            ),
        ),
        (
            "key_tasks",
            format!("SELECT record_id, name, {}, cell FROM key_tasks", dec("funds")),
        ),
        (
            "indicators",
            format!("SELECT record_id, name, depth, {}, cell FROM indicators", b("leaf")),
        ),
        (
            "indicator_values",
            format!(
                "SELECT v.record_id, i.name, v.column_key, v.raw, v.kind, v.op, {}, v.unit \
                 FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id",
                dec("v.value")
            ),
        ),
        ("checks", format!("SELECT record_id, code, {} FROM checks", b("ok"))),
        ("warnings", "SELECT record_id, code, cell FROM warnings".to_string()),
        ("unmapped", "SELECT record_id, cell, text FROM unmapped".to_string()),
    ]
}

/// Asserts two row sets are equal, table by table, naming the first difference.
pub fn assert_same(what: &str, got: &Rows, want: &Rows) {
    for (table, want_rows) in want {
        let got_rows = got.get(table).cloned().unwrap_or_default();
        assert_eq!(got_rows.len(), want_rows.len(), "{what}: {table}: row count");
        for (g, w) in got_rows.iter().zip(want_rows) {
            assert_eq!(g, w, "{what}: {table}");
        }
    }
    assert!(
        !want.get("records").is_none_or(Vec::is_empty),
        "{what}: no records at all"
    );
}
