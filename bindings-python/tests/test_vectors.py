"""Runs every shared vector file (tests/vectors/*.json) through the Python API.

A file whose `function` this runner does not know fails the suite: a new contract file must get
a runner here, never be skipped.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any, Callable, Dict, List, Tuple

import pytest

import sendivent
from sendivent import _native, webhooks

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"


def _files() -> List[pathlib.Path]:
    files = sorted(VECTORS.glob("*.json"))
    assert files, f"no vector files in {VECTORS}"
    return files


def run_validate_email(case: Dict[str, Any]) -> Any:
    return sendivent.validate_email(case["input"])


def run_validate_phone(case: Dict[str, Any]) -> Any:
    return sendivent.validate_phone(case["input"])


def run_resolve_identifier(case: Dict[str, Any]) -> Any:
    identifier = sendivent.resolve_identifier(case["input"])
    return {"kind": identifier.kind, "value": identifier.value}


def run_webhook_verify(case: Dict[str, Any]) -> Any:
    i = case["input"]
    secret = i["secrets"] if "secrets" in i else i["secret"]
    kwargs: Dict[str, Any] = {"now": case.get("now")}
    if "tolerance_seconds" in i:
        kwargs["tolerance"] = i["tolerance_seconds"]
    if i.get("skip_timestamp_check"):
        kwargs["skip_timestamp_check"] = True
    headers = [tuple(pair) for pair in i["headers"]]
    if i["parse_event"]:
        return webhooks.verify(i["body"], headers, secret, **kwargs).to_dict()
    webhooks.verify_signature(i["body"], headers, secret, **kwargs)
    return True


def run_webhook_sign(case: Dict[str, Any]) -> Any:
    i = case["input"]
    return webhooks.sign(i["body"], i["secret"], msg_id=i["id"], timestamp=i["timestamp"])


def run_decode_response(case: Dict[str, Any]) -> Any:
    i = case["input"]
    return _native.decode_response(i["kind"], json.dumps(i["body"], sort_keys=True).encode())


RUNNERS: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "validate_email": run_validate_email,
    "validate_phone": run_validate_phone,
    "resolve_identifier": run_resolve_identifier,
    "webhook_verify": run_webhook_verify,
    "webhook_sign": run_webhook_sign,
    "decode_response": run_decode_response,
}


def _cases() -> List[Tuple[str, str, Dict[str, Any]]]:
    out = []
    for path in _files():
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append((path.name, data["function"], case))
    return out


CASES = _cases()


def test_every_vector_file_has_a_runner() -> None:
    for path in _files():
        function = json.loads(path.read_text(encoding="utf-8"))["function"]
        assert function in RUNNERS, f"{path.name}: no Python runner for function {function!r}; add one to RUNNERS"


@pytest.mark.parametrize(("file", "function", "case"), CASES, ids=[f"{f}:{c['name']}" for f, _, c in CASES])
def test_vector(file: str, function: str, case: Dict[str, Any]) -> None:
    runner = RUNNERS.get(function)
    if runner is None:
        pytest.fail(f"{file}: unknown function {function!r}")
    expect = case["expect"]
    if "ok" in expect:
        assert runner(case) == expect["ok"]
    else:
        with pytest.raises(sendivent.SendiventError) as info:
            runner(case)
        assert info.value.code == expect["error"]["code"], str(info.value)
