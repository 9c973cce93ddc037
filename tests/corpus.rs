//! The form corpus: every file in `tests/forms/` is extracted and its
//! records compared with a reviewed snapshot in `tests/snapshots/`. A new
//! regression case is a new file; review its snapshot with `cargo insta
//! review` (or read the `.snap.new` file) before accepting it.

use declx::{extract_file, Limits};
use std::path::Path;

#[test]
fn every_corpus_form_matches_its_reviewed_snapshot() {
    let mut files: Vec<_> = std::fs::read_dir("tests/forms")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 12, "the corpus lost files: {files:?}");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let outcome = extract_file(Path::new(&path), &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let mut records: Vec<serde_json::Value> = outcome
            .records
            .iter()
            .map(|r| serde_json::to_value(r).unwrap())
            .collect();
        for r in &mut records {
            // The digest changes with any byte of the file; the rest is the form.
            r["source"]["sha256"] = "…".into();
        }
        insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_json_snapshot!(name, records);
        });
    }
}
