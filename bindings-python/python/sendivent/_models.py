"""Typed results of the Sendivent API.

Every result is a small class with attributes, ``to_dict()``, equality and a readable ``repr``.
The HTTP details of the call that produced it (status, headers, request id, rate limit,
idempotent replay) are on ``result.last_response``; they are not part of equality or ``repr``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, TypeVar

__all__ = [
    "RateLimit",
    "ResponseMeta",
    "DeliveryRef",
    "SendResult",
    "Contact",
    "ContactList",
    "Template",
    "Event",
    "EventList",
    "Delivery",
    "DeliveryList",
    "TimelineEntry",
    "DeliveryTrace",
    "Integration",
    "IntegrationList",
    "WebhookConfig",
    "Deleted",
    "Acknowledged",
]

_M = TypeVar("_M", bound="APIObject")


def _plain(value: Any) -> Any:
    if isinstance(value, APIObject):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _redact(secret: Optional[str]) -> Optional[str]:
    if secret is None:
        return None
    for prefix in ("whsec_", "whpk_", "whsk_", "live_", "test_"):
        if secret.startswith(prefix):
            rest = secret[len(prefix) :]
            return f"{prefix}…{rest[-4:]}" if len(rest) >= 12 else f"{prefix}…"
    return "…"


@dataclass
class RateLimit:
    """The ``X-RateLimit-*`` headers of a response."""

    limit: Optional[int] = None
    """Requests allowed in the window."""
    remaining: Optional[int] = None
    """Requests left in the window."""
    reset: Optional[int] = None
    """When the window resets, unix seconds."""


@dataclass
class ResponseMeta:
    """What the HTTP layer said about a response."""

    status: int
    """The HTTP status."""
    headers: List[Tuple[str, str]] = field(default_factory=list)
    """Every response header, names lower-cased, in the order received."""
    request_id: Optional[str] = None
    """``X-Request-Id``, when the server sent one."""
    idempotent_replay: bool = False
    """True when this is the stored answer to an earlier request with the same idempotency key:
    nothing was sent again."""
    idempotency_key: Optional[str] = None
    """The idempotency key the request carried (every send carries one)."""
    attempts: int = 1
    """How many attempts the call took (1 when it was not retried)."""
    rate_limit: Optional[RateLimit] = None
    """Rate-limit headers, when present."""

    def header(self, name: str) -> Optional[str]:
        """The first value of a header, matched case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers:
            if key == wanted:
                return value
        return None

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> ResponseMeta:
        rl = d.get("rate_limit")
        return cls(
            status=d["status"],
            headers=[(k, v) for k, v in d.get("headers", [])],
            request_id=d.get("request_id"),
            idempotent_replay=bool(d.get("idempotent_replay", False)),
            idempotency_key=d.get("idempotency_key"),
            attempts=d.get("attempts", 1),
            rate_limit=RateLimit(**rl) if rl else None,
        )


