#!/usr/bin/env bash
# make demo step: @sendivent/wasm in Node against the mock (SENDIVENT_BASE_URL, SENDIVENT_API_KEY).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
echo "== WebAssembly / JavaScript (bindings-wasm/examples/demo.mjs) =="
exec node "$root/bindings-wasm/examples/demo.mjs"
