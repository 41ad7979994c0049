// Types of `@sendivent/wasm/testing` (Node only): sendivent-mock for your own tests.

/** A running sendivent-mock. */
export interface RunningMock {
  /** Its base URL (`http://127.0.0.1:<port>`), for `new Sendivent({ baseUrl })`. */
  readonly url: string;
  /** The mock's process id. */
  readonly pid: number;
  /** Calls one of the mock's `/_mock/<route>` admin routes; resolves to its JSON answer (or null). */
  admin(method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string, body?: unknown): Promise<unknown>;
  /** Stops this mock (only the process started here) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options of `startMock`. */
export interface StartMockOptions {
  /** The mock's flags, e.g. `['--no-limits']` (its README lists them); `--port 0` is added. */
  args?: string[];
  /** The program; default `SENDIVENT_MOCK_BIN`, else `sendivent-mock` on the PATH. */
  bin?: string;
  /** How long to wait for it to listen, in milliseconds (default 20 000). */
  timeout?: number;
  /** Extra environment variables for it. */
  env?: Record<string, string>;
}

/** Starts sendivent-mock on a free loopback port and resolves once it listens. */
export function startMock(options?: StartMockOptions): Promise<RunningMock>;
