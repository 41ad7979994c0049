#!/usr/bin/env bash
# Builds SendiventFFI.xcframework (next to Package.swift) on macOS with Xcode: the Rust core as a
# static library for macOS (arm64 + x86_64), iOS devices (arm64) and the iOS simulator (arm64 +
# x86_64), each slice with Headers/ (SendiventFFI.h, module.modulemap). Then `swift build` or
# Xcode can use the package.
#   build-xcframework.sh            release build
#   PROFILE=debug build-xcframework.sh
# First it checks that the committed Swift matches the library (bindings-uniffi/generate.sh
# --check), so the package never pairs sources and a library of different versions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
CARGO="${CARGO:-cargo}"
profile="${PROFILE:-release}"
[ "$(uname -s)" = Darwin ] || { echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo)" >&2; exit 1; }
command -v xcodebuild >/dev/null || { echo "xcodebuild not found: install Xcode" >&2; exit 1; }

"$here/../generate.sh" --check

targets=(aarch64-apple-darwin x86_64-apple-darwin aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "${targets[@]}" >/dev/null
flag=()
[ "$profile" = release ] && flag=(--release)
for target in "${targets[@]}"; do
  echo "building $target ($profile)"
  # A staticlib only here: the crate's own crate-types stay cdylib + rlib for the Kotlin build.
  (cd "$root" && "$CARGO" rustc -q -p sendivent-uniffi --lib --crate-type staticlib --target "$target" "${flag[@]}")
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lib() { echo "$root/target/$1/$profile/libsendivent_uniffi.a"; }
mkdir -p "$work/macos" "$work/ios-sim"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$work/macos/libsendivent_uniffi.a"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$work/ios-sim/libsendivent_uniffi.a"

rm -rf "$here/SendiventFFI.xcframework"
xcodebuild -create-xcframework \
  -library "$work/macos/libsendivent_uniffi.a" -headers "$here/Headers" \
  -library "$(lib aarch64-apple-ios)" -headers "$here/Headers" \
  -library "$work/ios-sim/libsendivent_uniffi.a" -headers "$here/Headers" \
  -output "$here/SendiventFFI.xcframework"
echo "built $here/SendiventFFI.xcframework"
