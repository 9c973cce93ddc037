//! Forms where they are published: the seed and the fixture workbook
//! re-published as web pages and Word documents give the same records as
//! the workbooks they came from (but `source`), and real-world page and
//! document quirks read as a browser or Word shows them.

use crate::common::publish::{docx, html_page, html_table, w_para, w_table, Page, Word};
use declx::{read_file, Limits};
use encoding_rs::GB18030;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-publish-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn records(path: &Path) -> Vec<Value> {
    let out = declx::extract_file(path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    out.records.iter().map(|r| serde_json::to_value(r).unwrap()).collect()
}

/// A record without where it came from.
fn content(v: &Value) -> Value {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove("source");
    v
}

const SEED_ODS: &str = "fixtures/seed_merged.ods";
const PKU_XLS: &str = "fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls";

#[test]
fn the_seed_published_as_web_pages_gives_the_seed_record() {
    let grids = read_file(Path::new(SEED_ODS), &Limits::default()).unwrap();
    let want = content(&records(Path::new(SEED_ODS))[0]);
    let dir = tmp("seed-html");
    for (name, style) in [
        ("clean.html", Page::Clean),
        ("sloppy.html", Page::Sloppy),
        ("excel.htm", Page::Excel),
    ] {
        let path = dir.join(name);
        fs::write(&path, html_page(&[&grids[0]], style, "utf-8")).unwrap();
        let got = records(&path);
        assert_eq!(got.len(), 1, "{name}");
        assert_eq!(content(&got[0]), want, "{name}");
        assert_eq!(got[0]["source"]["format"], "html");
        assert_eq!(got[0]["source"]["sheet"], "table 1");
        assert_eq!(got[0]["source"]["encoding"], "UTF-8");
    }
}

#[test]
fn a_gb2312_page_with_gb18030_characters_decodes_as_a_browser_does() {
    let mut grids = read_file(Path::new(SEED_ODS), &Limits::default()).unwrap();
    let mut want = content(&records(Path::new(SEED_ODS))[0]);
    // The department's name with 䶮 (U+4DAE): four bytes in GB18030, in no
    // GB2312 or GBK table.
    let dept = want["department"].as_str().unwrap().to_string();
    want["department"] = Value::String(format!("{dept}䶮"));
    for row in &mut grids[0].rows {
        for c in &mut row.cells {
            if c.text == dept {
                c.text.push('䶮');
            }
        }
    }
    let page = html_page(&[&grids[0]], Page::Excel, "gb2312");
    let (bytes, _, unmappable) = GB18030.encode(&page);
    assert!(!unmappable);
    let path = tmp("gb").join("form.htm");
    fs::write(&path, &bytes).unwrap();
    let got = &records(&path)[0];
    assert_eq!(content(got), want);
    assert_eq!(got["source"]["encoding"], "GBK");
}

#[test]
fn the_fixture_workbook_published_as_one_page_gives_its_records_table_by_table() {
    let grids = read_file(Path::new(PKU_XLS), &Limits::default()).unwrap();
    let want: Vec<Value> = records(Path::new(PKU_XLS)).iter().map(content).collect();
    let refs: Vec<&declx::Grid> = grids.iter().collect();
    let path = tmp("pku").join("pku.html");
    fs::write(&path, html_page(&refs, Page::Clean, "utf-8")).unwrap();
    let got = records(&path);
    assert_eq!(got.iter().map(content).collect::<Vec<_>>(), want);
    // Each form is on the table made of its sheet.
    let tables: Vec<String> = got
        .iter()
        .map(|r| r["source"]["sheet"].as_str().unwrap().to_string())
        .collect();
    let sheets: Vec<String> = records(Path::new(PKU_XLS))
        .iter()
        .map(|r| {
            let sheet = r["source"]["sheet"].as_str().unwrap();
            let n = grids
                .iter()
                .position(|g| g.source.sheet.as_deref() == Some(sheet))
                .unwrap();
            format!("table {}", n + 1)
        })
        .collect();
    assert_eq!(tables, sheets);
}

#[test]
fn the_seed_and_the_fixture_workbook_as_word_and_wps_documents_give_their_records() {
    let dir = tmp("docx");
    for flavor in [Word::Word, Word::Wps] {
        let seed = read_file(Path::new(SEED_ODS), &Limits::default()).unwrap();
        let path = dir.join(format!("seed-{flavor:?}.docx"));
        fs::write(&path, docx(&w_table(&seed[0], flavor), flavor)).unwrap();
        let got = records(&path);
        assert_eq!(
            content(&got[0]),
            content(&records(Path::new(SEED_ODS))[0]),
            "{flavor:?}"
        );
        assert_eq!(got[0]["source"]["format"], "docx");
        assert_eq!(got[0]["source"]["sheet"], "table 1");

        let pku = read_file(Path::new(PKU_XLS), &Limits::default()).unwrap();
        let body: String = pku.iter().map(|g| w_table(g, flavor) + &w_para("")).collect();
        let path = dir.join(format!("pku-{flavor:?}.docx"));
        fs::write(&path, docx(&body, flavor)).unwrap();
        let want: Vec<Value> = records(Path::new(PKU_XLS)).iter().map(content).collect();
        assert_eq!(
            records(&path).iter().map(content).collect::<Vec<_>>(),
            want,
            "{flavor:?}"
        );
    }
}

/// The seed's first row (its title) taken out of the grid, and the grid
/// with its rows moved up so that the title would sit above it.
fn seed_without_title() -> (String, declx::Grid) {
    let mut g = read_file(Path::new(SEED_ODS), &Limits::default()).unwrap().remove(0);
    let title = g.rows.remove(0);
    g.spans.retain(|s| s.first.row != title.index);
    (title.cells[0].text.clone(), g)
}

#[test]
fn a_title_above_the_table_belongs_to_its_form() {
    let (title, g) = seed_without_title();
    let want = &records(Path::new(SEED_ODS))[0];
    let page = format!(
        "<html><body><div class=banner>某某市财政局门户网站</div><h3>{title}</h3><p>单位：万元</p>{}<p>附件下载</p></body></html>",
        html_table(&g, Page::Clean)
    );
    let dir = tmp("title");
    let path = dir.join("t.html");
    fs::write(&path, page).unwrap();
    let got = &records(&path)[0];
    assert_eq!(got["title"], want["title"]);
    assert_eq!(got["form"], want["form"]);
    assert_eq!(got["department"], want["department"]);
    assert_eq!(
        got["indicators"].as_array().unwrap().len(),
        want["indicators"].as_array().unwrap().len()
    );

    let body = format!("{}{}{}", w_para("附件2"), w_para(&title), w_table(&g, Word::Word));
    let path = dir.join("t.docx");
    fs::write(&path, docx(&body, Word::Word)).unwrap();
    let got = &records(&path)[0];
    assert_eq!(got["title"], want["title"]);
    assert_eq!(got["department"], want["department"]);
    // The same budget; its cells one row lower, under the two paragraphs.
    assert_eq!(without_cells(&got["budget"]), without_cells(&want["budget"]));
}

/// A value without its cell addresses.
fn without_cells(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| *k != "cell" && *k != "cells")
                .map(|(k, v)| (k.clone(), without_cells(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_cells).collect()),
        other => other.clone(),
    }
}

