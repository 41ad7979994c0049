#!/usr/bin/env bash
# `make docs`: one static site in target/site/ (SITE overrides): the guides rendered from the
# READMEs and docs/*.md, and the API reference of every language, each from its own tool:
#
#   api/rust/        rustdoc of the core (sendivent) and the mock (sendivent_mock), -D warnings
#   api/python/      pdoc over the built `sendivent` package (bindings-python/dev-install.sh)
#   api/typescript/  TypeDoc over @sendivent/wasm's declarations (bindings-wasm/js/*.d.ts)
#   api/c/           Doxygen over include/sendivent.h
#   api/go/          `go doc -all` of the Go package, as a page (build-site.py)
#
# The Makefile installs the pinned tools and passes them in: DOCS_PYTHON (a venv with
# tools/docs/requirements.txt), TYPEDOC (tools/docs/package.json). `make docs-test` checks the
# links of the result.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
CARGO="${CARGO:-cargo}"
DOCS_PYTHON="${DOCS_PYTHON:?the python of the docs venv (make docs sets it)}"
TYPEDOC="${TYPEDOC:?the pinned typedoc (make docs sets it)}"
site="${SITE:-$root/target/site}"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"

started=$SECONDS
step_started=$SECONDS
step() {
  printf '== %s (previous step %ss)\n' "$*" "$((SECONDS - step_started))"
  step_started=$SECONDS
}

rm -rf "$site"
mkdir -p "$site/api"

step "rustdoc: sendivent, sendivent_mock"
# -D warnings: a broken intra-doc link is a broken link of the site (rustdoc would print it as
# plain text, which the link check cannot see).
RUSTDOCFLAGS="-D warnings" "$CARGO" doc -q --no-deps -p sendivent -p sendivent-mock --features sendivent/redis,sendivent/schema
cp -R target/doc "$site/api/rust"

step "pdoc: the sendivent Python package"
"$root/bindings-python/dev-install.sh"
# maturin's editable install keeps the package (and the compiled extension) in
# bindings-python/python, so pdoc imports it from there in its own venv.
# Google style (`Args:` sections) with reST roles (`:class:`), as the package's docstrings are
# written; tools/docs/pdoc: pdoc's template, with inherited members that docstrings link to listed.
PYTHONPATH="$root/bindings-python/python" "$DOCS_PYTHON" -m pdoc --docformat google \
  --template-directory tools/docs/pdoc --footer-text "Sendivent SDK $version" -o "$site/api/python" sendivent

step "TypeDoc: @sendivent/wasm"
"$TYPEDOC" --options tools/docs/typedoc.json --logLevel Warn --out "$site/api/typescript"

step "Doxygen $(doxygen --version): include/sendivent.h"
doxygen_out="$root/target/doxygen"
rm -rf "$doxygen_out"
SENDIVENT_DOXYGEN_OUT="$doxygen_out" SENDIVENT_VERSION="$version" doxygen tools/docs/Doxyfile
mv "$doxygen_out/html" "$site/api/c"

step "guides, the Go reference, the index"
"$DOCS_PYTHON" tools/docs/build-site.py "$site"

step "done"
echo "make docs: $site/index.html in $((SECONDS - started))s"
