"""Verifying (and, for tests, signing) the webhooks Sendivent sends.

Sendivent signs webhooks with the `Standard Webhooks <https://www.standardwebhooks.com/>`_
headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``. Verify with the **raw**
request body (bytes or str) and the request's headers, in any form a framework offers::

    from sendivent import webhooks

    # Flask
    event = webhooks.verify(request.get_data(), request.headers, secret)
    # FastAPI / Starlette
    event = webhooks.verify(await request.body(), request.headers, secret)
    # Django
    event = webhooks.verify(request.body, request.headers, secret)

    if event.event == "delivery.failed":
        print(event.delivery.uuid, event.delivery.error)

Every header pair the headers object holds is handed to the core, repeated headers included.
Failures raise :class:`sendivent.WebhookVerificationError` whose ``reason`` names the check
(``missing_header``, ``timestamp_too_old``, ``no_matching_signature``, ``invalid_secret``, …).
Verification itself runs in the Rust core.
"""

from __future__ import annotations

import uuid as _uuid
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._models import WebhookDelivery, WebhookEvent

__all__ = ["verify", "verify_signature", "sign", "sign_headers", "Webhook", "WebhookEvent", "WebhookDelivery"]

#: A raw request body.
Body = Union[bytes, bytearray, memoryview, str]
#: Request headers: a dict, a framework headers object, Django's ``request.META``, or a list of
#: ``(name, value)`` pairs (str or bytes).
Headers = Union[Mapping[str, Any], Sequence[Tuple[Any, Any]], Any]
#: One ``whsec_…`` secret, or several while rotating.
Secrets = Union[str, Sequence[str]]


def verify(
    body: Body,
    headers: Headers,
    secret: Secrets,
    *,
    tolerance: Optional[float] = None,
    now: Optional[int] = None,
    skip_timestamp_check: bool = False,
) -> WebhookEvent:
    """Verifies a webhook and returns the typed event.

    ``body`` is the raw request body; ``headers`` any headers object or a list of pairs;
    ``secret`` the ``whsec_…`` secret, or a list of secrets while rotating (each is parsed and
    keyed once per process). ``tolerance`` is in seconds either way (when not given, the core's
    default, ``sendivent._constants.DEFAULT_TOLERANCE``; 0 means exactly now and never turns the
    check off, ``skip_timestamp_check=True`` does that); ``now`` pins the clock. Raises
    :class:`sendivent.WebhookVerificationError`, or :class:`sendivent.ValidationError` for a
    tolerance out of its bounds.
    """
    event = _native.verify(
        body, headers, secret, tolerance=tolerance, now=now, skip_timestamp_check=skip_timestamp_check
    )
    return WebhookEvent._from(event)


# The compiled function itself: no Python frame in between, as it returns nothing to type.
verify_signature = _native.verify_signature
"""Like :func:`verify`, without parsing the body: returns ``None`` or raises."""


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
    ) -> WebhookEvent:
        """Verifies a webhook and returns the typed event (see :func:`verify`)."""
        event = self._verifier.verify(
            body, headers, tolerance=tolerance, now=now, skip_timestamp_check=skip_timestamp_check
        )
        return WebhookEvent._from(event)

    def verify_signature(
        self,
        body: Body,
        headers: Headers,
        *,
        tolerance: Optional[float] = None,
        now: Optional[int] = None,
        skip_timestamp_check: bool = False,
    ) -> None:
        """Verifies the signature only (see :func:`verify_signature`)."""
        self._verifier.verify_signature(body, headers, tolerance=tolerance, now=now, skip_timestamp_check=skip_timestamp_check)

    def __repr__(self) -> str:
        return f"Webhook({self._verifier!r})"


def sign(body: Body, secret: str, *, msg_id: str, timestamp: int) -> str:
    """The ``webhook-signature`` value Sendivent would send for ``body`` (``v1,<base64>``)."""
    return _native.sign(secret, msg_id, timestamp, body)


def sign_headers(body: Body, secret: str, *, msg_id: Optional[str] = None, timestamp: Optional[int] = None) -> Dict[str, str]:
    """Signs ``body`` and returns the three headers, for testing your webhook receiver::

        headers = webhooks.sign_headers(body, secret)
        response = test_client.post("/webhooks/sendivent", content=body, headers=headers)

    ``msg_id`` defaults to a fresh ``msg_…`` id and ``timestamp`` to now.
    """
    return _native.sign_headers(
        secret,
        msg_id if msg_id is not None else f"msg_{_uuid.uuid4().hex}",
        timestamp if timestamp is not None else _native.unix_now(),
        body,
    )


def _unix_now() -> int:
    """The current unix time in seconds (the core's clock)."""
    return _native.unix_now()
