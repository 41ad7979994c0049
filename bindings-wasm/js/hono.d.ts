// Types of `@sendivent/wasm/hono`.
import type { Context, Env, MiddlewareHandler } from 'hono';
import type { VerifiedWebhook, WebhookAdapterOptions } from './webhook.js';

export type { VerifiedWebhook, WebhookAdapterOptions, WebhookRefusal } from './webhook.js';

/** The variables the middleware sets: `c.get('sendivent')` is the verified webhook. */
export interface SendiventVariables {
  sendivent: VerifiedWebhook;
}

/**
 * Hono middleware receiving Sendivent webhooks: verified webhooks reach the next handler as
 * `c.get('sendivent')` = `{ event, verified }`; a bad signature is answered 400 with
 * `{ error, reason, message }`, a redelivery 200 `{ duplicate: true }` without calling the next
 * handler, a failing replay store 503. `secret` and `replayGuard` may read `c.env`.
 */
export function sendiventWebhook<E extends Env = Env>(
  options: WebhookAdapterOptions<[Context<E & { Variables: SendiventVariables }>]>,
): MiddlewareHandler<E & { Variables: SendiventVariables }>;
