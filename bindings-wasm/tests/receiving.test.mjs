// Receiving webhooks beyond the signature check, in both builds: the replay guard (in memory and
// the caller's store), which secret matched, WebCrypto verification with the same answers as the
// core's HMAC, and the diagnostics that come from the core (a parsed body, a re-serialised body,
// the measured clock skew).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

import * as full from '../pkg/node.mjs';
import * as lite from '../pkg/webhook/node.mjs';
import * as rawFull from '../pkg/dist/full/sendivent_wasm.js';
import * as rawWebhook from '../pkg/dist/webhook/sendivent_wasm.js';
import { createApi } from '../pkg/lib/api.mjs';
import { nodeHmac } from '../pkg/lib/node-hmac.mjs';

const NOW = 1_764_331_200;
const SECRET = 'whsec_c2VuZGl2ZW50LXJlY2VpdmluZy10ZXN0LXNlY3JldC0x';
const OLD = 'whsec_c2VuZGl2ZW50LXJlY2VpdmluZy10ZXN0LW9sZC1zZWNyZXQ=';
const body = JSON.stringify({
  event: 'delivery.failed',
  delivery: {
    uuid: '5e1c2a7e-9b1d-4c55-8e2a-1b2c3d4e5f60',
    channel: 'sms',
    status: 'failed',
    event_name: 'otp.requested',
    message_id: null,
    sent_at: null,
    delivered_at: null,
    error: 'carrier rejected',
  },
  request_id: 'req_r1',
  timestamp: '2025-11-28T12:00:00Z',
});
const builds = [
  ['full', full],
  ['webhook', lite],
];
/** Each build's API as the workerd and browser entries make it (no node:crypto), WebCrypto from the first byte. */
const rawOf = { full: rawFull, webhook: rawWebhook };
const webCryptoOf = { full: createApi(rawFull, { webCryptoMinBytes: 0 }), webhook: createApi(rawWebhook, { webCryptoMinBytes: 0 }) };

function rejectsWith(sdk, Class, code) {
  return (err) => {
    assert.ok(err instanceof Class, `expected ${Class.name}, got ${err?.name}: ${err?.message}`);
    assert.ok(err instanceof sdk.SendiventError);
    assert.equal(err.code, code, err.message);
    return true;
  };
}

/** Replaces `crypto.subtle.{importKey,sign}` with counting wrappers while `run` runs. */
async function countingWebCrypto(run) {
  const { subtle } = globalThis.crypto;
  const counts = { importKey: 0, sign: 0 };
  const originals = { importKey: subtle.importKey, sign: subtle.sign };
  for (const name of Object.keys(originals)) {
    subtle[name] = function (...args) {
      counts[name] += 1;
      return originals[name].apply(this, args);
    };
  }
  try {
    await run(counts);
  } finally {
    Object.assign(subtle, originals);
  }
}

