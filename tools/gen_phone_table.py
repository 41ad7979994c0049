#!/usr/bin/env python3
"""Generates core/src/validate/phone_table.rs from libphonenumber's metadata.

The table is what `sendivent::validate::validate_phone` needs to decide whether an E.164 number is
*possible* the way libphonenumber's `isPossibleNumberWithReason` decides it, after parsing it the
way libphonenumber's `parse` does. For every ITU-T country calling code:

- the national-number lengths that count as possible, and the local-only lengths (which do not);
- the national-prefix rule libphonenumber applies when it parses a number written with its
  national (trunk) prefix or a carrier code after the country code (`+44 (0)20 …`, `+57 05 …`):
  the pattern `national_prefix_for_parsing`, its `national_prefix_transform_rule` (`+261` turns a
  7-digit number into `20` + the number, `+672` a 5-digit one into `3` + the number), and the
  national-number pattern that decides whether a number is *viable* before and after stripping.

The patterns are compiled here, by Python's own regular-expression parser (the engine
`phonenumbers` matches them with), into a small program for a backtracking matcher over digits
(`Program` in phone.rs): the core needs no regular-expression engine, and a self-check runs
every program against `re` on generated numbers before the table is written.

Like `isPossibleNumberWithReason`, lengths come from the metadata of the calling code's *main*
region (US for +1, GB for +44, RU for +7) and from the non-geographic entity "001" for +800,
+808, +870, +878, +881, +882, +883, +888 and +979.

Usage (from the repository root):

    python3 -m venv .tools/venv && .tools/venv/bin/pip install phonenumbers==9.0.43
    .tools/venv/bin/python tools/gen_phone_table.py            # rewrites the file
    .tools/venv/bin/python tools/gen_phone_table.py --check    # fails if the file is stale
"""

import pathlib
import random
import re
import sys

try:  # Python 3.11+
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants
    import sre_parse

import phonenumbers
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

PINNED = "9.0.43"
OUT = pathlib.Path(__file__).resolve().parent.parent / "core" / "src" / "validate" / "phone_table.rs"

# The matcher's instructions: the operation in the top 3 bits of a u32, its operand below.
DIGIT, SPLIT, JUMP, SAVE, END, MATCH = range(6)
OPERATION_SHIFT = 29
NAMES = ["DIGIT", "SPLIT", "JUMP", "SAVE", "END", "MATCH"]


class Compiler:
    """Compiles patterns into one instruction list; jumps are absolute indices into it."""

    def __init__(self):
        self.code = []

    def emit(self, operation, operand=0):
        self.code.append([operation, operand])
        return len(self.code) - 1

    def compile(self, pattern, full):
        """The program matching `pattern` at the start of the input (`re.match`), or the whole
        input when `full` (`re.fullmatch`): its start, length and number of capture groups."""
        start = len(self.code)
        tree = sre_parse.parse(pattern)
        self.nodes(tree)
        if full:
            self.emit(END)
        self.emit(MATCH)
        return start, len(self.code) - start, tree.state.groups - 1

    def nodes(self, tree):
        for operation, argument in tree:
            self.node(operation, argument)

    def node(self, operation, argument):
        if operation is sre_constants.LITERAL:
            self.emit(DIGIT, digit_mask([(sre_constants.LITERAL, argument)]))
        elif operation is sre_constants.IN:
            self.emit(DIGIT, digit_mask(argument))
        elif operation is sre_constants.SUBPATTERN:
            group, _, _, body = argument
            if group is not None:
                self.emit(SAVE, 2 * group)
            self.nodes(body)
            if group is not None:
                self.emit(SAVE, 2 * group + 1)
        elif operation is sre_constants.BRANCH:
            jumps = []
            alternatives = argument[1]
            for index, alternative in enumerate(alternatives):
                split = self.emit(SPLIT) if index < len(alternatives) - 1 else None
                self.nodes(alternative)
                if split is not None:
                    jumps.append(self.emit(JUMP))
                    self.code[split][1] = len(self.code)
            for jump in jumps:
                self.code[jump][1] = len(self.code)
        elif operation is sre_constants.MAX_REPEAT:
            low, high, body = argument
            for _ in range(low):
                self.nodes(body)
            if high is sre_constants.MAXREPEAT:
                loop = self.emit(SPLIT)
                self.nodes(body)
                self.emit(JUMP, loop)
                self.code[loop][1] = len(self.code)
            else:
                splits = []
                for _ in range(high - low):
                    splits.append(self.emit(SPLIT))
                    self.nodes(body)
                for split in splits:
                    self.code[split][1] = len(self.code)
        elif operation is sre_constants.AT and argument is sre_constants.AT_END:
            self.emit(END)
        else:
            raise SystemExit(f"unsupported pattern element {operation} {argument}")


