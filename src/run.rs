//! A batch run: extract the inputs in parallel, write records in input order
//! as they are made, and report every input's outcome.

use crate::error::{Error, ErrorKind};
use crate::flat::FlatWriter;
use crate::inputs::{self, Input, Shard};
use crate::output::{self, InputReport, Namer, RecordReport, RunReport, SkippedSheet, Totals};
use crate::read::Limits;
use crate::FileOutcome;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

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

/// Files extracted per parallel batch: keeps memory flat in the number of
/// files and the output in input order, whatever the number of jobs.
const CHUNK: usize = 256;

/// One file's records with their serialised forms, made on the worker
/// threads so the writer only copies bytes.
struct Prepared {
    records: Vec<PreparedRecord>,
    skipped_sheets: Vec<(String, String)>,
}

/// What the writer needs of one record, made on the worker thread so the
/// record itself is dropped there (freeing across threads was costly).
struct PreparedRecord {
    report: RecordReport,
    /// `record_stem` and `stable_suffix`, for the file name under `--out`.
    name: Option<(String, String)>,
    /// Pretty JSON, for `--out`.
    pretty: Option<Vec<u8>>,
    /// One line, for `--jsonl`.
    line: Option<Vec<u8>>,
    /// The record itself, kept only for `--flat`.
    record: Option<crate::Record>,
}

fn prepare(path: &Path, opts: &Options) -> Result<Prepared, Error> {
    let outcome = extract_guarded(path, &opts.limits)?;
    let records = outcome
        .records
        .into_iter()
        .map(|r| PreparedRecord {
            report: RecordReport::of(&r, None),
            name: opts
                .out
                .as_ref()
                .map(|_| (output::record_stem(&r), output::stable_suffix(&r))),
            pretty: opts.out.as_ref().map(|_| output::to_pretty(&r)),
            line: opts.jsonl.as_ref().map(|_| output::to_line(&r)),
            record: opts.flat.as_ref().map(|_| r),
        })
        .collect();
    Ok(Prepared {
        records,
        skipped_sheets: outcome.skipped_sheets,
    })
}