for (const [label, sdk] of builds) {
  test(`${label}: a redelivery is WebhookDuplicateError, not a verification failure; forged ones are never recorded`, async () => {
    const guard = new sdk.ReplayGuard();
    const verifier = new sdk.WebhookVerifier(SECRET);
    const headers = sdk.signWebhook(body, { id: 'msg_dup', secret: SECRET, timestamp: NOW });
    const options = { now: NOW, replayGuard: guard };
    // A forged first delivery fails its signature and records nothing.
    assert.throws(() => verifier.verify(`${body} `, headers, options), rejectsWith(sdk, sdk.WebhookVerificationError, 'WEBHOOK_NO_MATCHING_SIGNATURE'));
    assert.equal(verifier.verify(body, headers, options).delivery.error, 'carrier rejected');
    for (const again of [() => verifier.verify(body, headers, options), () => verifier.verifyDetailedAsync(body, headers, options)]) {
      await assert.rejects(
        async () => again(),
        (err) => {
          rejectsWith(sdk, sdk.WebhookDuplicateError, 'WEBHOOK_DUPLICATE')(err);
          assert.ok(!(err instanceof sdk.WebhookVerificationError), 'a duplicate is authentic: not a verification failure');
          assert.equal(err.retryable, false);
          assert.match(err.message, /msg_dup.*answer 2xx/);
          return true;
        },
      );
    }
    // Another guard has not seen it; the same guard sees it from another verifier.
    assert.ok(verifier.verify(body, headers, { now: NOW, replayGuard: new sdk.ReplayGuard() }));
    assert.throws(() => new sdk.WebhookVerifier([OLD, SECRET]).verify(body, headers, options), { code: 'WEBHOOK_DUPLICATE' });
    assert.equal(String(guard), 'ReplayGuard { in memory }');
    assert.throws(() => verifier.verify(body, headers, { now: NOW, replayGuard: {} }), TypeError);
  });

  test(`${label}: concurrent deliveries of one id are handled once, with the core's guard and with an async store`, async () => {
    const verifier = new sdk.WebhookVerifier(SECRET);
    const headers = sdk.signWebhook(body, { id: 'msg_race', secret: SECRET, timestamp: NOW });
    const keys = new Set();
    const store = {
      async insertIfAbsent(key) {
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        if (keys.has(key)) return false;
        keys.add(key);
        return true;
      },
    };
    for (const replayGuard of [new sdk.ReplayGuard(), new sdk.ReplayGuard({ store })]) {
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => verifier.verifyDetailedAsync(body, headers, { now: NOW, replayGuard })));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      assert.ok(outcomes.filter((o) => o.status === 'rejected').every((o) => o.reason.code === 'WEBHOOK_DUPLICATE'));
    }
  });

  test(`${label}: a caller's store gets the core's key and lifetime; its failures are ReplayStoreError`, async () => {
    const verifier = new sdk.WebhookVerifier(SECRET);
    const calls = [];
    const answers = [true, false, 'yes'];
    const store = {
      insertIfAbsent(key, ttl) {
        calls.push([key, ttl]);
        if (answers.length === 0) throw new Error('connection refused');
        return answers.shift();
      },
    };
    const replayGuard = new sdk.ReplayGuard({ store, namespace: 'shop:' });
    const headers = sdk.signWebhook(body, { id: 'msg_store', secret: SECRET, timestamp: NOW - 100 });
    const { event, verified } = await verifier.verifyDetailedAsync(body, headers, { now: NOW, replayGuard });
    assert.equal(event.event, 'delivery.failed');
    assert.equal(verified.msg_id, 'msg_store');
    // Until the timestamp leaves the tolerance window: 300 - 100 + 1 seconds.
    assert.deepEqual(calls, [['shop:msg_store', 201]]);
    await assert.rejects(verifier.verifyAsync(body, headers, { now: NOW, replayGuard }), rejectsWith(sdk, sdk.WebhookDuplicateError, 'WEBHOOK_DUPLICATE'));
    await assert.rejects(verifier.verifyAsync(body, headers, { now: NOW, replayGuard }), (err) => {
      rejectsWith(sdk, sdk.ReplayStoreError, 'REPLAY_STORE_ERROR')(err);
      assert.match(err.message, /answered string, not true/);
      return true;
    });
    await assert.rejects(verifier.verifyAsync(body, headers, { now: NOW, replayGuard }), (err) => {
      rejectsWith(sdk, sdk.ReplayStoreError, 'REPLAY_STORE_ERROR')(err);
      assert.equal(err.retryable, true, 'answer 5xx: the sender retries');
      assert.match(err.message, /connection refused/);
      return true;
    });
    // The default namespace is the core's; the skipped timestamp check keeps ids 24 hours.
    const plainStore = {
      calls: [],
      insertIfAbsent(key, ttl) {
        this.calls.push([key, ttl]);
        return true;
      },
    };
    await verifier.verifyAsync(body, headers, { now: NOW, skipTimestampCheck: true, replayGuard: new sdk.ReplayGuard({ store: plainStore }) });
    assert.deepEqual(plainStore.calls, [['sendivent:webhook:msg_store', 86400]]);
    // Forged deliveries never reach the store.
    await assert.rejects(verifier.verifyAsync(`${body} `, headers, { now: NOW, replayGuard: new sdk.ReplayGuard({ store: plainStore }) }), {
      code: 'WEBHOOK_NO_MATCHING_SIGNATURE',
    });
    assert.equal(plainStore.calls.length, 1);
    // A store is asynchronous: the synchronous methods refuse it instead of skipping it.
    assert.throws(() => verifier.verify(body, headers, { now: NOW, replayGuard }), rejectsWith(sdk, sdk.ValidationError, 'INVALID_ARGUMENT'));
    assert.throws(() => new sdk.ReplayGuard({ store: {} }), TypeError);
  });

  test(`${label}: rotation insight: which secret matched, by index and a fingerprint safe to log`, async () => {
    const verifier = new sdk.WebhookVerifier([SECRET, OLD]);
    const byOld = sdk.signWebhook(body, { id: 'msg_old', secret: OLD, timestamp: NOW });
    const byNew = sdk.signWebhook(body, { id: 'msg_new', secret: SECRET, timestamp: NOW });
    const old = verifier.verifyDetailed(body, byOld, { now: NOW });
    const current = await verifier.verifyDetailedAsync(body, byNew, { now: NOW });
    assert.equal(old.event.delivery.uuid, '5e1c2a7e-9b1d-4c55-8e2a-1b2c3d4e5f60');
    assert.deepEqual([old.verified.secret_index, current.verified.secret_index], [1, 0]);
    assert.match(old.verified.secret_fingerprint, /^whsec:[0-9a-f]{16}$/);
    assert.notEqual(old.verified.secret_fingerprint, current.verified.secret_fingerprint);
    assert.equal(new sdk.WebhookVerifier(OLD).verifySignature(body, byOld, { now: NOW }).secret_fingerprint, old.verified.secret_fingerprint);
    assert.deepEqual(
      { ...sdk.verifyWebhookSignature(body, byNew, SECRET, { now: NOW }) },
      { msg_id: 'msg_new', timestamp: NOW, secret_index: 0, secret_fingerprint: current.verified.secret_fingerprint },
    );
    for (const shown of [inspect(old), JSON.stringify(old), String(old.verified.secret_fingerprint)]) {
      assert.ok(!shown.includes(SECRET.slice(6)) && !shown.includes(OLD.slice(6)), shown);
    }
  });

  test(`${label}: the Node entry hashes large bodies with node:crypto, synchronously and asynchronously, never WebCrypto`, async () => {
    // The entry's own choice, observed through a counting copy of its host HMAC on the same module.
    const calls = { importKey: 0, sign: 0 };
    const counting = {
      importKey: (bytes) => {
        calls.importKey++;
        return nodeHmac.importKey(bytes);
      },
      sign: (...args) => {
        calls.sign++;
        return nodeHmac.sign(...args);
      },
    };
    const api = createApi(rawOf[label], { hmac: counting });
    const verifier = new api.WebhookVerifier([OLD, SECRET]);
    const large = JSON.stringify({ ...JSON.parse(body), request_id: `req_${'r'.repeat(4096)}` });
    await countingWebCrypto(async (webCrypto) => {
      for (const text of [large, body]) {
        const headers = sdk.signWebhook(text, { id: 'msg_node', secret: SECRET, timestamp: NOW });
        assert.deepEqual({ ...(await verifier.verifyAsync(text, headers, { now: NOW })) }, { ...sdk.verifyWebhook(text, headers, SECRET, { now: NOW }) });
        assert.equal(verifier.verify(Buffer.from(text), headers, { now: NOW }).delivery.status, 'failed');
        assert.equal(verifier.verifyDetailed(text, headers, { now: NOW }).verified.secret_index, 1);
        assert.throws(() => verifier.verify(`${text} `, headers, { now: NOW }), { code: 'WEBHOOK_NO_MATCHING_SIGNATURE' });
        if (text === large) assert.deepEqual(calls, { importKey: 2, sign: 8 }, 'both secrets, each imported once');
      }
      assert.deepEqual(calls, { importKey: 2, sign: 8 }, 'a small body is hashed in WebAssembly');
      assert.deepEqual(webCrypto, { importKey: 0, sign: 0 });
    });
  });

  test(`${label}: verifyAsync computes the HMAC with WebCrypto where that is the host's (one key import per secret) and answers as the core does`, async () => {
    const api = webCryptoOf[label];
    const verifier = new api.WebhookVerifier([OLD, SECRET]);
    const headers = sdk.signWebhook(body, { id: 'msg_webcrypto', secret: SECRET, timestamp: NOW });
    await countingWebCrypto(async (counts) => {
      for (let i = 0; i < 3; i += 1) {
        const event = await verifier.verifyAsync(body, headers, { now: NOW });
        assert.deepEqual({ ...event }, { ...verifier.verify(body, headers, { now: NOW }) });
      }
      assert.deepEqual(counts, { importKey: 2, sign: 6 }, 'both secrets tried, each imported once');
      await assert.rejects(verifier.verifyAsync(`${body}\n`, headers, { now: NOW }), { code: 'WEBHOOK_NO_MATCHING_SIGNATURE' });
      // Checks before the signature need no HMAC at all.
      await assert.rejects(verifier.verifyAsync(body, headers, { now: NOW + 301 }), { code: 'WEBHOOK_TIMESTAMP_TOO_OLD' });
      await assert.rejects(verifier.verifyAsync(body, { 'webhook-id': 'x' }, { now: NOW }), { code: 'WEBHOOK_MISSING_HEADER' });
      assert.equal(counts.sign, 8);
      assert.equal((await api.verifyWebhookAsync(body, headers, SECRET, { now: NOW })).event, 'delivery.failed');
    });
    // A runtime without WebCrypto: the core's HMAC, the same answer.
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
    try {
      assert.equal((await verifier.verifyAsync(body, headers, { now: NOW })).delivery.status, 'failed');
      await assert.rejects(verifier.verifyAsync(`${body} `, headers, { now: NOW }), { code: 'WEBHOOK_NO_MATCHING_SIGNATURE' });
    } finally {
      Object.defineProperty(globalThis, 'crypto', descriptor);
    }
  });

  test(`${label}: a parsed object is WEBHOOK_BODY_NOT_RAW, with what was given and how to get the raw body`, async () => {
    const headers = sdk.signWebhook(body, { id: 'msg_parsed', secret: SECRET, timestamp: NOW });
    const cases = [
      [JSON.parse(body), /the webhook body is a parsed JavaScript object/],
      [[1, 2], /a parsed JavaScript array/],
      [undefined, /undefined \(nothing read the request body\)/],
      [42, /a number/],
    ];
    for (const [given, found] of cases) {
      for (const run of [
        () => sdk.verifyWebhook(given, headers, SECRET, { now: NOW }),
        () => new sdk.WebhookVerifier(SECRET).verifyAsync(given, headers, { now: NOW }),
      ]) {
        await assert.rejects(
          async () => run(),
          (err) => {
            rejectsWith(sdk, sdk.WebhookVerificationError, 'WEBHOOK_BODY_NOT_RAW')(err);
            assert.equal(err.reason, 'body_not_raw');
            assert.match(err.message, found);
            // The core's explanation, then the JavaScript hint.
            assert.match(err.message, /a signature covers the exact bytes/);
            assert.match(err.message, /express\.raw\(\{ type: 'application\/json' \}\)/);
            assert.match(err.message, /await request\.text\(\) or request\.arrayBuffer\(\)/);
            return true;
          },
        );
      }
    }
  });

  test(`${label}: the core's diagnostics reach the JS error: a re-serialised body, the measured clock skew`, () => {
    const headers = sdk.signWebhook(body, { id: 'msg_diag', secret: SECRET, timestamp: NOW });
    const indented = JSON.stringify(JSON.parse(body), null, 2);
    assert.throws(
      () => sdk.verifyWebhook(indented, headers, SECRET, { now: NOW }),
      (err) => {
        assert.equal(err.code, 'WEBHOOK_NO_MATCHING_SIGNATURE');
        assert.match(err.message, /the body looks re-serialised \(it is indented\)/);
        assert.match(err.message, /Express express\.raw\(\)/);
        return true;
      },
    );
    const spaced = JSON.stringify(JSON.parse(body)).replaceAll('":', '": ').replaceAll(',"', ', "');
    assert.throws(() => sdk.verifyWebhook(spaced, headers, SECRET, { now: NOW }), /separators have spaces/);
    assert.throws(
      () => sdk.verifyWebhook(body, headers, SECRET, { now: NOW + 725 }),
      (err) => {
        assert.equal(err.code, 'WEBHOOK_TIMESTAMP_TOO_OLD');
        assert.match(err.message, /is 725 s older than now, more than the tolerance of 300 s/);
        return true;
      },
    );
    assert.throws(() => sdk.verifyWebhook(body, headers, SECRET, { now: NOW - 400 }), /is 400 s ahead of now/);
  });

  test(`${label}: test kit: signWebhook with a fixed clock gives headers that verify at that time, and only then`, async () => {
    const headers = sdk.signWebhook(body, { id: 'msg_kit', secret: SECRET, timestamp: NOW });
    assert.deepEqual(Object.keys(headers), ['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    assert.equal(headers['webhook-timestamp'], String(NOW));
    assert.equal(sdk.signWebhook(body, { id: 'msg_kit', secret: SECRET, timestamp: NOW })['webhook-signature'], headers['webhook-signature'], 'deterministic');
    assert.ok(sdk.verifyWebhook(body, new Headers(headers), SECRET, { now: NOW }));
    assert.ok(await sdk.verifyWebhookAsync(new TextEncoder().encode(body), headers, SECRET, { now: NOW + 300 }));
    assert.throws(() => sdk.verifyWebhook(body, headers, SECRET), { code: 'WEBHOOK_TIMESTAMP_TOO_OLD' }, 'the real clock is years later');
  });
}

for (const [label, sdk] of builds) {
  test(`${label}: ReplayGuard.release forgets a recorded id (in memory; a store's remove gets the core's key; a failing remove is ReplayStoreError)`, async () => {
    const verifier = new sdk.WebhookVerifier(SECRET);
    const headers = sdk.signWebhook(body, { id: 'msg_release', secret: SECRET, timestamp: NOW });
    const memory = new sdk.ReplayGuard();
    verifier.verify(body, headers, { now: NOW, replayGuard: memory });
    assert.throws(() => verifier.verify(body, headers, { now: NOW, replayGuard: memory }), { code: 'WEBHOOK_DUPLICATE' });
    await memory.release('msg_release');
    assert.equal(verifier.verify(body, headers, { now: NOW, replayGuard: memory }).event, 'delivery.failed');
    await memory.release('msg_never_recorded'); // nothing to forget: fine

    const removed = [];
    const keys = new Set();
    const store = {
      insertIfAbsent: (key) => {
        if (keys.has(key)) return false;
        keys.add(key);
        return true;
      },
      remove: async (key) => {
        removed.push(key);
        keys.delete(key);
      },
    };
    const guard = new sdk.ReplayGuard({ store, namespace: 'app:hooks:' });
    await verifier.verifyAsync(body, headers, { now: NOW, replayGuard: guard });
    await guard.release('msg_release');
    assert.deepEqual(removed, ['app:hooks:msg_release']);
    await verifier.verifyAsync(body, headers, { now: NOW, replayGuard: guard });

    const failing = new sdk.ReplayGuard({ store: { insertIfAbsent: () => true, remove: () => Promise.reject(new Error('redis down')) } });
    await assert.rejects(failing.release('msg_release'), (err) => err instanceof sdk.ReplayStoreError && /redis down/.test(err.message));
    // A store that cannot forget keeps the id until it expires.
    await new sdk.ReplayGuard({ store: { insertIfAbsent: () => true } }).release('msg_release');
    await assert.rejects(async () => memory.release(42), TypeError);
  });
}
