//! The binary on a batch with bad files among good ones.

use assert_cmd::Command;
use std::fs;

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("declx-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn bad_files_are_named_and_the_good_record_is_written() {
    let dir = tmp("batch");
    let inputs = dir.join("in");
    fs::create_dir_all(&inputs).unwrap();
    fs::copy("seeds/000_be24f91d7f1b64fe.txt", inputs.join("seed.txt")).unwrap();
    fs::write(inputs.join("empty.txt"), b"").unwrap();
    fs::write(inputs.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 255]).unwrap();
    fs::write(inputs.join("notes.md"), b"# not a form").unwrap();
    let out = dir.join("out");
    let assert = Command::cargo_bin("declx")
        .unwrap()
        .args([
            "extract",
            inputs.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--jsonl",
            "-",
        ])
        .assert()
        .code(2);
    let o = assert.get_output();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("declx: error:")).collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(
        errors
            .iter()
            .any(|l| l.contains("empty.txt") && l.contains("empty file")),
        "{stderr}"
    );
    assert!(
        errors
            .iter()
            .any(|l| l.contains("binary.txt") && l.contains("binary data")),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(stdout.lines().count(), 1);
    let rec: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(rec["department"], "广州市天河区司法局");
    assert_eq!(record_files(&out), ["广州市天河区司法局"]);
    let report: serde_json::Value = serde_json::from_slice(&fs::read(out.join("_report.json")).unwrap()).unwrap();
    assert_eq!(report["totals"]["failed"], 2);
    assert_eq!(report["totals"]["records"], 1);
    assert_eq!(report["totals"]["skipped_files"], 1);
    // No temp files left behind.
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// The stems of the record files in a directory (names without their
/// `_<hash>.json` suffix), sorted.
pub fn record_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_') && !n.starts_with('.'))
        .map(|n| {
            let stem = n.strip_suffix(".json").expect("a .json file");
            let (stem, hash) = stem.rsplit_once('_').expect("a hash suffix");
            assert_eq!(hash.len(), 8, "{n}");
            stem.to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn reruns_write_the_same_bytes() {
    let dir = tmp("rerun");
    let run = |sub: &str| {
        let out = dir.join(sub);
        Command::cargo_bin("declx")
            .unwrap()
            .args(["extract", "seeds", "--out", out.to_str().unwrap(), "-q"])
            .assert()
            .success();
        let names = record_files(&out);
        assert_eq!(names, ["广州市天河区司法局"]);
        let record = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| !p.ends_with("_report.json"))
            .unwrap();
        (
            record.file_name().unwrap().to_owned(),
            fs::read(&record).unwrap(),
            fs::read(out.join("_report.json")).unwrap(),
        )
    };
    assert_eq!(run("a"), run("b"));
}

#[test]
fn usage_errors_exit_1() {
    Command::cargo_bin("declx")
        .unwrap()
        .args(["extract", "seeds"])
        .assert()
        .code(1);
    Command::cargo_bin("declx")
        .unwrap()
        .args(["frobnicate"])
        .assert()
        .code(1);
    Command::cargo_bin("declx")
        .unwrap()
        .args(["extract", "seeds", "--flat", "x.xlsx"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(".csv or .jsonl"));
    Command::cargo_bin("declx").unwrap().args(["--help"]).assert().code(0);
}

#[test]
fn inspect_shows_where_each_cell_went() {
    let o = Command::cargo_bin("declx")
        .unwrap()
        .args(["inspect", "seeds/000_be24f91d7f1b64fe.txt"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("row_realigned A30"), "{text}");
    assert!(text.contains("D30=专职人民调解员配置数量（人） [indicators]"), "{text}");
    assert!(text.contains("B5=广州市天河区司法局 [field]"), "{text}");
    assert!(text.contains("D14=67.35 [key_tasks]"), "{text}");
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let o = Command::cargo_bin("declx").unwrap().args(["schema"]).output().unwrap();
    let printed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("fixtures/record.schema.json").unwrap()).unwrap();
    assert_eq!(printed, committed);
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_is_a_usage_error_that_says_how_to_build_it() {
    let dir = tmp("noparquet");
    let out = Command::cargo_bin("declx")
        .unwrap()
        .args(["extract", "seeds", "--parquet", dir.join("pq").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--features parquet"), "{stderr}");
    assert!(!dir.join("pq").exists());
}
