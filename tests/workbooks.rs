//! Workbooks built in the test with rust_xlsxwriter: the seed laid out as the
//! real merged form must give the seed's golden record (but `source`, and the
//! text export's re-alignment warnings).

use crate::common::seed_form::{as_amount, covered, merge_at, seed_cells, MERGES};
use declx::Limits;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Merged,
    /// "Unmerged and filled": every covered cell repeats the merged text.
    Filled,
}

fn write_form(ws: &mut Worksheet, style: Style, row_offset: u32, department: &str, header_on_page_two: bool) {
    let money = Format::new().set_num_format("#,##0.00");
    let wrap = Format::new().set_text_wrap();
    let cells = seed_cells();
    for c in &cells {
        let text = if c.text == "广州市天河区司法局" {
            department
        } else {
            c.text.as_str()
        };
        let row = c.row - 1 + row_offset;
        if let Some(m) = merge_at(c.row, c.col) {
            if style == Style::Merged {
                ws.merge_range(m.0 - 1 + row_offset, m.1, m.2 - 1 + row_offset, m.3, text, &wrap)
                    .unwrap();
                continue;
            }
            for r in m.0..=m.2 {
                for col in m.1..=m.3 {
                    ws.write_string(r - 1 + row_offset, col, text).unwrap();
                }
            }
            continue;
        }
        match as_amount(text) {
            Some(v) => ws.write_number_with_format(row, c.col, v, &money).map(|_| ()).unwrap(),
            None => ws
                .write_string_with_format(row, c.col, text, &wrap)
                .map(|_| ())
                .unwrap(),
        }
    }
    // Merges with no text of their own (其他需完成的任务's blank value).
    if style == Style::Merged {
        for m in MERGES {
            if !cells.iter().any(|c| c.row == m.0 && c.col == m.1) {
                ws.merge_range(m.0 - 1 + row_offset, m.1, m.2 - 1 + row_offset, m.3, "", &wrap)
                    .unwrap();
            }
        }
    }
    if header_on_page_two {
        for (col, h) in [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "实施周期指标值",
            "年度指标值",
        ]
        .iter()
        .enumerate()
        {
            if covered(32, col as u16).is_none() {
                ws.write_string(31 + row_offset, col as u16, *h).unwrap();
            }
        }
    }
}

fn save(name: &str, wb: &mut Workbook) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("declx-wb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    wb.save(&p).unwrap();
    p
}

fn golden_but_source() -> Value {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string("fixtures/000_be24f91d7f1b64fe.json").unwrap()).unwrap();
    strip(&mut v);
    v
}

/// Drops what differs between a text export and its workbook by design.
fn strip(v: &mut Value) {
    let o = v.as_object_mut().unwrap();
    o.remove("source");
    o.remove("warnings");
}

fn records(p: &Path) -> (Vec<Value>, declx::FileOutcome) {
    let out = declx::extract_file(p, &Limits::default()).unwrap();
    let vals = out.records.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    (vals, out)
}

#[test]
fn merged_xlsx_gives_the_seed_record() {
    let mut wb = Workbook::new();
    write_form(
        wb.add_worksheet().set_name("部门整体").unwrap(),
        Style::Merged,
        0,
        "广州市天河区司法局",
        false,
    );
    let p = save("merged.xlsx", &mut wb);
    let (mut recs, _) = records(&p);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["source"]["sheet"], "部门整体");
    assert_eq!(recs[0]["source"]["format"], "xlsx");
    assert_eq!(recs[0]["warnings"], Value::Array(vec![]));
    strip(&mut recs[0]);
    assert_eq!(recs[0], golden_but_source());
}

#[test]
fn unmerged_and_filled_gives_the_same_record() {
    let mut wb = Workbook::new();
    write_form(wb.add_worksheet(), Style::Filled, 0, "广州市天河区司法局", false);
    let p = save("filled.xlsx", &mut wb);
    let (mut recs, _) = records(&p);
    assert_eq!(recs.len(), 1);
    strip(&mut recs[0]);
    assert_eq!(recs[0], golden_but_source());
}

#[test]
fn page_break_repeating_the_column_header_row() {
    let mut wb = Workbook::new();
    write_form(wb.add_worksheet(), Style::Merged, 0, "广州市天河区司法局", true);
    let p = save("pagebreak.xlsx", &mut wb);
    let (mut recs, _) = records(&p);
    strip(&mut recs[0]);
    assert_eq!(recs[0], golden_but_source());
}

