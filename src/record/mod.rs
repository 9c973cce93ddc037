//! The output record (SPEC §3): what one form becomes. Amounts and target
//! numbers are written with the source's digits, never via f64. Knows
//! nothing of how a form is read.

mod maps;
mod schema;

pub use crate::names::FormKind;
pub use maps::{LabelMap, Values};
pub use schema::schema;

pub use crate::diag::Warning;
pub use crate::grid::Format;
pub use crate::value::{ColumnKey, Number, Target, Term};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Record {
    pub schema_version: u32,
    pub form: FormKind,
    // The title line as written; `null` for a form with none (a bare table).
    #[schemars(required, schema_with = "schema::nullable_string")]
    pub title: Option<String>,
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
    // None for the amounts of a form's header part (项目总金额（万元）): a plain
    // comment, since a doc comment would change the record's JSON Schema.
    pub heading: Option<String>,
    pub items: Vec<BudgetItem>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BudgetItem {
    pub label: String,
    pub amount: Option<Number>,
    pub cell: String,
    /// A cost table's text columns (测算依据 …), keyed by header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<LabelMap>,
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
    pub key: ColumnKey,
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

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Check {
    // The rule's id: one of the five consistency checks, or any review rule.
    pub code: String,
    pub ok: bool,
    pub detail: String,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Unmapped {
    pub cell: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Source {
    pub path: String,
    pub format: Format,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub range: String,
    pub sha256: String,
}
