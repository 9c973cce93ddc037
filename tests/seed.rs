//! The seed form: its full golden record, its re-encodings, and the
//! nothing-lost invariant.

use crate::common::{is_template_label, strings};
use declx::{read_bytes, Format, Limits};
use serde_json::Value;
use std::path::Path;

const SEED: &str = "seeds/000_be24f91d7f1b64fe.txt";
const GOLDEN: &str = "fixtures/000_be24f91d7f1b64fe.json";

fn record_of(path: &Path, bytes: &[u8]) -> Value {
    let grids = read_bytes(path, Format::Text, bytes, &Limits::default()).expect("readable");
    assert_eq!(grids.len(), 1);
    let records = declx::extract(&grids[0], "000_be24f91d7f1b64fe").expect("a form");
    assert_eq!(records.len(), 1);
    serde_json::to_value(&records[0]).unwrap()
}

fn without_source(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("source");
    v
}

#[test]
fn seed_matches_its_golden_record_exactly() {
    let out = declx::extract_file(Path::new(SEED), &Limits::default()).unwrap();
    assert_eq!(out.records.len(), 1);
    let got = serde_json::to_string_pretty(&out.records[0]).unwrap() + "\n";
    let want = std::fs::read_to_string(GOLDEN).unwrap();
    assert!(
        got == want,
        "seed record differs from {GOLDEN}; diff the two by eye:\n{got}"
    );
}

#[test]
fn golden_amounts_keep_the_source_digits() {
    let want = std::fs::read_to_string(GOLDEN).unwrap();
    assert!(want.contains("\"amount\": 4972.33"));
    assert!(want.contains("\"amount\": 0.00"));
    assert!(want.contains("\"amount\": 234.80"));
    assert!(want.contains("\"funds\": 728.00"));
}

#[test]
fn re_encodings_give_the_same_record_but_for_source() {
    let bytes = std::fs::read(SEED).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let base = without_source(record_of(Path::new("seed.txt"), &bytes));

    let (gb, _, bad) = encoding_rs::GB18030.encode(text);
    assert!(!bad);
    let v = record_of(Path::new("seed_gbk.txt"), &gb);
    assert_eq!(v["source"]["encoding"], "GB18030");
    assert_eq!(without_source(v), base);

    let mut le = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        le.extend(u.to_le_bytes());
    }
    let v = record_of(Path::new("seed_utf16.txt"), &le);
    assert_eq!(v["source"]["encoding"], "UTF-16LE");
    assert_eq!(without_source(v), base);

    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(text.replace('\n', "\r\n").as_bytes());
    assert_eq!(without_source(record_of(Path::new("seed_bom.txt"), &bom)), base);
}

#[test]
fn csv_with_quoting_gives_the_same_record() {
    let text = std::fs::read_to_string(SEED).unwrap();
    let base = without_source(record_of(Path::new("seed.txt"), text.as_bytes()));
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for line in text.split('\n') {
        // Commas inside amounts (4,972.33) force quoting.
        w.write_record(line.split('\t')).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("\"4,972.33\""));
    let v = record_of(Path::new("seed.csv"), &bytes);
    assert_eq!(without_source(v), base);
}

#[test]
fn every_non_empty_cell_lands_in_the_record() {
    let bytes = std::fs::read(SEED).unwrap();
    let grids = read_bytes(Path::new(SEED), Format::Text, &bytes, &Limits::default()).unwrap();
    let record = serde_json::to_value(&declx::extract(&grids[0], "seed").unwrap()[0]).unwrap();
    let mut all = Vec::new();
    strings(&record, &mut all);
    let mut lost = Vec::new();
    for row in &grids[0].rows {
        for c in &row.cells {
            let plain = c.text.replace(',', "");
            let kept = all.iter().any(|s| s.contains(&c.text) || *s == plain);
            if !kept && !is_template_label(&c.text) {
                lost.push(c.text.clone());
            }
        }
    }
    assert!(lost.is_empty(), "cells lost: {lost:?}");
    assert_eq!(record["unmapped"], Value::Array(vec![]));
}
