// Hardening through the JS client: exactly-once sends under injected faults, and a scan of
// everything the package shows — objects, errors, log records — for keys and secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import http from 'node:http';

import * as full from '../pkg/node.mjs';
import * as lite from '../pkg/webhook/node.mjs';
import { startMock } from './helpers.mjs';

test('500 sends against 10% injected 5xx and 10% lost responses: exactly 500 deliveries, none twice, every call answered', async () => {
  const mock = await startMock(['--no-limits', '--error-rate', '0.1', '--drop-rate', '0.1', '--seed', '20261202', '--transition-delay-ms', '60000']);
  try {
    const client = new full.Sendivent({ apiKey: 'test_faults0123456789abcdef', baseUrl: mock.url, maxRetries: 8 });
    const recipients = Array.from({ length: 500 }, (_, i) => `f${i}@example.com`);
    // 25 calls in flight at a time, each its own `send` (its own idempotency key, reused by its retries).
    const results = new Array(recipients.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < recipients.length) {
          const i = next++;
          results[i] = await client.send('user.welcome', { channel: 'email', to: recipients[i], payload: {} }).then(
            (value) => ({ ok: true, value }),
            (error) => ({ ok: false, error }),
          );
        }
      }),
    );
    assert.equal(results.filter(Boolean).length, 500, 'every call answered');
    const failures = results.filter((r) => !r.ok).map((r) => `${r.error.code}: ${r.error.message}`);
    assert.deepEqual(failures, []);
    const retried = results.filter((r) => r.value.lastResponse.attempts > 1).length;
    const replays = results.filter((r) => r.value.lastResponse.idempotent_replay).length;
    const state = await mock.admin('GET', 'state');
    assert.ok(state.counts.faults_injected > 20 && state.counts.dropped_responses > 20, JSON.stringify(state.counts));
    assert.ok(retried > 40, `faults were met (${retried} calls retried)`);
    assert.ok(replays > 20, `lost responses were answered by replays (${replays})`);
    assert.equal(state.deliveries.length, 500, 'exactly one delivery per send');
    assert.deepEqual([...new Set(state.deliveries.map((d) => d.recipient))].sort(), [...recipients].sort(), 'each recipient once');
    assert.equal(new Set(state.deliveries.map((d) => d.idempotency_key)).size, 500);
    assert.equal(state.counts.sends, 500, 'the API handled each send once; the rest were replays');
    // What the client was told is what the API stored.
    const byRecipient = new Map(state.deliveries.map((d) => [d.recipient, d.uuid]));
    results.forEach((r, i) => {
      assert.equal(r.value.deliveries[0].uuid, byRecipient.get(recipients[i]));
    });
  } finally {
    await mock.stop();
  }
});

/** Every way JavaScript shows a value: inspect (plain and with hidden properties), JSON, String(), template literals, console.log, and an error's stack. */
function shownEveryWay(value) {
  let logged = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged += chunk;
      done();
    },
  });
  const console = new Console({ stdout: sink, stderr: sink });
  console.log(value);
  console.error('%o', value);
  console.dir(value, { depth: null, showHidden: true });
  const out = [inspect(value, { depth: null }), inspect(value, { depth: null, showHidden: true, getters: true }), logged];
  for (const f of [() => JSON.stringify(value), () => String(value), () => `${value}`, () => value?.stack, () => value?.message]) {
    try {
      const s = f();
      if (typeof s === 'string') out.push(s);
    } catch {
      // Some values cannot be converted (an object without toString); nothing shown, nothing leaked.
    }
  }
  return out.join('\n');
}

