//! declx: Chinese budget performance target declaration forms (绩效目标申报表)
//! into normalized JSON records.
//!
//! The pipeline is a straight line, one folder per stage:
//!
//! ```text
//! read (text | xlsx | xls | ods | html | docx) → Grid (cells + merged spans + provenance)
//!   → layout (split forms, re-align shifted rows)
//!   → form (kind; fields, goal, key tasks, budget, indicator tree, checks)
//!   → value (targets, amounts) → Record → output sinks (files, JSON Lines, flat, report)
//! ```
//!
//! The facade below is what a caller needs: [`extract_file`] for one file,
//! [`run`] for a batch, [`explain`] for where each cell went.
//!
//! ```
//! let outcome = declx::extract_file("seeds/000_be24f91d7f1b64fe.txt".as_ref(), &declx::Limits::default()).unwrap();
//! assert_eq!(outcome.records[0].form, declx::FormKind::Department);
//! ```

mod cell;
mod diag;
mod error;
mod form;
mod grid;
mod inspect;
mod layout;
mod names;
// Without the `cli` feature the sinks are unused until a binding calls them.
#[cfg_attr(not(feature = "cli"), allow(unused_imports, dead_code))]
mod output;
mod pathtext;
mod pipeline;
mod read;
mod record;
mod review;
mod rules;
mod run;
mod survey;
mod table;
mod value;
mod vocab;

pub use diag::{CheckCode, Warning, WarningCode};
pub use error::{Error, ErrorKind, Limit, Result};
pub use form::{explain, extract, Claims, Part};
pub use grid::{column_name, CellRef, Format, Grid, GridBuilder, Provenance, Row, Span};
pub use inspect::render as inspect;
pub use output::{flat_header, flat_rows, to_line, write_atomic, FindingsFormat, FlatFormat, FlatRow, RunReport};
pub use pathtext::{path_text, terminal_line, terminal_text};

/// The database tables of `--db`, `--tables` and `--xlsx`: schema, DDL and rows.
pub mod db {
    pub use crate::output::db::rows::{file_row, record_id, record_rows, RecordRows, Row, Val};
    pub use crate::output::db::schema::{ddl, Column, Dialect, Table, Ty, DB_SCHEMA_VERSION, META, TABLES};
    pub use crate::output::db::DbTarget;
}
pub use pipeline::{extract_bytes, extract_file, FileOutcome};
pub use read::budget::Budget;
pub use read::{read_bytes, read_file, Limits};
pub use record::{schema, FormKind, Record};
pub use review::{page as review_page, ReviewPage};
pub use rules::{findings, render_list as rules_list, Finding, Rule, RuleSet, RulesError, Severity};
pub use run::inputs::{collect as collect_inputs, Input, InputOptions, Shard, SkippedFile};
#[cfg(feature = "cli")]
pub use run::{run, survey, Options, RunError, RunOutcome, Stopped, SurveyOptions, SurveyOutcome};
pub use survey::{
    render_json as labels_json, render_text as labels_text, render_vocab as labels_vocab, survey_file, Label, Place,
    Suggestion, Survey, Unknown,
};
pub use value::{parse_amount, parse_target, Amount, ColumnKey, Op, Target, TargetKind};
pub use vocab::{VocabError, Vocabulary};

/// The record types, for callers that walk a record.
pub mod types {
    pub use crate::record::{
        Budget, BudgetBlock, BudgetItem, Check, IndicatorColumn, IndicatorNode, KeyTask, LabelMap, Number, OverallGoal,
        Source, Term, Unmapped, Values,
    };
}

/// The vocabulary's lookups, for tests and tools that ask what a label means.
pub mod labels {
    pub use crate::vocab::{
        column_key, field, fold, is_amount_header, is_level1, is_level2, level_header, section, task_field, Field,
        GoalPart, Section, TaskField,
    };
}
