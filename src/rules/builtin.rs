//! The five consistency checks of SPEC §3.3, written in code because each
//! balances several parts of the budget at once: the default rule set
//! names them (`builtin = "…"`), and they report `ok: true` as well. The
//! rule's id becomes the check's code. Knows nothing of rule files.

use super::rule::Builtin;
use crate::record::{Check, IndicatorNode, Record};
use crate::vocab::{
    FormKind, BUDGET_BY_LEVEL, BUDGET_DEVELOPMENT, BUDGET_INCOME, BUDGET_SPEND, COST_CATEGORY, COST_WORD, FUNDS_PARTS,
    FUNDS_TOTAL_LABELS, FUNDS_TOTAL_WORD, LEVEL_NAMES, PROJECT_SPEND, REQUIRED_CATEGORIES, SATISFACTION_WORD,
};
use rust_decimal::Decimal;

/// One builtin check on a record; `None` where it does not apply.
pub fn run(b: Builtin, r: &Record) -> Option<Check> {
    match b {
        Builtin::BudgetBalance => budget_balance(r),
        Builtin::KeyTaskFunds => key_task_funds(r),
        Builtin::RequiredCategories => (!r.indicators.is_empty()).then(|| required_categories(r)),
        Builtin::PercentOver100 => Some(percent_over_100(r)),
        Builtin::CostDirection => Some(cost_direction(r)),
    }
}

fn block_total(r: &Record, heading: &str) -> Option<(Decimal, Vec<String>)> {
    let b = r.budget.blocks.iter().find(|b| b.heading.as_deref() == Some(heading))?;
    let total = b.items.iter().filter_map(|i| i.amount).map(|n| n.0).sum();
    Some((total, b.items.iter().map(|i| i.cell.clone()).collect()))
}

fn item(r: &Record, pred: impl Fn(&str) -> bool) -> Vec<(Decimal, String, String)> {
    r.budget
        .blocks
        .iter()
        .flat_map(|b| b.items.iter().map(move |i| (b, i)))
        .filter(|(_, i)| pred(&i.label))
        .filter_map(|(b, i)| {
            i.amount
                .map(|a| (a.0, b.heading.clone().unwrap_or_default(), i.cell.clone()))
        })
        .collect()
}

fn budget_balance(r: &Record) -> Option<Check> {
    if r.form == FormKind::Department {
        let spend = block_total(r, BUDGET_SPEND);
        let dev = block_total(r, BUDGET_DEVELOPMENT);
        let income = block_total(r, BUDGET_INCOME);
        let level = block_total(r, BUDGET_BY_LEVEL);
        let expense = match (&spend, &dev) {
            (None, None) => None,
            _ => Some(spend.as_ref().map_or(Decimal::ZERO, |s| s.0) + dev.as_ref().map_or(Decimal::ZERO, |d| d.0)),
        };
        let expense_name = format!("{BUDGET_SPEND}+{BUDGET_DEVELOPMENT}");
        let sides: Vec<(&str, Decimal)> = [
            (expense_name.as_str(), expense),
            (BUDGET_INCOME, income.as_ref().map(|x| x.0)),
            (BUDGET_BY_LEVEL, level.as_ref().map(|x| x.0)),
        ]
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n, v)))
        .collect();
        if sides.len() < 2 {
            return None;
        }
        let ok = sides.windows(2).all(|w| w[0].1 == w[1].1);
        let cells = [spend, dev, income, level]
            .into_iter()
            .flatten()
            .flat_map(|x| x.1)
            .collect();
        let detail = sides
            .iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect::<Vec<_>>()
            .join("; ");
        return Some(Check {
            code: String::new(),
            ok,
            detail,
            cells,
        });
    }
    // Project and other forms: per column, 资金总额 = 财政拨款 + 其他资金.
    let mut details = Vec::new();
    let mut cells = Vec::new();
    let mut ok = true;
    for b in &r.budget.blocks {
        let find = |pred: &dyn Fn(&str) -> bool| b.items.iter().find(|i| pred(&i.label));
        let total = find(&|l: &str| l.contains(FUNDS_TOTAL_WORD) || FUNDS_TOTAL_LABELS.contains(&l));
        let parts: Vec<_> = b
            .items
            .iter()
            .filter(|i| FUNDS_PARTS.iter().any(|p| i.label.contains(p)))
            .collect();
        let (Some(total), false) = (total, parts.is_empty()) else {
            continue;
        };
        // A column whose parts are all blank (分值, 执行率 beside the amounts) is not a 0.
        if parts.iter().all(|i| i.amount.is_none()) {
            continue;
        }
        let Some(t) = total.amount else { continue };
        let sum: Decimal = parts.iter().filter_map(|i| i.amount).map(|a| a.0).sum();
        ok &= t.0 == sum;
        details.push(format!(
            "{}: {} = {} vs parts {}",
            b.heading.as_deref().unwrap_or_default(),
            total.label,
            t.0,
            sum
        ));
        cells.push(total.cell.clone());
        cells.extend(parts.iter().map(|i| i.cell.clone()));
    }
    (!details.is_empty()).then(|| Check {
        code: String::new(),
        ok,
        detail: details.join("; "),
        cells,
    })
}

