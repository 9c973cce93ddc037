//! The one atomic writer: bytes go to a short temp name in the target's
//! directory and are renamed into place when complete, so a reader never
//! sees a half-written file. Temp names are `.declx-<pid>-<n>.tmp`, short
//! whatever the target's name. A target that exists and is not a regular
//! file (`/dev/null`, a named pipe) is written directly: renaming over it
//! would replace the device.

use std::fs;
use std::io::{self};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh temp name in `dir`, unique in this process and among processes.
pub fn temp_path(dir: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".declx-{}-{n}.tmp", std::process::id()))
}

fn dir_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A file being written under a temp name, renamed into place by `commit`.
#[derive(Debug)]
pub struct PendingFile {
    /// Where the bytes go now; the target itself when written directly.
    pub path: PathBuf,
    pub target: PathBuf,
}

impl PendingFile {
    pub fn new(target: &Path) -> Self {
        let special = fs::metadata(target).is_ok_and(|m| !m.is_file());
        let path = if special {
            target.to_path_buf()
        } else {
            temp_path(dir_of(target))
        };
        PendingFile {
            path,
            target: target.to_path_buf(),
        }
    }

    /// Whether the bytes go straight to the target (a device or a pipe).
    pub fn is_direct(&self) -> bool {
        self.path == self.target
    }

    pub fn commit(self) -> io::Result<()> {
        if self.is_direct() {
            return Ok(());
        }
        fs::rename(&self.path, &self.target).inspect_err(|_| {
            let _ = fs::remove_file(&self.path);
        })
    }

    /// Removes the temp file of a write that failed or was interrupted.
    pub fn abandon(self) {
        if !self.is_direct() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Flushes every written file of the directory's file system to disk in one
/// call (Linux `syncfs`); elsewhere each file is synced on its own.
pub(super) fn sync_files(dir: &Path, files: &[PathBuf]) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let d = fs::File::open(dir)?;
        // SAFETY: `d` is an open directory; syncfs only reads the descriptor.
        if unsafe { libc::syncfs(d.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    let _ = dir;
    for f in files {
        fs::File::open(f)?.sync_all()?;
    }
    Ok(())
}

/// Makes renames in a directory durable.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()?;
    }
    let _ = dir;
    Ok(())
}

/// Writes a whole small file atomically: all of `bytes` or, on failure,
/// nothing (and no temp file left).
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let pending = PendingFile::new(target);
    match fs::write(&pending.path, bytes) {
        Ok(()) => pending.commit(),
        Err(e) => {
            pending.abandon();
            Err(e)
        }
    }
}
