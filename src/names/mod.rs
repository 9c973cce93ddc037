//! Names: the closed sets the output contract is written in — a form's
//! kind, an indicator value column's key, a target's comparator — with
//! their JSON spellings, and the schema of a code written as its text. The
//! bottom layer: knows no label, cell or record.

mod column;
mod kind;
mod op;

pub use column::ColumnKey;
pub use kind::FormKind;
pub use op::Op;

/// A JSON Schema of `{"type": "string"}` for a closed code serialised as its
/// text, so that the record's schema names no Rust type.
macro_rules! string_schema {
    ($t:ty) => {
        impl schemars::JsonSchema for $t {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                <String as schemars::JsonSchema>::schema_name()
            }

            fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <String as schemars::JsonSchema>::json_schema(g)
            }
        }
    };
}
pub(crate) use string_schema;
