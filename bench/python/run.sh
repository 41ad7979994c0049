#!/usr/bin/env bash
# `make bench`, Python part: release wheel, release mock and bench_client (the native rows), then
# bench.py > bench/python/RESULTS.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${SENDIVENT_VENV:-$ROOT/.tools/venv}"
"$ROOT/bindings-python/dev-install.sh"
(cd "$ROOT" && cargo build --quiet --release -p sendivent-mock && cargo build --quiet --release -p sendivent-examples --bin bench_client)
cd "$ROOT"
SENDIVENT_MOCK_BIN="$ROOT/target/release/sendivent-mock" "$VENV/bin/python" "$HERE/bench.py" > "$HERE/RESULTS.md.tmp"
mv "$HERE/RESULTS.md.tmp" "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
