//! Review rules (绩效目标审核): the default set on forms built to break it
//! (`tests/forms_rules/`), user files replacing and dropping rules, bad rule
//! files, the findings workbook and CSV, and the Shenzhen checklist example.

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};
use declx::{extract_file, Limits, Record, RuleSet};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const SHENZHEN: &str = "examples/rules/shenzhen_2023_audit_criteria.toml";

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-rules-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn form(name: &str) -> PathBuf {
    Path::new("tests/forms_rules").join(format!("{name}.txt"))
}

fn records_with(set: RuleSet, name: &str) -> Vec<Record> {
    set.scope(|| extract_file(&form(name), &Limits::default()))
        .unwrap_or_else(|e| panic!("{e}"))
        .records
}

/// The codes of the failed checks of a form's records.
fn fired(set: RuleSet, name: &str) -> BTreeSet<String> {
    records_with(set, name)
        .iter()
        .flat_map(|r| r.checks.iter().filter(|c| !c.ok).map(|c| c.code.clone()))
        .collect()
}

const CLEAN: [&str; 3] = ["project_clean", "self_evaluation_clean", "department_clean"];
const BROKEN: [&str; 4] = [
    "project_broken_a",
    "project_broken_b",
    "self_evaluation_broken",
    "department_broken",
];

#[test]
fn every_default_rule_fires_on_a_form_built_to_break_it_and_on_no_clean_form() {
    let set = RuleSet::builtin();
    let broken: BTreeSet<String> = BROKEN.iter().flat_map(|f| fired(set, f)).collect();
    for rule in set.rules() {
        assert!(broken.contains(&rule.id), "{} fires on no broken form", rule.id);
    }
    for f in CLEAN {
        assert_eq!(fired(set, f), BTreeSet::new(), "{f} is clean");
    }
    // The builtin checks still report ok: true where they apply and pass.
    let dept = &records_with(set, "department_clean")[0];
    let ok: Vec<&str> = dept.checks.iter().filter(|c| c.ok).map(|c| c.code.as_str()).collect();
    assert_eq!(
        ok,
        [
            "budget_balance",
            "key_task_funds",
            "required_categories",
            "percent_over_100",
            "cost_direction"
        ]
    );
}

#[test]
fn a_fired_rule_is_a_failed_check_with_the_message_filled_and_the_cell() {
    let r = &records_with(RuleSet::builtin(), "project_broken_a")[0];
    let c = r.checks.iter().find(|c| c.code == "timeliness_deadline").unwrap();
    assert!(!c.ok);
    assert_eq!(c.cells, ["D15"]);
    assert_eq!(
        c.detail,
        "时效指标“报修响应及时性”的指标值“及时”（D15）未写明完成时限或周期（如“12月31日前”“≤3个工作日”）。"
    );
    let cost = r.checks.iter().find(|c| c.code == "cost_above_budget").unwrap();
    assert!(
        cost.detail.contains("“≥150万元”") && cost.detail.contains("超过项目预算130.00"),
        "{}",
        cost.detail
    );
    // One entry per indicator the rule fires on.
    let dups: Vec<_> = r.checks.iter().filter(|c| c.code == "duplicate_indicator").collect();
    assert_eq!(
        dups.iter().map(|c| c.cells[0].as_str()).collect::<Vec<_>>(),
        ["D11", "D12"]
    );
}

#[test]
fn every_default_rule_names_its_source_in_a_comment() {
    for rule in RuleSet::builtin().rules() {
        assert!(
            ["[SPEC]", "[101号]", "[88号]", "[10号]"]
                .iter()
                .any(|s| rule.note.contains(s)),
            "{} cites no source: {:?}",
            rule.id,
            rule.note
        );
        assert!(rule.source.starts_with("rules/default.toml:"), "{}", rule.source);
    }
}

