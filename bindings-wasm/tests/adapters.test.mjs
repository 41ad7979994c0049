// The framework adapters with the real frameworks from npm (pinned in package.json): Express
// (@sendivent/wasm/express) in this process, and a Next.js app (@sendivent/wasm/fetch in an App
// Router route handler) built and started with `next build` / `next start`. Each receives real
// webhooks from sendivent-mock (tests/receivers.mjs). Hono runs in workerd: tests/edge/hono.test.mjs.
// Every adapter (Hono here in Node) releases the id of a webhook whose handler failed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';

import { createApp } from '../examples/express-receiver.mjs';
import { sendiventWebhook } from '@sendivent/wasm/express';
import { webhookHandler } from '@sendivent/wasm/fetch';
import { sendiventWebhook as honoWebhook } from '@sendivent/wasm/hono';
import { Hono } from 'hono';
import { ReplayGuard, signWebhook, WebhookVerificationError } from '@sendivent/wasm/webhook';
import { bindingDir, freePort, startMock, waitFor } from './helpers.mjs';
import { MOCK_ARGS, receiverRoundTrip } from './receivers.mjs';

const SECRET = 'whsec_c2VuZGl2ZW50LWFkYXB0ZXItdGVzdC1zZWNyZXQtMDE=';
const EVENT = JSON.stringify({
  event: 'delivery.sent',
  delivery: {
    uuid: '9d1c7d2e-8a4b-4c1e-9f3a-2b5d7e9c1a04',
    channel: 'email',
    status: 'sent',
    event_name: 'user.welcome',
    message_id: 'm-1',
    sent_at: '2026-11-28T12:00:00Z',
    delivered_at: null,
    error: null,
  },
  request_id: 'req_adapter_1',
  timestamp: '2026-11-28T12:00:00Z',
});
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function listen(app) {
  const server = http.createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${server.address().port}`;
}

test('express: real webhooks from sendivent-mock reach the handler once; a replay is ignored, a forgery refused', async () => {
  const mock = await startMock(MOCK_ARGS);
  cleanups.push(mock.stop);
  await receiverRoundTrip(mock, async (secret) => {
    const received = [];
    const url = await listen(createApp({ secret, onEvent: (event, verified) => received.push({ event, verified }) }));
    return { url, received: async () => received };
  });
});

test('express: the middleware reads the raw body itself; a JSON parser that ran first is WEBHOOK_BODY_NOT_RAW with the hint', async () => {
  const headers = signWebhook(EVENT, { id: 'msg_express_1', secret: SECRET });
  const seen = [];
  const app = express();
  app.post('/raw-parser', express.raw({ type: '*/*' }), sendiventWebhook({ secret: SECRET }), (req, res) => {
    seen.push(req.sendivent.event.delivery.uuid);
    res.sendStatus(204);
  });
  app.use(express.json());
  app.post('/json-first', sendiventWebhook({ secret: SECRET }), (_req, res) => res.sendStatus(204));
  app.use((err, _req, res, _next) => {
    assert.ok(err instanceof WebhookVerificationError);
    res.status(500).json({ code: err.code, message: err.message });
  });
  const url = await listen(app);
  const post = (route, h = headers, body = EVENT) => fetch(`${url}${route}`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body });

  // The Buffer of express.raw() is the raw body too.
  assert.equal((await post('/raw-parser')).status, 204);
  assert.deepEqual(seen, ['9d1c7d2e-8a4b-4c1e-9f3a-2b5d7e9c1a04']);
  const again = await post('/raw-parser');
  assert.deepEqual([again.status, (await again.json()).duplicate], [200, true]);
  assert.equal(seen.length, 1);

  const res = await post('/json-first');
  const err = await res.json();
  assert.equal(res.status, 500);
  assert.equal(err.code, 'WEBHOOK_BODY_NOT_RAW');
  assert.match(err.message, /parsed JavaScript object/);
  assert.match(err.message, /express\.raw\(\)|@sendivent\/wasm\/express/);
  assert.match(err.message, /await request\.text\(\)/);

  // A stale delivery: 400, and the skew the core measured is in the message.
  const stale = signWebhook(EVENT, { id: 'msg_express_2', secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 });
  const old = await post('/raw-parser', stale);
  const body = await old.json();
  assert.equal(old.status, 400);
  assert.deepEqual([body.error, body.reason], ['WEBHOOK_TIMESTAMP_TOO_OLD', 'timestamp_too_old']);
  assert.match(body.message, /is 36\d\d s older than now/);

  // Bodies beyond the limit are not read into memory.
  const small = express();
  small.post('/', sendiventWebhook({ secret: SECRET, limit: 64 }), (_req, res) => res.sendStatus(204));
  const smallUrl = await listen(small);
  assert.equal((await fetch(smallUrl, { method: 'POST', headers, body: EVENT })).status, 413);
});

test('fetch handler: an async replay store is awaited, a failing one is 503, a duplicate is 200 without the handler', async () => {
  const keys = new Map();
  let failing = false;
  const store = {
    async insertIfAbsent(key, ttl) {
      if (failing) throw new Error('the store is down');
      await new Promise((r) => setTimeout(r, 1));
      if (keys.has(key)) return false;
      keys.set(key, ttl);
      return true;
    },
  };
  const handled = [];
  const handle = webhookHandler({ secret: SECRET, replayGuard: new ReplayGuard({ store, namespace: 'app1:' }) }, (event, { verified }) => {
    handled.push([event.event, verified.msg_id]);
    return Response.json({ ok: true });
  });
  const request = (id) => new Request('http://localhost/hook', { method: 'POST', headers: signWebhook(EVENT, { id, secret: SECRET }), body: EVENT });
  let res = await handle(request('msg_fetch_1'));
  assert.deepEqual([res.status, await res.json()], [200, { ok: true }]);
  assert.deepEqual([...keys.keys()], ['app1:msg_fetch_1']);
  assert.ok(keys.get('app1:msg_fetch_1') > 290 && keys.get('app1:msg_fetch_1') <= 301);
  res = await handle(request('msg_fetch_1'));
  assert.deepEqual([res.status, (await res.json()).duplicate], [200, true]);
  failing = true;
  res = await handle(request('msg_fetch_2'));
  const down = await res.json();
  assert.deepEqual([res.status, down.error], [503, 'REPLAY_STORE_ERROR']);
  assert.match(down.message, /the store is down/);
  assert.deepEqual(handled, [['delivery.sent', 'msg_fetch_1']]);
  // Without a handler's answer: 204.
  const quiet = webhookHandler({ secret: SECRET, replayGuard: null }, () => {});
  assert.equal((await quiet(request('msg_fetch_3'))).status, 204);
  assert.equal((await quiet(request('msg_fetch_3'))).status, 204, 'replayGuard: null turns replay protection off');
  assert.throws(() => webhookHandler({ secret: SECRET, secrett: 'x' }, () => {}), /unknown option `secrett`/);
});

test('next.js: an App Router route handler (next build, next start) receives real webhooks once', async () => {
  const mock = await startMock(MOCK_ARGS);
  cleanups.push(mock.stop);
  // Inside bindings-wasm, so Next finds its own package and this one in node_modules.
  const dir = mkdtempSync(path.join(bindingDir, '.next-app-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(bindingDir, 'examples', 'next-app'), dir, { recursive: true });
  const next = path.join(bindingDir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  const run = (args, extraEnv = {}) => {
    const child = spawn(process.execPath, [next, ...args], { cwd: dir, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    return { child, output: () => output };
  };
  const build = run(['build']);
  const code = await new Promise((resolve) => build.child.once('exit', resolve));
  assert.equal(code, 0, `next build failed:\n${build.output()}`);

  await receiverRoundTrip(mock, async (secret) => {
    const port = await freePort();
    const server = run(['start', '-H', '127.0.0.1', '-p', String(port)], { SENDIVENT_WEBHOOK_SECRET: secret });
    cleanups.push(
      () =>
        new Promise((resolve) => {
          if (server.child.exitCode !== null) return resolve();
          server.child.once('exit', resolve);
          server.child.kill('SIGTERM');
        }),
    );
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => {
      if (server.child.exitCode !== null) throw new Error(`next start exited: ${server.output()}`);
      return fetch(`${url}/api/received`).then(
        (r) => r.ok,
        () => false,
      );
    }, 'next start');
    return { url: `${url}/api`, received: () => fetch(`${url}/api/received`).then((r) => r.json()) };
  });
});

/** A replay store in a Map; with `remove` unless `canForget` is false. */
function mapStore(canForget = true) {
  const keys = new Map();
  const insertIfAbsent = async (key) => {
    if (keys.has(key)) return false;
    keys.set(key, true);
    return true;
  };
  const store = { keys, insertIfAbsent };
  if (canForget) store.remove = async (key) => void keys.delete(key);
  return store;
}

/**
 * One adapter's answer to a handler that fails once: `deliver()` posts the same signed webhook;
 * `handler(failing)` is what the app runs. The first delivery fails (by `how`), Sendivent's retry
 * must reach the handler again, and a third delivery is a duplicate.
 */
const ADAPTERS = {
  fetch: async (options, handle) => {
    const handler = webhookHandler(options, async (event) => {
      const answer = await handle(event);
      return answer === undefined ? undefined : new Response(null, { status: answer.status });
    });
    return (headers, body) => handler(new Request('http://localhost/hook', { method: 'POST', headers, body }));
  },
  express: async (options, handle) => {
    const app = express();
    app.post('/hook', sendiventWebhook(options), async (req, res, next) => {
      try {
        const answer = await handle(req.sendivent.event);
        res.status(answer?.status ?? 204).end();
      } catch (err) {
        next(err);
      }
    });
    app.use((err, _req, res, _next) => res.status(500).json({ error: String(err.message) }));
    const url = await listen(app);
    return (headers, body) => fetch(`${url}/hook`, { method: 'POST', headers, body });
  },
  hono: async (options, handle) => {
    const app = new Hono();
    app.post('/hook', honoWebhook(options), async (c) => {
      const answer = await handle(c.get('sendivent').event);
      return c.body(null, answer?.status ?? 204);
    });
    return (headers, body) => app.fetch(new Request('http://localhost/hook', { method: 'POST', headers, body }));
  },
};

for (const [adapter, make] of Object.entries(ADAPTERS)) {
  for (const how of ['throws', 'answers 503']) {
    test(`${adapter}: a handler that ${how} releases the id, so Sendivent's retry is handled (in memory, a store with remove; a store without keeps it)`, async () => {
      for (const [label, replayGuard, retried] of [
        ['in memory', undefined, true],
        ['store with remove', new ReplayGuard({ store: mapStore(true) }), true],
        ['store without remove', new ReplayGuard({ store: mapStore(false) }), false],
      ]) {
        let calls = 0;
        const options = replayGuard === undefined ? { secret: SECRET } : { secret: SECRET, replayGuard };
        const deliver = await make(options, async () => {
          calls += 1;
          if (calls > 1) return undefined;
          if (how === 'throws') throw new Error('the database is down');
          return { status: 503 };
        });
        const headers = signWebhook(EVENT, { id: `msg_release_${adapter}_${how}_${label}`.replace(/\W/g, '_'), secret: SECRET });
        const errors = console.error;
        console.error = () => {};
        let first;
        try {
          first = await deliver(headers, EVENT).catch((err) => ({ status: 'thrown', err }));
        } finally {
          console.error = errors;
        }
        assert.ok(first.status === 'thrown' || first.status >= 500, `${label}: the failure reaches the framework (${first.status})`);
        const retry = await deliver(headers, EVENT);
        assert.equal(calls, retried ? 2 : 1, `${label}: the retry ${retried ? 'reaches' : 'does not reach'} the handler`);
        assert.equal(retry.status, retried ? 204 : 200, label);
        const again = await deliver(headers, EVENT);
        assert.equal(again.status, 200, `${label}: handled once, then a duplicate`);
        assert.equal(calls, retried ? 2 : 1, label);
      }
    });
  }
}
