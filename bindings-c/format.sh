#!/usr/bin/env bash
# The C formatting of libsendivent's tests and examples, by clang-format from PyPI's
# `clang-format` wheel (pinned below) in .tools/clang-format:
#   bindings-c/format.sh          check (fails on any difference, printing it)
#   bindings-c/format.sh --fix    rewrite the files
# The style is bindings-c/tests/.clang-format (examples/c and bench/soak link to it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
CLANG_FORMAT_VERSION="21.1.8"
venv="$root/.tools/clang-format"
bin="$venv/bin/clang-format"
if ! [ -x "$bin" ] || [ "$("$bin" --version | sed -n 's/.*clang-format version \([0-9.]*\).*/\1/p')" != "$CLANG_FORMAT_VERSION" ]; then
  echo "installing clang-format $CLANG_FORMAT_VERSION (PyPI) into $venv" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q "clang-format==$CLANG_FORMAT_VERSION" >&2
fi
cd "$root"
files=(bindings-c/tests/*.c bindings-c/tests/*.h examples/c/*.c bench/soak/*.c)
if [ "${1:-}" = --fix ]; then
  "$bin" -i "${files[@]}"
else
  "$bin" --dry-run --Werror "${files[@]}"
  echo "clang-format $CLANG_FORMAT_VERSION: ${#files[@]} C files formatted"
fi
