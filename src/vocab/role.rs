//! The names a vocabulary file uses: its tables, word lists and roles, each
//! a closed enum with the text written in the file. Knows no label.

use super::{Field, GoalPart, Nature, Section, TaskField};
use crate::names::{ColumnKey, FormKind, Op};
use toml::de::DeValue;

/// A label table of a vocabulary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Titles,
    Fields,
    Sections,
    Columns,
    TaskColumns,
    Levels,
    Categories,
    GoalParts,
    Natures,
    Comparators,
    TrailingComparators,
    AmountUnits,
}

impl Table {
    pub const ALL: [Table; 12] = [
        Table::Titles,
        Table::Fields,
        Table::Sections,
        Table::Columns,
        Table::TaskColumns,
        Table::Levels,
        Table::Categories,
        Table::GoalParts,
        Table::Natures,
        Table::Comparators,
        Table::TrailingComparators,
        Table::AmountUnits,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Titles => "titles",
            Table::Fields => "fields",
            Table::Sections => "sections",
            Table::Columns => "columns",
            Table::TaskColumns => "task_columns",
            Table::Levels => "levels",
            Table::Categories => "categories",
            Table::GoalParts => "goal_parts",
            Table::Natures => "natures",
            Table::Comparators => "comparators",
            Table::TrailingComparators => "trailing_comparators",
            Table::AmountUnits => "amount_units",
        }
    }

    pub fn named(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn names() -> String {
        Table::ALL.map(Table::name).join(", ")
    }

    /// Whether `[rules]` may hold rules for this table.
    pub fn has_rules(self) -> bool {
        matches!(self, Table::Fields | Table::Sections | Table::GoalParts)
    }

    /// Labels are folded like cells; comparators and units are compared as written.
    pub fn folds_labels(self) -> bool {
        !matches!(
            self,
            Table::Comparators | Table::TrailingComparators | Table::AmountUnits
        )
    }

    /// The roles this table allows, as an error lists them.
    pub fn allowed(self) -> String {
        let mut s = self.roles();
        if self != Table::Levels && self != Table::Categories {
            s.push_str(", or \"none\" to drop a built-in label");
        } else {
            s.push_str(", or \"none\"");
        }
        s
    }

    /// The roles a rule of this table may give.
    pub fn roles(self) -> String {
        let roles: &[&str] = match self {
            Table::Titles => &["department", "project", "self_evaluation", "monitoring"],
            Table::Fields => &[
                "department",
                "parent_department",
                "central_department",
                "unit",
                "year",
                "project.name",
                "project",
                "project.<key>",
                "info",
            ],
            Table::Sections => &[
                "budget",
                "overall_goal",
                "key_tasks",
                "other_tasks",
                "indicators",
                "info",
            ],
            Table::Columns => &COLUMN_ROLES,
            Table::TaskColumns => &["name", "content", "funds", "goal"],
            Table::Levels => &["1", "2", "3"],
            Table::Categories => &["1", "2", "[1, 2]"],
            Table::GoalParts => &["period", "annual", "expected", "actual"],
            Table::Natures => &["ge", "le", "gt", "lt", "eq", "qualitative"],
            Table::Comparators | Table::TrailingComparators => &["ge", "le", "gt", "lt", "eq"],
            Table::AmountUnits => &["a unit such as \"万元\""],
        };
        roles.join(", ")
    }
}

const COLUMN_ROLES: [&str; 14] = [
    "period",
    "annual",
    "actual",
    "weight",
    "score",
    "deviation_note",
    "nature",
    "direction",
    "value_type",
    "measure_unit",
    "standard",
    "explanation",
    "executed_to_date",
    "expected_full_year",
];

fn op(name: &str) -> Option<Op> {
    Some(match name {
        "ge" => Op::Ge,
        "le" => Op::Le,
        "gt" => Op::Gt,
        "lt" => Op::Lt,
        "eq" => Op::Eq,
        _ => return None,
    })
}

/// What a label does, in the table it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Drops the label from the table.
    None,
    Kind(FormKind),
    Field(FieldRole),
    Section(Section),
    Column(ColumnKey),
    Task(TaskField),
    /// 0, 1, 2 for 一级, 二级, 三级.
    Level(usize),
    /// Whether a category name is written at level 1, at level 2.
    Category(bool, bool),
    Goal(GoalPart),
    Nature(Nature),
    Op(Op),
    Unit(String),
}

