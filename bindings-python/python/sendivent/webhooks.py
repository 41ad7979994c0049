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

Failures raise :class:`sendivent.WebhookVerificationError` whose ``reason`` names the check
(``missing_header``, ``timestamp_too_old``, ``no_matching_signature``, ``invalid_secret``, …).
Verification itself runs in the Rust core.
"""

from __future__ import annotations

import uuid as _uuid
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

from ._native import Webhook, WebhookDelivery, WebhookEvent
from ._native import verify as _verify
from ._native import verify_signature as _verify_signature
from ._native import sign as _sign
from ._native import sign_headers as _sign_headers
from ._native import unix_now as _unix_now

__all__ = ["verify", "verify_signature", "sign", "sign_headers", "Webhook", "WebhookEvent", "WebhookDelivery"]

#: A raw request body.
Body = Union[bytes, bytearray, memoryview, str]
#: Request headers: a dict, a framework headers object, Django's ``request.META``, or a list of
#: ``(name, value)`` pairs (str or bytes).
Headers = Union[Mapping[str, Any], Sequence[Tuple[Any, Any]], Any]
#: One ``whsec_…`` secret, or several while rotating.
Secrets = Union[str, Sequence[str]]

# The verify functions are the compiled ones (no Python frame in between: verification of a
# 1 KB body takes a few microseconds); each secret is parsed and keyed once and cached.
verify = _verify
verify_signature = _verify_signature


def sign(body: Body, secret: str, *, msg_id: str, timestamp: int) -> str:
    """The ``webhook-signature`` value Sendivent would send for ``body`` (``v1,<base64>``)."""
    return _sign(secret, msg_id, timestamp, body)


def sign_headers(body: Body, secret: str, *, msg_id: Optional[str] = None, timestamp: Optional[int] = None) -> Dict[str, str]:
    """Signs ``body`` and returns the three headers, for testing your webhook receiver::

        headers = webhooks.sign_headers(body, secret)
        response = test_client.post("/webhooks/sendivent", content=body, headers=headers)

    ``msg_id`` defaults to a fresh ``msg_…`` id and ``timestamp`` to now.
    """
    return _sign_headers(
        secret,
        msg_id if msg_id is not None else f"msg_{_uuid.uuid4().hex}",
        timestamp if timestamp is not None else _unix_now(),
        body,
    )
