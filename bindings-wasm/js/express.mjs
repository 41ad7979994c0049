// @sendivent/wasm/express: Express middleware that receives a Sendivent webhook. It reads the raw
// body itself (or takes the Buffer of express.raw()), so a JSON body parser cannot change the
// bytes before they are verified; verification, replay protection and the typed event are the
// core's (lib/receive.mjs). Types: ./express.d.ts.
import * as api from '@sendivent/wasm/webhook';
import { createReceiver } from './lib/receive.mjs';

/** The default bound of a webhook body: far above what Sendivent sends. */
const DEFAULT_LIMIT = 1024 * 1024;

/** Node's raw header list `[name, value, name, value, …]` as pairs: every header, repeats included. */
function headerPairs(req) {
  const raw = req.rawHeaders ?? [];
  const pairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

/**
 * `{ body }`: the body as received, or what a body parser left of it (which the core refuses as
 * not raw); `{ tooLarge: true }` past `limit` bytes.
 */
async function readBody(req, limit) {
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') return { body: req.body };
  if (req.body !== undefined || req.readableEnded) return { body: req.body };
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return { tooLarge: true };
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks) };
}

/**
 * `app.post('/webhooks/sendivent', sendiventWebhook({ secret }), (req, res) => { req.sendivent.event … })`:
 * verified webhooks reach the next handler with `req.sendivent = { event, verified }`; a bad
 * signature is answered 400 with the reason, a redelivery 200, a failing replay store 503. A
 * handler that fails (an error reaching Express, a 5xx answer, or no answer before the connection
 * closes) releases the id, so Sendivent's retry is handled again.
 */
export function sendiventWebhook(options) {
  const { limit = DEFAULT_LIMIT, ...receiverOptions } = options ?? {};
  const receive = createReceiver(api, receiverOptions);
  return function sendiventWebhookMiddleware(req, res, next) {
    (async () => {
      const { body, tooLarge } = await readBody(req, limit);
      if (tooLarge) {
        res.status(413).json({ message: `the webhook body is larger than ${limit} bytes` });
        return;
      }
      const outcome = await receive(body, headerPairs(req), [req, res]);
      if (outcome.answer !== undefined) {
        res.status(outcome.answer.status).json(outcome.answer.body);
        return;
      }
      req.sendivent = { event: outcome.event, verified: outcome.verified };
      res.once('close', () => {
        if (!res.writableFinished || res.statusCode >= 500) outcome.release();
      });
      next();
    })().catch(next);
  };
}
