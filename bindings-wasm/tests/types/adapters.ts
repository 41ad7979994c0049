// The adapters' declarations against the real frameworks' types (Express through Node's http
// types, Hono's own), compiled with the same strict settings as usage.ts.
import express from 'express';
import { Hono } from 'hono';
import { sendiventWebhook as expressWebhook } from '@sendivent/wasm/express';
import { sendiventWebhook as honoWebhook } from '@sendivent/wasm/hono';
import { webhookHandler } from '@sendivent/wasm/fetch';
import { ReplayGuard, type WebhookEvent, type Verified } from '@sendivent/wasm/webhook';

const app = express();
app.post('/webhooks/sendivent', expressWebhook({ secret: 'whsec_x', limit: 65536 }), (req, res) => {
  const received = (req as { sendivent?: { event: WebhookEvent; verified: Verified } }).sendivent;
  res.status(204).end(received?.event.event);
});
// @ts-expect-error the secret is required
expressWebhook({});

type Bindings = { SENDIVENT_WEBHOOK_SECRET: string };
const hono = new Hono<{ Bindings: Bindings }>();
hono.post('/webhooks/sendivent', honoWebhook<{ Bindings: Bindings }>({ secret: (c) => c.env.SENDIVENT_WEBHOOK_SECRET, replayGuard: null }), (c) => {
  const { event, verified } = c.get('sendivent');
  const index: number = verified.secret_index;
  return c.json({ type: event.event, index });
});

export const POST = webhookHandler({ secret: () => 'whsec_x', replayGuard: new ReplayGuard(), now: () => 1 }, async (event, { verified, request }) => {
  const url: string = request.url;
  if (event.event === 'delivery.failed') return Response.json({ url, id: verified.msg_id });
  return undefined;
});
const handled: Promise<Response> = POST(new Request('https://example.com'));
void handled;

// A Worker: `env` reaches the options after the request.
export const worker = {
  fetch: webhookHandler<[Bindings]>({ secret: (_request, env) => env.SENDIVENT_WEBHOOK_SECRET }, () => new Response(null, { status: 204 })),
};
