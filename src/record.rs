//! The output record (SPEC §3) and its exact serialisation: amounts and
//! target numbers are written with the source's digits, never via f64.

use crate::vocab::FormKind;
use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::str::FromStr;

pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Schema of a record (`declx schema`).
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Record)).expect("schema serialises")
}

/// A decimal written as a JSON number with exactly its own digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number(pub Decimal);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = serde_json::Number::from_str(&self.0.to_string()).map_err(serde::ser::Error::custom)?;
        n.serialize(s)
    }
}

/// Label → text, in the order met on the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelMap(pub Vec<(String, String)>);

impl LabelMap {
    /// Adds a field; a label seen again gets a numbered key (`联系人#2`).
    pub fn insert(&mut self, label: String, value: String) {
        let mut key = label.clone();
        let mut n = 1;
        while self.0.iter().any(|(k, _)| *k == key) {
            n += 1;
            key = format!("{label}#{n}");
        }
        self.0.push((key, value));
    }

    pub fn get(&self, label: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == label).map(|(_, v)| v.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for LabelMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Record {
    pub schema_version: u32,
    pub form: FormKind,
    pub title: String,
    pub year: Option<i32>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub project: Option<LabelMap>,
    pub info: LabelMap,
    pub budget: Budget,
    pub overall_goal: Option<OverallGoal>,
    pub key_tasks: Vec<KeyTask>,
    pub other_tasks: Option<String>,
    pub indicator_columns: Vec<IndicatorColumn>,
    pub indicators: Vec<IndicatorNode>,
    pub checks: Vec<Check>,
    pub warnings: Vec<Warning>,
    pub unmapped: Vec<Unmapped>,
    pub source: Source,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Budget {
    pub unit: Option<String>,
    pub blocks: Vec<BudgetBlock>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BudgetBlock {
    pub heading: String,
    pub items: Vec<BudgetItem>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BudgetItem {
    pub label: String,
    pub amount: Option<Number>,
    pub cell: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OverallGoal {
    Text(String),
    Split {
        annual: Option<String>,
        period: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct KeyTask {
    pub name: Option<String>,
    pub content: Option<String>,
    pub funds: Option<Number>,
    pub expected_goal: Option<String>,
    pub cell: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct IndicatorColumn {
    pub key: String,
    pub header: String,
}

/// A node of the 一级 → 二级 → 三级 tree. Categories have `children`;
/// 三级 indicators have `cell` and `values`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IndicatorNode {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<IndicatorNode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Values>,
}

impl IndicatorNode {
    pub fn category(name: String, weight: Option<Decimal>) -> Self {
        IndicatorNode {
            name,
            weight: weight.map(Number),
            cell: None,
            children: Some(Vec::new()),
            values: None,
        }
    }

    pub fn children_mut(&mut self) -> &mut Vec<IndicatorNode> {
        self.children.get_or_insert_with(Vec::new)
    }

    /// Every 三级 indicator below this node.
    pub fn leaves(&self) -> Vec<&IndicatorNode> {
        match &self.children {
            None => vec![self],
            Some(c) => c.iter().flat_map(|n| n.leaves()).collect(),
        }
    }
}

/// Column key → value object, in column order.
#[derive(Debug, Clone, Default)]
pub struct Values(pub Vec<(String, Target)>);

impl Values {
    pub fn get(&self, key: &str) -> Option<&Target> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, t)| t)
    }
}

impl Serialize for Values {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Quantitative,
    Qualitative,
    Empty,
}

/// A parsed target value (SPEC §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub raw: String,
    pub kind: TargetKind,
    pub metric: Option<String>,
    pub op: Option<&'static str>,
    pub value: Option<Decimal>,
    pub unit: Option<String>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub grade: Option<&'static str>,
    /// Set only when the cell holds more than one target.
    pub terms: Vec<Term>,
}

impl Target {
    pub fn text(raw: &str, kind: TargetKind) -> Self {
        Target {
            raw: raw.to_string(),
            kind,
            metric: None,
            op: None,
            value: None,
            unit: None,
            min: None,
            max: None,
            grade: None,
            terms: Vec::new(),
        }
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Target", 10)?;
        st.serialize_field("raw", &self.raw)?;
        st.serialize_field("kind", &self.kind)?;
        match self.kind {
            TargetKind::Quantitative => {
                st.serialize_field("metric", &self.metric)?;
                st.serialize_field("op", &self.op)?;
                st.serialize_field("value", &self.value.map(Number))?;
                st.serialize_field("unit", &self.unit)?;
                if self.op == Some("range") {
                    st.serialize_field("min", &self.min.map(Number))?;
                    st.serialize_field("max", &self.max.map(Number))?;
                }
                if self.terms.len() > 1 {
                    st.serialize_field("terms", &self.terms)?;
                }
            }
            TargetKind::Qualitative | TargetKind::Empty => {
                if let Some(g) = self.grade {
                    st.serialize_field("grade", g)?;
                }
                if let Some(op) = self.op {
                    st.serialize_field("op", op)?;
                }
                if let Some(u) = &self.unit {
                    st.serialize_field("unit", u)?;
                }
            }
        }
        st.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub metric: Option<String>,
    pub op: &'static str,
    pub value: Decimal,
    pub unit: Option<String>,
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Term", 4)?;
        st.serialize_field("metric", &self.metric)?;
        st.serialize_field("op", self.op)?;
        st.serialize_field("value", &Number(self.value))?;
        st.serialize_field("unit", &self.unit)?;
        st.end()
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Check {
    pub code: &'static str,
    pub ok: bool,
    pub detail: String,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Warning {
    pub code: &'static str,
    pub cell: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Unmapped {
    pub cell: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Source {
    pub path: String,
    pub format: &'static str,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub range: String,
    pub sha256: String,
}

// Hand-written schemas for the types serialised by hand above.

impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "number", "description": "a decimal written with the source's own digits"})
    }
}

impl JsonSchema for LabelMap {
    fn schema_name() -> Cow<'static, str> {
        "LabelMap".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "object", "additionalProperties": {"type": "string"}})
    }
}

impl JsonSchema for Values {
    fn schema_name() -> Cow<'static, str> {
        "Values".into()
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let target = g.subschema_for::<Target>();
        json_schema!({"type": "object", "additionalProperties": target})
    }
}

impl JsonSchema for Term {
    fn schema_name() -> Cow<'static, str> {
        "Term".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "required": ["metric", "op", "value", "unit"],
            "properties": {
                "metric": {"type": ["string", "null"]},
                "op": {"enum": ["=", ">=", "<=", ">", "<"]},
                "value": {"type": "number"},
                "unit": {"type": ["string", "null"]}
            },
            "additionalProperties": false
        })
    }
}

impl JsonSchema for Target {
    fn schema_name() -> Cow<'static, str> {
        "Target".into()
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let term = g.subschema_for::<Term>();
        json_schema!({
            "type": "object",
            "required": ["raw", "kind"],
            "properties": {
                "raw": {"type": "string"},
                "kind": {"enum": ["quantitative", "qualitative", "empty"]},
                "metric": {"type": ["string", "null"]},
                "op": {"enum": ["=", ">=", "<=", ">", "<", "range", null]},
                "value": {"type": ["number", "null"]},
                "unit": {"type": ["string", "null"]},
                "min": {"type": "number"},
                "max": {"type": "number"},
                "grade": {"enum": ["优秀", "良好", "合格", "达标", "及格"]},
                "terms": {"type": "array", "items": term}
            },
            "additionalProperties": false
        })
    }
}
