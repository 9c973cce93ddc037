//! Which files a run reads: paths and directories walked in a stable order
//! (symlinks followed, loops cut by device and inode), only regular files
//! read, each file once however it was named, lock files, other kinds and
//! the run's own outputs skipped (and counted), and `--shard K/N`.

use crate::grid::Format;
use crate::pathtext::{escape_bytes, path_text};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One file to read, with its path relative to the root it was found under
/// (what `--shard` hashes and record names use, so every machine and every
/// shard names an archive's records the same way).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub path: PathBuf,
    pub rel: String,
}

/// `--shard K/N`: this run takes the files whose hash falls in bucket K of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 1/4")?;
        let k: u64 = k.trim().parse().map_err(|_| "K is not a number")?;
        let n: u64 = n.trim().parse().map_err(|_| "N is not a number")?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: need 1 <= K <= N"));
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    pub fn takes(&self, rel: &str) -> bool {
        let h = Sha256::digest(rel.as_bytes());
        let v = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
        v % self.n == self.k - 1
    }
}

pub use crate::output::SkippedFile;

/// How to read the inputs.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Paths on standard input are separated by NUL (`find -print0`), not lines.
    pub null_separated: bool,
    /// Files and directories never read: the run's own outputs.
    pub exclude: Vec<PathBuf>,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files to read, sorted, each once.
    pub files: Vec<Input>,
    /// Files and directories passed over, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// Directories (or entries) that could not be read: errors, not skips.
    pub unreadable: Vec<(PathBuf, io::Error)>,
    /// Output files of the run met as inputs: (the input as found, the output).
    pub outputs_met: Vec<(PathBuf, PathBuf)>,
}

/// Files to read (sorted, each once) and files passed over with the reason.
/// `stdin_paths` gives the bytes of a `-` argument's path list. Directories
/// that cannot be read are listed as skipped here; `walk` tells them apart.
pub fn collect(
    roots: &[PathBuf],
    stdin_paths: impl FnOnce() -> io::Result<Vec<u8>>,
    opts: &InputOptions,
) -> io::Result<(Vec<Input>, Vec<SkippedFile>)> {
    let mut w = walk(roots, stdin_paths, opts)?;
    for (p, e) in w.unreadable {
        w.skipped.push(SkippedFile {
            path: path_text(&p),
            reason: format!("directory cannot be read: {e}"),
        });
    }
    for (p, _) in w.outputs_met {
        w.skipped.push(SkippedFile {
            path: path_text(&p),
            reason: "an output of this run".into(),
        });
    }
    Ok((w.files, w.skipped))
}

/// Walks the roots: the files to read, what was passed over, what could not
/// be read and the run's own output files met among the inputs.
pub fn walk(
    roots: &[PathBuf],
    stdin_paths: impl FnOnce() -> io::Result<Vec<u8>>,
    opts: &InputOptions,
) -> io::Result<Walked> {
    let mut walk = Walk {
        files: Vec::new(),
        ids: HashMap::new(),
        skipped: Vec::new(),
        dirs: HashSet::new(),
        exclude: opts
            .exclude
            .iter()
            .filter_map(|p| fs::metadata(p).ok().map(|m| (file_id(&m), p.clone())))
            .collect(),
        unreadable: Vec::new(),
        outputs_met: Vec::new(),
    };
    let mut stdin_paths = Some(stdin_paths);
    for root in roots {
        if root.as_os_str() == "-" {
            let bytes = match stdin_paths.take() {
                Some(f) => f()?,
                None => Vec::new(),
            };
            for p in split_path_list(&bytes, opts.null_separated) {
                walk.root(&p);
            }
        } else {
            walk.root(root);
        }
    }
    let Walk {
        mut files,
        skipped,
        unreadable,
        outputs_met,
        ..
    } = walk;
    files.sort();
    // Each file once, however it was named (`in` and `./in`, a link).
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone())));
    Ok(Walked {
        files,
        skipped,
        unreadable,
        outputs_met,
    })
}

/// The paths of a list on standard input: lines (blank ones skipped, ends
/// trimmed) or NUL-separated names taken exactly.
fn split_path_list(bytes: &[u8], null_separated: bool) -> Vec<PathBuf> {
    let sep = if null_separated { b'\0' } else { b'\n' };
    bytes
        .split(|&b| b == sep)
        .map(|p| if null_separated { p } else { p.trim_ascii() })
        .filter(|p| !p.is_empty())
        .map(path_of_bytes)
        .collect()
}

#[cfg(unix)]
fn path_of_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(b.to_vec()))
}

#[cfg(not(unix))]
fn path_of_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(OsString::from(String::from_utf8_lossy(b).into_owned()))
}

struct Walk {
    files: Vec<Input>,
    /// Each file's (device, inode), to read it once.
    ids: HashMap<PathBuf, (u64, u64)>,
    skipped: Vec<SkippedFile>,
    /// Directories walked, by (device, inode): a link back to an ancestor,
    /// or a second way into one tree, is walked once.
    dirs: HashSet<(u64, u64)>,
    /// The run's outputs, by (device, inode).
    exclude: HashMap<(u64, u64), PathBuf>,
    unreadable: Vec<(PathBuf, io::Error)>,
    outputs_met: Vec<(PathBuf, PathBuf)>,
}

