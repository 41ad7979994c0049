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
        if name == "__version__" or not inspect.isclass(obj) and not callable(obj) or _is_alias(obj):
            continue  # the version string and the type aliases (documented in the module)
        obj = getattr(sendivent, name)
        if not (getattr(obj, "__doc__", None) or "").strip():
            undocumented.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member) and not isinstance(member, property):
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
    for name in ("verify", "verify_signature", "sign", "sign_headers"):
        if not (getattr(sendivent.webhooks, name).__doc__ or "").strip():
            undocumented.append(f"webhooks.{name}")
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
        {"event": "delivery.rerouted", "delivery": {"uuid": "d", "channel": "fax", "status": "sent", "event_name": None,
         "message_id": None, "sent_at": None, "delivered_at": None, "error": None}, "request_id": None, "timestamp": None}
    )
    assert (event.event, event.delivery.channel) == ("delivery.rerouted", "fax")  # open sets keep new values


def test_identifier_values() -> None:
    ident = sendivent.resolve_identifier("  +46 70-123 45 67 ")
    assert (ident.value, ident.kind, str(ident)) == ("+46701234567", "phone", "+46701234567")
    assert ident == sendivent.resolve_identifier("+46701234567") and len({ident, ident}) == 1
