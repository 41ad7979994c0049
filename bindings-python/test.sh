#!/usr/bin/env bash
# Builds the `sendivent` wheel, installs it into the project's tool venv and runs the Python
# suite: pytest (vectors, end to end against sendivent-mock, exceptions, concurrency, examples),
# mypy --strict on the package and the examples, and mypy.stubtest on the compiled module.
#
#   bindings-python/test.sh            # everything
#   bindings-python/test.sh -k webhook # extra arguments go to pytest
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${SENDIVENT_VENV:-$ROOT/.tools/venv}"
PY="$VENV/bin/python"

# 1. The venv with the pinned tools, and the wheel built by maturin and installed into it
#    (release by default: the thread test and the examples exercise the real thing; set
#    SENDIVENT_PY_PROFILE=dev for a faster debug build).
"$HERE/dev-install.sh"

# 2. The mock server the end-to-end tests start (one per pytest session, on a free port).
(cd "$ROOT" && cargo build --quiet -p sendivent-mock)
export SENDIVENT_MOCK_BIN="$ROOT/target/debug/sendivent-mock"

# 3. The suites.
"$PY" -m pytest -q -p no:cacheprovider "$HERE/tests" "$@"
"$PY" -m mypy --strict --no-incremental "$HERE/python/sendivent" "$HERE/examples"
"$PY" -m mypy.stubtest sendivent
echo "bindings-python: pytest, mypy --strict and stubtest passed"
