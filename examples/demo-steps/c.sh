#!/usr/bin/env bash
# make demo step: libsendivent from C against the mock.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
echo "== C (examples/c/send.c) =="
exec "$root/examples/c/demo.sh"
