// What the framework adapters share: verify a received webhook with the core (through the
// package's public API) and say how to answer it. Only the HTTP mapping lives here:
//   verified         → hand the typed event to the application
//   WEBHOOK_DUPLICATE → 200 without handling it again (docs/contract.md §2 "Webhook replays")
//   other WEBHOOK_*   → 400 with the code, reason and message
//   REPLAY_STORE_ERROR → 503, so the sender retries
// A body given as a parsed object (WEBHOOK_BODY_NOT_RAW) is a mistake in the application, not
// in the request: it is thrown, for the framework's error handling to show. When the application's
// handler then fails (throws, or answers 5xx), the adapter releases the id from the replay guard,
// so Sendivent's retry of the delivery is handled instead of answered as a duplicate.

const ADAPTER_OPTIONS = new Set(['secret', 'replayGuard', 'tolerance', 'now', 'skipTimestampCheck']);

/**
 * A receiver for `options` over the webhook API `api` (`@sendivent/wasm/webhook`). `secret` and
 * `replayGuard` may be functions of the framework's request context (a Worker's `env` holds
 * them); `now` may be a function (a test clock). Without `replayGuard` redeliveries are caught in
 * memory; `replayGuard: null` turns that off.
 */
export function createReceiver(api, options) {
  if (options === null || typeof options !== 'object') throw new TypeError('the adapter needs options: { secret, … }');
  for (const key of Object.keys(options)) {
    if (!ADAPTER_OPTIONS.has(key)) throw new TypeError(`unknown option \`${key}\`; the options are: ${[...ADAPTER_OPTIONS].join(', ')}`);
  }
  const { secret, tolerance, now, skipTimestampCheck } = options;
  if (secret === undefined) throw new TypeError('the adapter needs `secret`: the whsec_… signing secret (or a function of the request that gives it)');
  const replayGuard = 'replayGuard' in options ? options.replayGuard : new api.ReplayGuard();
  // One verifier per distinct secret (or secrets): decoded once, reused by every request.
  const verifiers = new Map();
  const verifierFor = (value) => {
    const key = JSON.stringify(value);
    let verifier = verifiers.get(key);
    if (verifier === undefined) {
      verifier = new api.WebhookVerifier(value);
      verifiers.set(key, verifier);
    }
    return verifier;
  };
  const resolve = (value, context) => (typeof value === 'function' ? value(...context) : value);

  /**
   * Verifies `body` with `headers`; resolves to `{ event, verified, release }` for a webhook to
   * handle (`release()` forgets its id when the handler failed; it never throws: a store that
   * cannot forget is reported on the console, as the handler's own error is what propagates), or
   * `{ answer: { status, body } }` for one that must not be handled.
   */
  return async function receive(body, headers, context = []) {
    const guard = (await resolve(replayGuard, context)) ?? null;
    const verifyOptions = { replayGuard: guard };
    if (tolerance !== undefined) verifyOptions.tolerance = tolerance;
    if (skipTimestampCheck !== undefined) verifyOptions.skipTimestampCheck = skipTimestampCheck;
    if (now !== undefined) verifyOptions.now = resolve(now, []);
    // A secret that cannot be used is thrown: the application's mistake, not the request's.
    const verifier = verifierFor(await resolve(secret, context));
    try {
      const { event, verified } = await verifier.verifyDetailedAsync(body, headers, verifyOptions);
      const release = async () => {
        if (guard === null) return;
        try {
          await guard.release(verified.msg_id);
        } catch (err) {
          console.error(
            `@sendivent/wasm: could not release webhook ${verified.msg_id} after its handler failed; its retry will be answered as a duplicate: ${err?.message ?? err}`,
          );
        }
      };
      return { event, verified, release };
    } catch (err) {
      if (err instanceof api.WebhookDuplicateError) {
        return { answer: { status: 200, body: { duplicate: true, message: err.message } } };
      }
      if (err instanceof api.ReplayStoreError) {
        return { answer: { status: 503, body: { error: err.code, message: err.message } } };
      }
      if (err instanceof api.WebhookVerificationError && err.code !== 'WEBHOOK_BODY_NOT_RAW') {
        return { answer: { status: 400, body: { error: err.code, reason: err.reason, message: err.message } } };
      }
      throw err;
    }
  };
}
