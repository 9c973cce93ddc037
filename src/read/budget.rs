//! A file's time budget: the work on one input (reading, forms, its review
//! page) runs inside `Budget::scope` on its worker thread, and the loops
//! that can run long on crafted input call `check()`, which ends that file
//! with an error once the per-file time limit (`--max-seconds`) has passed
//! or the run was asked to stop (SIGINT, SIGTERM, Python's Ctrl-C). The
//! file fails alone; the batch goes on (or stops, on a signal). Knows no
//! file format and no form.

use crate::error::ErrorKind;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one file may spend, and how to tell that the run was stopped.
#[derive(Clone)]
pub struct Budget {
    seconds: Option<u64>,
    stopped: Arc<dyn Fn() -> bool + Send + Sync>,
}

struct Active {
    start: Instant,
    deadline: Option<Instant>,
    seconds: u64,
    stopped: Arc<dyn Fn() -> bool + Send + Sync>,
}

thread_local! {
    static CURRENT: RefCell<Option<Active>> = const { RefCell::new(None) };
    static TICKS: Cell<u32> = const { Cell::new(0) };
}

/// The text of the error a stopped file gets (the run drops it: the file
/// counts as not read).
pub const STOPPED: &str = "stopped before the file was read to its end (SIGINT/SIGTERM)";

impl Budget {
    /// `seconds`: the time one file may take (`None` or 0: no limit);
    /// `stopped`: whether the run was asked to stop.
    pub fn new(seconds: Option<u64>, stopped: impl Fn() -> bool + Send + Sync + 'static) -> Self {
        Budget {
            seconds: seconds.filter(|&s| s > 0),
            stopped: Arc::new(stopped),
        }
    }

    /// Runs the work on one file under this budget, counted from now.
    pub fn scope<T>(&self, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let active = Active {
            start,
            deadline: self.seconds.and_then(|s| start.checked_add(Duration::from_secs(s))),
            seconds: self.seconds.unwrap_or(0),
            stopped: self.stopped.clone(),
        };
        struct Restore(Option<Active>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let prev = self.0.take();
                CURRENT.with_borrow_mut(|c| *c = prev);
            }
        }
        let _restore = Restore(CURRENT.with_borrow_mut(|c| c.replace(active)));
        f()
    }
}

/// Cheap enough for every cell or XML event: every 256th call looks at the
/// clock and the stop flag.
#[inline]
pub fn check() -> Result<(), ErrorKind> {
    let t = TICKS.with(|t| {
        let n = t.get().wrapping_add(1);
        t.set(n);
        n
    });
    if t & 255 != 0 {
        return Ok(());
    }
    check_now()
}

/// Looks at the clock and the stop flag now.
pub fn check_now() -> Result<(), ErrorKind> {
    CURRENT.with_borrow(|c| {
        let Some(a) = c else { return Ok(()) };
        if (a.stopped)() {
            return Err(ErrorKind::Internal(STOPPED.into()));
        }
        match a.deadline {
            Some(d) if Instant::now() >= d => Err(ErrorKind::limit(
                "seconds spent on the file",
                a.start.elapsed().as_secs(),
                a.seconds,
                Some("--max-seconds"),
            )),
            _ => Ok(()),
        }
    })
}

/// Whether an error is the one a stopped run gives its files in progress.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub fn is_stopped(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Internal(why) if why == STOPPED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_passed_deadline_or_a_stop_ends_the_work_and_outside_a_scope_nothing_does() {
        assert!(check_now().is_ok());
        let b = Budget::new(Some(1), || false);
        let r = b.scope(|| {
            std::thread::sleep(Duration::from_millis(1100));
            check_now()
        });
        assert!(
            matches!(r, Err(ErrorKind::Limit(ref l)) if l.flag == Some("--max-seconds")),
            "{r:?}"
        );
        static STOP: AtomicBool = AtomicBool::new(false);
        let b = Budget::new(None, || STOP.load(Ordering::Relaxed));
        assert!(b.scope(check_now).is_ok());
        STOP.store(true, Ordering::Relaxed);
        assert!(b.scope(|| check_now().is_err_and(|k| is_stopped(&k))));
        assert!(check_now().is_ok());
    }
}
