//! Reading a vocabulary file: TOML text into checked entries, each with the
//! line it came from, and several files merged into one list per table (the
//! built-in file first, user files over it). Knows the table names and the
//! roles each table allows, not what a role does: that is `data`.

use super::fold::fold;
use super::role::{Role, Table, WordList};
use std::fmt;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A vocabulary file that cannot be used: the file, the line and what is
/// wrong with it (with the names or roles allowed there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabError {
    pub file: String,
    /// 0 when the file could not be read at all.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for VocabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for VocabError {}

/// How a rule's word must sit in a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Prefix,
    Suffix,
    Contains,
}

impl Match {
    const NAMES: [(&'static str, Match); 3] = [
        ("prefix", Match::Prefix),
        ("suffix", Match::Suffix),
        ("contains", Match::Contains),
    ];
}

/// One file's entries, in file order.
#[derive(Debug, Default)]
pub struct Layer {
    /// (table, folded label, role); `Role::None` removes a label.
    pub labels: Vec<(Table, String, Role)>,
    /// (table, how, folded word, role).
    pub rules: Vec<(Table, Match, String, Role)>,
    pub words: Vec<(WordList, String)>,
}

/// Parses one vocabulary file. `name` is what errors call it.
pub fn parse(name: &str, text: &str) -> Result<Layer, VocabError> {
    let at = |span: std::ops::Range<usize>| line_of(text, span.start);
    let err = |span: std::ops::Range<usize>, message: String| VocabError {
        file: name.to_string(),
        line: at(span),
        message,
    };
    let doc = parse_toml(name, text)?;
    let mut layer = Layer::default();
    for (key, value) in doc.get_ref() {
        let table_name = key.get_ref().as_ref();
        let Some(entries) = value.get_ref().as_table() else {
            return Err(err(
                key.span(),
                format!("`{table_name}` must be a table ([{table_name}])"),
            ));
        };
        match table_name {
            "rules" => parse_rules(entries, &mut layer, &err)?,
            "words" => parse_words(entries, &mut layer, &err)?,
            _ => {
                let Some(table) = Table::named(table_name) else {
                    return Err(err(
                        key.span(),
                        format!(
                            "unknown table [{table_name}]; the tables are {}, rules, words",
                            Table::names()
                        ),
                    ));
                };
                for (label, role) in entries {
                    let role = Role::parse(table, role.get_ref()).ok_or_else(|| {
                        err(
                            role.span(),
                            format!(
                                "unknown role {} for \"{}\" in [{table_name}]; allowed: {}",
                                shown(role.get_ref()),
                                label.get_ref(),
                                table.allowed()
                            ),
                        )
                    })?;
                    let folded = fold(label.get_ref()).into_owned();
                    if folded.is_empty() {
                        return Err(err(label.span(), "an empty label".into()));
                    }
                    let folded = if table.folds_labels() {
                        folded
                    } else {
                        label.get_ref().to_string()
                    };
                    layer.labels.push((table, folded, role));
                }
            }
        }
    }
    Ok(layer)
}

type ErrAt<'a> = dyn Fn(std::ops::Range<usize>, String) -> VocabError + 'a;

fn parse_rules(entries: &DeTable, layer: &mut Layer, err: &ErrAt) -> Result<(), VocabError> {
    for (key, value) in entries {
        let name = key.get_ref().as_ref();
        let Some(table) = Table::named(name).filter(|t| t.has_rules()) else {
            return Err(err(
                key.span(),
                format!("no rules for [{name}]; [rules] has fields, sections, goal_parts"),
            ));
        };
        let usage = || {
            format!(
                "a rule is [how, word, role] with how one of prefix, suffix, contains and role one of {}",
                table.roles()
            )
        };
        let Some(rules) = value.get_ref().as_array() else {
            return Err(err(value.span(), usage()));
        };
        for rule in rules.iter() {
            let parts: Option<Vec<&Spanned<DeValue>>> = rule.get_ref().as_array().map(|a| a.iter().collect());
            let (how, word, role) = match parts.as_deref() {
                Some([how, word, role]) => (how, word, role),
                _ => return Err(err(rule.span(), usage())),
            };
            let how = how
                .get_ref()
                .as_str()
                .and_then(|h| Match::NAMES.iter().find(|(n, _)| *n == h))
                .map(|&(_, m)| m)
                .ok_or_else(|| err(how.span(), usage()))?;
            let word = word
                .get_ref()
                .as_str()
                .map(|w| fold(w).into_owned())
                .filter(|w| !w.is_empty())
                .ok_or_else(|| err(word.span(), usage()))?;
            let role = Role::parse(table, role.get_ref())
                .filter(|r| *r != Role::None)
                .ok_or_else(|| err(role.span(), usage()))?;
            layer.rules.push((table, how, word, role));
        }
    }
    Ok(())
}

fn parse_words(entries: &DeTable, layer: &mut Layer, err: &ErrAt) -> Result<(), VocabError> {
    for (key, value) in entries {
        let name = key.get_ref().as_ref();
        let Some(list) = WordList::named(name) else {
            return Err(err(
                key.span(),
                format!(
                    "unknown word list `{name}` in [words]; the lists are {}",
                    WordList::names()
                ),
            ));
        };
        let Some(words) = value.get_ref().as_array() else {
            return Err(err(value.span(), format!("`{name}` must be a list of strings")));
        };
        for w in words.iter() {
            let Some(s) = w.get_ref().as_str().filter(|s| !s.trim().is_empty()) else {
                return Err(err(w.span(), format!("`{name}` must be a list of non-empty strings")));
            };
            let s = if list.folds() {
                fold(s).into_owned()
            } else {
                s.to_string()
            };
            layer.words.push((list, s));
        }
    }
    Ok(())
}

/// A value as the error shows it.
fn shown(v: &DeValue) -> String {
    match v {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(i) => i.as_str().to_string(),
        other => format!("({})", other.type_str()),
    }
}

/// A data file's TOML (a vocabulary, a rules file), with its spans; bad
/// TOML is an error naming the file and the line.
pub fn parse_toml<'t>(name: &str, text: &'t str) -> Result<Spanned<DeTable<'t>>, VocabError> {
    DeTable::parse(text).map_err(|e| VocabError {
        file: name.to_string(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: format!("not TOML: {}", e.message().trim_end()),
    })
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::active::DEFAULT_TOML;

    /// Built-in labels are written as they are matched: folding them at
    /// load changes none (so the file reads as what declx compares).
    #[test]
    fn built_in_labels_are_written_folded() {
        let doc = DeTable::parse(DEFAULT_TOML).unwrap();
        for (table, entries) in doc.get_ref() {
            let Some(t) = Table::named(table.get_ref()).filter(|t| t.folds_labels()) else {
                continue;
            };
            for (label, _) in entries.get_ref().as_table().unwrap() {
                assert_eq!(
                    fold(label.get_ref()),
                    label.get_ref().as_ref(),
                    "[{}] {}",
                    t.name(),
                    label.get_ref()
                );
            }
        }
    }

    #[test]
    fn the_built_in_file_parses_and_fills_every_table_and_list() {
        let layer = parse("default.toml", DEFAULT_TOML).unwrap();
        for t in Table::ALL {
            assert!(layer.labels.iter().any(|(lt, ..)| *lt == t), "[{}] is empty", t.name());
        }
        for l in WordList::ALL {
            assert!(
                layer.words.iter().any(|(wl, _)| *wl == l),
                "words.{} is empty",
                l.name()
            );
        }
    }

    #[test]
    fn user_labels_are_folded_like_cells() {
        let layer = parse("u.toml", "[fields]\n\"填报　主体：\" = \"department\"\n").unwrap();
        assert_eq!(layer.labels[0].1, "填报主体");
    }
}
