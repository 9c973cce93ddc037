//! `--db postgresql://…`: the tables in PostgreSQL (and servers speaking its
//! protocol: openGauss, Kingbase in PostgreSQL mode) through the synchronous
//! `postgres` client. One transaction per batch: the batch's old rows
//! deleted, then each table loaded with `COPY … FROM STDIN`. Batches of
//! shards writing into one database take turns (an advisory lock). Knows
//! nothing of records: it writes `Batch`es.

use super::batch::{Batch, BatchWriter};
use super::rows::Val;
use super::schema::{self, Dialect, META, TABLES};
use postgres::{Client, NoTls};
use std::io::Write;

/// The advisory lock key of declx's writers ("declx" in ASCII).
const LOCK: i64 = 0x6465636c78;

pub struct PostgresWriter {
    client: Client,
    name: String,
    copies: Vec<String>,
}

/// A client error as text: a server error with its message and detail.
fn err(e: postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = format!("{}: {}", db.severity(), db.message());
        if let Some(d) = db.detail() {
            s.push_str(&format!(" ({d})"));
        }
        return s;
    }
    let mut s = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let c = cause.to_string();
        if !s.contains(&c) {
            s.push_str(&format!(": {c}"));
        }
        source = cause.source();
    }
    s
}

/// The URL as shown in messages: any password replaced by `***`.
pub fn masked(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = scheme_end + 3;
        let authority_end = out[rest..].find(['/', '?']).map_or(out.len(), |i| rest + i);
        if let Some(at) = out[rest..authority_end].rfind('@') {
            let userinfo = &out[rest..rest + at];
            if let Some(colon) = userinfo.find(':') {
                out.replace_range(rest + colon + 1..rest + at, "***");
            }
        }
    }
    if let Some(q) = out.find("password=") {
        let start = q + "password=".len();
        let end = out[start..].find(['&', ' ']).map_or(out.len(), |i| start + i);
        out.replace_range(start..end, "***");
    }
    out
}

impl PostgresWriter {
    /// Connects and checks or creates the tables.
    pub fn connect(url: &str) -> Result<PostgresWriter, String> {
        let mut client = Client::connect(url, NoTls).map_err(err)?;
        ensure_schema(&mut client)?;
        let copies = TABLES
            .iter()
            .map(|t| {
                let cols: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
                format!("COPY {} ({}) FROM STDIN", t.name, cols.join(", "))
            })
            .collect();
        Ok(PostgresWriter {
            client,
            name: masked(url),
            copies,
        })
    }
}

fn ensure_schema(client: &mut Client) -> Result<(), String> {
    let mut tx = client.transaction().map_err(err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK]).map_err(err)?;
    let exists: bool = tx
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&META])
        .map_err(err)?
        .get(0);
    if exists {
        let found: Option<String> = tx
            .query_opt(&format!("SELECT value FROM {META} WHERE name = 'schema_version'"), &[])
            .map_err(err)?
            .map(|r| r.get(0));
        let found = found.unwrap_or_else(|| "(none)".into());
        if found != schema::DB_SCHEMA_VERSION.to_string() {
            return Err(schema::version_mismatch(&found));
        }
    } else {
        for stmt in schema::statements(Dialect::Postgres) {
            tx.batch_execute(&stmt).map_err(err)?;
        }
    }
    tx.commit().map_err(err)
}

/// Appends a value in COPY's text format. PostgreSQL text cannot hold NUL:
/// it becomes U+FFFD.
fn put(buf: &mut Vec<u8>, v: &Val) {
    let Some(text) = v.as_text() else {
        buf.extend_from_slice(b"\\N");
        return;
    };
    for &b in text.as_bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            0 => buf.extend_from_slice("\u{FFFD}".as_bytes()),
            _ => buf.push(b),
        }
    }
}

fn copy_rows<'a>(rows: impl Iterator<Item = &'a Vec<Val>>) -> Vec<u8> {
    let mut buf = Vec::new();
    for row in rows {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                buf.push(b'\t');
            }
            put(&mut buf, v);
        }
        buf.push(b'\n');
    }
    buf
}

impl BatchWriter for PostgresWriter {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn write(&mut self, batch: &Batch) -> Result<(), String> {
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK]).map_err(err)?;
        let ids = batch.ids();
        tx.execute(
            "DELETE FROM records WHERE file_path = ANY($1) OR id = ANY($2)",
            &[&batch.paths, &ids],
        )
        .map_err(err)?;
        tx.execute("DELETE FROM files WHERE path = ANY($1)", &[&batch.paths])
            .map_err(err)?;
        for (t, copy) in self.copies.iter().enumerate() {
            let data = if t == 0 {
                copy_rows(batch.files.iter())
            } else {
                copy_rows(batch.rows(t - 1))
            };
            if data.is_empty() {
                continue;
            }
            let mut w = tx.copy_in(copy.as_str()).map_err(err)?;
            w.write_all(&data).map_err(|e| e.to_string())?;
            w.finish().map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn finish(self: Box<Self>) -> Result<(), String> {
        self.client.close().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            super::masked("postgresql://declx:s3cret@127.0.0.1:5432/db"),
            "postgresql://declx:***@127.0.0.1:5432/db"
        );
        assert_eq!(
            super::masked("postgresql://u@h/db?password=x&sslmode=disable"),
            "postgresql://u@h/db?password=***&sslmode=disable"
        );
        assert_eq!(
            super::masked("postgresql:///db?host=/tmp"),
            "postgresql:///db?host=/tmp"
        );
    }
}
