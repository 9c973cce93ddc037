//! Builds small forms as tab-separated text for tests.
#![allow(dead_code)]

pub mod seed_form;

use declx::read::{read_bytes, Format, Limits};
use declx::record::Record;
use std::path::Path;

/// Extracts the records of a tab-separated text form.
pub fn records(text: &str) -> Vec<Record> {
    let grids = read_bytes(Path::new("t.txt"), Format::Text, text.as_bytes(), &Limits::default()).unwrap();
    declx::form::extract(&grids[0], "t").unwrap()
}

pub fn json(r: &Record) -> serde_json::Value {
    serde_json::to_value(r).unwrap()
}

/// Every string and number of a JSON value, numbers as written.
pub fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Number(n) => out.push(n.to_string()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Template labels are consumed as labels; every other cell must reappear.
pub fn is_template_label(text: &str) -> bool {
    use declx::vocab::{self, fold};
    let f = fold(text);
    vocab::section(&f).is_some()
        || vocab::field(&f).is_some()
        || vocab::level_header(&f).is_some()
        || vocab::column_key(&f).is_some()
        || vocab::task_field(&f).is_some()
        || vocab::is_amount_header(&f)
}

/// The keys of a record's indicator columns.
pub fn column_keys(v: &serde_json::Value) -> Vec<String> {
    v["indicator_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_string())
        .collect()
}

/// The headings of a record's budget blocks.
pub fn budget_headings(v: &serde_json::Value) -> Vec<String> {
    v["budget"]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["heading"].as_str().unwrap().to_string())
        .collect()
}