#[test]
fn two_departments_on_two_sheets_and_a_notes_sheet() {
    let mut wb = Workbook::new();
    write_form(
        wb.add_worksheet().set_name("甲").unwrap(),
        Style::Merged,
        0,
        "甲局",
        false,
    );
    let notes = wb.add_worksheet().set_name("说明").unwrap();
    notes.write_string(0, 0, "填报说明：金额单位为万元。").unwrap();
    write_form(
        wb.add_worksheet().set_name("乙").unwrap(),
        Style::Merged,
        0,
        "乙局",
        false,
    );
    let p = save("two-sheets.xlsx", &mut wb);
    let (recs, out) = records(&p);
    let depts: Vec<&str> = recs.iter().map(|r| r["department"].as_str().unwrap()).collect();
    assert_eq!(depts, ["甲局", "乙局"]);
    assert_eq!(recs[1]["source"]["sheet"], "乙");
    assert_eq!(recs[1]["indicators"][0]["children"][0]["children"][0]["cell"], "D19");
    assert_eq!(out.skipped_sheets.len(), 1);
    assert_eq!(out.skipped_sheets[0].0, "说明");
}

#[test]
fn two_forms_stacked_in_one_sheet() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_form(ws, Style::Merged, 0, "甲局", false);
    write_form(ws, Style::Merged, 60, "乙局", false);
    let p = save("stacked.xlsx", &mut wb);
    let (recs, _) = records(&p);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["department"], "甲局");
    assert_eq!(recs[1]["department"], "乙局");
    assert_eq!(recs[0]["source"]["range"], "A3:F51");
    assert_eq!(recs[1]["source"]["range"], "A63:F111");
    assert_eq!(recs[1]["indicators"][0]["children"][0]["children"][0]["cell"], "D79");
    assert_eq!(recs[1]["unmapped"], Value::Array(vec![]));
    assert_eq!(recs[1]["budget"]["blocks"][0]["items"][0]["cell"], "C67");
    assert_eq!(recs[0]["key_tasks"].as_array().unwrap().len(), 3);
    assert_eq!(recs[1]["key_tasks"][2]["funds"], recs[0]["key_tasks"][2]["funds"]);
}

#[test]
fn far_away_stray_cell_costs_one_cell() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_form(ws, Style::Merged, 0, "广州市天河区司法局", false);
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let p = save("stray.xlsx", &mut wb);
    let grids = declx::read_file(&p, &Limits::default()).unwrap();
    let seed_cells = seed_cells().len();
    assert_eq!(grids[0].cell_count(), seed_cells + 1);
    let (recs, _) = records(&p);
    assert_eq!(recs[0]["department"], "广州市天河区司法局");
    let unmapped = recs[0]["unmapped"].as_array().unwrap();
    assert_eq!(unmapped.len(), 1);
    assert_eq!(unmapped[0]["cell"], "XFD1048576");
}

#[test]
fn percentages_and_fixed_decimals_show_as_excel_shows_them() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let pct = Format::new().set_num_format("0%");
    let fixed = Format::new().set_num_format("0.00");
    ws.write_string(0, 0, "部门整体支出绩效目标申报表").unwrap();
    ws.write_string(1, 0, "部门名称").unwrap();
    ws.write_string(1, 1, "某局").unwrap();
    for (c, h) in ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 1, "产出指标").unwrap();
    ws.write_string(3, 2, "质量指标").unwrap();
    ws.write_string(3, 3, "合格率").unwrap();
    ws.write_number_with_format(3, 4, 0.9, &pct).unwrap();
    ws.write_string(4, 3, "经费").unwrap();
    ws.write_number_with_format(4, 4, 12.0, &fixed).unwrap();
    let p = save("formats.xlsx", &mut wb);
    let (recs, _) = records(&p);
    let leaves = &recs[0]["indicators"][0]["children"][0]["children"];
    assert_eq!(leaves[0]["values"]["annual"]["raw"], "90%");
    assert_eq!(leaves[0]["values"]["annual"]["value"], serde_json::json!(90));
    assert_eq!(leaves[1]["values"]["annual"]["raw"], "12.00");
}

#[test]
fn export_rows_pasted_into_a_workbook_are_realigned_too() {
    // The text export's rows, shifted cells and all, saved as a workbook.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in crate::common::seed_form::seed_text().split('\n').enumerate() {
        for (c, t) in line.split('\t').enumerate() {
            if !t.trim().is_empty() {
                ws.write_string(r as u32, c as u16, t.trim()).unwrap();
            }
        }
    }
    let p = save("pasted.xlsx", &mut wb);
    let (mut recs, _) = records(&p);
    let warned: Vec<&str> = recs[0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["cell"].as_str().unwrap())
        .collect();
    assert_eq!(warned, ["A16", "A30", "A31", "C47", "B48", "B49"]);
    strip(&mut recs[0]);
    assert_eq!(recs[0], golden_but_source());
}
