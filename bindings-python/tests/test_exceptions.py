"""Exception mapping end to end against a scripted server: every status of the reference, the
details each exception carries, retries, pickling."""

from __future__ import annotations

import http.server
import json
import pickle
import threading
from typing import Any, ClassVar, Dict, Iterator, List, Tuple, Type

import pytest

import sendivent
from sendivent import Sendivent, _exceptions, _native


class _Scripted(http.server.BaseHTTPRequestHandler):
    """Answers every request with the next scripted (status, headers, body)."""

    script: ClassVar[List[Tuple[int, Dict[str, str], bytes]]] = []
    seen: ClassVar[List[Dict[str, Any]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        )
        status, headers, payload = type(self).script.pop(0) if type(self).script else (200, {}, b"{}")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[Tuple[str, Type[_Scripted]]]:
    handler = type("Handler", (_Scripted,), {"script": [], "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


STATUS_CLASSES = [
    (400, "VALIDATION_ERROR", sendivent.BadRequestError),
    (401, "UNAUTHORIZED", sendivent.AuthenticationError),
    (402, "QUOTA_EXCEEDED", sendivent.QuotaExceededError),
    (403, "FORBIDDEN", sendivent.PermissionDeniedError),
    (404, "NOT_FOUND", sendivent.NotFoundError),
    (409, "CONFLICT", sendivent.ConflictError),
    (429, "RATE_LIMITED", sendivent.RateLimitError),
    (500, "SERVER_ERROR", sendivent.InternalServerError),
    (502, "PROVIDER_ERROR", sendivent.ProviderError),
    (503, "SERVER_ERROR", sendivent.InternalServerError),
    (418, "TEAPOT_MODE", sendivent.APIError),
]


@pytest.mark.parametrize(("status", "code", "cls"), STATUS_CLASSES)
def test_each_status_maps_to_its_class(
    scripted: Tuple[str, Type[_Scripted]], status: int, code: str, cls: type
) -> None:
    url, handler = scripted
    body = json.dumps({"error": f"something about {status}", "code": code}).encode()
    handler.script = [(status, {"X-Request-Id": "req_abc", "Retry-After": "7"}, body)]
    with Sendivent("test_mapping", base_url=url, max_retries=0) as client, pytest.raises(sendivent.APIError) as info:
        client.events.list()
    err = info.value
    assert type(err) is cls
    assert (err.status, err.code, err.message) == (status, code, f"something about {status}")
    assert err.request_id == "req_abc"
    assert err.response is not None and err.response.header("retry-after") == "7"
    assert "req_abc" in str(err) and code in str(err)
    if status == 429:
        assert isinstance(err, sendivent.RateLimitError) and err.retry_after == 7.0


def test_error_without_a_json_body_gets_the_status_code(scripted: Tuple[str, Type[_Scripted]]) -> None:
    url, handler = scripted
    handler.script = [(403, {}, b"<html>forbidden</html>")]
    with Sendivent("test_mapping", base_url=url) as client, pytest.raises(sendivent.PermissionDeniedError) as info:
        client.events.list()
    assert info.value.code == "FORBIDDEN" and info.value.status == 403


def test_malformed_success_body_is_invalid_response(scripted: Tuple[str, Type[_Scripted]]) -> None:
    url, handler = scripted
    handler.script = [(200, {}, b'{"success": true, "data": {"events": "many"}}')]
    with Sendivent("test_mapping", base_url=url) as client, pytest.raises(sendivent.InvalidResponseError) as info:
        client.events.list()
    assert info.value.code == "INVALID_RESPONSE" and info.value.status == 200


def test_retries_reuse_the_idempotency_key_and_honour_retry_after(scripted: Tuple[str, Type[_Scripted]]) -> None:
    url, handler = scripted
    ok = json.dumps({"success": True, "deliveries": [{"email": "d-1"}]}).encode()
    handler.script = [
        (503, {"Retry-After": "0"}, b'{"error":"busy","code":"SERVER_ERROR"}'),
        (429, {"Retry-After": "0"}, b'{"error":"slow down","code":"RATE_LIMITED"}'),
        (200, {}, ok),
    ]
    with Sendivent("test_mapping", base_url=url, max_retries=2) as client:
        sent = client.send("x.y", to="ada@example.com")
    assert sent.last_response is not None and sent.last_response.attempts == 3
    keys = {r["headers"].get("x-idempotency-key") for r in handler.seen}
    assert len(keys) == 1 and None not in keys
    assert all(r["headers"]["user-agent"].startswith("sendivent-python/") for r in handler.seen)
    assert handler.seen[0]["headers"]["authorization"] == "Bearer test_mapping"
    assert json.loads(handler.seen[0]["body"]) == {"to": "ada@example.com", "payload": {}}


def test_four_hundreds_are_not_retried(scripted: Tuple[str, Type[_Scripted]]) -> None:
    url, handler = scripted
    handler.script = [(400, {}, b'{"error":"bad","code":"VALIDATION_ERROR"}')] * 3
    with Sendivent("test_mapping", base_url=url, max_retries=2) as client, pytest.raises(sendivent.BadRequestError):
        client.events.list()
    assert len(handler.seen) == 1


def test_path_parameters_are_percent_encoded(scripted: Tuple[str, Type[_Scripted]]) -> None:
    url, handler = scripted
    contact = json.dumps({"success": True, "data": {"contact": {"uuid": "u1"}}}).encode()
    handler.script = [(200, {}, contact), (200, {}, contact)]
    with Sendivent("test_mapping", base_url=url) as client:
        client.contacts.get("+46701234567")
        client.contacts.get("ada+news@example.com")
    assert [r["path"] for r in handler.seen] == ["/v1/contacts/%2B46701234567", "/v1/contacts/ada%2Bnews%40example.com"]


def test_every_class_of_the_description_is_exported_and_rooted() -> None:
    for name in _exceptions.__all__:
        cls = getattr(_exceptions, name)
        assert issubclass(cls, sendivent.SendiventError) and getattr(sendivent, name) is cls
    assert set(_exceptions.__all__) <= set(sendivent.__all__)
    # Python's own refusal types: a refused argument or configuration is also a ValueError.
    assert issubclass(sendivent.ValidationError, ValueError) and issubclass(sendivent.InvalidPhoneError, ValueError)
    assert issubclass(sendivent.ConfigurationError, ValueError)
    assert not issubclass(sendivent.BadRequestError, ValueError)


def test_a_code_newer_than_the_sdk_keeps_its_text_and_takes_its_status_class() -> None:
    err = _native._error_from_answer(
        409, [("X-Request-Id", "req_9")], b'{"error": "later", "code": "BRAND_NEW"}', False
    )
    assert type(err) is sendivent.ConflictError
    assert (err.code, err.message, err.request_id) == ("BRAND_NEW", "later", "req_9")
    assert str(err) == "BRAND_NEW: later (HTTP 409, request id req_9)"
    assert err.response is not None and err.response.header("x-request-id") == "req_9"


def test_the_sdk_errors_of_api_only_codes_do_not_exist() -> None:
    assert _native._error_from_code("API_ERROR", "m") is None
    assert _native._error_from_code("NO_SUCH_CODE", "m") is None


def test_exceptions_pickle_and_keep_their_details() -> None:
    try:
        sendivent.validate_phone("0701234567")
    except sendivent.InvalidPhoneError as err:
        copy = pickle.loads(pickle.dumps(err))
        assert type(copy) is sendivent.InvalidPhoneError
        assert (copy.code, copy.message, str(copy)) == (err.code, err.message, str(err))
    else:
        pytest.fail("expected InvalidPhoneError")


def test_webhook_errors_carry_a_reason() -> None:
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        sendivent.webhooks.verify(b"{}", {}, "test_not_a_secret_key_12345")
    assert info.value.code == "WEBHOOK_SECRET_IS_API_KEY" and info.value.reason == "secret_is_api_key"
    assert "test_not_a_secret_key_12345" not in str(info.value)


def test_a_failed_send_pickles_with_its_reasons() -> None:
    body = b'{"success": false, "errors": [{"code": "MISSING_IDENTIFIER", "message": "no phone"}]}'
    err = _native._error_from_answer(400, [], body, True)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is sendivent.SendFailedError
    assert [e.to_dict() for e in copy.errors] == [{"code": "MISSING_IDENTIFIER", "message": "no phone"}]
    assert copy.response == err.response and copy.status == 400
