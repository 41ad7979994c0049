"""The exception hierarchy of the Sendivent SDK.

Every exception derives from :class:`SendiventError` and carries ``code``, the core's stable
machine-readable code (``"NOT_FOUND"``, ``"INVALID_PHONE"``, ``"WEBHOOK_TIMESTAMP_TOO_OLD"``…).
Match on the class for control flow and on ``code`` when you need the exact reason::

    try:
        client.send("order.shipped", to="ada@example.com")
    except sendivent.RateLimitError as err:
        retry_later(err.retry_after)
    except sendivent.SendFailedError as err:
        for reason in err.errors:
            log.warning("not sent: %s %s", reason["code"], reason["message"])
    except sendivent.APIError as err:
        log.error("Sendivent said %s (%s), request id %s", err.code, err.status, err.request_id)

The native layer builds these from the core's errors (``sendivent._native``); they are plain
Python classes so they pickle, subclass and type-check like any other exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

if TYPE_CHECKING:
    from ._models import ResponseMeta

__all__ = [
    "SendiventError",
    "APIError",
    "ValidationError",
    "AuthenticationError",
    "QuotaExceededError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "InternalServerError",
    "ProviderError",
    "InvalidResponseError",
    "SendFailedError",
    "APIConnectionError",
    "APITimeoutError",
    "InvalidRequestError",
    "InvalidEmailError",
    "InvalidPhoneError",
    "ConfigurationError",
    "WebhookVerificationError",
    "InternalError",
]


class SendiventError(Exception):
    """Root of every exception raised by the SDK.

    Attributes:
        code: The stable code from the core's error table (for API errors, the server's code
            exactly as sent, so codes newer than this SDK survive).
        message: The human-readable message, without the code prefix.
        status: The HTTP status when the error came from a response, else ``None``.
        request_id: The response's ``X-Request-Id``, for support tickets.
        response: Status, headers and request id of the failed response, when there was one.
    """

    code: str
    message: str
    status: Optional[int]
    request_id: Optional[str]
    response: Optional[ResponseMeta]

    def __init__(
        self,
        text: str = "",
        *,
        code: str = "",
        message: Optional[str] = None,
        status: Optional[int] = None,
        request_id: Optional[str] = None,
        response: Optional[Mapping[str, Any]] = None,
        **details: Any,
    ) -> None:
        super().__init__(text)
        self.code = code
        self.message = message if message is not None else text
        self.status = status
        self.request_id = request_id
        if response is not None:
            from ._models import ResponseMeta

            self.response = ResponseMeta._from(response)
        else:
            self.response = None
        for name, value in details.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        parts = [f"code={self.code!r}", f"message={self.message!r}"]
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.request_id is not None:
            parts.append(f"request_id={self.request_id!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class APIError(SendiventError):
    """The API answered with an error status (``status``, ``code``, ``message``)."""

    status: int


class ValidationError(APIError):
    """HTTP 400 ``VALIDATION_ERROR``: missing or invalid parameters."""


class AuthenticationError(APIError):
    """HTTP 401 ``UNAUTHORIZED``: the API key is invalid or missing."""


class QuotaExceededError(APIError):
    """HTTP 402 ``QUOTA_EXCEEDED``: the contact or daily quota is used up."""


class PermissionDeniedError(APIError):
    """HTTP 403 ``FORBIDDEN``: inactive subscription or an addon that is not enabled."""


class NotFoundError(APIError):
    """HTTP 404 ``NOT_FOUND``: the event, contact or resource does not exist."""


class ConflictError(APIError):
    """HTTP 409 ``CONFLICT``: the resource already exists (one webhook per application)."""


class RateLimitError(APIError):
    """HTTP 429 ``RATE_LIMITED``, after the client's retries were used up.

    Attributes:
        retry_after: Seconds the server asked to wait (``Retry-After``), when it said.
    """

    retry_after: Optional[float]

    def __init__(self, text: str = "", *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIError):
    """HTTP 500 ``SERVER_ERROR`` (or another 5xx), after the client's retries were used up."""


class ProviderError(APIError):
    """HTTP 502 ``PROVIDER_ERROR``: a third-party provider (SES, Twilio, …) failed."""


class InvalidResponseError(APIError):
    """The server answered 2xx with a body that is not the documented shape."""


class SendFailedError(APIError):
    """A send the API answered with ``success: false``.

    Attributes:
        errors: The reasons, one ``{"code": ..., "message": ...}`` dict per failed recipient or
            channel (codes such as ``MISSING_IDENTIFIER``, ``INTEGRATION_MISSING``,
            ``EVENT_NOT_FOUND``; unknown codes kept as sent).
    """

    errors: List[Dict[str, str]]

    def __init__(self, text: str = "", *, errors: Optional[List[Dict[str, str]]] = None, **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.errors = list(errors or [])


class APIConnectionError(SendiventError):
    """The connection failed or dropped before a response arrived (after all retries)."""


class APITimeoutError(APIConnectionError):
    """An attempt took longer than the timeout (after all retries)."""


class InvalidRequestError(SendiventError, ValueError):
    """The request was refused before anything was sent (client-side validation)."""


class InvalidEmailError(InvalidRequestError):
    """An email address is not one a mail system would accept (``INVALID_EMAIL``)."""


class InvalidPhoneError(InvalidRequestError):
    """A phone number is not valid E.164 (``INVALID_PHONE``); the message says why."""


class ConfigurationError(SendiventError, ValueError):
    """The client cannot be built: missing or malformed API key, bad or insecure base URL."""


class WebhookVerificationError(SendiventError):
    """A webhook failed verification. Answer it with HTTP 400 and do not process it.

    Attributes:
        reason: Which check failed, e.g. ``"missing_header"``, ``"timestamp_too_old"``,
            ``"no_matching_signature"``, ``"invalid_secret"``, ``"invalid_payload"``
            (``code`` without its ``WEBHOOK_`` prefix, lower-cased).
    """

    reason: str

    def __init__(self, text: str = "", *, reason: str = "", **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.reason = reason


class InternalError(SendiventError):
    """A bug in the SDK (a panic caught at the native boundary). Please report it."""
