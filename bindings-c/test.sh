#!/usr/bin/env bash
# Every check of the C ABI and the Go package, as `make c-test` runs it:
#   1. the generated sources equal what the core's description gives (tools/codegen --check); the
#      committed header equals a fresh cbindgen generation; its result enum equals the library's
#      code table (and the Rust unit tests check that table against core's)
#   2. C tests (ABI + NULL arguments, all shared vectors, every endpoint end to end against
#      sendivent-mock, 16 threads on one client) under ASan + UBSan
#   3. the same C tests under valgrind (leaks and memory errors are failures)
#   4. gofmt, go vet, go test -race (vectors through the Go types + end to end), statically
#      linking libsendivent.a
# Each vector runner writes $SENDIVENT_VECTOR_COUNTS_DIR/{c,go}.json (default target/vector-counts)
# and this script fails unless they ran every case of every file.
#   5. make install into a temporary PREFIX; build the examples via pkg-config and via CMake
#      and run them against the mock
# Environment: SKIP_VALGRIND=1 / SKIP_GO=1 / SKIP_INSTALL=1 to shorten a local run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
CARGO="${CARGO:-cargo}"
work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
# Where every runner writes how many cases of each vector file it ran (tools/check-vector-counts.py).
export SENDIVENT_VECTOR_COUNTS_DIR="${SENDIVENT_VECTOR_COUNTS_DIR:-$root/target/vector-counts}"
mkdir -p "$SENDIVENT_VECTOR_COUNTS_DIR"
# Fails unless <language>.json counts every case of every vector file.
check_counts() {
  python3 - "$root/tests/vectors" "$SENDIVENT_VECTOR_COUNTS_DIR/$1.json" <<'PY'
import glob, json, os, sys
vectors, counts_file = sys.argv[1], sys.argv[2]
want = {os.path.basename(f): len(json.load(open(f))["cases"]) for f in glob.glob(os.path.join(vectors, "*.json"))}
got = json.load(open(counts_file))
if got != want:
    sys.exit(f"{counts_file}: ran {got}, the files have {want}")
print(f"{os.path.basename(counts_file)}: " + ", ".join(f"{name} {n}" for name, n in sorted(got.items())))
print(f"{os.path.basename(counts_file)}: every case of {len(want)} files ran ({sum(want.values())} cases)")
PY
}

step "rust unit tests of sendivent-c (generated code table vs core, version defines)"
(cd "$root" && "$CARGO" test -q -p sendivent-c)

step "generated sources (bindings-c/src/*_gen.rs, bindings-c/go/*_gen*.go) vs the core's description"
(cd "$root" && "$CARGO" run -q -p sendivent-codegen -- --check)

step "header drift: include/sendivent.h vs a fresh cbindgen run"
"$here/build.sh" check-header

step "build libsendivent (debug) and the C tests"
libdir="$("$here/build.sh" lib debug)"
make -s -C "$here/tests" PROFILE=debug VARIANT=asan
make -s -C "$here/tests" PROFILE=debug VARIANT=plain
asan="$root/target/c-tests/asan"
plain="$root/target/c-tests/plain"
nm "$asan/test_abi" >"$work/nm.txt"  # (not piped into grep -q: pipefail + SIGPIPE)
grep -q __asan_init "$work/nm.txt" || { echo "the ASan build has no ASan runtime" >&2; exit 1; }
grep -q __ubsan_handle "$work/nm.txt" || { echo "the UBSan build has no UBSan runtime" >&2; exit 1; }

step "the header's sendivent_result enum equals the library's code table"
sed -n 's/^ *SENDIVENT_\(OK\|ERR_\([A-Z_0-9]*\)\) = \([0-9]*\),$/\3 \1/p' "$root/include/sendivent.h" |
  sed 's/ ERR_/ /' | sort -n >"$work/header-codes"
"$asan/test_abi" --list-codes | sort -n >"$work/lib-codes"
diff -u "$work/header-codes" "$work/lib-codes"
echo "$(wc -l <"$work/lib-codes") codes agree"

step "start sendivent-mock"
(cd "$root" && "$CARGO" build -q -p sendivent-mock)
"$root/target/debug/sendivent-mock" --port 0 --no-limits >"$work/mock.log" 2>&1 &
mock_pid=$!
url=""
for _ in $(seq 100); do
  url="$(head -n1 "$work/mock.log" 2>/dev/null | sed -n 's/^listening on //p')"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "sendivent-mock did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }
export SENDIVENT_BASE_URL="$url"
export SENDIVENT_API_KEY="test_c_suite_0123456789abcdef"
echo "mock at $url (pid $mock_pid)"

step "C tests under ASan + UBSan"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"$asan/test_abi"
"$asan/test_vectors" "$root/tests/vectors"
check_counts c
SENDIVENT_TEST_ITERATIONS=8 "$asan/test_e2e"
unset ASAN_OPTIONS UBSAN_OPTIONS

if [ "${SKIP_VALGRIND:-0}" != 1 ]; then
  step "C tests under valgrind"
  vg=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
      --error-exitcode=1)
  "${vg[@]}" "$plain/test_abi"
  SENDIVENT_VECTOR_COUNTS_DIR="$work/valgrind-counts" "${vg[@]}" "$plain/test_vectors" "$root/tests/vectors"
  SENDIVENT_TEST_ITERATIONS=1 "${vg[@]}" "$plain/test_e2e"
fi

if [ "${SKIP_GO:-0}" != 1 ]; then
  step "Go package: go vet, go test -race (links target/release/libsendivent.a statically)"
  "$here/build.sh" lib release >/dev/null
  export CGO_ENABLED=1
  # Go's build cache does not hash libraries named in #cgo LDFLAGS; an (ignored) -L path naming
  # the library's hash makes a rebuilt libsendivent.a relink the test binaries.
  export CGO_LDFLAGS="${CGO_LDFLAGS:-} -L$root/target/go-cgo-key/$(sha256sum "$root/target/release/libsendivent.a" | cut -c1-16)"
  (cd "$here/go" && test -z "$(gofmt -l .)" && go vet ./... && go test -race -count=1 ./... && go run ./examples/send)
  check_counts go
fi

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  step "install into a temporary PREFIX; build the examples via pkg-config and CMake"
  prefix="$work/prefix"
  "$here/build.sh" install "$prefix"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  ex="$root/examples/c"
  # pkg-config, shared library
  cc -std=c11 -Wall -Werror -o "$work/send-shared" "$ex/send.c" $(pkg-config --cflags --libs sendivent)
  LD_LIBRARY_PATH="$prefix/lib" "$work/send-shared" | head -n1
  # pkg-config, static library
  cc -std=c11 -Wall -Werror -o "$work/verify-static" "$ex/verify_webhook.c" $(pkg-config --cflags --libs sendivent-static)
  "$work/verify-static"
  ldd "$work/verify-static" >"$work/ldd.txt" || true
  if grep -q libsendivent "$work/ldd.txt"; then echo "the static example links libsendivent.so" >&2; exit 1; fi
  # CMake find_package(sendivent)
  cmake -S "$ex" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$work/cmake-build" >/dev/null
  LD_LIBRARY_PATH="$prefix/lib" "$work/cmake-build/send" order.confirmed grace@example.com | head -n1
  "$work/cmake-build/verify_webhook" | tail -n1
fi

echo
echo "bindings-c: every check passed"
