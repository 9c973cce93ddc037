//! Template variants across years and form kinds, asserted field by field.

mod common;
use common::{budget_headings, column_keys, json, records};
use serde_json::{json, Value};

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_string())
        .collect()
}

const PROJECT: &str = r#"2024年度项目支出绩效目标申报表
（2024年度）
项目名称	社区矫正信息化建设项目
主管部门	广州市天河区司法局	实施单位	天河区社区矫正中心
项目属性	经常性项目	项目期限	2024年1月-2024年12月
项目资金（万元）		实施期资金总额	年度资金总额
	年度资金总额	300.00	120.00
	其中：财政拨款	300.00	120.00
	其他资金	0.00	0.00
总体目标	实施期目标	年度目标
	完成系统建设并投入使用。	完成一期建设。
绩效指标	一级指标	二级指标	三级指标	指标值
	产出指标	数量指标	采购终端数量	≥50台
		质量指标	系统验收合格率	100%
		时效指标	项目完成时间	2024年12月底前
	成本指标	经济成本指标	项目总成本	≤120万元
	效益指标	社会效益指标	矫正对象管理覆盖率	100%
	满意度指标	服务对象满意度指标	工作人员满意度	≥90%
填报人：张三	联系电话：020-12345678	填报日期：2024年3月1日
"#;

#[test]
fn project_form_with_split_goal_and_two_amount_columns() {
    let v = json(&records(PROJECT)[0]);
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

const INTEGRATED: &str = r#"2023年部门整体支出绩效目标申报表
填报单位：某市教育局		单位：万元
部门名称	某市教育局
基本信息	财政供养人员数	120	下属二级单位数	5
预算整体情况	收入预算合计	5000.00
	支出预算合计	5000.00
总体绩效目标	提高教育质量。
绩效指标	一级指标	二级指标	三级指标	指标性质	指标值	度量单位
	产出指标(50分)	数量指标	培训教师人次	≥	2000	人次
		质量指标	培训合格率	≥	95	%
	效益指标(30分)	社会效益指标	家长满意度	定性	良好	
	满意度指标(20分)	社会公众或服务对象满意度指标	学生满意度	≥	不高于90	%
"#;

#[test]
fn integrated_system_columns_give_op_and_unit() {
    let v = json(&records(INTEGRATED)[0]);
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

const SELF_EVALUATION: &str = r#"部门整体支出绩效自评表
（2023年度）
部门名称	某区卫生健康局
年度预算执行情况（万元）		年初预算数	全年预算数	全年执行数	分值	执行率	得分
	年度资金总额	1,000.00	1,200.00	1,142.40	10	95.2%	9.52
	其中：财政拨款	1,000.00	1,200.00	1,142.40	—	—	—
	其他资金	0.00	0.00	0.00	—	—	—
年度总体目标	预期目标		实际完成情况
	完成全年卫生健康工作任务。		已完成。
绩效指标	一级指标	二级指标	三级指标	年度指标值	实际完成值	分值	得分	偏差原因分析及改进措施
	产出指标	数量指标	家庭医生签约人数	≥5000人	5230人	20	20	
		质量指标	签约服务合格率	≥95%	96%	20	20	
	效益指标	社会效益指标	居民健康水平	有所提高	达到	30	28	部分指标未达预期
	满意度指标	服务对象满意度指标	群众满意度	≥90%	92%	20	20	
总分						100	97.52
自评等级：优
"#;

#[test]
fn self_evaluation_form() {
    let v = json(&records(SELF_EVALUATION)[0]);
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
    let text = "部门整体支出绩效目标申报表\n部 门 名 称：\t某局\n\"年度\n总体\n目标\"\t做好工作。\n绩 效 指 标\t\"一级\n指标\"\t二级指标\t三级指标\t年度指标值\t中长期指标值\n\t产出指标\t数量指标\t场次\t≥4场\t≥20场\n";
    let v = json(&records(text)[0]);
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
    let text = "项目支出绩效目标申报表\n项目名称\t甲项目\n绩效指标\t一级指标\t二级指标\t三级指标\t指标值\n\t产出指标\t数量指标\t场次\t4场\n\t\t成本指标\t成本\t≤10万元\n\t效益指标\t社会效益指标\t受益人数\t100人\n\t\t社会公众或服务对象满意度指标\t满意度\t≥90%\n";
    let v = json(&records(text)[0]);
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
    let text = "项目支出绩效目标申报表\n项目名称\t甲项目\n中长期绩效指标\t一级指标\t二级指标\t三级指标\t指标值\n\t产出指标\t数量指标\t培训人次\t≥1000人次\n\t效益指标\t社会效益指标\t覆盖率\t100%\n年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\n\t产出指标\t数量指标\t培训人次\t≥200人次\n\t满意度指标\t服务对象满意度指标\t满意度\t≥90%\n";
    let v = json(&records(text)[0]);
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
    let text = "部门整体支出绩效自评表\n预算单位\t某局\n绩效指标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t完成值\t权重\t得分\t未完成原因分析\n\t产出指标\t数量指标\t场次\t≥\t4\t场\t5\t10\t10\t\n";
    let v = json(&records(text)[0]);
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

    let text = "项目支出绩效目标申报表\n项目名称\t乙\n预算部门\t某委\n绩效指标\t一级指标\t二级指标\t三级指标\t*指标值\t指标值类型（定量/定性）\t计量单位\t*指标解释\t*评(扣)分标准\n\t产出指标\t质量指标\t合格率\t95\t定量\t%\t合格数/总数\t每低1%扣1分\n";
    let v = json(&records(text)[0]);
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
    let text = "项目支出绩效目标申报表\n项目名称\t丙\n主管部门\t某局\n项目资金（万元）\t年度资金总额\t250万\n\t其中：财政拨款\t2000000元\n\t其他资金\t50\n";
    let v = json(&records(text)[0]);
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
    std::fs::write(dir.join("project.txt"), PROJECT).unwrap();
    std::fs::write(dir.join("2023/integrated.csv"), INTEGRATED.replace('\t', ",")).unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(SELF_EVALUATION);
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
    let text = "部门整体支出绩效目标申报表\n（2019年度）\n部门（单位）名称\t某区民政局\n年度主要任务\t任务名称\t主要内容\n\t社会救助\t做好低保工作\n年度预算（万元）\t按收入性质分\t金额\t按支出性质分\t金额\n\t财政拨款\t900.00\t基本支出\t800.00\n\t其他资金\t100.00\t项目支出\t200.00\n年度总体目标\t保障困难群众基本生活。\n年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\n\t产出指标\t数量指标\t救助人次\t≥5000人次\n";
    let v = json(&records(text)[0]);
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
    let text = "部门整体支出绩效目标申报表\n部门名称\t某局\n绩 效 指 标\t一 级 指 标\t二 级 指 标\t三 级 指 标\t年 度 指 标 值\n\t产出指标\t数量指标\t场次\t4场\n";
    let v = json(&records(text)[0]);
    assert_eq!(
        v["indicator_columns"],
        json!([{"key": "annual", "header": "年 度 指 标 值"}])
    );
    assert_eq!(
        v["indicators"][0]["children"][0]["children"][0]["values"]["annual"]["value"],
        4
    );
}
