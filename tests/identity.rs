//! Who and what a form is about (SPEC: identity), and where a form starts
//! and ends: each test is one class, on a form of our own written inline.

use declx::{extract_bytes, Limits, Record};

fn records(name: &str, text: &str) -> Vec<Record> {
    extract_bytes(std::path::Path::new(name), text.as_bytes(), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .records
}

fn one(text: &str) -> Record {
    let mut r = records("form.txt", text);
    assert_eq!(r.len(), 1, "one record expected");
    r.remove(0)
}

fn codes(r: &Record) -> Vec<String> {
    r.warnings.iter().map(|w| w.code.to_string()).collect()
}

const INDICATORS: &str = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t完成数量\t≥10个\n";

#[test]
fn a_first_level_budget_unit_is_the_department_and_the_applicant_the_unit() {
    let r = one(&format!(
        "二级项目支出绩效目标申报表\n一级预算单位\t某区卫生健康委员会\t申请单位\t某区疾病预防控制中心\n项目名称\t疫苗冷链运维\n{INDICATORS}"
    ));
    assert_eq!(r.department.as_deref(), Some("某区卫生健康委员会"));
    assert_eq!(r.unit.as_deref(), Some("某区疾病预防控制中心"));
    assert!(!codes(&r).contains(&"missing_department".to_string()));
}

#[test]
fn an_open_label_whose_value_names_an_organisation_fills_what_the_form_lacks() {
    let r = one(&format!(
        "项目支出绩效目标申报表\n项目名称\t图书采购\n主管部门\t某县文化和旅游局\n归口单位\t某县图书馆\n{INDICATORS}"
    ));
    assert_eq!(r.department.as_deref(), Some("某县文化和旅游局"));
    assert_eq!(r.unit.as_deref(), Some("某县图书馆"), "归口单位 names a 馆: the unit");
}

#[test]
fn an_open_label_whose_value_is_no_organisation_stays_in_info() {
    let r = one(&format!(
        "项目支出绩效目标申报表\n项目名称\t图书采购\n主管部门\t某县文化和旅游局\n归口单位\t待定\n{INDICATORS}"
    ));
    assert_eq!(r.unit, None);
    assert_eq!(r.info.get("归口单位"), Some("待定"));
}

#[test]
fn the_local_department_of_a_transfer_payment_wins_over_the_central_one() {
    let r = one(&format!(
        "转移支付区域绩效目标表\n转移支付（项目）名称\t某补助资金\n中央主管部门\t农业农村部\t地方主管部门\t某省农业农村厅\n{INDICATORS}"
    ));
    assert_eq!(r.department.as_deref(), Some("某省农业农村厅"));
    assert_eq!(r.info.get("中央主管部门"), Some("农业农村部"));
    assert_eq!(r.project.as_ref().and_then(|p| p.get("name")), Some("某补助资金"));
}

#[test]
fn a_form_with_no_department_says_so_in_a_warning() {
    let r = one(&format!("部门整体支出绩效目标表\n填报人\t张三\n{INDICATORS}"));
    assert_eq!(r.department, None);
    assert!(codes(&r).contains(&"missing_department".to_string()), "{:?}", codes(&r));
}

#[test]
fn header_amounts_are_budget_items_of_a_block_without_heading() {
    let r = one(&format!(
        "项目支出绩效目标申报表\n项目名称\t甲\n主管部门\t某局\n项目总预算（万元）：\t300.00\t当年预算（万元）：\t100.50\n{INDICATORS}"
    ));
    let b = &r.budget.blocks[0];
    assert_eq!(b.heading, None);
    let items: Vec<(&str, String)> = b
        .items
        .iter()
        .map(|i| (i.label.as_str(), i.amount.map(|a| a.0.to_string()).unwrap_or_default()))
        .collect();
    assert_eq!(
        items,
        [("项目总预算", "300.00".to_string()), ("当年预算", "100.50".to_string())]
    );
    assert_eq!(r.budget.unit.as_deref(), Some("万元"));
}

#[test]
fn a_budget_code_or_a_year_with_a_money_word_is_no_amount() {
    let r = one(&format!(
        "部门整体支出绩效目标表\n部门名称\t某局\t部门预算编码\t101001\n预算年度\t2024\n{INDICATORS}"
    ));
    assert!(r.budget.blocks.is_empty(), "{:?}", r.budget.blocks);
    assert_eq!(r.year, Some(2024));
}

#[test]
fn goal_parts_one_under_the_other_in_the_label_column_give_annual_and_period() {
    let r = one(&format!(
        "项目支出绩效目标申报表\n项目名称\t甲\n主管部门\t某局\n年度目标\t今年完成一半\n长期目标（跨度多年的项目需填）：\t三年全部完成\n{INDICATORS}"
    ));
    let goal = serde_json::to_value(&r.overall_goal).unwrap();
    assert_eq!(
        goal,
        serde_json::json!({"annual": "今年完成一半", "period": "三年全部完成"})
    );
}

#[test]
fn a_single_annual_goal_stays_text() {
    let r = one(&format!(
        "项目支出绩效目标申报表\n项目名称\t甲\n主管部门\t某局\n年度目标\t完成甲\n{INDICATORS}"
    ));
    assert_eq!(
        serde_json::to_value(&r.overall_goal).unwrap(),
        serde_json::json!("完成甲")
    );
}

#[test]
fn a_notes_page_that_names_the_form_is_not_a_form() {
    let text = "填报说明\n1. 本表为项目支出绩效目标申报表，由项目单位填写。\n2. 项目名称：填写预算项目名称。\n";
    let err =
        extract_bytes(std::path::Path::new("notes.txt"), text.as_bytes(), &Limits::default()).map(|o| o.records.len());
    assert!(matches!(err, Err(_) | Ok(0)), "{err:?}");
}

#[test]
fn stacked_forms_under_a_page_heading_are_records_with_their_own_subtitles() {
    let form = |name: &str| {
        format!("项目支出绩效目标申报表\n（2023年度）\n项目名称\t{name}\n主管部门\t某市财政局\n{INDICATORS}")
    };
    let text = format!("附件3\n某市部门预算公开目录\n{}{}", form("甲"), form("乙"));
    let rs = records("stacked.txt", &text);
    let names: Vec<_> = rs
        .iter()
        .map(|r| r.project.as_ref().and_then(|p| p.get("name")).unwrap_or(""))
        .collect();
    assert_eq!(names, ["甲", "乙"]);
    assert!(rs.iter().all(|r| r.year == Some(2023)));
    assert!(
        rs[0].unmapped.iter().all(|u| u.text != "（2023年度）"),
        "the subtitle under a page heading is the subtitle: {:?}",
        rs[0].unmapped
    );
}

#[test]
fn a_merged_unit_cell_of_a_list_sheet_names_every_project_under_it() {
    let text = "部门预算项目绩效目标申报表(2023年度)\n单位名称\t项目名称\t预算数\t年度目标\t一级指标\t二级指标\t三级指标\t指标值\n\
        101-某局部门\t\t300.00\n\
        101001-某局本级\t甲项目\t100.00\t完成甲\t产出指标\t数量指标\t甲数量\t10个\n\
        \t\t\t\t满意度指标\t服务对象满意度指标\t甲满意度\t≥90%\n\
        \t乙项目\t200.00\t完成乙\t产出指标\t数量指标\t乙数量\t20个\n";
    let rs = records("list.txt", text);
    let depts: Vec<_> = rs.iter().map(|r| r.department.as_deref().unwrap_or("")).collect();
    assert_eq!(depts, ["101001-某局本级", "101001-某局本级"]);
    assert!(
        rs[0].unmapped.iter().any(|u| u.text == "101-某局部门"),
        "the subtotal row is no project, and not lost: {:?}",
        rs[0].unmapped
    );
}

#[test]
fn a_weight_between_level_columns_is_that_level_s_weight() {
    let r = one("项目支出绩效自评表\n项目名称\t甲\n主管部门\t某局\n\
         一级指标\t分值\t二级指标\t分值\t三级指标\t分值\t年度指标值\t实际完成值\t得分\n\
         产出\t60\t数量\t30\t完成数量\t30\t10个\t10个\t30\n\
         \t\t质量\t30\t合格率\t30\t100%\t100%\t30\n\
         效果\t40\t满意度\t40\t满意度\t40\t≥90%\t95%\t40\n");
    let w = |n: &declx::types::IndicatorNode| n.weight.map(|d| d.0.to_string());
    let tops: Vec<_> = r.indicators.iter().map(|n| (n.name.as_str(), w(n))).collect();
    assert_eq!(tops, [("产出", Some("60".into())), ("效果", Some("40".into()))]);
    let seconds: Vec<_> = r.indicators[0].children.as_ref().unwrap().iter().map(w).collect();
    assert_eq!(seconds, [Some("30".to_string()), Some("30".to_string())]);
    assert!(r.unmapped.is_empty(), "{:?}", r.unmapped);
}

#[test]
fn a_quoted_paragraph_with_commas_in_a_csv_is_no_runaway_quote() {
    let text =
        "部门整体支出绩效目标表,,,\r\n部门名称,某局,,\r\n年度总体绩效目标,\"甲,乙,丙。\r\n丁,戊。\r\n己,庚。\",,\r\n\
        年度绩效指标,一级指标,二级指标,三级指标,指标值\r\n,产出指标,数量指标,完成数量,≥10个\r\n";
    let r = records("form.csv", text).remove(0);
    assert!(!codes(&r).contains(&"unbalanced_quote".to_string()), "{:?}", codes(&r));
    assert_eq!(
        serde_json::to_value(&r.overall_goal).unwrap(),
        serde_json::json!("甲,乙,丙。\n丁,戊。\n己,庚。")
    );
}

#[test]
fn a_budget_label_over_text_alone_is_a_field_and_the_next_label_its_own() {
    let r = one(&format!(
        "项目支出绩效目标申报表\n项目名称\t甲\n主管部门\t某局\n测算依据\t按合同单价乘以数量测算\n政策依据\t某市文件\n{INDICATORS}"
    ));
    assert!(r.budget.blocks.is_empty(), "{:?}", r.budget.blocks);
    assert_eq!(r.info.get("测算依据"), Some("按合同单价乘以数量测算"));
    assert_eq!(r.info.get("政策依据"), Some("某市文件"));
    assert!(r.unmapped.is_empty(), "{:?}", r.unmapped);
}
