//! The one atomic writer: bytes go to a short temp name in the target's
//! directory and are renamed into place when complete, so a reader never
//! sees a half-written file. A target that exists and is not a regular file
//! (`/dev/null`, a named pipe) is written directly: renaming over it would
//! replace the device.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file being written under a temp name, renamed into place by `commit`.
pub struct PendingFile {
    /// Where the bytes go now; the target itself when written directly.
    pub path: PathBuf,
    target: PathBuf,
}

impl PendingFile {
    pub fn new(target: &Path) -> Self {
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

    pub fn commit(self) -> io::Result<()> {
        if self.path == self.target {
            return Ok(());
        }
        fs::rename(&self.path, &self.target)
    }

    /// Removes the temp file of a write that failed.
    pub fn abandon(self) {
        if self.path != self.target {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Writes `bytes` to `path` through a temp file in the same directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let pending = PendingFile::new(path);
    if pending.path == path {
        return fs::write(path, bytes);
    }
    let tmp = pending.path.clone();
    let result = fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| pending.commit());
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
