//! `declx._declx`: the Rust half of the Python package. It walks inputs as
//! the CLI does and extracts a chunk of files on a rayon pool with the GIL
//! released, handing back each file's records (or flat rows) as JSON text
//! and its error; the Python half (`python/declx/__init__.py`) parses them
//! with exact decimals, chunk by chunk, and builds Arrow tables. Knows no
//! form and no output format of its own.

use declx::{Budget, Error, InputOptions, Limits, Vocabulary};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::Duration;

/// A file passed over: (path, reason).
type Skipped = (String, String);

/// One file's outcome: (path, JSON lines, error message, error code).
type FileResult = (String, Option<Vec<String>>, Option<String>, Option<String>);

fn vocabulary(files: Option<Vec<PathBuf>>) -> PyResult<Vocabulary> {
    Vocabulary::load(&files.unwrap_or_default()).map_err(|e| PyValueError::new_err(format!("vocab {e}")))
}

/// A pool per thread count, kept: pools are not cheap to start per chunk.
fn pool(jobs: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let n = jobs.unwrap_or(0);
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(p) = pools.get(&n) {
        return Ok(p.clone());
    }
    let p = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| PyValueError::new_err(format!("cannot start worker threads: {e}")))?,
    );
    pools.insert(n, p.clone());
    Ok(p)
}

fn lines(outcome: declx::FileOutcome, flat: bool) -> Vec<String> {
    if flat {
        outcome
            .records
            .iter()
            .flat_map(declx::flat_rows)
            .map(|r| serde_json::to_string(&r).expect("a flat row serialises"))
            .collect()
    } else {
        outcome
            .records
            .iter()
            .map(|r| {
                String::from_utf8(declx::to_line(r))
                    .expect("JSON is UTF-8")
                    .trim_end()
                    .to_string()
            })
            .collect()
    }
}

/// Runs `job` off the calling thread with the GIL released, looking for
/// Python signals every 50 ms: on Ctrl-C the files in progress stop at their
/// next budget check and `KeyboardInterrupt` is raised. Every file runs
/// under the per-file time limit, as in the CLI (`--max-seconds`).
fn interruptible<T: Send>(py: Python<'_>, job: impl FnOnce(&Budget) -> T + Send) -> PyResult<T> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let budget = Budget::new(Some(Limits::default().max_seconds), move || {
        flag.load(Ordering::Relaxed)
    });
    let (tx, rx) = mpsc::channel();
    // Shared with the GIL-free closures below (a Receiver alone is not Sync).
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            // As deep as the interpreter's own thread: the readers do not
            // recurse per element, but the form stage walks trees.
            .stack_size(8 << 20)
            .spawn_scoped(scope, || {
                let _ = tx.send(job(&budget));
            })
            .map_err(|e| PyValueError::new_err(format!("cannot start a thread: {e}")))?;
        loop {
            let next = || {
                rx.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .recv_timeout(Duration::from_millis(50))
            };
            match py.detach(next) {
                Ok(out) => return Ok(out),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(PyValueError::new_err(
                        "internal error: the extraction thread ended early",
                    ))
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if let Err(e) = py.check_signals() {
                stop.store(true, Ordering::Relaxed);
                // The files in progress end at their next check.
                let _ = py.detach(|| rx.lock().unwrap_or_else(|p| p.into_inner()).recv());
                return Err(e);
            }
        }
    })
}

fn failed(path: String, e: &Error) -> FileResult {
    (path, None, Some(e.to_string()), Some(e.kind().code().to_string()))
}

/// The files of the given paths (directories walked, sorted, each once) and
/// the files passed over with the reason — as `declx extract` reads them.
/// Paths go back to Python as `str` decoded as `os.fsdecode` does (a name
/// that is not UTF-8, as `unzip` leaves GBK names, keeps its bytes as
/// surrogates and reads back as the same file).
#[pyfunction]
fn collect(paths: Vec<PathBuf>) -> PyResult<(Vec<PathBuf>, Vec<Skipped>)> {
    let opts = InputOptions {
        null_separated: false,
        exclude: Vec::new(),
    };
    let (files, skipped) = declx::collect_inputs(&paths, || Ok(Vec::new()), &opts)
        .map_err(|e| PyValueError::new_err(format!("cannot read the inputs: {e}")))?;
    Ok((
        files.into_iter().map(|f| f.path).collect(),
        skipped.iter().map(|s| (s.path.clone(), s.reason.clone())).collect(),
    ))
}

/// Extracts files in parallel with the GIL released; results in input order.
/// `flat`: the rows of the flat table instead of whole records.
#[pyfunction]
#[pyo3(signature = (files, jobs=None, vocab=None, flat=false))]
fn extract_chunk(
    py: Python<'_>,
    files: Vec<PathBuf>,
    jobs: Option<usize>,
    vocab: Option<Vec<PathBuf>>,
    flat: bool,
) -> PyResult<Vec<FileResult>> {
    let vocab = vocabulary(vocab)?;
    let pool = pool(jobs)?;
    let limits = Limits::default();
    interruptible(py, |budget| {
        pool.install(|| {
            files
                .par_iter()
                .map(|path| {
                    let f = declx::path_text(path);
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        budget.scope(|| vocab.scope(|| declx::extract_file(path, &limits)))
                    }));
                    match r {
                        Ok(Ok(o)) => (f, Some(lines(o, flat)), None, None),
                        Ok(Err(e)) => failed(f, &e),
                        Err(_) => {
                            let msg = format!("{f}: internal error: panic");
                            (f, None, Some(msg), Some("internal".into()))
                        }
                    }
                })
                .collect()
        })
    })
}

/// One file's bytes (Spark's `binaryFile`, an upload): its records as JSON
/// lines, or its error; `name` gives the format by its extension.
#[pyfunction]
#[pyo3(signature = (name, data, vocab=None, flat=false))]
fn extract_bytes(
    py: Python<'_>,
    name: String,
    data: Vec<u8>,
    vocab: Option<Vec<PathBuf>>,
    flat: bool,
) -> PyResult<FileResult> {
    let vocab = vocabulary(vocab)?;
    let limits = Limits::default();
    let r = interruptible(py, |budget| {
        budget.scope(|| vocab.scope(|| declx::extract_bytes(Path::new(&name), &data, &limits)))
    })?;
    Ok(match r {
        Ok(o) => (name, Some(lines(o, flat)), None, None),
        Err(e) => failed(name, &e),
    })
}

/// Checks vocabulary files; a bad one raises ValueError naming file and line.
#[pyfunction]
fn check_vocab(vocab: Vec<PathBuf>) -> PyResult<()> {
    vocabulary(Some(vocab)).map(|_| ())
}

/// The flat table's columns, in order.
#[pyfunction]
fn flat_header() -> Vec<String> {
    declx::flat_header()
}

#[pymodule]
fn _declx(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(collect, m)?)?;
    m.add_function(wrap_pyfunction!(extract_chunk, m)?)?;
    m.add_function(wrap_pyfunction!(extract_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(check_vocab, m)?)?;
    m.add_function(wrap_pyfunction!(flat_header, m)?)?;
    Ok(())
}
