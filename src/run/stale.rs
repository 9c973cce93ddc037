//! Record files in `--out` that a run did not write: left by an earlier run
//! whose input is gone, or (for a shard) by this shard's previous run.
//! Counted, and removed with `--clean`, but only files declx wrote: names
//! of declx's pattern that the previous report lists, as records or as
//! `stale` (each report carries forward the stale files it did not remove,
//! so none is forgotten). Other shards' files are never touched: a shard
//! only considers the names its own previous report lists.
//!
//! Every run holds a lock (`flock`) on the `--out` directory while it
//! writes: shared, or exclusive for a `--clean` that is not a shard's.
//! Both are taken without waiting: a second run is refused with one line
//! rather than cleaning under another run's feet or writing while one cleans.

use super::options::Options;
use super::runner::RunError;
use crate::output::report_name;
use crate::pathtext::path_text;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

/// The hold of a run on its output directory, released when dropped.
pub(super) struct OutLock {
    #[allow(dead_code)]
    file: fs::File,
}

/// Takes the directory: exclusively for a whole-directory `--clean`,
/// shared otherwise; refused when another run holds it the other way.
pub(super) fn lock(opts: &Options) -> Result<Option<OutLock>, RunError> {
    let Some(out) = &opts.out else { return Ok(None) };
    let exclusive = opts.clean && opts.shard.is_none();
    let err = |e: io::Error| RunError {
        what: format!("cannot lock {}", path_text(out)),
        source: e,
    };
    let file = fs::File::open(out).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let how = if exclusive { libc::LOCK_EX } else { libc::LOCK_SH };
        // SAFETY: `file` is an open descriptor; flock only reads it.
        if unsafe { libc::flock(file.as_raw_fd(), how | libc::LOCK_NB) } != 0 {
            let why = if exclusive {
                "--clean refused: another declx run is writing into this directory"
            } else {
                "another declx run is cleaning this directory (--clean); run again when it ends"
            };
            return Err(RunError {
                what: path_text(out),
                source: io::Error::other(why),
            });
        }
    }
    Ok(Some(OutLock { file }))
}

/// The record files a previous report lists: for a shard its own report,
/// else `_report.json` (read before the run overwrites it).
fn report_names(out: &Path, shard: Option<(u64, u64)>) -> Option<HashSet<String>> {
    let bytes = fs::read(out.join(report_name(shard))).ok()?;
    let report: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let names = report["inputs"]
        .as_array()?
        .iter()
        .flat_map(|i| i["records"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["file"].as_str().map(str::to_string))
        .chain(
            report["stale"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_string)),
        )
        .collect();
    Some(names)
}

/// Record files declx wrote into `--out` before this run (the previous
/// report's records and stale files), read before the run overwrites it.
pub(super) fn previous_names(opts: &Options) -> Option<HashSet<String>> {
    let out = opts.out.as_ref()?;
    report_names(out, opts.shard.map(|s| (s.k, s.n)))
}

/// A name declx gives a record file: `<stem>_<8 hex>.json` or
/// `<stem>_<8 hex>_<n>.json`, no directory part.
fn is_record_name(n: &str) -> bool {
    let Some(stem) = n.strip_suffix(".json") else {
        return false;
    };
    if n.starts_with(['_', '.']) || n.contains(['/', '\\']) {
        return false;
    }
    let stem = match stem.rsplit_once('_') {
        Some((head, k)) if !k.is_empty() && k.len() < 8 && k.chars().all(|c| c.is_ascii_digit()) => head,
        _ => stem,
    };
    stem.rsplit_once('_')
        .is_some_and(|(_, h)| h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The stale record files: declx's names the previous report lists that
/// this run did not write and that are still there, sorted.
pub(super) fn stale(opts: &Options, written: &HashSet<String>, previous: Option<&HashSet<String>>) -> Vec<String> {
    let (Some(out), Some(previous)) = (&opts.out, previous) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = previous
        .iter()
        .filter(|n| is_record_name(n) && !written.contains(*n))
        .filter(|n| fs::symlink_metadata(out.join(n)).is_ok_and(|m| m.is_file()))
        .cloned()
        .collect();
    stale.sort();
    stale
}

/// With `--clean`, removes the stale files; returns how many were removed.
pub(super) fn sweep(opts: &Options, stale: &[String]) -> usize {
    let Some(out) = &opts.out else { return 0 };
    if !opts.clean {
        return 0;
    }
    stale.iter().filter(|n| fs::remove_file(out.join(n)).is_ok()).count()
}

#[cfg(test)]
mod tests {
    use super::is_record_name;

    #[test]
    fn only_declx_record_names_are_candidates() {
        assert!(is_record_name("广州市天河区司法局_2024_a7c8ffef.json"));
        assert!(is_record_name("x_a7c8ffef_2.json"));
        for n in [
            "package.json",
            "tsconfig.json",
            "measurements-2023.json",
            "_report.json",
            "a_a7c8ffe.json",
            "../x_a7c8ffef.json",
        ] {
            assert!(!is_record_name(n), "{n}");
        }
    }
}
