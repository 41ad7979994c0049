// Packs pkg/ with `npm pack`, installs the tarball into fresh projects and loads it the way users
// do: Node ESM and CommonJS (`require`, without Node's require(esm), as on Node 18), TypeScript
// with `moduleResolution` node16 (ESM and CommonJS consumers) and bundler, Deno (node_modules
// resolution) and workerd (a Worker bundled from the installed package). Also checks the tarball
// holds only what it should.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { build } from 'esbuild';

import { bindingDir, pkgDir, freePort, waitFor } from './helpers.mjs';

let dir;
let files;
let tarball;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sendivent-pack-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', pkgDir, '--json', '--pack-destination', dir], { encoding: 'utf8' }));
  files = packed[0].files.map((f) => f.path).sort();
  tarball = path.join(dir, packed[0].filename);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', path.join(dir, packed[0].filename)], { cwd: dir, stdio: 'pipe' });
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const script = `
import { verifyWebhook, signWebhook, validatePhone, Sendivent, WebhookVerificationError, version } from '@sendivent/wasm';
import * as lite from '@sendivent/wasm/webhook';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = JSON.stringify({ event: 'delivery.sent', delivery: { uuid: 'u', channel: 'email', status: 'sent' } });
const headers = signWebhook(body, { id: 'msg_pack', secret });
const event = verifyWebhook(body, headers, secret);
lite.verifyWebhookSignature(new TextEncoder().encode(body), new Headers(headers), secret);
if (typeof Sendivent !== 'function' || 'Sendivent' in lite) throw new Error('wrong build behind an entry point');
try { lite.verifyWebhook(body, headers, 'test_0123456789abcdef0123'); } catch (err) { if (!(err instanceof WebhookVerificationError)) throw err; }
console.log(JSON.stringify({ event: event.event, phone: validatePhone('+1 415 555 2671'), version }));
`;

