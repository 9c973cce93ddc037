//! Forms printed over several pages repeat their header rows; the tree continues.

use crate::common::{form, json, records};

#[test]
fn repeated_column_header_row_continues_the_tree() {
    let recs = records(&form("page_break_repeats_header"));
    assert_eq!(recs.len(), 1);
    let v = json(&recs[0]);
    let l1: Vec<&str> = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(l1, ["产出指标", "满意度指标"]);
    let out = &v["indicators"][0]["children"];
    let l2: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(l2, ["数量指标", "质量指标"]);
    let qty: Vec<&str> = out[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(qty, ["培训场次", "宣传册", "走访户数"]);
    assert_eq!(out[0]["children"][2]["cell"], "D8");
    let quality: Vec<&str> = out[1]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(quality, ["合格率", "验收通过率"]);
    assert_eq!(v["indicator_columns"].as_array().unwrap().len(), 1);
    assert_eq!(v["unmapped"].as_array().unwrap().len(), 0, "{}", v["unmapped"]);
    assert_eq!(v["department"], "某局");
}
