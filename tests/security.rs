//! Security and reliability, round 3 (issue #22, part A): declx reads only
//! the files it is given, writes only its own files and never through a
//! link, deletes only what it wrote, and nothing it prints or writes for
//! people carries a control sequence or a formula. Each test reproduces a
//! probe of `../shared/probes/round3/`.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-sec-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn declx() -> Command {
    Command::cargo_bin("declx").unwrap()
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("declx")
}

fn seed() -> String {
    fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap()
}

fn seed_of(department: &str) -> String {
    seed().replace("广州市天河区司法局", department)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn run(args: &[&str]) -> Output {
    declx().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a command, killed after `secs`: `None` when it did not end.
fn bounded(mut cmd: std::process::Command, secs: u64) -> Option<Output> {
    use std::process::Stdio;
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every file below a directory (relative names), links not followed.
fn names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn temps(dir: &Path) -> Vec<String> {
    names(dir).into_iter().filter(|n| n.ends_with(".tmp")).collect()
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(out.join("_report.json")).unwrap()).unwrap()
}

// 1. A path inside a file is never followed.

#[test]
fn a_workbook_file_holding_only_a_path_is_read_as_itself_never_followed() {
    let dir = tmp("pathtext");
    fs::create_dir_all(dir.join("secret")).unwrap();
    fs::create_dir_all(dir.join("archive/sub")).unwrap();
    let secret = dir.join("secret/confidential.xls");
    fs::copy("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls", &secret).unwrap();
    fs::write(dir.join("archive/abs.xls"), s(&secret)).unwrap();
    fs::write(dir.join("archive/sub/rel.xls"), b"../../secret/confidential.xls").unwrap();
    let limits = declx::Limits::default();
    for p in ["archive/abs.xls", "archive/sub/rel.xls"] {
        let e = declx::extract_file(&dir.join(p), &limits).expect_err("a text file is not a workbook");
        assert!(e.to_string().contains("found text"), "{e}");
    }
    // Nor through a run, `inspect` or a review page: nothing of the secret comes out.
    let o = run(&["extract", s(&dir.join("archive")), "--jsonl", "-", "-q"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 0);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["inspect", s(&dir.join("archive/abs.xls"))]);
    assert!(o.stdout.is_empty());
}

// 2. Temp files are created exclusively.

#[test]
fn temp_files_are_never_opened_through_a_planted_link() {
    let dir = tmp("templink");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    let victim = dir.join("victim.txt");
    fs::write(&victim, "IMPORTANT VICTIM DATA\n").unwrap();
    // The names the old writer would pick for this process's first record
    // files (the shell's pid is declx's after `exec`). Number 0 (the report's
    // entries) is left out: with it the old writer copied a file into itself.
    let script =
        r#"for n in 1 2 3 4 5 6; do ln -s "$1" "$2/.declx-$$-$n.tmp"; done; exec "$3" extract seeds --out "$2" -q"#;
    let o = std::process::Command::new("sh")
        .args(["-c", script, "sh", s(&victim), s(&out), s(&bin())])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "IMPORTANT VICTIM DATA\n");
    for n in names(&out) {
        let meta = fs::symlink_metadata(out.join(&n)).unwrap();
        if n.ends_with(".json") {
            assert!(meta.is_file(), "{n} is not a regular file");
        }
    }
}

// 3. An existing link or special file at an output name.

#[test]
fn a_link_at_an_output_name_is_replaced_never_written_through() {
    let dir = tmp("outlink");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink("/dev/null", out.join("_report.json")).unwrap();
    let rev = dir.join("rev");
    fs::create_dir_all(&rev).unwrap();
    let elsewhere = dir.join("elsewhere.html");
    fs::write(&elsewhere, "mine").unwrap();
    std::os::unix::fs::symlink(&elsewhere, rev.join("index.html")).unwrap();
    let o = run(&["extract", "seeds", "--out", s(&out), "--review", s(&rev), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(fs::symlink_metadata(out.join("_report.json")).unwrap().is_file());
    assert_eq!(report(&out)["totals"]["records"], 1);
    assert!(fs::symlink_metadata(rev.join("index.html")).unwrap().is_file());
    assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "mine");
}

#[test]
fn a_pipe_at_a_name_declx_picks_is_refused_with_one_line() {
    let dir = tmp("outfifo");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    let fifo = out.join("_report.json");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut cmd = std::process::Command::new(bin());
    cmd.args(["extract", "seeds", "--out", s(&out), "-q"]);
    let o = bounded(cmd, 30).expect("declx blocked on a pipe at _report.json");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("_report.json") && err.contains("not a regular file"),
        "{err}"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

// 4. --clean deletes only what declx wrote, never while another run writes.

#[test]
fn clean_removes_only_record_files_declx_wrote() {
    let dir = tmp("clean");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.txt"), seed_of("甲局")).unwrap();
    fs::write(input.join("b.txt"), seed_of("乙局")).unwrap();
    let out = dir.join("proj");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("package.json"), r#"{"name":"my-app"}"#).unwrap();
    fs::write(out.join("measurements-2023.json"), "{}").unwrap();
    fs::write(out.join("某局_2024_x_0123abcd.json"), "{}").unwrap();
    let o = run(&["extract", s(&input), "--out", s(&out), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let b_file = names(&out).into_iter().find(|n| n.starts_with("乙局")).unwrap();
    fs::remove_file(input.join("b.txt")).unwrap();
    let o = run(&["extract", s(&input), "--out", s(&out), "--clean", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join(&b_file).exists(), "the stale record declx wrote stays");
    for keep in ["package.json", "measurements-2023.json", "某局_2024_x_0123abcd.json"] {
        assert!(out.join(keep).exists(), "{keep} was removed");
    }
}

#[test]
fn clean_is_refused_while_another_run_holds_the_directory() {
    use std::os::unix::io::AsRawFd;
    let dir = tmp("cleanlock");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.txt"), seed_of("甲局")).unwrap();
    fs::write(input.join("b.txt"), seed_of("乙局")).unwrap();
    let out = dir.join("out");
    assert!(run(&["extract", s(&input), "--out", s(&out), "-q"]).status.success());
    let b_file = names(&out).into_iter().find(|n| n.starts_with("乙局")).unwrap();
    fs::remove_file(input.join("b.txt")).unwrap();
    // Another run's hold on the directory, as declx takes it.
    let lock = fs::File::open(&out).unwrap();
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_SH) }, 0);
    let o = run(&["extract", s(&input), "--out", s(&out), "--clean", "-q"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("another declx run"), "{}", stderr(&o));
    assert!(out.join(&b_file).exists(), "cleaned under another run's feet");
    drop(lock);
}

// 5. An output that is an input.

#[test]
fn an_output_file_that_is_an_input_is_refused_before_anything_is_read() {
    let dir = tmp("outisin");
    let form = dir.join("form.csv");
    fs::write(&form, seed()).unwrap();
    let txt = dir.join("in.txt");
    fs::write(&txt, seed()).unwrap();
    for (input, flag) in [(&form, "--flat"), (&txt, "--jsonl")] {
        let o = run(&["extract", s(input), flag, s(input), "-q"]);
        assert_eq!(o.status.code(), Some(1), "{flag}: {}", stderr(&o));
        assert!(stderr(&o).contains("is also an input"), "{}", stderr(&o));
        assert_eq!(fs::read_to_string(input).unwrap(), seed(), "{flag} destroyed its input");
    }
    // Found in a walk, too.
    let o = run(&["extract", s(&dir), "--flat", s(&form), "-q"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&form).unwrap(), seed());
    // A previous flat table found in the walk is passed over, not refused.
    let flat = dir.join("flat.csv");
    let mut tables = Vec::new();
    for _ in 0..2 {
        let o = run(&["extract", s(&dir), "--flat", s(&flat), "-q"]);
        assert!(o.status.success(), "{}", stderr(&o));
        tables.push(fs::read(&flat).unwrap());
    }
    assert_eq!(tables[0], tables[1]);
    let o = run(&["extract", s(&txt), "--flat", s(&flat), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["extract", s(&txt), s(&flat), "--flat", s(&flat), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // An output directory inside the inputs is fine: it is not read back.
    fs::remove_file(&flat).unwrap();
    let o = run(&["extract", s(&dir), "--out", s(&dir.join("out")), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// 6. Formula injection in the CSV.

#[test]
fn csv_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote() {
    let dir = tmp("formula");
    let line = seed().lines().nth(19).unwrap().to_string();
    let name = line.split('\t').nth(3).unwrap().to_string();
    let text = seed_of("=HYPERLINK(\"http://evil.example/\",\"x\")").replace(&line, "\t\t\t+1+2\t-5\t@SUM(1)");
    assert_ne!(text, seed_of("=HYPERLINK(\"http://evil.example/\",\"x\")"), "{name}");
    fs::write(dir.join("f.txt"), text).unwrap();
    let csv_path = dir.join("flat.csv");
    let o = run(&["extract", s(&dir.join("f.txt")), "--flat", s(&csv_path), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = fs::read(&csv_path).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| r[col("department")].starts_with("'=HYPERLINK")));
    let row = rows
        .iter()
        .find(|r| r[col("level3")].ends_with("+1+2"))
        .expect("the indicator");
    assert_eq!(&row[col("level3")], "'+1+2");
    assert_eq!(&row[col("period_raw")], "-5", "a number is kept as written");
    assert_eq!(&row[col("annual_raw")], "'@SUM(1)");
    for r in &rows {
        for f in r.iter() {
            assert!(!f.starts_with(['=', '+', '@', '\t', '\r']), "{f}");
        }
    }
    // JSON keeps the text as written.
    let jl = dir.join("flat.jsonl");
    assert!(run(&["extract", s(&dir.join("f.txt")), "--flat", s(&jl), "-q"])
        .status
        .success());
    assert!(fs::read_to_string(&jl)
        .unwrap()
        .contains(r#""department":"=HYPERLINK("#));
}

// 7. Review pages are not read back.

#[test]
fn review_pages_inside_the_input_tree_are_not_read_back() {
    let dir = tmp("readback");
    let archive = dir.join("archive");
    fs::create_dir_all(&archive).unwrap();
    fs::write(archive.join("a.txt"), seed()).unwrap();
    fs::write(archive.join("b.txt"), seed_of("某局")).unwrap();
    let first = run(&[
        "extract",
        s(&archive),
        "--jsonl",
        "-",
        "--review",
        s(&archive.join("review")),
        "-q",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = run(&["extract", s(&archive), "--jsonl", "-", "-q"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(second.stdout.len(), first.stdout.len());
    // Named directly, the site's page directory is passed over too.
    let o = run(&["extract", s(&archive.join("review/forms")), "--jsonl", "-", "-q"]);
    assert!(o.stdout.is_empty());
}

// 8. Terminal and log injection.

#[test]
fn control_characters_in_names_and_cells_never_reach_a_terminal_raw() {
    let dir = tmp("ctl");
    fs::write(dir.join("bad\x1b]0;TITLE\x07.txt"), "x\n").unwrap();
    fs::write(
        dir.join("evil\ndeclx: error: important.xlsx: forged failure\nx.txt"),
        "x\n",
    )
    .unwrap();
    fs::write(dir.join("rlo\u{202e}txt.exe.txt"), "x\n").unwrap();
    let o = run(&["extract", s(&dir), "--jsonl", "/dev/null"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(!err.contains(['\x1b', '\x07', '\u{202e}']), "{err:?}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("declx: error:")).collect();
    assert_eq!(errors.len(), 3, "{err}");
    assert!(!err.contains("\ndeclx: error: important.xlsx"), "{err}");
    // Cell text in `inspect`.
    let esc = dir.join("esc.txt");
    fs::write(&esc, seed_of("司法局\x1b]0;PWNED\x07\x1b[2J\r")).unwrap();
    let o = run(&["inspect", s(&esc)]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("PWNED") && !text.contains(['\x1b', '\x07', '\r']),
        "{text:?}"
    );
}

// 9. Record file names.

#[test]
fn record_names_are_never_reserved_on_windows_nor_invisible() {
    let dir = tmp("winnames");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    let departments = [
        "CON.局",
        "NUL.json",
        "aux.部门",
        "COM¹.x",
        "lpt9",
        "部门\u{202e}nosj.exe",
        "\u{200b}\u{200b}",
        "~$lock",
    ];
    for (i, d) in departments.iter().enumerate() {
        fs::write(input.join(format!("{i}.txt")), seed_of(d)).unwrap();
    }
    let out = dir.join("out");
    let o = run(&["extract", s(&input), "--out", s(&out), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let records: Vec<String> = names(&out).into_iter().filter(|n| !n.starts_with(['_', '.'])).collect();
    assert_eq!(records.len(), departments.len(), "{records:?}");
    let reserved = |base: &str| {
        let b = base.trim_end_matches(' ').to_uppercase();
        ["CON", "PRN", "AUX", "NUL"].contains(&b.as_str())
            || ((b.starts_with("COM") || b.starts_with("LPT"))
                && b.chars().count() == 4
                && b.chars()
                    .nth(3)
                    .is_some_and(|c| c.is_ascii_digit() || "¹²³".contains(c)))
    };
    for n in &records {
        assert!(!reserved(n.split('.').next().unwrap()), "{n}");
        assert!(!n.starts_with("~$"), "{n}");
        assert!(
            !n.contains(['\u{202e}', '\u{200b}', '\u{200e}', '\u{200f}', '\u{2066}', '\u{feff}']),
            "{n:?}"
        );
    }
}

// 14. The report lists only what was written.

#[test]
fn the_report_never_lists_a_record_file_that_was_not_written() {
    let dir = tmp("unwritten");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    for i in 0..40 {
        fs::write(input.join(format!("{i:03}.txt")), seed_of(&format!("第{i}局"))).unwrap();
    }
    let out = dir.join("out");
    // A flat table that cannot be written: every write fails (ENOSPC).
    let full = dir.join("full.csv");
    std::os::unix::fs::symlink("/dev/full", &full).unwrap();
    let o = run(&["extract", s(&input), "--out", s(&out), "--flat", s(&full), "-q"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = report(&out);
    let mut ok = 0;
    for i in r["inputs"].as_array().unwrap() {
        for rec in i["records"].as_array().into_iter().flatten() {
            if let Some(f) = rec["file"].as_str() {
                assert!(out.join(f).is_file(), "listed but not written: {f}");
            }
        }
        if i["outcome"] == "ok" {
            ok += 1;
        }
    }
    assert_eq!(r["totals"]["ok"], ok);
    assert!(temps(&out).is_empty(), "{:?}", temps(&out));
}

// 15. No temp file left when a rename fails.

#[test]
fn no_temp_file_is_left_when_a_rename_fails() {
    let dir = tmp("renamefail");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    for i in 0..30 {
        fs::write(input.join(format!("{i:03}.txt")), seed_of(&format!("第{i}局"))).unwrap();
    }
    let out = dir.join("out");
    assert!(run(&["extract", s(&input), "--out", s(&out), "-q"]).status.success());
    // A directory now holds one record's name: its rename fails.
    let victim = names(&out).into_iter().find(|n| n.starts_with("第3局")).unwrap();
    fs::remove_file(out.join(&victim)).unwrap();
    fs::create_dir_all(out.join(&victim).join("x")).unwrap();
    let o = run(&["extract", s(&input), "--out", s(&out), "-q"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(temps(&out).is_empty(), "{:?}", temps(&out));
}

// 16. An unreadable directory.

#[test]
fn an_unreadable_directory_is_an_error_line_and_fails_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp("lockeddir");
    let input = dir.join("in");
    fs::create_dir_all(input.join("locked")).unwrap();
    fs::write(input.join("seed.txt"), seed()).unwrap();
    fs::write(input.join("locked/x.txt"), seed()).unwrap();
    fs::set_permissions(input.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    for d in [&dir, &input, &out] {
        fs::set_permissions(d, fs::Permissions::from_mode(0o777)).unwrap();
    }
    // Root reads any directory: run as nobody.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(bin());
        c
    } else {
        std::process::Command::new(bin())
    };
    cmd.args(["extract", s(&input), "--out", s(&out)]);
    let o = bounded(cmd, 60).unwrap();
    fs::set_permissions(input.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with("declx: error:") && l.contains("locked")),
        "{err}"
    );
}

// 19. Flags.

#[test]
fn huge_limits_saturate_and_never_wrap_to_zero() {
    for flag in ["--max-file-mb", "--max-unzipped-mb", "--max-cell-kb"] {
        let o = run(&["extract", "seeds", "--jsonl", "-", "-q", flag, "17592186044416"]);
        assert_eq!(o.status.code(), Some(0), "{flag}: {}", stderr(&o));
        let o = run(&["extract", "seeds", "--jsonl", "-", "-q", flag, "18446744073709551615"]);
        assert_eq!(o.status.code(), Some(0), "{flag}: {}", stderr(&o));
    }
}

#[test]
fn zero_limits_that_would_read_nothing_are_usage_errors() {
    for flag in ["--max-rows", "--max-cell-kb", "--max-cells", "--max-file-mb"] {
        let o = run(&["extract", "seeds", "--jsonl", "-", "-q", flag, "0"]);
        assert_eq!(o.status.code(), Some(1), "{flag}: {}", stderr(&o));
        assert!(!stderr(&o).contains("empty file"));
    }
}

#[test]
fn a_huge_jobs_count_is_one_usage_line_not_a_panic() {
    for jobs in ["18446744073709551615", "100000"] {
        let o = run(&["extract", "seeds", "--jsonl", "-", "-q", "--jobs", jobs]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("--jobs"), "{err}");
    }
}

#[test]
fn a_control_character_in_a_label_still_gives_a_valid_starter_vocabulary() {
    let dir = tmp("delvocab");
    let text = seed().replace("部门名称", "部门\x7f名称\u{85}");
    fs::write(dir.join("del.txt"), text).unwrap();
    let v = dir.join("v.toml");
    let o = run(&["labels", s(&dir.join("del.txt")), "--emit-vocab", s(&v), "-q"]);
    assert!(o.status.code().is_some_and(|c| c != 1), "{}", stderr(&o));
    let written = fs::read_to_string(&v).unwrap();
    assert!(written.contains("部门"), "{written}");
    let o = run(&[
        "extract",
        s(&dir.join("del.txt")),
        "--vocab",
        s(&v),
        "--jsonl",
        "/dev/null",
        "-q",
    ]);
    assert_ne!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(toml::from_str::<toml::Table>(&written).is_ok());
}

#[test]
fn an_endless_vocabulary_file_is_refused_at_a_bound() {
    let mut cmd = std::process::Command::new("sh");
    cmd.args([
        "-c",
        r#"ulimit -v 3000000; exec "$1" extract seeds --vocab /dev/zero --jsonl /dev/null -q"#,
        "sh",
        s(&bin()),
    ]);
    let o = bounded(cmd, 60).expect("reading /dev/zero never ended");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("/dev/zero") && err.contains("larger than"), "{err}");
}