test('the tarball holds the entry points, types, both modules and nothing else', () => {
  for (const f of [
    'node.cjs',
    'webhook/node.cjs',
    'webhook-ed25519/node.cjs',
    'express.cjs',
    'fetch.cjs',
    'hono.cjs',
    'testing.cjs',
    'testing.mjs',
    'index.d.cts',
    'webhook.d.cts',
    'types.gen.d.cts',
    'webhook-ed25519/node.mjs',
    'webhook-ed25519/workerd.mjs',
    'webhook-ed25519/browser.mjs',
    'dist/webhook-ed25519/sendivent_wasm_bg.wasm',
    'package.json',
    'README.md',
    'index.d.ts',
    'webhook.d.ts',
    'node.mjs',
    'workerd.mjs',
    'browser.mjs',
    'webhook/node.mjs',
    'webhook/workerd.mjs',
    'webhook/browser.mjs',
    'types.gen.d.ts',
    'client.gen.d.ts',
    'lib/api.mjs',
    'lib/client.mjs',
    'lib/receive.mjs',
    'express.mjs',
    'express.d.ts',
    'hono.mjs',
    'hono.d.ts',
    'fetch.mjs',
    'fetch.d.ts',
    'lib/errors.mjs',
    'lib/errors.gen.mjs',
    'lib/models.gen.mjs',
    'lib/resources.gen.mjs',
    'lib/description.gen.mjs',
    'dist/full/sendivent_wasm_bg.wasm',
    'dist/webhook/sendivent_wasm_bg.wasm',
    'dist/full/sendivent_wasm.js',
    'dist/webhook/sendivent_wasm.js',
  ]) {
    assert.ok(files.includes(f), `missing ${f} in ${files.join(', ')}`);
  }
  assert.deepEqual(
    files.filter((f) => /node_modules|\.rs$|tests\//.test(f)),
    [],
  );
});

test('Node ESM imports both entry points from the installed package', () => {
  writeFileSync(path.join(dir, 'check.mjs'), script);
  const out = JSON.parse(execFileSync(process.execPath, ['check.mjs'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual([out.event, out.phone], ['delivery.sent', '+14155552671']);
});

test('the adapters load from the installed package and reach its webhook entry point', () => {
  writeFileSync(
    path.join(dir, 'adapters.mjs'),
    `import { webhookHandler } from '@sendivent/wasm/fetch';
import { sendiventWebhook as express } from '@sendivent/wasm/express';
import { sendiventWebhook as hono } from '@sendivent/wasm/hono';
import { signWebhook } from '@sendivent/wasm/webhook';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = JSON.stringify({ event: 'delivery.sent', delivery: { uuid: 'u', channel: 'email', status: 'sent' } });
const seen = [];
const handle = webhookHandler({ secret }, (event) => { seen.push(event.event); });
const ok = await handle(new Request('http://x/', { method: 'POST', headers: signWebhook(body, { id: 'msg_a', secret }), body }));
const again = await handle(new Request('http://x/', { method: 'POST', headers: signWebhook(body, { id: 'msg_a', secret }), body }));
console.log(JSON.stringify({ statuses: [ok.status, again.status], seen, adapters: [typeof express({ secret }), typeof hono({ secret })] }));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ['adapters.mjs'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(out, { statuses: [204, 200], seen: ['delivery.sent'], adapters: ['function', 'function'] });
});

test('CommonJS code can load it with a dynamic import', () => {
  writeFileSync(path.join(dir, 'check.cjs'), `import('@sendivent/wasm/webhook').then((m) => console.log(m.validateEmail('Ada@Example.com')));`);
  assert.equal(execFileSync(process.execPath, ['check.cjs'], { cwd: dir, encoding: 'utf8' }).trim(), 'Ada@example.com');
});

test('Deno runs the installed package (npm `deno`)', () => {
  const deno = path.join(bindingDir, 'node_modules', '.bin', 'deno');
  const out = execFileSync(deno, ['run', '--quiet', '--no-config', '--node-modules-dir=manual', '--allow-read', '--allow-env', 'check.mjs'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: path.join(dir, '.deno') },
  });
  assert.equal(JSON.parse(out).event, 'delivery.sent');
});

/** A fresh project in `dir`/`name` with `package.json` fields `pkg`, the tarball installed. */
function project(name, pkg = {}) {
  const root = path.join(dir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, ...pkg }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: root, stdio: 'pipe' });
  return root;
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = JSON.stringify({ event: 'delivery.sent', delivery: { uuid: 'u', channel: 'email', status: 'sent' } });

test('CommonJS: require() of every entry point and adapter, without require(esm) (as Node 18)', () => {
  const root = project('cjs');
  writeFileSync(
    path.join(root, 'check.js'),
    `const assert = require('node:assert/strict');
const full = require('@sendivent/wasm');
const lite = require('@sendivent/wasm/webhook');
const ed = require('@sendivent/wasm/webhook-ed25519');
const { webhookHandler } = require('@sendivent/wasm/fetch');
const { sendiventWebhook: express } = require('@sendivent/wasm/express');
const { sendiventWebhook: hono } = require('@sendivent/wasm/hono');
const { startMock } = require('@sendivent/wasm/testing');
const secret = ${JSON.stringify(SECRET)};
const body = ${JSON.stringify(BODY)};
const headers = lite.signWebhook(body, { id: 'msg_cjs', secret });
assert.equal(full.verifyWebhook(body, headers, secret).event, 'delivery.sent');
assert.equal(lite.verifyWebhook(Buffer.from(body), headers, secret).delivery.uuid, 'u');
assert.throws(() => new lite.WebhookVerifier('whpk_6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw='), (err) => err instanceof lite.WebhookVerificationError && err.code === 'WEBHOOK_INVALID_SECRET');
assert.ok(new ed.WebhookVerifier('whpk_6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw='));
assert.equal(typeof full.Sendivent, 'function');
assert.equal(typeof express({ secret }), 'function');
assert.equal(typeof hono({ secret }), 'function');
assert.equal(typeof startMock, 'function');
webhookHandler({ secret }, (event) => console.log(event.event))(new Request('http://x/', { method: 'POST', headers, body }))
  .then((res) => console.log(res.status));
`,
  );
  const out = execFileSync(process.execPath, ['--no-experimental-require-module', 'check.js'], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(out.trim().split('\n'), ['delivery.sent', '204']);
});

test('ES modules: every entry point from a "type": "module" project', () => {
  const root = project('esm', { type: 'module' });
  writeFileSync(
    path.join(root, 'check.js'),
    `import { verifyWebhook, Sendivent } from '@sendivent/wasm';
import * as lite from '@sendivent/wasm/webhook';
import * as ed from '@sendivent/wasm/webhook-ed25519';
import { startMock } from '@sendivent/wasm/testing';
const headers = lite.signWebhook(${JSON.stringify(BODY)}, { id: 'msg_esm', secret: ${JSON.stringify(SECRET)} });
console.log([verifyWebhook(${JSON.stringify(BODY)}, headers, ${JSON.stringify(SECRET)}).event, typeof Sendivent, typeof ed.WebhookVerifier, typeof startMock].join(' '));
`,
  );
  assert.equal(execFileSync(process.execPath, ['check.js'], { cwd: root, encoding: 'utf8' }).trim(), 'delivery.sent function function function');
});

/** Compiles `source` in a fresh TypeScript project with `compilerOptions` and the package's declarations. */
function typecheck(name, pkg, file, source, compilerOptions) {
  const root = project(name, pkg);
  writeFileSync(path.join(root, file), source);
  writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        types: ['node'],
        typeRoots: [path.join(bindingDir, 'node_modules', '@types')],
        skipLibCheck: false,
        ...compilerOptions,
      },
      files: [file],
    }),
  );
  try {
    execFileSync(path.join(bindingDir, 'node_modules', '.bin', 'tsc'), ['-p', root], { cwd: root, encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc (${name}):\n${err.stdout}${err.stderr}`);
  }
}

const typed = (importLines) => `${importLines}
const headers: WebhookSignatureHeaders = signWebhook('{}', { id: 'msg_ts', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
const event: WebhookEvent = verifyWebhook('{}', headers, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const status: string = event.delivery.status;
const client = new Sendivent({ apiKey: 'test_0123456789abcdef' });
const handler: (request: Request) => Promise<Response> = webhookHandler({ secret: 'whsec_x' }, async (e) => { void e.event; });
const mock: Promise<RunningMock> = startMock({ args: ['--no-limits'] });
void [status, client, handler, mock, edVerify];
`;

test('TypeScript, moduleResolution node16: an ES module consumer and a CommonJS one', () => {
  const imports = `import { verifyWebhook, signWebhook, Sendivent, type WebhookEvent, type WebhookSignatureHeaders } from '@sendivent/wasm';
import { verifyWebhook as edVerify } from '@sendivent/wasm/webhook-ed25519';
import { webhookHandler } from '@sendivent/wasm/fetch';
import { startMock, type RunningMock } from '@sendivent/wasm/testing';`;
  typecheck('ts-node16-esm', { type: 'module' }, 'main.mts', typed(imports), { module: 'node16', moduleResolution: 'node16' });
  typecheck('ts-node16-cjs', {}, 'main.cts', typed(imports), { module: 'node16', moduleResolution: 'node16' });
});

test('TypeScript, moduleResolution bundler', () => {
  const imports = `import { verifyWebhook, signWebhook, Sendivent, type WebhookEvent, type WebhookSignatureHeaders } from '@sendivent/wasm';
import { verifyWebhook as edVerify } from '@sendivent/wasm/webhook-ed25519';
import { webhookHandler } from '@sendivent/wasm/fetch';
import { startMock, type RunningMock } from '@sendivent/wasm/testing';`;
  typecheck('ts-bundler', { type: 'module' }, 'main.ts', typed(imports), { module: 'esnext', moduleResolution: 'bundler' });
});

test('workerd: a Worker bundled from the installed package verifies a webhook', async () => {
  const root = project('workerd', { type: 'module' });
  writeFileSync(
    path.join(root, 'worker.js'),
    `import { webhookHandler } from '@sendivent/wasm/fetch';
export default { fetch: webhookHandler({ secret: (request, env) => env.SECRET }, () => new Response('handled')) };
`,
  );
  const out = path.join(root, 'out');
  await build({
    entryPoints: [path.join(root, 'worker.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    external: ['*.wasm'],
    outfile: path.join(out, 'app', 'worker.js'),
    absWorkingDir: root,
    logLevel: 'warning',
  });
  mkdirSync(path.join(out, 'dist', 'webhook'), { recursive: true });
  copyFileSync(
    path.join(root, 'node_modules', '@sendivent', 'wasm', 'dist', 'webhook', 'sendivent_wasm_bg.wasm'),
    path.join(out, 'dist', 'webhook', 'sendivent_wasm_bg.wasm'),
  );
  const port = await freePort();
  writeFileSync(
    path.join(out, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .app) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const app :Workerd.Worker = (
  modules = [
    (name = "app/worker.js", esModule = embed "app/worker.js"),
    (name = "dist/webhook/sendivent_wasm_bg.wasm", wasm = embed "dist/webhook/sendivent_wasm_bg.wasm"),
  ],
  bindings = [ (name = "SECRET", text = "${SECRET}") ],
  compatibilityDate = "2025-09-01",
);
`,
  );
  const child = spawn(path.join(bindingDir, 'node_modules', '.bin', 'workerd'), ['serve', path.join(out, 'config.capnp')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const url = `http://127.0.0.1:${port}/hook`;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`workerd exited: ${output}`);
      return fetch(url).then(
        () => true,
        () => false,
      );
    }, 'workerd to listen');
    const { signWebhook } = await import(path.join(root, 'node_modules', '@sendivent', 'wasm', 'webhook', 'node.mjs'));
    const headers = signWebhook(BODY, { id: 'msg_workerd', secret: SECRET });
    const ok = await fetch(url, { method: 'POST', headers, body: BODY });
    assert.equal(`${ok.status} ${await ok.text()}`, '200 handled');
    const forged = await fetch(url, { method: 'POST', headers, body: `${BODY} ` });
    assert.equal(forged.status, 400);
    assert.equal((await forged.json()).error, 'WEBHOOK_NO_MATCHING_SIGNATURE');
  } finally {
    child.kill('SIGTERM');
  }
});
