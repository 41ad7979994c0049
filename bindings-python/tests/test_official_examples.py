"""Compatibility with the API's official SDKs (docs/contract.md §3): every send of the documented
examples of the Node package `@appitude/sendivent` 0.2.1 (README.md, example.ts) and the PHP
package `sendivent/sdk` (README.md, example.php), written with the Python client, against
sendivent-mock running the application of those examples
(`tests/mock-server/fixtures/official-examples.json`), each checked for its documented effect:
the contact fields stored, the channels reached, and the content in the delivery's trace. The
Rust suite sends the same bodies as those SDKs do (`tests/mock-server/tests/official_examples.rs`).

Two examples cannot have their documented effect under docs/contract.md §2, as there: the
placeholder phone `+1234567890` is not a possible +1 number (the Python client refuses it before
sending), and the READMEs' `U12345` is too short to be a Slack user id (it is an external id).
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from conftest import Mock

import sendivent
from sendivent import Sendivent, SendResponse

#: A possible +1 number, for the examples whose placeholder `+1234567890` is not one.
REAL_PHONE = "+14155552671"
PLACEHOLDER_PHONE = "+1234567890"


@pytest.fixture
def client(official_mock: Mock) -> Any:
    with Sendivent("test_your_api_key_here", base_url=official_mock.url) as c:
        yield c


def channels(sent: SendResponse) -> List[str]:
    return [d.channel for d in sent.deliveries]


def content(client: Sendivent, sent: SendResponse, channel: str) -> Dict[str, Any]:
    """The rendered content snapshot of the send's delivery on `channel`."""
    uuid = next(d.uuid for d in sent.deliveries if d.channel == channel)
    snapshot = client.deliveries.trace(uuid).content
    assert isinstance(snapshot, dict)
    return snapshot


def contacts(mock: Mock) -> int:
    count: int = mock.state()["contacts"]
    return count


def test_quick_start_email_is_detected_and_becomes_a_contact(client: Sendivent, official_mock: Mock) -> None:
    """Node README "Quick Start", "Response Object", "Fire-and-Forget"; PHP README "Quick Start";
    example.ts / example.php 1 (email detected)."""
    sent = client.send("welcome", to="user@example.com", payload={"name": "John Doe"})
    assert sent.success and channels(sent) == ["email"]
    snapshot = content(client, sent, "email")
    assert (snapshot["to"], snapshot["subject"]) == ("user@example.com", "Welcome, John Doe")
    assert client.contacts.get("user@example.com").email == "user@example.com"
    assert contacts(official_mock) == 1


@pytest.mark.parametrize(
    ("event", "channel", "payload"),
    [
        ("verification-code", None, {"code": "123456"}),
        ("sms-code", None, {"code": "123456"}),
        ("verification-code", "sms", {"code": "123456"}),
        ("urgent-alert", "sms", {"alert": "Your account requires attention"}),
    ],
)
def test_phones_are_detected_but_the_placeholder_number_is_refused_before_sending(
    client: Sendivent, official_mock: Mock, event: str, channel: Any, payload: Dict[str, str]
) -> None:
    """example 1 (phone detected), the READMEs' `sms-code` and "Channel-Specific Sending",
    example 5 `urgent-alert` forced to SMS."""
    with pytest.raises(sendivent.InvalidPhoneError) as info:
        client.send(event, channel=channel, to=PLACEHOLDER_PHONE, payload=payload)
    assert "10 digits" in str(info.value)
    assert official_mock.state()["counts"]["requests"] == 0, "refused before anything is sent"
    sent = client.send(event, channel=channel, to=REAL_PHONE, payload=payload)
    assert channels(sent) == ["sms"], "forced to SMS although the event also has email"
    snapshot = content(client, sent, "sms")
    assert snapshot["to"] == REAL_PHONE and next(iter(payload.values())) in snapshot["body"]
    assert contacts(official_mock) == 1


