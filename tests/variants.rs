//! Template variants across years and form kinds, asserted field by field.

use crate::common::{budget_headings, column_keys, form, json, records};
use serde_json::{json, Value};

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn project_form_with_split_goal_and_two_amount_columns() {
    let v = json(&records(&form("project_split_goal_two_amount_columns"))[0]);
    assert_eq!(v["form"], "project");
    assert_eq!(v["title"], "2024年度项目支出绩效目标申报表");
    assert_eq!(v["info"]["subtitle"], "（2024年度）");
    assert_eq!(v["year"], 2024);
    assert_eq!(v["department"], "广州市天河区司法局");
    assert_eq!(v["unit"], "天河区社区矫正中心");
    assert_eq!(
        v["project"],
        json!({"name": "社区矫正信息化建设项目", "项目属性": "经常性项目", "项目期限": "2024年1月-2024年12月"})
    );
    assert_eq!(v["budget"]["unit"], "万元");
    let blocks = v["budget"]["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0]["heading"], "实施期资金总额");
    assert_eq!(blocks[1]["heading"], "年度资金总额");
    assert_eq!(blocks[1]["items"][1]["label"], "财政拨款");
    assert_eq!(blocks[1]["items"][1]["amount"].to_string(), "120.00");
    assert_eq!(
        v["overall_goal"],
        json!({"annual": "完成一期建设。", "period": "完成系统建设并投入使用。"})
    );
    assert_eq!(v["indicator_columns"], json!([{"key": "annual", "header": "指标值"}]));
    assert_eq!(
        names(&v["indicators"]),
        ["产出指标", "成本指标", "效益指标", "满意度指标"]
    );
    let cost = &v["indicators"][1]["children"][0]["children"][0];
    assert_eq!(cost["values"]["annual"]["op"], "<=");
    assert_eq!(cost["values"]["annual"]["unit"], "万元");
    assert_eq!(v["info"]["填报人"], "张三");
    assert_eq!(v["info"]["联系电话"], "020-12345678");
    assert_eq!(v["unmapped"], json!([]));
    let balance = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "budget_balance")
        .unwrap();
    assert_eq!(balance["ok"], true);
}

#[test]
fn integrated_system_columns_give_op_and_unit() {
    let v = json(&records(&form("integrated_system_nature_and_unit_columns"))[0]);
    assert_eq!(v["form"], "department");
    assert_eq!(v["year"], 2023);
    assert_eq!(v["info"]["财政供养人员数"], "120");
    assert_eq!(v["info"]["下属二级单位数"], "5");
    assert_eq!(v["budget"]["unit"], "万元");
    let keys = column_keys(&v);
    assert_eq!(keys, ["nature", "annual", "measure_unit"]);
    assert_eq!(names(&v["indicators"]), ["产出指标", "效益指标", "满意度指标"]);
    assert_eq!(v["indicators"][0]["weight"], 50);
    let first = &v["indicators"][0]["children"][0]["children"][0]["values"];
    assert_eq!(first["annual"]["raw"], "2000");
    assert_eq!(first["annual"]["op"], ">=");
    assert_eq!(first["annual"]["unit"], "人次");
    assert_eq!(first["nature"]["raw"], "≥");
    assert_eq!(first["measure_unit"]["raw"], "人次");
    let qualitative = &v["indicators"][1]["children"][0]["children"][0]["values"]["annual"];
    assert_eq!(qualitative["kind"], "qualitative");
    let conflict = &v["indicators"][2]["children"][0]["children"][0]["values"]["annual"];
    assert_eq!(conflict["op"], "<=");
    assert_eq!(v["warnings"][0]["code"], "nature_conflict");
    assert_eq!(
        v["indicators"][2]["children"][0]["name"],
        "社会公众或服务对象满意度指标"
    );
}

