// Types of `@sendivent/wasm/express`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifiedWebhook, WebhookAdapterOptions } from './webhook.js';

export type { VerifiedWebhook, WebhookAdapterOptions, WebhookRefusal } from './webhook.js';

/** An Express request after `sendiventWebhook`: `sendivent` holds the verified webhook. */
export interface SendiventWebhookRequest extends IncomingMessage {
  sendivent?: VerifiedWebhook;
  body?: unknown;
}

/** The parts of Express's response the middleware uses. */
export interface WebhookResponse extends ServerResponse {
  status(code: number): this;
  json(body: unknown): this;
}

/**
 * Express middleware receiving Sendivent webhooks. It reads the raw body itself (or takes the
 * Buffer of `express.raw()`); verified webhooks reach the next handler as `req.sendivent =
 * { event, verified }`; a bad signature is answered 400 with `{ error, reason, message }`, a
 * redelivery 200 `{ duplicate: true }` without calling the next handler, a failing replay store
 * 503. Mount it before any `express.json()` that would read the same route's body.
 */
export function sendiventWebhook(
  options: WebhookAdapterOptions<[SendiventWebhookRequest, WebhookResponse]> & {
    /** The largest body accepted, in bytes (413 beyond). Default: 1 MiB. */
    limit?: number;
  },
): (req: SendiventWebhookRequest, res: WebhookResponse, next: (err?: unknown) => void) => void;
