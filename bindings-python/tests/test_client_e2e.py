"""Every endpoint end to end against sendivent-mock, with the sync and the async client."""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

import pytest
from conftest import API_KEY, Mock

import sendivent
from sendivent import AsyncSendivent, Sendivent

T = TypeVar("T")


def run(coro: Awaitable[T]) -> T:
    async def wrap() -> T:
        return await coro

    return asyncio.run(wrap())


# ------------------------------------------------------------------------------------------
# Sends
# ------------------------------------------------------------------------------------------


def test_send_to_an_email_creates_a_delivery_per_channel(client: Sendivent, mock: Mock) -> None:
    sent = client.send("user.welcome", to="ada@example.com", payload={"message": "hi"})
    assert sent.success
    assert sorted(d.channel for d in sent.deliveries) == ["email", "slack"]
    meta = sent.last_response
    assert meta is not None and meta.status == 200
    assert meta.request_id and meta.request_id.startswith("req_")
    assert meta.header("X-Request-Id") == meta.request_id
    assert meta.idempotency_key and not meta.idempotent_replay
    assert isinstance(sent, sendivent.SendResponse) and sent.errors == []
    state = mock.state()
    assert state["counts"]["sends"] == 1
    assert {d["uuid"] for d in state["deliveries"]} == {d.uuid for d in sent.deliveries}


def test_send_on_one_channel_with_language_and_contact_object(client: Sendivent, mock: Mock) -> None:
    sent = client.send(
        "user.welcome",
        to={"email": "new.person@example.com", "name": "Nina", "plan": "gold"},
        channel="email",
        language="sv",
        payload={"message": "Hej"},
    )
    assert [d.channel for d in sent.deliveries] == ["email"]
    trace = client.deliveries.trace(sent.deliveries[0].uuid)
    assert trace.content["subject"] == "Välkommen till Acme, Nina!"
    contact = client.contacts.get("new.person@example.com")
    assert contact.name == "Nina" and contact.meta == {"plan": "gold"}


def test_send_to_many_recipients_and_phone_normalisation(client: Sendivent, mock: Mock) -> None:
    sent = client.send("otp.requested", to=["+46 70-123 45 67", "+1 (415) 555-2671"], payload={"code": "123456"})
    assert len(sent.deliveries) == 2
    recipients = sorted(d["recipient"] for d in mock.state()["deliveries"])
    assert recipients == ["+14155552671", "+46701234567"]


def test_broadcast_to_listeners_and_sender_override(client: Sendivent) -> None:
    sent = client.send("user.welcome", from_="notifications@acme.example", payload={})
    assert sent.deliveries


def test_partial_success_lists_the_skipped_pairs(client: Sendivent, mock: Mock) -> None:
    # order.confirmed goes out by email and sms; grace@example.com has no phone.
    sent = client.send("order.confirmed", to=["ada@example.com", "grace@example.com"], payload={"order_id": 1})
    assert sent.success
    assert [e.code for e in sent.errors] == ["MISSING_IDENTIFIER"]
    assert all(isinstance(e, sendivent.SendError) and e.message for e in sent.errors)
    assert sorted(d.channel for d in sent.deliveries) == ["email", "email", "sms"]
    assert {d.uuid for d in sent.deliveries} == {d["uuid"] for d in mock.state()["deliveries"]}
    assert sent.to_dict()["errors"] == [e.to_dict() for e in sent.errors]


def test_failed_send_raises_with_the_errors_list(client: Sendivent) -> None:
    with pytest.raises(sendivent.SendFailedError) as info:
        client.send("order.confirmed", to="grace@example.com", channel="sms")
    err = info.value
    assert err.code == "SEND_FAILED" and err.status == 400
    assert err.errors[0].code == "MISSING_IDENTIFIER"
    assert err.request_id and err.response is not None and err.response.status == 400
    with pytest.raises(sendivent.SendFailedError) as info:
        client.send("no.such.event", to="ada@example.com")
    assert info.value.errors[0].code == "EVENT_NOT_FOUND" and info.value.status == 404


def test_client_side_validation_fails_before_sending(client: Sendivent, mock: Mock) -> None:
    with pytest.raises(sendivent.InvalidEmailError) as e1:
        client.send("user.welcome", to="ada@")
    with pytest.raises(sendivent.InvalidPhoneError) as e2:
        client.send("otp.requested", to="070-123 45 67")
    assert "country code" in e2.value.message
    with pytest.raises(sendivent.ValidationError) as e3:
        client.send("user.welcome", to=[])
    assert (e1.value.code, e2.value.code, e3.value.code) == ("INVALID_EMAIL", "INVALID_PHONE", "VALIDATION_ERROR")
    assert isinstance(e1.value, ValueError) and isinstance(e1.value, sendivent.ValidationError)
    assert mock.state()["counts"]["requests"] == 0


