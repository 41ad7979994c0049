"""Runs every shared vector file (tests/vectors/*.json) through the public Python layer.

A file whose `function` this runner does not know, or a behaviour case whose `check` it does not
know, fails the suite: a new contract file must get a runner here, never be skipped. Each case
that passes is counted; `conftest.py` writes the counts to
`$SENDIVENT_VECTOR_COUNTS_DIR/python.json` at the end of the session.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pathlib
from typing import Any, Callable, Dict, List, Tuple

import pytest
from conftest import VECTOR_COUNTS

import sendivent
from sendivent import AsyncSendivent, Sendivent, _native, webhooks
from sendivent._models import RESPONSES
from sendivent._resources import SyncOperations

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"

#: The decoding kinds that are not operations, and the class each gives.
EXTRA_KINDS: Dict[str, Any] = {"webhook_event": sendivent.WebhookEvent, "error_body": sendivent.ErrorBody}

#: A closed loopback port: any request would fail, so a refusal must come before sending.
CLOSED = "http://127.0.0.1:9"
KEY = "test_vectors_0123456789"


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


def run_resolve_recipient(case: Dict[str, Any]) -> Any:
    i = case["input"]
    identifier = sendivent.resolve_identifier(i["value"], i["channel"])
    return {"kind": identifier.kind, "value": identifier.value}


def run_webhook_replay(case: Dict[str, Any]) -> Any:
    """Every step through one `webhooks.Webhook` of the case's secrets and one fresh in-memory
    `ReplayGuard`, in order, each at its own pinned clock."""
    i = case["input"]
    verifier = webhooks.Webhook(i["secrets"])
    guard = webhooks.ReplayGuard()
    for number, step in enumerate(i["steps"]):
        body = i["body"] + " " if step.get("tamper") else i["body"]
        headers = [tuple(pair) for pair in step["headers"]]
        skip = bool(step.get("skip_timestamp_check"))
        label = f"step {number} ({step['id']})"
        if "ok" in step["expect"]:
            event = verifier.verify(body, headers, now=step["now"], skip_timestamp_check=skip, replay_guard=guard)
            assert isinstance(event, sendivent.WebhookEvent) and event.verified is not None, label
            assert event.verified.msg_id == step["id"] and event.verified.timestamp == step["timestamp"], label
            shown = {
                "secret_index": event.verified.secret_index,
                "secret_fingerprint": event.verified.secret_fingerprint,
            }
            assert shown == step["expect"]["ok"], label
        else:
            with pytest.raises(sendivent.SendiventError) as info:
                verifier.verify(body, headers, now=step["now"], skip_timestamp_check=skip, replay_guard=guard)
            assert info.value.code == step["expect"]["error"]["code"], f"{label}: {info.value}"
            duplicate = info.value.code == "WEBHOOK_DUPLICATE"
            assert isinstance(info.value, sendivent.WebhookDuplicateError) is duplicate, label
            assert isinstance(info.value, sendivent.WebhookVerificationError) is not duplicate, label
    return True


class _CapturingOperations(SyncOperations):
    """The generated sync operations over a transport that records the core arguments each
    call hands over instead of sending them."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, Dict[str, Any]]] = []
        self._init_resources()

    def _call(self, operation: str, args: Dict[str, Any], options: Any) -> Tuple[Any, Any]:
        self.calls.append((operation, args))
        return {"success": True, "deliveries": [], "errors": []}, {}


#: How each key of a send body is given to `send` (the Python parameter it is).
SEND_PARAMETERS = {"to": "to", "payload": "payload", "language": "language", "from": "from_", "overrides": "overrides"}


def run_prepare_send(case: Dict[str, Any]) -> Any:
    """The case's request written as a call of the public `send` (and of one `send_many` item):
    the arguments the generated method builds go through the core's `prepare_send`, and a
    refused request is also refused by a real client before anything is sent."""
    i = case["input"]
    unknown = set(i["body"]) - set(SEND_PARAMETERS)
    assert not unknown, f"no send parameter for {unknown}"
    kwargs = {SEND_PARAMETERS[key]: value for key, value in i["body"].items()}
    operations = _CapturingOperations()
    operations.send("vector.event", channel=i["channel"], **kwargs)
    assert [op for op, _ in operations.calls] == ["send"]
    args = operations.calls[0][1]
    assert args["event"] == "vector.event" and args.get("channel") == i["channel"]
    item = sendivent._resources._send_item({"event": "vector.event", "channel": i["channel"], **kwargs})
    assert item == args, "send_many items are built like send's arguments"
    if "error" in case["expect"]:
        with Sendivent(KEY, base_url=CLOSED, max_retries=0) as client:
            with pytest.raises(sendivent.SendiventError) as info:
                client.send("vector.event", channel=i["channel"], **kwargs)
            assert info.value.code == case["expect"]["error"]["code"], str(info.value)
    return _native._prepare_send(args)


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
        event = webhooks.verify(i["body"], headers, secret, **kwargs)
        assert isinstance(event, sendivent.WebhookEvent)
        return event.to_dict()
    webhooks.verify_signature(i["body"], headers, secret, **kwargs)
    return True


