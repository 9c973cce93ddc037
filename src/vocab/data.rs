//! The vocabulary in memory: the merged tables of the built-in file and any
//! user files, indexed for the lookups that run for every cell. Built once
//! per distinct set of files and kept for the life of the process, so every
//! label is a `&'static str`. Knows nothing of TOML (that is `load`) and
//! asks nothing of a cell (that is `vocab`'s lookups).

use super::load::{Layer, Match};
use super::role::{FieldRole, Role, Table, WordList};
use super::{Field, GoalPart, Nature, Section, TaskField};
use crate::names::{ColumnKey, FormKind, Op};
use rustc_hash::{FxHashMap, FxHashSet};

/// A label table indexed for exact lookups. A label's index is its rank:
/// user entries come before built-in ones.
pub struct Lookup<V> {
    map: FxHashMap<&'static str, (usize, V)>,
    /// Labels a user file gave the role "none": no rule gives them one either.
    pub dropped: FxHashSet<&'static str>,
}

impl<V: Clone> Lookup<V> {
    fn of(entries: Vec<(&'static str, V)>) -> Self {
        let mut map = FxHashMap::default();
        for (i, (label, v)) in entries.into_iter().enumerate() {
            map.entry(label).or_insert((i, v));
        }
        Lookup {
            map,
            dropped: FxHashSet::default(),
        }
    }

    fn dropping(mut self, dropped: FxHashSet<&'static str>) -> Self {
        self.dropped = dropped;
        self
    }

    /// Whether a user file gave the label the role "none".
    pub fn drops(&self, label: &str) -> bool {
        !self.dropped.is_empty() && self.dropped.contains(label)
    }

    pub fn get(&self, label: &str) -> Option<V> {
        self.map.get(label).map(|(_, v)| v.clone())
    }

    /// The entry, highest in rank, that names any of `labels`.
    pub fn first_of(&self, labels: [&str; 2]) -> Option<V> {
        labels
            .iter()
            .filter_map(|l| self.map.get(l))
            .min_by_key(|(i, _)| *i)
            .map(|(_, v)| v.clone())
    }

    /// Every label with its value, in rank order (for `declx labels`).
    pub fn entries(&self) -> Vec<(&'static str, V)> {
        let mut all: Vec<_> = self.map.iter().map(|(k, (i, v))| (*i, *k, v.clone())).collect();
        all.sort_by_key(|(i, _, _)| *i);
        all.into_iter().map(|(_, k, v)| (k, v)).collect()
    }
}

pub type Words = Vec<&'static str>;

/// Role rules indexed by the byte a rule's word must sit on: a suffix rule
/// under its word's last byte, a prefix rule under its first, so a label is
/// tried only against rules that can match it, without hashing. Rules keep
/// their rank (first match wins, as in the file).
pub struct Rules<V> {
    by_last: Vec<Vec<(usize, &'static str, V)>>,
    by_first: Vec<Vec<(usize, &'static str, V)>>,
    contains: Vec<(usize, &'static str, V)>,
    /// For `declx labels`: every rule in rank order.
    pub all: Vec<(Match, &'static str, V)>,
}

impl<V: Copy> Rules<V> {
    fn of(all: Vec<(Match, &'static str, V)>) -> Self {
        let mut r = Rules {
            by_last: vec![Vec::new(); 256],
            by_first: vec![Vec::new(); 256],
            contains: Vec::new(),
            all: all.clone(),
        };
        for (i, (how, word, v)) in all.into_iter().enumerate() {
            let (Some(&first), Some(&last)) = (word.as_bytes().first(), word.as_bytes().last()) else {
                continue;
            };
            match how {
                Match::Suffix => r.by_last[last as usize].push((i, word, v)),
                Match::Prefix => r.by_first[first as usize].push((i, word, v)),
                Match::Contains => r.contains.push((i, word, v)),
            }
        }
        r
    }

    /// The highest-ranked rule whose word sits in `label` as it must.
    pub fn find(&self, label: &str) -> Option<V> {
        let b = label.as_bytes();
        let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
            return None;
        };
        let suffix = self.by_last[last as usize]
            .iter()
            .find(|(_, w, _)| b.ends_with(w.as_bytes()));
        let prefix = self.by_first[first as usize]
            .iter()
            .find(|(_, w, _)| b.starts_with(w.as_bytes()));
        let contains = if self.contains.is_empty() {
            None
        } else {
            self.contains.iter().find(|(_, w, _)| label.contains(w))
        };
        [suffix, prefix, contains]
            .into_iter()
            .flatten()
            .min_by_key(|(i, _, _)| *i)
            .map(|(_, _, v)| *v)
    }
}

/// Every table of the vocabulary.
pub struct Tables {
    pub titles: Vec<(&'static str, FormKind)>,
    pub fields: Lookup<Field>,
    pub sections: Lookup<Section>,
    pub columns: Lookup<ColumnKey>,
    pub task_columns: Lookup<TaskField>,
    pub levels: Lookup<usize>,
    pub level1: FxHashSet<&'static str>,
    pub level2: FxHashSet<&'static str>,
    pub goal_parts: Lookup<GoalPart>,
    pub natures: Lookup<Nature>,
    pub comparators: Vec<(&'static str, Op)>,
    pub trailing_comparators: Vec<(&'static str, Op)>,
    pub amount_units: Vec<(&'static str, &'static str)>,
    pub field_rules: Rules<Field>,
    pub section_rules: Rules<Section>,
    pub goal_part_rules: Rules<GoalPart>,
    pub title_marks: Words,
    pub form_words: Words,
    pub citation_marks: Words,
    pub field_prefixes: Words,
    pub totals: FxHashSet<&'static str>,
    pub budget_columns: FxHashSet<&'static str>,
    pub amount_headers: FxHashSet<&'static str>,
    pub amount_words: Words,
    pub plain_value_headers: FxHashSet<&'static str>,
    pub actual_words: Words,
    pub target_words: Words,
    pub period_words: Words,
    pub annual_words: Words,
    pub block_period_words: Words,
    pub block_annual_words: Words,
    pub category_header_hints: Words,
    pub tick_groups: FxHashSet<&'static str>,
    pub tick_marks: FxHashSet<&'static str>,
    pub footers: Words,
    pub prompts: Words,
    pub share_words: Words,
    pub label_column_words: Words,
    pub stamp_words: FxHashSet<&'static str>,
    pub placeholders: FxHashSet<&'static str>,
    pub grades: Words,
    pub money_units: Words,
    pub organisation_ends: Words,
    pub organisation_labels: Words,
    pub header_amount_words: Words,
    pub header_amount_stops: Words,
    pub footer_ends: Words,
    pub unit_suffixes: FxHashSet<&'static str>,
    /// Units by their first character, longest first.
    pub units_by_first: FxHashMap<char, Vec<&'static str>>,
    /// The comparator tables as chars, matched against a number's neighbours
    /// thousands of times per run (in table order: the first match wins).
    pub comparator_chars: Vec<(Vec<char>, Op)>,
    pub trailing_comparator_chars: Vec<(Vec<char>, Op)>,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Label entries of one table, highest rank first: later layers (user
/// files) before earlier ones, each in file order; a label's first entry
/// decides it (`Role::None` entries are kept, for `dropped`).
fn ranked(layers: &[Layer], table: Table) -> Vec<(&'static str, Role)> {
    let mut seen = FxHashSet::default();
    let mut out = Vec::new();
    for layer in layers.iter().rev() {
        for (t, label, role) in &layer.labels {
            if *t != table || !seen.insert(label.as_str()) {
                continue;
            }
            out.push((leak(label.clone()), role.clone()));
        }
    }
    out
}

fn words(layers: &[Layer], list: WordList) -> Words {
    let mut seen = FxHashSet::default();
    let mut out = Vec::new();
    for layer in layers {
        for (l, w) in &layer.words {
            if *l == list && seen.insert(w.as_str()) {
                out.push(leak(w.clone()));
            }
        }
    }
    out
}

/// A table's entries whose role is of one shape.
fn pick<V>(entries: Vec<(&'static str, Role)>, f: impl Fn(Role) -> Option<V>) -> Vec<(&'static str, V)> {
    entries.into_iter().filter_map(|(k, r)| f(r).map(|v| (k, v))).collect()
}

/// The labels of a table given the role "none".
fn dropped(entries: &[(&'static str, Role)]) -> FxHashSet<&'static str> {
    entries
        .iter()
        .filter(|(_, r)| *r == Role::None)
        .map(|(k, _)| *k)
        .collect()
}

/// A lookup of the entries whose role is of one shape, with the dropped labels.
fn lookup<V: Clone>(entries: Vec<(&'static str, Role)>, f: impl Fn(Role) -> Option<V>) -> Lookup<V> {
    let gone = dropped(&entries);
    Lookup::of(pick(entries, f)).dropping(gone)
}

fn field_of(r: FieldRole) -> Field {
    match r {
        FieldRole::Plain(f) => f,
        FieldRole::ProjectKey(k) => Field::ProjectKey(leak(k)),
    }
}

impl Tables {
    pub fn build(layers: &[Layer]) -> Tables {
        let table = |t| ranked(layers, t);
        let list = |l| words(layers, l);
        let set = |l| -> FxHashSet<&'static str> { words(layers, l).into_iter().collect() };
        let rules = |t: Table| -> Vec<(Match, &'static str, Role)> {
            layers
                .iter()
                .rev()
                .flat_map(|l| &l.rules)
                .filter(|(rt, ..)| *rt == t)
                .map(|(_, how, w, r)| (*how, leak(w.clone()), r.clone()))
                .collect()
        };
        let categories = table(Table::Categories);
        let level = |one: bool| -> FxHashSet<&'static str> {
            categories
                .iter()
                .filter(|(_, r)| matches!(r, Role::Category(a, b) if if one { *a } else { *b }))
                .map(|(k, _)| *k)
                .collect()
        };
        let ops = |t| pick(table(t), |r| if let Role::Op(o) = r { Some(o) } else { None });
        let comparators = ops(Table::Comparators);
        let trailing_comparators = ops(Table::TrailingComparators);
        let as_chars = |t: &[(&str, Op)]| t.iter().map(|(w, o)| (w.chars().collect(), *o)).collect();
        let mut units_by_first: FxHashMap<char, Vec<&'static str>> = FxHashMap::default();
        for u in list(WordList::Units) {
            if let Some(c) = u.chars().next() {
                units_by_first.entry(c).or_default().push(u);
            }
        }
        for v in units_by_first.values_mut() {
            v.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
        }
        Tables {
            titles: pick(
                table(Table::Titles),
                |r| if let Role::Kind(k) = r { Some(k) } else { None },
            ),
            fields: lookup(table(Table::Fields), |r| {
                if let Role::Field(f) = r {
                    Some(field_of(f))
                } else {
                    None
                }
            }),
            sections: lookup(table(Table::Sections), |r| {
                if let Role::Section(s) = r {
                    Some(s)
                } else {
                    None
                }
            }),
            columns: lookup(table(Table::Columns), |r| {
                if let Role::Column(c) = r {
                    Some(c)
                } else {
                    None
                }
            }),
            task_columns: lookup(table(Table::TaskColumns), |r| {
                if let Role::Task(t) = r {
                    Some(t)
                } else {
                    None
                }
            }),
            levels: lookup(table(Table::Levels), |r| {
                if let Role::Level(l) = r {
                    Some(l)
                } else {
                    None
                }
            }),
            level1: level(true),
            level2: level(false),
            goal_parts: lookup(table(Table::GoalParts), |r| {
                if let Role::Goal(g) = r {
                    Some(g)
                } else {
                    None
                }
            }),
            natures: lookup(table(Table::Natures), |r| {
                if let Role::Nature(n) = r {
                    Some(n)
                } else {
                    None
                }
            }),
            comparator_chars: as_chars(&comparators),
            trailing_comparator_chars: as_chars(&trailing_comparators),
            comparators,
            trailing_comparators,
            amount_units: pick(table(Table::AmountUnits), |r| {
                if let Role::Unit(u) = r {
                    Some(leak(u))
                } else {
                    None
                }
            }),
            field_rules: Rules::of(
                rules(Table::Fields)
                    .into_iter()
                    .filter_map(|(h, w, r)| {
                        if let Role::Field(f) = r {
                            Some((h, w, field_of(f)))
                        } else {
                            None
                        }
                    })
                    .collect(),
            ),
            section_rules: Rules::of(
                rules(Table::Sections)
                    .into_iter()
                    .filter_map(|(h, w, r)| {
                        if let Role::Section(s) = r {
                            Some((h, w, s))
                        } else {
                            None
                        }
                    })
                    .collect(),
            ),
            goal_part_rules: Rules::of(
                rules(Table::GoalParts)
                    .into_iter()
                    .filter_map(|(h, w, r)| if let Role::Goal(g) = r { Some((h, w, g)) } else { None })
                    .collect(),
            ),
            title_marks: list(WordList::TitleMarks),
            form_words: list(WordList::FormWords),
            citation_marks: list(WordList::CitationMarks),
            field_prefixes: list(WordList::FieldPrefixes),
            totals: list(WordList::Totals).into_iter().collect(),
            budget_columns: list(WordList::BudgetColumns).into_iter().collect(),
            amount_headers: set(WordList::AmountHeaders),
            amount_words: list(WordList::AmountWords),
            plain_value_headers: set(WordList::PlainValueHeaders),
            actual_words: list(WordList::ActualWords),
            target_words: list(WordList::TargetWords),
            period_words: list(WordList::PeriodWords),
            annual_words: list(WordList::AnnualWords),
            block_period_words: list(WordList::BlockPeriodWords),
            block_annual_words: list(WordList::BlockAnnualWords),
            category_header_hints: list(WordList::CategoryHeaderHints),
            tick_groups: set(WordList::TickGroups),
            tick_marks: set(WordList::TickMarks),
            footers: list(WordList::Footers),
            prompts: list(WordList::Prompts),
            share_words: list(WordList::ShareWords),
            label_column_words: list(WordList::LabelColumnWords),
            stamp_words: set(WordList::StampWords),
            placeholders: set(WordList::Placeholders),
            grades: list(WordList::Grades),
            money_units: list(WordList::MoneyUnits),
            organisation_ends: list(WordList::OrganisationEnds),
            organisation_labels: list(WordList::OrganisationLabels),
            header_amount_words: list(WordList::HeaderAmountWords),
            header_amount_stops: list(WordList::HeaderAmountStops),
            footer_ends: list(WordList::FooterEnds),
            unit_suffixes: set(WordList::UnitSuffixes),
            units_by_first,
        }
    }
}