#[test]
fn self_evaluation_form() {
    let v = json(&records(&form("self_evaluation_department"))[0]);
    assert_eq!(v["form"], "self_evaluation");
    assert_eq!(v["department"], "某区卫生健康局");
    let headings = budget_headings(&v);
    assert_eq!(
        headings,
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    );
    assert_eq!(v["budget"]["blocks"][4]["items"][0]["amount"].to_string(), "95.2");
    assert_eq!(v["budget"]["blocks"][2]["items"][0]["amount"].to_string(), "1142.40");
    assert_eq!(v["overall_goal"], "完成全年卫生健康工作任务。");
    assert_eq!(v["info"]["实际完成情况"], "已完成。");
    assert_eq!(v["info"]["总分"], "97.52");
    assert_eq!(v["info"]["总分/分值"], "100");
    assert_eq!(v["info"]["自评等级"], "优");
    let keys = column_keys(&v);
    assert_eq!(keys, ["annual", "actual", "weight", "score", "deviation_note"]);
    let leaf = &v["indicators"][1]["children"][0]["children"][0]["values"];
    assert_eq!(leaf["deviation_note"]["raw"], "部分指标未达预期");
    assert_eq!(leaf["score"]["value"], 28);
    assert_eq!(v["unmapped"], json!([]));
    assert_eq!(v["warnings"], json!([]));
}

#[test]
fn labels_with_spaces_breaks_and_one_character_per_line() {
    let text = form("spaced_and_broken_labels");
    let v = json(&records(&text)[0]);
    assert_eq!(v["department"], "某局");
    assert_eq!(v["overall_goal"], "做好工作。");
    assert_eq!(
        v["indicator_columns"],
        json!([{"key": "annual", "header": "年度指标值"}, {"key": "period", "header": "中长期指标值"}])
    );
    let leaf = &v["indicators"][0]["children"][0]["children"][0];
    assert_eq!(leaf["values"]["period"]["value"], 20);
    assert_eq!(leaf["values"]["annual"]["value"], 4);
}

#[test]
fn old_national_template_keeps_the_tree_as_written() {
    let text = form("old_national_template");
    let v = json(&records(&text)[0]);
    assert_eq!(names(&v["indicators"]), ["产出指标", "效益指标"]);
    assert_eq!(names(&v["indicators"][0]["children"]), ["数量指标", "成本指标"]);
    assert_eq!(
        names(&v["indicators"][1]["children"]),
        ["社会效益指标", "社会公众或服务对象满意度指标"]
    );
    let req = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "required_categories")
        .unwrap();
    assert_eq!(req["ok"], false);
    assert!(req["detail"].as_str().unwrap().contains("满意度指标"));
}

#[test]
fn long_term_and_annual_blocks_one_after_the_other() {
    let text = form("period_then_annual_blocks");
    let v = json(&records(&text)[0]);
    assert_eq!(
        v["indicator_columns"],
        json!([{"key": "period", "header": "指标值"}, {"key": "annual", "header": "指标值"}])
    );
    assert_eq!(names(&v["indicators"]), ["产出指标", "效益指标", "满意度指标"]);
    let trained = &v["indicators"][0]["children"][0]["children"];
    assert_eq!(trained.as_array().unwrap().len(), 1);
    assert_eq!(trained[0]["values"]["period"]["value"], 1000);
    assert_eq!(trained[0]["values"]["annual"]["value"], 200);
    assert!(v["indicators"][1]["children"][0]["children"][0]["values"]
        .get("annual")
        .is_none());
    assert_eq!(
        v["indicators"][2]["children"][0]["children"][0]["values"]["annual"]["op"],
        ">="
    );
    assert_eq!(v["unmapped"], json!([]));
}

#[test]
fn other_template_columns_and_labels() {
    let text = form("self_evaluation_nature_weight_columns");
    let v = json(&records(&text)[0]);
    assert_eq!(v["form"], "self_evaluation");
    assert_eq!(v["department"], "某局");
    let keys = column_keys(&v);
    assert_eq!(
        keys,
        [
            "nature",
            "annual",
            "measure_unit",
            "actual",
            "weight",
            "score",
            "deviation_note"
        ]
    );
    let leaf = &v["indicators"][0]["children"][0]["children"][0]["values"];
    assert_eq!(leaf["annual"]["op"], ">=");
    assert_eq!(leaf["annual"]["unit"], "场");
    assert_eq!(leaf["actual"]["value"], 5);

    let text = form("project_value_type_and_standard_columns");
    let v = json(&records(&text)[0]);
    assert_eq!(v["department"], "某委");
    let keys = column_keys(&v);
    assert_eq!(
        keys,
        ["annual", "value_type", "measure_unit", "explanation", "standard"]
    );
    let leaf = &v["indicators"][0]["children"][0]["children"][0]["values"];
    assert_eq!(leaf["annual"]["unit"], "%");
    assert_eq!(leaf["standard"]["raw"], "每低1%扣1分");
}

