//! Bulk runs: determinism across jobs, shards, atomic writes, flat output.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-batch-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// An archive: the seed under many names and departments, the fixtures, and
/// broken files among them.
fn archive(dir: &Path, copies: usize) -> PathBuf {
    let root = dir.join("archive");
    let seed = fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap();
    for i in 0..copies {
        let sub = root.join(format!("{}", 2015 + i % 10));
        fs::create_dir_all(&sub).unwrap();
        let text = seed.replace("广州市天河区司法局", &format!("第{}局", i % 7));
        fs::write(sub.join(format!("form_{i:03}.txt")), text).unwrap();
    }
    fs::copy("fixtures/seed_merged.ods", root.join("seed.ods")).unwrap();
    fs::copy(
        "fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls",
        root.join("pku.xls"),
    )
    .unwrap();
    fs::write(root.join("empty.csv"), b"").unwrap();
    fs::write(root.join("binary.txt"), [0u8, 1, 2, 3, 255, 254]).unwrap();
    let xlsx = fs::read("fixtures/seed_merged.ods").unwrap();
    fs::write(root.join("truncated.xlsx"), &xlsx[..xlsx.len() / 3]).unwrap();
    fs::write(root.join("notes.txt"), "会议纪要\n今天开会。\n".as_bytes()).unwrap();
    fs::write(root.join("~$locked.xlsx"), b"lock").unwrap();
    fs::write(root.join(".hidden.txt"), b"x").unwrap();
    root
}

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("declx").unwrap().args(args).output().unwrap()
}

