// Webhook verification and signing through the WebAssembly package, including interop with the
// reference Standard Webhooks library and svix, in both builds (full and ./webhook).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inspect } from 'node:util';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

import * as full from '../pkg/node.mjs';
import * as lite from '../pkg/webhook/node.mjs';
import { pkgDir } from './helpers.mjs';

const NOW = 1_764_331_200; // 2025-11-28T12:00:00Z
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const event = {
  event: 'delivery.delivered',
  delivery: {
    uuid: '3f1c2a7e-9b1d-4c55-8e2a-1b2c3d4e5f60',
    channel: 'email',
    status: 'delivered',
    event_name: 'order.confirmed',
    message_id: 'ses-0001',
    sent_at: '2025-11-28T11:59:58Z',
    delivered_at: '2025-11-28T11:59:59Z',
    error: null,
  },
  request_id: 'req_01',
  timestamp: '2025-11-28T12:00:00Z',
};
const body = JSON.stringify(event);
/** The fields of a typed object, as plain JSON values. */
const plain = (value) => structuredClone(value);

function expectCode(fn, code, sdk = full) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof sdk.WebhookVerificationError, `expected WebhookVerificationError, got ${err?.name}: ${err?.message}`);
    assert.ok(err instanceof sdk.SendiventError);
    assert.ok(err instanceof Error);
    assert.equal(err.code, code, err.message);
    assert.equal(err.name, 'WebhookVerificationError');
    assert.ok(!err.message.includes(secret.slice(6, 30)), 'the secret must not appear in messages');
    return true;
  });
}

