//! `--parquet DIR` (cargo feature `parquet`): `records.parquet`, one row per
//! record, and `indicators.parquet`, the flat table. Records go in as their
//! JSON text through arrow-json's decoder with a declared schema, so every
//! shard has the same schema whatever its forms hold:
//!
//! - amounts, funds, weights and target numbers are `decimal128(38, 10)`
//!   (exact; the JSON keeps the source's digits, Parquet the value);
//! - label maps (`project`, `info`, a budget item's `note`) are
//!   `map<string, string>`; budget blocks, key tasks, columns, checks,
//!   warnings and unmapped cells are lists of structs, which DuckDB
//!   (`unnest`), Polars (`explode` / `unnest`), Spark and pandas read;
//! - `overall_goal` (a string, or an object when split into 年度 / 实施期)
//!   and `indicators` (a tree of any depth) are JSON text: Arrow has no
//!   union a reader handles well and no recursive type; the flat table is
//!   the tree's tabular form.
//!
//! Batches are buffered and written at the end through the atomic writer,
//! with fixed writer properties: the same inputs give the same bytes.

use super::atomic::{Naming, PendingFile};
use super::report::RunReport;
use super::{OutputError, OutputResult, PreparedRecord, RecordSink};
use arrow_array::RecordBatch;
use arrow_json::reader::{Decoder, ReaderBuilder};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows decoded per Arrow batch.
const BATCH: usize = 1024;

fn s(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn dec(name: &str) -> Field {
    Field::new(name, DataType::Decimal128(38, 10), true)
}

fn list_of(name: &str, fields: Vec<Field>) -> Field {
    Field::new(
        name,
        DataType::List(Arc::new(Field::new(
            "item",
            DataType::Struct(Fields::from(fields)),
            true,
        ))),
        true,
    )
}

fn label_map(name: &str) -> Field {
    let entries = Field::new(
        "entries",
        DataType::Struct(Fields::from(vec![
            Field::new("key", DataType::Utf8, false),
            Field::new("value", DataType::Utf8, true),
        ])),
        false,
    );
    Field::new(name, DataType::Map(Arc::new(entries), false), true)
}

/// The schema of records.parquet.
pub fn records_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("schema_version", DataType::Int32, false),
        s("form"),
        s("title"),
        Field::new("year", DataType::Int32, true),
        s("department"),
        s("unit"),
        label_map("project"),
        label_map("info"),
        Field::new(
            "budget",
            DataType::Struct(Fields::from(vec![
                s("unit"),
                list_of(
                    "blocks",
                    vec![
                        s("heading"),
                        list_of("items", vec![s("label"), dec("amount"), s("cell"), label_map("note")]),
                    ],
                ),
            ])),
            true,
        ),
        s("overall_goal"),
        list_of(
            "key_tasks",
            vec![s("name"), s("content"), dec("funds"), s("expected_goal"), s("cell")],
        ),
        s("other_tasks"),
        list_of("indicator_columns", vec![s("key"), s("header")]),
        s("indicators"),
        list_of(
            "checks",
            vec![
                s("code"),
                Field::new("ok", DataType::Boolean, true),
                s("detail"),
                Field::new(
                    "cells",
                    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
                    true,
                ),
            ],
        ),
        list_of("warnings", vec![s("code"), s("cell"), s("detail")]),
        list_of("unmapped", vec![s("cell"), s("text")]),
        Field::new(
            "source",
            DataType::Struct(Fields::from(vec![
                s("path"),
                s("format"),
                s("encoding"),
                s("sheet"),
                s("range"),
                s("sha256"),
            ])),
            true,
        ),
    ]))
}

/// The schema of indicators.parquet: the flat table's columns, `year` an
/// integer and each `*_value` a decimal.
pub fn indicators_schema() -> SchemaRef {
    let fields = super::flat::header()
        .into_iter()
        .map(|h| {
            if h == "year" {
                Field::new(h, DataType::Int32, true)
            } else if h.ends_with("_value") {
                dec(&h)
            } else {
                s(&h)
            }
        })
        .collect::<Vec<_>>();
    Arc::new(Schema::new(fields))
}

