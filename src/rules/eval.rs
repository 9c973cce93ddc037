//! Evaluating compiled rules on one record: each rule's target gives its
//! subjects (a field, budget items, key tasks, indicator nodes, values of a
//! column, a sum, budget rows with a rate), its conditions are tested on
//! each, and every subject it fires on is a failed check with the rule's
//! message filled in. Knows nothing of rule files or output formats.

use super::builtin;
use super::rule::{Column, Cond, Field, Pattern, Rhs, Rule, SumTerm, Target, TaskPart};
use crate::record::{Check, IndicatorNode, OverallGoal, Record};
use crate::value::{ColumnKey, Target as Value, TargetKind};
use crate::vocab::{FUNDS_TOTAL_LABELS, FUNDS_TOTAL_WORD};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// What a condition is tested on.
#[derive(Default)]
struct Subject<'r> {
    text: Option<Cow<'r, str>>,
    value: Option<&'r Value>,
    number: Option<Decimal>,
    node: Option<&'r Node<'r>>,
    cell: Option<&'r str>,
    /// Rate rows: (shown rate, expected rate, tolerance).
    rate: Option<(Decimal, Decimal, Decimal)>,
}

impl Subject<'_> {
    fn is_empty(&self) -> bool {
        if let Some(v) = self.value {
            return v.kind == TargetKind::Empty;
        }
        self.text.as_deref().is_none_or(|t| t.trim().is_empty())
    }
}

/// The categories above a node, 一级 first (at most three kept), with
/// their ids in the record's list of category names.
#[derive(Clone, Copy, Default)]
struct Ancestors<'r> {
    names: [&'r str; 3],
    ids: [u16; 3],
    len: usize,
}

impl<'r> Ancestors<'r> {
    fn as_slice(&self) -> &[&'r str] {
        &self.names[..self.len]
    }

    fn with(mut self, name: &'r str, id: u16) -> Self {
        if self.len < self.names.len() {
            self.names[self.len] = name;
            self.ids[self.len] = id;
            self.len += 1;
        }
        self
    }
}

/// An indicator node with its place in the tree.
struct Node<'r> {
    node: &'r IndicatorNode,
    /// 1 for a 一级 category, 2 for a 二级; 3 for every 三级 (a node
    /// without children), whatever its depth.
    level: u8,
    ancestors: Ancestors<'r>,
}

impl Node<'_> {
    fn path(&self) -> String {
        let mut p = self.ancestors.as_slice().join(" / ");
        if !p.is_empty() {
            p.push_str(" / ");
        }
        p.push_str(&self.node.name);
        p
    }

    fn leaves(&self) -> usize {
        self.node.leaves().iter().filter(|l| l.children.is_none()).count()
    }
}

/// What every rule on one record shares, computed once.
struct Ctx<'r> {
    record: &'r Record,
    nodes: Vec<Node<'r>>,
    /// The distinct category names of the tree: a rule's `under` patterns
    /// are matched once per name, not once per node.
    categories: Vec<&'r str>,
    empty: Value,
    budget_total: Option<Decimal>,
}

impl<'r> Ctx<'r> {
    fn new(record: &'r Record) -> Self {
        let mut nodes = Vec::new();
        let mut categories = Vec::new();
        fn walk<'r>(
            n: &'r IndicatorNode,
            depth: u8,
            anc: Ancestors<'r>,
            out: &mut Vec<Node<'r>>,
            cats: &mut Vec<&'r str>,
        ) {
            let level = if n.children.is_none() { 3 } else { depth.min(2) };
            out.push(Node {
                node: n,
                level,
                ancestors: anc,
            });
            if let Some(c) = &n.children {
                let id = match cats.iter().position(|x| *x == n.name.as_str()) {
                    Some(i) => i,
                    None => {
                        cats.push(&n.name);
                        cats.len() - 1
                    }
                };
                let below = anc.with(&n.name, id.min(u16::MAX as usize) as u16);
                for child in c {
                    walk(child, depth + 1, below, out, cats);
                }
            }
        }
        for root in &record.indicators {
            walk(root, 1, Ancestors::default(), &mut nodes, &mut categories);
        }
        Ctx {
            record,
            nodes,
            categories,
            empty: Value::text("", TargetKind::Empty),
            budget_total: budget_total(record),
        }
    }

    /// Which of the first 64 category names a pattern matches, as bits.
    fn mask(&self, p: &Pattern) -> u64 {
        self.categories
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, c)| p.is_match(c))
            .fold(0, |m, (i, _)| m | (1 << i))
    }

    fn has_column(&self, key: &ColumnKey) -> bool {
        self.record.indicator_columns.iter().any(|c| &c.key == key)
    }

    fn leaf_value(&'r self, leaf: &'r IndicatorNode, key: &ColumnKey) -> Option<&'r Value> {
        match leaf.values.as_ref().and_then(|v| v.get(key)) {
            Some(v) => Some(v),
            None => self.has_column(key).then_some(&self.empty),
        }
    }

    /// The declared target of a 三级: `annual` when filled, else `period`.
    fn target_value(&'r self, leaf: &'r IndicatorNode) -> Option<&'r Value> {
        let annual = self.leaf_value(leaf, &ColumnKey::Annual);
        let period = self.leaf_value(leaf, &ColumnKey::Period);
        match (annual, period) {
            (Some(a), _) if a.kind != TargetKind::Empty => Some(a),
            (_, Some(p)) if p.kind != TargetKind::Empty => Some(p),
            (a, p) => a.or(p),
        }
    }
}

