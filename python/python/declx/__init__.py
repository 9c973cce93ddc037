"""declx: Chinese budget performance target declaration forms (绩效目标申报表)
into records — the same records as the ``declx`` command line.

Three calls, all taking files, directories or a mix (directories are walked
as ``declx extract`` walks them)::

    import declx
    records = declx.extract("forms/")                # list of dicts
    for r in declx.iter_records("archive/"):         # a generator, flat memory
        ...
    table = declx.indicators("forms/")               # pyarrow.Table, one row per 三级指标
    df = table.to_pandas()                           # or polars.from_arrow(table)

Amounts and target values are ``decimal.Decimal`` with the source's digits,
never floats. Extraction runs in Rust on all cores with the GIL released.

Errors per file: ``errors="report"`` (the default) keeps going and lists
failed files in a report (``.report`` of the result); ``errors="raise"``
raises :class:`ExtractError` naming the first file that failed.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from . import _declx

__all__ = [
    "extract",
    "iter_records",
    "indicators",
    "extract_bytes",
    "ExtractError",
    "Records",
    "RecordIterator",
    "__version__",
]
__version__: str = _declx.__version__

PathLike = Union[str, "os.PathLike[str]"]
Paths = Union[PathLike, Iterable[PathLike]]

#: Files extracted per parallel batch: memory stays flat in the number of files.
CHUNK = 256

#: The integer fields of a record; every other number is a Decimal.
_INT_FIELDS = ("schema_version", "year")


class ExtractError(Exception):
    """A file declx could not extract. ``str(e)`` is the one-line error
    (it names the file); ``path`` is the file and ``code`` the error's code
    (``workbook``, ``no_form``, ``limit`` …, as in ``_report.json``)."""

    def __init__(self, message: str, path: str, code: Optional[str]) -> None:
        super().__init__(message)
        self.path = path
        self.code = code


def _paths(paths: Paths) -> List[str]:
    # os.fsdecode: a bytes path (a name that is not UTF-8) becomes a str
    # that reads back as the same bytes.
    if isinstance(paths, (str, bytes, os.PathLike)):
        return [os.fsdecode(paths)]
    return [os.fsdecode(p) for p in paths]


def _vocab(vocab: Optional[Union[PathLike, Sequence[PathLike]]]) -> Optional[List[str]]:
    if vocab is None:
        return None
    files = _paths(vocab)
    _declx.check_vocab(files)
    return files


def _record(line: str) -> Dict[str, Any]:
    """A record with every amount and target value as an exact Decimal."""
    r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
    for k in _INT_FIELDS:
        if r.get(k) is not None:
            r[k] = int(r[k])
    return r


def _check_errors(errors: str) -> None:
    if errors not in ("report", "raise"):
        raise ValueError(f'errors must be "report" or "raise", not {errors!r}')


class _Report:
    """Collects what ``_report.json`` says of a run: every input's outcome."""

    def __init__(self, skipped: List[Any]) -> None:
        self.inputs: List[Dict[str, Any]] = []
        self.skipped = [{"path": p, "reason": r} for p, r in skipped]

    def add(self, path: str, records: int, error: Optional[str], code: Optional[str]) -> None:
        entry: Dict[str, Any] = {"path": path, "outcome": "failed" if error else "ok", "records": records}
        if error:
            entry["error"] = error
            entry["error_code"] = code
        self.inputs.append(entry)

    def as_dict(self) -> Dict[str, Any]:
        failed = sum(1 for i in self.inputs if i["outcome"] == "failed")
        return {
            "declx_version": __version__,
            "totals": {
                "inputs": len(self.inputs),
                "ok": len(self.inputs) - failed,
                "failed": failed,
                "records": sum(i["records"] for i in self.inputs),
                "skipped_files": len(self.skipped),
            },
            "inputs": self.inputs,
            "skipped": self.skipped,
        }


def _results(files: List[str], jobs: Optional[int], vocab: Optional[List[str]], flat: bool, errors: str, report: _Report):
    """Yields (path, JSON lines) in input order, chunk by chunk."""
    for start in range(0, len(files), CHUNK):
        for path, lines, error, code in _declx.extract_chunk(files[start : start + CHUNK], jobs, vocab, flat):
            report.add(path, len(lines or ()), error, code)
            if error is not None:
                if errors == "raise":
                    raise ExtractError(error, path, code)
                continue
            yield path, lines


class Records(list):
    """The records of :func:`extract`: a list, with the run's ``report``."""

    report: Dict[str, Any]


