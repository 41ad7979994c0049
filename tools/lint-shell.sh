#!/usr/bin/env bash
# `make lint-shell`: shellcheck over every shell script in the repository: the tracked *.sh files
# and every tracked file whose first line is a sh/bash shebang (.ci/run, for one). The list comes
# from git, so a new script is checked without being named here.
#
#   SHELLCHECK=.tools/shellcheck-0.11.0.1/bin/shellcheck tools/lint-shell.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
SHELLCHECK="${SHELLCHECK:-shellcheck}"

scripts=()
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue  # deleted in the work tree, not yet committed
  case "$file" in
    *.sh) scripts+=("$file") ;;
    *)
      first_line="$(head -n1 "$file" | tr -d '\0')"
      if [[ "$first_line" =~ ^#!.*[/\ ](ba|da)?sh([[:space:]]|$) ]]; then
        scripts+=("$file")
      fi
      ;;
  esac
done < <(git ls-files -z)

[ "${#scripts[@]}" -gt 0 ] || { echo "lint-shell: git lists no shell script" >&2; exit 1; }
"$SHELLCHECK" --version | sed -n 's/^version: /shellcheck /p'
"$SHELLCHECK" "${scripts[@]}"
echo "lint-shell: ${#scripts[@]} scripts pass shellcheck"
