#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time. Installs what it needs, pinned:
# cargo-fuzz 0.13.2 into ~/.cargo/bin and a nightly toolchain (libFuzzer needs -Z flags). Without
# nightly it falls back to the stable toolchain with RUSTC_BOOTSTRAP=1.
#
#   tools/fuzz.sh                          # every target, FUZZ_SECONDS (default 30) each
#   FUZZ_SECONDS=300 tools/fuzz.sh webhook_verify decode_responses
#   FUZZ_RUNS=20000 FUZZ_SEED=1 tools/fuzz.sh   # a fixed number of inputs from a fixed seed
#
# With FUZZ_RUNS the run is repeatable (same seed, same inputs, FUZZ_SECONDS only a safety cap):
# what `make test` runs, so that CI fails on a regression of a known crash (every seed and the
# corpus are replayed first), not on whatever a timed run happened to reach. `make fuzz` explores.
#
# A crash leaves its input in fuzz/artifacts/<target>/ and makes the script fail; replay it with
# `cargo +nightly fuzz run <target> <file>` and add it as a regression test in core.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
bounds=(-max_total_time="$FUZZ_SECONDS")
if [ -n "${FUZZ_RUNS:-}" ]; then
    bounds+=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
fi

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION"; then
    echo "fuzz.sh: installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

toolchain=(+nightly)
sanitizer=(--sanitizer address)
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    if ! rustup toolchain install nightly --profile minimal >/dev/null 2>&1; then
        echo "fuzz.sh: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
        toolchain=()
        export RUSTC_BOOTSTRAP=1
        sysroot=$(rustc --print sysroot)
        if ! ls "$sysroot"/lib/rustlib/*/lib/librustc-*_rt.asan.a >/dev/null 2>&1; then
            echo "fuzz.sh: no AddressSanitizer runtime in $sysroot; fuzzing without a sanitizer"
            sanitizer=(--sanitizer none)
        fi
    fi
fi

cd fuzz
mapfile -t all_targets < <(cargo "${toolchain[@]}" fuzz list)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

cargo "${toolchain[@]}" fuzz build "${sanitizer[@]}"

failed=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    seeds=()
    [ -d "seeds/$target" ] && seeds=("seeds/$target")
    echo "== fuzz $target: ${bounds[*]}"
    # Only the summary lines, the panic message and the crash location reach the log.
    if ! cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" "$target" "corpus/$target" "${seeds[@]}" -- \
        "${bounds[@]}" -rss_limit_mb="$FUZZ_RSS_MB" -timeout=10 -print_final_stats=1 2>&1 |
        awk '/panicked at/ { n = 4 } n > 0 { print; n--; next }
             /^(stat::number_of_executed_units|==[0-9]+==|SUMMARY|artifact_prefix|Failing input|Reproduce with)/ ||
             /cargo fuzz (run|fmt)/'; then
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]} (inputs in fuzz/artifacts/)"
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets ran (${bounds[*]} each) without a crash"
