#!/usr/bin/env bash
# Builds the npm package @sendivent/wasm into bindings-wasm/pkg.
#
# Three WebAssembly modules come from the one crate:
#   dist/webhook          — no features: webhook verification/signing (v1, HMAC) and validation (small)
#   dist/webhook-ed25519  — `ed25519`: the above plus v1a (ed25519) signatures
#   dist/full             — `client` (which includes `ed25519`): the above plus the Sendivent client
# The size budgets of each entry are checked by test.sh (tools/sizes.mjs).
# Each is run through wasm-bindgen (--target web, so one ES module serves every runtime) and
# wasm-opt, and the hand-written JS entry points and TypeScript declarations from js/ are copied
# beside them. Pinned tools are installed on first use: the wasm32 target, wasm-bindgen-cli
# (exactly the crate's wasm-bindgen version) and the npm devDependencies (package-lock.json).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

WASM_BINDGEN_VERSION="0.2.130"
CARGO="${CARGO:-cargo}"
TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
PROFILE="wasm-release"
pkg="$here/pkg"

log() { printf '==> %s\n' "$*" >&2; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes on first use)"
    # Without --locked: a locked dependency of the CLI is not served by the registry here.
    "$CARGO" install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [[ ! -x "$here/node_modules/.bin/wasm-opt" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
    log "installing the pinned npm tools (npm ci)"
    (cd "$here" && npm ci --no-audit --no-fund)
fi
WASM_OPT="$here/node_modules/.bin/wasm-opt"

# Built for speed rather than size, where the time goes (measured: bench/verify.mjs, node
# --cpu-prof on a module with names):
# - sha2: SHA-256 is most of the cost of verifying a large body without a host HMAC. At opt-level
#   "z" its round function and message schedule stay out-of-line calls; at 3 they are inlined
#   into compress256.
# - this crate, in the webhook modules only: serde's generic code is compiled where it is
#   instantiated, here; at "z" writing the event's JSON (serde_json's string escaping) was a
#   quarter of a 1 KB verification. At 3 a 1 KB verification takes about 30% less, for 2 KB more
#   gzip; the full module would grow by 80 KB (the client's code is instantiated here too).
speed_flags=(--config "profile.$PROFILE.package.sha2.opt-level=3")
webhook_speed_flags=(--config "profile.$PROFILE.package.sendivent-wasm.opt-level=3")

wasm_features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
    --enable-reference-types --enable-multivalue)

# The cargo features of each module.
features_of() {
    case "$1" in
        webhook) echo "" ;;
        webhook-ed25519) echo "ed25519" ;;
        full) echo "client" ;;
        *) echo "unknown module $1 (webhook, webhook-ed25519, full)" >&2; exit 2 ;;
    esac
}

