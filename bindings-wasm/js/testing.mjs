// @sendivent/wasm/testing (Node only): runs sendivent-mock, the local fake of the Sendivent API,
// for your own tests. The mock is a separate program: from SENDIVENT_MOCK_BIN, else
// `sendivent-mock` on the PATH. Types: ./testing.d.ts.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Starts sendivent-mock on a free 127.0.0.1 port with `args` (its command-line flags, e.g.
 * `['--no-limits']`). Resolves once it listens, to `{ url, pid, admin, stop }`: `url` is the base
 * URL to give `new Sendivent({ baseUrl })`, `admin(method, route, body)` calls its `/_mock/`
 * routes, `stop()` ends this process (by its PID, nothing else).
 */
export async function startMock({ args = [], bin, timeout = 20_000, env } = {}) {
  const program = bin ?? process.env.SENDIVENT_MOCK_BIN ?? 'sendivent-mock';
  const child = spawn(program, ['--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env === undefined ? process.env : { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const lines = createInterface({ input: child.stdout });
  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sendivent-mock did not start within ${timeout} ms: ${stderr}`)), timeout);
      child.once('error', (err) => {
        clearTimeout(timer);
        const hint = err.code === 'ENOENT' ? ' (install it on the PATH or set SENDIVENT_MOCK_BIN)' : '';
        reject(new Error(`cannot start ${program}: ${err.message}${hint}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`sendivent-mock exited (${signal ?? code}) before listening: ${stderr}`));
      });
      lines.once('line', (line) => {
        clearTimeout(timer);
        const match = /listening on (\S+)/.exec(line);
        if (match) resolve(match[1]);
        else reject(new Error(`unexpected first line from sendivent-mock: ${line}`));
      });
    });
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGTERM');
    throw err;
  }
  lines.on('line', () => {}); // keep draining its output
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const admin = async (method, route, body) => {
    const response = await fetch(`${url}/_mock/${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sendivent-mock ${method} /_mock/${route}: ${response.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
    await exited;
  };
  return { url, pid: child.pid, admin, stop };
}
