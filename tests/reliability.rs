//! Reliability (issue #12): each defect found by probing as a demanding
//! user, reproduced as it was reported.

use crate::robustness::ods_with_rows;
use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-rel-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn declx() -> Command {
    Command::cargo_bin("declx").unwrap()
}

fn seed() -> String {
    fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap()
}

/// The seed with another department name.
fn seed_of(department: &str) -> String {
    seed().replace("广州市天河区司法局", department)
}

/// Every file in a directory tree (relative names) with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn temp_files(dir: &Path) -> Vec<String> {
    tree(dir).into_keys().filter(|n| n.ends_with(".tmp")).collect()
}

fn jsonl_count(out: &std::process::Output) -> usize {
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[test]
fn a_very_long_department_name_is_cut_and_never_stops_the_batch() {
    let dir = tmp("longname");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    let long = "很".repeat(120) + "𠀀𠀀"; // 4-byte characters too
    fs::write(input.join("a.txt"), seed_of(&long)).unwrap();
    fs::write(input.join("b.txt"), seed_of(&long)).unwrap();
    fs::write(input.join("seed.txt"), seed()).unwrap();
    let out = dir.join("out");
    declx()
        .args(["extract", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"])
        .assert()
        .success();
    let files = tree(&out);
    let records: Vec<&String> = files.keys().filter(|n| !n.starts_with('_')).collect();
    assert_eq!(records.len(), 3, "{records:?}");
    for n in &records {
        assert!(n.len() <= 200, "{} bytes: {n}", n.len());
        assert!(n.ends_with(".json"));
    }
    assert!(files.contains_key("_report.json"));
    assert!(temp_files(&out).is_empty());
}

#[test]
fn fifos_devices_and_sockets_are_skipped_with_a_reason() {
    let dir = tmp("fifo");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("seed.txt"), seed()).unwrap();
    let fifo = input.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", input.join("zero.txt")).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
        .args(["extract", input.to_str().unwrap(), "--out"])
        .arg(dir.join("out"))
        .arg("-q")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("declx hung on a FIFO or a device");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    let report: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("out/_report.json")).unwrap()).unwrap();
    let reasons: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"not a regular file (a named pipe)"), "{reasons:?}");
    assert!(reasons.contains(&"not a regular file (a device)"), "{reasons:?}");
    assert_eq!(report["totals"]["records"], 1);
}

