//! `--db sqlite:PATH`: the tables in an SQLite file (rusqlite, SQLite
//! compiled in) that DBeaver or DB Browser open at once. WAL journal, one
//! transaction per batch, a busy timeout so shards can share one file.
//! Decimals are REAL for queries plus `<name>_exact` TEXT with the source's
//! digits. Knows nothing of records: it writes `Batch`es.

use super::batch::{Batch, BatchWriter};
use super::rows::Val;
use super::schema::{self, Dialect, Ty, META, TABLES};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use rust_decimal::prelude::ToPrimitive;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct SqliteWriter {
    conn: Connection,
    path: PathBuf,
    /// `INSERT` per table, in `TABLES` order.
    inserts: Vec<String>,
}

fn err(e: rusqlite::Error) -> String {
    e.to_string()
}

impl SqliteWriter {
    /// Opens (or creates) the database and checks or creates its tables.
    pub fn open(path: &Path) -> Result<SqliteWriter, String> {
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(600)).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(err)?;
        ensure_schema(&mut conn)?;
        let inserts = TABLES
            .iter()
            .map(|t| {
                let cols = schema::physical_columns(t, Dialect::Sqlite);
                let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
                let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
                format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    t.name,
                    names.join(", "),
                    marks.join(", ")
                )
            })
            .collect();
        Ok(SqliteWriter {
            conn,
            path: path.to_path_buf(),
            inserts,
        })
    }
}

/// Creates the tables in an empty database; refuses one of another version.
fn ensure_schema(conn: &mut Connection) -> Result<(), String> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    let exists: i64 = tx
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [META],
            |r| r.get(0),
        )
        .map_err(err)?;
    if exists > 0 {
        let found: Option<String> = tx
            .query_row(
                &format!("SELECT value FROM {META} WHERE name = 'schema_version'"),
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        let found = found.unwrap_or_else(|| "(none)".into());
        if found != schema::DB_SCHEMA_VERSION.to_string() {
            return Err(schema::version_mismatch(&found));
        }
    } else {
        for stmt in schema::statements(Dialect::Sqlite) {
            tx.execute(&stmt, []).map_err(err)?;
        }
    }
    tx.commit().map_err(err)
}

impl BatchWriter for SqliteWriter {
    fn name(&self) -> String {
        format!("sqlite:{}", crate::pathtext::path_text(&self.path))
    }

    fn write(&mut self, batch: &Batch) -> Result<(), String> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        {
            let mut by_path = tx
                .prepare_cached("DELETE FROM records WHERE file_path = ?1")
                .map_err(err)?;
            let mut file = tx.prepare_cached("DELETE FROM files WHERE path = ?1").map_err(err)?;
            for p in &batch.paths {
                by_path.execute([p]).map_err(err)?;
                file.execute([p]).map_err(err)?;
            }
            let mut by_id = tx.prepare_cached("DELETE FROM records WHERE id = ?1").map_err(err)?;
            for r in &batch.records {
                by_id.execute([&r.id]).map_err(err)?;
            }
        }
        for (t, table) in TABLES.iter().enumerate() {
            let mut stmt = tx.prepare_cached(&self.inserts[t]).map_err(err)?;
            let mut insert = |row: &Vec<Val>| -> rusqlite::Result<()> {
                let mut i = 1;
                for (v, col) in row.iter().zip(table.columns) {
                    match v {
                        Val::Null => stmt.raw_bind_parameter(i, rusqlite::types::Null)?,
                        Val::Int(n) => stmt.raw_bind_parameter(i, n)?,
                        Val::Bool(b) => stmt.raw_bind_parameter(i, i64::from(*b))?,
                        Val::Text(s) => stmt.raw_bind_parameter(i, s.as_str())?,
                        Val::Dec(d) => {
                            stmt.raw_bind_parameter(i, d.to_f64())?;
                            stmt.raw_bind_parameter(i + 1, d.to_string())?;
                        }
                    }
                    if col.ty == Ty::Dec {
                        if matches!(v, Val::Null) {
                            stmt.raw_bind_parameter(i + 1, rusqlite::types::Null)?;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                stmt.raw_execute().map(|_| ())
            };
            if t == 0 {
                for row in &batch.files {
                    insert(row).map_err(err)?;
                }
            } else {
                for row in batch.rows(t - 1) {
                    insert(row).map_err(err)?;
                }
            }
        }
        tx.commit().map_err(err)
    }

    fn finish(self: Box<Self>) -> Result<(), String> {
        // Folds the WAL into the file, so a copy of the .db alone is complete.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(err)?;
        self.conn.close().map_err(|(_, e)| err(e))
    }
}
