#!/usr/bin/env bash
# Ensures the project's tool venv (/work/main/.tools/venv by default) with the pinned tools of
# requirements-dev.txt, then builds the `sendivent` extension with maturin and installs it into
# that venv (editable). Used by test.sh, the Python demo step and the benchmarks.
#
#   SENDIVENT_PY_PROFILE=dev bindings-python/dev-install.sh   # faster debug build
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${SENDIVENT_VENV:-$ROOT/.tools/venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
STAMP="$VENV/.sendivent-requirements"
if ! cmp -s "$HERE/requirements-dev.txt" "$STAMP" 2>/dev/null; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements-dev.txt"
    cp "$HERE/requirements-dev.txt" "$STAMP"
fi
cd "$HERE"
if [ "${SENDIVENT_PY_PROFILE:-release}" = "dev" ]; then
    VIRTUAL_ENV="$VENV" "$VENV/bin/maturin" develop --quiet
else
    VIRTUAL_ENV="$VENV" "$VENV/bin/maturin" develop --quiet --release
fi
