// Types of `@sendivent/wasm`: everything of `@sendivent/wasm/webhook` plus the `Sendivent` client,
// whose options and methods are generated from the core's description (client.gen.d.ts).
// Answers are typed with the keys of the core's canonical JSON (unknown fields dropped, unknown
// enum values kept as strings).

import type { ClientOptions, RequestOptions, ResponseModels, SendiventResources } from './client.gen.js';
import type { JsonValue } from './types.gen.js';

export * from './webhook.js';
export * from './client.gen.js';

/**
 * The Sendivent API client. Retries connection errors, timeouts, 408, 429 and 5xx with jittered
 * backoff (honouring `Retry-After`); every send carries an idempotency key reused by its
 * retries. Failures throw `SendiventError` subclasses with the core's codes.
 */
export declare class Sendivent {
  constructor(options?: ClientOptions);
  /** From the key's prefix. */
  readonly keyMode: 'live' | 'test';
  readonly baseUrl: string;
  /** A client sharing this one's connections and rate limit, with per-request overrides. */
  withOptions(options: RequestOptions): Sendivent;
}
export interface Sendivent extends SendiventResources {}

/**
 * Decodes an answer body (JSON text or an already parsed value) as the operation `kind` (or
 * `webhook_event`, `error_body`) exactly as the client does, and returns the same object the
 * client would: unknown fields dropped, unknown enum values kept, defaults filled in. Throws
 * `InvalidResponseError` (INVALID_RESPONSE) when the body is not the shape.
 */
export function decodeResponse<K extends keyof ResponseModels>(kind: K, body: string | JsonValue): ResponseModels[K];
