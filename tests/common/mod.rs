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
