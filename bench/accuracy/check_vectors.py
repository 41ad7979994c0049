#!/usr/bin/env python3
"""Cross-checks the shared phone and email vectors against the reference libraries.

Every case of tests/vectors/phones.json is run through phonenumbers (possible number, E.164
format) and every case of tests/vectors/emails.json through email_validator
(check_deliverability=False, normalised form). A case whose expectation differs from the
reference must say so in its name ("... (differs from <library>: <why>)"), and a case that says
so must really differ: the intentional differences stay documented and nothing else drifts.

    .tools/venv/bin/python bench/accuracy/check_vectors.py
"""

import json
import pathlib
import sys

import email_validator
import phonenumbers

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"


def reference_phone(x):
    try:
        num = phonenumbers.parse(x, None)
    except phonenumbers.NumberParseException as e:
        return None, f"parse error: {e}"
    reason = phonenumbers.is_possible_number_with_reason(num)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None, f"not possible (reason {reason})"
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164), None


def reference_email(x):
    try:
        return email_validator.validate_email(x, check_deliverability=False).normalized, None
    except email_validator.EmailNotValidError as e:
        return None, str(e)


def check(file, reference, library):
    doc = json.loads((VECTORS / file).read_text())
    problems, differing = [], []
    for case in doc["cases"]:
        name, x, expect = case["name"], case["input"], case["expect"]
        ref, why = reference(x)
        ours = expect.get("ok")
        same = ref == ours
        documented = f"differs from {library}" in name
        if not same:
            differing.append(
                f"  {name}: input {json.dumps(x, ensure_ascii=False)}: vector {expect}, "
                f"{library} {'accepts ' + ref if ref else 'rejects (' + why + ')'}"
            )
        if same == documented:
            problems.append(
                f"  {name}: "
                + (
                    "says it differs from the reference but agrees"
                    if documented
                    else "differs from the reference without saying why"
                )
                + f" (input {json.dumps(x, ensure_ascii=False)}, reference {ref or why})"
            )
    print(
        f"{file}: {len(doc['cases'])} cases, {len(doc['cases']) - len(differing)} agree with {library}, "
        f"{len(differing)} documented differences"
    )
    for line in differing:
        print(line)
    return problems


def main():
    problems = check("phones.json", reference_phone, "phonenumbers")
    problems += check("emails.json", reference_email, "email-validator")
    if problems:
        print("\nundocumented or stale differences:")
        print("\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
