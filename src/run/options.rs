//! What a batch run is asked to do: inputs, outputs, parallelism, limits,
//! vocabulary.

use super::inputs::Shard;
use crate::output::{FindingsFormat, FlatFormat};
use crate::read::Limits;
use crate::rules::RuleSet;
use crate::vocab::Vocabulary;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    /// Paths on standard input (`-`) are NUL-separated.
    pub null_separated: bool,
    pub out: Option<PathBuf>,
    /// Remove files in `out` that this run did not write.
    pub clean: bool,
    /// `-` for standard output.
    pub jsonl: Option<PathBuf>,
    /// One row per 三级指标, as CSV or JSON Lines.
    pub flat: Option<(PathBuf, FlatFormat)>,
    /// `records.parquet` and `indicators.parquet` in this directory (cargo
    /// feature `parquet`; always `None` without it).
    pub parquet: Option<PathBuf>,
    /// `--db`: the tables in SQLite or PostgreSQL.
    pub db: Option<crate::output::db::DbTarget>,
    /// `--tables DIR`: the tables as CSV files with their DDL.
    pub tables: Option<PathBuf>,
    /// `--xlsx FILE`: the tables as a workbook.
    pub xlsx: Option<PathBuf>,
    /// A review site: `index.html` and a page per input.
    pub review: Option<PathBuf>,
    pub jobs: Option<usize>,
    pub shard: Option<Shard>,
    pub quiet: bool,
    pub limits: Limits,
    /// The labels the form stage knows: built in, or user files over it.
    pub vocab: Vocabulary,
    /// The review rules records are checked with: built in, or user files over them.
    pub rules: RuleSet,
    /// The findings (failed checks), one row per finding, as XLSX or CSV.
    pub findings: Option<(PathBuf, FindingsFormat)>,
}

impl Options {
    /// Whether a table sink (`--db`, `--tables`, `--xlsx`) needs each record's rows.
    pub fn wants_rows(&self) -> bool {
        self.db.is_some() || self.tables.is_some() || self.xlsx.is_some()
    }
}