#[test]
fn real_world_html_quirks_read_as_a_browser_shows_them() {
    // Missing </td> and </tr>, <th>, upper case, colspan="0", a nested table,
    // entities and &nbsp;, an x:num shown with two decimals.
    let page = "<HTML><BODY><H2>2023年项目支出绩效目标申报表</H2>\
        <TABLE BORDER=1><THEAD><TR><TH COLSPAN=\"0\">项目名称<TH COLSPAN=3>校园&amp;社区&nbsp;足球\
        <TBODY><TR><TD ROWSPAN=2>项目资金<BR>（万元）<TD>年度资金总额<TD x:num=\"12.5\">12.50<TD>\
        <TR><TD>其中：财政拨款<TD>12.50<TD><TABLE><TR><TD>内</TD><TD>表</TD></TR></TABLE>\
        </TABLE></BODY></HTML>";
    let dir = tmp("quirks");
    let path = dir.join("q.HTML");
    fs::write(&path, page).unwrap();
    let g = &read_file(&path, &Limits::default()).unwrap()[0];
    let cells: Vec<(String, &str)> = g
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(move |c| (r.at(c.col).to_string(), c.text.as_str())))
        .collect();
    let want = [
        ("A1", "2023年项目支出绩效目标申报表"),
        ("A2", "项目名称"),
        ("B2", "校园&社区 足球"),
        ("A3", "项目资金\n（万元）"),
        ("B3", "年度资金总额"),
        ("C3", "12.50"),
        ("B4", "其中：财政拨款"),
        ("C4", "12.50"),
        ("D4", "内 表"),
    ];
    assert_eq!(cells, want.map(|(a, t)| (a.to_string(), t)));
    let spans: Vec<String> = g.spans.iter().map(|s| format!("{}:{}", s.first, s.last)).collect();
    assert_eq!(spans, ["B2:D2", "A3:A4"]);
}

#[test]
fn broken_pages_and_documents_are_one_line_errors_naming_the_file() {
    let dir = tmp("broken");
    let seed = read_file(Path::new(SEED_ODS), &Limits::default()).unwrap();
    let good = docx(&w_table(&seed[0], Word::Word), Word::Word);
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("truncated.docx", good[..good.len() / 2].to_vec(), "truncated zip"),
        (
            "renamed.docx",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old word".to_vec(),
            "legacy Word .doc",
        ),
        ("text.docx", b"just text".to_vec(), "not a zip"),
        (
            "notable.html",
            b"<html><body><p>no table here</p></body></html>".to_vec(),
            "no table",
        ),
        (
            "notable.docx",
            docx(&w_para("only a paragraph"), Word::Word),
            "no table",
        ),
    ];
    for (name, bytes, want) in cases {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        let e = declx::extract_file(&path, &Limits::default()).unwrap_err().to_string();
        assert!(e.starts_with(&path.display().to_string()), "{e}");
        assert!(e.contains(want), "{name}: {e}");
        assert_eq!(e.lines().count(), 1);
    }
}

#[test]
fn page_chrome_gives_no_record_and_no_warning() {
    let seed = read_file(Path::new(SEED_ODS), &Limits::default()).unwrap();
    let page = format!(
        "<html><body><table><tr><td><a href=/>首页</a></td><td><a href=/a>机构</a></td></tr></table>\
         {}<table><tr><td>版权所有 © 某市人民政府</td></tr></table></body></html>",
        html_table(&seed[0], Page::Clean)
    );
    let path = tmp("chrome").join("page.html");
    fs::write(&path, page).unwrap();
    let out = declx::extract_file(&path, &Limits::default()).unwrap();
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.records[0].source.sheet.as_deref(), Some("table 2"));
    assert!(out.records[0].warnings.is_empty());
    assert_eq!(
        content(&serde_json::to_value(&out.records[0]).unwrap()),
        content(&records(Path::new(SEED_ODS))[0])
    );
}
