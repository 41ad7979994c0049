// @sendivent/wasm/hono: Hono middleware that receives a Sendivent webhook, in any runtime Hono
// runs in (Cloudflare Workers, Deno, Bun, Node). Verification, replay protection and the typed
// event are the core's (lib/receive.mjs). Types: ./hono.d.ts.
import * as api from '@sendivent/wasm/webhook';
import { createReceiver } from './lib/receive.mjs';

/**
 * `app.post('/webhooks/sendivent', sendiventWebhook({ secret: (c) => c.env.SENDIVENT_WEBHOOK_SECRET }), (c) => { c.get('sendivent').event … })`:
 * verified webhooks reach the next handler with `c.get('sendivent')` = `{ event, verified }`; a
 * bad signature is answered 400 with the reason, a redelivery 200, a failing replay store 503. A
 * handler that throws or answers 5xx releases the id, so Sendivent's retry is handled again.
 * `secret` and `replayGuard` may be functions of the context (bindings live in `c.env`).
 */
export function sendiventWebhook(options) {
  const receive = createReceiver(api, options);
  return async function sendiventWebhookMiddleware(c, next) {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const outcome = await receive(body, c.req.raw.headers, [c]);
    if (outcome.answer !== undefined) return c.json(outcome.answer.body, outcome.answer.status);
    c.set('sendivent', { event: outcome.event, verified: outcome.verified });
    try {
      await next();
    } catch (err) {
      await outcome.release();
      throw err;
    }
    // Hono turns a handler's exception into c.error and a 500 answer before next() returns.
    if (c.error !== undefined || c.res.status >= 500) await outcome.release();
  };
}