fn key_task_funds(r: &Record) -> Option<Check> {
    if r.key_tasks.is_empty() {
        return None;
    }
    let tasks: Decimal = r.key_tasks.iter().filter_map(|t| t.funds).map(|f| f.0).sum();
    let project = item(r, |l| l == PROJECT_SPEND);
    let dev = block_total(r, BUDGET_DEVELOPMENT);
    if project.is_empty() && dev.is_none() {
        return None;
    }
    let budget: Decimal = project.iter().map(|p| p.0).sum::<Decimal>() + dev.as_ref().map_or(Decimal::ZERO, |d| d.0);
    let mut cells: Vec<String> = r
        .key_tasks
        .iter()
        .filter(|t| t.funds.is_some())
        .map(|t| t.cell.clone())
        .collect();
    cells.extend(project.into_iter().map(|p| p.2));
    cells.extend(dev.into_iter().flat_map(|d| d.1));
    Some(Check {
        code: String::new(),
        ok: tasks == budget,
        detail: format!("key tasks' funds {tasks} vs {PROJECT_SPEND} + {BUDGET_DEVELOPMENT} {budget}"),
        cells,
    })
}

fn required_categories(r: &Record) -> Check {
    let mut missing = Vec::new();
    for want in REQUIRED_CATEGORIES {
        let held = r
            .indicators
            .iter()
            .filter(|n| n.name == want || (want == REQUIRED_CATEGORIES[2] && n.name.contains(SATISFACTION_WORD)))
            .any(|n| n.leaves().iter().any(|l| l.children.is_none()));
        if !held {
            missing.push(want);
        }
    }
    Check {
        code: String::new(),
        ok: missing.is_empty(),
        detail: if missing.is_empty() {
            let [a, b, c] = REQUIRED_CATEGORIES;
            format!("{a}, {b} and {c} each hold at least one {}", LEVEL_NAMES[2])
        } else {
            format!("no {} under: {}", LEVEL_NAMES[2], missing.join(", "))
        },
        cells: Vec::new(),
    }
}

fn all_leaves(r: &Record) -> Vec<(&IndicatorNode, bool)> {
    let mut out = Vec::new();
    for root in &r.indicators {
        let cost_root = root.name.contains(COST_WORD);
        match &root.children {
            None => out.push((root, cost_root)),
            Some(children) => {
                for l2 in children {
                    let cost = cost_root || l2.name.contains(COST_WORD);
                    out.extend(l2.leaves().into_iter().map(|l| (l, cost)));
                }
            }
        }
    }
    out
}

fn percent_over_100(r: &Record) -> Check {
    let mut cells = Vec::new();
    for (leaf, _) in all_leaves(r) {
        let Some(values) = &leaf.values else { continue };
        let over = values.0.iter().any(|(k, t)| {
            k.is_target()
                && (t.unit.as_deref() == Some("%") && t.value.is_some_and(|v| v > Decimal::ONE_HUNDRED)
                    || t.terms
                        .iter()
                        .any(|x| x.unit.as_deref() == Some("%") && x.value > Decimal::ONE_HUNDRED))
        });
        if over {
            cells.extend(leaf.cell.clone());
        }
    }
    Check {
        code: String::new(),
        ok: cells.is_empty(),
        detail: format!("{} target(s) above 100%", cells.len()),
        cells,
    }
}

fn cost_direction(r: &Record) -> Check {
    let mut cells = Vec::new();
    for (leaf, cost) in all_leaves(r) {
        let Some(values) = &leaf.values else { continue };
        if cost
            && values
                .0
                .iter()
                .any(|(k, t)| k.is_target() && t.op.is_some_and(|op| op.is_lower_bound()))
        {
            cells.extend(leaf.cell.clone());
        }
    }
    Check {
        code: String::new(),
        ok: cells.is_empty(),
        detail: format!("{} {COST_CATEGORY} target(s) with a lower bound (>= or >)", cells.len()),
        cells,
    }
}