/// A record's JSON with the JSON-text columns made text.
fn record_json(line: &[u8]) -> io::Result<Vec<u8>> {
    let mut v: serde_json::Value = serde_json::from_slice(line).map_err(io::Error::other)?;
    if let Some(o) = v.as_object_mut() {
        for k in ["overall_goal", "indicators"] {
            if let Some(x) = o.get_mut(k) {
                if !x.is_null() {
                    *x = serde_json::Value::String(x.to_string());
                }
            }
        }
    }
    let mut out = serde_json::to_vec(&v).map_err(io::Error::other)?;
    out.push(b'\n');
    Ok(out)
}

/// One Parquet file being filled: JSON lines decoded into Arrow batches.
struct Table {
    decoder: Decoder,
    batches: Vec<RecordBatch>,
    schema: SchemaRef,
    path: PathBuf,
}

impl Table {
    fn new(schema: SchemaRef, path: PathBuf) -> io::Result<Self> {
        let decoder = ReaderBuilder::new(schema.clone())
            .with_batch_size(BATCH)
            .with_strict_mode(false)
            .build_decoder()
            .map_err(io::Error::other)?;
        Ok(Table {
            decoder,
            batches: Vec::new(),
            schema,
            path,
        })
    }

    fn push(&mut self, json: &[u8]) -> io::Result<()> {
        let mut rest = json;
        while !rest.is_empty() {
            let n = self.decoder.decode(rest).map_err(io::Error::other)?;
            rest = &rest[n..];
            if !rest.is_empty() || self.decoder.len() >= BATCH {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(b) = self.decoder.flush().map_err(io::Error::other)? {
            self.batches.push(b);
        }
        Ok(())
    }

    /// Writes the file under a temp name and renames it into place.
    fn write(mut self) -> Result<(), OutputError> {
        let target = self.path.clone();
        let err = |e: io::Error| OutputError::new(&target, e);
        self.flush().map_err(err)?;
        let (pending, file) = PendingFile::create(&self.path, Naming::Own).map_err(err)?;
        let result = (|| -> io::Result<()> {
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("declx {}", env!("CARGO_PKG_VERSION")))
                .build();
            let mut w = ArrowWriter::try_new(file, self.schema.clone(), Some(props)).map_err(io::Error::other)?;
            for b in &self.batches {
                w.write(b).map_err(io::Error::other)?;
            }
            w.close().map_err(io::Error::other)?;
            Ok(())
        })();
        match result {
            Ok(()) => pending.commit().map_err(err),
            Err(e) => {
                pending.abandon();
                Err(err(e))
            }
        }
    }
}

/// `--parquet DIR`.
pub struct ParquetSink {
    records: Table,
    indicators: Table,
}

impl ParquetSink {
    pub fn create(dir: &Path) -> Result<Self, OutputError> {
        std::fs::create_dir_all(dir).map_err(|e| OutputError::new(dir, e))?;
        let table = |schema, name: &str| {
            let path = dir.join(name);
            Table::new(schema, path.clone()).map_err(|e| OutputError::new(&path, e))
        };
        Ok(ParquetSink {
            records: table(records_schema(), "records.parquet")?,
            indicators: table(indicators_schema(), "indicators.parquet")?,
        })
    }
}

impl RecordSink for ParquetSink {
    fn record(&mut self, r: &mut PreparedRecord) -> OutputResult {
        if let Some(line) = &r.line {
            let json = record_json(line).map_err(|e| OutputError::new(&self.records.path, e))?;
            let path = self.records.path.clone();
            self.records.push(&json).map_err(|e| OutputError::new(&path, e))?;
        }
        if let Some(record) = &r.record {
            let mut json = Vec::new();
            for row in super::flat::rows(record) {
                serde_json::to_writer(&mut json, &row)
                    .map_err(|e| OutputError::new(&self.indicators.path, e.into()))?;
                json.push(b'\n');
            }
            let path = self.indicators.path.clone();
            self.indicators.push(&json).map_err(|e| OutputError::new(&path, e))?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunReport) -> OutputResult {
        let ParquetSink { records, indicators } = *self;
        records.write()?;
        indicators.write()
    }

    fn abort(self: Box<Self>, _: &RunReport) {}
}
