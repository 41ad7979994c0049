// A Node HTTP webhook receiver using node:http only. Run it with
//   SENDIVENT_WEBHOOK_SECRET=whsec_… node node-receiver.mjs        (listens on PORT, default 8787)
// or import `createReceiver` to mount it in your own server.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { WebhookVerifier, WebhookVerificationError } from '@sendivent/wasm/webhook';

const MAX_BODY = 1024 * 1024; // webhooks are small; refuse anything absurd before buffering it

/**
 * Returns a `(req, res)` handler that verifies Sendivent webhooks and passes each event to
 * `onEvent(event, webhookId)`. Answers 204 on success, 400 with the error code when
 * verification fails, 413 for oversized bodies.
 */
export function createReceiver({ secret, onEvent }) {
  const verifier = new WebhookVerifier(secret); // decode the secret once, not per request
  return (req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', async () => {
      if (res.writableEnded) return;
      try {
        // req.headers is a plain object with lower-cased names: passed as is.
        const event = verifier.verify(Buffer.concat(chunks), req.headers);
        await onEvent(event, req.headers['webhook-id']);
        res.writeHead(204).end();
      } catch (err) {
        if (err instanceof WebhookVerificationError) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: err.code, message: err.message }));
        } else {
          res.writeHead(500).end();
          console.error(err);
        }
      }
    });
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const secret = process.env.SENDIVENT_WEBHOOK_SECRET;
  if (!secret) throw new Error('set SENDIVENT_WEBHOOK_SECRET (whsec_…)');
  const handler = createReceiver({
    secret,
    onEvent: (event, id) => console.log(`${id}: ${event.event} ${event.delivery.channel} ${event.delivery.uuid}`),
  });
  const port = Number(process.env.PORT ?? 8787);
  http.createServer(handler).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
}
