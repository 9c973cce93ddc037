//! Values: target cells (SPEC §3.2) and money amounts, parsed exactly with
//! rust_decimal, and the closed sets they are keyed and compared by: the
//! comparator `Op` and the indicator `ColumnKey` (defined in `names`). Knows
//! nothing of where a value sits on a form.

mod amount;
mod number;
mod target;
mod unit;

pub use crate::names::{ColumnKey, Op};
pub use amount::{looks_numeric, parse_amount, Amount};
pub use number::Number;
pub use target::{is_placeholder, parse_target, Target, TargetKind, Term};
