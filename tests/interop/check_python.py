"""Interop of the Rust core's Standard Webhooks implementation with the reference Python library
(`standardwebhooks`, pinned in requirements.txt).

(a) Every case of tests/vectors/webhooks.json that the reference library can express (one
    symmetric secret, the default 5-minute tolerance) gets the same accept/reject answer from the
    reference library, with the clock pinned to the case's `now`, except for the documented
    deviations below (each one is asserted to still be a deviation, so the list cannot rot).
(b) Fresh messages signed by the reference library verify with ours, signatures made by ours
    verify with the reference library, and a rotation header built from reference signatures
    verifies with each of its secrets.

Ours is called through the `webhook_cli` example (JSON on stdin). Usage:
    python tests/interop/check_python.py [--cli target/debug/examples/webhook_cli] [--fresh 300]
"""

from __future__ import annotations

import argparse
import base64
import datetime as real_datetime
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import standardwebhooks
import standardwebhooks.webhooks as reference_module
from standardwebhooks import Webhook

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "webhooks.json"

# Cases where ours and the reference library answer differently, by design. Ours is the
# contract (docs/contract.md §2 "Webhook signatures"); the reference library is lenient about
# timestamps and strict about formatting details that HTTP itself does not fix.
DEVIATIONS = {
    # ours trims optional whitespace around header values (RFC 9110 OWS); the reference signs the
    # id with its spaces and fails on the empty entries of "v1,...  ".split(" ")
    "valid v1, surrounding whitespace in header values is ignored": "ours accepts, reference rejects",
    # ours accepts unpadded base64 in signature entries; the reference raises "Incorrect padding"
    "valid v1, signature entry without base64 padding": "ours accepts, reference rejects",
    # ours skips an entry without a comma; the reference raises ValueError on "junk".split(",")
    "garbage next to a valid v1 entry is ignored": "ours accepts, reference rejects",
    # ours trims the secret (a newline from an env file); the reference base64-decodes "  whsec_..."
    # with the prefix still in it and gets a different key
    "valid v1, secret with surrounding whitespace (env file newline)": "ours accepts, reference rejects",
    # the contract says the timestamp is integer unix seconds; the reference parses a float and
    # floors it, so these verify there
    "timestamp with a fraction": "ours rejects, reference accepts",
    "timestamp with a plus sign": "ours rejects, reference accepts",
    # repeated headers follow the contract's policy; the reference sees one value per name
    "repeated webhook-signature: the entries of every occurrence count": "ours accepts, reference rejects",
    "webhook-signature joined with a comma (fetch Headers) still parses": "ours accepts, reference rejects",
    "repeated webhook-id with another value is ambiguous": "ours rejects, reference accepts",
    # ours caps the signature header before any crypto runs; the reference tries every entry
    "more than 16 signature entries are refused before any crypto": "ours rejects, reference accepts",
    "a signature header over 8192 bytes is refused": "ours rejects, reference accepts",
}


def pin_reference_clock(now: int) -> None:
    """The reference library reads datetime.now(); pin it for one check."""

    class PinnedDatetime(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime.datetime.fromtimestamp(now, tz=tz or real_datetime.timezone.utc)

    reference_module.datetime = PinnedDatetime


def reference_accepts(secret: str, body: str, headers: list[list[str]], now: int) -> tuple[bool, str]:
    pin_reference_clock(now)
    first_wins: dict[str, str] = {}
    for name, value in headers:
        first_wins.setdefault(name.lower(), value)
    try:
        Webhook(secret).verify(body.encode(), first_wins, json_parse=False)
        return True, "accepted"
    except Exception as exc:  # the reference raises several exception types
        return False, f"{type(exc).__name__}: {exc}"


def run_ours(cli: str, requests: list[dict]) -> list[dict]:
    out = subprocess.run([cli], input=json.dumps(requests), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def symmetric(secret: str) -> bool:
    return not secret.strip().startswith(("whpk_", "whsk_"))


def check_vectors(failures: list[str]) -> int:
    cases = json.loads(VECTORS.read_text())["cases"]
    compared = 0
    deviations_seen = set()
    for case in cases:
        inp = case["input"]
        secret = inp.get("secret")
        code = case["expect"].get("error", {}).get("code", "")
        if (
            secret is None
            or not symmetric(secret)
            or code.startswith("WEBHOOK_SECRET")
            or code == "WEBHOOK_INVALID_SECRET"
            or inp.get("tolerance_seconds", 300) != 300
            or inp.get("skip_timestamp_check", False)
        ):
            continue
        compared += 1
        # The reference verifies the signature only; a body that is not an event is our later step.
        ours = "ok" in case["expect"] or code == "WEBHOOK_INVALID_PAYLOAD"
        theirs, detail = reference_accepts(secret, inp["body"], inp["headers"], case["now"])
        name = case["name"]
        if name in DEVIATIONS:
            deviations_seen.add(name)
            if ours == theirs:
                failures.append(f"{name}: listed as a deviation but both now {'accept' if ours else 'reject'}")
            continue
        if ours != theirs:
            failures.append(f"{name}: ours {'accepts' if ours else 'rejects'} ({code or 'ok'}), reference {detail}")
    for name in set(DEVIATIONS) - deviations_seen:
        failures.append(f"deviation {name!r} names no compared vector case")
    return compared


def random_body(rng: random.Random) -> str:
    alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}[]":,.-_\\/\n\tåäöé€👋✓'
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 1500)))


