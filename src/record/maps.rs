//! Ordered maps of the record: label → text in the order met, and column
//! key → value in column order.

use crate::value::{ColumnKey, Target};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Label → text, in the order met on the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelMap(pub Vec<(String, String)>);

impl LabelMap {
    /// Adds a field; a label seen again gets a numbered key (`联系人#2`).
    pub fn insert(&mut self, label: String, value: String) {
        let mut key = label.clone();
        let mut n = 1;
        while self.0.iter().any(|(k, _)| *k == key) {
            n += 1;
            key = format!("{label}#{n}");
        }
        self.0.push((key, value));
    }

    pub fn get(&self, label: &str) -> Option<&str> {
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
