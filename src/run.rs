//! A batch run: collect inputs, extract them in parallel, write records in
//! input order as they are made, and report every input's outcome.

use crate::error::{Error, ErrorKind};
use crate::output::{self, InputReport, Namer, RecordReport, RunReport, SkippedFile, SkippedSheet, Totals};
use crate::read::{Format, Limits};
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
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub limits: Limits,
}

/// Files to read, and files passed over with the reason.
pub fn collect_inputs(roots: &[PathBuf]) -> io::Result<(Vec<PathBuf>, Vec<SkippedFile>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for root in roots {
        if root.as_os_str() == "-" {
            let mut text = String::new();
            io::Read::read_to_string(&mut io::stdin(), &mut text)?;
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                consider(Path::new(line), &mut files, &mut skipped);
            }
        } else if root.is_dir() {
            walk(root, &mut files, &mut skipped)?;
        } else {
            consider(root, &mut files, &mut skipped);
        }
    }
    Ok((files, skipped))
}

fn consider(path: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<SkippedFile>) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let reason = if name.starts_with("~$") || name.starts_with(".~lock") {
        Some("office lock file")
    } else if Format::from_path(path).is_none() {
        Some("not a format declx reads")
    } else {
        None
    };
    match reason {
        Some(r) => skipped.push(SkippedFile {
            path: path.display().to_string(),
            reason: r.into(),
        }),
        None => files.push(path.to_path_buf()),
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<SkippedFile>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, files, skipped)?;
        } else {
            consider(&p, files, skipped);
        }
    }
    Ok(())
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

/// Runs a batch. Returns the report; the caller maps it to an exit code.
pub fn run(opts: &Options) -> io::Result<RunReport> {
    let started = Instant::now();
    let (files, skipped) = collect_inputs(&opts.inputs)?;
    if let Some(out) = &opts.out {
        fs::create_dir_all(out)?;
    }
    let mut jsonl: Option<Box<dyn Write>> = match &opts.jsonl {
        Some(p) if p.as_os_str() == "-" => Some(Box::new(io::BufWriter::new(io::stdout().lock()))),
        Some(p) => Some(Box::new(io::BufWriter::new(fs::File::create(p)?))),
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
    let mut inputs = Vec::with_capacity(files.len());
    // Chunks keep memory flat and the output in input order whatever the jobs.
    for chunk in files.chunks(64) {
        let results: Vec<Result<FileOutcome, Error>> =
            pool.install(|| chunk.par_iter().map(|p| extract_guarded(p, &opts.limits)).collect());
        for (path, result) in chunk.iter().zip(results) {
            pb.inc(1);
            let mut report = InputReport {
                path: path.display().to_string(),
                outcome: "ok",
                records: Vec::new(),
                skipped_sheets: Vec::new(),
                error: None,
                error_code: None,
            };
            match result {
                Ok(outcome) => {
                    totals.ok += 1;
                    for r in &outcome.records {
                        totals.records += 1;
                        totals.warnings += r.warnings.len();
                        let mut file = None;
                        if let Some(out) = &opts.out {
                            let name = namer.name(r);
                            output::write_atomic(&out.join(&name), &output::to_pretty(r))?;
                            file = Some(name);
                        }
                        if let Some(w) = jsonl.as_mut() {
                            w.write_all(&output::to_line(r))?;
                        }
                        report.records.push(RecordReport::of(r, file));
                    }
                    report.skipped_sheets = outcome
                        .skipped_sheets
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
            inputs.push(report);
        }
        if let Some(w) = jsonl.as_mut() {
            w.flush()?;
        }
        pb.set_message(format!("{} records, {} failed", totals.records, totals.failed));
    }
    pb.finish_and_clear();
    let report = RunReport {
        declx_version: env!("CARGO_PKG_VERSION"),
        totals,
        inputs,
        skipped,
        seconds: 0.0,
    };
    if let Some(out) = &opts.out {
        output::write_atomic(&output::report_path(out), &output::to_pretty(&report))?;
    }
    Ok(RunReport {
        seconds: started.elapsed().as_secs_f64(),
        ..report
    })
}