/// A field role before its project key is interned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRole {
    Plain(Field),
    ProjectKey(String),
}

impl Role {
    /// The role a value names in `table`, if it is one the table allows.
    pub fn parse(table: Table, v: &DeValue) -> Option<Role> {
        if v.as_str() == Some("none") {
            return Some(Role::None);
        }
        if let Some(n) = v.as_integer().and_then(|i| i.as_str().parse::<usize>().ok()) {
            return match table {
                Table::Levels if (1..=3).contains(&n) => Some(Role::Level(n - 1)),
                Table::Categories if n == 1 || n == 2 => Some(Role::Category(n == 1, n == 2)),
                _ => None,
            };
        }
        if let Some(list) = v.as_array() {
            let levels: Option<Vec<usize>> = list
                .iter()
                .map(|x| x.get_ref().as_integer().and_then(|i| i.as_str().parse().ok()))
                .collect();
            let levels = levels?;
            let ok = table == Table::Categories && !levels.is_empty() && levels.iter().all(|l| *l == 1 || *l == 2);
            return ok.then(|| Role::Category(levels.contains(&1), levels.contains(&2)));
        }
        let s = v.as_str()?;
        Some(match table {
            Table::Titles => Role::Kind(match s {
                "department" => FormKind::Department,
                "project" => FormKind::Project,
                "self_evaluation" => FormKind::SelfEvaluation,
                "monitoring" => FormKind::Monitoring,
                _ => return None,
            }),
            Table::Fields => Role::Field(match s {
                "department" => FieldRole::Plain(Field::Department),
                "parent_department" => FieldRole::Plain(Field::ParentDepartment),
                "central_department" => FieldRole::Plain(Field::CentralDepartment),
                "unit" => FieldRole::Plain(Field::Unit),
                "year" => FieldRole::Plain(Field::Year),
                "project.name" => FieldRole::Plain(Field::ProjectName),
                "project" => FieldRole::Plain(Field::Project),
                "info" => FieldRole::Plain(Field::Info),
                _ => match s.strip_prefix("project.") {
                    Some(key) if !key.trim().is_empty() => FieldRole::ProjectKey(key.trim().to_string()),
                    _ => return None,
                },
            }),
            Table::Sections => Role::Section(match s {
                "budget" => Section::Budget,
                "overall_goal" => Section::Goal,
                "key_tasks" => Section::KeyTasks,
                "other_tasks" => Section::OtherTasks,
                "indicators" => Section::Indicators,
                "info" => Section::BasicInfo,
                _ => return None,
            }),
            Table::Columns => Role::Column(ColumnKey::named(s)?),
            Table::TaskColumns => Role::Task(match s {
                "name" => TaskField::Name,
                "content" => TaskField::Content,
                "funds" => TaskField::Funds,
                "goal" => TaskField::Goal,
                _ => return None,
            }),
            Table::GoalParts => Role::Goal(match s {
                "period" => GoalPart::Period,
                "annual" => GoalPart::Annual,
                "expected" => GoalPart::Expected,
                "actual" => GoalPart::Actual,
                _ => return None,
            }),
            Table::Natures => Role::Nature(match s {
                "qualitative" => Nature::Qualitative,
                other => Nature::Op(op(other)?),
            }),
            Table::Comparators | Table::TrailingComparators => Role::Op(op(s)?),
            Table::AmountUnits if !s.trim().is_empty() => Role::Unit(s.to_string()),
            Table::AmountUnits | Table::Levels | Table::Categories => return None,
        })
    }
}

/// A word list of `[words]`: a user file adds to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordList {
    TitleMarks,
    FormWords,
    CitationMarks,
    FieldPrefixes,
    Totals,
    BudgetColumns,
    AmountHeaders,
    AmountWords,
    PlainValueHeaders,
    ActualWords,
    TargetWords,
    PeriodWords,
    AnnualWords,
    BlockPeriodWords,
    BlockAnnualWords,
    CategoryHeaderHints,
    TickGroups,
    TickMarks,
    Footers,
    Prompts,
    ShareWords,
    LabelColumnWords,
    StampWords,
    Placeholders,
    Grades,
    MoneyUnits,
    UnitSuffixes,
    Units,
    OrganisationEnds,
    OrganisationLabels,
    HeaderAmountWords,
    HeaderAmountStops,
    FooterEnds,
}

