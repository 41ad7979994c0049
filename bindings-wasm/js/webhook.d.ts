// Types of `@sendivent/wasm/webhook` (webhook verification, signing and recipient validation),
// also re-exported by the full package `@sendivent/wasm`. The models, error codes and error
// classes are generated from the core's description (types.gen.d.ts).

import type { Channel, ErrorCode, IdentifierKind, Verified, WebhookEvent, WebhookSignatureHeaders } from './types.gen.js';

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
  | Readonly<Record<string, string | readonly string[] | undefined>>
  // What signWebhook returns (an interface, which a Record type does not take).
  | WebhookSignatureHeaders;

/** Options of webhook verification. */
export interface VerifyOptions {
  /** The current time in unix seconds. Default: `Date.now() / 1000`. */
  now?: number;
  /** Allowed clock difference either way, in seconds (0 to 7 days). Default: 300. `0` means exactly now, never "off". */
  tolerance?: number;
  /** Skip the timestamp check entirely (replayed test fixtures). Default: false. */
  skipTimestampCheck?: boolean;
  /**
   * Records each verified `webhook-id` and throws `WebhookDuplicateError` (WEBHOOK_DUPLICATE) for a
   * redelivery. A guard with a `store` needs the asynchronous methods.
   */
  replayGuard?: ReplayGuard | null;
}

/**
 * A replay store of your own (Workers KV, Redis, a database): `insertIfAbsent` records `key` for
 * `ttlSeconds` unless it is recorded, atomically, and answers `true` when it recorded it and
 * `false` when the key was there. Throwing or rejecting is `ReplayStoreError` (REPLAY_STORE_ERROR:
 * answer 5xx so the sender retries).
 */
export interface ReplayStore {
  insertIfAbsent(key: string, ttlSeconds: number): boolean | Promise<boolean>;
  /**
   * Forgets `key` (optional): `ReplayGuard.release` and the adapters call it when the handler of a
   * recorded webhook failed, so Sendivent's retry is handled. Without it the id stays until it expires.
   */
  remove?(key: string): void | Promise<void>;
}

/** Options of a `ReplayGuard`. */
export interface ReplayGuardOptions {
  /** Your store; default: this instance's memory. */
  store?: ReplayStore;
  /** Prefix of the stored keys. Default: `sendivent:webhook:`. */
  namespace?: string;
}

/**
 * Remembers verified webhook ids, so a redelivered webhook is reported as
 * `WebhookDuplicateError` (answer it 2xx and do not handle it again). Only authentic webhooks are
 * recorded, for as long as their timestamp could still pass the tolerance check.
 *
 * Without a store it keeps the ids in this instance's memory (bounded); with `store` in yours.
 */
export class ReplayGuard {
  #private;
  constructor(options?: ReplayGuardOptions);
  /**
   * Forgets a recorded webhook (`verified.msg_id`), so its redelivery is handled instead of
   * reported as a duplicate: call it when your handler failed after verification recorded the id.
   * The adapters do it for you. A store without `remove` keeps the id until it expires.
   */
  release(msgId: string): Promise<void>;
}

/** What `verifyDetailed` gives: the typed event and which secret matched (rotation insight). */
export interface VerifiedWebhook {
  event: WebhookEvent;
  /** `secret_index` and `secret_fingerprint` tell which secret signed it (safe to log). */
  verified: Verified;
}

/**
 * Verifies a webhook (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`)
 * and returns the parsed event. Throws `WebhookVerificationError` with a `WEBHOOK_*` code.
 */
export function verifyWebhook(body: WebhookBody, headers: WebhookHeaders, secret: string, options?: VerifyOptions): WebhookEvent;

/** Verifies a webhook's signature without parsing the body; tells which secret matched. */
export function verifyWebhookSignature(body: WebhookBody, headers: WebhookHeaders, secret: string, options?: VerifyOptions): Verified;