impl Walk {
    fn root(&mut self, root: &Path) {
        match fs::metadata(root) {
            Ok(m) if m.is_dir() => self.dir(root, root),
            // Named but missing or unreadable: an error for that input, not a skip.
            Err(_) => self.files.push(Input {
                path: root.to_path_buf(),
                rel: file_name_text(root),
            }),
            Ok(m) => self.consider(root, &file_name_text(root), &m),
        }
    }

    fn skip(&mut self, path: &Path, reason: &str) {
        self.skipped.push(SkippedFile {
            path: path_text(path),
            reason: reason.into(),
        });
    }

    fn consider(&mut self, path: &Path, rel: &str, meta: &fs::Metadata) {
        let name = path.file_name().map(file_name_bytes).unwrap_or_default();
        if !meta.is_file() {
            self.skip(path, not_regular(meta));
        } else if name.starts_with(b"~$") || name.starts_with(b".~lock") {
            self.skip(path, "office lock file");
        } else if Format::from_path(path).is_none() {
            self.skip(path, "not a format declx reads");
        } else if let Some(output) = self.exclude.get(&file_id(meta)) {
            self.outputs_met.push((path.to_path_buf(), output.clone()));
        } else {
            self.ids.insert(path.to_path_buf(), file_id(meta));
            self.files.push(Input {
                path: path.to_path_buf(),
                rel: rel.to_string(),
            });
        }
    }

    fn dir(&mut self, root: &Path, dir: &Path) {
        if let Ok(m) = fs::metadata(dir) {
            let id = file_id(&m);
            // An output directory inside the input tree is not read back.
            if self.exclude.contains_key(&id) || !self.dirs.insert(id) {
                return;
            }
        }
        // Nor is a review site an earlier run wrote there.
        let marked = |d: &Path| fs::symlink_metadata(d.join(crate::output::SITE_MARKER)).is_ok_and(|m| m.is_file());
        let site_pages = dir.file_name().is_some_and(|n| n == "forms") && dir.parent().is_some_and(marked);
        if marked(dir) || site_pages {
            self.skip(dir, "a review site written by declx");
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.unreadable.push((dir.to_path_buf(), e));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = Vec::new();
        for e in entries {
            match e {
                Ok(e) => paths.push(e.path()),
                Err(e) => {
                    self.unreadable.push((dir.to_path_buf(), e));
                    return;
                }
            }
        }
        paths.sort();
        for p in paths {
            let hidden = p.file_name().is_some_and(|n| file_name_bytes(n).starts_with(b"."));
            if hidden {
                continue;
            }
            // Links are followed; a dangling one is passed over.
            let meta = match fs::metadata(&p) {
                Ok(m) => m,
                Err(_) if fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) => {
                    self.skip(&p, "broken link");
                    continue;
                }
                // Gone since the directory was listed.
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => {
                    self.unreadable.push((p, e));
                    continue;
                }
            };
            if meta.is_dir() {
                self.dir(root, &p);
            } else {
                let rel = p.strip_prefix(root).map_or_else(|_| file_name_text(&p), rel_text);
                self.consider(&p, &rel, &meta);
            }
        }
    }
}

/// A path below its root as text with `/` between components.
fn rel_text(rel: &Path) -> String {
    rel.components()
        .map(|c| escape_bytes(&file_name_bytes(c.as_os_str())))
        .collect::<Vec<_>>()
        .join("/")
}

fn file_name_text(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| path_text(p), |n| escape_bytes(&file_name_bytes(n)))
}

#[cfg(unix)]
fn file_name_bytes(n: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    n.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn file_name_bytes(n: &std::ffi::OsStr) -> Vec<u8> {
    n.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
fn file_id(m: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Why a path that is not a directory is not read.
fn not_regular(m: &fs::Metadata) -> &'static str {
    crate::pathtext::not_regular(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_files() {
        let names: Vec<String> = (0..500).map(|i| format!("dir/{i}.xls")).collect();
        let shards: Vec<Shard> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        for n in &names {
            assert_eq!(shards.iter().filter(|s| s.takes(n)).count(), 1, "{n}");
        }
        let sizes: Vec<usize> = shards
            .iter()
            .map(|s| names.iter().filter(|n| s.takes(n)).count())
            .collect();
        assert!(sizes.iter().all(|&c| c > 100), "{sizes:?}");
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
    }

    #[test]
    fn path_lists_split_on_lines_or_nul() {
        let lines = split_path_list(b" a.txt \n\nb c.txt\r\n", false);
        assert_eq!(lines, [PathBuf::from("a.txt"), PathBuf::from("b c.txt")]);
        let nul = split_path_list(b"a\nb.txt\0 c.txt\0", true);
        assert_eq!(nul, [PathBuf::from("a\nb.txt"), PathBuf::from(" c.txt")]);
    }
}
