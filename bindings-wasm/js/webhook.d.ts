// Types of `@sendivent/wasm/webhook` (webhook verification, signing and recipient validation),
// also re-exported by the full package `@sendivent/wasm`. Field names are those of the JSON the
// API sends and the core (Rust crate `sendivent`) produces.

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * An open set of strings: the known values autocomplete, and values newer than this SDK still
 * type-check (the SDK never fails on them).
 */
export type Open<Known extends string> = Known | (string & {});

/** A delivery channel. */
export type Channel = Open<'email' | 'sms' | 'slack' | 'push' | 'telegram' | 'whatsapp' | 'discord'>;

/** The status of a delivery (also the `event` of a trace timeline entry). */
export type DeliveryStatus = Open<'pending' | 'queued' | 'sent' | 'delivered' | 'failed' | 'bounced' | 'complained'>;

/** The type of a webhook event. */
export type WebhookEventType = Open<
  'delivery.sent' | 'delivery.delivered' | 'delivery.failed' | 'delivery.bounced' | 'delivery.complained'
>;

/** The delivery part of a webhook event. */
export interface WebhookDelivery {
  uuid: string;
  channel: Channel;
  status: DeliveryStatus;
  event_name: string | null;
  message_id: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  error: string | null;
}

/** The JSON body of a Sendivent webhook, as returned by `verifyWebhook`. */
export interface WebhookEvent {
  event: WebhookEventType;
  delivery: WebhookDelivery;
  request_id: string | null;
  /** RFC 3339. */
  timestamp: string | null;
}

/** Every stable error code of the SDK (the core's table); `ApiError.code` may also be a newer server code. */
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'QUOTA_EXCEEDED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'PROVIDER_ERROR'
  | 'MISSING_IDENTIFIER'
  | 'INTEGRATION_MISSING'
  | 'ADDON_NOT_ENABLED'
  | 'UNVERIFIED_SENDER'
  | 'INVALID_EMAIL'
  | 'INVALID_PHONE'
  | 'EVENT_NOT_FOUND'
  | 'WEBHOOK_MISSING_HEADER'
  | 'WEBHOOK_INVALID_TIMESTAMP'
  | 'WEBHOOK_TIMESTAMP_TOO_OLD'
  | 'WEBHOOK_TIMESTAMP_TOO_NEW'
  | 'WEBHOOK_INVALID_SIGNATURE_HEADER'
  | 'WEBHOOK_NO_MATCHING_SIGNATURE'
  | 'WEBHOOK_INVALID_SECRET'
  | 'WEBHOOK_SECRET_EMPTY'
  | 'WEBHOOK_SECRET_IS_API_KEY'
  | 'WEBHOOK_SECRET_IS_SIGNATURE'
  | 'WEBHOOK_INVALID_PAYLOAD'
  | 'MISSING_API_KEY'
  | 'INVALID_API_KEY'
  | 'INVALID_BASE_URL'
  | 'INSECURE_BASE_URL'
  | 'INVALID_REQUEST'
  | 'CONNECTION_ERROR'
  | 'TIMEOUT'
  | 'INVALID_RESPONSE'
  | 'SEND_FAILED'
  | 'API_ERROR'
  | 'INVALID_ARGUMENT'
  | 'INTERNAL_ERROR';

/** The webhook verification codes: the `code` of a `WebhookVerificationError`. */
export type WebhookErrorCode = Extract<ErrorCode, `WEBHOOK_${string}`>;

/** What the HTTP layer said about a response (every client result and API error carries it). */
export interface ResponseMeta {
  status: number;
  /** Header names lower-cased; repeated headers joined with `", "`. */
  headers: Record<string, string>;
  /** `X-Request-Id`, for support tickets. */
  requestId: string | null;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  idempotentReplay: boolean;
  /** The idempotency key the request carried (every POST carries one). */
  idempotencyKey: string | null;
  rateLimit: { limit: number | null; remaining: number | null; reset: number | null } | null;
  /** Attempts the call took (1 when it was not retried). */
  attempts: number;
}

/** One reason a send failed. */
export interface SendError {
  code: Open<ErrorCode>;
  message: string;
}