for (const [name, sdk] of [
  ['full', full],
  ['webhook', lite],
]) {
  test(`${name}: a body signed by the SDK verifies and parses into the typed event`, () => {
    const headers = sdk.signWebhook(body, { id: 'msg_1', secret, timestamp: NOW });
    assert.equal(headers['webhook-id'], 'msg_1');
    assert.equal(headers['webhook-timestamp'], String(NOW));
    assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(plain(sdk.verifyWebhook(body, headers, secret, { now: NOW })), event);
    sdk.verifyWebhookSignature(body, headers, secret, { now: NOW });
  });

  test(`${name}: body as string, Uint8Array, ArrayBuffer and DataView; headers as Headers or any-case object`, () => {
    const h = sdk.signWebhook(body, { id: 'msg_2', secret, timestamp: NOW });
    const bytes = new TextEncoder().encode(body);
    const shouting = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
    const arrays = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [v]]));
    for (const b of [
      body,
      bytes,
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ]) {
      for (const headers of [h, new Headers(h), shouting, arrays]) {
        assert.equal(sdk.verifyWebhook(b, headers, secret, { now: NOW }).request_id, 'req_01');
      }
    }
  });

  test(`${name}: every failure has its own code`, () => {
    const h = sdk.signWebhook(body, { id: 'msg_3', secret, timestamp: NOW });
    const without = (name) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== name));
    for (const missing of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expectCode(() => sdk.verifyWebhook(body, without(missing), secret, { now: NOW }), 'WEBHOOK_MISSING_HEADER', sdk);
    }
    expectCode(() => sdk.verifyWebhook(body.replace('req_01', 'req_02'), h, secret, { now: NOW }), 'WEBHOOK_NO_MATCHING_SIGNATURE', sdk);
    expectCode(() => sdk.verifyWebhook(body, { ...h, 'webhook-id': 'msg_other' }, secret, { now: NOW }), 'WEBHOOK_NO_MATCHING_SIGNATURE', sdk);
    expectCode(() => sdk.verifyWebhook(body, { ...h, 'webhook-timestamp': 'soon' }, secret, { now: NOW }), 'WEBHOOK_INVALID_TIMESTAMP', sdk);
    expectCode(() => sdk.verifyWebhook(body, { ...h, 'webhook-signature': 'garbage' }, secret, { now: NOW }), 'WEBHOOK_INVALID_SIGNATURE_HEADER', sdk);
    expectCode(() => sdk.verifyWebhook(body, h, secret, { now: NOW + 301 }), 'WEBHOOK_TIMESTAMP_TOO_OLD', sdk);
    expectCode(() => sdk.verifyWebhook(body, h, secret, { now: NOW - 301 }), 'WEBHOOK_TIMESTAMP_TOO_NEW', sdk);
    // Tolerance is two-sided and configurable; 0 means exactly now, never "off".
    assert.ok(sdk.verifyWebhook(body, h, secret, { now: NOW + 299 }));
    assert.ok(sdk.verifyWebhook(body, h, secret, { now: NOW + 1000, tolerance: 1000 }));
    assert.ok(sdk.verifyWebhook(body, h, secret, { now: NOW, tolerance: 0 }));
    expectCode(() => sdk.verifyWebhook(body, h, secret, { now: NOW + 2, tolerance: 0 }), 'WEBHOOK_TIMESTAMP_TOO_OLD', sdk);
    assert.ok(sdk.verifyWebhook(body, h, secret, { now: NOW + 86_400, skipTimestampCheck: true }));
    // The default clock is the platform's: a timestamp from 2025 is far too old now.
    expectCode(() => sdk.verifyWebhook(body, h, secret), 'WEBHOOK_TIMESTAMP_TOO_OLD', sdk);
  });

  test(`${name}: secret pitfalls get clear errors`, () => {
    const h = sdk.signWebhook(body, { id: 'msg_4', secret, timestamp: NOW });
    expectCode(() => sdk.verifyWebhook(body, h, '', { now: NOW }), 'WEBHOOK_SECRET_EMPTY', sdk);
    expectCode(() => sdk.verifyWebhook(body, h, 'test_0123456789abcdef0123', { now: NOW }), 'WEBHOOK_SECRET_IS_API_KEY', sdk);
    expectCode(() => sdk.verifyWebhook(body, h, 'live_0123456789abcdef0123', { now: NOW }), 'WEBHOOK_SECRET_IS_API_KEY', sdk);
    expectCode(() => sdk.verifyWebhook(body, h, h['webhook-signature'], { now: NOW }), 'WEBHOOK_SECRET_IS_SIGNATURE', sdk);
    expectCode(() => sdk.verifyWebhook(body, h, 'whsec_not*base64!', { now: NOW }), 'WEBHOOK_INVALID_SECRET', sdk);
    expectCode(() => new sdk.WebhookVerifier(''), 'WEBHOOK_SECRET_EMPTY', sdk);
  });

  test(`${name}: every header reaches the core: repeated ones as Node arrays or pairs, never first-wins`, () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const mine = sdk.signWebhook(body, { id: 'msg_rep', secret, timestamp: NOW });
    const theirs = sdk.signWebhook(body, { id: 'msg_rep', secret: other, timestamp: NOW });
    // Two signature headers (a proxy adding one): each occurrence counts, in either order.
    for (const signatures of [
      [theirs['webhook-signature'], mine['webhook-signature']],
      [mine['webhook-signature'], theirs['webhook-signature']],
    ]) {
      const nodeStyle = { ...mine, 'webhook-signature': signatures };
      assert.equal(sdk.verifyWebhook(body, nodeStyle, secret, { now: NOW }).event, 'delivery.delivered');
      const pairs = [['webhook-id', 'msg_rep'], ['webhook-timestamp', String(NOW)], ...signatures.map((v) => ['Webhook-Signature', v])];
      assert.equal(sdk.verifyWebhook(body, pairs, secret, { now: NOW }).event, 'delivery.delivered');
    }
    // webhook-id twice with different values is ambiguous, whichever comes first.
    expectCode(() => sdk.verifyWebhook(body, { ...mine, 'webhook-id': ['msg_rep', 'msg_other'] }, secret, { now: NOW }), 'WEBHOOK_AMBIGUOUS_HEADER', sdk);
    expectCode(() => sdk.verifyWebhook(body, [...Object.entries(mine), ['webhook-id', 'msg_other']], secret, { now: NOW }), 'WEBHOOK_AMBIGUOUS_HEADER', sdk);
    // The same value twice is one header.
    assert.ok(sdk.verifyWebhook(body, [...Object.entries(mine), ['WEBHOOK-ID', 'msg_rep']], secret, { now: NOW }));
  });

  test(`${name}: verify options are checked by the core's bounds, never a trap`, () => {
    const h = sdk.signWebhook(body, { id: 'msg_opt', secret, timestamp: NOW });
    for (const tolerance of [-1, 1e20, Number.NaN, 604_800.5]) {
      assert.throws(
        () => sdk.verifyWebhook(body, h, secret, { now: NOW, tolerance }),
        (err) => err instanceof sdk.ValidationError && err.code === 'INVALID_ARGUMENT',
        String(tolerance),
      );
    }
    assert.throws(() => sdk.verifyWebhook(body, h, secret, { now: NOW, toleranceSeconds: 0 }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => sdk.verifyWebhook(body, h, secret, { now: Number.POSITIVE_INFINITY }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => sdk.verifyWebhook(body, 'webhook-id: x', secret, { now: NOW }), { code: 'INVALID_ARGUMENT' });
  });

  test(`${name}: a valid signature over a body that is not an event is WEBHOOK_INVALID_PAYLOAD`, () => {
    for (const b of ['not json', '{"hello":"world"}']) {
      const h = sdk.signWebhook(b, { id: 'msg_5', secret, timestamp: NOW });
      sdk.verifyWebhookSignature(b, h, secret, { now: NOW });
      expectCode(() => sdk.verifyWebhook(b, h, secret, { now: NOW }), 'WEBHOOK_INVALID_PAYLOAD', sdk);
    }
  });

  test(`${name}: small and large bodies give the same typed event, fields in the model's order`, () => {
    for (const size of [100, 8 * 1024, 8 * 1024 + 1, 70_000]) {
      const big = { ...event, delivery: { ...event.delivery, error: 'é'.repeat(size / 2), message_id: null }, extra: [1, 2] };
      const text = JSON.stringify(big);
      const h = sdk.signWebhook(text, { id: 'msg_big', secret, timestamp: NOW });
      const { extra, ...expected } = big;
      assert.deepEqual(plain(sdk.verifyWebhook(text, h, secret, { now: NOW })), expected);
      assert.deepEqual(plain(sdk.verifyWebhook(new TextEncoder().encode(text), h, secret, { now: NOW })), expected);
      assert.deepEqual(Object.keys(sdk.verifyWebhook(text, h, secret, { now: NOW }).delivery), Object.keys(event.delivery));
    }
  });

  test(`${name}: rotated keys: any one matching signature passes`, () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const a = sdk.signWebhook(body, { id: 'msg_6', secret: other, timestamp: NOW });
    const b = sdk.signWebhook(body, { id: 'msg_6', secret, timestamp: NOW });
    const both = { ...b, 'webhook-signature': `${a['webhook-signature']} ${b['webhook-signature']}` };
    assert.equal(sdk.verifyWebhook(body, both, secret, { now: NOW }).event, 'delivery.delivered');
    assert.equal(sdk.verifyWebhook(body, both, other, { now: NOW }).event, 'delivery.delivered');
  });

  test(`${name}: WebhookVerifier reuses one secret and never shows it`, () => {
    const verifier = new sdk.WebhookVerifier(secret);
    for (let i = 0; i < 3; i++) {
      const h = sdk.signWebhook(body, { id: `msg_v${i}`, secret, timestamp: NOW });
      assert.deepEqual(plain(verifier.verify(body, h, { now: NOW })), event);
    }
    for (const shown of [String(verifier), JSON.stringify(verifier), inspect(verifier)]) {
      assert.ok(!shown.includes(secret.slice(6)), shown);
      assert.ok(shown.includes(`whsec_…${secret.slice(-4)}`), shown);
    }
    verifier.free();
  });

  test(`${name}: interop with the standardwebhooks and svix packages, both directions`, () => {
    const reference = new StandardWebhook(secret);
    const svix = new SvixWebhook(secret);
    const theirSignature = reference.sign('msg_7', new Date(NOW * 1000), body);
    const theirs = { 'webhook-id': 'msg_7', 'webhook-timestamp': String(NOW), 'webhook-signature': theirSignature };
    assert.deepEqual(plain(sdk.verifyWebhook(body, theirs, secret, { now: NOW })), event);

    const now = Math.floor(Date.now() / 1000); // the reference libraries use the real clock
    const ours = sdk.signWebhook(body, { id: 'msg_8', secret, timestamp: now });
    assert.equal(ours['webhook-signature'], reference.sign('msg_8', new Date(now * 1000), body));
    assert.deepEqual(reference.verify(body, ours), event);
    // svix 2's verify returns nothing on success and throws on failure.
    svix.verify(body, ours);
    assert.throws(() => svix.verify(body.replace('req_01', 'req_02'), ours));
    assert.throws(() => reference.verify(body.replace('req_01', 'req_02'), ours));
  });
}

