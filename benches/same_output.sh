#!/usr/bin/env bash
# Refactoring check (not a test): runs two declx binaries over every input the
# repository and ../shared hold, plus generated forms, and compares their
# record files, JSON Lines, flat CSV and run report byte for byte.
#
#   benches/same_output.sh OLD_BINARY [NEW_BINARY]   (default new: target/release/declx)
#   RECORDS_ONLY=1 benches/same_output.sh …           JSON Lines, flat CSV and stderr only
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1"); new=$(realpath "${2:-target/release/declx}")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --example gen_forms
target/release/examples/gen_forms "$work/in/generated" 200 42 2>/dev/null
mkdir -p "$work/in"
cp -r seeds fixtures tests/forms "$work/in/"
[ -d ../shared ] && cp -r ../shared/seeds ../shared/examples ../shared/realdata "$work/in/" 2>/dev/null || true
cd "$work"
n=$(find in -type f | wc -l)
for b in old new; do
  bin=$old; [ $b = new ] && bin=$new; mkdir -p "$b"
  "$bin" extract in --out "$b/out" --jsonl "$b/all.jsonl" --flat "$b/flat.csv" -q 2> "$b/stderr" || true
done
if [ "${RECORDS_ONLY:-}" = 1 ]; then
  # Record files are named differently since issue #12: compare the records.
  for f in all.jsonl flat.csv stderr; do cmp "old/$f" "new/$f" || { echo "DIFFERENT: $f"; exit 1; }; done
  echo "same records: $n input files, JSON Lines, flat CSV and stderr"
elif diff -r old new >/dev/null; then
  echo "same bytes: $n input files, $(ls old/out | wc -l) output files, JSON Lines, flat CSV and report"
else
  diff -r old new | head -40; echo "DIFFERENT"; exit 1
fi