fn dir_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_bad_file_is_named_once_and_good_records_are_written() {
    let dir = tmp("bad");
    let root = archive(&dir, 20);
    let out = dir.join("out");
    let o = run(&["extract", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    for bad in ["empty.csv", "binary.txt", "truncated.xlsx", "notes.txt"] {
        assert_eq!(stderr.lines().filter(|l| l.contains(bad)).count(), 1, "{bad}: {stderr}");
    }
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&fs::read(out.join("_report.json")).unwrap()).unwrap();
    assert_eq!(report["totals"]["records"], 20 + 1 + 3);
    assert_eq!(report["totals"]["failed"], 4);
    assert_eq!(report["totals"]["skipped_files"], 1);
    let files = dir_bytes(&out);
    assert_eq!(files.len(), 24 + 1);
    for (name, bytes) in &files {
        serde_json::from_slice::<serde_json::Value>(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn jobs_do_not_change_a_byte() {
    let dir = tmp("jobs");
    // More than two batches of 256: one is written while the next is extracted.
    let root = archive(&dir, 600);
    let mut outs = Vec::new();
    for jobs in ["1", "4"] {
        let out = dir.join(format!("out{jobs}"));
        let jsonl = dir.join(format!("all{jobs}.jsonl"));
        let flat = dir.join(format!("flat{jobs}.csv"));
        run(&[
            "extract",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--jsonl",
            jsonl.to_str().unwrap(),
            "--flat",
            flat.to_str().unwrap(),
            "--jobs",
            jobs,
            "-q",
        ]);
        outs.push((dir_bytes(&out), fs::read(&jsonl).unwrap(), fs::read(&flat).unwrap()));
    }
    assert_eq!(outs[0].0.len(), 600 + 4 + 1);
    assert!(outs[0] == outs[1], "--jobs 1 and --jobs 4 differ");
    // JSON Lines come in input order, batch after batch.
    let paths: Vec<PathBuf> = String::from_utf8(outs[0].1.clone())
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            PathBuf::from(v["source"]["path"].as_str().unwrap())
        })
        .collect();
    assert!(paths.len() > 600);
    assert!(paths.windows(2).all(|w| w[0] <= w[1]), "records out of input order");
}

#[test]
fn shards_union_is_the_whole_run() {
    let dir = tmp("shards");
    let root = archive(&dir, 60);
    let lines = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["extract", root.to_str().unwrap(), "--jsonl", "-", "-q"];
        a.extend_from_slice(args);
        let o = run(&a);
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    let whole = lines(&[]);
    let mut union = Vec::new();
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let part = lines(&["--shard", &format!("{k}/3")]);
        sizes.push(part.len());
        union.extend(part);
    }
    assert!(sizes.iter().all(|&n| n > 0), "{sizes:?}");
    let mut whole_sorted = whole.clone();
    whole_sorted.sort();
    union.sort();
    assert_eq!(union, whole_sorted);
}

#[test]
fn a_killed_run_leaves_no_half_written_file() {
    let dir = tmp("kill");
    let root = archive(&dir, 400);
    let out = dir.join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
        .args([
            "extract",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--jobs",
            "1",
            "-q",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(40));
    let _ = child.kill();
    let _ = child.wait();
    if out.exists() {
        for (name, bytes) in dir_bytes(&out) {
            if name.ends_with(".json") && !name.starts_with('.') {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{name} is half-written: {e}"));
            }
        }
    }
}

#[test]
fn flat_csv_rows_match_the_records() {
    let dir = tmp("flat");
    let flat = dir.join("flat.csv");
    let jsonl = dir.join("all.jsonl");
    run(&[
        "extract",
        "seeds",
        "fixtures",
        "--flat",
        flat.to_str().unwrap(),
        "--jsonl",
        jsonl.to_str().unwrap(),
        "-q",
    ]);
    let bytes = fs::read(&flat).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "Excel needs the BOM");
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let records: Vec<serde_json::Value> = fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut expected = Vec::new();
    for r in &records {
        for l1 in r["indicators"].as_array().unwrap() {
            for l2 in l1["children"].as_array().unwrap() {
                for leaf in l2["children"].as_array().unwrap_or(&vec![]) {
                    expected.push((
                        r["department"].as_str().unwrap_or("").to_string(),
                        leaf.clone(),
                        l1["name"].clone(),
                        l2["name"].clone(),
                    ));
                }
            }
        }
    }
    assert_eq!(rows.len(), expected.len());
    assert!(rows.len() > 40);
    for (row, (dept, leaf, l1, l2)) in rows.iter().zip(&expected) {
        assert_eq!(&row[col("department")], dept);
        assert_eq!(&row[col("level1")], l1.as_str().unwrap());
        assert_eq!(&row[col("level2")], l2.as_str().unwrap());
        assert_eq!(&row[col("level3")], leaf["name"].as_str().unwrap());
        assert_eq!(&row[col("cell")], leaf["cell"].as_str().unwrap());
        if let Some(a) = leaf["values"].get("annual") {
            assert_eq!(&row[col("annual_raw")], a["raw"].as_str().unwrap());
            assert_eq!(&row[col("annual_kind")], a["kind"].as_str().unwrap());
            let v = a
                .get("value")
                .filter(|v| !v.is_null())
                .map(|v| v.to_string())
                .unwrap_or_default();
            assert_eq!(&row[col("annual_value")], v);
        }
    }
}

#[test]
fn every_kind_of_damage_beside_good_files() {
    let dir = tmp("damage");
    let root = dir.join("in");
    fs::create_dir_all(&root).unwrap();
    let seed = fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap();
    fs::write(root.join("good.txt"), &seed).unwrap();
    fs::copy("fixtures/seed_merged.ods", root.join("good.ods")).unwrap();
    // Readable with a warning.
    let utf16: Vec<u8> = seed.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    fs::write(root.join("utf16_no_bom.txt"), utf16).unwrap();
    fs::write(root.join("open_quote.txt"), seed.replacen("4,972.33", "\"4,972.33", 1)).unwrap();
    let mut mixed = seed.as_bytes()[..200].to_vec();
    mixed.extend(encoding_rs::GB18030.encode(&seed[200..]).0.iter());
    fs::write(root.join("mixed.txt"), mixed).unwrap();
    // Errors.
    fs::write(root.join("big5.txt"), encoding_rs::BIG5.encode(&seed).0).unwrap();
    fs::write(root.join("nul.txt"), b"\x00\x00\x00\x00").unwrap();
    fs::write(root.join("lone_bom.csv"), b"\xEF\xBB\xBF").unwrap();
    fs::write(root.join("pdf.xlsx"), b"%PDF-1.4 not a workbook").unwrap();
    let xls = fs::read("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls").unwrap();
    fs::write(root.join("cut.xls"), &xls[..xls.len() / 2]).unwrap();
    let o = run(&["extract", root.to_str().unwrap(), "--jsonl", "-", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    for bad in ["big5.txt", "nul.txt", "lone_bom.csv", "pdf.xlsx", "cut.xls"] {
        assert_eq!(stderr.lines().filter(|l| l.contains(bad)).count(), 1, "{bad}: {stderr}");
    }
    assert!(stderr.lines().all(|l| l.starts_with("declx: error: ")), "{stderr}");
    let recs: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let depts: Vec<&str> = recs.iter().map(|r| r["department"].as_str().unwrap()).collect();
    assert_eq!(depts, ["广州市天河区司法局"; 5]);
    let codes = |name: &str| -> Vec<String> {
        let r = recs
            .iter()
            .find(|r| r["source"]["path"].as_str().unwrap().ends_with(name))
            .unwrap();
        r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(codes("open_quote.txt").contains(&"unbalanced_quote".to_string()));
    assert!(codes("mixed.txt").contains(&"mixed_encoding".to_string()));
}

#[test]
fn a_pipe_or_device_target_is_written_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tmp("fifo");
    let fifo = dir.join("records.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let o = run(&["extract", "seeds", "--jsonl", fifo.to_str().unwrap(), "-q"]);
    assert!(o.status.success());
    // Checked before joining: a replaced pipe would leave the reader blocked.
    assert!(
        fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe was replaced by a file"
    );
    let text = reader.join().unwrap();
    assert_eq!(text.lines().count(), 1);
}
