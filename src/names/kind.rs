//! The four kinds of declaration form (SPEC §2).

use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Department,
    Project,
    SelfEvaluation,
    Monitoring,
}

impl FormKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FormKind::Department => "department",
            FormKind::Project => "project",
            FormKind::SelfEvaluation => "self_evaluation",
            FormKind::Monitoring => "monitoring",
        }
    }
}

impl std::fmt::Display for FormKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
