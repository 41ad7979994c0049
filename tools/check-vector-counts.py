#!/usr/bin/env python3
"""Fails unless every language ran every case of every shared vector file.

Each language's vector runner writes `<dir>/<language>.json` ({"decoding.json": 59, ...}) where
<dir> is $SENDIVENT_VECTOR_COUNTS_DIR (default target/vector-counts). This prints one table of
what ran and exits 1 when a language is missing, a file is missing from a language, or a count
differs from the number of cases in the file (tests/vectors/README.md "Counting").

    tools/check-vector-counts.py [LANGUAGE ...]   # default: every language of the SDK
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ["rust", "python", "c", "go", "js", "kotlin"]


def main(argv: list[str]) -> int:
    languages = argv or LANGUAGES
    counts_dir = Path(os.environ.get("SENDIVENT_VECTOR_COUNTS_DIR", ROOT / "target/vector-counts"))
    totals = {
        path.name: len(json.loads(path.read_text())["cases"])
        for path in sorted((ROOT / "tests/vectors").glob("*.json"))
    }
    problems = []
    ran: dict[str, dict[str, int]] = {}
    for language in languages:
        path = counts_dir / f"{language}.json"
        if not path.exists():
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            problems.append(f"{language}: no {shown} (its vector runner did not run)")
            continue
        ran[language] = json.loads(path.read_text())
        for name, total in totals.items():
            got = ran[language].get(name)
            if got != total:
                problems.append(f"{language}: {name} ran {got if got is not None else 'no'} of {total} cases")
    width = max(len(n) for n in totals)
    print(f"{'vector file':<{width}}  {'cases':>5}  " + "  ".join(f"{language:>6}" for language in languages))
    for name, total in totals.items():
        cells = "  ".join(f"{ran.get(language, {}).get(name, '-')!s:>6}" for language in languages)
        print(f"{name:<{width}}  {total:>5}  {cells}")
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if not problems:
        print(f"every language ran every case of {len(totals)} vector files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
