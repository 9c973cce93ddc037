//! A decimal written as a JSON number with exactly its own digits.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::str::FromStr;

/// A decimal written as a JSON number with exactly its own digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number(pub Decimal);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = serde_json::Number::from_str(&self.0.to_string()).map_err(serde::ser::Error::custom)?;
        n.serialize(s)
    }
}
