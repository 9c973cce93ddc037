//! Review rules (绩效目标审核) as data: a rule file format, the default set
//! compiled in (`rules/default.toml`), user files merged over it, the rules
//! evaluated on each record into its `checks`, and the findings a reviewer
//! hands back. Sits above `record` / `value` / `vocab` and below `output` /
//! `run`; knows nothing of how a form is read or written.
//!
//! Like the vocabulary, the rule set in force is per thread: the built-in
//! one unless a run installs another with [`RuleSet::scope`]; a set of
//! user files is compiled once per distinct content and kept.

mod builtin;
mod eval;
mod load;
mod rule;

pub use load::RulesError;
pub use rule::{Rule, Severity};

use crate::record::{Check, IndicatorNode, Record};
use load::Entry;
use std::cell::Cell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

/// The built-in rule set.
pub const DEFAULT_TOML: &str = include_str!("../../rules/default.toml");
const DEFAULT_NAME: &str = "rules/default.toml";

type Rules = &'static [Rule];

static BUILTIN: LazyLock<Rules> = LazyLock::new(|| {
    let entries = load::parse(DEFAULT_NAME, DEFAULT_TOML).expect("the built-in rules parse");
    Box::leak(merge(Vec::new(), entries).into_boxed_slice())
});

static BUILT: LazyLock<Mutex<HashMap<Vec<String>, Rules>>> = LazyLock::new(Default::default);

thread_local! {
    static ACTIVE: Cell<Option<Rules>> = const { Cell::new(None) };
}

fn merge(mut rules: Vec<Rule>, entries: Vec<Entry>) -> Vec<Rule> {
    for e in entries {
        match e {
            Entry::Rule(r) => match rules.iter_mut().find(|x| x.id == r.id) {
                Some(slot) => *slot = *r,
                None => rules.push(*r),
            },
            Entry::Disable(id) => rules.retain(|x| x.id != id),
        }
    }
    rules
}

/// A set of review rules: the built-in ones, or user files merged over
/// them. Cheap to copy.
#[derive(Clone, Copy)]
pub struct RuleSet {
    rules: Rules,
    user_files: usize,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RuleSet({} rules, {} user file(s))",
            self.rules.len(),
            self.user_files
        )
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::builtin()
    }
}

impl RuleSet {
    /// The rules compiled into declx.
    pub fn builtin() -> Self {
        RuleSet {
            rules: *BUILTIN,
            user_files: 0,
        }
    }

    /// The rule set on this thread.
    pub fn active() -> Self {
        match ACTIVE.with(Cell::get) {
            Some(rules) => RuleSet { rules, user_files: 0 },
            None => RuleSet::builtin(),
        }
    }

    /// The built-in rules with `files` merged over them in order: a rule
    /// with a built-in id replaces it, `enabled = false` drops it. A file
    /// that cannot be used is an error naming it and the line.
    pub fn load<P: AsRef<Path>>(files: &[P]) -> Result<Self, RulesError> {
        let sources = crate::vocab::read_sources(files)?;
        RuleSet::from_sources(&sources)
    }

    /// Like [`RuleSet::load`], from (name, text) pairs.
    pub fn from_sources(sources: &[(String, String)]) -> Result<Self, RulesError> {
        if sources.is_empty() {
            return Ok(RuleSet::builtin());
        }
        let mut parsed = Vec::new();
        for (name, text) in sources {
            parsed.push(load::parse(name, text)?);
        }
        let key: Vec<String> = sources.iter().map(|(n, t)| format!("{n}\0{t}")).collect();
        let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
        let rules = *built.entry(key).or_insert_with(|| {
            let mut rules = BUILTIN.to_vec();
            for entries in parsed {
                rules = merge(rules, entries);
            }
            Box::leak(rules.into_boxed_slice())
        });
        Ok(RuleSet {
            rules,
            user_files: sources.len(),
        })
    }

    /// Runs `f` with this set as the one records on this thread are checked
    /// with, and puts the previous one back after (also on a panic).
    pub fn scope<R>(self, f: impl FnOnce() -> R) -> R {
        struct Restore(Option<Rules>);
        impl Drop for Restore {
            fn drop(&mut self) {
                ACTIVE.with(|a| a.set(self.0));
            }
        }
        let _restore = Restore(ACTIVE.with(|a| a.replace(Some(self.rules))));
        f()
    }

