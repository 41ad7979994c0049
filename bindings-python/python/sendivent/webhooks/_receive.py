"""What the framework adapters share: one endpoint's verification settings, and the answer
Sendivent gets for a delivery the handler does not see."""

from __future__ import annotations

import logging
from typing import NamedTuple, Optional, Union

from .._exceptions import ReplayStoreError, WebhookDuplicateError, WebhookVerificationError
from .._models import WebhookEvent
from .._native import ReplayGuard
from . import Body, Headers, Secrets, Webhook

_LOG = logging.getLogger("sendivent.webhooks")

#: A delivery seen before: a 2xx answer, so that Sendivent stops retrying it.
DUPLICATE_STATUS = 200
#: The replay store could not be reached: a 5xx answer, so that Sendivent retries later.
STORE_FAILED_STATUS = 503
#: The delivery failed verification.
REFUSED_STATUS = 400


class Refusal(NamedTuple):
    """A delivery the handler is not called for, and the answer Sendivent gets instead."""

    status: int
    """The HTTP status to answer."""
    reason: str
    """The answer's text: the failed check (``no_matching_signature``, …), ``duplicate`` or
    ``replay_store_error``."""


class Receiver:
    """The verification settings of one endpoint: its secret(s), its replay guard (in memory
    unless given) and its timestamp tolerance."""

    def __init__(
        self, secret: Secrets, *, replay_guard: Optional[ReplayGuard] = None, tolerance: Optional[float] = None
    ) -> None:
        self.webhook = Webhook(secret)
        self.replay_guard = replay_guard if replay_guard is not None else ReplayGuard()
        self.tolerance = tolerance

    @property
    def does_io(self) -> bool:
        """Whether checking a delivery talks to a store outside this process (Redis, your own):
        async adapters then run it in a worker thread."""
        return self.replay_guard.store != "memory"

    def release(self, event: WebhookEvent) -> None:
        """Forgets a delivery whose handler failed, so Sendivent's retry is handled again
        instead of being answered as a duplicate."""
        verified = event.verified
        if verified is None:
            return
        try:
            self.replay_guard.release(verified.msg_id)
        except ReplayStoreError as err:
            _LOG.error("could not release a failed webhook from the replay store: %s", err.message)

    def receive(self, body: Body, headers: Headers) -> Union[WebhookEvent, Refusal]:
        """The verified event, or the answer to give instead of calling the handler."""
        try:
            return self.webhook.verify(body, headers, tolerance=self.tolerance, replay_guard=self.replay_guard)
        except WebhookDuplicateError as err:
            _LOG.info("ignored a webhook delivered again: %s", err.message)
            return Refusal(DUPLICATE_STATUS, "duplicate")
        except ReplayStoreError as err:
            _LOG.error("could not check a webhook against the replay store: %s", err.message)
            return Refusal(STORE_FAILED_STATUS, "replay_store_error")
        except WebhookVerificationError as err:
            _LOG.warning("refused a webhook: %s", err.message)
            return Refusal(REFUSED_STATUS, err.reason or err.code.lower())
