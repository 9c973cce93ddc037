//! The JSON Schema of a record (`declx schema`), with the hand-written parts
//! for the types serialised by hand.

use super::{LabelMap, Number, Record, Values};
use crate::value::{Target, Term};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

/// The JSON Schema of a record (`declx schema`).
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Record)).expect("schema serialises")
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
                "grade": {"enum": crate::vocab::grades()},
                "terms": {"type": "array", "items": term}
            },
            "additionalProperties": false
        })
    }
}

/// `string` or `null`, for an always-present field that may be null.
pub(super) fn nullable_string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": ["string", "null"]})
}
