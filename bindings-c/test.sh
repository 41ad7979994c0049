#!/usr/bin/env bash
# Every check of the C ABI and the Go package, as `make c-test` runs it:
#   1. the generated sources equal what the core's description gives (tools/codegen --check); the
#      committed header equals a fresh cbindgen generation; its result enum equals the library's
#      code table (and the Rust unit tests check that table against core's)
#   2. C tests under ASan + UBSan: the ABI (NULL arguments, replay guards over memory, Redis and a
#      C callback), all shared vectors, every endpoint end to end against sendivent-mock (16
#      threads on one client, a client used across fork(), the replay guard on a real Redis),
#      500 sends exactly once against a mock injecting 10% errors and 10% lost answers, and a
#      key-leak scan of every error, description and log line
#   3. the same C tests (but the 500 sends) under valgrind (leaks and memory errors are failures)
#   4. gofmt, go vet, go test -race (vectors through the Go types, replay guards, the webhook
#      middleware end to end, the official SDKs' examples, exactly once under faults, a key-leak
#      scan), statically linking libsendivent.a; the Go examples
# Each vector runner writes $SENDIVENT_VECTOR_COUNTS_DIR/{c,go}.json (default target/vector-counts)
# and this script fails unless they ran every case of every file.
#   5. make install into a temporary PREFIX; build the examples via pkg-config and via CMake
#      and run them against the mock; a Go module outside the repository builds, vets and runs the
#      Go demo against the installed library (-tags sendivent_system), and without the tag fails
#      saying what to do
# Needs redis-server (make installs it). Environment: SKIP_VALGRIND=1 / SKIP_GO=1 / SKIP_INSTALL=1
# to shorten a local run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
CARGO="${CARGO:-cargo}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
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
"$here/build.sh" lib debug >/dev/null
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

step "start sendivent-mock (and one injecting faults) and redis-server"
(cd "$root" && "$CARGO" build -q -p sendivent-mock)
export SENDIVENT_MOCK_BIN="$root/target/debug/sendivent-mock"
# start_mock VAR FLAGS...: starts a mock with FLAGS and sets VAR to its URL.
start_mock() {
  local var="$1" log="$work/mock-${#pids[@]}.log" url=""
  shift
  "$SENDIVENT_MOCK_BIN" --port 0 "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    url="$(head -n1 "$log" 2>/dev/null | sed -n 's/^listening on //p')"
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "sendivent-mock did not start:" >&2; cat "$log" >&2; exit 1; }
  printf -v "$var" '%s' "$url"
}
start_mock SENDIVENT_BASE_URL --no-limits
start_mock SENDIVENT_FAULTS_BASE_URL --no-limits --error-rate 0.1 --drop-rate 0.1
export SENDIVENT_BASE_URL SENDIVENT_FAULTS_BASE_URL
export SENDIVENT_API_KEY="test_c_suite_0123456789abcdef"
command -v redis-server >/dev/null || { echo "redis-server is needed (make installs it)" >&2; exit 1; }
redis_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "Ready to accept" "$work/redis.log" && break; sleep 0.1; done
grep -q "Ready to accept" "$work/redis.log" || { echo "redis-server did not start:" >&2; cat "$work/redis.log" >&2; exit 1; }
export SENDIVENT_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
echo "mock at $SENDIVENT_BASE_URL, faulty mock at $SENDIVENT_FAULTS_BASE_URL, redis at $SENDIVENT_TEST_REDIS_URL"

# The leak scan's stderr holds the library's request log (SENDIVENT_LOG=debug): no key, secret or
# Authorization value may be in it.
scan_log() {
  if grep -E 'leakscanKEYBODY|bGVha3NjYW4tc2Vj|Bearer ' "$1"; then echo "a secret reached the log ($1)" >&2; exit 1; fi
  grep -q "sendivent GET /v1/events" "$1" || { echo "the leak scan logged no request:" >&2; cat "$1" >&2; exit 1; }
}

step "C tests under ASan + UBSan"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"$asan/test_abi"
"$asan/test_vectors" "$root/tests/vectors"
check_counts c
SENDIVENT_TEST_ITERATIONS=8 "$asan/test_e2e"
"$asan/test_faults"
SENDIVENT_LOG=debug "$asan/test_leaks" 2>"$work/leaks.log" || { cat "$work/leaks.log" >&2; exit 1; }
scan_log "$work/leaks.log"
unset ASAN_OPTIONS UBSAN_OPTIONS

