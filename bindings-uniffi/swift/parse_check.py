"""Parse-checks Swift sources with tree-sitter-swift (no Swift compiler runs on our machines):
every file given must parse without an error node. Run by bindings-uniffi/test.sh.

    python parse_check.py FILE.swift...     exit 1 and list the errors when one does not parse
    python parse_check.py --self-test       fails unless a known syntax error is caught
"""

import re
import sys

import tree_sitter_swift
from tree_sitter import Language, Parser

PARSER = Parser(Language(tree_sitter_swift.language()))

# An attribute inside `#if` (SE-0367, Swift 5.8), which uniffi writes before its FFI converters
# and tree-sitter-swift 0.7.4 does not know: blanked out (line numbers kept) before parsing.
CONDITIONAL_ATTRIBUTE = re.compile(
    rb"^[ \t]*#if swift\(>=5\.8\)\n[ \t]*@_documentation\(visibility: private\)\n[ \t]*#endif$", re.M
)


def blank_conditional_attributes(source: bytes) -> bytes:
    return CONDITIONAL_ATTRIBUTE.sub(lambda m: b"\n" * m.group(0).count(b"\n"), source)


def errors(source: bytes) -> list[str]:
    """The positions of the ERROR and MISSING nodes of a parse, as `line:column: text`."""
    found = []
    stack = [PARSER.parse(source).root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            line, column = node.start_point
            snippet = source[node.start_byte : node.end_byte][:60].decode("utf-8", "replace")
            found.append(f"{line + 1}:{column + 1}: {'missing' if node.is_missing else 'error'} {snippet!r}")
        elif node.has_error:
            stack.extend(node.children)
    return sorted(found)


def main(argv: list[str]) -> int:
    if argv == ["--self-test"]:
        broken = b"public func f(x: Int) -> Int {\n    return x +\n}\nstruct S { var a: Int = }\n"
        if not errors(broken):
            print("parse_check: tree-sitter-swift accepted a syntax error; the check is broken", file=sys.stderr)
            return 1
        return 0
    bad = 0
    for path in argv:
        with open(path, "rb") as f:
            found = errors(blank_conditional_attributes(f.read()))
        if found:
            bad += 1
            print(f"{path}: does not parse as Swift:", file=sys.stderr)
            for e in found[:20]:
                print(f"  {path}:{e}", file=sys.stderr)
        else:
            print(f"parses: {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