#[test]
fn amounts_with_units_and_a_single_column_budget() {
    let text = form("amounts_with_units_single_column_budget");
    let v = json(&records(&text)[0]);
    let items = &v["budget"]["blocks"][0]["items"];
    assert_eq!(v["budget"]["blocks"][0]["heading"], "项目资金");
    assert_eq!(items[0]["amount"], 250);
    assert_eq!(items[1]["amount"], 2000000);
    let warned: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(warned, ["amount_unit_mismatch"]);
    assert_eq!(v["warnings"][0]["cell"], "C5");
}

#[test]
fn one_archive_mixing_all_kinds_in_one_run() {
    let dir = std::env::temp_dir().join(format!("declx-mixed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("2023")).unwrap();
    std::fs::write(dir.join("project.txt"), form("project_split_goal_two_amount_columns")).unwrap();
    std::fs::write(
        dir.join("2023/integrated.csv"),
        form("integrated_system_nature_and_unit_columns").replace('\t', ","),
    )
    .unwrap();
    let self_evaluation = form("self_evaluation_department");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&self_evaluation);
    std::fs::write(dir.join("2023/self.txt"), gbk).unwrap();
    std::fs::copy("seeds/000_be24f91d7f1b64fe.txt", dir.join("seed.txt")).unwrap();
    std::fs::copy("fixtures/seed_merged.ods", dir.join("seed.ods")).unwrap();
    std::fs::copy(
        "fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls",
        dir.join("pku.xls"),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("declx")
        .unwrap()
        .args(["extract", dir.to_str().unwrap(), "--jsonl", "-", "-q"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let recs: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let got: Vec<(String, String)> = recs
        .iter()
        .map(|r| {
            let file = r["source"]["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (file, r["form"].as_str().unwrap().to_string())
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("integrated.csv", "department"),
        ("self.txt", "self_evaluation"),
        ("pku.xls", "project"),
        ("pku.xls", "monitoring"),
        ("pku.xls", "self_evaluation"),
        ("project.txt", "project"),
        ("seed.ods", "department"),
        ("seed.txt", "department"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    assert_eq!(recs[1]["source"]["encoding"], "GB18030");
    assert_eq!(recs[1]["info"]["总分"], "97.52");
    assert_eq!(recs[0]["indicators"][0]["weight"], 50);
}

#[test]
fn template_of_2019_with_income_and_expense_pairs() {
    let text = form("department_2019_income_expense_pairs");
    let v = json(&records(&text)[0]);
    assert_eq!(v["form"], "department");
    assert_eq!(v["year"], 2019);
    assert_eq!(v["department"], "某区民政局");
    assert_eq!(v["key_tasks"][0]["name"], "社会救助");
    assert_eq!(v["key_tasks"][0]["content"], "做好低保工作");
    assert_eq!(v["budget"]["unit"], "万元");
    let headings = budget_headings(&v);
    assert_eq!(headings, ["按收入性质分", "按支出性质分"]);
    assert_eq!(v["budget"]["blocks"][1]["items"][1]["label"], "项目支出");
    assert_eq!(v["overall_goal"], "保障困难群众基本生活。");
    assert_eq!(v["unmapped"], json!([]));
}

#[test]
fn header_cells_spaced_out() {
    let text = form("spaced_out_header_cells");
    let v = json(&records(&text)[0]);
    assert_eq!(
        v["indicator_columns"],
        json!([{"key": "annual", "header": "年 度 指 标 值"}])
    );
    assert_eq!(
        v["indicators"][0]["children"][0]["children"][0]["values"]["annual"]["value"],
        4
    );
}
