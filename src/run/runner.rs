//! A batch run: extract the inputs in parallel, hand records in input order
//! to the sinks (files, JSON Lines, flat table, report) as they are made,
//! and report every input's outcome. A signal or a closed pipe stops it
//! cleanly: no temp file is left, and the report lists what finished.

use super::batch::{extract_batch, Prepared, CHUNK};
use super::inputs::{self, Input, InputOptions};
use super::options::Options;
use super::stale;
use super::stop;
use crate::error::Error;
use crate::output::{
    report_name, FileSink, FlatSink, InputReport, JsonlSink, OutputError, RecordSink, ReportSink, RunReport,
    SkippedFile, SkippedSheet,
};
use crate::pathtext::{path_text, terminal_line};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashSet;
use std::fmt;
use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;
use std::time::Instant;

/// Why a run stopped before its last input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// SIGINT or SIGTERM.
    Signal,
    /// The reader of `--jsonl -` went away.
    BrokenPipe,
}

/// What a run did.
#[derive(Debug)]
pub struct RunOutcome {
    pub report: RunReport,
    pub stopped: Option<Stopped>,
    /// Files in `--out` this run did not write (earlier runs, removed
    /// inputs), and how many of them `--clean` removed.
    pub stale: usize,
    pub removed: usize,
}

/// A run-level failure, naming the path it concerns.
#[derive(Debug)]
pub struct RunError {
    pub what: String,
    pub source: io::Error,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what, self.source)
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl From<OutputError> for RunError {
    fn from(e: OutputError) -> Self {
        RunError {
            what: format!("cannot write {}", e.path),
            source: e.source,
        }
    }
}

/// The worker threads of a run (`--jobs`, default all cores).
pub(super) fn pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, RunError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| RunError {
            what: "cannot start worker threads".into(),
            source: io::Error::other(e),
        })
}