def test_caller_idempotency_key_replays_instead_of_sending_twice(client: Sendivent, mock: Mock) -> None:
    first = client.send("invoice.due", to="ada@example.com", idempotency_key="invoice-77")
    second = client.send("invoice.due", to="ada@example.com", idempotency_key="invoice-77")
    assert second.last_response is not None and second.last_response.idempotent_replay
    assert first.last_response is not None and not first.last_response.idempotent_replay
    assert first.deliveries == second.deliveries
    state = mock.state()
    assert state["counts"]["sends"] == 1 and state["counts"]["replays"] == 1
    with pytest.raises(sendivent.ConflictError):
        client.send("invoice.due", to="grace@example.com", idempotency_key="invoice-77")


def test_send_many_returns_results_and_errors_in_order(client: Sendivent, mock: Mock) -> None:
    items = [{"event": "invoice.due", "to": f"user{i}@example.com", "payload": {"n": i}} for i in range(10)]
    items.insert(3, {"event": "no.such.event", "to": "ada@example.com"})
    results = client.send_many(items, concurrency=4)
    assert len(results) == 11
    assert isinstance(results[3], sendivent.SendFailedError)
    ok = [r for r in results if isinstance(r, sendivent.SendResponse)]
    assert len(ok) == 10
    assert len({r.last_response.idempotency_key for r in ok if r.last_response}) == 10
    assert mock.state()["counts"]["deliveries"] == 10
    with pytest.raises(TypeError):
        client.send_many([{"event": "x", "bogus": 1}])


# ------------------------------------------------------------------------------------------
# Contacts, events, deliveries, integrations, webhooks
# ------------------------------------------------------------------------------------------


def test_contacts_crud_and_push_tokens(client: Sendivent) -> None:
    created = client.contacts.create(email="Linus@Example.com", name="Linus", external_id="u-9", tier="pro")
    assert created.email == "Linus@example.com" and created.external_id == "u-9" and created.meta == {"tier": "pro"}
    assert created.last_response is not None and created.last_response.status == 201
    assert client.contacts.get("u-9") == created
    updated = client.contacts.update("u-9", phone="+46 70 999 88 77", plan="team")
    assert updated.phone == "+46709998877" and updated.meta == {"tier": "pro", "plan": "team"}
    assert client.contacts.get("+46709998877").uuid == created.uuid
    assert client.contacts.add_push_token(created.uuid, "ExponentPushToken[abc]").success
    assert client.contacts.get(created.uuid).push_tokens == ["ExponentPushToken[abc]"]
    assert client.contacts.remove_push_token(created.uuid, "ExponentPushToken[abc]").success
    with pytest.raises(sendivent.ConflictError):
        client.contacts.create(email="linus@example.com")
    assert client.contacts.delete("u-9").deleted
    with pytest.raises(sendivent.NotFoundError) as info:
        client.contacts.get("u-9")
    assert info.value.status == 404 and info.value.code == "NOT_FOUND"


def test_contacts_list_search_and_auto_pagination(client: Sendivent) -> None:
    for i in range(7):
        client.contacts.create(email=f"page{i}@example.com", name=f"Page {i}")
    page = client.contacts.list(limit=3, offset=0, search="page")
    assert (len(page), page.total, page.limit) == (3, 7, 3)
    everyone = list(client.contacts.list_all(search="page", limit=3))
    assert [c.email for c in everyone] == [f"page{i}@example.com" for i in range(7)]
    assert len(list(client.contacts.list_all())) == 9
    with pytest.raises(sendivent.ValidationError):
        client.contacts.list(limit=500)


def test_events(client: Sendivent) -> None:
    events = client.events.list()
    assert "user.welcome" in [e.identifier for e in events]
    welcome = client.events.get("user.welcome")
    assert welcome.channels == ["email", "slack"]
    assert {(t.channel, t.language) for t in welcome.templates} >= {("email", "en"), ("email", "sv")}
    with pytest.raises(sendivent.NotFoundError):
        client.events.get("nope")


