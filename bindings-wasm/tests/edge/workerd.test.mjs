// The Worker example (examples/worker.mjs) in Cloudflare's runtime, workerd (npm `workerd`):
// bundled as wrangler would (esbuild, `workerd` export condition, .wasm as a compiled module),
// it receives a signed webhook, verifies it and sends a notification to sendivent-mock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

import { signWebhook } from '../../pkg/node.mjs';
import { startMock, bindingDir, pkgDir } from '../helpers.mjs';

const SECRET = 'whsec_c2VuZGl2ZW50LXdvcmtlcmQtdGVzdC1zZWNyZXQtMDE=';
const KEY = 'test_workerd0123456789abcdef';
let mock;
let worker;
let dir;
let url;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(target, child, output) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}: ${output()}`);
    try {
      await fetch(target);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`workerd did not answer within 20 s: ${output()}`);
}

before(async () => {
  mock = await startMock();
  dir = mkdtempSync(path.join(tmpdir(), 'sendivent-workerd-'));
  // Bundle the example the way wrangler does: resolve `@sendivent/wasm` with the `workerd`
  // condition and keep the .wasm import as a separate (compiled) module.
  await build({
    entryPoints: [path.join(bindingDir, 'examples', 'worker.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    external: ['*.wasm'],
    outfile: path.join(dir, 'worker.mjs'),
    logLevel: 'warning',
  });
  mkdirSync(path.join(dir, 'dist', 'full'), { recursive: true });
  copyFileSync(path.join(pkgDir, 'dist', 'full', 'sendivent_wasm_bg.wasm'), path.join(dir, 'dist', 'full', 'sendivent_wasm_bg.wasm'));
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .receiver),
    # The mock listens on loopback, which workerd's default outbound network refuses.
    (name = "loopback", network = (allow = ["local", "private", "public"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const receiver :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "dist/full/sendivent_wasm_bg.wasm", wasm = embed "dist/full/sendivent_wasm_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
  bindings = [
    (name = "SENDIVENT_WEBHOOK_SECRET", text = "${SECRET}"),
    (name = "SENDIVENT_API_KEY", text = "${KEY}"),
    (name = "SENDIVENT_BASE_URL", text = "${mock.url}"),
    (name = "ALERT_RECIPIENT", text = "#ops"),
  ],
);
`,
  );
  let output = '';
  worker = spawn(path.join(bindingDir, 'node_modules', '.bin', 'workerd'), ['serve', path.join(dir, 'config.capnp')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout.on('data', (d) => (output += d));
  worker.stderr.on('data', (d) => (output += d));
  url = `http://127.0.0.1:${port}`;
  await waitForServer(url, worker, () => output);
});

after(async () => {
  if (worker && worker.exitCode === null) {
    await new Promise((resolve) => {
      worker.once('exit', resolve);
      worker.kill('SIGTERM');
    });
  }
  await mock?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const failedEvent = JSON.stringify({
  event: 'delivery.failed',
  delivery: {
    uuid: '0b5c4f8e-2a4d-4b8e-9c1f-3e5a7b9d1f20',
    channel: 'sms',
    status: 'failed',
    event_name: 'otp.requested',
    message_id: null,
    sent_at: '2026-11-28T12:00:00Z',
    delivered_at: null,
    error: 'carrier rejected',
  },
  request_id: 'req_edge_1',
  timestamp: '2026-11-28T12:00:01Z',
});

test('workerd: a signed webhook is verified and the alert is sent to the API once', async () => {
  const headers = signWebhook(failedEvent, { id: 'msg_edge_1', secret: SECRET });
  const sendsBefore = (await mock.admin('GET', 'state')).counts.sends;
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: failedEvent });
  const answer = await res.json();
  assert.equal(res.status, 200, JSON.stringify(answer));
  assert.equal(answer.received, 'delivery.failed');
  assert.equal(answer.replay, false);
  assert.ok(answer.alerted.length === 1 && answer.alerted[0].channel === 'slack' && typeof answer.alerted[0].uuid === 'string', JSON.stringify(answer));
  const state = await mock.admin('GET', 'state');
  assert.equal(state.counts.sends, sendsBefore + 1);
  assert.ok(state.deliveries.some((d) => d.uuid === answer.alerted[0].uuid && d.event_name === 'team.alert'));

  // A redelivery of the same webhook reuses the idempotency key: no second alert.
  const again = await fetch(url, { method: 'POST', headers, body: failedEvent });
  const replayed = await again.json();
  assert.equal(replayed.replay, true);
  assert.deepEqual(replayed.alerted, answer.alerted);
  assert.equal((await mock.admin('GET', 'state')).counts.sends, sendsBefore + 1);
});

test('workerd: tampered, stale and unsigned webhooks are refused with their codes', async () => {
  const headers = signWebhook(failedEvent, { id: 'msg_edge_2', secret: SECRET });
  const post = async (body, h) => {
    const res = await fetch(url, { method: 'POST', headers: h, body });
    return { status: res.status, body: await res.json() };
  };
  let r = await post(failedEvent.replace('carrier', 'Carrier'), headers);
  assert.deepEqual([r.status, r.body.error], [400, 'WEBHOOK_NO_MATCHING_SIGNATURE']);
  const stale = signWebhook(failedEvent, { id: 'msg_edge_3', secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 });
  r = await post(failedEvent, stale);
  assert.deepEqual([r.status, r.body.error], [400, 'WEBHOOK_TIMESTAMP_TOO_OLD']);
  r = await post(failedEvent, { 'content-type': 'application/json' });
  assert.deepEqual([r.status, r.body.error], [400, 'WEBHOOK_MISSING_HEADER']);
  const delivered = JSON.stringify({ ...JSON.parse(failedEvent), event: 'delivery.delivered' });
  r = await post(delivered, signWebhook(delivered, { id: 'msg_edge_4', secret: SECRET }));
  assert.deepEqual([r.status, r.body], [200, { received: 'delivery.delivered' }]);
});