build_one() { # name, output directory
    local name="$1" out="$2"
    log "building $name ($PROFILE, wasm32-unknown-unknown)"
    local flags=("${speed_flags[@]}")
    [[ "$name" == webhook* ]] && flags+=("${webhook_speed_flags[@]}")
    "$CARGO" build -q -p sendivent-wasm --lib --target wasm32-unknown-unknown --profile "$PROFILE" \
        "${flags[@]}" --features "$(features_of "$name")"
    rm -rf "$out"
    mkdir -p "$out"
    local keep=()
    [[ -n "${SENDIVENT_WASM_KEEP_NAMES:-}" ]] && keep=(--keep-debug)
    wasm-bindgen --target web "${keep[@]}" --out-dir "$out" --out-name sendivent_wasm \
        "$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/sendivent_wasm.wasm"
    # wasm-bindgen's own .d.ts files describe the raw module; the package's public types are
    # index.d.ts and webhook.d.ts.
    rm -f "$out"/*.d.ts "$out/package.json"
    if [[ -n "${SENDIVENT_WASM_KEEP_NAMES:-}" ]]; then
        # For tools/size-profile.sh: the same optimisation, function names kept.
        "$WASM_OPT" -Oz -g "${wasm_features[@]}" "$out/sendivent_wasm_bg.wasm" -o "$SENDIVENT_WASM_KEEP_NAMES/$name.wasm"
    fi
    log "wasm-opt -Oz $name"
    "$WASM_OPT" -Oz "${wasm_features[@]}" --strip-debug --strip-producers \
        "$out/sendivent_wasm_bg.wasm" -o "$out/sendivent_wasm_bg.wasm"
}

if [[ -n "${SENDIVENT_WASM_ONLY:-}" ]]; then
    # One module, outside pkg/ (tools/size-profile.sh).
    scratch="$(mktemp -d)"
    build_one "$SENDIVENT_WASM_ONLY" "$scratch/out"
    rm -rf "$scratch"
    exit 0
fi

modules=(webhook webhook-ed25519 full)
if [[ -n "${SENDIVENT_WASM_JS_ONLY:-}" && -d "$pkg/dist" ]]; then
    # While working on js/: keep the built modules, copy the JavaScript again.
    find "$pkg" -mindepth 1 -maxdepth 1 ! -name dist -exec rm -rf {} +
else
    rm -rf "$pkg"
    mkdir -p "$pkg/dist"
    for name in "${modules[@]}"; do
        build_one "$name" "$pkg/dist/$name"
    done
fi

log "copying the JS entry points, types and package.json"
# The examples and tests import the package by name, as users do.
mkdir -p "$here/node_modules/@sendivent"
ln -sfn ../../pkg "$here/node_modules/@sendivent/wasm"
cp -R "$here/js/." "$pkg/"
# The webhook-ed25519 entry points are the webhook ones over their own module.
mkdir -p "$pkg/webhook-ed25519"
for f in "$pkg"/webhook/*.mjs; do
    sed -e 's|dist/webhook/|dist/webhook-ed25519/|g' -e 's|@sendivent/wasm/webhook entry point|@sendivent/wasm/webhook-ed25519 entry point (with v1a, ed25519)|' \
        "$f" > "$pkg/webhook-ed25519/$(basename "$f")"
done
# CommonJS (require() from Node 18+): each Node entry point and adapter bundled by esbuild into
# one .cjs beside its .mjs (the adapters keep requiring @sendivent/wasm/webhook, so they share
# its instance); import.meta.url becomes the file's URL. TypeScript's node16 resolution needs
# CommonJS declarations (.d.cts) for them: the same declarations, importing each other as .cjs.
log "CommonJS builds (esbuild) and .d.cts declarations"
cjs() { # source .mjs, output .cjs
    "$here/node_modules/.bin/esbuild" "$1" --bundle --format=cjs --platform=node --target=node18 --log-level=warning \
        --external:@sendivent/wasm/webhook --external:hono --external:express \
        --define:import.meta.url=__sendivent_module_url \
        --banner:js="const __sendivent_module_url = require('node:url').pathToFileURL(__filename).href;" \
        --outfile="$2"
}
for entry in node webhook/node webhook-ed25519/node express fetch hono testing; do
    cjs "$pkg/$entry.mjs" "$pkg/$entry.cjs"
done
for f in "$pkg"/*.d.ts; do
    sed -E "s#from '(\./[a-z.]+)\.js'#from '\1.cjs'#" "$f" > "${f%.d.ts}.d.cts"
done
cp "$here/README.md" "$pkg/README.md"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)"
sed "s/\"version\": \"0.0.0-dev\"/\"version\": \"$version\"/" "$here/js/package.json" > "$pkg/package.json"

for name in "${modules[@]}"; do
    f="$pkg/dist/$name/sendivent_wasm_bg.wasm"
    printf '%-16s %8d bytes raw, %7d bytes gzip -9\n' "$name" "$(wc -c < "$f")" "$(gzip -9 -c "$f" | wc -c)" >&2
done
log "built $pkg"
