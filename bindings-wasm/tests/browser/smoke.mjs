// Headless Chromium smoke test of the browser entry points (`browser` export condition: the
// module is fetched and instantiated with top-level await). A page served from 127.0.0.1 signs,
// verifies and validates with both builds and POSTs what it saw back to this script.
// Usage: CHROMIUM=/usr/bin/chromium node tests/browser/smoke.mjs
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { pkgDir } from '../helpers.mjs';

const page = `<!doctype html><meta charset="utf-8"><title>sendivent wasm smoke</title>
<script type="module">
const report = (result) => fetch('/result', { method: 'POST', body: JSON.stringify(result) });
try {
  const full = await import('/pkg/browser.mjs');
  const lite = await import('/pkg/webhook/browser.mjs');
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"event":"delivery.sent","delivery":{"uuid":"u","channel":"email","status":"sent"}}';
  const headers = full.signWebhook(body, { id: 'msg_browser', secret });
  const event = lite.verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret);
  let code;
  try { full.verifyWebhook(body + ' ', headers, secret); } catch (e) { code = e instanceof lite.WebhookVerificationError && e.code; }
  const client = new full.Sendivent({ apiKey: 'test_browser0123456789', baseUrl: 'https://api.example.com' });
  report({ event: event.event, code, phone: full.validatePhone('+46 70-123 45 67'), mode: client.keyMode, ua: navigator.userAgent });
} catch (e) {
  report({ error: String(e && e.stack || e) });
}
</script>`;

const types = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
let resolveResult;
const result = new Promise((resolve) => (resolveResult = resolve));
const server = http.createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/result') {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.end();
    resolveResult(JSON.parse(body));
    return;
  }
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    return;
  }
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/pkg\//, '');
  const file = path.join(pkgDir, rel);
  if (!file.startsWith(pkgDir + path.sep)) return res.writeHead(403).end();
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(data);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = await mkdtemp(path.join(tmpdir(), 'sendivent-chromium-'));
const chromium = spawn(process.env.CHROMIUM, ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, url], {
  stdio: 'ignore',
});
const timeout = setTimeout(() => resolveResult({ error: 'no result from Chromium within 60 s' }), 60000);
try {
  const got = await result;
  assert.equal(got.error, undefined, got.error);
  assert.deepEqual([got.event, got.code, got.phone, got.mode], ['delivery.sent', 'WEBHOOK_NO_MATCHING_SIGNATURE', '+46701234567', 'test']);
  console.log(`browser smoke test passed in ${got.ua}`);
} finally {
  clearTimeout(timeout);
  chromium.kill('SIGTERM');
  server.close();
  await rm(profile, { recursive: true, force: true }).catch(() => {});
}
