#!/usr/bin/env python3
"""`make version-check`: the SDK's version is written in one place, `[workspace.package]
version` in the root Cargo.toml, and every package, header and generated file states that
version. Fails, listing each mismatch, when one does not.

How each place gets it:

- every crate inherits it (`version.workspace = true`): the core (`sendivent::VERSION`, which the
  description reports as `constants.version` and every User-Agent carries), the C library
  (`sendivent_version()`, which Go's `Version()` returns), the CLI and the mock (`--version`);
- the Python package: maturin reads it from Cargo (pyproject.toml says `dynamic = ["version"]`);
  `sendivent.__version__` is generated and the test suite compares it with the extension's;
- the npm package: `bindings-wasm/build.sh` stamps it into the published package.json over the
  placeholder of `bindings-wasm/js/package.json`;
- generated files (`make generate`): api/openapi.json, the Python and TypeScript constants, the C
  header's `SENDIVENT_VERSION_*` defines (`bindings-c/src/version_gen.rs`, then cbindgen), and the
  stamped literals of the Kotlin pom.xml files and the Kotlin guide;
- the Swift package has none (SwiftPM versions come from git tags).

Besides checking those places, this scans every tracked text file for the version string: a hit
outside a known place is a hand-written copy, which goes stale at the next release.

    tools/check-version.py            # check the repository
    tools/check-version.py ROOT       # check another tree (the tests use fake ones)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]

# What `bindings-wasm/js/package.json` holds until build.sh stamps the real version.
NPM_PLACEHOLDER = "0.0.0-dev"

# Lock files are machine-written and list dependencies' versions, which may coincide with ours;
# the workspace crates' entries in the Cargo lock files are checked on their own below.
NOT_SCANNED = re.compile(r"(^|/)(Cargo\.lock|package-lock\.json)$")


@dataclass(frozen=True)
class Place:
    """A file that states the version: each match of `pattern` carries it in the group `v`."""

    path: str
    pattern: str
    how: str


PLACES = [
    Place("Cargo.toml", r'\[workspace\.package\]\s*\nversion = "(?P<v>[^"]+)"', "the one place it is written"),
    Place("api/openapi.json", r'"info": \{[^}]*?"version": "(?P<v>[^"]+)"', "make generate"),
    Place("bindings-python/python/sendivent/__init__.py", r'^__version__ = "(?P<v>[^"]+)"$', "make generate"),
    Place("bindings-python/python/sendivent/_constants.py", r'^VERSION = "(?P<v>[^"]+)"$', "make generate"),
    Place("bindings-wasm/js/lib/description.gen.mjs", r"^export const VERSION = '(?P<v>[^']+)';$", "make generate"),
    Place(
        "bindings-uniffi/kotlin/pom.xml",
        r"<artifactId>sendivent</artifactId>\s*<version>(?P<v>[^<]+)</version>",
        "make generate (stamped)",
    ),
    Place(
        "bindings-uniffi/kotlin/demo/pom.xml",
        r"<artifactId>sendivent</artifactId>\s*<version>(?P<v>[^<]+)</version>",
        "make generate (stamped)",
    ),
    Place(
        "bindings-uniffi/README.md",
        r"<artifactId>sendivent</artifactId>\s*<version>(?P<v>[^<]+)</version>",
        "make generate (stamped)",
    ),
    Place(
        "bindings-uniffi/README.md", r"kotlin/target/sendivent-(?P<v>[0-9A-Za-z.+-]+?)\.jar", "make generate (stamped)"
    ),
]

# Hits of the version string that are not our version, with the reason.
COINCIDENCES = [
    Place(
        "tests/mock-server/tests/official_examples.rs",
        r'"Sendivent-PHP/(?P<v>[^"]+)"',
        "the official PHP SDK's User-Agent, which the mock must accept",
    ),
]

# `MAJOR.MINOR.PATCH` as separate numbers: the C header's defines and the constants cbindgen
# writes them from.
SPLIT_PLACES = [
    ("bindings-c/src/version_gen.rs", r"pub const SENDIVENT_VERSION_{part}: u32 = (?P<n>\d+);"),
    ("include/sendivent.h", r"#define SENDIVENT_VERSION_{part} (?P<n>\d+)"),
]


def workspace_version(root: Path) -> str:
    with open(root / "Cargo.toml", "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def tracked_files(root: Path) -> list[str]:
    """The files git tracks (every file, for a tree that is not a git checkout)."""
    if (root / ".git").exists():
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True, capture_output=True).stdout
        return [p for p in out.decode().split("\0") if p]
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def check_crates(root: Path, version: str) -> list[str]:
    """Every workspace crate inherits the version; the lock files agree."""
    problems = []
    with open(root / "Cargo.toml", "rb") as f:
        workspace = tomllib.load(f)["workspace"]
    names = set()
    for member in workspace["members"]:
        with open(root / member / "Cargo.toml", "rb") as f:
            package = tomllib.load(f)["package"]
        names.add(package["name"])
        if package.get("version") != {"workspace": True}:
            problems.append(
                f"{member}/Cargo.toml: version is {package.get('version')!r}, not `version.workspace = true`"
            )
    for lock in ("Cargo.lock", "fuzz/Cargo.lock"):
        if not (root / lock).exists():
            continue
        with open(root / lock, "rb") as f:
            packages = tomllib.load(f).get("package", [])
        for package in packages:
            if package["name"] in names and "source" not in package and package["version"] != version:
                problems.append(
                    f"{lock}: {package['name']} is {package['version']} (run cargo to update the lock file)"
                )
    return problems


def check_python(root: Path) -> list[str]:
    with open(root / "bindings-python/pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    if "version" in project or "version" not in project.get("dynamic", []):
        return ["bindings-python/pyproject.toml: the version must be `dynamic` (maturin takes Cargo's), not written"]
    return []


def check_npm(root: Path, version: str) -> list[str]:
    problems = []
    source = json.loads((root / "bindings-wasm/js/package.json").read_text(encoding="utf-8"))
    if source.get("version") != NPM_PLACEHOLDER:
        problems.append(
            f"bindings-wasm/js/package.json: version is {source.get('version')!r}; it holds the "
            f"placeholder {NPM_PLACEHOLDER!r}, which bindings-wasm/build.sh replaces"
        )
    build = (root / "bindings-wasm/build.sh").read_text(encoding="utf-8")
    # The line that stamps it: `sed "s/\"version\": \"<placeholder>\"/…/" js/package.json > pkg/…`.
    if not any(
        line.lstrip().startswith("sed") and NPM_PLACEHOLDER in line and "package.json" in line
        for line in build.splitlines()
    ):
        problems.append(f"bindings-wasm/build.sh no longer stamps the version over {NPM_PLACEHOLDER!r}")
    built = root / "bindings-wasm/pkg/package.json"
    if built.exists():
        stamped = json.loads(built.read_text(encoding="utf-8")).get("version")
        if stamped != version:
            problems.append(f"bindings-wasm/pkg/package.json (built): version is {stamped!r}, not {version!r}")
    else:
        print("  (bindings-wasm/pkg is not built: the stamped package.json is checked after `make wasm`)")
    return problems


def check_places(root: Path, version: str) -> tuple[list[str], dict[str, list[tuple[int, int]]]]:
    """Each place states `version`; returns the problems and the spans the version fills."""
    problems = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for place in PLACES + COINCIDENCES:
        text = (root / place.path).read_text(encoding="utf-8")
        matches = list(re.finditer(place.pattern, text, re.MULTILINE))
        if not matches:
            problems.append(
                f"{place.path}: the version is no longer where it was expected ({place.how}); "
                "update tools/check-version.py with its new place"
            )
        for m in matches:
            spans.setdefault(place.path, []).append(m.span("v"))
            if place not in COINCIDENCES and m["v"] != version:
                line = text.count("\n", 0, m.start("v")) + 1
                problems.append(f"{place.path}:{line}: version {m['v']}, not {version} ({place.how})")
    numbers = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    for path, pattern in SPLIT_PLACES:
        text = (root / path).read_text(encoding="utf-8")
        for part, wanted in zip(("MAJOR", "MINOR", "PATCH"), numbers.groups() if numbers else ()):
            m = re.search(pattern.format(part=part), text)
            if not m:
                problems.append(f"{path}: no SENDIVENT_VERSION_{part}")
            elif m["n"] != wanted:
                problems.append(
                    f"{path}: SENDIVENT_VERSION_{part} is {m['n']}, not {wanted} (make generate, then make header)"
                )
    return problems, spans


def scan(root: Path, version: str, spans: dict[str, list[tuple[int, int]]]) -> list[str]:
    """Hits of the version string outside the known places: hand-written copies."""
    problems = []
    literal = re.compile(r"(?<![0-9A-Za-z.])" + re.escape(version) + r"(?![0-9A-Za-z]|\.\d)")
    for path in tracked_files(root):
        if NOT_SCANNED.search(path) or path in ("Cargo.toml",):
            continue
        try:
            text = (root / path).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary, or deleted in the work tree
        for m in literal.finditer(text):
            if not any(start <= m.start() < end for start, end in spans.get(path, [])):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(
                    f"{path}:{line}: the version {version} is written by hand; take it from Cargo.toml "
                    "(generate or stamp it, see tools/check-version.py) or, if it is not the SDK's "
                    "version, add it to COINCIDENCES with the reason"
                )
    return problems


def check(root: Path) -> list[str]:
    version = workspace_version(root)
    print(f"version-check: the workspace version is {version}")
    problems = check_crates(root, version) + check_python(root) + check_npm(root, version)
    place_problems, spans = check_places(root, version)
    return problems + place_problems + scan(root, version, spans)


def main() -> int:
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    problems = check(root)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if problems:
        print(f"version-check: {len(problems)} mismatch(es)", file=sys.stderr)
        return 1
    print(
        f"version-check: every package, header and generated file states it "
        f"({len(PLACES) + len(SPLIT_PLACES)} places, scan of the tracked files clean)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
