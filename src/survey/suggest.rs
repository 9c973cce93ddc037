//! A suggested role for a label no table knows: a rule's word found
//! anywhere in it (rules only judge short labels), or the known label most
//! like it (shared character pairs), looked for first in the tables its
//! place in the form points to. A suggestion is for a person to check; it
//! is never applied.

use super::Place;
use crate::vocab::{self, Table};
use rustc_hash::FxHashSet;
use serde::Serialize;

/// The table and role a label would most likely take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub table: &'static str,
    pub role: String,
    /// Why: the known label it resembles, or the rule word it holds.
    pub like: String,
}

/// Labels sharing fewer character pairs than this (Dice coefficient) are
/// not alike.
const MIN_LIKENESS: f64 = 0.3;

/// How much a likeness counts in the place's first, second, third table.
const TABLE_WEIGHTS: [f64; 3] = [1.0, 0.7, 0.5];

/// The tables worth looking in for a label at a place, most likely first.
fn tables_for(place: Place) -> &'static [Table] {
    match place {
        Place::IndicatorHeader => &[Table::Columns, Table::Levels],
        Place::KeyTasks => &[Table::TaskColumns, Table::Sections, Table::Fields],
        Place::Goal => &[Table::GoalParts, Table::Sections, Table::Fields],
        Place::SectionLabel => &[Table::Sections, Table::GoalParts, Table::Fields],
        Place::Budget | Place::Indicators | Place::OtherTasks => &[Table::Sections, Table::Fields, Table::Columns],
        Place::Header | Place::Info | Place::Footer | Place::NoForm => &[Table::Fields, Table::Sections],
    }
}

fn pairs(s: &str) -> FxHashSet<(char, char)> {
    let c: Vec<char> = vocab::split_paren(s).0.chars().collect();
    c.windows(2).map(|w| (w[0], w[1])).collect()
}

fn likeness(a: &FxHashSet<(char, char)>, b: &FxHashSet<(char, char)>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

pub fn suggest(label: &str, place: Place) -> Option<Suggestion> {
    let tables = tables_for(place);
    for &t in tables {
        if let Some((role, word)) = vocab::rule_role(t, vocab::split_paren(label).0) {
            return Some(Suggestion {
                table: t.name(),
                role,
                like: format!("holds the rule word {word}"),
            });
        }
    }
    let mine = pairs(label);
    let mut best: Option<(f64, usize, Suggestion)> = None;
    for (rank, &t) in tables.iter().enumerate() {
        for (known, role) in vocab::labels_of(t) {
            let like = likeness(&mine, &pairs(known));
            // The tables the place points to first count for more.
            let score = like * TABLE_WEIGHTS[rank.min(TABLE_WEIGHTS.len() - 1)];
            let better = match &best {
                None => true,
                Some((s, r, _)) => score > *s || (score == *s && rank < *r),
            };
            if like >= MIN_LIKENESS && better {
                best = Some((
                    score,
                    rank,
                    Suggestion {
                        table: t.name(),
                        role,
                        like: format!("like {known}"),
                    },
                ));
            }
        }
    }
    best.map(|(_, _, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_label_is_suggested_the_role_of_the_label_it_resembles() {
        let s = suggest("部门单位全称", Place::Header).unwrap();
        assert_eq!((s.table, s.role.as_str()), ("fields", "department"));
        let s = suggest("年度指标目标值", Place::IndicatorHeader).unwrap();
        assert_eq!((s.table, s.role.as_str()), ("columns", "annual"));
        assert_eq!(suggest("经办人签字", Place::Header), None);
    }

    #[test]
    fn a_rule_word_anywhere_in_a_long_label_suggests_the_rule_role() {
        let s = suggest("本项目由以下单位共同承担项目主管部门", Place::Header).unwrap();
        assert_eq!((s.table, s.role.as_str()), ("fields", "parent_department"));
    }
}
