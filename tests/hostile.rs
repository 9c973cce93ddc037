//! Hostile inputs (issue #22, part B): each finding of the third probe that
//! concerns the readers, the review pages or a file's time — deep nesting,
//! quadratic layouts, repeats without end, a FIFO swapped in, text lost
//! without a word — reproduced as reported. A hang is bounded by
//! `--max-seconds` (or a watchdog far above the expected time), never timed.

use crate::common::publish::{docx, w_para, Word};
use crate::robustness::ods_with_rows;
use assert_cmd::Command;
use declx::{read_bytes, read_file, ErrorKind, Format, Limits, WarningCode};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-hostile-{name}-{}", std::process::id()));
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

/// Runs `f` on a thread with rayon's 2 MiB worker stack; `None` when it has
/// not finished after `secs` (a hang: the thread is left behind).
fn on_small_stack<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(secs)).ok()
}

/// The stderr lines of a run, and its exit code.
fn run(args: &[&str]) -> (i32, Vec<String>) {
    let out = declx().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect();
    (out.status.code().unwrap_or(-1), err)
}

fn errors(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.starts_with("declx: error:")).collect()
}

// ------------------------------------------------------------- item 10: depth

/// The seed's first lines as a page's table inside `depth` nested `tag`s.
fn deep_page(depth: usize, tag: &str) -> String {
    let table: String = seed()
        .lines()
        .map(|l| {
            format!(
                "<tr>{}</tr>",
                l.split('\t').map(|c| format!("<td>{c}</td>")).collect::<String>()
            )
        })
        .collect();
    format!("{}<table>{table}</table>", format!("<{tag}>").repeat(depth))
}

#[test]
fn a_page_nested_thousands_deep_is_read_on_a_worker_sized_stack() {
    // 3,000 nested <div>s overflowed a 2 MiB stack (SIGABRT, the whole run
    // lost); 20,000 here, around the form's table and inside a cell.
    let page = deep_page(20_000, "div");
    let cell = format!(
        "<table><tr><td>{}部门名称{}</td><td>x</td></tr></table>",
        "<span>".repeat(20_000),
        "</span>".repeat(20_000)
    );
    let shallow = deep_page(0, "div");
    let got = on_small_stack(120, move || {
        let records = |page: &str| {
            read_bytes(
                Path::new("deep.html"),
                Format::Html,
                page.as_bytes(),
                &Limits::default(),
            )
            .ok()
            .and_then(|g| declx::extract(&g[0], "deep").ok())
            .map(|r| {
                let mut v = serde_json::to_value(&r[0]).unwrap();
                v["source"]["sha256"] = serde_json::Value::Null;
                v
            })
        };
        let b = read_bytes(
            Path::new("cell.html"),
            Format::Html,
            cell.as_bytes(),
            &Limits::default(),
        )
        .map(|g| g[0].rows[0].cells[0].text.clone());
        (records(&page), records(&shallow), b.ok())
    })
    .expect("the read ended");
    assert!(got.0.is_some(), "the form inside 20,000 <div>s gives its record");
    assert_eq!(got.0, got.1, "the same record as without the nesting");
    assert_eq!(got.2.as_deref(), Some("部门名称"));
}