class RecordIterator:
    """The records of :func:`iter_records`, in input order. ``report`` fills
    in as files are read (complete once the iterator is exhausted)."""

    def __init__(self, paths: Paths, jobs: Optional[int], vocab: Optional[List[str]], errors: str) -> None:
        files, skipped = _declx.collect(_paths(paths))
        self._report = _Report(skipped)
        self._files = _results(files, jobs, vocab, False, errors, self._report)
        self._pending: Iterator[str] = iter(())

    def __iter__(self) -> "RecordIterator":
        return self

    def __next__(self) -> Dict[str, Any]:
        while True:
            for line in self._pending:
                return _record(line)
            _, lines = next(self._files)
            self._pending = iter(lines)

    @property
    def report(self) -> Dict[str, Any]:
        return self._report.as_dict()


def iter_records(
    paths: Paths, *, jobs: Optional[int] = None, vocab: Optional[Union[PathLike, Sequence[PathLike]]] = None,
    errors: str = "report",
) -> RecordIterator:
    """Records of every form in ``paths``, one at a time, in input order.

    Files are extracted 256 at a time on ``jobs`` threads (default: all
    cores) with the GIL released, so memory stays flat on a large archive.
    ``vocab``: vocabulary files merged over the built-in one (like ``--vocab``).
    """
    _check_errors(errors)
    return RecordIterator(paths, jobs, _vocab(vocab), errors)


def extract(
    paths: Paths, *, jobs: Optional[int] = None, vocab: Optional[Union[PathLike, Sequence[PathLike]]] = None,
    errors: str = "report",
) -> Records:
    """Every record of every form in ``paths``, as dicts, in input order.

    The result is a list with a ``report`` attribute: each input's outcome
    (``ok`` with its record count, or ``failed`` with the error), as in the
    command line's ``_report.json``. With ``errors="raise"`` the first file
    that fails raises :class:`ExtractError` instead.
    """
    it = iter_records(paths, jobs=jobs, vocab=vocab, errors=errors)
    out = Records(it)
    out.report = it.report
    return out


def extract_bytes(
    name: str, data: bytes, *, vocab: Optional[Union[PathLike, Sequence[PathLike]]] = None
) -> List[Dict[str, Any]]:
    """The records of one file's bytes (Spark's ``binaryFile``, an upload);
    ``name``'s extension gives the format. Raises :class:`ExtractError`."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, bytearray or memoryview, not {type(data).__name__}")
    path, lines, error, code = _declx.extract_bytes(name, bytes(data), _vocab(vocab))
    if error is not None:
        raise ExtractError(error, path, code)
    return [_record(line) for line in lines]


#: Decimal type of the flat table's ``*_value`` columns.
VALUE_PRECISION, VALUE_SCALE = 38, 10


def _flat_schema():
    import pyarrow as pa

    fields = []
    for name in _declx.flat_header():
        if name == "year":
            fields.append(pa.field(name, pa.int32()))
        elif name.endswith("_value"):
            fields.append(pa.field(name, pa.decimal128(VALUE_PRECISION, VALUE_SCALE)))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def indicators(
    paths: Paths, *, jobs: Optional[int] = None, vocab: Optional[Union[PathLike, Sequence[PathLike]]] = None,
    errors: str = "report",
):
    """The flat table — one row per 三级指标, the columns of ``--flat`` — as a
    ``pyarrow.Table``; ``.to_pandas()`` or ``polars.from_arrow()`` from it.

    Numbers: each ``*_value`` column is ``decimal128(38, 10)`` (exact for
    any target written with at most 10 decimal places; pandas gets
    ``Decimal`` objects, Polars and DuckDB a DECIMAL), and the ``*_raw``
    column beside it keeps the cell's text. The run's report is in the
    schema metadata: ``json.loads(table.schema.metadata[b"declx_report"])``.
    """
    import io

    import pyarrow as pa
    import pyarrow.json as pa_json

    _check_errors(errors)
    schema = _flat_schema()
    # pyarrow's JSON reader with the declared schema: the decimal columns are
    # parsed from the rows' number text, exactly, in C++ (5x a dict per row).
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    files, skipped = _declx.collect(_paths(paths))
    report = _Report(skipped)
    tables = []
    lines: List[str] = []
    for _, file_lines in _results(files, jobs, _vocab(vocab), True, errors, report):
        lines.extend(file_lines)
        if len(lines) >= 10_000:
            tables.append(pa_json.read_json(io.BytesIO(("\n".join(lines) + "\n").encode()), parse_options=options))
            lines = []
    if lines:
        tables.append(pa_json.read_json(io.BytesIO(("\n".join(lines) + "\n").encode()), parse_options=options))
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    meta = {b"declx_report": json.dumps(report.as_dict(), ensure_ascii=False).encode()}
    return table.cast(schema).replace_schema_metadata(meta)