def check_fresh(cli: str, count: int, rng: random.Random, failures: list[str]) -> None:
    now = 1_700_000_000 + rng.randrange(0, 100_000_000)
    messages = []
    for i in range(count):
        key = bytes(rng.randrange(256) for _ in range(rng.randrange(16, 65)))
        encoded = base64.b64encode(key).decode()
        secret = rng.choice([f"whsec_{encoded}", encoded])
        msg_id = f"msg_{rng.getrandbits(64):x}_{i}"
        ts = now + rng.randrange(-300, 301)
        body = random_body(rng)
        ref_sig = Webhook(secret).sign(
            msg_id, real_datetime.datetime.fromtimestamp(ts, tz=real_datetime.timezone.utc), body
        )
        messages.append((secret, msg_id, ts, body, ref_sig))

    # Reference signs, ours verifies (with the reference's header casing and a rotation list).
    requests = []
    for secret, msg_id, ts, body, ref_sig in messages:
        requests.append(
            {
                "op": "verify",
                "secret": secret,
                "body": body,
                "now": now,
                "headers": [["webhook-id", msg_id], ["webhook-timestamp", str(ts)], ["webhook-signature", ref_sig]],
            }
        )
    for (secret, msg_id, ts, body, ref_sig), (other, *_rest) in zip(messages, messages[1:] + messages[:1]):
        stale = Webhook(other).sign(
            msg_id, real_datetime.datetime.fromtimestamp(ts, tz=real_datetime.timezone.utc), body
        )
        requests.append(
            {
                "op": "verify",
                "secrets": [other, secret],
                "body": body,
                "now": now,
                "headers": [
                    ["Webhook-Id", msg_id],
                    ["Webhook-Timestamp", str(ts)],
                    ["Webhook-Signature", f"{stale} {ref_sig}"],
                ],
            }
        )
    # Ours signs; compared with the reference's signature byte for byte.
    for secret, msg_id, ts, body, _ in messages:
        requests.append({"op": "sign", "secret": secret, "id": msg_id, "timestamp": ts, "body": body})
    results = run_ours(cli, requests)
    n = len(messages)
    for i, result in enumerate(results[: 2 * n]):
        if result != {"ok": True}:
            failures.append(f"fresh message {i % n} ({'rotation' if i >= n else 'single'}): ours says {result}")
    for (secret, msg_id, ts, body, ref_sig), result in zip(messages, results[2 * n :]):
        if result.get("ok") != ref_sig:
            failures.append(f"sign {msg_id}: ours {result}, reference {ref_sig}")
            continue
        # ...and the reference verifies ours.
        ok, detail = reference_accepts(
            secret,
            body,
            [["webhook-id", msg_id], ["webhook-timestamp", str(ts)], ["webhook-signature", result["ok"]]],
            now,
        )
        if not ok:
            failures.append(f"reference rejects our signature for {msg_id}: {detail}")

    # Tampering is caught by both.
    secret, msg_id, ts, body, ref_sig = messages[0]
    tampered = body + " "
    result = run_ours(
        cli,
        [
            {
                "op": "verify",
                "secret": secret,
                "body": tampered,
                "now": now,
                "headers": [["webhook-id", msg_id], ["webhook-timestamp", str(ts)], ["webhook-signature", ref_sig]],
            }
        ],
    )[0]
    if result.get("error", {}).get("code") != "WEBHOOK_NO_MATCHING_SIGNATURE":
        failures.append(f"tampered body: ours {result}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=os.environ.get("WEBHOOK_CLI", str(ROOT / "target/debug/examples/webhook_cli")))
    parser.add_argument("--fresh", type=int, default=300, help="fresh messages to sign in each direction")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("INTEROP_SEED", "20231114")))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures: list[str] = []
    compared = check_vectors(failures)
    check_fresh(args.cli, args.fresh, rng, failures)
    version = getattr(standardwebhooks, "__version__", None) or __import__("importlib.metadata").metadata.version(
        "standardwebhooks"
    )
    if failures:
        print(f"interop with standardwebhooks {version} (Python): {len(failures)} failure(s)")
        for failure in failures:
            print("  -", failure)
        return 1
    print(
        f"interop with standardwebhooks {version} (Python): {compared - len(DEVIATIONS)} of {compared} comparable "
        f"vector cases agree, the other {len(DEVIATIONS)} are documented deviations; {args.fresh} fresh messages "
        f"verified both ways (seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
