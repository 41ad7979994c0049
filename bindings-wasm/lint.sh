#!/usr/bin/env bash
# Lints and checks the formatting of @sendivent/wasm's JavaScript and TypeScript (js/, tests/,
# examples/, bench/, tools/; generated files included) with Biome, pinned in package.json and
# configured in biome.json. `bindings-wasm/lint.sh --write` applies the formatting and safe fixes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [[ ! -x node_modules/.bin/biome || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund >&2
fi
if [[ "${1:-}" == "--write" ]]; then
    exec node_modules/.bin/biome check --write .
fi
exec node_modules/.bin/biome check --error-on-warnings .
