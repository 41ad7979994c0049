#!/usr/bin/env bash
# Tests @sendivent/wasm (built into bindings-wasm/pkg by build.sh; `make wasm-test` builds first):
#   - Rust unit tests of the binding crate (host)
#   - Node 20 `node --test`: every case of every shared vector file (tests/vectors) through the
#     package's public layer, counted into $SENDIVENT_VECTOR_COUNTS_DIR/js.json; webhook behaviour
#     and interop with the standardwebhooks and svix packages; receiving (replay guard and stores,
#     rotation insight, WebCrypto, diagnostics); the client against sendivent-mock, the official
#     SDKs' examples (--fixtures official-examples.json), 500 sends under injected faults, a
#     key-leak scan and a redirect to another origin; the Node receiver example; the Express and
#     Next.js (next build / next start) adapters receiving real webhooks from sendivent-mock;
#     packaging (npm pack → install into scratch projects: Node ESM, CommonJS require() without
#     require(esm), TypeScript node16 (ESM and CJS) and bundler, Deno, workerd); every webhook vector
#     through every build and HMAC path (node:crypto, WebAssembly SHA-256, WebCrypto); adapters
#     releasing a failed handler's id; the @sendivent/wasm/testing helper
#   - the size budget of every entry point (size-budgets.json)
#   - workerd (Cloudflare's runtime, npm `workerd`): the Worker example receives a signed webhook,
#     verifies it and sends through sendivent-mock; the Hono adapter receives real webhooks
#   - TypeScript: the declarations compile under `tsc --strict` in a test project; no `any`
#   - headless Chromium smoke test of the browser build, when a Chromium is installed
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"
export DENO_NO_UPDATE_CHECK=1

log() { printf '==> %s\n' "$*" >&2; }

if [[ ! -f pkg/package.json ]]; then
    echo "bindings-wasm/pkg is missing: run bindings-wasm/build.sh (or make wasm) first" >&2
    exit 1
fi
if [[ ! -x node_modules/.bin/tsc || package-lock.json -nt node_modules/.package-lock.json ]]; then
    log "installing the pinned npm tools (npm ci)"
    npm ci --no-audit --no-fund
fi
# Examples and the type test import the package by its name, as users do.
mkdir -p node_modules/@sendivent
ln -sfn ../../pkg node_modules/@sendivent/wasm

export SENDIVENT_MOCK_BIN="${SENDIVENT_MOCK_BIN:-$root/target/debug/sendivent-mock}"
if [[ ! -x "$SENDIVENT_MOCK_BIN" ]]; then
    log "building sendivent-mock"
    (cd "$root" && cargo build -q -p sendivent-mock)
fi

log "cargo test -p sendivent-wasm"
(cd "$root" && cargo test -q -p sendivent-wasm --features client)

log "node --test (Node $(node --version)) and workerd $(node_modules/.bin/workerd --version 2>/dev/null | awk '{print $2}')"
counts_dir="${SENDIVENT_VECTOR_COUNTS_DIR:-$root/target/vector-counts}"
rm -f "$counts_dir/js.json"
node --test --test-concurrency=1 tests/*.test.mjs tests/edge/*.test.mjs
log "shared vectors run through the JS layer ($counts_dir/js.json): $(tr -d ' \n' < "$counts_dir/js.json")"

log "size budgets of the entry points (size-budgets.json; the profile: tools/size-profile.sh)"
node tools/sizes.mjs --check

log "tsc --strict on a consumer project (usage, and every decoded-response vector typed)"
node tests/types/gen-vectors.mjs
node_modules/.bin/tsc -p tests/types/tsconfig.json
# Declarations only (comment lines are prose): `: any`, `<any>`, `| any`, `any[]`, …
if grep -nE '(:|<|\||,|\(|=)\s*any\b|\bany\[\]' pkg/*.d.ts | grep -vE '^[^:]+:[0-9]+:\s*(\*|//|/\*)'; then
    echo "public types must not use any" >&2
    exit 1
fi

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -n "$chromium" ]]; then
    log "headless Chromium smoke test ($chromium)"
    CHROMIUM="$chromium" node tests/browser/smoke.mjs
else
    log "no Chromium installed: browser smoke test not run (apt-get install chromium to enable it)"
fi
log "bindings-wasm: all tests passed"
