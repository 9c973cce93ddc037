#!/usr/bin/env bash
# The Python package's tests, as CI runs them: a venv of the repository's own
# under target/ (never the machine's Python), the test tools from PyPI, the
# package built and installed from ./python by pip (maturin underneath), the
# declx binary with Parquet for the comparisons, then pytest.
#
#   python/ci.sh            (from anywhere; .ci/run calls it)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/py-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r python/requirements-test.txt
# The wheel, built the way a user builds it; the Cargo target dir is shared
# with the workspace so a rebuild is incremental.
CARGO_TARGET_DIR="$PWD/target" "$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps ./python
cargo build --release --features parquet --bin declx
DECLX_BIN="$PWD/target/release/declx" "$venv/bin/python" -m pytest -q python/tests "$@"