impl WordList {
    pub const ALL: [WordList; 33] = [
        WordList::TitleMarks,
        WordList::FormWords,
        WordList::CitationMarks,
        WordList::FieldPrefixes,
        WordList::Totals,
        WordList::BudgetColumns,
        WordList::AmountHeaders,
        WordList::AmountWords,
        WordList::PlainValueHeaders,
        WordList::ActualWords,
        WordList::TargetWords,
        WordList::PeriodWords,
        WordList::AnnualWords,
        WordList::BlockPeriodWords,
        WordList::BlockAnnualWords,
        WordList::CategoryHeaderHints,
        WordList::TickGroups,
        WordList::TickMarks,
        WordList::Footers,
        WordList::Prompts,
        WordList::ShareWords,
        WordList::LabelColumnWords,
        WordList::StampWords,
        WordList::Placeholders,
        WordList::Grades,
        WordList::MoneyUnits,
        WordList::UnitSuffixes,
        WordList::Units,
        WordList::OrganisationEnds,
        WordList::OrganisationLabels,
        WordList::HeaderAmountWords,
        WordList::HeaderAmountStops,
        WordList::FooterEnds,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WordList::TitleMarks => "title_marks",
            WordList::FormWords => "form_words",
            WordList::CitationMarks => "citation_marks",
            WordList::FieldPrefixes => "field_prefixes",
            WordList::Totals => "totals",
            WordList::BudgetColumns => "budget_columns",
            WordList::AmountHeaders => "amount_headers",
            WordList::AmountWords => "amount_words",
            WordList::PlainValueHeaders => "plain_value_headers",
            WordList::ActualWords => "actual_words",
            WordList::TargetWords => "target_words",
            WordList::PeriodWords => "period_words",
            WordList::AnnualWords => "annual_words",
            WordList::BlockPeriodWords => "block_period_words",
            WordList::BlockAnnualWords => "block_annual_words",
            WordList::CategoryHeaderHints => "category_header_hints",
            WordList::TickGroups => "tick_groups",
            WordList::TickMarks => "tick_marks",
            WordList::Footers => "footers",
            WordList::Prompts => "prompts",
            WordList::ShareWords => "share_words",
            WordList::LabelColumnWords => "label_column_words",
            WordList::StampWords => "stamp_words",
            WordList::Placeholders => "placeholders",
            WordList::Grades => "grades",
            WordList::MoneyUnits => "money_units",
            WordList::UnitSuffixes => "unit_suffixes",
            WordList::Units => "units",
            WordList::OrganisationEnds => "organisation_ends",
            WordList::OrganisationLabels => "organisation_labels",
            WordList::HeaderAmountWords => "header_amount_words",
            WordList::HeaderAmountStops => "header_amount_stops",
            WordList::FooterEnds => "footer_ends",
        }
    }

    pub fn named(name: &str) -> Option<WordList> {
        WordList::ALL.into_iter().find(|l| l.name() == name)
    }

    pub fn names() -> String {
        WordList::ALL.map(WordList::name).join(", ")
    }

    /// Whole labels are folded like cells; prefixes, marks, units and
    /// placeholders are compared as written (注： must keep its colon).
    pub fn folds(self) -> bool {
        matches!(
            self,
            WordList::Totals
                | WordList::BudgetColumns
                | WordList::AmountHeaders
                | WordList::PlainValueHeaders
                | WordList::TickGroups
                | WordList::FieldPrefixes
        )
    }
}

/// The name a vocabulary file gives a field role.
pub fn field_name(f: Field) -> String {
    match f {
        Field::Department => "department".into(),
        Field::ParentDepartment => "parent_department".into(),
        Field::CentralDepartment => "central_department".into(),
        Field::Unit => "unit".into(),
        Field::Year => "year".into(),
        Field::ProjectName => "project.name".into(),
        Field::Project => "project".into(),
        Field::ProjectKey(k) => format!("project.{k}"),
        Field::Info => "info".into(),
    }
}

pub fn task_name(t: TaskField) -> &'static str {
    match t {
        TaskField::Name => "name",
        TaskField::Content => "content",
        TaskField::Funds => "funds",
        TaskField::Goal => "goal",
    }
}

pub fn goal_part_name(g: GoalPart) -> &'static str {
    match g {
        GoalPart::Period => "period",
        GoalPart::Annual => "annual",
        GoalPart::Expected => "expected",
        GoalPart::Actual => "actual",
    }
}