def digit_mask(items):
    """The digits a character class (or a literal) accepts, as a 10-bit mask."""
    mask = 0
    for kind, value in items:
        if kind is sre_constants.LITERAL:
            chars = [value]
        elif kind is sre_constants.RANGE:
            chars = range(value[0], value[1] + 1)
        elif kind is sre_constants.CATEGORY and value is sre_constants.CATEGORY_DIGIT:
            chars = range(ord("0"), ord("9") + 1)
        else:
            raise SystemExit(f"unsupported class element {kind} {value}")
        for char in chars:
            if not ord("0") <= char <= ord("9"):
                raise SystemExit(f"a pattern matches the non-digit {chr(char)!r}")
            mask |= 1 << (char - ord("0"))
    return mask


def run(code, start, digits, groups):
    """The matcher of phone.rs, in Python: the first match in backtracking order (`re`'s own
    order), or None; a match is its end and its capture slots. A state that failed once fails
    again, so each (instruction, position) is tried at most once."""
    slots = [None] * (2 * groups + 2)
    failed = set()
    stack = [("try", start, 0)]
    while stack:
        frame = stack.pop()
        if frame[0] == "restore":
            slots[frame[1]] = frame[2]
            continue
        _, pc, pos = frame
        while True:
            if (pc, pos) in failed:
                break
            failed.add((pc, pos))
            operation, operand = code[pc]
            if operation == DIGIT:
                if pos < len(digits) and operand >> int(digits[pos]) & 1:
                    pc, pos = pc + 1, pos + 1
                    continue
                break
            if operation == SPLIT:
                stack.append(("try", operand, pos))
                pc += 1
            elif operation == JUMP:
                pc = operand
            elif operation == SAVE:
                stack.append(("restore", operand, slots[operand]))
                slots[operand] = pos
                pc += 1
            elif operation == END:
                if pos != len(digits):
                    break
                pc += 1
            else:
                return pos, slots
    return None


def self_check(code, rows):
    """Every program against `re` on numbers made to exercise it: the table is only written when
    the compiled programs decide exactly as the patterns do."""
    rng = random.Random(PINNED)
    for row in rows:
        meta = row["meta"]
        samples = []
        for length in range(1, 18):
            samples.extend("".join(rng.choice("0123456789") for _ in range(length)) for _ in range(40))
        for prefix in ("0", "00", "1", "8", "80", "9", "2", "3", "5", "15"):
            samples.extend(prefix + "".join(rng.choice("0123456789") for _ in range(n)) for n in range(3, 14))
        general = meta.general_desc.national_number_pattern
        parsing = meta.national_prefix_for_parsing
        for digits in samples:
            if row["viable"]:
                start, _, _ = row["viable"]
                ours = run(code, start, digits, 0) is not None
                if ours != (re.fullmatch(general, digits) is not None):
                    raise SystemExit(f"+{row['code']}: the viability program differs from re on {digits}")
            if row["prefix"]:
                start, _, groups = row["prefix"]
                found = run(code, start, digits, groups)
                reference = re.match(parsing, digits)
                if (found is None) != (reference is None):
                    raise SystemExit(f"+{row['code']}: the prefix program differs from re on {digits}")
                if found is not None:
                    end, slots = found
                    spans = [(slots[2 * g], slots[2 * g + 1]) for g in range(1, groups + 1)]
                    expected = [
                        reference.span(g) if reference.group(g) is not None else (None, None)
                        for g in range(1, groups + 1)
                    ]
                    expected = [(a, b) if a != -1 else (None, None) for a, b in expected]
                    if end != reference.end() or spans != expected:
                        raise SystemExit(f"+{row['code']}: the prefix program captures differently from re on {digits}")


def length_mask(code, lengths):
    mask = 0
    for n in lengths:
        if not 0 < n < 32:
            raise SystemExit(f"+{code}: length {n} does not fit the u32 mask")
        mask |= 1 << n
    return mask


