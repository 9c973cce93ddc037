//! Stopping a run early: SIGINT / SIGTERM (or a closed pipe) set one flag;
//! workers read no new file after it, the writer ends after the batch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static STOP: AtomicBool = AtomicBool::new(false);

/// Installs the signal handler once per process.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // A handler already set by an embedding program is left alone.
        let _ = ctrlc::set_handler(request);
    });
}

pub fn request() {
    STOP.store(true, Ordering::SeqCst);
}

pub fn requested() -> bool {
    STOP.load(Ordering::Relaxed)
}
