// A Cloudflare Workers-style webhook receiver (also runs on any runtime with `export default
// { fetch }`: workerd, Deno's `deno serve`, Bun). It verifies the Sendivent webhook, and when a
// delivery failed it alerts the team through the Sendivent API.
//
// Bindings (wrangler.toml `[vars]` / secrets):
//   SENDIVENT_WEBHOOK_SECRET  whsec_… from the webhook configuration
//   SENDIVENT_API_KEY         live_… or test_…
//   SENDIVENT_BASE_URL        optional (e.g. a mock)
//   ALERT_RECIPIENT           who gets told about failed deliveries
import { Sendivent, WebhookVerificationError, verifyWebhook } from '@sendivent/wasm';

export default {
  async fetch(request, env) {
    if (request.method !== 'POST') return new Response('POST a Sendivent webhook here\n', { status: 405 });

    // Verify the raw bytes exactly as received; never a re-serialised object.
    const body = new Uint8Array(await request.arrayBuffer());
    let event;
    try {
      event = verifyWebhook(body, request.headers, env.SENDIVENT_WEBHOOK_SECRET);
    } catch (err) {
      if (err instanceof WebhookVerificationError) {
        return Response.json({ error: err.code, message: err.message }, { status: 400 });
      }
      throw err;
    }

    if (event.event !== 'delivery.failed' && event.event !== 'delivery.bounced') {
      return Response.json({ received: event.event });
    }

    const client = new Sendivent({ apiKey: env.SENDIVENT_API_KEY, baseUrl: env.SENDIVENT_BASE_URL });
    // The webhook id makes the alert idempotent: a redelivered webhook never alerts twice.
    const sent = await client.send(
      'team.alert',
      {
        to: env.ALERT_RECIPIENT,
        payload: { delivery: event.delivery.uuid, status: event.delivery.status, reason: event.delivery.error ?? '' },
      },
      { idempotencyKey: `alert-${request.headers.get('webhook-id')}` },
    );
    return Response.json({
      received: event.event,
      alerted: sent.deliveries,
      replay: sent.lastResponse.idempotent_replay,
    });
  },
};
