#!/usr/bin/env python3
"""Keeps the code blocks of the READMEs identical to the example files the test suites run.

A fenced block right after a marker line

    <!-- example: bindings-python/examples/quickstart.py -->
    <!-- example: bindings-c/go/examples/send/main.go lines 12-30 -->

is the named file (or that line range of it), so an example appears in one place — the file the
suites run — and the READMEs only show it.

    tools/readme-examples.py            # rewrite the blocks from the files
    tools/readme-examples.py --check    # fail when a block differs (make check-generated)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READMES = [
    "README.md",
    "bindings-python/README.md",
    "bindings-c/README.md",
    "bindings-wasm/README.md",
    "bindings-uniffi/README.md",
    "tests/mock-server/README.md",
]
MARKER = re.compile(r"^<!-- example: (?P<path>\S+)(?: lines (?P<start>\d+)-(?P<end>\d+))? -->$")


def source(path: str, start: str | None, end: str | None) -> str:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    if start is not None and end is not None:
        lines = lines[int(start) - 1 : int(end)]
    # Drop the common indentation of a range taken from inside a function.
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines).rstrip() + "\n"


def process(readme: Path) -> tuple[str, list[str]]:
    text = readme.read_text(encoding="utf-8")
    lines = text.split("\n")
    out: list[str] = []
    stale: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        match = MARKER.match(line.strip())
        if match and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            fence = lines[i + 1]
            j = i + 2
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            current = "\n".join(lines[i + 2 : j]) + "\n"
            wanted = source(match["path"], match["start"], match["end"])
            if current != wanted:
                stale.append(f"{readme.relative_to(ROOT)}: the block after `{line.strip()}`")
            out.append(fence)
            out.extend(wanted.rstrip("\n").split("\n"))
            out.append(lines[j] if j < len(lines) else "```")
            i = j + 1
            continue
        i += 1
    return "\n".join(out), stale


def main(argv: list[str]) -> int:
    check = "--check" in argv
    all_stale: list[str] = []
    blocks = 0
    for name in READMES:
        readme = ROOT / name
        if not readme.exists():
            continue
        blocks += sum(1 for line in readme.read_text(encoding="utf-8").splitlines() if MARKER.match(line.strip()))
        new, stale = process(readme)
        all_stale += stale
        if stale and not check:
            readme.write_text(new, encoding="utf-8")
    if check and all_stale:
        print("README examples differ from the example files; run `make generate`:", file=sys.stderr)
        for s in all_stale:
            print(f"  {s}", file=sys.stderr)
        return 1
    print(f"readme-examples: {blocks} README blocks {'match' if check else 'written from'} their example files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
