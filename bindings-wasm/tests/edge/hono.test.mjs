// The Hono adapter (@sendivent/wasm/hono, examples/hono-worker.mjs) in Cloudflare's runtime,
// workerd (npm `workerd`), with the real Hono from npm: bundled as wrangler would (esbuild, the
// `workerd` condition, .wasm as a compiled module). sendivent-mock delivers real signed webhooks
// to it (tests/receivers.mjs); the verification there runs the asynchronous path, whose HMAC is
// workerd's WebCrypto.
import { test, after } from 'node:test';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

import { bindingDir, freePort, pkgDir, startMock, waitFor } from '../helpers.mjs';
import { MOCK_ARGS, receiverRoundTrip } from '../receivers.mjs';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Starts the Hono example in workerd with `secret` bound as SENDIVENT_WEBHOOK_SECRET. */
async function startHonoWorker(secret) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sendivent-hono-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // The bundle is module `app/worker.mjs`, so the package's `../dist/webhook/…wasm` import
  // (relative to its webhook/ entry) names module `dist/webhook/…wasm`.
  await build({
    entryPoints: [path.join(bindingDir, 'examples', 'hono-worker.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    external: ['*.wasm'],
    outfile: path.join(dir, 'app', 'worker.mjs'),
    logLevel: 'warning',
  });
  mkdirSync(path.join(dir, 'dist', 'webhook'), { recursive: true });
  copyFileSync(path.join(pkgDir, 'dist', 'webhook', 'sendivent_wasm_bg.wasm'), path.join(dir, 'dist', 'webhook', 'sendivent_wasm_bg.wasm'));
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .receiver) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const receiver :Workerd.Worker = (
  modules = [
    (name = "app/worker.mjs", esModule = embed "app/worker.mjs"),
    (name = "dist/webhook/sendivent_wasm_bg.wasm", wasm = embed "dist/webhook/sendivent_wasm_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [ (name = "SENDIVENT_WEBHOOK_SECRET", text = "${secret}") ],
);
`,
  );
  let output = '';
  const worker = spawn(path.join(bindingDir, 'node_modules', '.bin', 'workerd'), ['serve', path.join(dir, 'config.capnp')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout.on('data', (d) => (output += d));
  worker.stderr.on('data', (d) => (output += d));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        if (worker.exitCode !== null) return resolve();
        worker.once('exit', resolve);
        worker.kill('SIGTERM');
      }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (worker.exitCode !== null) throw new Error(`workerd exited with ${worker.exitCode}: ${output}`);
    return fetch(`${url}/received`).then(
      (r) => r.ok,
      () => false,
    );
  }, `workerd (${output})`);
  return { url, received: () => fetch(`${url}/received`).then((r) => r.json()) };
}

test('hono in workerd: real webhooks from sendivent-mock reach the handler once; a replay is ignored, a forgery refused', async () => {
  const mock = await startMock(MOCK_ARGS);
  cleanups.push(mock.stop);
  await receiverRoundTrip(mock, startHonoWorker);
});