#[test]
fn a_user_rule_with_a_default_id_replaces_it_and_enabled_false_drops_one() {
    let user = r#"
[[rule]]
id = "deviation_without_reason"
point = "完整性"
severity = "error"
target = "values"
column = "actual"
when = { deviates_from = "annual", by_more_than = 50, empty_column = "deviation_note" }
message = "{indicator}: 偏差过大"

[[rule]]
id = "score_above_weight"
enabled = false

[[rule]]
id = "my_goal_length"
point = "我的要点"
target = "field"
field = "overall_goal"
when = { longer_than = 10 }
message = "目标“{value}”太长"
"#;
    let set = RuleSet::from_sources(&[("mine.toml".into(), user.into())]).unwrap();
    let builtin = RuleSet::builtin();
    assert_eq!(set.rules().len(), builtin.rules().len()); // one dropped, one added
    let replaced = set.get("deviation_without_reason").unwrap();
    assert_eq!(replaced.source, "mine.toml:2");
    // Same position as the default it replaced.
    let pos = |s: &RuleSet, id: &str| s.rules().iter().position(|r| r.id == id);
    assert_eq!(
        pos(&set, "deviation_without_reason"),
        pos(&builtin, "deviation_without_reason").map(|p| p - 1)
    );
    assert!(set.get("score_above_weight").is_none());
    assert_eq!(set.rules().last().unwrap().id, "my_goal_length");

    // The self-evaluation form deviates by 40%: under 50 now, and the score rule is gone.
    let before = fired(builtin, "self_evaluation_broken");
    assert!(before.contains("deviation_without_reason") && before.contains("score_above_weight"));
    let after = fired(set, "self_evaluation_broken");
    assert!(!after.contains("deviation_without_reason"), "{after:?}");
    assert!(!after.contains("score_above_weight"), "{after:?}");
    let p = &records_with(set, "project_clean")[0];
    let mine = p.checks.iter().find(|c| c.code == "my_goal_length").unwrap();
    assert_eq!(mine.detail, "目标“通过物业服务保障办公运行，达成全年安全无事故”太长");
}

/// Each kind of mistake, with the line it is on and what the error says.
#[test]
fn a_bad_rules_file_is_one_error_naming_the_file_the_line_and_what_is_allowed() {
    let ok_rule = "id = \"x\"\npoint = \"完整性\"\nmessage = \"m\"\n";
    let cases: &[(&str, String, usize, &str)] = &[
        ("not TOML", "[[rule]]\nid = \n".into(), 2, "not TOML"),
        (
            "another table",
            "[rules]\nid = \"x\"\n".into(),
            1,
            "[[rule]] tables only",
        ),
        (
            "an unknown key",
            format!("[[rule]]\n{ok_rule}target = \"field\"\nfield = \"title\"\nwhn = {{ empty = true }}\n"),
            7,
            "unknown key `whn` in a rule; allowed: id, point",
        ),
        ("no id", "[[rule]]\npoint = \"p\"\n".into(), 1, "needs `id`"),
        (
            "no message",
            "[[rule]]\nid = \"x\"\npoint = \"p\"\n".into(),
            1,
            "needs `message`",
        ),
        (
            "a bad severity",
            format!("[[rule]]\n{ok_rule}severity = \"fatal\"\n"),
            5,
            "unknown severity \"fatal\"; allowed: error, warning, notice",
        ),
        (
            "an unknown target",
            format!("[[rule]]\n{ok_rule}target = \"cells\"\n"),
            5,
            "unknown target \"cells\"; allowed: field, budget_items",
        ),
        (
            "an unknown field",
            format!("[[rule]]\n{ok_rule}target = \"field\"\nfield = \"goal\"\n"),
            6,
            "unknown field \"goal\"; allowed: title",
        ),
        (
            "a bad regex",
            format!("[[rule]]\n{ok_rule}target = \"field\"\nfield = \"title\"\nwhen = {{ matches = \"(通过\" }}\n"),
            7,
            "bad regex \"(通过\"",
        ),
        (
            "an unknown condition",
            format!("[[rule]]\n{ok_rule}target = \"field\"\nfield = \"title\"\nwhen = {{ blank = true }}\n"),
            7,
            "unknown condition `blank` in `when`; conditions: empty, matches",
        ),
        (
            "a bad comparison",
            format!("[[rule]]\n{ok_rule}target = \"values\"\nwhen = {{ number = \"about 100\" }}\n"),
            6,
            "must be a comparison",
        ),
        (
            "a rule with no condition",
            format!("[[rule]]\n{ok_rule}target = \"values\"\n"),
            1,
            "never fires: give `when`, `unless` or `fewer_than`",
        ),
        (
            "a deviation without its percent",
            format!("[[rule]]\n{ok_rule}target = \"values\"\nwhen = {{ deviates_from = \"annual\" }}\n"),
            6,
            "`deviates_from` needs `by_more_than`",
        ),
        (
            "an unknown builtin",
            format!("[[rule]]\n{ok_rule}builtin = \"balance\"\n"),
            5,
            "unknown builtin \"balance\"; allowed: budget_balance",
        ),
        (
            "an unknown form",
            format!("[[rule]]\n{ok_rule}forms = [\"projct\"]\nbuiltin = \"budget_balance\"\n"),
            5,
            "unknown form \"projct\"; allowed: department, project",
        ),
    ];
    for (what, text, line, says) in cases {
        let e = RuleSet::from_sources(&[("bad.toml".into(), text.clone())]).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("bad.toml", *line), "{what}: {e}");
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("bad.toml:{line}: ")), "{what}: {shown}");
        assert!(shown.contains(says), "{what}: {shown}");
        assert_eq!(shown.lines().count(), 1, "{what}: {shown}");
    }
}

