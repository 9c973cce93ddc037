//! The committed workbook fixtures, asserted field by field.

use crate::common::{budget_headings, column_keys};
use declx::Limits;
use serde_json::{json, Value};
use std::path::Path;

fn num(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn records(p: &str) -> (Vec<Value>, declx::FileOutcome) {
    let out = declx::extract_file(Path::new(p), &Limits::default()).unwrap();
    let vals = out.records.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    (vals, out)
}

#[test]
fn merged_ods_gives_the_seed_record() {
    let (mut recs, _) = records("fixtures/seed_merged.ods");
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["source"]["format"], "ods");
    assert_eq!(recs[0]["source"]["sheet"], "部门整体绩效目标");
    assert_eq!(recs[0]["warnings"], json!([]));
    let mut golden: Value =
        serde_json::from_str(&std::fs::read_to_string("fixtures/000_be24f91d7f1b64fe.json").unwrap()).unwrap();
    for v in [&mut recs[0], &mut golden] {
        let o = v.as_object_mut().unwrap();
        o.remove("source");
        o.remove("warnings");
    }
    assert_eq!(recs[0], golden);
}

#[test]
fn real_project_workbook() {
    let (recs, out) = records("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls");
    let sheets: Vec<&str> = recs.iter().map(|r| r["source"]["sheet"].as_str().unwrap()).collect();
    assert_eq!(
        sheets,
        [
            "项目支出绩效目标申报表",
            "项目支出绩效目标执行监控",
            "项目支出绩效自评表"
        ]
    );
    let skipped: Vec<&str> = out.skipped_sheets.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        skipped,
        [
            "项目基本信息",
            "项目支出立项依据",
            "项目支出实施方案",
            "项目支出计划",
            "项目支出明细",
            "部门评审报告",
            "财政评审报告",
            "监管局审核意见报告"
        ]
    );

    let p = &recs[0];
    assert_eq!(p["form"], "project");
    assert_eq!(p["title"], "2019年210青少年校园足球扶持资金绩效目标表");
    assert_eq!(p["info"]["subtitle"], "( 2020年度)");
    assert_eq!(p["year"], 2020);
    assert_eq!(p["department"], "[105]教育部");
    assert_eq!(p["unit"], "北京大学");
    assert_eq!(
        p["project"],
        json!({"name": "2019年210青少年校园足球扶持资金", "项目周期": "1年"})
    );
    assert_eq!(p["budget"]["unit"], "万元");
    let headings = budget_headings(p);
    assert_eq!(headings, ["中期资金总额", "年度资金总额"]);
    let labels: Vec<&str> = p["budget"]["blocks"][1]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["年度资金总额", "财政拨款", "上年结转资金", "其他资金"]);
    assert_eq!(p["budget"]["blocks"][1]["items"][0]["amount"], num("0.00"));
    assert_eq!(p["overall_goal"], json!({"annual": null, "period": null}));
    assert_eq!(
        p["indicator_columns"],
        json!([{"key": "period", "header": "指标值"}, {"key": "annual", "header": "指标值"}])
    );
    assert_eq!(p["indicators"], json!([]));
    assert_eq!(p["unmapped"], json!([]));

    let m = &recs[1];
    assert_eq!(m["form"], "monitoring");
    assert_eq!(m["year"], 2019);
    assert_eq!(m["overall_goal"], "完成校园足球运动技术动画20集的设计制作与播出");
    let keys = column_keys(m);
    assert_eq!(
        keys,
        [
            "annual",
            "executed_to_date",
            "expected_full_year",
            "经费保障",
            "制度保障",
            "人员保障",
            "硬件条件保障",
            "其他",
            "原因说明",
            "完成目标可能性",
            "备注"
        ]
    );
    let headings = budget_headings(m);
    assert_eq!(headings, ["年初预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数"]);
    assert_eq!(
        m["budget"]["blocks"][0]["items"][0],
        json!({"label": "年度资金总额", "amount": num("190.00"), "cell": "H8"})
    );
    let l1: Vec<&str> = m["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(l1, ["产出指标", "效益指标", "满意度指标"]);
    let leaves: usize = m["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["children"].as_array().unwrap())
        .map(|n| n["children"].as_array().unwrap().len())
        .sum();
    assert_eq!(leaves, 14);
    let first = &m["indicators"][0]["children"][0]["children"][0];
    assert_eq!(first["name"], "成本节约率");
    assert_eq!(first["cell"], "D22");
    assert_eq!(first["values"]["annual"]["op"], ">=");
    assert_eq!(
        first["values"]["完成目标可能性"],
        json!({"raw": "确定能", "kind": "qualitative"})
    );
    assert_eq!(first["values"]["原因说明"]["raw"], "制作5集样片，下半年会集中出版");
    assert_eq!(m["unmapped"], json!([]));

    let s = &recs[2];
    assert_eq!(s["form"], "self_evaluation");
    assert_eq!(s["department"], "教育部");
    assert_eq!(s["overall_goal"], "完成校园足球运动技术动画20集的设计制作与播出");
    let keys = column_keys(s);
    assert_eq!(keys, ["annual", "actual", "weight", "score", "deviation_note"]);
    assert_eq!(s["info"]["总分"], "0");
}
