//! Batches: the inputs extracted in parallel on a rayon pool, each file
//! under `catch_unwind`, and each record serialised on the worker thread.

use super::inputs::Input;
use super::options::Options;
use super::stop;
use crate::error::{Error, ErrorKind};
use crate::output::{self, PreparedRecord, RecordReport};
use crate::review::ReviewPage;
use crate::FileOutcome;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Files extracted per parallel batch: keeps memory flat in the number of
/// files and the output in input order, whatever the number of jobs.
pub(super) const CHUNK: usize = 256;

/// One file's records with their serialised forms; `None` when the run was
/// stopped before the file was read.
pub(super) type Outcome = Option<(Result<Prepared, Error>, Option<ReviewPage>)>;

/// One file's records with their serialised forms.
pub(super) struct Prepared {
    pub records: Vec<PreparedRecord>,
    pub skipped_sheets: Vec<(String, String)>,
}

fn prepare(input: &Input, opts: &Options) -> (Result<Prepared, Error>, Option<ReviewPage>) {
    let (outcome, page) = opts.rules.scope(|| {
        opts.vocab.scope(|| {
            if opts.review.is_none() {
                return (extract_guarded(&input.path, &opts.limits), None);
            }
            // `--review`: one read gives the records and the page, drawn also when
            // the file gave no record (a file that cannot be read has none).
            let grids = extract_guarded_with(&input.path, |p| crate::read::read_file(p, &opts.limits));
            match grids {
                Err(e) => (Err(e), None),
                Ok(grids) => (
                    extract_guarded_with(&input.path, |p| crate::pipeline::outcome(p, &grids)),
                    extract_guarded_with(&input.path, |p| crate::review::page_of(p, &grids, None)).ok(),
                ),
            }
        })
    });
    (prepare_records(input, opts, outcome), page)
}

fn prepare_records(input: &Input, opts: &Options, outcome: Result<FileOutcome, Error>) -> Result<Prepared, Error> {
    let outcome = outcome?;
    let records = outcome
        .records
        .into_iter()
        .map(|r| PreparedRecord {
            report: RecordReport::of(&r, None),
            name: opts.out.as_ref().map(|_| output::record_name(&r, &input.rel)),
            pretty: opts.out.as_ref().map(|_| output::to_pretty(&r)),
            line: (opts.jsonl.is_some() || opts.parquet.is_some()).then(|| output::to_line(&r)),
            findings: opts.findings.as_ref().map(|_| crate::rules::findings(&r, &opts.rules)),
            rows: opts
                .wants_rows()
                .then(|| std::sync::Arc::new(output::db::record_rows(&r, &output::to_json(&r)))),
            record: (opts.flat.is_some() || opts.parquet.is_some()).then_some(r),
        })
        .collect();
    Ok(Prepared {
        records,
        skipped_sheets: outcome.skipped_sheets,
    })
}

/// One file under catch_unwind: a panic is an internal error for that file only.
fn extract_guarded(path: &Path, limits: &crate::Limits) -> Result<FileOutcome, Error> {
    extract_guarded_with(path, |p| crate::extract_file(p, limits))
}

/// Any per-file job under catch_unwind.
pub(super) fn extract_guarded_with<T>(path: &Path, job: impl FnOnce(&Path) -> Result<T, Error>) -> Result<T, Error> {
    match catch_unwind(AssertUnwindSafe(|| job(path))) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            Err(Error::new(path, ErrorKind::Internal(msg)))
        }
    }
}

/// Starts extracting a batch on the pool; the handle gives the results in
/// input order. A file not started when the run is stopped is left unread.
pub(super) fn extract_batch<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    pool: &'env rayon::ThreadPool,
    chunk: &'env [Input],
    opts: &'env Options,
    pb: &'env ProgressBar,
) -> std::thread::ScopedJoinHandle<'scope, Vec<Outcome>> {
    scope.spawn(move || {
        pool.install(|| {
            chunk
                .par_iter()
                .map(|f| {
                    if stop::requested() {
                        return None;
                    }
                    // One file never holds the batch: past --max-seconds it
                    // fails alone; on a signal it stops where it is, unread.
                    let budget = crate::Budget::new(Some(opts.limits.max_seconds), stop::requested);
                    let (r, page) = budget.scope(|| prepare(f, opts));
                    if matches!(&r, Err(e) if crate::read::budget::is_stopped(e.kind())) {
                        return None;
                    }
                    // A hidden bar (off a terminal, --quiet) costs no lock per file.
                    if !pb.is_hidden() {
                        pb.inc(1);
                    }
                    Some((r, page))
                })
                .collect()
        })
    })
}
