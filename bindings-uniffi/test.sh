#!/usr/bin/env bash
# Every check of the Kotlin and Swift bindings, as `make kotlin-test` runs it:
#   1. Rust unit tests of sendivent-uniffi; the generated Rust (make generate) and the generated
#      Kotlin/Swift (generate.sh) are current; the jar's version is the core's
#   2. every Swift file parses (tree-sitter-swift in .tools/tree-sitter-venv: no Swift
#      compiler runs on our machines)
#   3. the Kotlin suite (JUnit 5 via Surefire) against sendivent-mock on a free port: every
#      shared vector (target/vector-counts/kotlin.json), the client end to end, webhooks,
#      cancellation
#   4. the jar, installed into a temporary Maven repository, consumed by a scratch project in a
#      temporary directory (a copy of kotlin/demo) whose `mvn test` sends through the mock and
#      verifies the webhook
# Environment: SKIP_CONSUMER=1 skips step 4.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
CARGO="${CARGO:-cargo}"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

step "rust unit tests of sendivent-uniffi"
(cd "$root" && "$CARGO" test -q -p sendivent-uniffi 2>&1 | grep -v '^$')

step "generated sources are current (make generate, generate.sh)"
(cd "$root" && "$CARGO" run -q -p sendivent-codegen -- --check)
"$here/generate.sh" --check
crate_version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n1)"
grep -q "<version>$crate_version</version>" "$here/kotlin/pom.xml" ||
  { echo "kotlin/pom.xml: version is not $crate_version" >&2; exit 1; }
grep -A1 '<artifactId>sendivent</artifactId>' "$here/kotlin/demo/pom.xml" | grep -q "<version>$crate_version</version>" ||
  { echo "kotlin/demo/pom.xml does not depend on sendivent $crate_version" >&2; exit 1; }

# The generator is a separate binary: none of it may be linked into the library users load.
lib="$("$here/build.sh" lib debug)"
nm "$lib" >"$work/nm.txt"  # (not piped into grep -q: pipefail + SIGPIPE)
if grep -q -i -E 'uniffi_bindgen|clap_builder' "$work/nm.txt"; then
  echo "$lib contains uniffi-bindgen code" >&2; exit 1
fi

step "Swift: every file parses (tree-sitter-swift)"
venv="$root/.tools/tree-sitter-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import tree_sitter, tree_sitter_swift' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'tree-sitter==0.25.2' 'tree-sitter-swift==0.7.4'
fi
"$venv/bin/python" "$here/swift/parse_check.py" --self-test
mapfile -t swift_files < <(find "$here/swift" -name '*.swift' | sort)
"$venv/bin/python" "$here/swift/parse_check.py" "${swift_files[@]}"

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
export SENDIVENT_API_KEY="test_kotlin_suite_0123456789abcdef"
echo "mock at $url (pid $mock_pid)"

step "Kotlin: shared vectors, client end to end, webhooks, cancellation (mvn test)"
export SENDIVENT_REPO_ROOT="$root"
export SENDIVENT_VECTOR_COUNTS_DIR="${SENDIVENT_VECTOR_COUNTS_DIR:-$root/target/vector-counts}"
rm -f "$SENDIVENT_VECTOR_COUNTS_DIR/kotlin.json"
"$here/build.sh" stage debug
"$here/build.sh" mvn -q test
python3 - "$SENDIVENT_VECTOR_COUNTS_DIR/kotlin.json" "$root/tests/vectors" <<'PY'
import glob, json, os, sys
counts = json.load(open(sys.argv[1]))
want = {os.path.basename(f): len(json.load(open(f))["cases"]) for f in glob.glob(os.path.join(sys.argv[2], "*.json"))}
if counts != want:
    sys.exit(f"kotlin ran {counts}, the files have {want}")
print(f"kotlin ran every case of every vector file: {sum(want.values())} cases in {len(want)} files")
PY

if [ "${SKIP_CONSUMER:-0}" != 1 ]; then
  step "the jar from a temporary Maven repository, in a scratch project outside the repository"
  repo="$("$here/build.sh" repo "$work/repo" debug)"
  # A copy of our own artifact left in ~/.m2 by an earlier run would shadow the fresh one.
  rm -rf "${HOME}/.m2/repository/com/sendivent"
  cp -r "$here/kotlin/demo" "$work/scratch"
  rm -rf "$work/scratch/target"
  (cd "$work/scratch" && "$here/build.sh" mvn -q -f "$work/scratch/pom.xml" test -Dsendivent.repo="file://$repo")
  rm -rf "${HOME}/.m2/repository/com/sendivent"
fi

echo
echo "bindings-uniffi: every check passed"