def run_webhook_sign(case: Dict[str, Any]) -> Any:
    i = case["input"]
    return webhooks.sign(i["body"], i["secret"], msg_id=i["id"], timestamp=i["timestamp"])


def run_decode_response(case: Dict[str, Any]) -> Any:
    """The core decodes; the operation's result class reads the canonical JSON and writes it back."""
    i = case["input"]
    canonical = _native.decode_response(i["kind"], json.dumps(i["body"], sort_keys=True).encode())
    cls = RESPONSES.get(i["kind"]) or EXTRA_KINDS[i["kind"]]
    result = cls._from(canonical)
    assert type(result) is cls
    return result.to_dict()


# ------------------------------------------------------------------------------------------
# behaviour.json
# ------------------------------------------------------------------------------------------


def check_error_mapping(case: Dict[str, Any]) -> Any:
    i = case["input"]
    if i["origin"] == "answer":
        headers = [tuple(pair) for pair in i.get("headers", [])]
        err = _native._error_from_answer(i["status"], headers, i["body"].encode(), i["send"])
    else:
        made = _native._error_from_code(i["code"], i["message"])
        assert made is not None, f"the core has no SDK error {i['code']}"
        err = made
    expect = case["expect"]["ok"]
    assert isinstance(err, sendivent.SendiventError)
    assert str(err), "an exception must have a text"
    if "code" in expect:
        assert err.code == expect["code"]
    if "class" in expect:
        assert type(err).__name__ == expect["class"]
        assert type(err) is getattr(sendivent, expect["class"])
    for name in expect.get("classes", []):
        assert isinstance(err, getattr(sendivent, name)), f"{type(err).__name__} is not a {name}"
    if "status" in expect:
        assert err.status == expect["status"]
    if "retryable" in expect:
        assert err.retryable is expect["retryable"]
    if "message" in expect:
        assert err.message == expect["message"]
    if "retry_after" in expect:
        assert err.retry_after == expect["retry_after"]
    if "errors" in expect:
        assert all(isinstance(e, sendivent.SendError) for e in err.errors)
        assert [e.to_dict() for e in err.errors] == expect["errors"]
    if "reason" in expect:
        assert err.reason == expect["reason"]
    return expect


def _signed_webhook() -> Tuple[bytes, Dict[str, str], str, int]:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"event":"delivery.sent","delivery":{"uuid":"d-1","channel":"email","status":"sent"}}'
    now = 1_700_000_000
    return body, webhooks.sign_headers(body, secret, msg_id="msg_bounds", timestamp=now), secret, now


def _apply_option(scope: str, option: str, value: Any, per_call: bool) -> None:
    """Gives the option where its scope says, through the public API. With `per_call`, request
    options are also given to a call, which an accepted option lets reach the closed port."""
    if scope == "client":
        Sendivent(KEY, base_url=CLOSED, **{option: value}).close()
    elif scope == "request":
        with Sendivent(KEY, base_url=CLOSED, max_retries=0) as client:
            client.with_options(**{option: value})
            if per_call:
                with pytest.raises(sendivent.APIConnectionError):
                    client.events.list(**{option: value})
    elif scope == "verify":
        body, headers, secret, now = _signed_webhook()
        webhooks.verify_signature(body, headers, secret, now=now, **{option: value})
    elif scope == "send_many":
        with Sendivent(KEY, base_url=CLOSED) as client:
            assert client.send_many([], **{option: value}) == []
    else:
        pytest.fail(f"unknown option scope {scope!r}")


