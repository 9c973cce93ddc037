//! `--tables DIR`: the tables as UTF-8 CSV files (`<table>.csv`, a header
//! row, every text quoted, NULL an empty unquoted field — what `COPY … CSV
//! HEADER`, `sqlldr` and `dmfldr` read) plus `schema.sql` (PostgreSQL) and
//! `schema.oracle.sql` (Oracle / DM), for the databases declx does not talk
//! to. Every file is written under a temp name and renamed when the run
//! ends; an interrupted run leaves none. Knows nothing of records.

use super::batch::{Batch, BatchWriter};
use super::rows::Val;
use super::schema::{self, Dialect, TABLES};
use crate::output::atomic::{Naming, PendingFile};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct TablesWriter {
    dir: PathBuf,
    files: Vec<(PendingFile, BufWriter<File>)>,
}

fn quote(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for &b in s.as_bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// One CSV line.
pub fn csv_line(out: &mut Vec<u8>, row: &[Val]) {
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match v {
            Val::Null => {}
            Val::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Val::Bool(b) => out.push(if *b { b'1' } else { b'0' }),
            Val::Dec(d) => out.extend_from_slice(d.to_string().as_bytes()),
            Val::Text(s) => quote(out, s),
        }
    }
    out.push(b'\n');
}

impl TablesWriter {
    pub fn create(dir: &Path) -> Result<TablesWriter, String> {
        fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let mut files = Vec::new();
        for t in TABLES {
            let (pending, file) =
                PendingFile::create(&dir.join(format!("{}.csv", t.name)), Naming::Own).map_err(|e| e.to_string())?;
            let mut w = BufWriter::new(file);
            let header: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
            writeln!(w, "{}", header.join(",")).map_err(|e| e.to_string())?;
            files.push((pending, w));
        }
        Ok(TablesWriter {
            dir: dir.to_path_buf(),
            files,
        })
    }
}

impl BatchWriter for TablesWriter {
    fn name(&self) -> String {
        crate::pathtext::path_text(&self.dir)
    }

    fn write(&mut self, batch: &Batch) -> Result<(), String> {
        let mut buf = Vec::new();
        for (t, (_, w)) in self.files.iter_mut().enumerate() {
            buf.clear();
            if t == 0 {
                for row in &batch.files {
                    csv_line(&mut buf, row);
                }
            } else {
                for row in batch.rows(t - 1) {
                    csv_line(&mut buf, row);
                }
            }
            w.write_all(&buf).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), String> {
        let mut done = Vec::new();
        let mut failed = None;
        for (pending, mut w) in self.files {
            match w.flush() {
                Ok(()) if failed.is_none() => done.push(pending),
                Ok(()) => pending.abandon(),
                Err(e) => {
                    failed.get_or_insert(e.to_string());
                    pending.abandon();
                }
            }
        }
        if let Some(e) = failed {
            done.into_iter().for_each(PendingFile::abandon);
            return Err(e);
        }
        for p in done {
            p.commit().map_err(|e| e.to_string())?;
        }
        crate::output::write_atomic(&self.dir.join("schema.sql"), schema::ddl(Dialect::Postgres).as_bytes())
            .map_err(|e| e.to_string())?;
        crate::output::write_atomic(
            &self.dir.join("schema.oracle.sql"),
            schema::ddl(Dialect::Oracle).as_bytes(),
        )
        .map_err(|e| e.to_string())
    }

    fn abort(self: Box<Self>) {
        for (pending, w) in self.files {
            drop(w);
            pending.abandon();
        }
    }
}
