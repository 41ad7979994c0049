"""Webhook verification through `sendivent.webhooks`: every header pair reaches the core, in any
form a framework hands over, and out-of-range options are errors, never crashes."""

from __future__ import annotations

import dataclasses
import email.message
import json
from typing import Any, Dict, List, Tuple

import pytest
from multidict import CIMultiDict
from starlette.datastructures import Headers as StarletteHeaders
from werkzeug.datastructures import Headers as WerkzeugHeaders

import sendivent
from sendivent import webhooks

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OTHER = "whsec_c2VuZGl2ZW50LXZlY3Rvci1rZXktbWFpbi0wMDAxISE="
NOW = 1_700_000_000
BODY = json.dumps(
    {"event": "delivery.sent", "delivery": {"uuid": "d-1", "channel": "email", "status": "sent"}, "extra": 1}
).encode()


def _signed(secret: str = SECRET, msg_id: str = "msg_1") -> Dict[str, str]:
    return webhooks.sign_headers(BODY, secret, msg_id=msg_id, timestamp=NOW)


def _pairs_with_two_signatures() -> List[Tuple[str, str]]:
    """The signature by another key first, then the right one, as two separate headers."""
    right, wrong = _signed(), _signed(OTHER)
    return [
        ("Webhook-Id", right["webhook-id"]),
        ("Webhook-Timestamp", right["webhook-timestamp"]),
        ("Webhook-Signature", wrong["webhook-signature"]),
        ("Webhook-Signature", right["webhook-signature"]),
    ]


def _forms(pairs: List[Tuple[str, str]]) -> Dict[str, Any]:
    message = email.message.Message()  # http.server's and http.client's headers
    for name, value in pairs:
        message[name] = value
    return {
        "list of pairs": pairs,
        "ASGI bytes pairs": [(n.lower().encode(), v.encode()) for n, v in pairs],
        "Starlette": StarletteHeaders(raw=[(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in pairs]),
        "Werkzeug": WerkzeugHeaders(pairs),
        "aiohttp": CIMultiDict(pairs),
        "email.message": message,
    }


@pytest.mark.parametrize("form", list(_forms([])))
def test_every_occurrence_of_a_repeated_header_reaches_the_core(form: str) -> None:
    headers = _forms(_pairs_with_two_signatures())[form]
    event = webhooks.verify(BODY, headers, SECRET, now=NOW)
    assert isinstance(event, sendivent.WebhookEvent) and event.delivery.uuid == "d-1"
    assert event.to_dict()["delivery"]["channel"] == "email" and "extra" not in event.to_dict()


@pytest.mark.parametrize("form", list(_forms([])))
def test_a_repeated_id_with_another_value_is_ambiguous(form: str) -> None:
    pairs = [*_pairs_with_two_signatures()[:3], ("webhook-id", "msg_other"), *_pairs_with_two_signatures()[3:]]
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.verify(BODY, _forms(pairs)[form], SECRET, now=NOW)
    assert (info.value.code, info.value.reason) == ("WEBHOOK_AMBIGUOUS_HEADER", "ambiguous_header")


def test_dicts_of_lists_and_django_meta() -> None:
    right, wrong = _signed(), _signed(OTHER)
    as_lists = {k: [v] for k, v in right.items()}
    as_lists["webhook-signature"] = [wrong["webhook-signature"], right["webhook-signature"]]
    assert webhooks.verify(BODY, as_lists, SECRET, now=NOW).event == "delivery.sent"
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in right.items()}
    meta.update({"CONTENT_TYPE": "application/json", "wsgi.input": object()})
    assert webhooks.verify(BODY, meta, SECRET, now=NOW).delivery.status == "sent"


def test_a_reused_verifier_and_key_rotation() -> None:
    verifier = webhooks.Webhook([OTHER, SECRET])
    assert verifier.verify(BODY, _signed(), now=NOW) == webhooks.verify(BODY, _signed(), SECRET, now=NOW)
    verifier.verify_signature(BODY, _signed(OTHER), now=NOW)
    assert SECRET not in repr(verifier) and "whsec_…LaSw" in repr(verifier)


