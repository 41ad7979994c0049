#!/usr/bin/env bash
# Size profile of one WebAssembly build of @sendivent/wasm: what each function and data segment
# weighs in the module as shipped (after wasm-bindgen and wasm-opt -Oz), with names kept — first
# grouped by what the bytes are for (tools/size-groups.mjs, a Markdown table), then the largest
# items and the dominator tree (twiggy). The output is Markdown for bench/RESULTS.md.
# Installs the pinned twiggy into .tools on first use.
# Usage: bindings-wasm/tools/size-profile.sh [webhook|webhook-ed25519|full] [rows=40]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
TWIGGY_VERSION="0.8.0"
twiggy="$root/.tools/bin/twiggy"
if [[ "$("$twiggy" --version 2>/dev/null || true)" != "twiggy $TWIGGY_VERSION" ]]; then
    cargo install twiggy --version "$TWIGGY_VERSION" --locked --root "$root/.tools" \
        || cargo install twiggy --version "$TWIGGY_VERSION" --root "$root/.tools"
fi
build="${1:-webhook}"
rows="${2:-40}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
SENDIVENT_WASM_KEEP_NAMES="$out" SENDIVENT_WASM_ONLY="$build" "$here/build.sh" >&2
"$twiggy" top -n 1000000 -f csv "$out/$build.wasm" > "$out/$build.csv"
node "$here/tools/size-groups.mjs" "$out/$build.csv"
echo
echo '```'
"$twiggy" top -n "$rows" "$out/$build.wasm"
echo
"$twiggy" dominators -d 3 -r "$rows" "$out/$build.wasm"
echo '```'
