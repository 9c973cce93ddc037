//! Re-alignment only where cells were lost: text exports get their rows
//! moved back, by the row's shape before its words; a sheet or page with
//! merged regions is its author's exact grid and keeps every cell in place.

use crate::common::{form, json, records};
use declx::{extract_bytes, Limits};
use rust_xlsxwriter::Workbook;
use serde_json::Value;
use std::path::Path;

/// The rows of a small form: a title over six columns, the indicator
/// header, one aligned row, and a row written one cell to the left.
const ROWS: [&[&str]; 5] = [
    &["部门整体支出绩效目标申报表"],
    &["部门名称", "某局"],
    &[
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "实施期指标值",
        "年度指标值",
    ],
    &["", "产出指标", "数量指标", "甲", "1次", "1次"],
    &["满意度指标", "服务对象满意度指标", "乙", "≥90%", "≥90%"],
];

fn realigned_cells(record: &Value) -> Vec<String> {
    record["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "row_realigned")
        .map(|w| w["cell"].as_str().unwrap().to_string())
        .collect()
}

fn workbook(merged_title: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in ROWS.iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            if !t.is_empty() {
                ws.write_string(r as u32, c as u16, *t).unwrap();
            }
        }
    }
    if merged_title {
        ws.merge_range(0, 0, 0, 5, ROWS[0][0], &rust_xlsxwriter::Format::new())
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn first_record(name: &str, bytes: &[u8]) -> Value {
    let out = extract_bytes(Path::new(name), bytes, &Limits::default()).unwrap();
    serde_json::to_value(&out.records[0]).unwrap()
}

#[test]
fn a_sheet_with_merged_regions_keeps_every_row_where_its_author_put_it() {
    let exact = first_record("exact.xlsx", &workbook(true));
    assert_eq!(realigned_cells(&exact), Vec::<String>::new());
    // The same rows pasted without any merge may be an export: read strictly,
    // the row that fills every value column once moved is moved.
    let pasted = first_record("pasted.xlsx", &workbook(false));
    assert_eq!(realigned_cells(&pasted), ["A5"]);
}

#[test]
fn a_page_with_spans_keeps_every_row_where_its_author_put_it() {
    let mut html = String::from("<html><body><table>");
    for (r, row) in ROWS.iter().enumerate() {
        html.push_str("<tr>");
        for t in row.iter() {
            if r == 0 {
                html.push_str(&format!("<td colspan=\"6\">{t}</td>"));
            } else {
                html.push_str(&format!("<td>{t}</td>"));
            }
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></body></html>");
    let record = first_record("page.html", html.as_bytes());
    assert_eq!(realigned_cells(&record), Vec::<String>::new());
}

/// The 三级 names and annual raw values under 满意度指标 / `level2`.
fn satisfaction_leaves(record: &Value, level2: &str) -> Vec<(String, String)> {
    let l1 = record["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "满意度指标")
        .expect("a 满意度指标 node");
    let l2 = l1["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == level2)
        .unwrap_or_else(|| panic!("no 二级 {level2} in {l1}"));
    l2["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let raw = n["values"]["annual"]["raw"].as_str().unwrap_or_default();
            (n["name"].as_str().unwrap().to_string(), raw.to_string())
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn a_shifted_leaf_named_like_a_category_is_a_leaf_by_its_shape_with_one_value_column() {
    let r = json(&records(&form("satisfaction_leaves_that_lost_leading_cells_one_value_column"))[0]);
    assert_eq!(
        satisfaction_leaves(&r, "服务对象满意度指标"),
        pairs(&[
            ("签约居民满意度", "≥90%"),
            ("服务对象满意度", "≥90%"),
            ("社会公众满意度", "≥85%"),
            ("满意度", "≥80%"),
            ("服务对象满意度", "≥88%"),
        ])
    );
    // A row with one cell more than a leaf is a 二级 with its leaf.
    assert_eq!(
        satisfaction_leaves(&r, "社会公众满意度指标"),
        pairs(&[("患者满意度", "≥90%")])
    );
}

#[test]
fn a_shifted_leaf_named_like_a_category_is_a_leaf_by_its_shape_with_two_value_columns() {
    let r = json(&records(&form("satisfaction_leaves_that_lost_leading_cells_two_value_columns"))[0]);
    let leaves = satisfaction_leaves(&r, "服务对象满意度指标");
    let names: Vec<&str> = leaves.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "救助对象满意度",
            "服务对象满意度",
            "社会公众满意度",
            "满意度",
            "服务对象满意度",
            "低保对象满意度"
        ]
    );
    assert_eq!(leaves[2].1, "≥88%");
    assert_eq!(
        satisfaction_leaves(&r, "社会公众满意度指标"),
        pairs(&[("社会公众满意度", "≥85%")])
    );
}

#[test]
fn a_shifted_leaf_named_like_a_category_is_a_leaf_by_its_shape_with_several_value_columns() {
    let r = json(
        &records(&form(
            "satisfaction_leaves_that_lost_leading_cells_several_value_columns",
        ))[0],
    );
    let leaves = satisfaction_leaves(&r, "服务对象满意度指标");
    let names: Vec<&str> = leaves.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "农户满意度",
            "服务对象满意度",
            "社会公众满意度",
            "服务对象满意度",
            "合作社满意度"
        ]
    );
    let score = &r["indicators"][2]["children"][0]["children"][2]["values"]["score"]["raw"];
    assert_eq!(score, "9");
}

#[test]
fn a_sign_off_row_under_the_table_is_not_moved_into_it() {
    let text = [
        "项目支出绩效目标申报表",
        "项目名称\t甲项目\t\t\t",
        "绩效指标\t一级指标\t二级指标\t三级指标\t指标值",
        "\t满意度指标\t服务对象满意度指标\t办事群众满意度\t≥95%",
        "主管部门审核意见\t单位公章：    年  月  日\t\t\t",
    ]
    .join("\n");
    let r = json(&records(&text)[0]);
    assert_eq!(realigned_cells(&r), Vec::<String>::new());
    assert_eq!(
        satisfaction_leaves(&r, "服务对象满意度指标"),
        pairs(&[("办事群众满意度", "≥95%")])
    );
}

#[test]
fn a_shifted_name_of_either_level_is_the_second_level_when_one_leaf_follows_it() {
    let r = json(&records(&form("categories_of_either_level_that_lost_leading_cells"))[0]);
    let names = |node: &Value| -> Vec<String> {
        node["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_string())
            .collect()
    };
    let top: Vec<&str> = r["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["产出指标", "效益指标", "成本指标"]);
    assert_eq!(names(&r["indicators"][0]), ["数量指标", "成本指标"]);
    assert_eq!(
        names(&r["indicators"][1]),
        ["社会效益指标", "社会公众或服务对象满意度指标"]
    );
    assert_eq!(names(&r["indicators"][2]["children"][0]), ["材料费", "人工费"]);
}

#[test]
fn an_optional_last_column_does_not_change_a_shifted_rows_level() {
    // A self-evaluation whose 偏差原因 column is filled in some rows only.
    let text = [
        "部门整体支出绩效自评表",
        "部门名称\t某水利局",
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "\t产出指标\t数量指标\t维修工程数量\t≥32处\t30处\t10\t9\t汛期顺延",
        "\t\t质量指标\t验收合格率\t100%\t100%\t10\t10\t",
        // Lost two cells: 成本指标 is the 二级 (its leaf's value is no name).
        "成本指标\t单处维修成本\t≤4.2万元\t4.29万元\t10\t9\t材料涨价\t\t",
        // Lost one cell: a 一级 with its 二级 and leaf, the last column blank.
        "满意度指标\t服务对象满意度指标\t受益群众满意度\t≥90%\t92%\t10\t10\t\t",
        "服务对象满意度\t≥90%\t95%\t10\t10\t\t\t\t",
    ]
    .join("\n");
    let r = json(&records(&text)[0]);
    let output = &r["indicators"][0];
    assert_eq!(output["children"][2]["name"], "成本指标");
    assert_eq!(output["children"][2]["children"][0]["name"], "单处维修成本");
    assert_eq!(r["indicators"][1]["name"], "满意度指标");
    assert_eq!(
        satisfaction_leaves(&r, "服务对象满意度指标"),
        pairs(&[("受益群众满意度", "≥90%"), ("服务对象满意度", "≥90%")])
    );
}

/// Every indicator node of a record as `path = values`, in order.
fn tree_lines(record: &Value) -> Vec<String> {
    fn walk(nodes: &Value, path: &str, out: &mut Vec<String>) {
        for n in nodes.as_array().into_iter().flatten() {
            let p = format!("{path}/{}", n["name"].as_str().unwrap_or_default());
            let raws: Vec<String> = n["values"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k}={}", v["raw"].as_str().unwrap_or_default()))
                .collect();
            out.push(format!("{p} = {}", raws.join(" ")));
            walk(&n["children"], &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&record["indicators"], "", &mut out);
    out
}

/// The text as an exporter that drops a row's leading empty cells writes
/// it (they go to the row's end): rows `pick` chooses lose `lose(k)` of
/// their `k` leading empty cells. Header rows and quoted cells stay.
fn export_losing_cells(text: &str, pick: impl Fn(usize) -> bool, lose: impl Fn(usize) -> usize) -> String {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split('\t').collect();
        let k = cells.iter().take_while(|c| c.trim().is_empty()).count();
        let eligible = k > 0 && k < cells.len() && !line.contains("一级") && !line.contains('"');
        if eligible && pick(i) {
            let d = lose(k);
            let mut moved: Vec<&str> = cells[d..].to_vec();
            moved.extend(std::iter::repeat_n("", d));
            out.push(moved.join("\t"));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

#[test]
fn every_corpus_text_form_reads_the_same_when_its_rows_lost_leading_cells() {
    let mut files: Vec<_> = std::fs::read_dir("tests/forms")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(first) = records(&text).first().map(json) else {
            continue;
        };
        let expected = tree_lines(&first);
        let variants = [
            ("every row loses all", export_losing_cells(&text, |_| true, |k| k)),
            ("every row loses one", export_losing_cells(&text, |_| true, |_| 1)),
            (
                "every other row loses all",
                export_losing_cells(&text, |i| i % 2 == 0, |k| k),
            ),
            (
                "every third row loses one",
                export_losing_cells(&text, |i| i % 3 == 1, |_| 1),
            ),
        ];
        for (how, shifted) in variants {
            let got = tree_lines(&json(&records(&shifted)[0]));
            assert_eq!(got, expected, "{} when {how}:\n{shifted}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 80, "only {checked} variants checked");
}
