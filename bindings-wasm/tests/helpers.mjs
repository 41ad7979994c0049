// Shared helpers of the Node test suite: the built package and the mock server.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
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
