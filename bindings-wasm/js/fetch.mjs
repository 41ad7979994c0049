// @sendivent/wasm/fetch: a `Request → Response` webhook handler, for Next.js route handlers
// (`export const POST = …`) and every runtime that serves Fetch API requests (Workers, Deno.serve,
// Bun.serve, Remix, SvelteKit). Verification, replay protection and the typed event are the
// core's (lib/receive.mjs). Types: ./fetch.d.ts.
import * as api from '@sendivent/wasm/webhook';
import { createReceiver } from './lib/receive.mjs';

function json(body, status) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/**
 * `export const POST = webhookHandler({ secret }, async (event, { verified }) => { … })`: the
 * handler gets each verified webhook once, as the typed event, and may return a `Response`
 * (default: 204). A bad signature is answered 400 with the reason, a redelivery 200 without
 * calling the handler, a failing replay store 503. A handler that throws or answers 5xx releases
 * the id, so Sendivent's retry is handled again. Extra arguments of the runtime (a Worker's
 * `env`, `ctx`) reach `secret`/`replayGuard` functions after the request, and the handler as
 * `context`.
 */
export function webhookHandler(options, handler) {
  if (typeof handler !== 'function')
    throw new TypeError('webhookHandler(options, handler): the handler is a function (event, { verified, request }) => Response | void');
  const receive = createReceiver(api, options);
  return async function handleWebhook(request, ...context) {
    const body = new Uint8Array(await request.arrayBuffer());
    const outcome = await receive(body, request.headers, [request, ...context]);
    if (outcome.answer !== undefined) return json(outcome.answer.body, outcome.answer.status);
    let answer;
    try {
      answer = await handler(outcome.event, { verified: outcome.verified, request, context });
    } catch (err) {
      await outcome.release();
      throw err;
    }
    if (answer instanceof Response) {
      if (answer.status >= 500) await outcome.release();
      return answer;
    }
    return new Response(null, { status: 204 });
  };
}
