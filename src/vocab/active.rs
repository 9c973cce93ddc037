//! Which vocabulary the lookups use. The built-in one (`vocab/default.toml`,
//! compiled in) is parsed once per process; a set of user files merged over
//! it is built once per distinct content and kept, so a handle is a plain
//! `&'static` and a lookup costs one thread-local read. A run installs its
//! vocabulary on each worker thread with [`Vocabulary::scope`]; nothing else
//! changes it.

use super::data::Tables;
use super::load::{self, Layer, VocabError};
use std::cell::Cell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

/// The built-in vocabulary file.
pub const DEFAULT_TOML: &str = include_str!("../../vocab/default.toml");

static BUILTIN: LazyLock<&'static Tables> = LazyLock::new(|| {
    let layer = load::parse("vocab/default.toml", DEFAULT_TOML).expect("the built-in vocabulary parses");
    Box::leak(Box::new(Tables::build(&[layer])))
});

/// User vocabularies already built, by their files' contents.
static BUILT: LazyLock<Mutex<HashMap<Vec<String>, &'static Tables>>> = LazyLock::new(Default::default);

thread_local! {
    static ACTIVE: Cell<Option<&'static Tables>> = const { Cell::new(None) };
}

/// The tables every lookup on this thread reads.
pub fn tables() -> &'static Tables {
    ACTIVE.with(Cell::get).unwrap_or_else(|| *BUILTIN)
}

/// A vocabulary: the built-in one, or user files merged over it. Cheap to
/// copy; building the same files twice gives the same tables.
#[derive(Clone, Copy)]
pub struct Vocabulary {
    tables: &'static Tables,
    user_files: usize,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vocabulary(built-in + {} file(s))", self.user_files)
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::builtin()
    }
}

impl Vocabulary {
    /// The vocabulary compiled into declx.
    pub fn builtin() -> Self {
        Vocabulary {
            tables: *BUILTIN,
            user_files: 0,
        }
    }

    /// The built-in vocabulary with `files` merged over it, later files
    /// winning. A file that cannot be used is an error naming it and the line.
    pub fn load<P: AsRef<Path>>(files: &[P]) -> Result<Self, VocabError> {
        let sources = read_sources(files)?;
        Vocabulary::from_sources(&sources)
    }

    /// Like [`Vocabulary::load`], from (name, text) pairs.
    pub fn from_sources(sources: &[(String, String)]) -> Result<Self, VocabError> {
        if sources.is_empty() {
            return Ok(Vocabulary::builtin());
        }
        let mut layers: Vec<Layer> = vec![load::parse("vocab/default.toml", DEFAULT_TOML)?];
        for (name, text) in sources {
            layers.push(load::parse(name, text)?);
        }
        let key: Vec<String> = sources.iter().map(|(_, t)| t.clone()).collect();
        let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
        let tables = *built
            .entry(key)
            .or_insert_with(|| Box::leak(Box::new(Tables::build(&layers))));
        Ok(Vocabulary {
            tables,
            user_files: sources.len(),
        })
    }

    /// Runs `f` with this vocabulary as the one every lookup on this thread
    /// uses, and puts the previous one back after (also on a panic).
    pub fn scope<R>(self, f: impl FnOnce() -> R) -> R {
        struct Restore(Option<&'static Tables>);
        impl Drop for Restore {
            fn drop(&mut self) {
                ACTIVE.with(|a| a.set(self.0));
            }
        }
        let _restore = Restore(ACTIVE.with(|a| a.replace(Some(self.tables))));
        f()
    }

    /// How many user files are merged in.
    pub fn user_files(&self) -> usize {
        self.user_files
    }
}

/// The largest vocabulary file read (the built-in one is a few KiB).
const MAX_VOCAB_BYTES: u64 = 64 << 20;

/// The (name, text) of each data file named on the command line (a
/// vocabulary, a rules file): read to a bound, UTF-8, or an error naming
/// the file.
pub fn read_sources<P: AsRef<Path>>(files: &[P]) -> Result<Vec<(String, String)>, VocabError> {
    files
        .iter()
        .map(|p| {
            let path = p.as_ref();
            let name = path.display().to_string();
            let text = read_bounded(path).map_err(|e| VocabError {
                file: name.clone(),
                line: 0,
                message: format!("cannot read: {e}"),
            })?;
            let text = String::from_utf8(text).map_err(|e| VocabError {
                file: name.clone(),
                line: 0,
                message: format!(
                    "not UTF-8 at byte {} (save the file as UTF-8)",
                    e.utf8_error().valid_up_to()
                ),
            })?;
            Ok((name, text))
        })
        .collect()
}

/// A data file's bytes, at most `MAX_VOCAB_BYTES`: `/dev/zero` or an
/// endless pipe is refused at the bound instead of filling memory.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_VOCAB_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_VOCAB_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB (a vocabulary or rules file is a small text file)",
            MAX_VOCAB_BYTES >> 20
        )));
    }
    Ok(bytes)
}
