#!/usr/bin/env bash
# Builds libsendivent and stages it under the names C users link.
#
#   bindings-c/build.sh lib [debug|release]   cargo build, then target/<profile>/libsendivent.a
#                                             and libsendivent.so (-> libsendivent.so.0.1)
#   bindings-c/build.sh header [OUT]          regenerate include/sendivent.h (or write to OUT)
#   bindings-c/build.sh check-header          fail when include/sendivent.h differs from a
#                                             fresh generation (cbindgen pinned to 0.29.4)
#   bindings-c/build.sh install PREFIX        release build, then install lib/, include/,
#                                             lib/pkgconfig/sendivent.pc, lib/cmake/sendivent/
#
# Why the copy: the Rust library is `sendivent_c` (core is already the crate `sendivent`), so
# cargo writes libsendivent_c.{a,so}. The shared library carries the soname
# libsendivent.so.0.<minor> (set in build.rs), so programs linked against the staged
# libsendivent.so load the installed libsendivent.so.0.<minor>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
CARGO="${CARGO:-cargo}"
CBINDGEN_VERSION="0.29.4"

version() { sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1; }

stage_lib() {
  local profile="${1:-debug}" flag=()
  [ "$profile" = release ] && flag=(--release)
  (cd "$root" && "$CARGO" build -q -p sendivent-c "${flag[@]}")
  local dir="$root/target/$profile" v minor
  v="$(version)"; minor="$(echo "$v" | cut -d. -f1-2)"
  local soname="libsendivent.so.$minor"
  [ "${v%%.*}" != 0 ] && soname="libsendivent.so.${v%%.*}"
  cp -f "$dir/libsendivent_c.a" "$dir/libsendivent.a.tmp" && mv -f "$dir/libsendivent.a.tmp" "$dir/libsendivent.a"
  cp -f "$dir/libsendivent_c.so" "$dir/$soname.tmp" && mv -f "$dir/$soname.tmp" "$dir/$soname"
  ln -sfn "$soname" "$dir/libsendivent.so"
  echo "$dir"
}

cbindgen_bin() {
  local bin
  for bin in "$root/.tools/bin/cbindgen" "$(command -v cbindgen || true)"; do
    if [ -n "$bin" ] && [ -x "$bin" ] && [ "$("$bin" --version)" = "cbindgen $CBINDGEN_VERSION" ]; then
      echo "$bin"; return
    fi
  done
  echo "installing cbindgen $CBINDGEN_VERSION into $root/.tools" >&2
  "$CARGO" install -q --locked cbindgen --version "=$CBINDGEN_VERSION" --root "$root/.tools" >&2 ||
    "$CARGO" install -q cbindgen --version "=$CBINDGEN_VERSION" --root "$root/.tools" >&2
  echo "$root/.tools/bin/cbindgen"
}

header() {
  local out="${1:-$root/include/sendivent.h}"
  "$(cbindgen_bin)" --quiet --config "$here/cbindgen.toml" --crate sendivent-c --output "$out" "$here"
}

check_header() {
  local tmp
  tmp="$(mktemp -d)"
  header "$tmp/sendivent.h"
  if ! diff -u "$root/include/sendivent.h" "$tmp/sendivent.h"; then
    rm -rf "$tmp"
    echo "include/sendivent.h is stale: run \`make header\` and commit it" >&2
    return 1
  fi
  rm -rf "$tmp"
  echo "include/sendivent.h is up to date"
}

install_all() {
  local prefix="${1:?usage: build.sh install PREFIX}"
  local dir v minor soname
  dir="$(stage_lib release)"
  v="$(version)"; minor="$(echo "$v" | cut -d. -f1-2)"
  soname="$(basename "$(readlink "$dir/libsendivent.so")")"
  mkdir -p "$prefix/lib/pkgconfig" "$prefix/lib/cmake/sendivent" "$prefix/include"
  install -m 0644 "$root/include/sendivent.h" "$prefix/include/sendivent.h"
  install -m 0644 "$dir/libsendivent.a" "$prefix/lib/libsendivent.a"
  install -m 0755 "$dir/$soname" "$prefix/lib/libsendivent.so.$v"
  ln -sfn "libsendivent.so.$v" "$prefix/lib/$soname"
  ln -sfn "$soname" "$prefix/lib/libsendivent.so"
  # Libraries a static link needs besides libsendivent.a (rustc's native-static-libs on glibc).
  local static_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$v|g" -e "s|@STATIC_LIBS@|$static_libs|g" \
    "$here/pkgconfig/sendivent.pc.in" >"$prefix/lib/pkgconfig/sendivent.pc"
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$v|g" -e "s|@STATIC_LIBS@|$static_libs|g" \
    "$here/pkgconfig/sendivent-static.pc.in" >"$prefix/lib/pkgconfig/sendivent-static.pc"
  sed -e "s|@VERSION@|$v|g" -e "s|@STATIC_LIBS@|$static_libs|g" -e "s|@SONAME@|$soname|g" \
    "$here/cmake/sendiventConfig.cmake.in" >"$prefix/lib/cmake/sendivent/sendiventConfig.cmake"
  sed -e "s|@VERSION@|$v|g" "$here/cmake/sendiventConfigVersion.cmake.in" \
    >"$prefix/lib/cmake/sendivent/sendiventConfigVersion.cmake"
  echo "installed libsendivent $v into $prefix"
}

case "${1:-lib}" in
  lib) stage_lib "${2:-debug}" ;;
  header) header "${2:-}" ;;
  check-header) check_header ;;
  install) install_all "${2:-}" ;;
  *) echo "usage: $0 lib [debug|release] | header [OUT] | check-header | install PREFIX" >&2; exit 2 ;;
esac
