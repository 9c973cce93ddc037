//! Record files in `--out` that a run did not write: left by an earlier run
//! whose input is gone, or (for a shard) by this shard's previous run.
//! Counted, and removed with `--clean`. Other shards' files are never
//! touched: a shard only considers the names its own previous report lists.

use super::options::Options;
use crate::output::report_name;
use std::collections::HashSet;
use std::fs;

/// For a shard, the record files its previous report lists (read before the
/// run overwrites that report).
pub(super) fn previous_names(opts: &Options) -> Option<HashSet<String>> {
    let shard = opts.shard?;
    let out = opts.out.as_ref()?;
    let bytes = fs::read(out.join(report_name(Some((shard.k, shard.n))))).ok()?;
    let report: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let names = report["inputs"]
        .as_array()?
        .iter()
        .flat_map(|i| i["records"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["file"].as_str().map(str::to_string))
        .collect();
    Some(names)
}

/// Counts (and with `--clean` removes) the stale record files; returns
/// (stale, removed).
pub(super) fn sweep(opts: &Options, written: &HashSet<String>, previous: Option<&HashSet<String>>) -> (usize, usize) {
    let Some(out) = &opts.out else { return (0, 0) };
    let candidates: Vec<String> = match (opts.shard, previous) {
        (Some(_), Some(prev)) => prev.iter().cloned().collect(),
        (Some(_), None) => Vec::new(),
        (None, _) => fs::read_dir(out)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter(|n| n.ends_with(".json") && !n.starts_with('_') && !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut stale: Vec<String> = candidates.into_iter().filter(|n| !written.contains(n)).collect();
    stale.retain(|n| out.join(n).is_file());
    stale.sort();
    let mut removed = 0;
    if opts.clean {
        for n in &stale {
            if fs::remove_file(out.join(n)).is_ok() {
                removed += 1;
            }
        }
    }
    (stale.len(), removed)
}
