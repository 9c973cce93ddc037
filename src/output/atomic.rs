//! The one atomic writer: bytes go to a temp file in the target's directory
//! and are renamed into place when complete, so a reader never sees a
//! half-written file. Temp files are created exclusively (`O_EXCL`, never
//! through a link) under a random name `.declx-XXXXXX.tmp`, and removed
//! whatever happens (their handle deletes them when dropped).
//!
//! Two kinds of target. A name declx picks itself inside `--out` or
//! `--review` (`Own`) is only ever replaced by a rename: an existing link
//! there is replaced, never written through, and anything else that is not
//! a regular file (a pipe, a device, a directory) is refused. A file the user
//! named (`Named`: `--jsonl`, `--flat`, `--html`, `--emit-vocab`) that is a
//! pipe or a device (`/dev/null`) is written directly, as a shell's `>`
//! would: renaming over it would replace the device.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// Whose choice a target's name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// A file the user named on the command line.
    Named,
    /// A name declx picks inside an output directory.
    Own,
}

/// A new empty temp file in `dir`, created exclusively (never through a
/// link, never an existing file), readable as the umask allows.
pub fn temp_file(dir: &Path) -> io::Result<(File, TempPath)> {
    let mut b = tempfile::Builder::new();
    b.prefix(".declx-").suffix(".tmp").rand_bytes(10);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o666));
    }
    Ok(b.tempfile_in(dir)?.into_parts())
}

pub(super) fn dir_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Whether a name declx picks may be replaced: it does not exist, or it is a
/// regular file or a link (replaced, not followed). A pipe, device, socket or
/// directory there is refused.
pub fn check_own(target: &Path) -> io::Result<()> {
    match fs::symlink_metadata(target) {
        Ok(m) if m.is_file() || m.file_type().is_symlink() => Ok(()),
        Ok(m) => Err(io::Error::other(format!(
            "{} is there; declx replaces only a file or a link it could have written",
            kind_of(&m)
        ))),
        Err(_) => Ok(()),
    }
}

fn kind_of(m: &fs::Metadata) -> &'static str {
    if m.is_dir() {
        return "a directory";
    }
    crate::pathtext::not_regular(m)
}

/// A file being written under a temp name, renamed into place by `commit`.
#[derive(Debug)]
pub struct PendingFile {
    /// The temp file; `None` when the bytes go straight to the target.
    temp: Option<TempPath>,
    pub target: PathBuf,
}

impl PendingFile {
    /// The pending file and the handle to write its bytes to.
    pub fn create(target: &Path, kind: Naming) -> io::Result<(PendingFile, File)> {
        match kind {
            Naming::Own => check_own(target)?,
            Naming::Named => {
                if fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
                    let file = fs::OpenOptions::new().write(true).open(target)?;
                    let pending = PendingFile {
                        temp: None,
                        target: target.to_path_buf(),
                    };
                    return Ok((pending, file));
                }
            }
        }
        let (file, temp) = temp_file(dir_of(target))?;
        let pending = PendingFile {
            temp: Some(temp),
            target: target.to_path_buf(),
        };
        Ok((pending, file))
    }

    /// Renames the temp file into place (over a link, never through it).
    pub fn commit(self) -> io::Result<()> {
        let Some(temp) = self.temp else { return Ok(()) };
        check_own(&self.target)?;
        temp.persist(&self.target).map_err(|e| e.error)
    }

    /// Removes the temp file of a write that failed or was interrupted.
    pub fn abandon(self) {
        drop(self);
    }
}

/// Flushes every written file of the directory's file system to disk in one
/// call (Linux `syncfs`); elsewhere each file is synced on its own.
pub(super) fn sync_files<P: AsRef<Path>>(dir: &Path, files: &[P]) -> io::Result<()> {
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

/// Writes a whole small file the user named atomically: all of `bytes` or,
/// on failure, nothing (and no temp file left).
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(target, bytes, Naming::Named)
}

/// `write_atomic` for a name declx picks inside its output directory.
pub(super) fn write_own(target: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(target, bytes, Naming::Own)
}

fn write_with(target: &Path, bytes: &[u8], kind: Naming) -> io::Result<()> {
    let (pending, mut file) = PendingFile::create(target, kind)?;
    io::Write::write_all(&mut file, bytes)?;
    drop(file);
    pending.commit()
}
