"""Type stubs of the compiled module ``sendivent._native`` (checked by ``mypy.stubtest``)."""

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union, final

__all__ = [
    "__version__",
    "validate_email",
    "validate_phone",
    "resolve_identifier",
    "error_codes",
    "decode_response",
    "exception_class_name",
    "verify",
    "verify_signature",
    "sign",
    "sign_headers",
    "unix_now",
    "_drain",
    "Identifier",
    "Webhook",
    "WebhookEvent",
    "WebhookDelivery",
    "NativeClient",
    "NativePaginator",
]

__version__: str

_Body = Union[bytes, bytearray, memoryview, str]

def validate_email(address: str) -> str:
    """Validates an email address and returns it normalised. Raises ``InvalidEmailError``."""

def validate_phone(number: str) -> str:
    """Validates a phone number and returns it in E.164. Raises ``InvalidPhoneError``."""

def resolve_identifier(identifier: str) -> Identifier:
    """Resolves a recipient identifier (email, phone, UUID, Slack id, ``#channel``, external id)."""

def error_codes() -> List[str]:
    """Every stable error code of the core, in number order."""

def decode_response(kind: str, body: bytes) -> Any:
    """Decodes a response body as the shape ``kind`` exactly as the client does (canonical JSON)."""

def exception_class_name(code: str) -> Optional[str]:
    """The exception class name raised for a code (``None`` for an unknown code)."""

def verify(
    body: _Body,
    headers: Any,
    secret: Union[str, Sequence[str]],
    *,
    tolerance: float = 300.0,
    now: Optional[int] = None,
    skip_timestamp_check: bool = False,
) -> WebhookEvent:
    """Verifies a webhook and returns the typed event (see ``sendivent.webhooks.verify``)."""

def verify_signature(
    body: _Body,
    headers: Any,
    secret: Union[str, Sequence[str]],
    *,
    tolerance: float = 300.0,
    now: Optional[int] = None,
    skip_timestamp_check: bool = False,
) -> None:
    """Verifies a webhook's signature without parsing the body."""

def sign(secret: str, msg_id: str, timestamp: int, body: _Body) -> str:
    """The ``webhook-signature`` header value for a message."""

def sign_headers(secret: str, msg_id: str, timestamp: int, body: _Body) -> Dict[str, str]:
    """The three Standard Webhooks headers for a message."""

def _drain(timeout: float = 2.0) -> None:
    """Waits until no async result is being handed back to asyncio (registered with atexit)."""

def unix_now() -> int:
    """The current unix time in seconds."""

@final
class Identifier:
    """A resolved recipient identifier."""

    @property
    def value(self) -> str:
        """The normalised identifier."""
    @property
    def kind(self) -> str:
        """``slack_channel``, ``email``, ``phone``, ``uuid``, ``slack_user`` or ``external_id``."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class WebhookDelivery:
    """The delivery a webhook event is about."""

    @property
    def uuid(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def event_name(self) -> Optional[str]: ...
    @property
    def message_id(self) -> Optional[str]: ...
    @property
    def sent_at(self) -> Optional[str]: ...
    @property
    def delivered_at(self) -> Optional[str]: ...
    @property
    def error(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Optional[str]]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class WebhookEvent:
    """A verified webhook event."""

    @property
    def event(self) -> str:
        """The event type, e.g. ``delivery.delivered``."""
    @property
    def delivery(self) -> WebhookDelivery: ...
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def timestamp(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Webhook:
    """A verifier holding one or more secrets, parsed once."""

    def __new__(cls, secret: Union[str, Sequence[str]]) -> Webhook: ...
    def verify(
        self,
        body: _Body,
        headers: Any,
        *,
        tolerance: float = 300.0,
        now: Optional[int] = None,
        skip_timestamp_check: bool = False,
    ) -> WebhookEvent: ...
    def verify_signature(
        self,
        body: _Body,
        headers: Any,
        *,
        tolerance: float = 300.0,
        now: Optional[int] = None,
        skip_timestamp_check: bool = False,
    ) -> None: ...

@final
class NativePaginator:
    def next_item(self) -> Any: ...
    def next_item_async(self) -> Any: ...

@final
class NativeClient:
    def __new__(
        cls,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
        rate_limit: Optional[float] = None,
        default_headers: Optional[Sequence[Tuple[str, str]]] = None,
        log: Optional[Callable[[int, str], Any]] = None,
        log_level: Optional[str] = None,
    ) -> NativeClient: ...
    @property
    def base_url(self) -> str: ...
    @property
    def key_mode(self) -> str: ...
    def call(self, op: str, args: Any, options: Optional[Mapping[str, Any]] = None) -> Tuple[Any, Dict[str, Any]]: ...
    def call_async(self, op: str, args: Any, options: Optional[Mapping[str, Any]] = None) -> Any: ...
    def send_many(
        self, items: Any, concurrency: int, options: Optional[Mapping[str, Any]] = None
    ) -> List[Tuple[bool, Any]]: ...
    def send_many_async(self, items: Any, concurrency: int, options: Optional[Mapping[str, Any]] = None) -> Any: ...
    def paginate(self, resource: str, args: Any, options: Optional[Mapping[str, Any]] = None) -> NativePaginator: ...
