#!/usr/bin/env bash
# make demo step: the Python package against the mock (SENDIVENT_BASE_URL, SENDIVENT_API_KEY).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
echo "== Python (bindings-python/examples/demo.py) =="
"$root/bindings-python/dev-install.sh" >/dev/null
exec "$root/.tools/venv/bin/python" "$root/bindings-python/examples/demo.py"
