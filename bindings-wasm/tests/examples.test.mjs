// The Node HTTP receiver example (examples/node-receiver.mjs), imported through the package
// name `@sendivent/wasm/webhook` as a user would, receiving real HTTP requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { createReceiver } from '../examples/node-receiver.mjs';
import { signWebhook } from '@sendivent/wasm';

const SECRET = 'whsec_c2VuZGl2ZW50LW5vZGUtcmVjZWl2ZXItc2VjcmV0LTE=';

test('node receiver: verifies real HTTP deliveries and answers with the error code otherwise', async () => {
  const received = [];
  const server = http.createServer(createReceiver({ secret: SECRET, onEvent: (event, id) => received.push([id, event]) }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/webhooks/sendivent`;
  try {
    const body = JSON.stringify({
      event: 'delivery.bounced',
      delivery: {
        uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
        channel: 'email',
        status: 'bounced',
        event_name: 'invoice.due',
        message_id: 'm-1',
        sent_at: null,
        delivered_at: null,
        error: 'mailbox full',
      },
      request_id: 'req_node_1',
      timestamp: '2026-11-28T12:00:00Z',
      added_later: { fields: 'the SDK ignores' },
    });
    const headers = signWebhook(body, { id: 'msg_node_1', secret: SECRET });
    // Mixed-case header names, as some proxies send them.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Webhook-Id': headers['webhook-id'], 'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'], 'webhook-signature': headers['webhook-signature'] },
      body,
    });
    assert.equal(res.status, 204);
    assert.equal(received.length, 1);
    assert.equal(received[0][0], 'msg_node_1');
    assert.equal(received[0][1].delivery.error, 'mailbox full');
    assert.ok(!('added_later' in received[0][1]), 'unknown fields are dropped by the typed event');

    const bad = await fetch(url, { method: 'POST', headers, body: body.replace('full', 'empty') });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error, 'WEBHOOK_NO_MATCHING_SIGNATURE');
    const wrongSecret = signWebhook(body, { id: 'msg_node_2', secret: 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0wMDAwMDE=' });
    const forged = await fetch(url, { method: 'POST', headers: wrongSecret, body });
    assert.equal((await forged.json()).error, 'WEBHOOK_NO_MATCHING_SIGNATURE');
    assert.equal(received.length, 1);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