/// One file under catch_unwind: a panic is an internal error for that file only.
fn extract_guarded(path: &Path, limits: &Limits) -> Result<FileOutcome, Error> {
    match catch_unwind(AssertUnwindSafe(|| crate::extract_file(path, limits))) {
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

fn progress(total: usize, quiet: bool) -> ProgressBar {
    let pb = ProgressBar::new(total as u64);
    if quiet || !io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  {per_sec}  ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// A file written under a temp name and renamed into place when complete.
/// A target that exists and is not a regular file (`/dev/null`, a named
/// pipe) is written directly: renaming over it would replace the device.
struct PendingFile {
    /// Where the bytes go now; the target itself when written directly.
    path: PathBuf,
    target: PathBuf,
}

impl PendingFile {
    fn new(target: &Path) -> Self {
        let special = fs::metadata(target).is_ok_and(|m| !m.is_file());
        if special {
            return PendingFile {
                path: target.to_path_buf(),
                target: target.to_path_buf(),
            };
        }
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        PendingFile {
            path: dir.join(format!(".{name}.{}.tmp", std::process::id())),
            target: target.to_path_buf(),
        }
    }

    fn commit(self) -> io::Result<()> {
        if self.path == self.target {
            return Ok(());
        }
        fs::rename(&self.path, &self.target)
    }
}

/// Runs a batch. Returns the report; the caller maps it to an exit code.
pub fn run(opts: &Options) -> io::Result<RunReport> {
    let started = Instant::now();
    let (mut files, skipped) = inputs::collect(&opts.inputs, || {
        let mut text = String::new();
        io::Read::read_to_string(&mut io::stdin(), &mut text)?;
        Ok(text)
    })?;
    if let Some(shard) = opts.shard {
        files.retain(|f| shard.takes(&f.rel));
    }
    if let Some(out) = &opts.out {
        fs::create_dir_all(out)?;
    }
    let mut pending = Vec::new();
    let mut jsonl: Option<Box<dyn Write>> = match &opts.jsonl {
        Some(p) if p.as_os_str() == "-" => Some(Box::new(io::BufWriter::new(io::stdout().lock()))),
        Some(p) => {
            let f = PendingFile::new(p);
            let w = io::BufWriter::new(fs::File::create(&f.path)?);
            pending.push(f);
            Some(Box::new(w))
        }
        None => None,
    };
    let mut flat = match &opts.flat {
        Some(p) => {
            let f = PendingFile::new(p);
            let w = FlatWriter::create(&f.path, p)?;
            pending.push(f);
            Some(w)
        }
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .map_err(io::Error::other)?;
    let pb = progress(files.len(), opts.quiet);
    let mut namer = Namer::default();
    let mut totals = Totals {
        inputs: files.len(),
        skipped_files: skipped.len(),
        ..Totals::default()
    };
    let mut reports = Vec::with_capacity(files.len());
    // The workers extract batch k+1 while this thread writes batch k, in
    // input order: writing never leaves the workers idle.
    std::thread::scope(|scope| -> io::Result<()> {
        let extract = |chunk| extract_batch(scope, &pool, chunk, opts);
        let mut chunks = files.chunks(CHUNK);
        let mut running = chunks.next().map(|c| (c, extract(c)));
        while let Some((chunk, handle)) = running.take() {
            running = chunks.next().map(|c| (c, extract(c)));
            let results = handle.join().expect("extraction threads catch panics per file");
            for (input, result) in chunk.iter().zip(results) {
                pb.inc(1);
                let report = write_outcome(input, result, opts, &mut namer, &mut totals, &mut jsonl, &mut flat, &pb)?;
                reports.push(report);
            }
            if let Some(w) = jsonl.as_mut() {
                w.flush()?;
            }
            pb.set_message(format!("{} records, {} failed", totals.records, totals.failed));
        }
        Ok(())
    })?;
    pb.finish_and_clear();
    if let Some(mut w) = jsonl.take() {
        w.flush()?;
    }
    if let Some(w) = flat.take() {
        w.finish()?;
    }
    for f in pending {
        f.commit()?;
    }
    let report = RunReport {
        declx_version: env!("CARGO_PKG_VERSION"),
        totals,
        inputs: reports,
        skipped,
        seconds: started.elapsed().as_secs_f64(),
    };
    if let Some(out) = &opts.out {
        output::write_atomic(&output::report_path(out), &output::to_pretty(&report))?;
    }
    Ok(report)
}

/// Starts extracting a batch on the pool; the handle gives the results in
/// input order.
fn extract_batch<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    pool: &'env rayon::ThreadPool,
    chunk: &'env [Input],
    opts: &'env Options,
) -> std::thread::ScopedJoinHandle<'scope, Vec<Result<Prepared, Error>>> {
    scope.spawn(move || pool.install(|| chunk.par_iter().map(|f| prepare(&f.path, opts)).collect()))
}

#[allow(clippy::too_many_arguments)]
fn write_outcome(
    input: &Input,
    result: Result<Prepared, Error>,
    opts: &Options,
    namer: &mut Namer,
    totals: &mut Totals,
    jsonl: &mut Option<Box<dyn Write>>,
    flat: &mut Option<FlatWriter>,
    pb: &ProgressBar,
) -> io::Result<InputReport> {
    let mut report = InputReport {
        path: input.path.display().to_string(),
        outcome: "ok",
        records: Vec::new(),
        skipped_sheets: Vec::new(),
        error: None,
        error_code: None,
    };
    match result {
        Ok(Prepared {
            records,
            skipped_sheets,
        }) => {
            totals.ok += 1;
            for mut r in records {
                totals.records += 1;
                totals.warnings += r.report.warnings.values().sum::<usize>();
                if let (Some(out), Some(bytes), Some((stem, suffix))) = (&opts.out, &r.pretty, &r.name) {
                    let name = namer.name_for(stem, suffix);
                    output::write_atomic(&out.join(&name), bytes)?;
                    r.report.file = Some(name);
                }
                if let (Some(w), Some(line)) = (jsonl.as_mut(), &r.line) {
                    w.write_all(line)?;
                }
                if let (Some(w), Some(record)) = (flat.as_mut(), &r.record) {
                    w.write(record)?;
                }
                report.records.push(r.report);
            }
            report.skipped_sheets = skipped_sheets
                .into_iter()
                .map(|(sheet, reason)| SkippedSheet { sheet, reason })
                .collect();
        }
        Err(e) => {
            totals.failed += 1;
            pb.suspend(|| eprintln!("declx: error: {e}"));
            report.outcome = "error";
            report.error_code = Some(e.code());
            report.error = Some(e.to_string());
        }
    }
    Ok(report)
}