def test_deliveries_filters_trace_and_pagination(client: Sendivent) -> None:
    client.send("invoice.due", to=["a@fail.example", "b@example.com", "c@example.com"])
    import time

    deadline = time.time() + 5
    while time.time() < deadline:
        failed = client.deliveries.list(status="failed")
        if failed.total == 1:
            break
        time.sleep(0.05)
    assert failed.deliveries[0].recipient == "a@fail.example" and failed.deliveries[0].error
    assert client.deliveries.list(event="invoice.due", channel="email").total == 3
    assert len(list(client.deliveries.list_all(limit=1))) == 3
    trace = client.deliveries.trace(failed.deliveries[0].uuid)
    assert next(t.event for t in trace.timeline) == "queued" and trace.timeline[-1].event == "failed"
    with pytest.raises(sendivent.BadRequestError):
        client.deliveries.list(status="exploded")


def test_integrations(client: Sendivent) -> None:
    assert [i.channel for i in client.integrations.list()] == ["email", "sms", "slack", "push"]
    only = client.integrations.list(channel="sms")
    assert [(i.channel, i.provider) for i in only] == [("sms", "cellsynt")]


def test_webhook_endpoint_crud(client: Sendivent) -> None:
    with pytest.raises(sendivent.NotFoundError):
        client.webhooks.get()
    created = client.webhooks.create(url="http://127.0.0.1:9/hook", enabled_events=["delivery.sent"], description="d")
    assert created.signing_secret and created.signing_secret.startswith("whsec_")
    assert created.signing_secret not in repr(created)
    with pytest.raises(sendivent.ConflictError):
        client.webhooks.create(url="http://127.0.0.1:9/other", enabled_events=["delivery.sent"])
    updated = client.webhooks.update(created.uuid, is_active=False, enabled_events=["delivery.failed"])
    assert (updated.is_active, updated.enabled_events) == (False, ["delivery.failed"])
    assert client.webhooks.get().uuid == created.uuid
    assert client.webhooks.delete(created.uuid).deleted
    with pytest.raises(sendivent.ValidationError):
        client.webhooks.create(url="http://127.0.0.1:9/hook", enabled_events=[])


# ------------------------------------------------------------------------------------------
# Client behaviour
# ------------------------------------------------------------------------------------------