@pytest.mark.parametrize("tolerance", [1e20, -1, float("nan"), float("inf"), 604800.5])
def test_an_out_of_range_tolerance_is_a_validation_error(tolerance: float) -> None:
    verifier = webhooks.Webhook(SECRET)
    calls = [
        lambda: webhooks.verify(BODY, _signed(), SECRET, now=NOW, tolerance=tolerance),
        lambda: webhooks.verify_signature(BODY, _signed(), SECRET, now=NOW, tolerance=tolerance),
        lambda: verifier.verify(BODY, _signed(), now=NOW, tolerance=tolerance),
        lambda: verifier.verify_signature(BODY, _signed(), now=NOW, tolerance=tolerance),
    ]
    for call in calls:
        with pytest.raises(sendivent.ValidationError) as info:
            call()
        assert info.value.code == "INVALID_ARGUMENT"


def test_wrong_argument_types_are_validation_errors() -> None:
    with pytest.raises(sendivent.ValidationError) as info:
        webhooks.verify(BODY, 42, SECRET, now=NOW)
    assert info.value.code == "INVALID_ARGUMENT"
    with pytest.raises(sendivent.ValidationError):
        webhooks.verify(BODY, [("webhook-id",)], SECRET, now=NOW)


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (json.loads(BODY), "a dict (parsed JSON)"),
        ([1, 2], "a list (parsed JSON)"),
        (None, "None"),
        (42, "an object of type int"),
    ],
)
def test_a_parsed_body_is_refused_as_not_raw_with_the_python_way_to_get_it(body: Any, found: str) -> None:
    for call in (webhooks.verify, webhooks.verify_signature):
        with pytest.raises(sendivent.WebhookVerificationError) as info:
            call(body, _signed(), SECRET, now=NOW)
        err = info.value
        assert (err.code, err.reason) == ("WEBHOOK_BODY_NOT_RAW", "body_not_raw")
        assert f"the webhook body is {found}" in err.message
        for hint in ("request.get_data()", "await request.body()", "Django request.body"):
            assert hint in err.message, err.message


def test_every_raw_body_form_verifies() -> None:
    for body in (BODY, bytearray(BODY), memoryview(BODY), BODY.decode()):
        assert webhooks.verify(body, _signed(), SECRET, now=NOW).delivery.uuid == "d-1"


def test_a_re_serialised_body_says_so() -> None:
    sent = json.dumps(json.loads(BODY), separators=(",", ":"))  # compact, as Sendivent sends
    headers = webhooks.sign_headers(sent, SECRET, msg_id="msg_1", timestamp=NOW)
    webhooks.verify(sent, headers, SECRET, now=NOW)
    reserialised = json.dumps(json.loads(sent))  # what json.dumps(request.json) gives: ", " and ": "
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.verify(reserialised, headers, SECRET, now=NOW)
    assert info.value.reason == "no_matching_signature"
    assert "looks re-serialised" in str(info.value) and "json.dumps" in str(info.value)
    indented = json.dumps(json.loads(sent), indent=2)
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.verify(indented, headers, SECRET, now=NOW)
    assert "indented" in info.value.message


def test_timestamp_errors_state_the_measured_skew() -> None:
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.verify(BODY, _signed(), SECRET, now=NOW + 3600)
    assert info.value.reason == "timestamp_too_old" and "3600 s older than now" in info.value.message
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.verify(BODY, _signed(), SECRET, now=NOW - 420)
    assert info.value.reason == "timestamp_too_new" and "420 s ahead of now" in info.value.message
    millis = webhooks.sign_headers(BODY, SECRET, msg_id="msg_1", timestamp=NOW * 1000)
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.verify(BODY, millis, SECRET, now=NOW)
    assert "milliseconds" in info.value.message


def test_sign_event_makes_the_delivery_sendivent_would_send() -> None:
    event = {
        "event": "delivery.failed",
        "delivery": {"uuid": "d-9", "channel": "sms", "status": "failed", "error": "unreachable"},
        "request_id": "req_9",
        "unknown": "dropped",
    }
    body, headers = webhooks.sign_event(event, SECRET, msg_id="msg_9", timestamp=NOW)
    assert isinstance(body, bytes) and b" " not in body.replace(b'"unreachable"', b""), "compact JSON"
    assert headers["webhook-id"] == "msg_9" and headers["webhook-timestamp"] == str(NOW)
    received = webhooks.verify(body, headers, SECRET, now=NOW)
    assert (received.event, received.delivery.error, received.request_id) == ("delivery.failed", "unreachable", "req_9")
    # A typed event signs to the same bytes; a fresh id and the clock by default.
    again = webhooks.sign_event(received, SECRET, msg_id="msg_9", timestamp=NOW)
    assert again == (body, headers)
    fresh = webhooks.sign_event(received, SECRET)
    assert fresh.headers["webhook-id"].startswith("msg_") and fresh.headers["webhook-id"] != "msg_9"
    assert abs(int(fresh.headers["webhook-timestamp"]) - webhooks._unix_now()) <= 1
    webhooks.verify(fresh.body, fresh.headers, SECRET)
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.sign_event({"event": "delivery.sent"}, SECRET)
    assert info.value.reason == "invalid_payload"


