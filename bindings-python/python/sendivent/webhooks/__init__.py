"""Receiving the webhooks Sendivent sends: verification, replay protection, framework adapters,
and signing for your tests.

Sendivent signs webhooks with the `Standard Webhooks <https://www.standardwebhooks.com/>`_
headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``. Verify with the **raw**
request body (bytes or str) and the request's headers, in any form a framework offers::

    from sendivent import webhooks

    guard = webhooks.ReplayGuard()  # once per process; ReplayGuard.redis(url) across processes
    # Flask
    event = webhooks.verify(request.get_data(), request.headers, secret, replay_guard=guard)
    # FastAPI / Starlette
    event = webhooks.verify(await request.body(), request.headers, secret, replay_guard=guard)
    # Django
    event = webhooks.verify(request.body, request.headers, secret, replay_guard=guard)

    if event.event == "delivery.failed":
        print(event.delivery.uuid, event.delivery.error)

The adapters do the same for you: :mod:`sendivent.webhooks.fastapi` (a dependency),
:mod:`sendivent.webhooks.flask` and :mod:`sendivent.webhooks.django` (view decorators).

Every header pair the headers object holds is handed to the core, repeated headers included.
Failures raise :class:`sendivent.WebhookVerificationError` whose ``reason`` names the check
(``missing_header``, ``timestamp_too_old``, ``no_matching_signature``, ``body_not_raw``, …); a
delivery the replay guard saw before raises :class:`sendivent.WebhookDuplicateError` (answer it
2xx and do not handle it again), and a replay store that fails raises
:class:`sendivent.ReplayStoreError` (answer 5xx so Sendivent retries). Verification, the replay
guard and signing all run in the Rust core.
"""

from __future__ import annotations

import uuid as _uuid
from typing import Any, Dict, Mapping, NamedTuple, Optional, Protocol, Sequence, Tuple, Union

from .. import _native
from .._models import Verified, WebhookDelivery, WebhookEvent
from .._native import ReplayGuard

__all__ = [
    "verify",
    "verify_signature",
    "Webhook",
    "ReplayGuard",
    "ReplayStore",
    "Verified",
    "WebhookEvent",
    "WebhookDelivery",
    "sign",
    "sign_headers",
    "sign_event",
    "SignedDelivery",
]

#: A raw request body.
Body = Union[bytes, bytearray, memoryview, str]
#: Request headers: a dict, a framework headers object, Django's ``request.META``, or a list of
#: ``(name, value)`` pairs (str or bytes).
Headers = Union[Mapping[str, Any], Sequence[Tuple[Any, Any]], Any]
#: One ``whsec_…`` secret, or several while rotating.
Secrets = Union[str, Sequence[str]]


class ReplayStore(Protocol):
    """What :meth:`ReplayGuard.custom` takes: your own store of webhook ids (a database table, a
    key-value store), or just its ``insert_if_absent`` as a callable."""

    def insert_if_absent(self, key: str, ttl_seconds: float) -> bool:
        """Records ``key`` for ``ttl_seconds`` unless it is recorded: ``True`` when it was not
        (the webhook is new), ``False`` when it was (a redelivery). Must be atomic: of concurrent
        calls with one key, exactly one returns ``True``. Raise when the store cannot be reached:
        the verification then raises :class:`sendivent.ReplayStoreError`."""
        ...


def verify(
    body: Body,
    headers: Headers,
    secret: Secrets,
    *,
    tolerance: Optional[float] = None,
    now: Optional[int] = None,
    skip_timestamp_check: bool = False,
    replay_guard: Optional[ReplayGuard] = None,
) -> WebhookEvent:
    """Verifies a webhook and returns the typed event.

    ``body`` is the raw request body (a parsed dict is refused with reason ``body_not_raw``);
    ``headers`` any headers object or a list of pairs; ``secret`` the ``whsec_…`` secret, or a
    list of secrets while rotating (each is parsed and keyed once per process). ``tolerance`` is
    in seconds either way (when not given, the core's default,
    ``sendivent._constants.DEFAULT_TOLERANCE``; 0 means exactly now and never turns the check
    off, ``skip_timestamp_check=True`` does that); ``now`` pins the clock (unix seconds).

    With ``replay_guard``, the event's ``webhook-id`` is recorded once it is verified, and a
    second delivery of it raises :class:`sendivent.WebhookDuplicateError`.

    ``event.verified`` tells which secret matched (``secret_index``, ``secret_fingerprint``).
    Raises :class:`sendivent.WebhookVerificationError`, :class:`sendivent.WebhookDuplicateError`,
    :class:`sendivent.ReplayStoreError`, or :class:`sendivent.ValidationError` for a tolerance
    out of its bounds.
    """
    return _native.verify(body, headers, secret, tolerance, now, skip_timestamp_check, replay_guard)


