"""declx.indicators as an Arrow table equals the flat CSV; the CLI's
Parquet files read back with pyarrow and DuckDB equal the JSON Lines and
the flat CSV."""

import csv
import json
import subprocess
from decimal import Decimal

import duckdb
import polars
import pyarrow.parquet as pq
import pytest

import declx
from conftest import exact, inputs


@pytest.fixture(scope="session")
def cli_flat(declx_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("flat") / "flat.csv"
    subprocess.run([declx_bin, "extract", *inputs(), "--flat", str(out), "-q"], check=False)
    with open(out, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _as_csv(row):
    """A table row as the CSV writes it: text, numbers as written, empty for null."""
    out = {}
    for k, v in row.items():
        if v is None:
            out[k] = ""
        elif isinstance(v, Decimal):
            out[k] = v
        else:
            out[k] = str(v)
    return out


def _unquoted(v):
    """A CSV field as written before `--flat` neutralised it: a leading `'`
    before = + - @ tab or CR (OWASP's rule, README "Security") comes off;
    the tables and Parquet keep the text as written."""
    return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r") and len(v) > 1 else v


def _csv_exact(row, decimals):
    return {k: (Decimal(v) if k in decimals and v != "" else _unquoted(v)) for k, v in row.items()}


def test_indicators_rows_equal_the_flat_csv(cli_flat):
    table = declx.indicators(inputs())
    decimals = {f.name for f in table.schema if f.name.endswith("_value")}
    assert str(table.schema.field("annual_value").type) == "decimal128(38, 10)"
    rows = [_as_csv(r) for r in table.to_pylist()]
    assert len(rows) == len(cli_flat) > 300
    assert rows == [_csv_exact(r, decimals) for r in cli_flat]
    report = json.loads(table.schema.metadata[b"declx_report"])
    assert report["totals"]["records"] > 30
    # pandas and Polars from the table.
    assert len(table.to_pandas()) == len(rows)
    assert polars.from_arrow(table).height == len(rows)


@pytest.fixture(scope="session")
def parquet_dir(declx_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("parquet")
    subprocess.run([declx_bin, "extract", *inputs(), "--parquet", str(d), "-q"], check=False)
    return d


def test_records_parquet_equals_the_json_lines(parquet_dir, cli_jsonl):
    table = pq.read_table(parquet_dir / "records.parquet")
    assert table.num_rows == len(cli_jsonl)
    for got, want in zip(table.to_pylist(), cli_jsonl):
        assert _record_from_parquet(got) == _no_nulls(want)


def _record_from_parquet(row):
    """A records.parquet row back in the JSON shape: the JSON-text columns
    parsed, maps as objects, absent and null alike."""
    out = {}
    for k, v in row.items():
        if k in ("overall_goal", "indicators") and v is not None:
            out[k] = json.loads(v, parse_float=Decimal, parse_int=Decimal)
        elif k in ("project", "info") and v is not None:
            out[k] = {a: b for a, b in v}
        else:
            out[k] = _plain(v)
    return _no_nulls(out)


def _plain(v):
    if isinstance(v, list) and v and all(isinstance(x, tuple) and len(x) == 2 for x in v):
        return {a: _plain(b) for a, b in v}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _no_nulls(v):
    """Nulls dropped from objects (the JSON omits some absent fields)."""
    if isinstance(v, dict):
        return {k: _no_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_no_nulls(x) for x in v]
    return v


def test_indicators_parquet_equals_the_flat_csv_in_duckdb(parquet_dir, cli_flat):
    con = duckdb.connect()
    got = con.execute(f"select * from read_parquet('{parquet_dir / 'indicators.parquet'}')").fetchall()
    cols = [d[0] for d in con.description]
    assert len(got) == len(cli_flat)
    decimals = {c for c in cols if c.endswith("_value")}
    rows = [_as_csv(dict(zip(cols, r))) for r in got]
    assert rows == [_csv_exact(r, decimals) for r in cli_flat]
    n = con.execute(
        f"select count(*) from read_parquet('{parquet_dir / 'records.parquet'}'), unnest(budget.blocks) as b"
    ).fetchone()[0]
    assert n > 0


def test_parquet_files_are_the_same_bytes_run_after_run(declx_bin, tmp_path):
    runs = []
    for n in range(2):
        d = tmp_path / f"run{n}"
        subprocess.run([declx_bin, "extract", *inputs(), "--parquet", str(d), "-q", "-j", str(n + 1)], check=False)
        runs.append([(d / f).read_bytes() for f in ("records.parquet", "indicators.parquet")])
    assert runs[0] == runs[1]
