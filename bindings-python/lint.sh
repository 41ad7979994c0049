#!/usr/bin/env bash
# Lints and format-checks every Python file of the repository with ruff (configured in ruff.toml,
# pinned in requirements-dev.txt): the package and its generated modules, tests, examples,
# bench/, tests/openapi, tests/interop and tools/.
#
#   bindings-python/lint.sh          # check (what `make lint` runs)
#   bindings-python/lint.sh --fix    # apply ruff's safe fixes and format the hand-written files
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${SENDIVENT_VENV:-$ROOT/.tools/venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
PIN="$(grep -E '^ruff==' "$HERE/requirements-dev.txt")"
if [ "$("$VENV/bin/ruff" --version 2>/dev/null | sed 's/ /==/')" != "$PIN" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$PIN"
fi
cd "$ROOT"
if [ "${1:-}" = "--fix" ]; then
    "$VENV/bin/ruff" check --fix .
    "$VENV/bin/ruff" format .
    echo "generated files are fixed in tools/codegen/templates/python/, then: cargo run -p sendivent-codegen"
    exit 0
fi
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
