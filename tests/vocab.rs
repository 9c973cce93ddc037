//! The vocabulary as data: `declx labels` lists what a template renamed,
//! a `--vocab` file teaches it, user entries win over built-in ones, and a
//! bad vocabulary file is a usage error naming the file and line.

use assert_cmd::Command;
use declx::Vocabulary;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const SEED: &str = "seeds/000_be24f91d7f1b64fe.txt";

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-vocab-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// The seed as another province would write it: three labels renamed.
fn renamed_seed() -> String {
    fs::read_to_string(SEED)
        .unwrap()
        .replacen("部门名称", "填报主体", 1)
        .replacen("年度重点工作任务", "本年度工作要点", 1)
        .replacen("年度指标值", "考核目标数", 1)
}

const TEACH: &str = "[fields]\n\"填报主体\" = \"department\"\n[sections]\n\"本年度工作要点\" = \"key_tasks\"\n[columns]\n\"考核目标数\" = \"annual\"\n";

fn declx() -> Command {
    Command::cargo_bin("declx").unwrap()
}

fn jsonl(args: &[&str]) -> Vec<Value> {
    let out = declx().args(args).args(["--jsonl", "-", "-q"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A record without the parts that say where it came from.
fn content(mut v: Value) -> Value {
    let o = v.as_object_mut().unwrap();
    o.remove("source");
    // The header text of a column is the form's own; its key is what counts.
    for c in o["indicator_columns"].as_array_mut().unwrap() {
        c.as_object_mut().unwrap().remove("header");
    }
    v
}

fn labels_json(args: &[&str]) -> Vec<Value> {
    let out = declx()
        .arg("labels")
        .args(args)
        .args(["--json", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

#[test]
fn renamed_seed_labels_are_listed_and_once_taught_it_extracts_like_the_seed() {
    let dir = tmp("taught");
    let form = dir.join("renamed.txt");
    fs::write(&form, renamed_seed()).unwrap();
    let listed = labels_json(&[form.to_str().unwrap()]);
    let names: Vec<&str> = listed.iter().map(|l| l["label"].as_str().unwrap()).collect();
    for renamed in ["填报主体", "本年度工作要点", "考核目标数"] {
        assert!(names.contains(&renamed), "{renamed} not listed: {names:?}");
    }
    let task = listed.iter().find(|l| l["label"] == "本年度工作要点").unwrap();
    assert_eq!(task["example"]["cell"], "A13");
    assert_eq!(task["suggestion"]["role"], "key_tasks");
    let column = listed.iter().find(|l| l["label"] == "考核目标数").unwrap();
    assert_eq!(column["place"], "indicator_header");
    assert_eq!(column["suggestion"]["role"], "annual");

    let untaught = jsonl(&["extract", form.to_str().unwrap()]);
    let seed = jsonl(&["extract", SEED]);
    assert_ne!(content(untaught[0].clone()), content(seed[0].clone()));
    let vocab = dir.join("teach.toml");
    fs::write(&vocab, TEACH).unwrap();
    let taught = jsonl(&["extract", form.to_str().unwrap(), "--vocab", vocab.to_str().unwrap()]);
    assert_eq!(content(taught[0].clone()), content(seed[0].clone()));
    // Taught, nothing is left to list.
    assert!(labels_json(&[form.to_str().unwrap(), "--vocab", vocab.to_str().unwrap()]).is_empty());
}

#[test]
fn a_user_entry_wins_over_the_built_in_one_and_none_drops_it() {
    let dir = tmp("override");
    let vocab = dir.join("v.toml");
    fs::write(&vocab, "[fields]\n\"部门名称\" = \"project.owner\"\n").unwrap();
    let seed = &jsonl(&["extract", SEED])[0];
    let r = &jsonl(&["extract", SEED, "--vocab", vocab.to_str().unwrap()])[0];
    assert_eq!(r["project"]["owner"], seed["department"]);
    assert!(r["department"].is_null());

    // Later files win over earlier ones.
    let second = dir.join("w.toml");
    fs::write(&second, "[fields]\n\"部门名称\" = \"department\"\n").unwrap();
    let r = &jsonl(&[
        "extract",
        SEED,
        "--vocab",
        vocab.to_str().unwrap(),
        "--vocab",
        second.to_str().unwrap(),
    ])[0];
    assert_eq!(r["department"], seed["department"]);

    // A column key is replaced; "none" drops a label, which is then listed.
    fs::write(&vocab, "[columns]\n\"年度指标值\" = \"actual\"\n").unwrap();
    let r = &jsonl(&["extract", SEED, "--vocab", vocab.to_str().unwrap()])[0];
    let keys: Vec<&str> = r["indicator_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["period", "actual"]);
    fs::write(&vocab, "[fields]\n\"部门名称\" = \"none\"\n").unwrap();
    let listed = labels_json(&[SEED, "--vocab", vocab.to_str().unwrap()]);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["label"], "部门名称");
    assert!(labels_json(&[SEED]).is_empty());
}

#[test]
fn each_bad_vocabulary_file_is_a_usage_error_naming_file_line_and_what_is_allowed() {
    let dir = tmp("bad");
    let cases: [(&str, &str, &[&str]); 7] = [
        ("[fields\n", ":1: not TOML", &[]),
        (
            "[fields]\n\"a\" = \"info\"\n[feilds]\n\"x\" = \"department\"\n",
            ":3: unknown table [feilds]",
            &["fields", "columns"],
        ),
        (
            "[fields]\n\"填报主体\" = \"departmnet\"\n",
            ":2: unknown role \"departmnet\"",
            &["department", "project.name", "project.<key>", "info"],
        ),
        (
            "[columns]\n\"考核目标数\" = \"yearly\"\n",
            ":2: unknown role",
            &["annual", "period", "actual"],
        ),
        ("[levels]\n\"x\" = 4\n", ":2: unknown role 4", &["1, 2, 3"]),
        (
            "[rules]\nfields = [[\"ends\", \"x\", \"info\"]]\n",
            ":2: a rule is [how, word, role]",
            &["prefix, suffix, contains"],
        ),
        (
            "[words]\nfooterz = [\"x\"]\n",
            ":2: unknown word list `footerz`",
            &["footers"],
        ),
    ];
    for (i, (text, want, allowed)) in cases.iter().enumerate() {
        let vocab = dir.join(format!("bad{i}.toml"));
        fs::write(&vocab, text).unwrap();
        let out_dir = dir.join(format!("out{i}"));
        for command in [
            &["extract", SEED, "--out", out_dir.to_str().unwrap()][..],
            &["inspect", SEED],
            &["labels", SEED],
        ] {
            let out = declx()
                .args(command)
                .args(["--vocab", vocab.to_str().unwrap()])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{command:?} {text}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
            assert!(
                stderr.contains(&format!("{}{want}", vocab.display())),
                "{text}: {stderr}"
            );
            for a in *allowed {
                assert!(stderr.contains(a), "{text}: {stderr} lacks {a}");
            }
            assert!(out.stdout.is_empty());
        }
        assert!(!out_dir.exists(), "nothing runs on a bad vocabulary");
    }
    let out = declx()
        .args(["extract", SEED, "--jsonl", "-", "--vocab", "/nonexistent/v.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/v.toml: cannot read"));
}

#[test]
fn labels_ranks_a_mixed_archive_by_files_and_writes_a_starter_vocabulary_that_parses() {
    let dir = tmp("archive");
    let inputs = dir.join("in");
    fs::create_dir_all(inputs.join("b")).unwrap();
    // 填报主体 in three files, 考核目标数 in one (twice in no file).
    for i in 0..3 {
        fs::write(
            inputs.join(format!("a{i}.txt")),
            fs::read_to_string(SEED).unwrap().replacen("部门名称", "填报主体", 1),
        )
        .unwrap();
    }
    fs::write(
        inputs.join("b/one.txt"),
        fs::read_to_string(SEED)
            .unwrap()
            .replacen("年度指标值", "考核目标数", 1),
    )
    .unwrap();
    fs::copy(SEED, inputs.join("b/seed.txt")).unwrap();
    fs::write(inputs.join("broken.xlsx"), b"not a zip").unwrap();
    let starter = dir.join("starter.toml");
    let out = declx()
        .args([
            "labels",
            inputs.to_str().unwrap(),
            "--json",
            "-q",
            "-j",
            "2",
            "--emit-vocab",
        ])
        .arg(&starter)
        .output()
        .unwrap();
    // A broken file is counted and the run goes on.
    assert_eq!(out.status.code(), Some(2));
    let listed: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["label"], "填报主体");
    assert_eq!(listed[0]["files"], 3);
    assert_eq!(listed[0]["example"]["file"], inputs.join("a0.txt").to_str().unwrap());
    let column = listed.iter().find(|l| l["label"] == "考核目标数").unwrap();
    assert_eq!(column["files"], 1);
    let files: Vec<u64> = listed.iter().map(|l| l["files"].as_u64().unwrap()).collect();
    assert!(files.windows(2).all(|w| w[0] >= w[1]), "ranked by files: {files:?}");

    let top = declx()
        .args(["labels", inputs.to_str().unwrap(), "--top", "1", "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8(top.stdout).unwrap();
    assert!(text.contains("填报主体") && !text.contains("考核目标数"), "{text}");

    // The starter file: every label commented out; uncommented, it is a vocabulary.
    let starter = fs::read_to_string(&starter).unwrap();
    assert!(starter.contains("# \"填报主体\" = "), "{starter}");
    assert!(starter.contains("# \"考核目标数\" = \"annual\""), "{starter}");
    let uncommented: String = starter
        .lines()
        .map(|l| l.strip_prefix("# \"").map_or(l.to_string(), |rest| format!("\"{rest}")))
        .filter(|l| !l.contains("= \"\""))
        .map(|l| l + "\n")
        .collect();
    Vocabulary::from_sources(&[("starter.toml".into(), uncommented.clone())])
        .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
}

#[test]
fn a_vocabulary_applies_only_inside_its_scope() {
    let dir = tmp("scope");
    let path = dir.join("v.toml");
    fs::write(&path, "[fields]\n\"部门名称\" = \"info\"\n").unwrap();
    let v = Vocabulary::load(&[&path]).unwrap();
    let extract = || {
        declx::extract_file(Path::new(SEED), &declx::Limits::default())
            .unwrap()
            .records
    };
    let inside = v.scope(extract);
    assert!(inside[0].info.get("部门名称").is_some());
    let outside = extract();
    assert!(outside[0].department.is_some() && outside[0].info.get("部门名称").is_none());
    // The same files give the same vocabulary (built once).
    assert_eq!(format!("{v:?}"), format!("{:?}", Vocabulary::load(&[&path]).unwrap()));
}

#[test]
fn labels_lists_labels_with_a_trailing_colon_a_unit_or_a_prompt_in_brackets() {
    let dir = tmp("bracketed");
    let form = dir.join("form.txt");
    fs::write(
        &form,
        "项目支出绩效目标申报表\n项目名称\t甲\n主管部门\t某局\n\
         资金用途说明（限200字以内）：\t用于设备采购\n\
         资金管理办法（文号）：\t某财〔2023〕1号\n\
         一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t甲数量\t10个\n",
    )
    .unwrap();
    let listed = labels_json(&[form.to_str().unwrap()]);
    let names: Vec<&str> = listed.iter().map(|l| l["label"].as_str().unwrap()).collect();
    // Listed as compared: folded, brackets half-width, the colon off.
    for label in ["资金用途说明(限200字以内)", "资金管理办法(文号)"] {
        assert!(
            names.iter().any(|n| n.starts_with(label)),
            "{label} not listed: {names:?}"
        );
    }
    assert!(listed.iter().all(|l| l["place"] == "header"), "{listed:?}");
}
