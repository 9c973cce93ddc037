//! One review rule, compiled: what it looks at (its target and selectors),
//! when it fires (conditions), and what it says (point, severity, message).
//! Regular expressions are compiled here once, when the file is loaded.
//! Knows nothing of TOML (that is `load`) or of how a record is walked
//! (that is `eval`).

use crate::record::FormKind;
use crate::value::{ColumnKey, Op, TargetKind};
use regex::Regex;
use rust_decimal::Decimal;
use std::fmt;

/// A compiled pattern: a plain word (most rules name a category such as
/// 产出 or 满意) is found with a substring searcher built once, anything
/// else is a regex.
#[derive(Debug, Clone)]
pub enum Pattern {
    Literal(Box<memchr::memmem::Finder<'static>>),
    Regex(Regex),
}

impl Pattern {
    pub fn literal(word: &str) -> Self {
        Pattern::Literal(Box::new(memchr::memmem::Finder::new(word.as_bytes()).into_owned()))
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Literal(f) => f.find(text.as_bytes()).is_some(),
            Pattern::Regex(r) => r.is_match(text),
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    pub const NAMES: [(&'static str, Severity); 3] = [
        ("error", Severity::Error),
        ("warning", Severity::Warning),
        ("notice", Severity::Notice),
    ];

    pub fn as_str(self) -> &'static str {
        Severity::NAMES
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("warning", |(n, _)| n)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record field a rule reads as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Title,
    Department,
    Unit,
    Year,
    /// The goal: the text, or the annual part of a split goal.
    Goal,
    GoalAnnual,
    GoalPeriod,
    OtherTasks,
    ProjectName,
    /// `project.<label>`: that field of `project`.
    Project(String),
    /// `info.<label>`: that field of `info`.
    Info(String),
    /// `label.<label>`: the field so labelled wherever the form put it:
    /// `project`, `info`, or a budget item's note (测算依据 columns).
    Label(String),
}

/// The seven key-task parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskPart {
    Name,
    Content,
    Funds,
    ExpectedGoal,
}

/// Which value column of a 三级 indicator a rule reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// The declared target: `annual` when filled, else `period`.
    Target,
    Key(ColumnKey),
}

/// What a rule looks at: each target gives the subjects its conditions
/// are tested on.
#[derive(Debug, Clone)]
pub enum Target {
    /// A builtin check written in code (the five of SPEC §3.3), which
    /// reports `ok: true` as well.
    Builtin(Builtin),
    Field(Field),
    /// Budget items, by block heading and item label.
    BudgetItems {
        heading: Option<Pattern>,
        label: Option<Pattern>,
    },
    KeyTasks(TaskPart),
    /// Indicator nodes at a level (1, 2 or 3).
    Indicators {
        level: u8,
    },
    /// The values of a column of every 三级 indicator.
    Values(Column),
    /// One number: the sum of the terms.
    Sum(Vec<SumTerm>),
    /// Each budget row with a rate: rate = numerator / denominator × 100.
    Rate {
        numerator: String,
        denominator: String,
        rate: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    BudgetBalance,
    KeyTaskFunds,
    RequiredCategories,
    PercentOver100,
    CostDirection,
}

impl Builtin {
    pub const NAMES: [(&'static str, Builtin); 5] = [
        ("budget_balance", Builtin::BudgetBalance),
        ("key_task_funds", Builtin::KeyTaskFunds),
        ("required_categories", Builtin::RequiredCategories),
        ("percent_over_100", Builtin::PercentOver100),
        ("cost_direction", Builtin::CostDirection),
    ];
}

/// A term of a sum: a column's numbers over every 三级, or a budget block's amounts.
#[derive(Debug, Clone)]
pub enum SumTerm {
    Column(ColumnKey),
    Budget(String),
}

/// A comparison `op` against a number or the record's budget total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Cmp {
    pub const NAMES: [(&'static str, Cmp); 6] = [
        ("!=", Cmp::Ne),
        (">=", Cmp::Ge),
        ("<=", Cmp::Le),
        ("=", Cmp::Eq),
        (">", Cmp::Gt),
        ("<", Cmp::Lt),
    ];

    pub fn holds(self, a: Decimal, b: Decimal) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Ge => a >= b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Lt => a < b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rhs {
    Number(Decimal),
    /// The record's budget total (资金总额, else the first block's sum).
    Budget,
}

/// One condition. In `when` every condition must hold for the rule to
/// fire; in `unless`, the rule does not fire when every one holds.
#[derive(Debug, Clone)]
pub enum Cond {
    Empty(bool),
    Matches(Pattern),
    Kind(Vec<TargetKind>),
    Op(Vec<Op>),
    Unit(Vec<String>),
    HasUnit(bool),
    Number(Cmp, Rhs),
    LongerThan(usize),
    LeavesFewerThan(usize),
    Duplicate(bool),
    /// Any ancestor category's name matches.
    Under(Pattern),
    /// Two columns of the same 三级 compared: `score > weight`.
    Compare(ColumnKey, Cmp, ColumnKey),
    /// The subject's number is more than `percent`% away from the column's.
    Deviates {
        against: ColumnKey,
        percent: Decimal,
    },
    /// The 三级's column is empty (and the form has that column).
    EmptyColumn(ColumnKey),
    /// The shown rate differs from numerator / denominator × 100 by more
    /// than the rounding of its shown digits.
    RateMismatch(bool),
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub point: String,
    pub severity: Severity,
    /// The reviewer's short name of the problem (审核细项), if given.
    pub title: Option<String>,
    pub message: String,
    /// Where it was defined: `file:line`.
    pub source: String,
    /// The comment lines just above the rule in its file (its source in
    /// the guidance, for the built-in rules).
    pub note: String,
    pub forms: Vec<FormKind>,
    pub target: Target,
    /// Indicator targets: each regex matched against the ancestors (one: any
    /// ancestor; two or more: 一级, 二级 … in order).
    pub under: Vec<Pattern>,
    /// Indicator targets: the node's own name.
    pub name: Option<Pattern>,
    pub when: Vec<Cond>,
    pub unless: Vec<Cond>,
    /// Fires once per record when fewer subjects than this are selected.
    pub fewer_than: Option<usize>,
}
