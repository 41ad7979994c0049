// A Hono app receiving Sendivent webhooks in Cloudflare Workers (or Deno, Bun, Node) with
// @sendivent/wasm/hono. The signing secret is the Worker's SENDIVENT_WEBHOOK_SECRET binding.
import { Hono } from 'hono';
import { sendiventWebhook } from '@sendivent/wasm/hono';

const app = new Hono();
/** What the handler received, for GET /received (a demo; a real app would act on it). */
const received = [];

app.post('/webhooks/sendivent', sendiventWebhook({ secret: (c) => c.env.SENDIVENT_WEBHOOK_SECRET }), (c) => {
  const { event, verified } = c.get('sendivent');
  received.push({ event, verified });
  return c.body(null, 204);
});

app.get('/received', (c) => c.json(received));

export default app;
