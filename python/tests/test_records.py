"""declx.extract and iter_records give the command line's records, with
exact decimals, and report or raise per-file errors."""

import json
import os
import resource
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

import declx
from conftest import ROOT, inputs


def test_python_records_equal_the_cli_json_lines_for_every_input(cli_jsonl):
    records = declx.extract(inputs())
    assert len(records) == len(cli_jsonl) > 30
    assert records == cli_jsonl


def test_amounts_and_targets_are_decimals_with_the_sources_digits():
    r = declx.extract(ROOT / "seeds")[0]
    item = r["budget"]["blocks"][0]["items"][0]
    assert isinstance(item["amount"], Decimal) and str(item["amount"]) == "4972.33"
    leaf = r["indicators"][0]["children"][0]["children"][0]
    assert isinstance(leaf["values"]["period"]["value"], Decimal)
    assert isinstance(r["schema_version"], int)


def test_iter_records_yields_in_input_order_with_a_report():
    it = declx.iter_records([ROOT / "fixtures", ROOT / "seeds"], jobs=2)
    paths = [r["source"]["path"] for r in it]
    assert paths == sorted(paths, key=lambda p: (not p.startswith(str(ROOT / "fixtures")), p))
    assert it.report["totals"]["records"] == len(paths)


def test_a_broken_file_is_in_the_report_or_raises(tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    (tmp_path / "seed.txt").write_bytes((ROOT / "seeds" / "000_be24f91d7f1b64fe.txt").read_bytes())
    records = declx.extract(tmp_path)
    assert len(records) == 1
    failed = [i for i in records.report["inputs"] if i["outcome"] == "failed"]
    assert [Path(f["path"]).name for f in failed] == ["broken.xlsx"]
    assert failed[0]["error_code"] == "workbook" and "broken.xlsx" in failed[0]["error"]
    with pytest.raises(declx.ExtractError) as e:
        declx.extract(tmp_path, errors="raise")
    assert Path(e.value.path).name == "broken.xlsx" and "broken.xlsx" in str(e.value)


def test_extract_bytes_reads_a_file_held_in_memory():
    data = (ROOT / "fixtures" / "seed_merged.ods").read_bytes()
    [r] = declx.extract_bytes("seed.ods", data)
    assert r["department"] == declx.extract(ROOT / "fixtures" / "seed_merged.ods")[0]["department"]
    with pytest.raises(declx.ExtractError):
        declx.extract_bytes("x.xlsx", b"nope")


def test_a_vocabulary_file_teaches_a_renamed_label(tmp_path):
    seed = (ROOT / "seeds" / "000_be24f91d7f1b64fe.txt").read_text(encoding="utf-8")
    (tmp_path / "f.txt").write_text(seed.replace("部门名称", "填报主体", 1), encoding="utf-8")
    (tmp_path / "v.toml").write_text('[fields]\n"填报主体" = "department"\n', encoding="utf-8")
    assert declx.extract(tmp_path / "f.txt")[0]["department"] is None
    taught = declx.extract(tmp_path / "f.txt", vocab=tmp_path / "v.toml")[0]
    assert taught["department"] == "广州市天河区司法局"
    (tmp_path / "bad.toml").write_text('[fields]\n"x" = "nope"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml:2"):
        declx.extract(tmp_path / "f.txt", vocab=tmp_path / "bad.toml")


def test_iter_records_over_2000_forms_keeps_memory_flat(tmp_path):
    gen = ROOT / "target" / "release" / "examples" / "gen_forms"
    subprocess.run(["cargo", "build", "--release", "--example", "gen_forms", "-q"], cwd=ROOT, check=True)
    subprocess.run([str(gen), str(tmp_path / "forms"), "2000", "7"], cwd=ROOT, check=True, capture_output=True)
    peak = []
    n = 0
    for n, _ in enumerate(declx.iter_records(tmp_path / "forms"), 1):
        if n in (300, 2790):
            peak.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    # 2,000 files: 1,600 forms of one record, 400 copies of the 3-form workbook.
    assert n == 2800
    # Peak RSS after 300 records and after 2,790: the later may grow only by
    # allocator slack, not by what 2,490 more records would hold (~200 MB).
    assert peak[1] - peak[0] < 40 * 1024, peak


SEED = ROOT / "seeds" / "000_be24f91d7f1b64fe.txt"


def test_a_file_name_that_is_not_utf8_is_read_as_the_cli_reads_it(tmp_path, declx_bin):
    # GBK bytes for 测试, as unzip leaves the names of a Chinese archive.
    name = b"\xb2\xe2\xca\xd4.txt"
    (tmp_path / os.fsdecode(name)).write_bytes(SEED.read_bytes())
    records = declx.extract(tmp_path)
    assert records.report["totals"]["failed"] == 0 and len(records) == 1
    cli = subprocess.run([declx_bin, "extract", str(tmp_path), "--jsonl", "-", "-q"], capture_output=True, check=True)
    assert records[0]["source"]["path"] == json.loads(cli.stdout)["source"]["path"]
    # A bytes path names the same directory.
    assert len(declx.extract(os.fsencode(str(tmp_path)))) == 1


DEEP = b"<div>" * 30_000 + b"<table><tr><td>x</td></tr></table>"


def test_a_deeply_nested_page_fails_alone_and_the_interpreter_lives(tmp_path):
    # 3,000 nested <div>s overflowed a worker's stack: SIGSEGV in iter_records and extract_bytes.
    code = f"""
import declx, sys
r = declx.extract({str(tmp_path)!r})
print(r.report["totals"]["ok"], r.report["totals"]["failed"])
try:
    declx.extract_bytes("x.html", b"<div>" * 30_000 + b"<table><tr><td>x</td></tr></table>")
except declx.ExtractError as e:
    print("error", e.code)
"""
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "z.html").write_bytes(DEEP)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "1", "error", "no_form"]


def test_ctrl_c_interrupts_a_file_that_takes_long(tmp_path):
    # Python's Ctrl-C waited for the whole chunk; a slow file held it for as long as it took.
    (tmp_path / "slow.html").write_bytes(b"<div>" * 150_000 + b"<table><tr><td>x</td></tr></table>")
    code = f"""
import declx, time
t = time.monotonic()
try:
    declx.extract({str(tmp_path)!r})
    print("finished")
except KeyboardInterrupt:
    print("interrupted", round(time.monotonic() - t))
"""
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=120)
    assert out.split()[0] == "interrupted", out
    assert int(out.split()[1]) < 30, out


def test_extract_bytes_wants_bytes():
    with pytest.raises(TypeError):
        declx.extract_bytes("a.txt", 5)
