// The end-to-end scenario every framework adapter runs: sendivent-mock delivers real signed
// webhooks (a send made through the JS client) to the adapter's server through a recording
// proxy; then a recorded delivery is replayed (ignored: 200, the handler not called again) and
// sent tampered (refused: 400 with the reason).
import assert from 'node:assert/strict';

import { Sendivent } from '../pkg/node.mjs';
import { startRecordingProxy, waitFor } from './helpers.mjs';

export const MOCK_ARGS = ['--no-limits', '--transition-delay-ms', '20', '--webhook-backoff-ms', '50'];
const KEY = 'test_receivers0123456789abcd';
const ROUTE = '/webhooks/sendivent';

/**
 * `startReceiver(secret)` starts the adapter's server with the endpoint's signing secret and
 * resolves to `{ url, received }`: `received()` lists what the application's handler got, as
 * `{ event, verified }`.
 */
export async function receiverRoundTrip(mock, startReceiver) {
  const proxy = await startRecordingProxy();
  try {
    const client = new Sendivent({ apiKey: KEY, baseUrl: mock.url });
    const endpoint = await client.webhooks.create({ url: `${proxy.url}${ROUTE}`, enabled_events: ['delivery.sent', 'delivery.delivered'] });
    const receiver = await startReceiver(endpoint.signing_secret);
    proxy.target = receiver.url;

    const sent = await client.send('user.welcome', { channel: 'email', to: 'ada@example.com', payload: { name: 'Ada' } });
    const [delivery] = sent.deliveries;
    await waitFor(() => proxy.records.filter((r) => r.answer.status < 300).length >= 2, 'two delivered webhooks');
    const handled = await waitFor(async () => {
      const got = await receiver.received();
      return got.length >= 2 && got;
    }, 'the handler to see both');
    assert.equal(handled.length, 2, JSON.stringify(handled));
    assert.deepEqual(handled.map((h) => h.event.event).sort(), ['delivery.delivered', 'delivery.sent']);
    for (const { event, verified } of handled) {
      assert.equal(event.delivery.uuid, delivery.uuid);
      assert.equal(event.delivery.channel, 'email');
      assert.equal(event.request_id, sent.lastResponse.request_id);
      assert.equal(verified.secret_index, 0);
      assert.match(verified.secret_fingerprint, /^whsec:[0-9a-f]{16}$/);
      assert.match(verified.msg_id, /^msg_/);
    }
    const first = proxy.records.find((r) => r.answer.status < 300);
    assert.equal(first.path, ROUTE);

    // A replay of a real delivery: answered 2xx, not handled again.
    const replay = await proxy.send(first);
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    assert.equal(replay.body.duplicate, true);

    // The same delivery with one byte changed: refused with the reason.
    const tampered = Buffer.from(first.body);
    tampered[tampered.indexOf('"delivery"') + 1] ^= 0x20;
    const refused = await proxy.send({ ...first, body: tampered });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.deepEqual([refused.body.error, refused.body.reason], ['WEBHOOK_NO_MATCHING_SIGNATURE', 'no_matching_signature']);
    assert.match(refused.body.message, /no signature/);

    assert.equal((await receiver.received()).length, 2, 'neither the replay nor the forgery reached the handler');
    const attempts = (await mock.admin('GET', 'state')).webhook_attempts.filter((a) => a.delivery_uuid === delivery.uuid);
    assert.ok(attempts.length >= 2 && attempts.every((a) => a.status >= 200 && a.status < 300), JSON.stringify(attempts));
    return { endpoint, handled };
  } finally {
    await proxy.stop();
  }
}