/// The budget's total: the 资金总额 (合计, 总额) item of the first block
/// holding one, else the first block's sum.
fn budget_total(r: &Record) -> Option<Decimal> {
    let total = r.budget.blocks.iter().find_map(|b| {
        b.items
            .iter()
            .find(|i| i.label.contains(FUNDS_TOTAL_WORD) || FUNDS_TOTAL_LABELS.contains(&i.label.as_str()))
            .and_then(|i| i.amount)
    });
    total.map(|n| n.0).or_else(|| {
        let first = r.budget.blocks.first()?;
        let amounts: Vec<Decimal> = first.items.iter().filter_map(|i| i.amount).map(|n| n.0).collect();
        (!amounts.is_empty()).then(|| amounts.iter().sum())
    })
}

/// Every rule on one record, in rule order: the builtin checks' entries
/// (ok or not) and one failed check per subject a rule fires on.
pub fn run(rules: &[Rule], record: &Record) -> Vec<Check> {
    let ctx = Ctx::new(record);
    let mut out = Vec::new();
    for rule in rules {
        if !rule.forms.is_empty() && !rule.forms.contains(&record.form) {
            continue;
        }
        if let Target::Builtin(b) = rule.target {
            if let Some(mut c) = builtin::run(b, record) {
                c.code.clone_from(&rule.id);
                out.push(c);
            }
            continue;
        }
        // A column the form does not have: nothing to look at.
        let absent = |k: &ColumnKey| !ctx.has_column(k);
        let skip = match &rule.target {
            Target::Values(Column::Key(k)) => absent(k),
            Target::Values(Column::Target) => absent(&ColumnKey::Annual) && absent(&ColumnKey::Period),
            _ => false,
        } || rule
            .when
            .iter()
            .any(|c| matches!(c, Cond::Compare(a, _, b) if absent(a) || absent(b)));
        if skip && rule.fewer_than.is_none() {
            continue;
        }
        let subjects = subjects(rule, &ctx);
        let dup = duplicates(rule, &subjects);
        let fires = |s: &Subject| {
            rule.when.iter().all(|c| holds(c, s, &ctx, &dup))
                && (rule.unless.is_empty() || !rule.unless.iter().all(|c| holds(c, s, &ctx, &dup)))
        };
        if let Some(n) = rule.fewer_than {
            let count = subjects.iter().filter(|s| fires(s)).count();
            if count < n {
                let detail = fill(rule, &ctx, &Subject::default(), Some(count));
                out.push(Check {
                    code: rule.id.clone(),
                    ok: false,
                    detail,
                    cells: Vec::new(),
                });
            }
            continue;
        }
        for s in subjects.iter().filter(|s| fires(s)) {
            out.push(Check {
                code: rule.id.clone(),
                ok: false,
                detail: fill(rule, &ctx, s, None),
                cells: s.cell.map(|c| vec![c.to_string()]).unwrap_or_default(),
            });
        }
    }
    out
}

fn duplicates<'a>(rule: &Rule, subjects: &'a [Subject]) -> FxHashMap<&'a str, usize> {
    let mut counts = FxHashMap::default();
    if rule
        .when
        .iter()
        .chain(&rule.unless)
        .any(|c| matches!(c, Cond::Duplicate(_)))
    {
        for s in subjects {
            if let Some(t) = s.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                *counts.entry(t).or_insert(0) += 1;
            }
        }
    }
    counts
}

