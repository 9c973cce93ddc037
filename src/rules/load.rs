//! Reading a rules file: TOML `[[rule]]` tables into compiled rules, each
//! naming the file and line it came from. A mistake is one error naming
//! `file:line`, what is wrong and what is allowed there. Knows the keys a
//! rule may have, not how a rule is evaluated.

use super::rule::{Builtin, Cmp, Column, Cond, Field, Pattern, Rhs, Rule, Severity, SumTerm, Target, TaskPart};
use crate::record::FormKind;
use crate::value::{ColumnKey, Op, TargetKind};
use crate::vocab::line_of;
use regex::Regex;
use rust_decimal::Decimal;
use std::ops::Range;
use std::str::FromStr;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A rules file that cannot be used: the file, the line and why (the same
/// shape as a vocabulary file's error, and read by the same bounded reader).
pub type RulesError = crate::vocab::VocabError;

/// One rule as a file gives it: a rule, or the id of one to drop.
#[derive(Debug)]
pub enum Entry {
    Rule(Box<Rule>),
    Disable(String),
}

const KEYS: &str = "id, point, severity, title, message, enabled, forms, target, builtin, field, heading, label, \
                    part, level, under, name, column, terms, numerator, denominator, rate, when, unless, fewer_than";
const TARGETS: &str = "field, budget_items, key_tasks, indicators, values, sum, rate (or builtin = \"…\")";
const CONDITIONS: &str = "empty, matches, kind, op, unit, has_unit, number, longer_than, leaves_fewer_than, \
                          duplicate, under, compare, deviates_from + by_more_than, empty_column, rate_mismatch";
const FIELDS: &str = "title, department, unit, year, overall_goal, overall_goal.annual, overall_goal.period, \
                      other_tasks, project.name, project.<label>, info.<label>, label.<label>";

/// Parses one rules file; `name` is what errors call it.
pub fn parse(name: &str, text: &str) -> Result<Vec<Entry>, RulesError> {
    let err = |span: Range<usize>, message: String| RulesError {
        file: name.to_string(),
        line: line_of(text, span.start),
        message,
    };
    let doc = crate::vocab::parse_toml(name, text)?;
    let mut out = Vec::new();
    for (key, value) in doc.get_ref() {
        let rules = match (key.get_ref().as_ref(), value.get_ref().as_array()) {
            ("rule", Some(rules)) => rules,
            (k, _) => {
                return Err(err(
                    key.span(),
                    format!("unknown key `{k}`; a rules file holds [[rule]] tables only"),
                ))
            }
        };
        for rule in rules.iter() {
            let Some(table) = rule.get_ref().as_table() else {
                return Err(err(rule.span(), "each rule is a [[rule]] table".into()));
            };
            let header = header_line(text, rule.span().start);
            let parsed = Parsed {
                table,
                err: &err,
                at: rule.span(),
            };
            out.push(parsed.entry(name, header, note_above(text, header))?);
        }
    }
    Ok(out)
}

struct Parsed<'a, 'e> {
    table: &'a DeTable<'a>,
    err: &'e dyn Fn(Range<usize>, String) -> RulesError,
    at: Range<usize>,
}

type Res<T> = Result<T, RulesError>;

const FORM_KINDS: [FormKind; 4] = [
    FormKind::Department,
    FormKind::Project,
    FormKind::SelfEvaluation,
    FormKind::Monitoring,
];

impl Parsed<'_, '_> {
    fn get(&self, key: &str) -> Option<&Spanned<DeValue<'_>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn str(&self, key: &str) -> Res<Option<(String, Range<usize>)>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref().as_str() {
                Some(s) => Ok(Some((s.to_string(), v.span()))),
                None => Err((self.err)(v.span(), format!("`{key}` must be a string"))),
            },
        }
    }

    fn required(&self, key: &str, what: &str) -> Res<(String, Range<usize>)> {
        self.str(key)?
            .filter(|(s, _)| !s.trim().is_empty())
            .ok_or_else(|| (self.err)(self.at.clone(), format!("a rule needs `{key}` ({what})")))
    }

    /// A string or a list of strings.
    fn strings(&self, key: &str) -> Res<Option<(Vec<String>, Range<usize>)>> {
        let Some(v) = self.get(key) else { return Ok(None) };
        strings_of(v.get_ref())
            .map(|s| Some((s, v.span())))
            .ok_or_else(|| (self.err)(v.span(), format!("`{key}` must be a string or a list of strings")))
    }

    fn uint(&self, key: &str) -> Res<Option<usize>> {
        let Some(v) = self.get(key) else { return Ok(None) };
        uint_of(v.get_ref())
            .map(Some)
            .ok_or_else(|| (self.err)(v.span(), format!("`{key}` must be a whole number")))
    }

    fn entry(&self, file: &str, line: usize, note: String) -> Res<Entry> {
        for (k, _) in self.table.iter() {
            let k = k.get_ref().as_ref();
            if !KEYS.split(", ").any(|a| a == k) {
                return Err((self.err)(
                    self.key_span(k),
                    format!("unknown key `{k}` in a rule; allowed: {KEYS}"),
                ));
            }
        }
        let (id, id_span) = self.required("id", "a name such as goal_present")?;
        if !id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            return Err((self.err)(
                id_span,
                format!("id \"{id}\": letters, digits, _ - . only (it is a check's code)"),
            ));
        }
        if let Some(v) = self.get("enabled") {
            match v.get_ref() {
                DeValue::Boolean(false) => return Ok(Entry::Disable(id)),
                DeValue::Boolean(true) => {}
                _ => return Err((self.err)(v.span(), "`enabled` must be true or false".into())),
            }
        }
        let (point, _) = self.required("point", "完整性, 相关性, 适当性, 可行性, 可测性, 一致性 or your own")?;
        let severity = match self.str("severity")? {
            None => Severity::Warning,
            Some((s, span)) => Severity::NAMES
                .iter()
                .find(|(n, _)| *n == s)
                .map(|&(_, v)| v)
                .ok_or_else(|| {
                    (self.err)(
                        span,
                        format!("unknown severity \"{s}\"; allowed: error, warning, notice"),
                    )
                })?,
        };
        let (message, _) = self.required(
            "message",
            "the reviewer's words, with {department} {project} {indicator} {value} {cell}",
        )?;
        let forms = match self.strings("forms")? {
            None => Vec::new(),
            Some((names, span)) => names
                .iter()
                .map(|n| {
                    FORM_KINDS.iter().copied().find(|k| k.as_str() == n).ok_or_else(|| {
                        (self.err)(
                            span.clone(),
                            format!("unknown form \"{n}\"; allowed: department, project, self_evaluation, monitoring"),
                        )
                    })
                })
                .collect::<Res<Vec<_>>>()?,
        };
        let target = self.target()?;
        let is_indicator = matches!(target, Target::Indicators { .. } | Target::Values(_));
        let under = match self.strings("under")? {
            None => Vec::new(),
            Some((_, span)) if !is_indicator => {
                return Err((self.err)(
                    span,
                    "`under` is for target = \"indicators\" or \"values\"".into(),
                ))
            }
            Some((res, span)) => res.iter().map(|r| compile(r, &span, self.err)).collect::<Res<_>>()?,
        };
        let name = match self.str("name")? {
            None => None,
            Some((r, span)) => Some(compile(&r, &span, self.err)?),
        };
        let when = self.conditions("when")?;
        let unless = self.conditions("unless")?;
        let fewer_than = self.uint("fewer_than")?;
        if when.is_empty() && unless.is_empty() && fewer_than.is_none() && !matches!(target, Target::Builtin(_)) {
            return Err((self.err)(
                self.at.clone(),
                format!("rule {id} never fires: give `when`, `unless` or `fewer_than` (conditions: {CONDITIONS})"),
            ));
        }
        Ok(Entry::Rule(Box::new(Rule {
            id,
            point,
            severity,
            title: self.str("title")?.map(|(s, _)| s),
            message,
            source: format!("{file}:{line}"),
            note,
            forms,
            target,
            under,
            name,
            when,
            unless,
            fewer_than,
        })))
    }

    fn key_span(&self, key: &str) -> Range<usize> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map_or(self.at.clone(), |(k, _)| k.span())
    }

    fn target(&self) -> Res<Target> {
        if let Some((b, span)) = self.str("builtin")? {
            return Builtin::NAMES
                .iter()
                .find(|(n, _)| *n == b)
                .map(|&(_, v)| Target::Builtin(v))
                .ok_or_else(|| {
                    (self.err)(
                        span,
                        format!("unknown builtin \"{b}\"; allowed: budget_balance, key_task_funds, required_categories, percent_over_100, cost_direction"),
                    )
                });
        }
        let (t, span) = self.required("target", TARGETS)?;
        Ok(match t.as_str() {
            "field" => {
                let (f, span) = self.required("field", FIELDS)?;
                Target::Field(
                    field_of(&f)
                        .ok_or_else(|| (self.err)(span, format!("unknown field \"{f}\"; allowed: {FIELDS}")))?,
                )
            }
            "budget_items" => Target::BudgetItems {
                heading: self.regex("heading")?,
                label: self.regex("label")?,
            },
            "key_tasks" => {
                let part = match self.str("part")? {
                    None => TaskPart::Content,
                    Some((p, span)) => match p.as_str() {
                        "name" => TaskPart::Name,
                        "content" => TaskPart::Content,
                        "funds" => TaskPart::Funds,
                        "expected_goal" => TaskPart::ExpectedGoal,
                        _ => {
                            return Err((self.err)(
                                span,
                                format!("unknown part \"{p}\"; allowed: name, content, funds, expected_goal"),
                            ))
                        }
                    },
                };
                Target::KeyTasks(part)
            }
            "indicators" => {
                let level = self.uint("level")?.unwrap_or(3);
                if !(1..=3).contains(&level) {
                    return Err((self.err)(self.key_span("level"), "`level` is 1, 2 or 3".into()));
                }
                Target::Indicators { level: level as u8 }
            }
            "values" => {
                let (c, _) = self
                    .str("column")?
                    .unwrap_or_else(|| ("target".to_string(), self.at.clone()));
                Target::Values(if c == "target" {
                    Column::Target
                } else {
                    Column::Key(column_key(&c))
                })
            }
            "sum" => {
                let (terms, span) = self.strings("terms")?.ok_or_else(|| {
                    (self.err)(
                        self.at.clone(),
                        "target = \"sum\" needs `terms` (values.<column>, budget.<heading>)".into(),
                    )
                })?;
                Target::Sum(
                    terms
                        .iter()
                        .map(|t| {
                            if let Some(c) = t.strip_prefix("values.") {
                                Ok(SumTerm::Column(column_key(c)))
                            } else if let Some(h) = t.strip_prefix("budget.") {
                                Ok(SumTerm::Budget(h.to_string()))
                            } else {
                                Err((self.err)(
                                    span.clone(),
                                    format!("unknown term \"{t}\"; a term is values.<column> or budget.<heading>"),
                                ))
                            }
                        })
                        .collect::<Res<_>>()?,
                )
            }
            "rate" => Target::Rate {
                numerator: self
                    .required("numerator", "the heading of the executed amounts, e.g. 全年执行数")?
                    .0,
                denominator: self
                    .required("denominator", "the heading of the budget, e.g. 全年预算数")?
                    .0,
                rate: self.required("rate", "the heading of the rate, e.g. 执行率")?.0,
            },
            _ => return Err((self.err)(span, format!("unknown target \"{t}\"; allowed: {TARGETS}"))),
        })
    }

    fn regex(&self, key: &str) -> Res<Option<Pattern>> {
        match self.str(key)? {
            None => Ok(None),
            Some((r, span)) => compile(&r, &span, self.err).map(Some),
        }
    }

    fn conditions(&self, key: &str) -> Res<Vec<Cond>> {
        let Some(v) = self.get(key) else { return Ok(Vec::new()) };
        let Some(table) = v.get_ref().as_table() else {
            return Err((self.err)(
                v.span(),
                format!(
                    "`{key}` must be a table of conditions, e.g. {key} = {{ empty = true }}; conditions: {CONDITIONS}"
                ),
            ));
        };
        let mut out = Vec::new();
        let mut deviates: Option<(ColumnKey, Range<usize>)> = None;
        let mut by: Option<Decimal> = None;
        for (k, v) in table.iter() {
            let span = v.span();
            let bad = |what: &str| (self.err)(span.clone(), format!("`{}` {what}", k.get_ref()));
            let val = v.get_ref();
            let cond = match k.get_ref().as_ref() {
                "empty" => Cond::Empty(val.as_bool().ok_or_else(|| bad("must be true or false"))?),
                "has_unit" => Cond::HasUnit(val.as_bool().ok_or_else(|| bad("must be true or false"))?),
                "duplicate" => Cond::Duplicate(val.as_bool().ok_or_else(|| bad("must be true or false"))?),
                "rate_mismatch" => Cond::RateMismatch(val.as_bool().ok_or_else(|| bad("must be true or false"))?),
                "matches" => Cond::Matches(compile(
                    val.as_str().ok_or_else(|| bad("must be a regex"))?,
                    &span,
                    self.err,
                )?),
                "under" => Cond::Under(compile(
                    val.as_str().ok_or_else(|| bad("must be a regex"))?,
                    &span,
                    self.err,
                )?),
                "kind" => Cond::Kind(
                    strings_of(val)
                        .ok_or_else(|| bad("must be a kind or a list of kinds"))?
                        .iter()
                        .map(|s| match s.as_str() {
                            "quantitative" => Ok(TargetKind::Quantitative),
                            "qualitative" => Ok(TargetKind::Qualitative),
                            "empty" => Ok(TargetKind::Empty),
                            _ => Err(bad("allows quantitative, qualitative, empty")),
                        })
                        .collect::<Res<_>>()?,
                ),
                "op" => Cond::Op(
                    strings_of(val)
                        .ok_or_else(|| bad("must be a comparator or a list"))?
                        .iter()
                        .map(|s| op_of(s).ok_or_else(|| bad("allows =, >=, <=, >, <, range")))
                        .collect::<Res<_>>()?,
                ),
                "unit" => Cond::Unit(strings_of(val).ok_or_else(|| bad("must be a unit or a list of units"))?),
                "number" => {
                    let s = val
                        .as_str()
                        .ok_or_else(|| bad("must be a comparison such as \"> 100\" or \"> budget\""))?;
                    let (cmp, rhs) = comparison(s).ok_or_else(|| {
                        bad("must be a comparison: one of != >= <= = > < then a number or `budget`, e.g. \"> 100\"")
                    })?;
                    Cond::Number(cmp, rhs)
                }
                "longer_than" => Cond::LongerThan(uint_of(val).ok_or_else(|| bad("must be a whole number"))?),
                "leaves_fewer_than" => {
                    Cond::LeavesFewerThan(uint_of(val).ok_or_else(|| bad("must be a whole number"))?)
                }
                "compare" => {
                    let s = val.as_str().ok_or_else(|| bad("must be like \"score > weight\""))?;
                    compare_of(s).ok_or_else(|| bad("must be like \"score > weight\": column, comparator, column"))?
                }
                "empty_column" => {
                    Cond::EmptyColumn(column_key(val.as_str().ok_or_else(|| bad("must be a column key"))?))
                }
                "deviates_from" => {
                    deviates = Some((
                        column_key(val.as_str().ok_or_else(|| bad("must be a column key"))?),
                        span.clone(),
                    ));
                    continue;
                }
                "by_more_than" => {
                    by = Some(decimal_of(val).ok_or_else(|| bad("must be a number (percent)"))?);
                    continue;
                }
                other => {
                    return Err((self.err)(
                        k.span(),
                        format!("unknown condition `{other}` in `{key}`; conditions: {CONDITIONS}"),
                    ))
                }
            };
            out.push(cond);
        }
        match (deviates, by) {
            (Some((against, _)), Some(percent)) => out.push(Cond::Deviates { against, percent }),
            (Some((_, span)), None) => {
                return Err((self.err)(
                    span,
                    "`deviates_from` needs `by_more_than` (a percent)".into(),
                ))
            }
            (None, Some(_)) => {
                return Err((self.err)(
                    v.span(),
                    "`by_more_than` needs `deviates_from` (a column)".into(),
                ))
            }
            (None, None) => {}
        }
        Ok(out)
    }
}

