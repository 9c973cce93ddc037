//! Claims: which cells a field has taken, and for which part of the record.
//! Every cell of a form nobody claims is `unmapped`.

use crate::grid::{CellRef, Row};
use crate::vocab::Section;
use rustc_hash::FxHashMap;
use std::fmt;

/// The part of the record a cell went to (what `declx inspect` shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Title,
    Field,
    Budget,
    Goal,
    KeyTasks,
    OtherTasks,
    Indicators,
    Info,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Field => "field",
            Part::Budget => "budget",
            Part::Goal => "overall_goal",
            Part::KeyTasks => "key_tasks",
            Part::OtherTasks => "other_tasks",
            Part::Indicators => "indicators",
            Part::Info => "info",
        }
    }
}

impl From<Section> for Part {
    fn from(s: Section) -> Self {
        match s {
            Section::Budget => Part::Budget,
            Section::Goal => Part::Goal,
            Section::KeyTasks => Part::KeyTasks,
            Section::OtherTasks => Part::OtherTasks,
            Section::Indicators => Part::Indicators,
            Section::BasicInfo => Part::Info,
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Cells a field has taken, with the part of the form that took them.
#[derive(Debug)]
pub struct Claims {
    // Looked up for every cell by every stage: Fx, not SipHash.
    taken: FxHashMap<(u32, u32), Part>,
    /// The part of the form being read: what `take` records.
    pub part: Part,
    /// Why the form's identity (department, unit) is what it is: what
    /// `declx inspect` prints under the form.
    pub why: Vec<String>,
}

impl Default for Claims {
    fn default() -> Self {
        Claims::with_capacity(0)
    }
}

impl Claims {
    /// Nearly every cell of a form is claimed: sized once instead of rehashed.
    pub fn with_capacity(cells: usize) -> Self {
        Claims {
            taken: FxHashMap::with_capacity_and_hasher(cells, Default::default()),
            part: Part::Title,
            why: Vec::new(),
        }
    }

    pub fn take(&mut self, row: &Row, col: u32) {
        self.taken.entry((row.index, col)).or_insert(self.part);
    }

    pub fn take_row(&mut self, row: &Row) {
        for c in &row.cells {
            self.take(row, c.col);
        }
    }

    pub fn has(&self, row: u32, col: u32) -> bool {
        self.taken.contains_key(&(row, col))
    }

    /// The part of the form that took a cell.
    pub fn part_of(&self, at: CellRef) -> Option<Part> {
        self.taken.get(&(at.row, at.col)).copied()
    }
}