def verify_signature(
    body: Body,
    headers: Headers,
    secret: Secrets,
    *,
    tolerance: Optional[float] = None,
    now: Optional[int] = None,
    skip_timestamp_check: bool = False,
    replay_guard: Optional[ReplayGuard] = None,
) -> Verified:
    """Like :func:`verify`, without parsing the body: returns what was verified (the
    ``webhook-id``, the timestamp and which secret matched) or raises."""
    return _native.verify_signature(body, headers, secret, tolerance, now, skip_timestamp_check, replay_guard)


class Webhook:
    """A verifier holding one or more secrets, parsed and keyed once: ``Webhook(secret)``, or
    ``Webhook([new_secret, old_secret])`` while rotating."""

    def __init__(self, secret: Secrets) -> None:
        self._verifier = _native.NativeVerifier(secret)

    def verify(
        self,
        body: Body,
        headers: Headers,
        *,
        tolerance: Optional[float] = None,
        now: Optional[int] = None,
        skip_timestamp_check: bool = False,
        replay_guard: Optional[ReplayGuard] = None,
    ) -> WebhookEvent:
        """Verifies a webhook and returns the typed event (see :func:`verify`)."""
        return self._verifier.verify(body, headers, tolerance, now, skip_timestamp_check, replay_guard)

    def verify_signature(
        self,
        body: Body,
        headers: Headers,
        *,
        tolerance: Optional[float] = None,
        now: Optional[int] = None,
        skip_timestamp_check: bool = False,
        replay_guard: Optional[ReplayGuard] = None,
    ) -> Verified:
        """Verifies the signature only (see :func:`verify_signature`)."""
        return self._verifier.verify_signature(body, headers, tolerance, now, skip_timestamp_check, replay_guard)

    def __repr__(self) -> str:
        return f"Webhook({self._verifier!r})"


def sign(body: Body, secret: str, *, msg_id: str, timestamp: int) -> str:
    """The ``webhook-signature`` value Sendivent would send for ``body`` (``v1,<base64>``)."""
    return _native.sign(secret, msg_id, timestamp, body)


def _msg_id(msg_id: Optional[str]) -> str:
    return msg_id if msg_id is not None else f"msg_{_uuid.uuid4().hex}"


def _timestamp(timestamp: Optional[int]) -> int:
    return timestamp if timestamp is not None else _native.unix_now()


def sign_headers(
    body: Body, secret: str, *, msg_id: Optional[str] = None, timestamp: Optional[int] = None
) -> Dict[str, str]:
    """Signs ``body`` and returns the three headers, for testing your webhook receiver::

        headers = webhooks.sign_headers(body, secret)
        response = test_client.post("/webhooks/sendivent", content=body, headers=headers)

    ``msg_id`` defaults to a fresh ``msg_…`` id and ``timestamp`` to now; pass both (and
    ``now=`` to :func:`verify`) for a fixed clock. The same ``msg_id`` twice is a redelivery.
    """
    return _native.sign_headers(secret, _msg_id(msg_id), _timestamp(timestamp), body)


class SignedDelivery(NamedTuple):
    """A webhook delivery as Sendivent would POST it: the raw body and the three headers."""

    body: bytes
    """The event encoded exactly as Sendivent sends it (compact JSON)."""
    headers: Dict[str, str]
    """``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``."""


def sign_event(
    event: Union[WebhookEvent, Mapping[str, Any]],
    secret: str,
    *,
    msg_id: Optional[str] = None,
    timestamp: Optional[int] = None,
) -> SignedDelivery:
    """A signed delivery of ``event`` for testing your endpoint end to end: the body Sendivent
    would send for it and its headers. ``event`` is a :class:`WebhookEvent` or a dict in its
    shape::

        body, headers = webhooks.sign_event(
            {"event": "delivery.failed",
             "delivery": {"uuid": "d-1", "channel": "email", "status": "failed", "error": "mailbox full"}},
            secret,
        )
        assert test_client.post("/webhooks/sendivent", content=body, headers=headers).status_code == 204

    ``msg_id`` defaults to a fresh id and ``timestamp`` to now; sign the same ``msg_id`` again to
    test that a redelivery is not handled twice. A dict that is not a webhook event raises
    :class:`sendivent.WebhookVerificationError` (``invalid_payload``).
    """
    body, headers = _native.sign_event(secret, _msg_id(msg_id), _timestamp(timestamp), event)
    return SignedDelivery(body, headers)


def _unix_now() -> int:
    """The current unix time in seconds (the core's clock)."""
    return _native.unix_now()
