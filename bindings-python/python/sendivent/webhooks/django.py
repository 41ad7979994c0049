"""Receiving Sendivent webhooks in Django: a view decorator that verifies the raw body and calls
your view with the request and the typed event::

    from sendivent import WebhookEvent
    from sendivent.webhooks.django import verified_webhook

    @verified_webhook(settings.SENDIVENT_WEBHOOK_SECRET)
    def sendivent_webhook(request: HttpRequest, event: WebhookEvent) -> None:
        if event.event == "delivery.failed":
            alert(event.delivery.uuid, event.delivery.error)

    urlpatterns = [path("webhooks/sendivent", sendivent_webhook)]

The decorated view takes POST only and is exempt from CSRF checks (the signature authenticates
the request); returning ``None`` answers 204. A delivery that fails verification is answered 400
with the failed check as text (``no_matching_signature``, ``timestamp_too_old``, …), a delivery
seen before 200 ``duplicate``, in both cases without calling your view; a replay store that
cannot be reached gets 503, so Sendivent retries.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from django.http import HttpResponse  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]
from django.views.decorators.http import require_POST  # type: ignore[import-untyped]

from .._native import ReplayGuard
from . import Secrets
from ._receive import Receiver, Refusal

__all__ = ["verified_webhook"]


def verified_webhook(
    secret: Secrets,
    *,
    replay_guard: Optional[ReplayGuard] = None,
    tolerance: Optional[float] = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator for the Django view receiving Sendivent's webhooks.

    ``secret`` is the endpoint's ``whsec_…`` secret (a list while rotating). Deliveries are
    deduplicated by ``replay_guard``: in this process's memory unless you pass one, such as
    ``ReplayGuard.redis(url)`` when several processes receive. ``tolerance`` is the timestamp
    tolerance in seconds (default 300).
    """
    receiver = Receiver(secret, replay_guard=replay_guard, tolerance=tolerance)

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def view(request: Any, *args: Any, **kwargs: Any) -> Any:
            outcome = receiver.receive(request.body, request.headers)
            if isinstance(outcome, Refusal):
                return HttpResponse(outcome.reason, status=outcome.status, content_type="text/plain")
            try:
                answer = handler(request, outcome, *args, **kwargs)
            except BaseException:
                # The delivery was recorded when verified; forget it so the retry is handled.
                receiver.release(outcome)
                raise
            return HttpResponse(status=204) if answer is None else answer

        protected: Callable[..., Any] = csrf_exempt(require_POST(view))
        return protected

    return decorate