class APIObject:
    """Base of every API result: ``to_dict()`` and ``last_response``."""

    __slots__ = ()

    @property
    def last_response(self) -> Optional[ResponseMeta]:
        """Status, headers, request id and replay flag of the call that returned this object
        (``None`` for objects that came from a list page or were built by hand)."""
        meta = self.__dict__.get("_last_response")
        if meta is None or isinstance(meta, ResponseMeta):
            return meta
        built = ResponseMeta._from(meta)  # built on first access: most callers never look
        self.__dict__["_last_response"] = built
        return built

    def to_dict(self) -> Dict[str, Any]:
        """The fields as plain ``dict``/``list``/``str`` values (``last_response`` excluded)."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def _with_response(self: _M, meta: Mapping[str, Any]) -> _M:
        self.__dict__["_last_response"] = meta
        return self


@dataclass(eq=True)
class DeliveryRef(APIObject):
    """A delivery created by a send."""

    channel: str
    """The channel it goes out on (``email``, ``sms``, …)."""
    uuid: str
    """The delivery UUID (see ``client.deliveries.trace``)."""


@dataclass(eq=True)
class SendResult(APIObject):
    """The answer to a send: one :class:`DeliveryRef` per created delivery."""

    success: bool
    """Always true here (a failed send raises :class:`sendivent.SendFailedError`)."""
    deliveries: List[DeliveryRef] = field(default_factory=list)
    """The created deliveries."""
    errors: List[Dict[str, str]] = field(default_factory=list)
    """Recipients or channels that were skipped while others succeeded, one
    ``{"code": ..., "message": ...}`` per reason (e.g. ``MISSING_IDENTIFIER`` for a contact
    without a phone on an sms+email event). Empty when everything was sent."""

    @property
    def idempotent_replay(self) -> bool:
        """True when the server answered from its idempotency store: nothing was sent again."""
        meta = self.last_response
        return meta.idempotent_replay if meta is not None else False

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> SendResult:
        return cls(
            success=d["success"],
            deliveries=[DeliveryRef(r["channel"], r["uuid"]) for r in d["deliveries"]],
            errors=[dict(e) for e in d.get("errors", [])],
        )


@dataclass(eq=True)
class Contact(APIObject):
    """A stored contact."""

    uuid: str
    """The contact's UUID."""
    email: Optional[str] = None
    phone: Optional[str] = None
    """Phone in E.164."""
    name: Optional[str] = None
    external_id: Optional[str] = None
    """Your system's user id."""
    avatar: Optional[str] = None
    username: Optional[str] = None
    slack: Optional[str] = None
    telegram: Optional[str] = None
    discord: Optional[str] = None
    meta: Dict[str, Any] = field(default_factory=dict)
    """Custom fields (``{{contact.meta.<field>}}`` in templates)."""
    push_tokens: List[str] = field(default_factory=list)
    created_at: Optional[str] = None
    """RFC 3339."""
    updated_at: Optional[str] = None
    """RFC 3339."""

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Contact:
        return cls(**{f.name: d[f.name] for f in dataclasses.fields(cls) if d.get(f.name) is not None})


@dataclass(eq=True)
class ContactList(APIObject):
    """One page of contacts. Iterating yields the contacts."""

    contacts: List[Contact]
    total: int
    """Total matching contacts."""
    limit: int
    offset: int

    def __iter__(self) -> Iterator[Contact]:
        return iter(self.contacts)

    def __len__(self) -> int:
        return len(self.contacts)

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> ContactList:
        return cls([Contact._from(c) for c in d["contacts"]], d["total"], d["limit"], d["offset"])


_TEMPLATE_FIELDS = ("channel", "language", "subject", "body")


@dataclass(eq=True)
class Template(APIObject):
    """One channel's template of an event."""

    channel: str
    language: Optional[str] = None
    subject: Optional[str] = None
    body: Optional[str] = None
    """The Handlebars body."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Channel settings and other fields."""

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Template:
        extra = {k: v for k, v in d.items() if k not in _TEMPLATE_FIELDS}
        return cls(d["channel"], d.get("language"), d.get("subject"), d.get("body"), extra)


@dataclass(eq=True)
class Event(APIObject):
    """A notification event."""

    identifier: str
    """The name used in sends, e.g. ``user.welcome``."""
    name: Optional[str] = None
    description: Optional[str] = None
    channels: List[str] = field(default_factory=list)
    channel_settings: Dict[str, Any] = field(default_factory=dict)
    """Per-channel settings, keyed by channel name, when the API sends them."""
    templates: List[Template] = field(default_factory=list)
    """Templates (filled by ``events.get``)."""

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Event:
        return cls(
            d["identifier"],
            d.get("name"),
            d.get("description"),
            list(d.get("channels", [])),
            dict(d.get("channel_settings") or {}),
            [Template._from(t) for t in d.get("templates", [])],
        )


@dataclass(eq=True)
class EventList(APIObject):
    """All events of the application. Iterating yields the events."""

    events: List[Event]

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    @classmethod
    def _from(cls, d: List[Any]) -> EventList:
        return cls([Event._from(e) for e in d])


