//! What a batch run is asked to do: inputs, outputs, parallelism, limits.

use super::inputs::Shard;
use crate::read::Limits;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    /// `-` for standard output.
    pub jsonl: Option<PathBuf>,
    /// `.csv` or `.jsonl`: one row per 三级指标.
    pub flat: Option<PathBuf>,
    pub jobs: Option<usize>,
    pub shard: Option<Shard>,
    pub quiet: bool,
    pub limits: Limits,
}