fn node_selected(rule: &Rule, masks: &[u64], n: &Node) -> bool {
    let anc = &n.ancestors;
    // Whether `under` pattern i matches ancestor k.
    let hit = |i: usize, k: usize| {
        let id = anc.ids[k] as usize;
        if id < 64 {
            masks[i] >> id & 1 == 1
        } else {
            rule.under[i].is_match(anc.names[k])
        }
    };
    let under_ok = match rule.under.len() {
        0 => true,
        1 => (0..anc.len).any(|k| hit(0, k)),
        u => u <= anc.len && (0..u).all(|i| hit(i, i)),
    };
    under_ok && rule.name.as_ref().is_none_or(|re| re.is_match(&n.node.name))
}

fn subjects<'r>(rule: &Rule, ctx: &'r Ctx<'r>) -> Vec<Subject<'r>> {
    let r = ctx.record;
    let masks: Vec<u64> = rule.under.iter().map(|p| ctx.mask(p)).collect();
    match &rule.target {
        Target::Builtin(_) => Vec::new(),
        Target::Field(f) => vec![Subject {
            text: field_text(r, f),
            ..Default::default()
        }],
        Target::BudgetItems { heading, label } => r
            .budget
            .blocks
            .iter()
            .filter(|b| {
                heading
                    .as_ref()
                    .is_none_or(|re| re.is_match(b.heading.as_deref().unwrap_or_default()))
            })
            .flat_map(|b| b.items.iter())
            .filter(|i| label.as_ref().is_none_or(|re| re.is_match(&i.label)))
            .map(|i| Subject {
                text: Some(Cow::Borrowed(i.label.as_str())),
                number: i.amount.map(|n| n.0),
                cell: Some(&i.cell),
                ..Default::default()
            })
            .collect(),
        Target::KeyTasks(part) => r
            .key_tasks
            .iter()
            .map(|t| {
                let text = match part {
                    TaskPart::Name => t.name.as_deref().map(Cow::Borrowed),
                    TaskPart::Content => t.content.as_deref().map(Cow::Borrowed),
                    TaskPart::ExpectedGoal => t.expected_goal.as_deref().map(Cow::Borrowed),
                    TaskPart::Funds => t.funds.map(|f| Cow::Owned(f.0.to_string())),
                };
                Subject {
                    text,
                    number: t.funds.map(|f| f.0),
                    cell: Some(&t.cell),
                    ..Default::default()
                }
            })
            .collect(),
        Target::Indicators { level } => ctx
            .nodes
            .iter()
            .filter(|n| n.level == *level && node_selected(rule, &masks, n))
            .map(|n| Subject {
                text: Some(Cow::Borrowed(n.node.name.as_str())),
                node: Some(n),
                cell: n.node.cell.as_deref(),
                ..Default::default()
            })
            .collect(),
        Target::Values(col) => ctx
            .nodes
            .iter()
            .filter(|n| n.level == 3 && node_selected(rule, &masks, n))
            .filter_map(|n| {
                let v = match col {
                    Column::Target => ctx.target_value(n.node),
                    Column::Key(k) => ctx.leaf_value(n.node, k),
                }?;
                Some(Subject {
                    text: Some(Cow::Borrowed(v.raw.as_str())),
                    value: Some(v),
                    number: v.value,
                    node: Some(n),
                    cell: n.node.cell.as_deref(),
                    ..Default::default()
                })
            })
            .collect(),
        Target::Sum(terms) => {
            let mut sum = Decimal::ZERO;
            let mut any = false;
            for t in terms {
                let nums: Vec<Decimal> = match t {
                    SumTerm::Column(k) => ctx
                        .nodes
                        .iter()
                        .filter(|n| n.level == 3)
                        .filter_map(|n| n.node.values.as_ref()?.get(k)?.value)
                        .collect(),
                    SumTerm::Budget(h) => r
                        .budget
                        .blocks
                        .iter()
                        .filter(|b| b.heading.as_ref() == Some(h))
                        .flat_map(|b| b.items.iter().filter_map(|i| i.amount).map(|n| n.0))
                        .collect(),
                };
                any |= !nums.is_empty();
                sum += nums.iter().sum::<Decimal>();
            }
            if !any {
                return Vec::new();
            }
            vec![Subject {
                text: Some(Cow::Owned(sum.normalize().to_string())),
                number: Some(sum),
                ..Default::default()
            }]
        }
        Target::Rate {
            numerator,
            denominator,
            rate,
        } => {
            let block = |h: &str| r.budget.blocks.iter().find(|b| b.heading.as_deref() == Some(h));
            let (Some(num), Some(den), Some(rb)) = (block(numerator), block(denominator), block(rate)) else {
                return Vec::new();
            };
            rb.items
                .iter()
                .filter_map(|item| {
                    let shown = item.amount?.0;
                    let amount = |b: &crate::record::BudgetBlock| {
                        b.items
                            .iter()
                            .find(|i| i.label == item.label)
                            .and_then(|i| i.amount)
                            .map(|n| n.0)
                    };
                    let (n, d) = (amount(num)?, amount(den)?);
                    if d.is_zero() {
                        return None;
                    }
                    let expected = n / d * Decimal::ONE_HUNDRED;
                    // Half a unit of the last shown digit, and a hundredth more for the amounts' own rounding.
                    let unit = Decimal::new(1, shown.scale());
                    let tolerance = unit / Decimal::TWO + unit / Decimal::ONE_HUNDRED;
                    Some(Subject {
                        text: Some(Cow::Owned(format!("{}: {shown}", item.label))),
                        number: Some(shown),
                        cell: Some(&item.cell),
                        rate: Some((shown, expected, tolerance)),
                        ..Default::default()
                    })
                })
                .collect()
        }
    }
}