def test_a_slack_user_id_gets_a_direct_message_without_a_contact(client: Sendivent, official_mock: Mock) -> None:
    """example.ts / example.php 1 (Slack user id detected); the READMEs' `alert` to `U12345`."""
    sent = client.send("dm-notification", to="U12345ABCDE", payload={"message": "You have a new message"})
    assert channels(sent) == ["slack"]
    uuid = sent.deliveries[0].uuid
    trace = client.deliveries.trace(uuid)
    assert trace.content == {**trace.content, "to": "U12345ABCDE", "body": "You have a new message"}
    assert trace.delivery.contact_uuid is None and contacts(official_mock) == 0
    with pytest.raises(sendivent.NotFoundError):
        client.contacts.get("U12345ABCDE")
    # `U12345` is too short for a Slack user id: an external id, with no Slack id to use.
    with pytest.raises(sendivent.SendFailedError) as info:
        client.send("alert", to="U12345", payload={})
    assert [e.code for e in info.value.errors] == ["MISSING_IDENTIFIER"]
    assert client.contacts.get("U12345").external_id == "U12345"


def test_rich_contact_objects_store_id_as_external_id_and_merge_meta(client: Sendivent, official_mock: Mock) -> None:
    """example 2 "Rich Contact Objects" (`order-confirmation`) and the READMEs' contact object."""

    def order(phone: str) -> Dict[str, Any]:
        return {
            "id": "user-12345",
            "email": "customer@example.com",
            "phone": phone,
            "name": "Jane Smith",
            "avatar": "https://example.com/avatar.jpg",
            "meta": {"tier": "premium", "timezone": "America/New_York"},
        }

    payload = {
        "order_id": "ORD-98765",
        "total": 99.99,
        "items": [{"name": "Product A", "qty": 2}, {"name": "Product B", "qty": 1}],
    }
    with pytest.raises(sendivent.InvalidPhoneError):
        client.send("order-confirmation", to=order(PLACEHOLDER_PHONE), payload=payload)
    assert contacts(official_mock) == 0, "an invalid contact is not stored"
    sent = client.send("order-confirmation", to=order(REAL_PHONE), payload=payload)
    assert channels(sent) == ["email", "sms"]
    jane = client.contacts.get("user-12345")
    assert (jane.external_id, jane.email, jane.phone, jane.name, jane.avatar) == (
        "user-12345",
        "customer@example.com",
        REAL_PHONE,
        "Jane Smith",
        "https://example.com/avatar.jpg",
    )
    assert jane.meta == {"tier": "premium", "timezone": "America/New_York"}, "no meta.id"
    assert content(client, sent, "email")["body"] == "Thanks Jane Smith (premium, America/New_York): 99.99"
    assert content(client, sent, "sms")["to"] == REAL_PHONE

    readme = {
        "id": "user-777",
        "email": "user@example.com",
        "phone": "+14155552672",
        "name": "John Doe",
        "avatar": "https://example.com/avatar.jpg",
        "meta": {"tier": "premium"},
    }
    sent = client.send("welcome", to=readme, payload={"welcome_message": "Hello!"})
    assert content(client, sent, "email")["body"] == "Hi John Doe! Hello! Plan: premium."
    john = client.contacts.get("user-777")
    assert (john.external_id, john.meta) == ("user-777", {"tier": "premium"})


def test_broadcast_mode_reaches_the_events_listeners(client: Sendivent, official_mock: Mock) -> None:
    """example 3 and the READMEs' "Broadcast Events": no `to`."""
    sent = client.send(
        "system-alert",
        payload={"severity": "high", "message": "Database backup completed", "timestamp": 1_767_225_600_000},
    )
    assert channels(sent) == ["slack"]
    snapshot = content(client, sent, "slack")
    assert (snapshot["to"], snapshot["body"]) == ("#ops-alerts", "[high] Database backup completed")
    assert contacts(official_mock) == 0


def test_slack_channel_broadcasts_by_name_or_id_create_no_contact(client: Sendivent, official_mock: Mock) -> None:
    """example 4 "Slack Channel Broadcasting" and the READMEs' `system-alert` to `#general`."""
    for to in ("#general", "C01234ABCDE"):
        assert sendivent.resolve_identifier(to, "slack").kind == "slack_channel"
        sent = client.send(
            "team-announcement",
            channel="slack",
            to=to,
            payload={"title": "Weekly Update", "message": "New features released!"},
        )
        assert channels(sent) == ["slack"]
        trace = client.deliveries.trace(sent.deliveries[0].uuid)
        assert trace.content["to"] == to and trace.content["body"] == "*Weekly Update*: New features released!"
        assert trace.delivery.contact_uuid is None
    sent = client.send("system-alert", channel="slack", to="#general", payload={"message": "System update"})
    assert content(client, sent, "slack")["to"] == "#general"
    assert contacts(official_mock) == 0
    # Without the slack channel a bare `C…` is ambiguous: it stays an external id.
    assert sendivent.resolve_identifier("C01234ABCDE").kind == "external_id"
    with pytest.raises(sendivent.SendFailedError) as info:
        client.send("team-announcement", to="C01234ABCDE", payload={})
    assert [e.code for e in info.value.errors] == ["MISSING_IDENTIFIER"]
    assert client.contacts.get("C01234ABCDE").external_id == "C01234ABCDE"


