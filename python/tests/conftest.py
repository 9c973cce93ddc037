"""Shared fixtures: the repository's inputs and the declx binary to compare with."""

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def inputs():
    """Every input the comparison runs on: seeds, fixtures, the test corpus and ../shared."""
    out = [ROOT / "seeds", ROOT / "fixtures", ROOT / "tests" / "forms"]
    out += [SHARED / d for d in ("seeds", "examples", "realdata") if (SHARED / d).is_dir()]
    return [str(p) for p in out if p.exists()]


@pytest.fixture(scope="session")
def declx_bin():
    return os.environ.get("DECLX_BIN", str(ROOT / "target" / "release" / "declx"))


def exact(line):
    """A JSON line parsed with exact decimals and the record's two int fields as int."""
    r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
    for k in ("schema_version", "year"):
        if r.get(k) is not None:
            r[k] = int(r[k])
    return r


@pytest.fixture(scope="session")
def cli_jsonl(declx_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "all.jsonl"
    subprocess.run([declx_bin, "extract", *inputs(), "--jsonl", str(out), "-q"], check=False)
    return [exact(l) for l in out.read_text(encoding="utf-8").splitlines()]