fn field_text<'r>(r: &'r Record, f: &Field) -> Option<Cow<'r, str>> {
    let b = |s: &'r Option<String>| s.as_deref().map(Cow::Borrowed);
    let goal = |annual: bool| match &r.overall_goal {
        None => None,
        Some(OverallGoal::Text(t)) => annual.then_some(Cow::Borrowed(t.as_str())),
        Some(OverallGoal::Split { annual: a, period }) => b(if annual { a } else { period }),
    };
    let labelled = |map: Option<&'r crate::record::LabelMap>, l: &str| -> Option<Cow<'r, str>> {
        map?.0
            .iter()
            .find(|(k, _)| k.contains(l))
            .map(|(_, v)| Cow::Borrowed(v.as_str()))
    };
    match f {
        Field::Title => b(&r.title),
        Field::Department => b(&r.department),
        Field::Unit => b(&r.unit),
        Field::Year => r.year.map(|y| Cow::Owned(y.to_string())),
        Field::Goal | Field::GoalAnnual => goal(true),
        Field::GoalPeriod => goal(false),
        Field::OtherTasks => b(&r.other_tasks),
        Field::ProjectName => r.project.as_ref().and_then(|p| p.get("name")).map(Cow::Borrowed),
        Field::Project(l) => labelled(r.project.as_ref(), l),
        Field::Info(l) => labelled(Some(&r.info), l),
        Field::Label(l) => labelled(r.project.as_ref(), l)
            .or_else(|| labelled(Some(&r.info), l))
            .or_else(|| {
                let notes: Vec<&str> = r
                    .budget
                    .blocks
                    .iter()
                    .flat_map(|b| &b.items)
                    .filter_map(|i| i.note.as_ref())
                    .flat_map(|n| {
                        n.0.iter()
                            .filter(|(k, _)| k.contains(l.as_str()))
                            .map(|(_, v)| v.as_str())
                    })
                    .collect();
                // A cost table repeats its notes in every amount column's block.
                let mut seen = Vec::new();
                for n in notes {
                    if !seen.contains(&n) {
                        seen.push(n);
                    }
                }
                (!seen.is_empty()).then(|| Cow::Owned(seen.join("\n")))
            }),
    }
}

