#!/usr/bin/env bash
# Builds what the Kotlin package is made of. Output paths go to stdout, progress to stderr.
#   build.sh lib [debug|release]            libsendivent_uniffi for this machine
#   build.sh jar [debug|release]            the jar, with the library under JNA's resource path
#                                           (linux-x86-64/…, darwin-aarch64/…): kotlin/target/sendivent-<version>.jar
#   build.sh repo DIR [debug|release]       the jar installed into the Maven repository DIR
# Maven runs offline (-o) once it has downloaded what it needs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
CARGO="${CARGO:-cargo}"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

version() { sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n1; }

# JNA's resource prefix for this machine (com.sun.jna.Platform.RESOURCE_PREFIX).
jna_platform() {
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x86-64 ;; aarch64|arm64) arch=aarch64 ;; *) arch="$(uname -m)" ;; esac
  echo "$os-$arch"
}

lib_file() { [ "$(uname -s)" = Darwin ] && echo libsendivent_uniffi.dylib || echo libsendivent_uniffi.so; }

build_lib() {
  local profile="${1:-debug}" flag=()
  [ "$profile" = release ] && flag=(--release)
  (cd "$root" && "$CARGO" build -q -p sendivent-uniffi "${flag[@]}") >&2
  echo "$root/target/$profile/$(lib_file)"
}

# Maven, offline (-o) when everything it needs was downloaded before; online only to fetch what
# is missing (the first run, a new plugin or dependency).
mvn_run() {
  local log status=0
  log="$(mktemp)"
  # file: repositories (the consumption test's) stay usable offline; sed: Maven's console
  # library writes colour resets even in batch mode.
  mvn -B -o -Daether.offline.protocols=file -Dstyle.color=never "$@" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ] && grep -q "in offline mode" "$log"; then
    echo "(Maven: fetching what the local repository lacks)" >&2
    status=0
    mvn -B -Dstyle.color=never "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || status=$?
  else
    sed 's/\x1b\[[0-9;]*m//g' "$log"
  fi
  rm -f "$log"
  return "$status"
}

# The library where the pom packs it: kotlin/target/native/<platform>/ (debug info stripped:
# the symbols stay, the jar is 20 MB instead of 140).
stage_native() {
  local lib="$1" dir
  dir="$here/kotlin/target/native/$(jna_platform)"
  rm -rf "$here/kotlin/target/native" && mkdir -p "$dir"
  if command -v objcopy >/dev/null && [ "$(uname -s)" = Linux ]; then
    objcopy --strip-debug "$lib" "$dir/$(lib_file)"
  else
    cp "$lib" "$dir/$(lib_file)"
  fi
}

build_jar() {
  local profile="${1:-debug}" lib jar
  lib="$(build_lib "$profile")"
  stage_native "$lib"
  (cd "$here/kotlin" && mvn_run -q package -DskipTests) >&2
  jar="$here/kotlin/target/sendivent-$(version).jar"
  unzip -l "$jar" | grep -q "$(jna_platform)/$(lib_file)" || { echo "$jar lacks $(jna_platform)/$(lib_file)" >&2; exit 1; }
  echo "$jar"
}

case "${1:-}" in
  lib) build_lib "${2:-debug}" ;;
  stage) stage_native "$(build_lib "${2:-debug}")" ;;
  jar) build_jar "${2:-debug}" ;;
  repo)
    dir="${2:?usage: build.sh repo DIR [debug|release]}"
    jar="$(build_jar "${3:-debug}")"
    mkdir -p "$dir"
    (cd "$here/kotlin" && mvn_run -q org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file -Dfile="$jar" -DpomFile=pom.xml -DlocalRepositoryPath="$dir") >&2
    echo "$dir"
    ;;
  mvn) shift; cd "$here/kotlin" && mvn_run "$@" ;;
  *) echo "usage: build.sh lib|stage|jar [debug|release] | repo DIR [debug|release] | mvn ARGS…" >&2; exit 2 ;;
esac