test('errorCodes() covers exactly the ErrorCode union of the declarations', () => {
  const dts = readFileSync(path.join(pkgDir, 'types.gen.d.ts'), 'utf8');
  const union = dts.slice(dts.indexOf('export type ErrorCode ='), dts.indexOf(';', dts.indexOf('export type ErrorCode =')));
  const declared = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]).sort();
  const exported = full
    .errorCodes()
    .map((c) => c.code)
    .sort();
  assert.deepEqual(declared, exported, 'run `make generate`');
  assert.deepEqual(lite.errorCodes(), full.errorCodes());
  assert.equal(new Set(full.errorCodes().map((c) => c.number)).size, full.errorCodes().length);
});

test('the two builds share error classes, so instanceof works across them', () => {
  for (const name of Object.keys(full).filter((n) => n.endsWith('Error'))) {
    // biome-ignore lint/performance/noDynamicNamespaceImportAccess: every error class, by name
    assert.equal(full[name], lite[name], name);
  }
  assert.equal(full.WebhookVerificationError, lite.WebhookVerificationError);
  assert.equal(full.version, lite.version);
  assert.match(full.version, /^\d+\.\d+\.\d+/);
});

test('a large event reaches JS as the same typed object as a small one (built directly, not as JSON text): unicode, escapes, unknown fields, every path', async () => {
  const large = {
    ...event,
    unknown_top: { nested: [1, 2] },
    delivery: { ...event.delivery, status: 'bounced', error: `"quoted" \\ \n\t é 😀 \u2028 ${'x'.repeat(70_000)}`, extra: 'dropped' },
  };
  const text = JSON.stringify(large);
  const headers = full.signWebhook(text, { id: 'msg_large', secret, timestamp: NOW });
  // The client's decoding of the same body goes through JSON text at every size.
  const expected = plain(full.decodeResponse('webhook_event', text));
  assert.equal(expected.delivery.error, large.delivery.error);
  for (const sdk of [full, lite]) {
    const verifier = new sdk.WebhookVerifier(secret);
    assert.deepEqual(plain(verifier.verify(text, headers, { now: NOW })), expected);
    assert.deepEqual(plain(verifier.verify(Buffer.from(text), headers, { now: NOW })), expected);
    assert.deepEqual(plain(await verifier.verifyAsync(text, headers, { now: NOW })), expected);
    const { event: typed, verified } = verifier.verifyDetailed(text, headers, { now: NOW });
    assert.equal(typed.constructor.name, 'WebhookEvent');
    assert.deepEqual(plain(typed), expected);
    assert.equal(verified.msg_id, 'msg_large');
  }
});