/** Base class of every error the SDK throws. */
export class SendiventError extends Error {
  /** The stable code from the core's table, or the server's code kept as sent. */
  readonly code: Open<ErrorCode>;
  /** HTTP status, when the error came from a response. */
  readonly status?: number;
  /** `X-Request-Id` of the failed response. */
  readonly requestId?: string;
  /** Response metadata, when the error came from a response. */
  readonly meta?: ResponseMeta;
}
/** Client-side validation or configuration refused the input. */
export class ValidationError extends SendiventError {}
/** Webhook verification failed. */
export class WebhookVerificationError extends SendiventError {
  readonly code: WebhookErrorCode;
}
/** The API answered with an error status. */
export class ApiError extends SendiventError {
  readonly status: number;
  readonly meta: ResponseMeta;
  /** Seconds the server asked to wait (`Retry-After`). */
  readonly retryAfter?: number;
}
/** A send answered `success: false`. */
export class SendFailedError extends SendiventError {
  readonly code: 'SEND_FAILED';
  readonly errors: SendError[];
  readonly status: number;
  readonly meta: ResponseMeta;
}
/** The connection failed before a response arrived (after all retries). */
export class ConnectionError extends SendiventError {
  readonly code: 'CONNECTION_ERROR';
}
/** An attempt exceeded its timeout (after all retries). */
export class TimeoutError extends SendiventError {
  readonly code: 'TIMEOUT';
  readonly timeoutMs?: number;
  readonly elapsedMs?: number;
}

/** The raw request body: verify exactly the bytes received, never a re-serialised object. */
export type WebhookBody = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * Request headers: a Fetch `Headers` object, `[name, value]` pairs, or a plain object (Node's
 * `req.headers`); names are case-insensitive.
 */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options of webhook verification. */
export interface VerifyOptions {
  /** The current time in unix seconds. Default: `Date.now() / 1000`. */
  now?: number;
  /** Allowed clock difference either way, in seconds. Default: 300. `0` means exactly 0, never "off". */
  toleranceSeconds?: number;
  /** Skip the timestamp check entirely (replayed test fixtures). Default: false. */
  skipTimestampCheck?: boolean;
}

/**
 * Verifies a webhook (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`)
 * and returns the parsed event. Throws `WebhookVerificationError` with a `WEBHOOK_*` code.
 */
export function verifyWebhook(
  body: WebhookBody,
  headers: WebhookHeaders,
  secret: string,
  options?: VerifyOptions,
): WebhookEvent;

/** Verifies a webhook's signature without parsing the body. */
export function verifyWebhookSignature(
  body: WebhookBody,
  headers: WebhookHeaders,
  secret: string,
  options?: VerifyOptions,
): void;

/**
 * A verifier bound to one secret, or several during a key rotation (any one matching signature
 * passes). The secrets are decoded once: reuse it for many requests.
 */
export class WebhookVerifier {
  constructor(secret: string | readonly string[]);
  verify(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): WebhookEvent;
  verifySignature(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): void;
  /** Releases the decoded key now instead of at garbage collection. */
  free(): void;
}

/** The three headers of a signed webhook. */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Signs a webhook body, for tests and local tooling. */
export function signWebhook(
  body: WebhookBody,
  options: { id: string; secret: string; /** unix seconds; default now */ timestamp?: number },
): WebhookSignatureHeaders;

/** Validates an email address; returns it normalised. Throws `ValidationError` (INVALID_EMAIL). */
export function validateEmail(input: string): string;
/** Validates a phone number; returns E.164. Throws `ValidationError` (INVALID_PHONE). */
export function validatePhone(input: string): string;

/** The kind of a recipient identifier. */
export type IdentifierKind = 'slack_channel' | 'email' | 'phone' | 'uuid' | 'slack_user' | 'external_id';

/** Resolves a recipient identifier to its kind and normalised value. */
export function resolveIdentifier(input: string): { kind: IdentifierKind; value: string };

/** Every error code with its stable number. */
export function errorCodes(): ReadonlyArray<{ readonly code: ErrorCode; readonly number: number }>;

/** The SDK version. */
export const version: string;
