//! The comparator of a target: `=`, `>=`, `<=`, `>`, `<`, or a range.

use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Ge,
    Le,
    Gt,
    Lt,
    /// `90%-95%`: the target has `min` and `max`.
    Range,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Lt => "<",
            Op::Range => "range",
        }
    }

    /// A lower bound (`>=` or `>`).
    pub fn is_lower_bound(self) -> bool {
        matches!(self, Op::Ge | Op::Gt)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Op {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
