//! The relational outputs: one schema (`schema`), one row model (`rows`)
//! made on the worker threads, batched per run batch (`batch`) and written
//! by every table sink alike — SQLite (`--db sqlite:PATH`, feature
//! `sqlite`), PostgreSQL (`--db postgresql://…`, feature `postgres`), CSV
//! tables with DDL (`--tables DIR`) and a workbook (`--xlsx FILE`, feature
//! `xlsx`).

mod batch;
#[cfg(feature = "postgres")]
mod postgres;
pub mod rows;
pub mod schema;
#[cfg(feature = "sqlite")]
mod sqlite;
mod tables;
#[cfg(feature = "xlsx")]
mod xlsx;

pub use batch::{BatchSink, BatchWriter};
pub use rows::{record_rows, RecordRows};

use super::{OutputError, RecordSink};
use std::io;
use std::path::{Path, PathBuf};

/// Where `--db` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::str::FromStr for DbTarget {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(p) = s.strip_prefix("sqlite:") {
            let p = p.strip_prefix("//").unwrap_or(p);
            if p.is_empty() {
                return Err("sqlite: needs a file, e.g. sqlite:forms.db".into());
            }
            Ok(DbTarget::Sqlite(PathBuf::from(p)))
        } else if s.starts_with("postgresql://") || s.starts_with("postgres://") {
            Ok(DbTarget::Postgres(s.to_string()))
        } else {
            Err(format!(
                "{}: expected sqlite:PATH or postgresql://USER@HOST/DB",
                Self::shown(s)
            ))
        }
    }
}

impl DbTarget {
    /// A URL as shown in messages (no password).
    fn shown(s: &str) -> String {
        #[cfg(feature = "postgres")]
        return postgres::masked(s);
        #[cfg(not(feature = "postgres"))]
        return s.split('@').next_back().unwrap_or(s).to_string();
    }

    pub fn name(&self) -> String {
        match self {
            DbTarget::Sqlite(p) => format!("sqlite:{}", crate::pathtext::path_text(p)),
            DbTarget::Postgres(u) => Self::shown(u),
        }
    }

    /// The files of an SQLite database (never read as inputs).
    pub fn files(&self) -> Vec<PathBuf> {
        match self {
            DbTarget::Sqlite(p) => vec![p.clone()],
            DbTarget::Postgres(_) => Vec::new(),
        }
    }
}

fn open_error(name: String, why: String) -> OutputError {
    OutputError {
        path: name,
        source: io::Error::other(batch::one_line(&why)),
    }
}

/// The sink of `--db`.
pub fn db_sink(target: &DbTarget) -> Result<Box<dyn RecordSink>, OutputError> {
    let writer: Result<Box<dyn BatchWriter>, String> = match target {
        #[cfg(feature = "sqlite")]
        DbTarget::Sqlite(p) => sqlite::SqliteWriter::open(p).map(|w| Box::new(w) as Box<dyn BatchWriter>),
        #[cfg(not(feature = "sqlite"))]
        DbTarget::Sqlite(_) => Err(without("sqlite")),
        #[cfg(feature = "postgres")]
        DbTarget::Postgres(u) => postgres::PostgresWriter::connect(u).map(|w| Box::new(w) as Box<dyn BatchWriter>),
        #[cfg(not(feature = "postgres"))]
        DbTarget::Postgres(_) => Err(without("postgres")),
    };
    let writer = writer.map_err(|e| open_error(target.name(), e))?;
    Ok(Box::new(BatchSink::new(writer)))
}

/// The error for a sink whose cargo feature is off.
#[allow(dead_code)]
fn without(feature: &str) -> String {
    format!("this declx was built without the `{feature}` feature (cargo build --release --features {feature})")
}

/// The sink of `--tables DIR`.
pub fn tables_sink(dir: &Path) -> Result<Box<dyn RecordSink>, OutputError> {
    let w = tables::TablesWriter::create(dir).map_err(|e| open_error(crate::pathtext::path_text(dir), e))?;
    Ok(Box::new(BatchSink::new(Box::new(w))))
}

/// The sink of `--xlsx FILE`.
pub fn xlsx_sink(path: &Path) -> Result<Box<dyn RecordSink>, OutputError> {
    #[cfg(feature = "xlsx")]
    {
        let w = xlsx::XlsxWriter::create(path).map_err(|e| open_error(crate::pathtext::path_text(path), e))?;
        Ok(Box::new(BatchSink::new(Box::new(w))))
    }
    #[cfg(not(feature = "xlsx"))]
    Err(open_error(crate::pathtext::path_text(path), without("xlsx")))
}
