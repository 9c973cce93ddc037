//! A batch run: extract the inputs in parallel, hand records in input order
//! to the sinks (files, JSON Lines, flat table, report) as they are made,
//! and report every input's outcome.

use super::batch::{extract_batch, Prepared, CHUNK};
use super::inputs::{self, Input};
pub use super::options::Options;
use crate::error::Error;
use crate::output::{
    FileSink, FlatSink, InputReport, JsonlSink, Namer, RecordSink, ReportSink, RunReport, SkippedSheet, Totals,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fs;
use std::io::{self, IsTerminal};
use std::time::Instant;

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

/// The sinks the options ask for, in the order they are finished.
fn sinks(opts: &Options) -> io::Result<Vec<Box<dyn RecordSink>>> {
    let mut sinks: Vec<Box<dyn RecordSink>> = Vec::new();
    if let Some(out) = &opts.out {
        fs::create_dir_all(out)?;
        sinks.push(Box::new(FileSink {
            dir: out.clone(),
            namer: Namer::default(),
        }));
    }
    if let Some(p) = &opts.jsonl {
        sinks.push(Box::new(JsonlSink::create(p)?));
    }
    if let Some(p) = &opts.flat {
        sinks.push(Box::new(FlatSink::create(p)?));
    }
    if let Some(out) = &opts.out {
        sinks.push(Box::new(ReportSink { dir: out.clone() }));
    }
    Ok(sinks)
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
    let mut sinks = sinks(opts)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .map_err(io::Error::other)?;
    let pb = progress(files.len(), opts.quiet);
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
                if let Err(e) = &result {
                    pb.suspend(|| eprintln!("declx: error: {e}"));
                }
                reports.push(write_outcome(input, result, &mut sinks, &mut totals)?);
            }
            for s in &mut sinks {
                s.flush()?;
            }
            pb.set_message(format!("{} records, {} failed", totals.records, totals.failed));
        }
        Ok(())
    })?;
    pb.finish_and_clear();
    let report = RunReport {
        declx_version: env!("CARGO_PKG_VERSION"),
        totals,
        inputs: reports,
        skipped,
        seconds: started.elapsed().as_secs_f64(),
    };
    for s in sinks {
        s.finish(&report)?;
    }
    Ok(report)
}

/// Hands one input's records to the sinks and makes its report entry.
fn write_outcome(
    input: &Input,
    result: Result<Prepared, Error>,
    sinks: &mut [Box<dyn RecordSink>],
    totals: &mut Totals,
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
                for s in sinks.iter_mut() {
                    s.record(&mut r)?;
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
            report.outcome = "error";
            report.error_code = Some(e.code());
            report.error = Some(e.to_string());
        }
    }
    Ok(report)
}
