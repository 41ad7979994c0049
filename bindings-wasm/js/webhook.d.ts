// Types of `@sendivent/wasm/webhook` (webhook verification, signing and recipient validation),
// also re-exported by the full package `@sendivent/wasm`. The models, error codes and error
// classes are generated from the core's description (types.gen.d.ts).

import type { ErrorCode, IdentifierKind, WebhookEvent, WebhookSignatureHeaders } from './types.gen.js';

export * from './types.gen.js';

/** The raw request body: verify exactly the bytes received, never a re-serialised object. */
export type WebhookBody = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * Request headers, every one of them: a Fetch `Headers` (or any iterable of `[name, value]`
 * pairs), an array of pairs, or a plain object such as Node's `req.headers` (repeated headers as
 * arrays). Names are case-insensitive.
 */
export type WebhookHeaders =
  | Iterable<readonly [string, string]>
  | { forEach(callback: (value: string, name: string) => void): void }
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options of webhook verification. */
export interface VerifyOptions {
  /** The current time in unix seconds. Default: `Date.now() / 1000`. */
  now?: number;
  /** Allowed clock difference either way, in seconds (0 to 7 days). Default: 300. `0` means exactly now, never "off". */
  tolerance?: number;
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

/** Signs a webhook body, for tests and local tooling. */
export function signWebhook(
  body: WebhookBody,
  options: { id: string; secret: string; /** unix seconds; default now */ timestamp?: number },
): WebhookSignatureHeaders;

/** Validates an email address; returns it normalised. Throws `InvalidEmailError` (INVALID_EMAIL). */
export function validateEmail(input: string): string;
/** Validates a phone number; returns E.164. Throws `InvalidPhoneError` (INVALID_PHONE). */
export function validatePhone(input: string): string;

/** Resolves a recipient identifier to its kind and normalised value. */
export function resolveIdentifier(input: string): { kind: IdentifierKind; value: string };

/** Every error code with its stable number. */
export function errorCodes(): ReadonlyArray<{ readonly code: ErrorCode; readonly number: number }>;

/** The SDK version. */
export const version: string;