fn strings_of(v: &DeValue) -> Option<Vec<String>> {
    match v {
        DeValue::String(s) => Some(vec![s.to_string()]),
        DeValue::Array(a) => a.iter().map(|x| x.get_ref().as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn uint_of(v: &DeValue) -> Option<usize> {
    match v {
        DeValue::Integer(i) => i.as_str().parse().ok(),
        _ => None,
    }
}

fn decimal_of(v: &DeValue) -> Option<Decimal> {
    match v {
        DeValue::Integer(i) => Decimal::from_str(i.as_str()).ok(),
        DeValue::Float(f) => Decimal::from_str(f.as_str()).ok(),
        _ => None,
    }
}

fn op_of(s: &str) -> Option<Op> {
    [Op::Eq, Op::Ge, Op::Le, Op::Gt, Op::Lt, Op::Range]
        .into_iter()
        .find(|o| o.as_str() == s.trim())
}

fn comparison(s: &str) -> Option<(Cmp, Rhs)> {
    let s = s.trim();
    let (cmp, rest) = Cmp::NAMES
        .iter()
        .find_map(|(n, c)| s.strip_prefix(n).map(|r| (*c, r.trim())))?;
    let rhs = if rest == "budget" {
        Rhs::Budget
    } else {
        Rhs::Number(Decimal::from_str(rest).ok()?)
    };
    Some((cmp, rhs))
}

fn compare_of(s: &str) -> Option<Cond> {
    let mut parts = s.split_whitespace();
    let (a, op, b) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let cmp = Cmp::NAMES.iter().find(|(n, _)| *n == op)?.1;
    Some(Cond::Compare(column_key(a), cmp, column_key(b)))
}

/// A column key by its name in SPEC §3.1; any other name is a header text.
pub fn column_key(name: &str) -> ColumnKey {
    ColumnKey::named(name).unwrap_or_else(|| ColumnKey::Other(name.into()))
}

fn field_of(f: &str) -> Option<Field> {
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Some(match f {
        "title" => Field::Title,
        "department" => Field::Department,
        "unit" => Field::Unit,
        "year" => Field::Year,
        "overall_goal" => Field::Goal,
        "overall_goal.annual" => Field::GoalAnnual,
        "overall_goal.period" => Field::GoalPeriod,
        "other_tasks" => Field::OtherTasks,
        "project.name" => Field::ProjectName,
        _ => {
            if let Some(l) = f.strip_prefix("project.") {
                Field::Project(nonempty(l)?)
            } else if let Some(l) = f.strip_prefix("info.") {
                Field::Info(nonempty(l)?)
            } else if let Some(l) = f.strip_prefix("label.") {
                Field::Label(nonempty(l)?)
            } else {
                return None;
            }
        }
    })
}

/// Compiles a pattern once. Reviewers' patterns come from Python and
/// JavaScript tools, which allow a backslash before any character (`\《`):
/// such a backslash before a non-ASCII character is dropped.
fn compile(pattern: &str, span: &Range<usize>, err: &dyn Fn(Range<usize>, String) -> RulesError) -> Res<Pattern> {
    let mut p = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(n) if !n.is_ascii() => continue,
                Some(&n) => {
                    p.push(c);
                    p.push(n);
                    chars.next();
                    continue;
                }
                None => {}
            }
        }
        p.push(c);
    }
    if !p.is_empty() && regex::escape(&p) == p {
        return Ok(Pattern::literal(&p));
    }
    Regex::new(&p).map(Pattern::Regex).map_err(|e| {
        let why = e.to_string();
        let last = why
            .lines()
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        err(
            span.clone(),
            format!("bad regex {pattern:?}: {last} (Rust regex syntax)"),
        )
    })
}

/// The line of the `[[rule]]` header at or above `byte`.
fn header_line(text: &str, byte: usize) -> usize {
    let line = line_of(text, byte);
    let lines: Vec<&str> = text.lines().collect();
    (1..=line.min(lines.len()))
        .rev()
        .find(|&l| lines[l - 1].trim_start().starts_with("[["))
        .unwrap_or(line)
}

/// The comment lines just above line `header`, without their `#`.
fn note_above(text: &str, header: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut note = Vec::new();
    let mut l = header.saturating_sub(1);
    while l >= 1 {
        let t = lines[l - 1].trim();
        match t.strip_prefix('#') {
            Some(c) => note.push(c.trim()),
            None => break,
        }
        l -= 1;
    }
    note.reverse();
    note.join("\n")
}