#[test]
fn a_deep_page_in_a_batch_fails_alone_or_reads_and_the_batch_is_written() {
    let dir = tmp("deep");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    for i in 0..20 {
        fs::write(input.join(format!("{i:02}.txt")), seed()).unwrap();
    }
    fs::write(
        input.join("zz_deep.html"),
        "<div>".repeat(30_000) + "<table><tr><td>x</td></tr></table>",
    )
    .unwrap();
    let out = dir.join("out");
    let (code, err) = run(&["extract", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    assert_eq!(code, 2, "{err:?}");
    let errs = errors(&err);
    assert_eq!(errs.len(), 1, "{err:?}");
    assert!(errs[0].contains("zz_deep.html"), "{err:?}");
    assert!(out.join("_report.json").exists());
    let records = fs::read_dir(&out).unwrap().filter(|e| {
        let n = e.as_ref().unwrap().file_name();
        let n = n.to_string_lossy();
        n.ends_with(".json") && !n.starts_with('_')
    });
    assert_eq!(records.count(), 20);
}

// ------------------------------------------------------------ item 11: review

fn sparse_workbook(sheets: usize) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for i in 0..sheets {
        let ws = wb.add_worksheet();
        ws.set_name(format!("s{i}")).unwrap();
        ws.write_string(0, 0, "x").unwrap();
        ws.write_string(2999, 199, "y").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_review_page_draws_what_a_sparse_sheet_holds_never_its_extent() {
    // 60 sheets holding A1 and GR3000 each: drawn densely (3,000 × 200
    // positions a sheet) the page took 19 GB.
    let dir = tmp("sparse");
    let path = dir.join("sparse.xlsx");
    fs::write(&path, sparse_workbook(60)).unwrap();
    let page = declx::review_page(&path, None, &Limits::default()).unwrap();
    assert!(page.html.len() < 2_000_000, "{} bytes", page.html.len());
    assert_eq!(page.cells, 120, "every cell there is drawn");
    assert_eq!(page.html.matches("data-cell=\"GR3000\"").count(), 60);
    assert!(page.html.contains("rows and columns holding nothing are not drawn"));
}

#[test]
fn a_review_page_of_many_overlapping_merges_draws_one_and_says_so() {
    // 100,000 merged regions A1:GR3000 over the seed: each marked 600,000
    // covered positions (minutes); HTML cannot draw overlapping regions.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in seed().lines().enumerate() {
        for (c, text) in line.split('\t').enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, text).unwrap();
            }
        }
    }
    let base = wb.save_to_buffer().unwrap();
    let bytes = with_merges(&base, 100_000, "A1:GR3000");
    let dir = tmp("merges");
    let path = dir.join("merges.xlsx");
    fs::write(&path, bytes).unwrap();
    let page = on_small_stack(300, move || {
        declx::review_page(&path, None, &Limits::default()).map(|p| p.html)
    })
    .expect("the page was drawn")
    .unwrap();
    assert_eq!(page.matches("data-span=\"1\"").count(), 1);
    assert!(page.contains("99999 merged region(s) overlapping another are drawn as plain cells"));
}

/// An xlsx with `n` copies of a merged region added to its first sheet.
fn with_merges(xlsx: &[u8], n: usize, range: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let name = f.name().unwrap().to_string();
        if name == "xl/worksheets/sheet1.xml" {
            let merges = format!(
                "<mergeCells count=\"{n}\">{}</mergeCells>",
                format!("<mergeCell ref=\"{range}\"/>").repeat(n)
            );
            data = String::from_utf8(data)
                .unwrap()
                .replacen("</sheetData>", &format!("</sheetData>{merges}"), 1)
                .into_bytes();
        }
        out.start_file(
            name,
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

// -------------------------------------------------------- item 12: page size

#[test]
fn a_page_above_the_page_limit_is_refused_with_one_line_naming_it() {
    // A page's tree takes 22–30 times its bytes (200 MB → 4.5 GB).
    let dir = tmp("bigpage");
    let page = dir.join("big.html");
    let row = "<tr><td>部门名称</td><td>某局</td></tr>";
    fs::write(
        &page,
        format!("<table>{}</table>", row.repeat(2 * (1 << 20) / row.len())),
    )
    .unwrap();
    let (code, err) = run(&[
        "extract",
        page.to_str().unwrap(),
        "--jsonl",
        "/dev/null",
        "--max-page-mb",
        "1",
        "-q",
    ]);
    assert_eq!(code, 2);
    let errs = errors(&err);
    assert_eq!(errs.len(), 1, "{err:?}");
    assert!(
        errs[0].contains("big.html") && errs[0].contains("bytes in a web page") && errs[0].contains("--max-page-mb"),
        "{err:?}"
    );
    assert_eq!(Limits::default().max_page_bytes, 32 << 20);
}

// ------------------------------------------------------- item 13: near-linear

/// Extracts one file under `--max-seconds 60`: the file must not reach it
/// (each of these took from 9 s to hours before).
fn within_the_time_limit(dir: &Path, name: &str, bytes: &[u8]) -> Vec<String> {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    let (_, err) = run(&[
        "extract",
        path.to_str().unwrap(),
        "--jsonl",
        "/dev/null",
        "--max-seconds",
        "60",
        "-q",
    ]);
    assert!(!err.iter().any(|l| l.contains("--max-seconds")), "{name}: {err:?}");
    err
}

#[test]
fn many_rowspan_zero_cells_lay_out_in_near_linear_time() {
    // K rowspan="0" cells, then R one-cell rows: O(R·K²) (720 KB: hours).
    let k = 30_000;
    let page = format!(
        "<table><tr>{}</tr>{}</table>",
        "<td rowspan=0></td>".repeat(k),
        "<tr><td>x</td></tr>".repeat(20_000)
    );
    let dir = tmp("rowspan0");
    within_the_time_limit(&dir, "k.html", page.as_bytes());
}

#[test]
fn rowspans_and_colspans_still_lay_out_as_the_html_table_model_does() {
    // Overlapping and expiring spans: each row's cells take the first
    // columns no span from above covers.
    let page = "<table>\
        <tr><td rowspan=3>a</td><td>b</td><td rowspan=2 colspan=2>c</td><td>d</td></tr>\
        <tr><td>e</td><td>f</td></tr>\
        <tr><td>g</td><td>h</td><td>i</td><td>j</td></tr>\
        <tr><td rowspan=0>k</td><td>l</td></tr>\
        <tr><td>m</td></tr></table>";
    let g = &read_bytes(Path::new("t.html"), Format::Html, page.as_bytes(), &Limits::default()).unwrap()[0];
    let cells: Vec<String> = g
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(move |c| format!("{}={}", r.at(c.col), c.text)))
        .collect();
    assert_eq!(
        cells,
        ["A1=a", "B1=b", "C1=c", "E1=d", "B2=e", "E2=f", "B3=g", "C3=h", "D3=i", "E3=j", "A4=k", "B4=l", "B5=m"]
    );
    let mut spans: Vec<String> = g.spans.iter().map(|s| format!("{}:{}", s.first, s.last)).collect();
    spans.sort();
    assert_eq!(spans, ["A1:A3", "A4:A5", "C1:D2"]);
}

#[test]
fn an_ods_blank_repeated_a_billion_by_a_billion_times_is_nothing() {
    let blank = r#"<table:table-row table:number-rows-repeated="1000000000"><table:table-cell table:number-columns-repeated="1000000000" office:value-type="string"><text:p> </text:p></table:table-cell></table:table-row>"#;
    let bytes = ods_with_rows(blank);
    let got = on_small_stack(120, move || {
        read_bytes(Path::new("blank.ods"), Format::Ods, &bytes, &Limits::default()).map(|g| g[0].cell_count())
    })
    .expect("the read ended");
    assert!(got.is_ok_and(|n| n > 100));
}

#[test]
fn a_label_repeated_thousands_of_times_is_numbered_in_linear_time() {
    // LabelMap::insert rebuilt `label#n` n times for the n-th repeat: 20,000
    // rows ran for minutes.
    let text = "部门整体预算绩效目标申报表\n".to_string() + &"部门名称\t某局\n联系人\t张三\n".repeat(20_000);
    let dir = tmp("labels");
    within_the_time_limit(&dir, "rep.txt", text.as_bytes());
    let mut m = declx::types::LabelMap::default();
    for (k, v) in [("a", "1"), ("a#3", "x"), ("a", "2"), ("a", "3"), ("a", "4"), ("b", "5")] {
        m.insert(k.into(), v.into());
    }
    let keys: Vec<&str> = m.0.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["a", "a#3", "a#2", "a#4", "a#5", "b"]);
    assert_eq!(m.get("a#4"), Some("3"));
    assert_eq!(m.get("c"), None);
}