/**
 * `verifyWebhook` computing the HMAC with the runtime's WebCrypto (`crypto.subtle`) where it has
 * one, else as `verifyWebhook` does; every other decision is the same. Accepts any `replayGuard`.
 */
export function verifyWebhookAsync(body: WebhookBody, headers: WebhookHeaders, secret: string, options?: VerifyOptions): Promise<WebhookEvent>;

/**
 * A verifier bound to one secret, or several during a key rotation (any one matching signature
 * passes). The secrets are decoded once: reuse it for many requests.
 */
export class WebhookVerifier {
  constructor(secret: string | readonly string[]);
  /** Verifies and returns the typed event. */
  verify(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): WebhookEvent;
  /** Verifies the signature only; tells which secret matched. */
  verifySignature(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): Verified;
  /** Verifies and returns the typed event and which secret matched. */
  verifyDetailed(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): VerifiedWebhook;
  /** `verify` with WebCrypto's HMAC where the runtime has it; accepts any `replayGuard`. */
  verifyAsync(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): Promise<WebhookEvent>;
  /** `verifySignature` with WebCrypto's HMAC where the runtime has it; accepts any `replayGuard`. */
  verifySignatureAsync(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): Promise<Verified>;
  /** `verifyDetailed` with WebCrypto's HMAC where the runtime has it; accepts any `replayGuard`. */
  verifyDetailedAsync(body: WebhookBody, headers: WebhookHeaders, options?: VerifyOptions): Promise<VerifiedWebhook>;
  /** Releases the decoded key now instead of at garbage collection. */
  free(): void;
}

/** Signs a webhook body, for tests and local tooling. */
export function signWebhook(
  body: WebhookBody,
  options: { id: string; secret: string /** unix seconds; default now */; timestamp?: number },
): WebhookSignatureHeaders;

/** Validates an email address; returns it normalised. Throws `InvalidEmailError` (INVALID_EMAIL). */
export function validateEmail(input: string): string;
/** Validates a phone number; returns E.164. Throws `InvalidPhoneError` (INVALID_PHONE). */
export function validatePhone(input: string): string;

/**
 * Resolves a recipient identifier to its kind and normalised value, as a `to` string of a send on
 * `channel` (default: every channel of the event). With `channel: 'slack'`, a Slack channel id
 * (`C01234ABCDE`) is a channel broadcast; without it, it is an external id.
 */
export function resolveIdentifier(input: string, options?: { channel?: Channel | null }): { kind: IdentifierKind; value: string };

/** Every error code with its stable number. */
export function errorCodes(): ReadonlyArray<{ readonly code: ErrorCode; readonly number: number }>;

/** The SDK version. */
export const version: string;

/**
 * Options of the framework adapters (`@sendivent/wasm/express`, `/hono`, `/fetch`). `Context` is
 * what the framework gives a request (Hono's `c`; the request and a Worker's `env`), which
 * `secret` and `replayGuard` may be computed from.
 */
export interface WebhookAdapterOptions<Context extends unknown[]> {
  /** The `whsec_…` signing secret, several during a rotation, or a function of the request that gives them. */
  secret: string | readonly string[] | ((...context: Context) => string | readonly string[] | Promise<string | readonly string[]>);
  /** Where verified ids are remembered. Default: a `ReplayGuard` in memory; `null` turns replay protection off. */
  replayGuard?: ReplayGuard | null | ((...context: Context) => ReplayGuard | null | Promise<ReplayGuard | null>);
  /** Allowed clock difference either way, in seconds (0 to 7 days). Default: 300. */
  tolerance?: number;
  /** Skip the timestamp check (replayed test fixtures). Default: false. */
  skipTimestampCheck?: boolean;
  /** The current time in unix seconds, or a clock giving it (tests). Default: `Date.now() / 1000`. */
  now?: number | (() => number);
}

/** What an adapter answers for a webhook it does not hand to the application. */
export type WebhookRefusal = { duplicate: true; message: string } | { error: ErrorCode; reason: string | null; message: string };
