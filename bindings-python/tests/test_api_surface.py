"""The public surface: documented, lazily imported, consistent with the native module."""

from __future__ import annotations

import inspect
import subprocess
import sys
import typing

import sendivent
from sendivent import _constants, _native


def _is_alias(obj: object) -> bool:
    return typing.get_origin(obj) is not None or obj is typing.Any


def test_every_public_name_is_documented() -> None:
    undocumented = []
    for name in sendivent.__all__:
        obj = getattr(sendivent, name)
        if name == "__version__" or (not inspect.isclass(obj) and not callable(obj)) or _is_alias(obj):
            continue  # the version string and the type aliases (documented in the module)
        obj = getattr(sendivent, name)
        if not (getattr(obj, "__doc__", None) or "").strip():
            undocumented.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or (not callable(member) and not isinstance(member, property)):
                    continue
                if not (getattr(member, "__doc__", None) or "").strip():
                    undocumented.append(f"{name}.{attr}")
    for cls in (sendivent.Sendivent, sendivent.AsyncSendivent):
        client = cls("test_docs", base_url="http://127.0.0.1:9")
        for resource in ("contacts", "events", "deliveries", "integrations", "webhooks"):
            res = getattr(client, resource)
            for attr in dir(res):
                if not attr.startswith("_") and not (getattr(res, attr).__doc__ or "").strip():
                    undocumented.append(f"{cls.__name__}.{resource}.{attr}")
    for name in sendivent.webhooks.__all__:
        obj = getattr(sendivent.webhooks, name)
        if not (obj.__doc__ or "").strip():
            undocumented.append(f"webhooks.{name}")
        for attr, member in vars(obj).items() if inspect.isclass(obj) else ():
            public = not attr.startswith("_") and (callable(member) or isinstance(member, (property, staticmethod)))
            if public and not (getattr(member, "__doc__", None) or "").strip():
                undocumented.append(f"webhooks.{name}.{attr}")
    from sendivent.webhooks import django, fastapi, flask

    for adapter in (django, fastapi, flask):
        for obj in (adapter, adapter.verified_webhook):
            if not (obj.__doc__ or "").strip():
                undocumented.append(f"{adapter.__name__}.{getattr(obj, '__name__', '')}")
    assert not undocumented, undocumented


def test_version_matches_the_native_module() -> None:
    assert sendivent.__version__ == _native.__version__


def test_import_is_lazy() -> None:
    code = "import sys, sendivent; print('sendivent._native' in sys.modules, 'sendivent._client' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_client_options_are_the_descriptions() -> None:
    """The hand-written constructors and `with_options` take exactly the description's options."""
    for cls in (sendivent.Sendivent, sendivent.AsyncSendivent):
        params = list(inspect.signature(cls.__init__).parameters)[1:]
        assert tuple(params) == _constants.CLIENT_OPTIONS
        params = list(inspect.signature(cls.with_options).parameters)[1:]
        assert tuple(params) == _constants.REQUEST_OPTIONS
    client = sendivent.Sendivent("test_docs_0123456789", base_url="http://127.0.0.1:9")
    for method in (client.send, client.contacts.get, client.events.list, client.deliveries.list_all):
        params = inspect.signature(method).parameters
        assert all(params[name].kind is inspect.Parameter.KEYWORD_ONLY for name in _constants.REQUEST_OPTIONS)


def test_models_have_equality_to_dict_and_safe_repr() -> None:
    a = sendivent.Contact(uuid="u1", email="ada@example.com", meta={"tier": "gold"})
    b = sendivent.Contact(uuid="u1", email="ada@example.com", meta={"tier": "gold"})
    assert a == b and a != sendivent.Contact(uuid="u2")
    assert a.to_dict()["meta"] == {"tier": "gold"} and "last_response" not in a.to_dict()
    trace = sendivent.DeliveryTrace(
        delivery=sendivent.Delivery(uuid="d", channel="email", status="sent"),
        timeline=[sendivent.TimelineEntry(event="queued", timestamp="t")],
    )
    # The canonical JSON leaves an absent detail out.
    assert trace.to_dict()["timeline"] == [{"event": "queued", "timestamp": "t"}]
    assert sendivent.DeliveryTrace._from(trace.to_dict()) == trace
    hook = sendivent.WebhookConfig(uuid="w", url="https://x", signing_secret="whsec_abcdefghijklmnopqrstuvwxyz")
    assert "abcdefghijklmnop" not in repr(hook) and "whsec_…wxyz" in repr(hook)
    client = sendivent.Sendivent("live_0123456789abcdefSECRET", base_url="http://127.0.0.1:9")
    assert "0123456789" not in repr(client) and "live_…CRET" in repr(client)
    event = sendivent.WebhookEvent._from(
        {
            "event": "delivery.rerouted",
            "delivery": {
                "uuid": "d",
                "channel": "fax",
                "status": "sent",
                "event_name": None,
                "message_id": None,
                "sent_at": None,
                "delivered_at": None,
                "error": None,
            },
            "request_id": None,
            "timestamp": None,
        }
    )
    assert (event.event, event.delivery.channel) == ("delivery.rerouted", "fax")  # open sets keep new values


def test_identifier_values() -> None:
    ident = sendivent.resolve_identifier("  +46 70-123 45 67 ")
    assert (ident.value, ident.kind, str(ident)) == ("+46701234567", "phone", "+46701234567")
    assert ident == sendivent.resolve_identifier("+46701234567") and len({ident, ident}) == 1
    # With a channel, as a send to that channel resolves `to` (docs/contract.md §3).
    assert sendivent.resolve_identifier("C01234ABCDE", channel="slack").kind == "slack_channel"
    assert sendivent.resolve_identifier("C01234ABCDE", channel="email").kind == "external_id"
    assert sendivent.resolve_identifier("C01234ABCDE").kind == "external_id"
    assert sendivent.resolve_identifier("ada@example.com", "slack").kind == "email"


def test_send_arguments_keep_the_official_sdks_shapes() -> None:
    """Contacts, senders and overrides reach the core exactly as written: nothing in Python
    renames a key (the core normalises `id`, `external_id`, `slack_id` and nested `meta`)."""
    from sendivent._resources import _args_send

    to = [{"id": "u-1", "slack_id": "U98765ZYXWV", "meta": {"tier": "gold"}, "plan": "pro"}, "ada@example.com"]
    sender = {"email": "billing@example.com", "name": "Billing"}
    overrides = {"subject": "Hi", "from_email": "billing@example.com", "from_name": "Billing"}
    args = _args_send("welcome", channel="email", to=to, from_=sender, overrides=overrides, language="sv")
    assert args == {
        "event": "welcome",
        "channel": "email",
        "body": {"to": to, "from": sender, "overrides": overrides, "language": "sv"},
    }
    body = _native._prepare_send(args)
    assert body["to"][0] == {"externalId": "u-1", "slack": "U98765ZYXWV", "meta": {"tier": "gold"}, "plan": "pro"}
    assert (body["from"], body["overrides"], body["payload"]) == (sender, overrides, {})
    assert _native._prepare_send(_args_send("welcome", from_="billing@example.com"))["from"] == "billing@example.com"