#[test]
fn a_link_to_a_device_named_on_the_command_line_is_not_read() {
    let dir = tmp("zero");
    let zero = dir.join("zero.txt");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let o = declx()
        .args(["extract", zero.to_str().unwrap(), "--jsonl", "-"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(jsonl_count(&o), 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 skipped"), "{o:?}");
    // The library refuses it too, whatever its reported size.
    let e = declx::read_file(&zero, &declx::Limits::default()).unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[test]
fn symlink_loops_give_every_file_once_and_end() {
    let dir = tmp("loops");
    let input = dir.join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    fs::write(input.join("sub/seed.txt"), seed()).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("../..", input.join("sub/upup")).unwrap();
    std::os::unix::fs::symlink(".", input.join("self")).unwrap();
    let o = declx()
        .args(["extract", input.to_str().unwrap(), "--jsonl", "-", "-q"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(jsonl_count(&o), 1);
}

#[test]
fn the_same_directory_named_twice_is_read_once() {
    let dir = tmp("twice");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("seed.txt"), seed()).unwrap();
    let o = declx()
        .current_dir(&dir)
        .args(["extract", "in", "./in", "--jsonl", "-", "-q"])
        .output()
        .unwrap();
    assert_eq!(jsonl_count(&o), 1);
    let link = dir.join("link");
    std::os::unix::fs::symlink("in", &link).unwrap();
    let o = declx()
        .args([
            "extract",
            input.to_str().unwrap(),
            link.to_str().unwrap(),
            "--jsonl",
            "-",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(jsonl_count(&o), 1);
}

#[test]
fn an_ods_with_a_far_cell_costs_memory_by_its_cells() {
    let dir = tmp("farods");
    let far = r#"<table:table-row table:number-rows-repeated="65400"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="255"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    let path = dir.join("far.ods");
    fs::write(&path, ods_with_rows(far)).unwrap();
    let o = declx()
        .args(["extract", path.to_str().unwrap(), "--jsonl", "-", "-q"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let rec: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(rec["unmapped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["cell"] == "IV65452"));
    // Peak memory of the children this test process has waited for: every
    // other child is a small run; calamine's dense read took over 1 GB here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    assert!(usage.ru_maxrss < 400 * 1024, "peak RSS {} KB", usage.ru_maxrss);
}

#[test]
fn shards_written_into_one_out_give_exactly_the_files_of_the_whole_run() {
    let dir = tmp("shardout");
    let input = dir.join("in");
    for i in 0..30 {
        let sub = input.join(format!("{}", i % 4));
        fs::create_dir_all(&sub).unwrap();
        // Some departments repeat: names collide within the run.
        fs::write(sub.join(format!("f{i}.txt")), seed_of(&format!("第{}局", i % 5))).unwrap();
    }
    let whole = dir.join("whole");
    let shards = dir.join("shards");
    declx()
        .args([
            "extract",
            input.to_str().unwrap(),
            "--out",
            whole.to_str().unwrap(),
            "-q",
        ])
        .assert()
        .success();
    for k in 1..=3 {
        declx()
            .args([
                "extract",
                input.to_str().unwrap(),
                "--out",
                shards.to_str().unwrap(),
                "-q",
            ])
            .args(["--shard", &format!("{k}/3")])
            .assert()
            .success();
    }
    let records = |t: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.into_iter().filter(|(n, _)| !n.starts_with('_')).collect()
    };
    let (w, s) = (records(tree(&whole)), records(tree(&shards)));
    assert_eq!(w.len(), 30);
    assert_eq!(w, s);
    let reports: Vec<String> = tree(&shards).into_keys().filter(|n| n.starts_with("_report")).collect();
    assert_eq!(
        reports,
        ["_report.1-of-3.json", "_report.2-of-3.json", "_report.3-of-3.json"]
    );
}

#[test]
fn names_do_not_depend_on_how_the_input_root_was_written() {
    let dir = tmp("relabs");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    // Two forms of one department: their names differ only by the hash.
    fs::write(input.join("a.txt"), seed()).unwrap();
    fs::write(input.join("b.txt"), seed()).unwrap();
    let out = dir.join("out");
    declx()
        .current_dir(&dir)
        .args(["extract", "in", "--out", "out", "-q"])
        .assert()
        .success();
    declx()
        .args(["extract", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"])
        .assert()
        .success();
    let names: Vec<String> = tree(&out).into_keys().filter(|n| !n.starts_with('_')).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn stale_files_are_counted_and_clean_removes_them() {
    let dir = tmp("stale");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.txt"), seed_of("甲局")).unwrap();
    fs::write(input.join("b.txt"), seed_of("乙局")).unwrap();
    let out = dir.join("out");
    let run = |extra: &[&str]| {
        declx()
            .args(["extract", input.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap()
    };
    run(&["-q"]);
    fs::remove_file(input.join("b.txt")).unwrap();
    let o = run(&[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("1 record file(s)") && stderr.contains("--clean"),
        "{stderr}"
    );
    assert_eq!(tree(&out).keys().filter(|n| !n.starts_with('_')).count(), 2);
    run(&["--clean", "-q"]);
    let left: Vec<String> = tree(&out).into_keys().filter(|n| !n.starts_with('_')).collect();
    assert_eq!(left.len(), 1);
    assert!(left[0].starts_with("甲局"), "{left:?}");
}

#[test]
fn sigint_stops_workers_removes_temp_files_and_reports_what_finished() {
    let dir = tmp("sigint");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    for i in 0..3000 {
        fs::write(input.join(format!("f{i:04}.txt")), seed_of(&format!("第{i}局"))).unwrap();
    }
    let out = dir.join("out");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
        .args(["extract", input.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .arg("--jsonl")
        .arg(dir.join("all.jsonl"))
        .args(["--jobs", "1", "-q"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until some records are written, then interrupt.
    let started = Instant::now();
    let written = || fs::read_dir(&out).map_or(0, |d| d.count());
    while written() < 20 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
    assert!(
        !dir.join("all.jsonl").exists(),
        "an incomplete JSON Lines file was committed"
    );
    let report: serde_json::Value = serde_json::from_slice(&fs::read(out.join("_report.json")).unwrap()).unwrap();
    assert_eq!(report["interrupted"], true);
    let finished = report["totals"]["inputs"].as_u64().unwrap();
    assert!(finished > 0 && finished < 3000, "{finished}");
    let files = tree(&out).keys().filter(|n| !n.starts_with('_')).count() as u64;
    assert_eq!(files, report["totals"]["records"].as_u64().unwrap());
}

#[test]
fn a_write_error_names_the_path_and_still_reports() {
    let dir = tmp("full");
    let out = dir.join("out");
    let o = declx()
        .args([
            "extract",
            "seeds",
            "--out",
            out.to_str().unwrap(),
            "--jsonl",
            "/dev/full",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("/dev/full") && stderr.contains("No space left"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.join("_report.json").is_file());
    assert!(temp_files(&out).is_empty());
}

#[test]
fn run_level_errors_name_the_path_and_exit_1() {
    let dir = tmp("runerr");
    let file = dir.join("a-file");
    fs::write(&file, b"x").unwrap();
    let o = declx()
        .args(["extract", "seeds", "--out", file.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a-file"), "{o:?}");
    let o = declx().args(["extract", "--nope"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
}

/// A form long enough that `inspect` writes more than a pipe holds.
fn long_form(dir: &Path) -> PathBuf {
    let mut text = seed();
    for i in 0..4000 {
        text.push_str(&format!(
            "备注{i}\t这是一行很长的说明文字，用来让输出超过管道的缓冲区。\n"
        ));
    }
    let p = dir.join("long.txt");
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn broken_pipes_end_quietly() {
    let dir = tmp("pipe");
    let form = long_form(&dir);
    let mut runs: Vec<Vec<String>> = vec![vec!["inspect".into(), form.to_str().unwrap().into()]];
    let input = dir.join("many");
    fs::create_dir_all(&input).unwrap();
    for i in 0..300 {
        fs::write(input.join(format!("f{i}.txt")), seed()).unwrap();
    }
    runs.push(vec![
        "extract".into(),
        input.to_str().unwrap().into(),
        "--jsonl".into(),
        "-".into(),
        "-q".into(),
    ]);
    for args in runs {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!stderr.contains("panicked") && stderr.is_empty(), "{args:?}: {stderr}");
        assert_eq!(o.status.code(), Some(141), "{args:?}");
    }
}

#[test]
fn non_utf8_file_names_are_kept_exactly_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tmp("bytes");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"\xB1\xED.txt");
    fs::write(input.join(name), seed()).unwrap();
    let o = declx()
        .args(["extract", input.to_str().unwrap(), "--jsonl", "-", "-q"])
        .output()
        .unwrap();
    let rec: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        rec["source"]["path"].as_str().unwrap().ends_with("in/\\xB1\\xED.txt"),
        "{}",
        rec["source"]["path"]
    );
    // The same bytes on stdin, one per line and NUL-separated.
    let mut list = input.as_os_str().as_bytes().to_vec();
    list.extend_from_slice(b"/\xB1\xED.txt");
    for (sep, flag) in [(b'\n', None), (b'\0', Some("-0"))] {
        let mut stdin = list.clone();
        stdin.push(sep);
        let mut cmd = declx();
        cmd.args(["extract", "-", "--jsonl", "-", "-q"]);
        if let Some(f) = flag {
            cmd.arg(f);
        }
        let o = cmd.write_stdin(stdin).output().unwrap();
        assert!(o.status.success(), "{o:?}");
        assert_eq!(jsonl_count(&o), 1, "{flag:?}");
    }
}

#[test]
fn outputs_inside_the_input_tree_are_not_read_back() {
    let dir = tmp("inside");
    fs::write(dir.join("seed.txt"), seed()).unwrap();
    for _ in 0..2 {
        let o = declx()
            .current_dir(&dir)
            .args(["extract", ".", "--flat", "flat.csv", "--jsonl", "all.jsonl", "-q"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
    }
    let all = fs::read_to_string(dir.join("all.jsonl")).unwrap();
    assert_eq!(all.lines().count(), 1);
}

#[test]
fn a_huge_text_file_is_cut_at_the_row_limit_with_a_warning() {
    let dir = tmp("rows");
    let mut text = seed();
    for i in 0..5000 {
        text.push_str(&format!("{i}\n"));
    }
    let p = dir.join("big.txt");
    fs::write(&p, text).unwrap();
    let o = declx()
        .args([
            "extract",
            p.to_str().unwrap(),
            "--jsonl",
            "-",
            "-q",
            "--max-rows",
            "1000",
        ])
        .output()
        .unwrap();
    let rec: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warned = rec["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "rows_truncated");
    assert!(warned);
    assert_eq!(rec["department"], "广州市天河区司法局");
    assert!(rec["unmapped"].as_array().unwrap().len() < 1000);
}