fn vmerge_docx(cols: usize, rows: usize) -> Vec<u8> {
    let restart = r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc>"#;
    let cont = r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#;
    let body = format!(
        "{}<w:tbl><w:tr>{}</w:tr>{}</w:tbl>",
        w_para("部门整体支出绩效目标申报表"),
        restart.repeat(cols),
        format!("<w:tr>{}</w:tr>", cont.repeat(cols)).repeat(rows)
    );
    docx(&body, Word::Word)
}

#[test]
fn many_vertical_merges_in_a_document_are_laid_out_in_near_linear_time() {
    // Each cell scanned and re-partitioned the list of open merges (119 KB → 80 s).
    let dir = tmp("vmerge");
    within_the_time_limit(&dir, "vmerge.docx", &vmerge_docx(16_000, 40));
    // Past --max-spans the document is refused as soon as it gets there.
    let path = dir.join("vmerge.docx");
    let (code, err) = run(&[
        "extract",
        path.to_str().unwrap(),
        "--jsonl",
        "/dev/null",
        "--max-spans",
        "100",
        "-q",
    ]);
    assert_eq!(code, 2);
    assert!(
        errors(&err)[0].contains("merged regions") && errors(&err)[0].contains("--max-spans"),
        "{err:?}"
    );
}

#[test]
fn a_file_swapped_for_a_fifo_is_refused_without_blocking() {
    // Opened without O_NONBLOCK, a FIFO with no writer blocked the worker
    // for ever, deaf to SIGINT.
    let dir = tmp("fifo");
    let fifo = dir.join("form.xlsx");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let got = on_small_stack(60, move || read_file(&fifo, &Limits::default()).map(|_| ()))
        .expect("the open did not wait for a writer");
    assert!(matches!(got.unwrap_err().kind(), ErrorKind::NotRegular));
}

// ----------------------------------------------------- --max-seconds, signals

