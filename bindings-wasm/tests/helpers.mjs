// Shared helpers of the Node test suite: the built package and the mock server.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const bindingDir = path.resolve(here, '..');
export const repoRoot = path.resolve(bindingDir, '..');
export const pkgDir = path.join(bindingDir, 'pkg');

/** The mock binary: SENDIVENT_MOCK_BIN, else the workspace's debug build. */
export function mockBinary() {
  const bin = process.env.SENDIVENT_MOCK_BIN ?? path.join(repoRoot, 'target', 'debug', 'sendivent-mock');
  if (!existsSync(bin)) {
    // Never skip: a missing mock is a broken setup (run `cargo build -p sendivent-mock`).
    throw new Error(`sendivent-mock not found at ${bin}: build it with \`cargo build -p sendivent-mock\``);
  }
  return bin;
}

/**
 * Starts sendivent-mock on an ephemeral 127.0.0.1 port. Resolves to `{ url, admin, stop }`;
 * `stop()` kills only the process started here.
 */
export async function startMock(extraArgs = ['--no-limits']) {
  const child = spawn(mockBinary(), ['--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock did not start in 20 s: ${stderr}`)), 20000);
    child.once('exit', (code) => reject(new Error(`mock exited with ${code}: ${stderr}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = line.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first line from the mock: ${line}`));
    });
  });
  lines.on('line', () => {}); // keep draining stdout
  const admin = async (method, route, body) => {
    const res = await fetch(`${url}/_mock/${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`mock admin ${method} ${route}: ${res.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, admin, stop, child };
}

/** A free TCP port on 127.0.0.1 (for servers that must be told their port before they start). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once `check()` is truthy; fails after `timeoutMs` with `what`. */
export async function waitFor(check, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A loopback HTTP proxy standing between sendivent-mock and a webhook receiver: forwards each
 * request to `proxy.target` + its path and records it exactly as received (every header pair,
 * the raw body bytes) with the receiver's answer, so a test can replay or tamper with a real
 * delivery. `proxy.send(record)` sends a recorded request (or a changed copy) again.
 */
export async function startRecordingProxy() {
  const records = [];
  const proxy = { target: undefined, records };
  const send = async ({ path: route, headers, body }) => {
    const res = await fetch(`${proxy.target}${route}`, {
      method: 'POST',
      headers: headers.filter(([name]) => !['host', 'content-length', 'connection'].includes(name.toLowerCase())),
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text) };
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const headers = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      const record = { path: req.url, headers, body: Buffer.concat(chunks) };
      try {
        if (proxy.target === undefined) throw new Error('no receiver yet');
        record.answer = await send(record);
      } catch (err) {
        record.answer = { status: 502, body: { proxyError: String(err) } };
      }
      records.push(record);
      res.writeHead(record.answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(record.answer.body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.send = send;
  proxy.stop = () => new Promise((resolve) => server.close(resolve));
  return proxy;
}