def test_construction_errors_and_repr_never_show_the_key(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SENDIVENT_API_KEY", raising=False)
    monkeypatch.delenv("SENDIVENT_BASE_URL", raising=False)
    with pytest.raises(sendivent.ConfigurationError) as info:
        Sendivent()
    assert info.value.code == "MISSING_API_KEY"
    with pytest.raises(sendivent.ConfigurationError) as info:
        Sendivent("sk_live_abcdefghijklmnop")
    assert info.value.code == "INVALID_API_KEY" and "abcdefgh" not in str(info.value)
    with pytest.raises(sendivent.ConfigurationError) as info:
        Sendivent(API_KEY, base_url="http://mock.internal:8080")
    assert info.value.code == "INSECURE_BASE_URL"
    assert Sendivent(API_KEY, base_url="http://mock.internal:8080", allow_insecure_http=True)
    monkeypatch.setenv("SENDIVENT_API_KEY", "live_secretsecretsecret1234")
    monkeypatch.setenv("SENDIVENT_BASE_URL", mock.url)
    client = Sendivent()
    assert client.key_mode == "live" and client.base_url.startswith(mock.url)
    assert "secret" not in repr(client)
    assert client.events.list()


def test_base_url_path_prefix_is_kept(mock: Mock) -> None:
    with (
        Sendivent("live_k", base_url=mock.url + "/nothing-here") as other,
        pytest.raises(sendivent.NotFoundError) as info,
    ):
        other.events.list()
    assert info.value.status == 404


def test_with_options_and_closed_client(client: Sendivent, mock: Mock) -> None:
    mock.faults(latency_ms=300)
    with pytest.raises(sendivent.APITimeoutError) as info:
        client.with_options(timeout=0.05, max_retries=0).events.list()
    assert info.value.code == "TIMEOUT" and isinstance(info.value, sendivent.APIConnectionError)
    mock.faults(latency_ms=0)
    assert client.with_options(extra_headers={"X-Trace": "1"}).events.list()
    client.close()
    with pytest.raises(sendivent.SendiventError):
        client.events.list()


def test_connection_error() -> None:
    with (
        Sendivent(API_KEY, base_url="http://127.0.0.1:9", max_retries=1) as client,
        pytest.raises(sendivent.APIConnectionError) as info,
    ):
        client.events.list()
    assert info.value.code == "CONNECTION_ERROR"


def test_logging_routes_to_the_sendivent_logger(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with caplog.at_level(logging.DEBUG, logger="sendivent"), Sendivent(API_KEY, base_url=mock.url) as client:
        client.events.list()
    records = [r for r in caplog.records if r.name == "sendivent"]
    assert any("GET /v1/events" in r.getMessage() and "status=200" in r.getMessage() for r in records)
    assert all(API_KEY not in r.getMessage() for r in records)


def test_log_level_option_and_sendivent_log(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    import logging
    import os
    import subprocess
    import sys

    with caplog.at_level(logging.DEBUG, logger="sendivent"):
        with Sendivent(API_KEY, base_url=mock.url, log_level="off") as client:
            client.events.list()
        with Sendivent(API_KEY, base_url=mock.url, log_level="info") as client:
            client.events.list()  # info logs final failures only
            with pytest.raises(sendivent.NotFoundError):
                client.contacts.get("nobody@example.com")
    records = [r for r in caplog.records if r.name == "sendivent"]
    assert len(records) == 1 and records[0].levelno == logging.INFO and "status=404" in records[0].getMessage()
    with pytest.raises(sendivent.ValidationError) as info:
        Sendivent(API_KEY, base_url=mock.url, log_level="loud")
    assert info.value.code == "INVALID_ARGUMENT"
    # SENDIVENT_LOG, read by the core, gets a stderr handler when logging is not configured.
    code = "import sendivent; sendivent.Sendivent().events.list()"
    env = dict(os.environ, SENDIVENT_LOG="debug", SENDIVENT_API_KEY=API_KEY, SENDIVENT_BASE_URL=mock.url)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "DEBUG sendivent GET /v1/events attempt=1 status=200" in out.stderr and API_KEY not in out.stderr


# ------------------------------------------------------------------------------------------
# Async client: the same surface
# ------------------------------------------------------------------------------------------


def test_async_client_covers_every_endpoint(mock: Mock) -> None:
    async def main() -> None:
        async with AsyncSendivent(API_KEY, base_url=mock.url) as client:
            sent = await client.send("user.welcome", to="ada@example.com", payload={"message": "x"})
            assert len(sent.deliveries) == 2 and sent.last_response is not None
            assert (await client.deliveries.trace(sent.deliveries[0].uuid)).delivery.uuid == sent.deliveries[0].uuid
            assert len((await client.deliveries.list()).deliveries) == 2
            assert [d.uuid async for d in client.deliveries.list_all(limit=1)]
            created = await client.contacts.create(email="async@example.com", name="A")
            assert (await client.contacts.get("async@example.com")) == created
            assert (await client.contacts.update(created.uuid, name="B")).name == "B"
            assert (await client.contacts.add_push_token(created.uuid, "tok")).success
            assert (await client.contacts.remove_push_token(created.uuid, "tok")).success
            assert (await client.contacts.list(limit=1)).total == 3
            assert len([c async for c in client.contacts.list_all(limit=2)]) == 3
            assert (await client.contacts.delete(created.uuid)).deleted
            assert len(await client.events.list()) == 6
            assert (await client.events.get("team.alert")).channels == ["slack"]
            assert len(await client.integrations.list()) == 4
            hook = await client.webhooks.create(url="http://127.0.0.1:9/h", enabled_events=["delivery.sent"])
            assert (await client.webhooks.get()).uuid == hook.uuid
            assert not (await client.webhooks.update(hook.uuid, is_active=False)).is_active
            assert (await client.webhooks.delete(hook.uuid)).deleted
            results = await client.send_many([{"event": "invoice.due", "to": f"m{i}@example.com"} for i in range(5)])
            assert all(isinstance(r, sendivent.SendResponse) for r in results)
            partial = await client.send("order.confirmed", to=["ada@example.com", "grace@example.com"])
            assert partial.success and [e.code for e in partial.errors] == ["MISSING_IDENTIFIER"]
            assert sorted(d.channel for d in partial.deliveries) == ["email", "email", "sms"]
            with pytest.raises(sendivent.SendFailedError):
                await client.send("order.confirmed", to="grace@example.com", channel="sms")
            with pytest.raises(sendivent.NotFoundError):
                await client.contacts.get("nobody@example.com")

    run(main())


def test_async_concurrent_sends_and_cancellation(mock: Mock) -> None:
    async def main() -> None:
        client = AsyncSendivent(API_KEY, base_url=mock.url)
        results = await asyncio.gather(*(client.send("invoice.due", to=f"c{i}@example.com") for i in range(50)))
        assert len({r.deliveries[0].uuid for r in results}) == 50
        mock.faults(latency_ms=2000)
        task = asyncio.ensure_future(client.events.list())
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.events.list(), timeout=0.1)
        mock.faults(latency_ms=0)
        assert await client.events.list()
        await client.close()

    run(main())
