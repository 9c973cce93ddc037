//! The record's JSON Schema: the committed copy stays in sync with the
//! code, and records validate against it.

use serde_json::Value;

const COMMITTED: &str = "fixtures/record.schema.json";

#[test]
fn committed_schema_is_in_sync() {
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(COMMITTED).unwrap()).unwrap();
    assert!(
        committed == declx::schema(),
        "the record changed: review `declx schema > {COMMITTED}` and commit it"
    );
}

/// A small validator for the JSON Schema subset schemars writes.
fn validate(v: &Value, s: &Value, root: &Value, at: &str, errs: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(v, &root["$defs"][name], root, at, errs);
    }
    if let Some(any) = s.get("anyOf").or_else(|| s.get("oneOf")).and_then(Value::as_array) {
        let ok = any.iter().filter(|alt| {
            let mut e = Vec::new();
            validate(v, alt, root, at, &mut e);
            e.is_empty()
        });
        if ok.count() == 0 {
            errs.push(format!("{at}: matches no alternative"));
        }
    }
    if let Some(c) = s.get("const") {
        if v != c {
            errs.push(format!("{at}: {v} is not {c}"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errs.push(format!("{at}: {v} not in enum"));
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(x) => vec![x.as_str()],
            Value::Array(xs) => xs.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_i64() || v.is_u64(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{at}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(o) = v.as_object() {
        for r in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !o.contains_key(r.as_str().unwrap()) {
                errs.push(format!("{at}: missing {r}"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, x) in o {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(x, ps, root, &format!("{at}.{k}"), errs),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => errs.push(format!("{at}: unexpected {k}")),
                    Some(ap @ Value::Object(_)) => validate(x, ap, root, &format!("{at}.{k}"), errs),
                    _ => {}
                },
            }
        }
    }
    if let (Some(a), Some(items)) = (v.as_array(), s.get("items")) {
        for (i, x) in a.iter().enumerate() {
            validate(x, items, root, &format!("{at}[{i}]"), errs);
        }
    }
}

fn errors(record: &Value) -> Vec<String> {
    let schema = declx::schema();
    let mut errs = Vec::new();
    validate(record, &schema, &schema, "$", &mut errs);
    errs
}

#[test]
fn records_validate() {
    for p in [
        "seeds/000_be24f91d7f1b64fe.txt",
        "fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls",
    ] {
        let out = declx::extract_file(std::path::Path::new(p), &declx::Limits::default()).unwrap();
        for r in &out.records {
            let v = serde_json::to_value(r).unwrap();
            assert_eq!(errors(&v), Vec::<String>::new(), "{p}");
        }
    }
}

#[test]
fn the_validator_rejects_a_broken_record() {
    let out = declx::extract_file(
        std::path::Path::new("seeds/000_be24f91d7f1b64fe.txt"),
        &Default::default(),
    )
    .unwrap();
    let mut v = serde_json::to_value(&out.records[0]).unwrap();
    v["form"] = Value::from("budget");
    v["indicators"][0]["children"][0]["children"][0]["values"]["annual"]["kind"] = Value::from("numeric");
    v.as_object_mut().unwrap().remove("title");
    let errs = errors(&v);
    assert_eq!(errs.len(), 3, "{errs:?}");
}

#[test]
fn the_spec_copy_in_docs_matches_the_shared_spec_when_it_is_beside() {
    let shared = std::path::Path::new("../shared/SPEC.md");
    let copy = std::fs::read_to_string("docs/SPEC.md").expect("docs/SPEC.md ships with the repository");
    assert!(copy.contains("## 3. The record"));
    if let Ok(original) = std::fs::read_to_string(shared) {
        assert_eq!(copy, original, "docs/SPEC.md is stale: copy ../shared/SPEC.md over it");
    }
}