fn holds(c: &Cond, s: &Subject, ctx: &Ctx, dup: &FxHashMap<&str, usize>) -> bool {
    let leaf = s.node.map(|n| n.node);
    match c {
        Cond::Empty(b) => s.is_empty() == *b,
        Cond::Matches(re) => s.text.as_deref().is_some_and(|t| re.is_match(t)),
        Cond::Kind(ks) => s.value.is_some_and(|v| ks.contains(&v.kind)),
        Cond::Op(ops) => s.value.and_then(|v| v.op).is_some_and(|o| ops.contains(&o)),
        Cond::Unit(us) => s
            .value
            .and_then(|v| v.unit.as_deref())
            .is_some_and(|u| us.iter().any(|x| x == u)),
        Cond::HasUnit(b) => s.value.is_some_and(|v| v.unit.is_some() == *b),
        Cond::Number(cmp, rhs) => {
            let Some(n) = s.number else { return false };
            match rhs {
                Rhs::Number(x) => cmp.holds(n, *x),
                Rhs::Budget => {
                    let Some(total) = ctx.budget_total else { return false };
                    let budget_unit = ctx.record.budget.unit.as_deref().unwrap_or("万元");
                    let unit = s.value.and_then(|v| v.unit.as_deref()).unwrap_or(budget_unit);
                    let n = match (unit, budget_unit) {
                        (a, b) if a == b => n,
                        ("元", "万元") => n / Decimal::from(10_000),
                        ("万元", "元") => n * Decimal::from(10_000),
                        _ => return false,
                    };
                    cmp.holds(n, total)
                }
            }
        }
        Cond::LongerThan(n) => s.text.as_deref().is_some_and(|t| t.trim().chars().count() > *n),
        Cond::LeavesFewerThan(n) => s.node.is_some_and(|node| node.leaves() < *n),
        Cond::Duplicate(b) => {
            let d = s
                .text
                .as_deref()
                .map(str::trim)
                .and_then(|t| dup.get(t))
                .is_some_and(|&c| c > 1);
            d == *b
        }
        Cond::Under(re) => s
            .node
            .is_some_and(|n| n.ancestors.as_slice().iter().any(|a| re.is_match(a))),
        Cond::Compare(a, cmp, b) => {
            let num = |k: &ColumnKey| leaf.and_then(|l| l.values.as_ref()?.get(k)?.value);
            match (num(a), num(b)) {
                (Some(x), Some(y)) => cmp.holds(x, y),
                _ => false,
            }
        }
        Cond::Deviates { against, percent } => {
            let Some(x) = s.number else { return false };
            let Some(t) = leaf.and_then(|l| l.values.as_ref()?.get(against)) else {
                return false;
            };
            let Some(a) = t.value.filter(|a| !a.is_zero()) else {
                return false;
            };
            let units_differ =
                matches!((s.value.and_then(|v| v.unit.as_deref()), t.unit.as_deref()), (Some(u), Some(v)) if u != v);
            !units_differ && ((x - a).abs() / a.abs() * Decimal::ONE_HUNDRED) > *percent
        }
        Cond::EmptyColumn(k) => {
            ctx.has_column(k) && leaf.is_some_and(|l| ctx.leaf_value(l, k).is_none_or(|v| v.kind == TargetKind::Empty))
        }
        Cond::RateMismatch(b) => s
            .rate
            .is_some_and(|(shown, expected, tol)| ((shown - expected).abs() > tol) == *b),
    }
}

const SHOWN_CHARS: usize = 60;

/// The rule's message with its placeholders filled.
fn fill(rule: &Rule, ctx: &Ctx, s: &Subject, count: Option<usize>) -> String {
    let r = ctx.record;
    let msg = &rule.message;
    if !msg.contains('{') {
        return msg.clone();
    }
    let value = s.text.as_deref().map(|t| {
        let t = t.trim();
        if t.chars().count() > SHOWN_CHARS {
            format!("{}…", t.chars().take(SHOWN_CHARS).collect::<String>())
        } else {
            t.to_string()
        }
    });
    let mut out = String::with_capacity(msg.len() + 32);
    let mut rest = msg.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let key = &after[..close];
        let text: Option<String> = match key {
            "department" => r.department.clone(),
            "project" => r.project.as_ref().and_then(|p| p.get("name")).map(str::to_string),
            "indicator" => s.node.map(|n| n.node.name.clone()),
            "path" => s.node.map(Node::path),
            "value" => value.clone(),
            "cell" => s.cell.map(str::to_string),
            "count" => count.map(|c| c.to_string()),
            "budget" => ctx.budget_total.map(|b| b.to_string()),
            "title" => rule.title.clone(),
            _ => {
                out.push('{');
                rest = after;
                continue;
            }
        };
        out.push_str(text.as_deref().unwrap_or(""));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::rule::Cmp;
    use rust_decimal::Decimal;

    #[test]
    fn a_comparison_holds_as_written() {
        assert!(Cmp::Gt.holds(Decimal::from(101), Decimal::ONE_HUNDRED));
        assert!(!Cmp::Ne.holds(Decimal::ONE_HUNDRED, Decimal::ONE_HUNDRED));
    }
}