test('no API key, webhook secret or Authorization value appears in any object, error or log record, however shown', async () => {
  const KEY = 'test_leakscan0123456789SECRETKEY';
  const SECRET = 'whsec_bGVha3NjYW4tc2lnbmluZy1zZWNyZXQtMDEyMzQ1Ng==';
  const records = [];
  const mock = await startMock();
  const shown = [];
  let signing;
  const show = (label, value) => shown.push([label, shownEveryWay(value)]);
  try {
    const client = new full.Sendivent({ apiKey: KEY, baseUrl: mock.url, logLevel: 'debug', logger: (r) => records.push(r), maxRetries: 0 });
    show('client', client);
    show('client.withOptions', client.withOptions({ maxRetries: 1, extraHeaders: { 'X-Trace': '1' } }));
    const sent = await client.send('user.welcome', { to: 'ada@example.com', payload: {} });
    show('send result', sent);
    show('lastResponse', sent.lastResponse);
    const endpoint = await client.webhooks.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['delivery.sent'] });
    signing = endpoint.signing_secret;
    assert.match(signing, /^whsec_/);
    show('webhook config', endpoint);
    show('webhook config (get)', await client.webhooks.get());
    show('paginator', client.contacts.listAll());
    show('sendMany', await client.sendMany([{ event: 'user.welcome', params: { to: 'nobody@' } }]));

    // Errors: from the API (401 with this key), from the client's own checks, from webhooks.
    const revoked = new full.Sendivent({ apiKey: `${KEY}_revoked`, baseUrl: mock.url, maxRetries: 0 });
    await assert.rejects(revoked.events.list(), (err) => {
      show('401', err);
      return err.status === 401;
    });
    await assert.rejects(client.send('no.such.event', { to: 'ada@example.com' }), (err) => {
      show('send failed', err);
      return true;
    });
    assert.throws(
      () => new full.Sendivent({ apiKey: `sk_${KEY}`, baseUrl: mock.url }),
      (err) => {
        show('bad key', err);
        return true;
      },
    );
    assert.throws(
      () => new full.Sendivent({ apiKey: KEY, baseUrl: 'http://example.com' }),
      (err) => {
        show('insecure', err);
        return true;
      },
    );
    for (const sdk of [full, lite]) {
      const verifier = new sdk.WebhookVerifier([SECRET, signing]);
      show('verifier', verifier);
      show('guard', new sdk.ReplayGuard());
      const headers = sdk.signWebhook('{}', { id: 'msg_leak', secret: SECRET });
      show('signed headers', headers);
      show('verified', verifier.verifySignature('{}', headers));
      assert.throws(
        () => verifier.verify('{ }', headers),
        (err) => {
          show('no match', err);
          return true;
        },
      );
      assert.throws(
        () => new sdk.WebhookVerifier(KEY),
        (err) => {
          show('api key as secret', err);
          return err.code === 'WEBHOOK_SECRET_IS_API_KEY';
        },
      );
      assert.throws(
        () => new sdk.WebhookVerifier(`${SECRET}!`),
        (err) => {
          show('bad secret', err);
          return err.code === 'WEBHOOK_INVALID_SECRET';
        },
      );
      assert.throws(
        () => new sdk.WebhookVerifier(headers['webhook-signature']),
        (err) => {
          show('signature as secret', err);
          return true;
        },
      );
      await assert.rejects(verifier.verifyAsync({ parsed: true }, headers), (err) => {
        show('not raw', err);
        return true;
      });
    }
    show('log records', records);
    assert.ok(records.length >= 5, `log records were captured (${records.length})`);
  } finally {
    await mock.stop();
  }
  const needles = [KEY, KEY.slice(5), `Bearer ${KEY}`, SECRET, SECRET.slice(6)];
  // The signing secret the API issued is readable as the field itself, and shown nowhere.
  const signingNeedles = [signing, signing.slice(6)];
  for (const [label, text] of shown) {
    for (const needle of [...needles, ...signingNeedles]) {
      assert.ok(!text.includes(needle), `${label} shows ${needle.slice(0, 12)}…:\n${text}`);
    }
    assert.ok(!/authorization/i.test(text) || !/bearer\s+test_/i.test(text), `${label} shows an Authorization value`);
  }
  assert.ok(shown.length > 25, `${shown.length} values scanned`);
});

test('redirects are not followed: a 307 to another origin is an error answer, and nothing reaches that origin', async () => {
  const reached = [];
  const elsewhere = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      reached.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success":true,"deliveries":[{"email":"00000000-0000-4000-8000-000000000002"}]}');
    });
  });
  await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${elsewhere.address().port}`;
  let asked = 0;
  const redirecting = http.createServer((req, res) => {
    asked += 1;
    req.resume();
    res.writeHead(307, { location: `${target}${req.url}`, 'x-request-id': 'req_redirect' });
    res.end();
  });
  await new Promise((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
  try {
    const client = new full.Sendivent({ apiKey: 'test_redirect0123456789abcdef', baseUrl: `http://127.0.0.1:${redirecting.address().port}`, maxRetries: 2 });
    await assert.rejects(client.send('user.welcome', { to: 'ada@example.com', payload: { secret: 'order-42' } }, { idempotencyKey: 'redirect-1' }), (err) => {
      assert.ok(err instanceof full.APIError, `${err.name}: ${err.message}`);
      assert.equal(err.status, 307);
      assert.equal(err.retryable, false);
      assert.equal(err.requestId, 'req_redirect');
      return true;
    });
    await assert.rejects(client.contacts.get('ada@example.com'), { status: 307 });
    assert.equal(asked, 2, 'one request each, no retry of a 3xx');
    assert.deepEqual(reached, [], 'nothing was re-sent to the other origin');
  } finally {
    await new Promise((resolve) => redirecting.close(resolve));
    await new Promise((resolve) => elsewhere.close(resolve));
  }
});
