//! Helpers shared by the test topics: reading forms from the corpus
//! (`tests/forms/`), and looking into records.

pub mod publish;
pub mod seed_form;

use declx::{read_bytes, Format, Limits, Record};
use std::path::Path;

/// The text of a corpus form, `tests/forms/<name>.txt`.
pub fn form(name: &str) -> String {
    let path = format!("tests/forms/{name}.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Extracts the records of a tab-separated text form.
pub fn records(text: &str) -> Vec<Record> {
    let grids = read_bytes(Path::new("t.txt"), Format::Text, text.as_bytes(), &Limits::default()).unwrap();
    declx::extract(&grids[0], "t").unwrap()
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
    use declx::labels::{self, fold};
    let f = fold(text);
    labels::section(&f).is_some()
        || labels::field(&f).is_some()
        || labels::level_header(&f).is_some()
        || labels::column_key(&f).is_some()
        || labels::task_field(&f).is_some()
        || labels::is_amount_header(&f)
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
