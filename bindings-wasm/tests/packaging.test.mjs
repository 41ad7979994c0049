// Packs pkg/ with `npm pack`, installs the tarball into a fresh project and imports it the way
// users do: Node ESM (both entry points), Deno (node_modules resolution) and a dynamic import
// from CommonJS. Also checks the tarball holds only what it should.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { bindingDir, pkgDir } from './helpers.mjs';

let dir;
let files;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sendivent-pack-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', pkgDir, '--json', '--pack-destination', dir], { encoding: 'utf8' }));
  files = packed[0].files.map((f) => f.path).sort();
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
  for (const f of ['package.json', 'README.md', 'index.d.ts', 'webhook.d.ts', 'node.mjs', 'workerd.mjs', 'browser.mjs', 'webhook/node.mjs', 'webhook/workerd.mjs', 'webhook/browser.mjs', 'types.gen.d.ts', 'client.gen.d.ts', 'lib/api.mjs', 'lib/client.mjs', 'lib/receive.mjs', 'express.mjs', 'express.d.ts', 'hono.mjs', 'hono.d.ts', 'fetch.mjs', 'fetch.d.ts', 'lib/errors.mjs', 'lib/errors.gen.mjs', 'lib/models.gen.mjs', 'lib/resources.gen.mjs', 'lib/description.gen.mjs', 'dist/full/sendivent_wasm_bg.wasm', 'dist/webhook/sendivent_wasm_bg.wasm', 'dist/full/sendivent_wasm.js', 'dist/webhook/sendivent_wasm.js']) {
    assert.ok(files.includes(f), `missing ${f} in ${files.join(', ')}`);
  }
  assert.deepEqual(files.filter((f) => /node_modules|\.rs$|tests\//.test(f)), []);
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
