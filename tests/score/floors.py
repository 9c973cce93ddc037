#!/usr/bin/env python3
"""Scores the shared cases with the shared scorer and fails when any case
falls below its floor (tests/score/floors.tsv: fields and nothing-lost per
case, and identity per set). Floors only go up: `--raise` writes the higher
of each floor and today's score, never a lower one.

    python3 tests/score/floors.py [--bin target/release/declx] [--shared ../shared] [--raise]

Knows nothing of declx's internals: it reads the scorer's printed table.
"""
import argparse
import os
import re
import subprocess
import sys

SETS = ["examples", "realdata", "families"]
HERE = os.path.dirname(os.path.abspath(__file__))
FLOORS = os.path.join(HERE, "floors.tsv")
ROW = re.compile(r"^(\S+)\s+\S+\s+\d+\s+([\d.]+)%\s+\d+/\d+\s+(?:([\d.]+)%\s+\d+/\d+)?")
IDENT = re.compile(r"^identity: ([\d.]+)%")


def score(binary, shared, name):
    cases = os.path.join(shared, name, "cases")
    truth = os.path.join(shared, name, "truth")
    out = subprocess.run(
        [sys.executable, os.path.join(shared, "tools", "score.py"), "--bin", binary, "--cases", cases, "--truth", truth],
        capture_output=True, text=True, check=False,
    ).stdout
    got = {}
    for line in out.splitlines():
        m = ROW.match(line)
        if m and not line.startswith(("case", "layout")) and os.path.exists(os.path.join(cases, m.group(1))):
            got[(name, m.group(1), "fields")] = float(m.group(2))
            if m.group(3) is not None:
                got[(name, m.group(1), "nothing_lost")] = float(m.group(3))
        m = IDENT.match(line)
        if m:
            got[(name, "*", "identity")] = float(m.group(1))
    if not got:
        sys.exit(f"floors: the scorer printed no case for {name}:\n{out[-2000:]}")
    return got


def read_floors():
    floors = {}
    if os.path.exists(FLOORS):
        for line in open(FLOORS, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                s, case, what, pct = line.rstrip("\n").split("\t")
                floors[(s, case, what)] = float(pct)
    return floors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/declx")
    ap.add_argument("--shared", default=os.environ.get("DECLX_SHARED", "../shared"))
    ap.add_argument("--raise", dest="raise_", action="store_true", help="raise floors to today's scores")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.shared, "tools")):
        sys.exit(f"floors: no shared corpus at {a.shared} (set DECLX_SHARED)")
    got = {}
    for name in SETS:
        got.update(score(a.bin, a.shared, name))
    floors = read_floors()
    fell = [(k, floors[k], got.get(k)) for k in sorted(floors) if got.get(k, -1.0) < floors[k]]
    for (s, case, what), floor, now in fell:
        print(f"floors: {s}/{case} {what} {now if now is not None else 'missing'}% is below its floor {floor}%")
    if a.raise_:
        merged = dict(floors)
        for k, v in got.items():
            merged[k] = max(v, floors.get(k, 0.0))
        with open(FLOORS, "w", encoding="utf-8") as f:
            f.write("# set\tcase\tmeasure\tfloor %  (only ever raised: tests/score/floors.py --raise)\n")
            for k in sorted(merged):
                f.write("%s\t%s\t%s\t%.1f\n" % (k[0], k[1], k[2], merged[k]))
    print(f"floors: {len(floors) - len(fell)}/{len(floors)} floors held over {len(got)} scores")
    sys.exit(1 if fell else 0)


if __name__ == "__main__":
    main()