def rows(compiler):
    out = []
    for code, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        main = regions[0]
        meta = PhoneMetadata.metadata_for_region_or_calling_code(code, main)
        if meta is None:
            raise SystemExit(f"no metadata for +{code} ({main})")
        lengths = [n for n in meta.general_desc.possible_length if n > 0]
        if not lengths:
            raise SystemExit(f"+{code} has no possible lengths")
        local = [n for n in (meta.general_desc.possible_length_local_only or []) if n > 0]
        parsing = meta.national_prefix_for_parsing or ""
        transform = meta.national_prefix_transform_rule or ""
        if transform and not re.fullmatch(r"\d*\\[1-9]", transform):
            raise SystemExit(f"+{code}: unexpected transform rule {transform!r}")
        prefix = viable = None
        if parsing:
            prefix = compiler.compile(parsing, full=False)
            viable = compiler.compile(meta.general_desc.national_number_pattern, full=True)
        out.append(
            {
                "code": code,
                "region": "" if main == "001" else main,
                "lengths": length_mask(code, lengths),
                "local": length_mask(code, local),
                "prefix": prefix,
                "viable": viable,
                "transform": transform,
                "meta": meta,
            }
        )
    return out


def render():
    compiler = Compiler()
    table = rows(compiler)
    code = compiler.code
    if len(code) >= 1 << OPERATION_SHIFT or any(operand >= 1 << OPERATION_SHIFT for _, operand in code):
        raise SystemExit("the programs do not fit the instruction encoding")
    self_check(code, table)
    transforms = sorted({row["transform"] for row in table})

    def program(spec):
        if spec is None:
            return "Program::NONE"
        start, length, groups = spec
        return f"Program {{ start: {start}, len: {length}, groups: {groups} }}"

    out = [
        "// @generated by tools/gen_phone_table.py -- do not edit by hand.",
        "//",
        f"// Source: libphonenumber metadata via the `phonenumbers` PyPI package, version {phonenumbers.__version__}.",
        "// Regenerate from the repository root:",
        "//   python3 -m venv .tools/venv && .tools/venv/bin/pip install phonenumbers==" + PINNED,
        "//   .tools/venv/bin/python tools/gen_phone_table.py",
        "",
        "use super::{Instruction, Program};",
        "",
        "/// One ITU-T country calling code.",
        "#[derive(Debug, Clone, Copy)]",
        "pub(super) struct CallingCode {",
        "    /// The calling code, e.g. 46.",
        "    pub code: u16,",
        "    /// The main region (ISO 3166 alpha-2), `--` for non-geographic codes such as +800.",
        "    pub region: [u8; 2],",
        "    /// Bit `n` is set when a national number of `n` digits is possible (local-only lengths excluded).",
        "    pub lengths: u32,",
        "    /// Bit `n` is set when `n` digits is a local-only length (dialled without the area code).",
        "    pub local_lengths: u32,",
        "    /// libphonenumber's `national_prefix_for_parsing`, matched at the start of the national number.",
        "    pub prefix: Program,",
        "    /// The national-number pattern (`general_desc`), matched against the whole national number.",
        "    pub viable: Program,",
        '    /// Index into [`TRANSFORMS`] of the `national_prefix_transform_rule`; 0 ("") when none.',
        "    pub transform: u8,",
        "}",
        "",
        "/// The transform rules that occur: digits, then `\\N` for the text of capture group N.",
        f"pub(super) static TRANSFORMS: [&str; {len(transforms)}] = [{', '.join(rust_str(t) for t in transforms)}];",
        "",
        "/// Every assigned calling code, sorted by code.",
        f"pub(super) static CALLING_CODES: [CallingCode; {len(table)}] = [",
    ]
    for row in table:
        region = row["region"] or "--"
        out.append(
            f'    CallingCode {{ code: {row["code"]}, region: *b"{region}", lengths: {row["lengths"]:#x}, '
            f"local_lengths: {row['local']:#x}, prefix: {program(row['prefix'])}, "
            f"viable: {program(row['viable'])}, transform: {transforms.index(row['transform'])} }},"
        )
    out.append("];")
    out.append("")
    out.append("/// The programs of every pattern above, one after another.")
    out.append(f"pub(super) static INSTRUCTIONS: [Instruction; {len(code)}] = [")
    line = "   "
    for operation, operand in code:
        item = f" Instruction({(operation << OPERATION_SHIFT) | operand:#x}),"
        if len(line) + len(item) > 118:
            out.append(line)
            line = "   "
        line += item
    out.append(line)
    out.append("];")
    return "\n".join(out) + "\n"


def rust_str(s):
    return '"' + s.replace("\\", "\\\\") + '"'


def main():
    if phonenumbers.__version__ != PINNED:
        raise SystemExit(f"phonenumbers {phonenumbers.__version__} installed, the table is pinned to {PINNED}")
    text = render()
    if "--check" in sys.argv[1:]:
        if OUT.read_text() != text:
            raise SystemExit(f"{OUT} is stale: rerun tools/gen_phone_table.py")
        print(f"{OUT} is up to date")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({text.count('    CallingCode { code:')} calling codes)")


if __name__ == "__main__":
    main()