def test_sign_headers_with_a_fixed_clock() -> None:
    headers = webhooks.sign_headers(BODY, SECRET, msg_id="msg_fixed", timestamp=NOW)
    assert headers == webhooks.sign_headers(BODY, SECRET, msg_id="msg_fixed", timestamp=NOW)
    assert headers["webhook-signature"] == webhooks.sign(BODY, SECRET, msg_id="msg_fixed", timestamp=NOW)
    verified = webhooks.verify_signature(BODY, headers, SECRET, now=NOW)
    assert (verified.msg_id, verified.timestamp, verified.secret_index) == ("msg_fixed", NOW, 0)


@pytest.mark.parametrize("timeout", [1e20, 0, -1, float("nan"), 10**400])
def test_an_out_of_range_timeout_is_a_validation_error(timeout: Any) -> None:
    with pytest.raises(sendivent.ValidationError) as info:
        sendivent.Sendivent("test_bounds_0123456789", base_url="http://127.0.0.1:9", timeout=timeout)
    assert info.value.code == "INVALID_ARGUMENT"
    client = sendivent.Sendivent("test_bounds_0123456789", base_url="http://127.0.0.1:9")
    with pytest.raises(sendivent.ValidationError) as info:
        client.events.list(timeout=timeout)
    assert info.value.code == "INVALID_ARGUMENT"


def test_the_event_is_built_as_the_generated_classes() -> None:
    """The native module builds the event from the core's values: it must be exactly what the
    generated classes build from the canonical JSON, nested classes included."""
    event = webhooks.verify(BODY, _signed(), SECRET, now=NOW)
    assert type(event) is sendivent.WebhookEvent and type(event.delivery) is sendivent.WebhookDelivery
    assert event == sendivent.WebhookEvent._from(event.to_dict())
    assert event.delivery == sendivent.WebhookDelivery._from(event.delivery.to_dict())
    fields = [f.name for f in dataclasses.fields(sendivent.WebhookEvent)]
    assert [name for name in vars(event) if not name.startswith("_")] == fields
    assert repr(event).startswith("WebhookEvent(event='delivery.sent', delivery=WebhookDelivery(uuid='d-1'")
    verified = webhooks.verify_signature(BODY, _signed(), SECRET, now=NOW)
    assert type(verified) is sendivent.Verified and verified == event.verified
    assert verified == sendivent.Verified._from(verified.to_dict())
    # Each call builds new objects: changing one result leaves the next untouched.
    event.delivery.status = "changed"
    assert webhooks.verify(BODY, _signed(), SECRET, now=NOW).delivery.status == "sent"


@pytest.mark.parametrize("body", [BODY, BODY.decode(), bytearray(BODY), memoryview(BODY)])
def test_every_raw_body_type_verifies(body: Any) -> None:
    assert webhooks.verify(body, _signed(), SECRET, now=NOW).delivery.uuid == "d-1"
    assert webhooks.Webhook(SECRET).verify_signature(body, _signed(), now=NOW).msg_id == "msg_1"


def test_header_bytes_that_are_not_utf8_are_read_leniently() -> None:
    pairs: List[Tuple[Any, Any]] = [(k.encode(), v.encode()) for k, v in _signed().items()]
    pairs.append((b"x-latin-1", "caf\xe9".encode("latin-1")))
    assert webhooks.verify(BODY, pairs, SECRET, now=NOW).verified is not None


def test_the_cached_verifier_follows_the_secret_text_not_the_object() -> None:
    # Equal secrets in different objects share a verifier; a different secret never does.
    first = "".join(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZ", "Io2LaLaSw"])
    second = "".join(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZI", "o2LaLaSw"])
    assert first == second and first is not second
    for secret in (first, second, SECRET):
        assert webhooks.verify(BODY, _signed(), secret, now=NOW).verified is not None
    with pytest.raises(sendivent.WebhookVerificationError):
        webhooks.verify(BODY, _signed(), OTHER, now=NOW)
