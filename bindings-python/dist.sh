#!/usr/bin/env bash
# Portable Python packages: the `sendivent` abi3 wheel (manylinux2014, CPython >= 3.9) and sdist,
# and the `sendivent-mock` and `sendivent-cli` wheels (the binaries, manylinux2014), built with
# maturin and zig (pinned in requirements-dist.txt, installed into the project's tool venv).
#
#   bindings-python/dist.sh          # build into dist/python/ (`make dist`)
#   bindings-python/dist.sh test     # build, then check them (`make dist-test`):
#     - auditwheel: every wheel is consistent with manylinux_2_17 (manylinux2014);
#     - the wheels installed into fresh virtual environments of the oldest and the newest CPython
#       the package claims (3.9 and 3.13) run the smoke suite (tests/packaging/smoke.py: import,
#       validators, webhooks, sync and async sends against the installed sendivent-mock, the
#       installed `sendivent` command); the newest also runs the `sendivent_mock` pytest fixture;
#     - the sdist, installed into a third environment (3.12), is compiled from its sources and runs
#       the smoke suite too.
#
# Interpreters: SENDIVENT_PY_OLDEST, SENDIVENT_PY_NEWEST, SENDIVENT_PY_SDIST, else the newest
# pyenv install of 3.9, 3.13 and 3.12, else python3.9, python3.13 and python3.12 on PATH.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${SENDIVENT_VENV:-$ROOT/.tools/venv}"
DIST="${SENDIVENT_DIST_DIR:-$ROOT/dist/python}"
MODE="${1:-build}"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}" PIP_DISABLE_PIP_VERSION_CHECK=1
STARTED=$SECONDS

# 1. The pinned build tools (maturin, ziglang, auditwheel) in the tool venv.
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
STAMP="$VENV/.sendivent-dist-requirements"
if ! cmp -s "$HERE/requirements-dist.txt" "$STAMP" 2>/dev/null; then
    "$VENV/bin/python" -m pip install --quiet -r "$HERE/requirements-dist.txt"
    cp "$HERE/requirements-dist.txt" "$STAMP"
fi
# maturin finds zig as `python -m ziglang` of the venv it runs in.
export PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV"

# 2. The packages.
rm -rf "$DIST"
mkdir -p "$DIST"
wheel() { # <project dir>: a stripped release wheel for manylinux2014, built with zig
    (cd "$1" && maturin build --quiet --release --strip --zig --compatibility manylinux2014 --out "$DIST")
}
wheel "$HERE"
(cd "$HERE" && maturin sdist --out "$DIST")
wheel "$ROOT/tests/mock-server"
wheel "$ROOT/cli"
echo "dist: built in $((SECONDS - STARTED)) s"
for file in "$DIST"/*; do
    printf '  %-72s %8.1f KiB\n' "$(basename "$file")" "$(($(stat -c %s "$file") * 10 / 1024))e-1"
done
[ "$MODE" = "test" ] || exit 0

# 3. The wheels' platform: nothing newer than manylinux_2_17 (glibc 2.17) is needed.
for whl in "$DIST"/*.whl; do
    report="$(auditwheel show "$whl")"
    if ! grep -q 'consistent with the following platform tag' <<<"$report" ||
        ! tr -s ' \n' ' ' <<<"$report" | grep -q '"manylinux_2_17_x86_64"'; then
        echo "dist: $(basename "$whl") is not manylinux_2_17 (manylinux2014):" >&2
        echo "$report" >&2
        exit 1
    fi
    echo "auditwheel: $(basename "$whl") is manylinux_2_17_x86_64"
done

# 4. Fresh environments, each running the smoke suite.
interpreter() { # <override> <minor>: the interpreter to test with
    if [ -n "$1" ]; then
        echo "$1"
        return
    fi
    local found
    found="$(printf '%s\n' "${PYENV_ROOT:-$HOME/.pyenv}/versions/$2".* | sort -V | tail -1)"
    if [ -n "$found" ] && [ -x "$found/bin/python3" ]; then
        echo "$found/bin/python3"
    elif command -v "python$2" >/dev/null; then
        command -v "python$2"
    else
        echo "dist: no Python $2 found (set SENDIVENT_PY_*)" >&2
        exit 1
    fi
}
OLDEST="$(interpreter "${SENDIVENT_PY_OLDEST:-}" 3.9)"
NEWEST="$(interpreter "${SENDIVENT_PY_NEWEST:-}" 3.13)"
SDIST_PY="$(interpreter "${SENDIVENT_PY_SDIST:-}" 3.12)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A copy of the checks, away from the repository's conftest.py and sources.
cp "$HERE/tests/packaging/smoke.py" "$HERE/tests/packaging/fixture_check.py" "$WORK/"
SDK_WHEEL="$(ls "$DIST"/sendivent-*.whl)"
MOCK_WHEEL="$(ls "$DIST"/sendivent_mock-*.whl)"
CLI_WHEEL="$(ls "$DIST"/sendivent_cli-*.whl)"
PYTEST_PIN="$(grep -E '^pytest==' "$HERE/requirements-dev.txt")"

fresh() { # <interpreter> <name>: a new virtual environment, its python on stdout
    "$1" -m venv "$WORK/$2"
    echo "$WORK/$2/bin/python"
}
smoke() { # <python>: the smoke suite, from the temporary directory, nothing else on the path
    (cd "$WORK" && env -u SENDIVENT_MOCK_BIN -u SENDIVENT_BASE_URL -u SENDIVENT_API_KEY "$1" smoke.py)
}

for tested in "$OLDEST" "$NEWEST"; do
    py="$(fresh "$tested" "wheel-$(basename "$(dirname "$(dirname "$tested")")")")"
    echo "== wheels on $("$py" --version)"
    "$py" -m pip install --quiet --no-index "$SDK_WHEEL" "$MOCK_WHEEL" "$CLI_WHEEL"
    smoke "$py"
done
echo "== the sendivent_mock pytest fixture on $("$py" --version)"
"$py" -m pip install --quiet "$PYTEST_PIN"
(cd "$WORK" && env -u SENDIVENT_MOCK_BIN "$py" -m pytest -q -p no:cacheprovider fixture_check.py)

echo "== the sdist, built from source, on $("$SDIST_PY" --version)"
py="$(fresh "$SDIST_PY" sdist)"
# Unpacked and touched, so that cargo compiles the package and its core from the sdist's own
# sources (an archive's old timestamps would pass for fresh build outputs); the dependencies'
# builds are kept between runs in target/dist-sdist.
mkdir "$WORK/src"
tar -xzf "$(ls "$DIST"/sendivent-*.tar.gz)" -C "$WORK/src"
find "$WORK/src" -type f -exec touch {} +
CARGO_TARGET_DIR="$ROOT/target/dist-sdist" "$py" -m pip install --quiet --no-cache-dir "$WORK"/src/sendivent-* "$MOCK_WHEEL"
smoke "$py"
echo "dist-test: every check passed in $((SECONDS - STARTED)) s"
