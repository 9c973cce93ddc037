//! Values: target cells (SPEC §3.2) and money amounts, parsed exactly with
//! rust_decimal, and the closed sets they are keyed and compared by: the
//! comparator `Op` and the indicator `ColumnKey`. Knows nothing of where a
//! value sits on a form.

mod amount;
mod column;
mod number;
mod op;
mod target;

pub use amount::{looks_numeric, parse_amount, Amount};
pub use column::ColumnKey;
pub use number::Number;
pub use op::Op;
pub use target::{is_placeholder, parse_target, Target, TargetKind, Term};

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
