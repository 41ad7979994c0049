#!/usr/bin/env bash
# Runs the Kotlin demo (make demo): builds the jar, installs it into target/kotlin-repo, and runs
# Demo.kt with Maven against SENDIVENT_BASE_URL (the mock that make demo starts).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="$root/bindings-uniffi/build.sh"
repo="$("$build" repo "$root/target/kotlin-repo" "${SENDIVENT_PROFILE:-debug}")"
# Resolve the fresh jar, not a copy an earlier run left in ~/.m2.
rm -rf "${HOME}/.m2/repository/com/sendivent"
"$build" mvn -q -f "$here/pom.xml" compile org.codehaus.mojo:exec-maven-plugin:3.5.1:java -Dsendivent.repo="file://$repo"