@dataclass(eq=True)
class Delivery(APIObject):
    """One message to one recipient on one channel."""

    uuid: str
    channel: str
    status: str
    """``pending``, ``sent``, ``delivered``, ``failed``, … (unknown values kept as sent)."""
    event_name: Optional[str] = None
    contact_uuid: Optional[str] = None
    recipient: Optional[str] = None
    message_id: Optional[str] = None
    error: Optional[str] = None
    created_at: Optional[str] = None
    sent_at: Optional[str] = None
    delivered_at: Optional[str] = None

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Delivery:
        return cls(**{f.name: d[f.name] for f in dataclasses.fields(cls) if d.get(f.name) is not None})


@dataclass(eq=True)
class DeliveryList(APIObject):
    """One page of deliveries, newest first. Iterating yields the deliveries."""

    deliveries: List[Delivery]
    total: int
    limit: int
    offset: int

    def __iter__(self) -> Iterator[Delivery]:
        return iter(self.deliveries)

    def __len__(self) -> int:
        return len(self.deliveries)

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> DeliveryList:
        return cls([Delivery._from(x) for x in d["deliveries"]], d["total"], d["limit"], d["offset"])


@dataclass(eq=True)
class TimelineEntry(APIObject):
    """One step of a delivery's life."""

    event: str
    """``queued``, ``sent``, ``delivered``, ``failed``, …"""
    timestamp: str
    detail: Optional[str] = None


@dataclass(eq=True)
class DeliveryTrace(APIObject):
    """A delivery, its timeline (oldest first) and the rendered content snapshot."""

    delivery: Delivery
    timeline: List[TimelineEntry] = field(default_factory=list)
    content: Optional[Any] = None

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> DeliveryTrace:
        return cls(
            Delivery._from(d["delivery"]),
            [TimelineEntry(t["event"], t["timestamp"], t.get("detail")) for t in d.get("timeline", [])],
            d.get("content"),
        )


@dataclass(eq=True)
class Integration(APIObject):
    """A configured provider for a channel (secrets are never returned)."""

    channel: str
    provider: str
    status: str = ""


@dataclass(eq=True)
class IntegrationList(APIObject):
    """The application's integrations. Iterating yields them."""

    integrations: List[Integration]

    def __iter__(self) -> Iterator[Integration]:
        return iter(self.integrations)

    def __len__(self) -> int:
        return len(self.integrations)

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> IntegrationList:
        return cls([Integration(i["channel"], i["provider"], i.get("status", "")) for i in d["integrations"]])


@dataclass(eq=True, repr=False)
class WebhookConfig(APIObject):
    """The application's webhook endpoint. ``repr`` never shows the signing secret."""

    uuid: str
    url: str
    enabled_events: List[str] = field(default_factory=list)
    description: Optional[str] = None
    is_active: bool = True
    signing_secret: Optional[str] = None
    """The ``whsec_…`` secret to verify signatures with (returned by ``create``)."""
    created_at: Optional[str] = None

    def __repr__(self) -> str:
        return (
            f"WebhookConfig(uuid={self.uuid!r}, url={self.url!r}, enabled_events={self.enabled_events!r}, "
            f"description={self.description!r}, is_active={self.is_active!r}, "
            f"signing_secret={_redact(self.signing_secret)!r}, created_at={self.created_at!r})"
        )

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> WebhookConfig:
        return cls(
            d["uuid"],
            d["url"],
            list(d.get("enabled_events", [])),
            d.get("description"),
            d.get("is_active", True),
            d.get("signing_secret"),
            d.get("created_at"),
        )


@dataclass(eq=True)
class Deleted(APIObject):
    """The answer of a delete."""

    success: bool = True
    deleted: bool = True

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Deleted:
        return cls(d.get("success", True), d.get("deleted", False))


@dataclass(eq=True)
class Acknowledged(APIObject):
    """The answer of calls that return nothing else."""

    success: bool = True

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Acknowledged:
        return cls(d.get("success", True))