    pub fn rules(&self) -> &'static [Rule] {
        self.rules
    }

    pub fn get(&self, id: &str) -> Option<&'static Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Every rule on one record.
    pub fn check(&self, r: &Record) -> Vec<Check> {
        eval::run(self.rules, r)
    }
}

/// The checks of a record under the rule set in force on this thread.
pub fn check(r: &Record) -> Vec<Check> {
    RuleSet::active().check(r)
}

/// The rules as `declx rules` lists them: each with its source comment,
/// where it was defined, its point, severity and message.
pub fn render_list(set: &RuleSet) -> String {
    let mut out = String::new();
    for r in set.rules() {
        out.push('\n');
        for line in r.note.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!("{}  [{}] [{}]", r.id, r.point, r.severity));
        if let Some(t) = &r.title {
            out.push_str(&format!("  {t}"));
        }
        out.push_str(&format!("  ({})\n    {}\n", r.source, r.message));
    }
    format!("{} rules\n{}", set.rules().len(), out.trim_start_matches('\n'))
}

/// One finding: a failed check, with what a reviewer's sheet needs beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub department: String,
    pub project: String,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    /// The indicator the finding's first cell names: 一级 / 二级 / 三级.
    pub indicator: String,
    pub point: String,
    pub rule: String,
    pub severity: String,
    /// The reviewer's short name of the problem (审核细项), or empty.
    pub title: String,
    pub message: String,
}

impl Finding {
    /// The columns of a findings sheet, in order.
    pub const HEADER: [&'static str; 11] = [
        "department",
        "project",
        "file",
        "sheet",
        "cell",
        "indicator",
        "point",
        "rule",
        "severity",
        "title",
        "message",
    ];

    pub fn columns(&self) -> [&str; 11] {
        [
            &self.department,
            &self.project,
            &self.file,
            &self.sheet,
            &self.cell,
            &self.indicator,
            &self.point,
            &self.rule,
            &self.severity,
            &self.title,
            &self.message,
        ]
    }
}

/// The failed checks of a record as findings, in check order; point and
/// severity come from the rule of that id in `set`.
pub fn findings(r: &Record, set: &RuleSet) -> Vec<Finding> {
    r.checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| {
            let rule = set.get(&c.code);
            Finding {
                department: r.department.clone().unwrap_or_default(),
                project: r
                    .project
                    .as_ref()
                    .and_then(|p| p.get("name"))
                    .unwrap_or_default()
                    .to_string(),
                file: r.source.path.clone(),
                sheet: r.source.sheet.clone().unwrap_or_default(),
                cell: c.cells.join(" "),
                indicator: c
                    .cells
                    .first()
                    .and_then(|cell| indicator_path(r, cell))
                    .unwrap_or_default(),
                point: rule.map(|x| x.point.clone()).unwrap_or_default(),
                rule: c.code.clone(),
                severity: rule.map_or("warning", |x| x.severity.as_str()).to_string(),
                title: rule.and_then(|x| x.title.clone()).unwrap_or_default(),
                message: match rule {
                    // A builtin's detail is its figures: the rule's words first.
                    Some(x) if matches!(x.target, rule::Target::Builtin(_)) => format!("{}（{}）", x.message, c.detail),
                    _ => c.detail.clone(),
                },
            }
        })
        .collect()
}

/// `一级 / 二级 / 三级` of the indicator at `cell`, if one is there.
pub fn indicator_path(r: &Record, cell: &str) -> Option<String> {
    fn find<'a>(n: &'a IndicatorNode, cell: &str, path: &mut Vec<&'a str>) -> bool {
        path.push(&n.name);
        let hit = match &n.children {
            None => n.cell.as_deref() == Some(cell),
            Some(c) => c.iter().any(|child| find(child, cell, path)),
        };
        if !hit {
            path.pop();
        }
        hit
    }
    let mut path = Vec::new();
    r.indicators
        .iter()
        .any(|n| find(n, cell, &mut path))
        .then(|| path.join(" / "))
}