def test_a_path_channel_sends_on_that_channel_only(client: Sendivent) -> None:
    """example 5 "Force Email" on an email + slack event."""
    sent = client.send(
        "monthly-report",
        channel="email",
        to="manager@example.com",
        payload={"month": "January", "revenue": 125_000, "growth": 15.5},
    )
    assert channels(sent) == ["email"] and sent.errors == [], "slack is not attempted"
    snapshot = content(client, sent, "email")
    assert (snapshot["subject"], snapshot["body"]) == ("Report for January", "Revenue 125000, growth 15.5%")


def test_multiple_recipients_each_get_their_own_rendering(client: Sendivent) -> None:
    """example 6 "Multiple Recipients" and the READMEs' "Multiple recipients"."""
    sent = client.send(
        "newsletter",
        to=[
            "subscriber1@example.com",
            "subscriber2@example.com",
            {"email": "vip@example.com", "name": "VIP Customer", "meta": {"tier": "platinum"}},
        ],
        payload={"subject": "Monthly Newsletter", "featured_article": "Top 10 Features You Might Have Missed"},
    )
    assert len(sent.deliveries) == 3
    vip = client.deliveries.trace(sent.deliveries[2].uuid).content
    assert (vip["to"], vip["subject"], vip["body"]) == (
        "vip@example.com",
        "Monthly Newsletter",
        "Hi VIP Customer (platinum). Top 10 Features You Might Have Missed",
    )
    first = client.deliveries.trace(sent.deliveries[0].uuid).content
    assert first["body"] == "Hi reader (standard). Top 10 Features You Might Have Missed"
    assert client.contacts.get("vip@example.com").meta == {"tier": "platinum"}

    sent = client.send(
        "newsletter",
        to=["user1@example.com", {"id": "user-456", "email": "user2@example.com", "name": "Jane"}],
        payload={"subject": "Newsletter"},
    )
    assert len(sent.deliveries) == 2
    jane = client.contacts.get("user-456")
    assert (jane.email, jane.name, jane.meta) == ("user2@example.com", "Jane", {})


def test_language_selection_falls_back_to_the_default_language(client: Sendivent) -> None:
    """example 7 and the READMEs' "Language Selection"."""
    sent = client.send("welcome", to="anders@example.com", payload={"name": "Anders"}, language="sv")
    snapshot = content(client, sent, "email")
    assert (snapshot["subject"], snapshot["language"]) == ("Välkommen, Anders", "sv")
    sent = client.send(
        "password-reset",
        to="maria@example.com",
        payload={"reset_link": "https://app.example.com/reset/xyz"},
        language="es",
    )
    snapshot = content(client, sent, "email")
    assert (snapshot["language"], snapshot["body"]) == ("en", "Reset: https://app.example.com/reset/xyz")


def test_template_overrides_and_senders_show_in_the_content_snapshot(client: Sendivent) -> None:
    """example 8 "Template Overrides" and the READMEs' version; `from_` as a string or a contact."""
    sent = client.send(
        "invoice",
        to="customer@example.com",
        payload={"invoice_number": "INV-2024-001", "amount": 499.99},
        overrides={
            "subject": "URGENT: Invoice Due",
            "from_email": "billing@example.com",
            "from_name": "Billing Department",
        },
    )
    snapshot = content(client, sent, "email")
    assert snapshot["subject"] == "URGENT: Invoice Due"
    assert snapshot["from"] == "Billing Department <billing@example.com>"
    assert snapshot["body"] == "Amount due: 499.99. -- Billing Department", "{{sender.name}} follows the override"

    sent = client.send(
        "invoice",
        to="user@example.com",
        payload={"amount": 100},
        overrides={"subject": "Custom Subject", "from_email": "billing@company.com"},
    )
    snapshot = content(client, sent, "email")
    assert (snapshot["subject"], snapshot["from"]) == ("Custom Subject", "billing@company.com")
    sent = client.send("invoice", to="user@example.com", payload={"invoice_number": "7"})
    snapshot = content(client, sent, "email")
    assert (snapshot["subject"], snapshot["from"]) == ("Invoice 7", "Example Notifications <notifications@example.com>")
    with pytest.raises(sendivent.SendFailedError) as info:
        client.send("invoice", to="user@example.com", overrides={"from_email": "ceo@elsewhere.example"})
    assert [e.code for e in info.value.errors] == ["UNVERIFIED_SENDER"]

    sent = client.send("invoice", to="user@example.com", from_="billing@example.com", payload={"amount": 1})
    assert content(client, sent, "email")["from"] == "billing@example.com"
    sent = client.send(
        "invoice",
        to="user@example.com",
        from_={"email": "Billing@Example.COM", "name": "Billing"},
        payload={"amount": 2},
    )
    assert content(client, sent, "email")["from"] == "Billing <Billing@example.com>"


