#!/usr/bin/env bash
# Interop of the core's Standard Webhooks implementation with the reference libraries:
# the Python `standardwebhooks` package (pinned in requirements.txt, installed into .tools/venv)
# and the npm `standardwebhooks` package (pinned in node/package-lock.json).
#
#   tests/interop/run.sh            # both
#   INTEROP_SKIP_NODE=1 tests/interop/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
CARGO=${CARGO:-cargo}
VENV=.tools/venv

$CARGO build -q -p sendivent --no-default-features --example webhook_cli
export WEBHOOK_CLI="$PWD/target/debug/examples/webhook_cli"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r tests/interop/requirements.txt
"$VENV/bin/python" tests/interop/check_python.py

if [ -z "${INTEROP_SKIP_NODE:-}" ]; then
    (cd tests/interop/node && npm ci --silent --no-audit --no-fund)
    node tests/interop/node/interop.mjs
fi
