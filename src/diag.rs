//! Diagnostics: the closed sets of warning and check codes, and the one
//! warning type that readers and the form stage both emit. Knows nothing of
//! how a warning is found.

use crate::cell::CellRef;
use schemars::JsonSchema;
use serde::{Serialize, Serializer};
use std::fmt;

/// Declares a closed code enum with its text, `Display` and `Serialize`.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        crate::names::string_schema!($name);
    };
}

codes! {
    /// What a warning is about.
    WarningCode {
        /// A text export dropped a row's empty leading cells; the row was moved back.
        RowRealigned => "row_realigned",
        /// An amount cell holds text that is not a number.
        AmountNotNumeric => "amount_not_numeric",
        /// An amount is written in another unit than its header's.
        AmountUnitMismatch => "amount_unit_mismatch",
        /// 指标性质 and the value cell disagree on the comparator.
        NatureConflict => "nature_conflict",
        /// A form with no title line: its kind is judged from its labels.
        NoTitle => "no_title",
        /// An indicator table without a 一级/二级/三级 header row.
        NoIndicatorHeader => "no_indicator_header",
        /// A 二级指标 below no 一级指标.
        CategoryWithoutParent => "category_without_parent",
        /// A 三级指标 below no category.
        IndicatorWithoutCategory => "indicator_without_category",
        /// Readers: a cell longer than the limit was cut.
        CellTruncated => "cell_truncated",
        /// Readers: a boolean cell, kept as text.
        BooleanCell => "boolean_cell",
        /// Readers: an error value such as `#REF!`, kept as text.
        ErrorCell => "error_cell",
        /// Readers: lines of a text export in two encodings.
        MixedEncoding => "mixed_encoding",
        /// Readers: a quote that never closes; the text was split without quoting.
        UnbalancedQuote => "unbalanced_quote",
        /// Readers: rows past the row limit were dropped.
        RowsTruncated => "rows_truncated",
        /// Readers: an HTML rowspan / colspan or a Word merge reaching past the
        /// table (or past HTML's own maximum) was cut to the table.
        SpanClamped => "span_clamped",
        /// Readers: bytes invalid in the page's declared encoding were shown
        /// as U+FFFD, as a browser shows them.
        InvalidBytes => "invalid_bytes",
        /// A form whose kind has a department, in which none was found.
        MissingDepartment => "missing_department",
    }
}

codes! {
    /// The consistency checks of SPEC §3.3.
    CheckCode {
        BudgetBalance => "budget_balance",
        KeyTaskFunds => "key_task_funds",
        RequiredCategories => "required_categories",
        PercentOver100 => "percent_over_100",
        CostDirection => "cost_direction",
    }
}

// An oddity met while reading, with the cell it concerns (a plain comment:
// a doc comment would change the record's JSON Schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Warning {
    pub code: WarningCode,
    pub cell: Option<CellRef>,
    pub detail: String,
}

impl Warning {
    pub fn new(code: WarningCode, cell: Option<CellRef>, detail: String) -> Self {
        Warning { code, cell, detail }
    }
}

/// Warnings collected while reading one grid or form.
pub type Warnings = Vec<Warning>;

/// Adds a warning.
pub fn warn(w: &mut Warnings, code: WarningCode, at: Option<CellRef>, detail: String) {
    w.push(Warning::new(code, at, detail));
}
