//! Which files a run reads: paths and directories walked in a stable order,
//! lock files and other kinds skipped (and counted), and `--shard K/N`.

use crate::grid::Format;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One file to read, with its path relative to the root it was found under
/// (what `--shard` hashes, so every machine splits an archive the same way).
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

/// A file passed over, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// Files to read (sorted, each once) and files passed over with the reason.
/// `stdin_paths` is used for a `-` argument.
pub fn collect(
    roots: &[PathBuf],
    stdin_paths: impl FnOnce() -> io::Result<String>,
) -> io::Result<(Vec<Input>, Vec<SkippedFile>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut stdin_paths = Some(stdin_paths);
    for root in roots {
        if root.as_os_str() == "-" {
            let text = match stdin_paths.take() {
                Some(f) => f()?,
                None => String::new(),
            };
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let p = Path::new(line);
                consider(p, &rel_name(p), &mut files, &mut skipped);
            }
        } else if root.is_dir() {
            walk(root, root, &mut files, &mut skipped)?;
        } else if !root.exists() {
            // Named but missing: an error for that input, not a skip.
            files.push(Input {
                path: root.clone(),
                rel: rel_name(root),
            });
        } else {
            consider(root, &rel_name(root), &mut files, &mut skipped);
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.path == b.path);
    Ok((files, skipped))
}

fn rel_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn consider(path: &Path, rel: &str, files: &mut Vec<Input>, skipped: &mut Vec<SkippedFile>) {
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
        None => files.push(Input {
            path: path.to_path_buf(),
            rel: rel.to_string(),
        }),
    }
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<Input>, skipped: &mut Vec<SkippedFile>) -> io::Result<()> {
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
            walk(root, &p, files, skipped)?;
        } else {
            let rel = p
                .strip_prefix(root)
                .map(|r| {
                    r.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .unwrap_or_else(|_| rel_name(&p));
            consider(&p, &rel, files, skipped);
        }
    }
    Ok(())
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
}
