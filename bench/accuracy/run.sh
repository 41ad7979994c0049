#!/usr/bin/env bash
# Accuracy of sendivent's phone and email validation against phonenumbers and email-validator.
#
#   bench/accuracy/run.sh [accuracy.py options]  > bench/results/accuracy.md
#
# Creates .tools/venv with the pinned reference libraries when needed, builds the
# validate_batch example, cross-checks the shared vectors (report on stderr) and prints the
# Markdown report of the generated corpora on stdout. Fails when a vector drifts from the
# reference without saying so, or when an accuracy aim is missed.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.tools/venv
if [[ ! -x $venv/bin/python ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r bench/accuracy/requirements.txt >&2

cargo build --quiet --release -p sendivent --no-default-features --example validate_batch >&2
"$venv/bin/python" bench/accuracy/check_vectors.py >&2
exec "$venv/bin/python" bench/accuracy/accuracy.py --bin target/release/examples/validate_batch "$@"
