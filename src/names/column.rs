//! The stable key of an indicator value column (SPEC §3.1), whatever the
//! template calls the column; any other column is keyed by its header text.

use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnKey {
    Period,
    Annual,
    Actual,
    Weight,
    Score,
    DeviationNote,
    Nature,
    Direction,
    ValueType,
    MeasureUnit,
    Standard,
    Explanation,
    ExecutedToDate,
    ExpectedFullYear,
    /// A column no key names: its header text (or a numbered key such as
    /// `annual_2` where a table repeats one).
    Other(Box<str>),
}

impl ColumnKey {
    pub fn as_str(&self) -> &str {
        match self {
            ColumnKey::Period => "period",
            ColumnKey::Annual => "annual",
            ColumnKey::Actual => "actual",
            ColumnKey::Weight => "weight",
            ColumnKey::Score => "score",
            ColumnKey::DeviationNote => "deviation_note",
            ColumnKey::Nature => "nature",
            ColumnKey::Direction => "direction",
            ColumnKey::ValueType => "value_type",
            ColumnKey::MeasureUnit => "measure_unit",
            ColumnKey::Standard => "standard",
            ColumnKey::Explanation => "explanation",
            ColumnKey::ExecutedToDate => "executed_to_date",
            ColumnKey::ExpectedFullYear => "expected_full_year",
            ColumnKey::Other(s) => s,
        }
    }

    /// The key a SPEC §3.1 name stands for (`annual` → `Annual`); None for
    /// any other name. The inverse of `as_str` for the named keys.
    pub fn named(name: &str) -> Option<ColumnKey> {
        Some(match name {
            "period" => ColumnKey::Period,
            "annual" => ColumnKey::Annual,
            "actual" => ColumnKey::Actual,
            "weight" => ColumnKey::Weight,
            "score" => ColumnKey::Score,
            "deviation_note" => ColumnKey::DeviationNote,
            "nature" => ColumnKey::Nature,
            "direction" => ColumnKey::Direction,
            "value_type" => ColumnKey::ValueType,
            "measure_unit" => ColumnKey::MeasureUnit,
            "standard" => ColumnKey::Standard,
            "explanation" => ColumnKey::Explanation,
            "executed_to_date" => ColumnKey::ExecutedToDate,
            "expected_full_year" => ColumnKey::ExpectedFullYear,
            _ => return None,
        })
    }

    /// Columns whose cells are targets or numbers (parsed), not free text.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            ColumnKey::Period
                | ColumnKey::Annual
                | ColumnKey::Actual
                | ColumnKey::Weight
                | ColumnKey::Score
                | ColumnKey::ExecutedToDate
                | ColumnKey::ExpectedFullYear
        )
    }

    /// The declared targets (`period`, `annual`): what 指标性质 and the
    /// target checks apply to.
    pub fn is_target(&self) -> bool {
        matches!(self, ColumnKey::Period | ColumnKey::Annual)
    }
}

impl fmt::Display for ColumnKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ColumnKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

super::string_schema!(ColumnKey);