/// A page html5ever itself takes long over (quadratic in nesting depth).
fn slow_page() -> String {
    "<div>".repeat(150_000) + "<table><tr><td>部门名称</td><td>x</td></tr></table>"
}

#[test]
fn a_file_past_max_seconds_fails_alone_with_one_line_and_the_run_goes_on() {
    let dir = tmp("maxsec");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.txt"), seed()).unwrap();
    fs::write(input.join("slow.html"), slow_page()).unwrap();
    fs::write(input.join("z.txt"), seed()).unwrap();
    let jsonl = dir.join("all.jsonl");
    let (code, err) = run(&[
        "extract",
        input.to_str().unwrap(),
        "--jsonl",
        jsonl.to_str().unwrap(),
        "--max-seconds",
        "1",
        "--jobs",
        "1",
        "-q",
    ]);
    assert_eq!(code, 2, "{err:?}");
    let errs = errors(&err);
    assert_eq!(errs.len(), 1, "{err:?}");
    assert!(
        errs[0].contains("slow.html") && errs[0].contains("--max-seconds"),
        "{err:?}"
    );
    assert_eq!(fs::read_to_string(&jsonl).unwrap().lines().count(), 2);
}

#[test]
fn sigint_stops_a_run_while_one_file_is_still_being_read() {
    // The stop flag was looked at only between files: SIGINT, SIGINT and
    // SIGTERM were ignored while one file was stuck.
    let dir = tmp("sigint");
    fs::write(dir.join("slow.html"), slow_page()).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("declx");
    let mut child = std::process::Command::new(bin)
        .args([
            "extract",
            dir.join("slow.html").to_str().unwrap(),
            "--jsonl",
            "/dev/null",
            "--max-seconds",
            "0",
            "-q",
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let sent = Instant::now();
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let deadline = sent + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("SIGINT did not stop the run");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
}

// ------------------------------------------------- item 17, 19: DOCX honesty

#[test]
fn text_in_a_vertical_merge_continuation_cell_is_kept_with_a_warning() {
    let body = format!(
        "{}<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>部门名称</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>某局</w:t></w:r></w:p></w:tc></w:tr>\
         <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>HIDDEN-CELL-TEXT</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>",
        w_para("部门整体支出绩效目标申报表")
    );
    let g = &read_bytes(
        Path::new("v.docx"),
        Format::Docx,
        &docx(&body, Word::Word),
        &Limits::default(),
    )
    .unwrap()[0];
    let text: Vec<&str> = g
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.text.as_str()))
        .collect();
    assert!(text.contains(&"HIDDEN-CELL-TEXT"), "{text:?}");
    assert!(g
        .notes
        .iter()
        .any(|w| w.code == WarningCode::SpanClamped && w.detail.contains("continuation")));
    // The merge above ends where the text is: no region covers it.
    assert!(g.spans.is_empty(), "{:?}", g.spans);
}

#[test]
fn a_column_number_that_would_wrap_is_an_error_not_a_lost_cell() {
    // 4,294,967 × w:gridBefore 1000 wrapped the u32 column onto column 0.
    let before = "<w:gridBefore w:val=\"1000\"/>".repeat(20);
    let body = format!(
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr>{before}</w:trPr><w:tc><w:p><w:r><w:t>HIDDEN-CELL-TEXT</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    );
    let e = read_bytes(
        Path::new("wrap.docx"),
        Format::Docx,
        &docx(&body, Word::Word),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("past column 16384"), "{e}");
}

#[test]
fn a_docx_with_a_bad_crc_is_called_a_damaged_zip_not_a_missing_part() {
    let good = docx(
        &format!("{}<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>", w_para("x")),
        Word::Word,
    );
    // Flip the stored CRC-32 of word/document.xml in its local header and in
    // the central directory.
    let mut bad = good.clone();
    let name = b"word/document.xml";
    let mut at = 0;
    while let Some(p) = bad[at..].windows(name.len()).position(|w| w == name) {
        let p = at + p;
        // Local header: CRC at name - 30 + 14; central: name - 46 + 16.
        if bad[p - 30..p - 26] == *b"PK\x03\x04" {
            bad[p - 30 + 14] ^= 0xFF;
        } else if bad[p - 46..p - 42] == *b"PK\x01\x02" {
            bad[p - 46 + 16] ^= 0xFF;
        }
        at = p + 1;
    }
    let e = read_bytes(Path::new("crc.docx"), Format::Docx, &bad, &Limits::default()).unwrap_err();
    let line = e.to_string();
    assert!(!line.contains("no word/document.xml"), "{line}");
    assert!(
        line.contains("damaged zip") && line.to_lowercase().contains("checksum"),
        "{line}"
    );
}
