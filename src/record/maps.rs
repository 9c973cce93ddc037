//! Ordered maps of the record: label → text in the order met, and column
//! key → value in column order.

use crate::value::{ColumnKey, Target};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Label → text, in the order met on the form. The second field indexes
/// the keys so that adding one is O(1) however many the form has (a sheet
/// of 4,000 repeated or 400,000 distinct labels was quadratic to cubic).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelMap(pub Vec<(String, String)>, KeyIndex);

/// The keys of a `LabelMap` and, per repeated label, the last `#n` given.
/// Derived from the entries, so it never makes two maps unequal.
#[derive(Clone, Default)]
pub struct KeyIndex {
    keys: rustc_hash::FxHashSet<String>,
    last: rustc_hash::FxHashMap<String, u32>,
}

impl PartialEq for KeyIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for KeyIndex {}

impl std::fmt::Debug for KeyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyIndex")
    }
}

impl LabelMap {
    /// Adds a field; a label seen again gets a numbered key (`联系人#2`):
    /// the first of `#2`, `#3` … not yet taken.
    pub fn insert(&mut self, label: String, value: String) {
        let index = &mut self.1;
        let mut key = label.clone();
        if index.keys.contains(&key) {
            // Keys are never removed: every number up to the last one given
            // for this label is still taken.
            let n = index.last.entry(label.clone()).or_insert(1);
            loop {
                *n += 1;
                key = format!("{label}#{n}");
                if !index.keys.contains(&key) {
                    break;
                }
            }
        }
        index.keys.insert(key.clone());
        self.0.push((key, value));
    }

    pub fn get(&self, label: &str) -> Option<&str> {
        if !self.1.keys.contains(label) {
            return None;
        }
        self.0.iter().find(|(k, _)| k == label).map(|(_, v)| v.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for LabelMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Column key → value object, in column order.
#[derive(Debug, Clone, Default)]
pub struct Values(pub Vec<(ColumnKey, Target)>);

impl Values {
    pub fn get(&self, key: &ColumnKey) -> Option<&Target> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, t)| t)
    }
}

impl Serialize for Values {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
