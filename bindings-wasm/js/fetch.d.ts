// Types of `@sendivent/wasm/fetch`.
import type { Verified, WebhookEvent } from './types.gen.js';
import type { WebhookAdapterOptions } from './webhook.js';

export type { VerifiedWebhook, WebhookAdapterOptions, WebhookRefusal } from './webhook.js';

/** What the handler is told besides the event. */
export interface WebhookContext<Extra extends unknown[]> {
  /** Which secret matched (`secret_index`, `secret_fingerprint`) and the webhook's id and timestamp. */
  verified: Verified;
  request: Request;
  /** The runtime's other arguments (a Worker's `env` and `ctx`). */
  context: Extra;
}

/**
 * A `Request → Response` handler receiving Sendivent webhooks (a Next.js route handler's `POST`,
 * a Worker's `fetch`): `handler` gets each verified webhook once, as the typed event, and may
 * return a `Response` (default: 204). A bad signature is answered 400 with
 * `{ error, reason, message }`, a redelivery 200 `{ duplicate: true }` without calling the
 * handler, a failing replay store 503.
 */
export function webhookHandler<Extra extends unknown[] = []>(
  options: WebhookAdapterOptions<[Request, ...Extra]>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler may return nothing (an async function resolving to void)
  handler: (event: WebhookEvent, context: WebhookContext<Extra>) => Response | void | Promise<Response | void>,
): (request: Request, ...context: Extra) => Promise<Response>;