/// A progress bar over `total` files, hidden off a terminal or when quiet.
pub(super) fn progress(total: usize, quiet: bool) -> ProgressBar {
    let pb = ProgressBar::new(total as u64);
    if quiet || !io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// The bar's message: records, failures, and a whole-number rate and ETA
/// once a second has passed (earlier ones mislead).
fn progress_message(report: &RunReport, pb: &ProgressBar, started: Instant) -> String {
    let t = &report.totals;
    let mut msg = format!("{} records, {} failed", t.records, t.failed);
    let secs = started.elapsed().as_secs_f64();
    if secs >= 1.0 {
        let rate = pb.position() as f64 / secs;
        let left = pb.length().unwrap_or(0).saturating_sub(pb.position());
        msg.push_str(&format!("  {rate:.0}/s"));
        if rate > 0.0 {
            msg.push_str(&format!("  ETA {:.0}s", left as f64 / rate));
        }
    }
    msg
}

/// The sinks the options ask for, in the order they are finished.
fn sinks(opts: &Options) -> Result<Vec<Box<dyn RecordSink>>, RunError> {
    let mut sinks: Vec<Box<dyn RecordSink>> = Vec::new();
    if let Some(out) = &opts.out {
        sinks.push(Box::new(FileSink::create(out)?));
    }
    if let Some(p) = &opts.jsonl {
        sinks.push(Box::new(JsonlSink::create(p)?));
    }
    if let Some((p, format)) = &opts.flat {
        sinks.push(Box::new(FlatSink::create(p, *format)?));
    }
    #[cfg(feature = "parquet")]
    if let Some(dir) = &opts.parquet {
        sinks.push(Box::new(crate::output::ParquetSink::create(dir)?));
    }
    #[cfg(not(feature = "parquet"))]
    if let Some(dir) = &opts.parquet {
        return Err(RunError {
            what: format!("--parquet {}", path_text(dir)),
            source: io::Error::other("this declx was built without the `parquet` feature"),
        });
    }
    if let Some(db) = &opts.db {
        sinks.push(crate::output::db::db_sink(db)?);
    }
    if let Some(dir) = &opts.tables {
        sinks.push(crate::output::db::tables_sink(dir)?);
    }
    if let Some(p) = &opts.xlsx {
        sinks.push(crate::output::db::xlsx_sink(p)?);
    }
    if let Some(dir) = &opts.review {
        sinks.push(Box::new(crate::output::ReviewSink::create(dir)?));
    }
    if let Some((p, format)) = &opts.findings {
        sinks.push(Box::new(crate::output::FindingsSink::create(p, *format)?));
    }
    if let Some(out) = &opts.out {
        let name = report_name(opts.shard.map(|s| (s.k, s.n)));
        sinks.push(Box::new(ReportSink::create(&out.join(name))?));
    }
    Ok(sinks)
}

/// The inputs of the run: walked, deduplicated, the run's own outputs
/// excluded, this shard's share; and the directories that could not be read.
/// An output file that is also an input is refused before anything is read.
fn inputs(opts: &Options, report: &mut RunReport) -> Result<(Vec<Input>, Vec<InputReport>), RunError> {
    let mut exclude: Vec<PathBuf> = opts.out.iter().cloned().collect();
    exclude.extend(opts.jsonl.iter().filter(|p| p.as_os_str() != "-").cloned());
    exclude.extend(opts.flat.iter().map(|(p, _)| p.clone()));
    exclude.extend(opts.parquet.iter().cloned());
    exclude.extend(opts.review.iter().cloned());
    exclude.extend(opts.findings.iter().map(|(p, _)| p.clone()));
    exclude.extend(opts.db.iter().flat_map(|d| d.files()));
    exclude.extend(opts.tables.iter().chain(&opts.xlsx).cloned());
    let input_opts = InputOptions {
        null_separated: opts.null_separated,
        exclude,
    };
    let stdin = || {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let walked = inputs::walk(&opts.inputs, stdin, &input_opts).map_err(|e| RunError {
        what: "cannot read the list of inputs".into(),
        source: e,
    })?;
    let mut skipped = walked.skipped;
    let (own, clash): (Vec<_>, Vec<_>) = walked.outputs_met.into_iter().partition(|(p, _)| is_declx_output(p));
    // A previous run's output found again is passed over; anything else
    // would be destroyed by this run's write.
    for (p, _) in own {
        skipped.push(SkippedFile {
            path: path_text(&p),
            reason: "an output of this run".into(),
        });
    }
    if let Some((input, output)) = clash.first() {
        let flag = if opts.jsonl.as_ref() == Some(output) {
            "--jsonl"
        } else if opts.flat.as_ref().is_some_and(|(p, _)| p == output) {
            "--flat"
        } else {
            "an output"
        };
        return Err(RunError {
            what: format!("{flag} {}", path_text(output)),
            source: io::Error::other(format!(
                "is also an input ({}); nothing was read or written",
                path_text(input)
            )),
        });
    }
    let mut files = walked.files;
    if let Some(shard) = opts.shard {
        files.retain(|f| shard.takes(&f.rel));
    }
    report.totals.skipped_files = skipped.len();
    report.skipped = skipped;
    let unreadable = walked
        .unreadable
        .into_iter()
        .map(|(path, e)| InputReport {
            path: path_text(&path),
            outcome: "error",
            records: Vec::new(),
            skipped_sheets: Vec::new(),
            error: Some(format!("{}: cannot read the directory: {e}", path_text(&path))),
            error_code: Some("io"),
            review: None,
        })
        .collect();
    Ok((files, unreadable))
}

/// Whether a file an output of this run would replace holds only what
/// declx writes there: nothing, a flat table (its header), or JSON Lines.
fn is_declx_output(path: &std::path::Path) -> bool {
    let mut head = [0u8; 32];
    let n = std::fs::File::open(path)
        .and_then(|mut f| {
            let mut n = 0;
            while n < head.len() {
                match f.read(&mut head[n..])? {
                    0 => break,
                    k => n += k,
                }
            }
            Ok(n)
        })
        .unwrap_or(usize::MAX);
    n == 0
        || (n != usize::MAX
            && (head[..n].starts_with("\u{feff}department,year,form,".as_bytes()) || head[..n].starts_with(b"{\"")))
}

/// Runs a batch. The caller maps the outcome to an exit code.
pub fn run(opts: &Options) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    stop::install();
    let mut report = RunReport::new();
    let (files, unreadable) = inputs(opts, &mut report)?;
    let mut sinks = sinks(opts)?;
    let _lock = stale::lock(opts)?;
    let previous = stale::previous_names(opts);
    let pool = pool(opts.jobs)?;
    let pb = progress(files.len(), opts.quiet);
    let mut written: HashSet<String> = HashSet::new();
    let mut stopped = None;
    // The workers extract batch k+1 while this thread writes batch k, in
    // input order: writing never leaves the workers idle.
    let result = std::thread::scope(|scope| -> Result<(), OutputError> {
        // Directories that could not be read fail like files that cannot be.
        for entry in &unreadable {
            if let Some(e) = &entry.error {
                pb.suspend(|| eprintln!("declx: error: {}", terminal_line(e)));
            }
            report.add(entry);
            for s in &mut sinks {
                s.input(entry)?;
            }
        }
        let extract = |chunk| extract_batch(scope, &pool, chunk, opts, &pb);
        let mut chunks = files.chunks(CHUNK);
        let mut running = chunks.next().map(|c| (c, extract(c)));
        while let Some((chunk, handle)) = running.take() {
            if !stop::requested() {
                running = chunks.next().map(|c| (c, extract(c)));
            }
            let results = handle.join().expect("extraction threads catch panics per file");
            for (input, result) in chunk.iter().zip(results) {
                let Some((result, page)) = result else { continue };
                if let Err(e) = &result {
                    pb.suspend(|| eprintln!("declx: error: {}", terminal_line(&e.to_string())));
                }
                let entry = write_outcome(input, result, page, &mut sinks, &mut written);
                match entry {
                    Ok(entry) => {
                        report.add(&entry);
                        for s in &mut sinks {
                            s.input(&entry)?;
                        }
                    }
                    Err(e) if e.is_broken_pipe() => {
                        stopped = Some(Stopped::BrokenPipe);
                        stop::request();
                        return Ok(());
                    }
                    Err(e) => return Err(e),
                }
                if !pb.is_hidden() {
                    pb.set_message(progress_message(&report, &pb, started));
                }
            }
            for s in &mut sinks {
                s.flush()?;
            }
            if stop::requested() {
                stopped.get_or_insert(Stopped::Signal);
                if let Some((_, h)) = running.take() {
                    let _ = h.join();
                }
            }
        }
        Ok(())
    });
    pb.finish_and_clear();
    report.seconds = started.elapsed().as_secs_f64();
    match (result, stopped) {
        (Err(e), _) => {
            report.interrupted = true;
            for s in sinks {
                s.abort(&report);
            }
            Err(e.into())
        }
        (Ok(()), Some(why)) => {
            report.interrupted = true;
            for s in &mut sinks {
                // Record files of the last batch are complete: keep them
                // (a sink after one that failed keeps its batch uncommitted).
                if s.flush().is_err() {
                    break;
                }
            }
            for s in sinks {
                s.abort(&report);
            }
            Ok(RunOutcome {
                report,
                stopped: Some(why),
                stale: 0,
                removed: 0,
            })
        }
        (Ok(()), None) => {
            // Stale files not removed are carried forward in the report, so
            // a later `--clean` still knows declx wrote them.
            let stale = stale::stale(opts, &written, previous.as_ref());
            if !opts.clean {
                report.stale.clone_from(&stale);
            }
            let mut sinks = sinks.into_iter();
            for s in sinks.by_ref() {
                if let Err(e) = s.finish(&report) {
                    for rest in sinks {
                        rest.abort(&report);
                    }
                    return Err(e.into());
                }
            }
            let removed = stale::sweep(opts, &stale);
            let stale = stale.len();
            Ok(RunOutcome {
                report,
                stopped: None,
                stale,
                removed,
            })
        }
    }
}

/// Hands one input's records to the sinks and makes its report entry.
fn write_outcome(
    input: &Input,
    result: Result<Prepared, Error>,
    page: Option<crate::review::ReviewPage>,
    sinks: &mut [Box<dyn RecordSink>],
    written: &mut HashSet<String>,
) -> Result<InputReport, OutputError> {
    let mut entry = InputReport {
        path: path_text(&input.path),
        outcome: "ok",
        records: Vec::new(),
        skipped_sheets: Vec::new(),
        error: None,
        error_code: None,
        review: page,
    };
    match result {
        Ok(Prepared {
            records,
            skipped_sheets,
        }) => {
            for mut r in records {
                for s in sinks.iter_mut() {
                    s.record(&mut r)?;
                }
                if let Some(f) = &r.report.file {
                    written.insert(f.clone());
                }
                entry.records.push(r.report);
            }
            entry.skipped_sheets = skipped_sheets
                .into_iter()
                .map(|(sheet, reason)| SkippedSheet { sheet, reason })
                .collect();
        }
        Err(e) => {
            entry.outcome = "error";
            entry.error_code = Some(e.code());
            entry.error = Some(e.to_string());
        }
    }
    Ok(entry)
}