def test_the_same_idempotency_key_does_not_send_twice(client: Sendivent, official_mock: Mock) -> None:
    """example 9 "Idempotency" and the READMEs' version."""
    answers = [
        client.send(
            "order-confirmation",
            to="customer@example.com",
            payload={"order_id": "ORD-12345", "total": 299.99},
            idempotency_key="order-ORD-12345-confirmation",
        )
        for _ in range(2)
    ]
    metas = [a.last_response for a in answers]
    assert metas[0] is not None and metas[1] is not None
    assert (metas[0].idempotent_replay, metas[1].idempotent_replay) == (False, True)
    assert answers[1] == answers[0]
    # The customer has an email but no phone: email sent, sms reported.
    assert channels(answers[0]) == ["email"] and [e.code for e in answers[0].errors] == ["MISSING_IDENTIFIER"]
    state = official_mock.state()
    assert (state["counts"]["sends"], len(state["deliveries"])) == (1, 1)


def test_error_handling_reads_success_and_error(client: Sendivent) -> None:
    """example.ts 10 "Error Handling"."""
    sent = client.send("test-event", to="test@example.com", payload={"test": True})
    assert sent.success and content(client, sent, "email")["body"] == "test=true"
    with pytest.raises(sendivent.SendFailedError) as info:
        client.send("no-such-event", to="test@example.com", payload={})
    assert info.value.status == 404 and [e.code for e in info.value.errors] == ["EVENT_NOT_FOUND"]
    assert "no-such-event" in info.value.errors[0].message


def test_smart_fallback_reaches_a_slack_only_contact_through_slack(client: Sendivent, official_mock: Mock) -> None:
    """example.ts 11 / example.php 12 "Smart Fallback": `id` + `slack_id` only."""
    sent = client.send(
        "notification",
        to={"id": "user-789", "slack_id": "U98765ZYXWV", "name": "Bob"},
        payload={"message": "Your report is ready"},
    )
    assert sent.success and channels(sent) == ["slack"]
    assert [e.code for e in sent.errors] == ["MISSING_IDENTIFIER"], "the email it has none for is reported"
    snapshot = content(client, sent, "slack")
    assert (snapshot["to"], snapshot["body"]) == ("U98765ZYXWV", "Bob: Your report is ready")
    bob = client.contacts.get("U98765ZYXWV")
    assert (bob.external_id, bob.slack, bob.email, bob.meta) == ("user-789", "U98765ZYXWV", None, {})
    sent = client.send("notification", to={"id": "user-789", "email": "bob@example.com"}, payload={"message": "again"})
    assert channels(sent) == ["email", "slack"] and contacts(official_mock) == 1


def test_fire_and_forget_and_an_empty_payload(client: Sendivent, official_mock: Mock) -> None:
    """example.php 10 "Fire-and-Forget" (a plain send here: the Python client reads the answer)
    and the PHP SDK's send without a payload."""
    sent = client.send(
        "analytics-event",
        to="user@example.com",
        payload={"event": "page_view", "page": "/dashboard", "timestamp": 1_767_225_600},
    )
    assert channels(sent) == ["email"] and content(client, sent, "email")["body"] == "/dashboard"
    sent = client.send("test-event", to="test@example.com")
    assert content(client, sent, "email")["body"] == "test="
    assert official_mock.state()["counts"]["sends"] == 2