if [ "${SKIP_VALGRIND:-0}" != 1 ]; then
  step "C tests under valgrind"
  # The fork test's child abandons the parent's runtime on purpose: it reports through a pipe.
  # shellcheck disable=SC2054 # the commas belong to valgrind's option values, not to the array
  vg=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
      --error-exitcode=1 --child-silent-after-fork=yes)
  "${vg[@]}" "$plain/test_abi"
  SENDIVENT_VECTOR_COUNTS_DIR="$work/valgrind-counts" "${vg[@]}" "$plain/test_vectors" "$root/tests/vectors"
  SENDIVENT_TEST_ITERATIONS=1 "${vg[@]}" "$plain/test_e2e"
  SENDIVENT_LOG=debug "${vg[@]}" "$plain/test_leaks" 2>"$work/leaks-valgrind.log" || { cat "$work/leaks-valgrind.log" >&2; exit 1; }
  scan_log "$work/leaks-valgrind.log"
fi

if [ "${SKIP_GO:-0}" != 1 ]; then
  step "Go package: go vet, go test -race (links target/release/libsendivent.a statically)"
  "$here/build.sh" lib release >/dev/null
  export CGO_ENABLED=1
  # Go's build cache does not hash libraries named in #cgo LDFLAGS; an (ignored) -L path naming
  # the library's hash makes a rebuilt libsendivent.a relink the test binaries.
  lib_key="$(sha256sum "$root/target/release/libsendivent.a" | cut -c1-16)"
  export CGO_LDFLAGS="${CGO_LDFLAGS:-} -L$root/target/go-cgo-key/$lib_key"
  (cd "$here/go" && test -z "$(gofmt -l .)" && go vet ./... && go test -race -count=1 ./... && go run ./examples/send &&
    go run ./examples/demo)
  check_counts go
fi

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  step "install into a temporary PREFIX; build the examples via pkg-config and CMake"
  prefix="$work/prefix"
  "$here/build.sh" install "$prefix"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  ex="$root/examples/c"
  # pkg-config, shared library (its flags are words: split them into an array, not by the shell)
  flags="$(pkg-config --cflags --libs sendivent)"
  read -r -a shared_flags <<<"$flags"
  cc -std=c11 -Wall -Werror -o "$work/send-shared" "$ex/send.c" "${shared_flags[@]}"
  LD_LIBRARY_PATH="$prefix/lib" "$work/send-shared" | head -n1
  # pkg-config, static library
  flags="$(pkg-config --cflags --libs sendivent-static)"
  read -r -a static_flags <<<"$flags"
  cc -std=c11 -Wall -Werror -o "$work/verify-static" "$ex/verify_webhook.c" "${static_flags[@]}"
  "$work/verify-static"
  ldd "$work/verify-static" >"$work/ldd.txt" || true
  if grep -q libsendivent "$work/ldd.txt"; then echo "the static example links libsendivent.so" >&2; exit 1; fi
  # CMake find_package(sendivent)
  cmake -S "$ex" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$work/cmake-build" >/dev/null
  LD_LIBRARY_PATH="$prefix/lib" "$work/cmake-build/send" order.confirmed grace@example.com | head -n1
  "$work/cmake-build/verify_webhook" | tail -n1

  if [ "${SKIP_GO:-0}" != 1 ]; then
    step "a Go module outside the repository uses the package against the installed library"
    # The module resolves the package as `go get` would, from a copy of the module's files (what
    # a module download holds: bindings-c/go only, no library and no header next to it).
    modcopy="$work/module/sendivent-go"
    mkdir -p "$modcopy" && cp -R "$here/go/." "$modcopy/"
    scratch="$work/scratch"
    mkdir -p "$scratch"
    cp "$here/go/examples/demo/main.go" "$scratch/main.go"
    cat >"$scratch/go.mod" <<MOD
module example.com/scratch

go 1.23

require github.com/sendivent/sendivent-sdk/bindings-c/go v0.1.0

replace github.com/sendivent/sendivent-sdk/bindings-c/go => $modcopy
MOD
    (
      cd "$scratch"
      unset CGO_LDFLAGS
      export GOFLAGS=-mod=mod GOPROXY=off GOWORK=off PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
      # Without the tag: a message that says what to do, not a linker error.
      if go build -o "$work/scratch-default" . >"$work/default-build.log" 2>&1; then
        echo "building without -tags sendivent_system outside the repository succeeded" >&2; exit 1
      fi
      grep -q "libsendivent not found: build with -tags sendivent_system" "$work/default-build.log" ||
        { echo "the build without the tag does not say what to do:" >&2; cat "$work/default-build.log" >&2; exit 1; }
      echo "without the tag: $(grep -o 'libsendivent not found: build with -tags sendivent_system' "$work/default-build.log" | head -n1) …"
      go vet -tags sendivent_system ./...
      go build -a -tags sendivent_system -o "$work/scratch-demo" .
      ldd "$work/scratch-demo" >"$work/scratch-ldd.txt" || true
      if grep -q libsendivent "$work/scratch-ldd.txt"; then echo "the Go program links libsendivent.so" >&2; exit 1; fi
      "$work/scratch-demo" | tail -n2
    )
  fi
fi

echo
echo "bindings-c: every check passed"