#[test]
fn a_bad_rules_file_stops_the_command_before_anything_is_read() {
    let dir = tmp("bad");
    let bad = dir.join("bad.toml");
    fs::write(
        &bad,
        "[[rule]]\nid = \"x\"\npoint = \"p\"\nmessage = \"m\"\ntarget = \"nowhere\"\n",
    )
    .unwrap();
    let missing = dir.join("no-such-input");
    for cmd in [
        vec!["extract", missing.to_str().unwrap(), "--jsonl", "-"],
        vec!["inspect", missing.to_str().unwrap()],
        vec!["rules"],
    ] {
        let out = Command::cargo_bin("declx")
            .unwrap()
            .args(&cmd)
            .args(["--rules", bad.to_str().unwrap()])
            .assert()
            .code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!(
                "declx: --rules {}:5: unknown target \"nowhere\"; allowed:",
                bad.display()
            )),
            "{stderr}"
        );
    }
    let out = Command::cargo_bin("declx")
        .unwrap()
        .args(["extract", "seeds", "--findings", dir.join("f.txt").to_str().unwrap()])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("the file must end in .xlsx or .csv"), "{stderr}");
}

#[test]
fn declx_rules_lists_every_rule_with_its_source_comment() {
    let out = Command::cargo_bin("declx").unwrap().arg("rules").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let set = RuleSet::builtin();
    assert!(text.starts_with(&format!("{} rules\n", set.rules().len())), "{text}");
    for r in set.rules() {
        let at = text
            .find(&format!("\n{}  [", r.id))
            .unwrap_or_else(|| panic!("{} not listed", r.id));
        assert!(
            text[..at].ends_with(&format!("# {}", r.note.lines().last().unwrap())),
            "{}",
            r.id
        );
    }
}

fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_findings_workbook_and_csv_hold_one_row_per_failed_check_of_the_records() {
    let dir = tmp("findings");
    let (xlsx, csv, jsonl) = (dir.join("审核.xlsx"), dir.join("f.csv"), dir.join("r.jsonl"));
    Command::cargo_bin("declx")
        .unwrap()
        .args(["extract", "tests/forms_rules", "seeds", "--rules", SHENZHEN, "-q"])
        .args(["--findings", xlsx.to_str().unwrap(), "--jsonl", jsonl.to_str().unwrap()])
        .assert()
        .success();
    Command::cargo_bin("declx")
        .unwrap()
        .args(["extract", "tests/forms_rules", "seeds", "--rules", SHENZHEN, "-q"])
        .args(["--findings", csv.to_str().unwrap()])
        .assert()
        .success();
    // What the records say: (file, cell, rule, message) per failed check, in order.
    let mut want = Vec::new();
    for line in fs::read_to_string(&jsonl).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        for c in r["checks"].as_array().unwrap().iter().filter(|c| c["ok"] == false) {
            let cells: Vec<&str> = c["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            want.push((
                r["source"]["path"].as_str().unwrap().to_string(),
                cells.join(" "),
                c["code"].as_str().unwrap().to_string(),
                c["detail"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert!(want.len() > 60, "{}", want.len());
    let rows = sheet_rows(&xlsx, "审核意见");
    assert_eq!(
        rows[0],
        [
            "部门",
            "项目",
            "文件",
            "工作表",
            "单元格",
            "指标",
            "审核要点",
            "规则",
            "严重程度",
            "审核细项",
            "审核意见"
        ]
    );
    let set = RuleSet::load(&[SHENZHEN]).unwrap();
    let got: Vec<_> = rows[1..]
        .iter()
        .map(|r| (r[2].clone(), r[4].clone(), r[7].clone(), r[10].clone()))
        .collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((&g.0, &g.1, &g.2), (&w.0, &w.1, &w.2));
        // A builtin's figures follow the rule's words; other rules' messages are the detail.
        let rule = set.get(&w.2).unwrap();
        assert!(
            g.3 == w.3 || g.3 == format!("{}（{}）", rule.message, w.3),
            "{g:?} vs {w:?}"
        );
    }
    // Point, severity and the reviewer's 审核细项 come from the rule.
    let sz = rows
        .iter()
        .find(|r| r[7] == "sz_25" && r[2].ends_with("shenzhen_broken_a.txt"))
        .unwrap();
    assert_eq!((sz[6].as_str(), sz[9].as_str()), ("可行性", "时间限制不合理可行。"));
    assert_eq!(sz[5], "产出指标 / 时效指标 / 响应速度");
    assert_eq!(sz[0], "深圳市某区某局");
    assert_eq!(sz[1], "办公楼物业管理");

    // The summary: the count per department and rule adds up to the rows.
    let summary = sheet_rows(&xlsx, "汇总");
    assert_eq!(summary[0], ["部门", "规则", "审核要点", "严重程度", "审核细项", "条数"]);
    let total: f64 = summary[1..].iter().map(|r| r[5].parse::<f64>().unwrap()).sum();
    assert_eq!(total as usize, want.len());
    let dup = summary
        .iter()
        .find(|r| r[0] == "某区司法局" && r[1] == "key_task_funds")
        .unwrap();
    assert_eq!(dup[5], "1");

    // The CSV: the same rows, English headers, UTF-8 with BOM.
    let text = fs::read_to_string(&csv).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "department",
            "project",
            "file",
            "sheet",
            "cell",
            "indicator",
            "point",
            "rule",
            "severity",
            "title",
            "message"
        ]
    );
    let csv_rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(csv_rows, rows[1..]);
}

#[test]
fn the_shenzhen_checklist_fires_each_automatable_criterion_on_a_form_built_to_break_it() {
    let set = RuleSet::load(&[SHENZHEN]).unwrap_or_else(|e| panic!("{e}"));
    let sz: Vec<&str> = set
        .rules()
        .iter()
        .filter(|r| r.id.starts_with("sz_"))
        .map(|r| r.id.as_str())
        .collect();
    // 26 criteria; 18, 22 and 24 need a person (the file says why).
    assert_eq!(sz.len(), 23);
    for n in [18, 22, 24] {
        assert!(!sz.contains(&format!("sz_{n:02}").as_str()));
    }
    let broken: BTreeSet<String> = ["shenzhen_broken_a", "shenzhen_broken_b"]
        .iter()
        .flat_map(|f| fired(set, f))
        .collect();
    for id in &sz {
        assert!(broken.contains(*id), "{id} fires on no broken form");
    }
    let clean = fired(set, "shenzhen_clean");
    assert_eq!(clean, BTreeSet::new());
    // Every rule carries the workbook's 审核细项 and opinion text.
    let r = set.get("sz_20").unwrap();
    assert_eq!(r.title.as_deref(), Some("指标值数量单位未填写单位"));
    assert_eq!(r.message, "指标值缺少数量单位，请补充完整。");
    // The 测算依据 criterion reads the cost table's 测算依据 column.
    let a = &records_with(set, "shenzhen_broken_a")[0];
    assert!(a.checks.iter().any(|c| c.code == "sz_01"));
    let clean = &records_with(set, "shenzhen_clean")[0];
    assert!(!clean.checks.iter().any(|c| c.code == "sz_01"));
}