def check_option_bounds(case: Dict[str, Any]) -> Any:
    i = case["input"]
    refused = "error" in case["expect"]
    try:
        # An accepted retry count is not tried per call: the closed port would make it wait out
        # its backoff.
        _apply_option(i["scope"], i["option"], i["value"], per_call=refused or i["option"] != "max_retries")
    except sendivent.SendiventError as err:
        assert isinstance(err, sendivent.ValidationError) and isinstance(err, ValueError), repr(err)
        raise
    return True


def check_header_options(case: Dict[str, Any]) -> Any:
    i = case["input"]
    headers = dict(i["headers"])
    try:
        if i["scope"] == "client":
            Sendivent(KEY, base_url=CLOSED, default_headers=headers).close()
        elif i["scope"] == "request":
            # An accepted header reaches the closed port.
            with Sendivent(KEY, base_url=CLOSED, max_retries=0) as client, pytest.raises(sendivent.APIConnectionError):
                client.events.list(extra_headers=headers)
        else:
            pytest.fail(f"unknown header scope {i['scope']!r}")
    except sendivent.SendiventError as err:
        assert isinstance(err, sendivent.ValidationError) and isinstance(err, ValueError), repr(err)
        raise
    return True


def _formatted(obj: object) -> List[str]:
    """Every way Python shows an object: repr, str, format, and a DEBUG log line of each."""
    records: List[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("sendivent.tests.redaction")
    handler = Collect(level=logging.DEBUG)
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("%r", obj)
        logger.debug("%s", obj)
        logger.debug("object: %s", [obj])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert len(records) == 3
    return [repr(obj), str(obj), f"{obj}", f"{obj!r}"] + [r.getMessage() for r in records]


def check_redaction(case: Dict[str, Any]) -> Any:
    i = case["input"]
    secret = i["secret"]
    if i["kind"] == "api_key":
        holders: List[object] = [Sendivent(secret, base_url=CLOSED), AsyncSendivent(secret, base_url=CLOSED)]
        holders.append(holders[0].with_options(timeout=5))  # type: ignore[attr-defined]
    elif i["kind"] == "webhook_secret":
        holders = [
            sendivent.WebhookConfig(uuid="w-1", url="https://example.com/hook", signing_secret=secret),
            webhooks.Webhook(secret),
        ]
    else:
        pytest.fail(f"unknown secret kind {i['kind']!r}")
    shown = case["expect"]["ok"]["shown"]
    for holder in holders:
        for text in _formatted(holder):
            assert shown in text, text
            assert secret not in text, text
    return case["expect"]["ok"]


def _resource_method(client: Any, operation: str) -> Callable[..., Any]:
    resource, _, method = operation.rpartition(".")
    owner = getattr(client, resource) if resource else client
    return getattr(owner, method)  # type: ignore[no-any-return]


def check_path_params(case: Dict[str, Any]) -> Any:
    """The async client refuses the arguments too; the sync client's refusal is the result."""
    i = case["input"]
    code = case["expect"]["error"]["code"]

    async def run_async() -> None:
        async with AsyncSendivent(KEY, base_url=CLOSED, max_retries=0) as client:
            with pytest.raises(sendivent.SendiventError) as info:
                await _resource_method(client, i["operation"])(**i["args"])
            assert info.value.code == code, str(info.value)

    asyncio.run(run_async())
    with Sendivent(KEY, base_url=CLOSED, max_retries=0) as client:
        return _resource_method(client, i["operation"])(**i["args"])


BEHAVIOUR_CHECKS: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "error_mapping": check_error_mapping,
    "option_bounds": check_option_bounds,
    "header_options": check_header_options,
    "redaction": check_redaction,
    "path_params": check_path_params,
}


def run_behaviour(case: Dict[str, Any]) -> Any:
    check = BEHAVIOUR_CHECKS.get(case["check"])
    if check is None:
        pytest.fail(f"behaviour.json: unknown check {case['check']!r}; add it to BEHAVIOUR_CHECKS")
    return check(case)


RUNNERS: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "validate_email": run_validate_email,
    "validate_phone": run_validate_phone,
    "resolve_identifier": run_resolve_identifier,
    "resolve_recipient": run_resolve_recipient,
    "webhook_replay": run_webhook_replay,
    "prepare_send": run_prepare_send,
    "webhook_verify": run_webhook_verify,
    "webhook_sign": run_webhook_sign,
    "decode_response": run_decode_response,
    "behaviour": run_behaviour,
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
    VECTOR_COUNTS[file] += 1
