// Webhook verification/signing, replay protection and recipient validation over the WebAssembly
// module. Shared by both builds (the small `@sendivent/wasm/webhook` and the full package): each
// entry point initialises its module and calls `createApi(raw)`.
//
// Only argument plumbing lives here: the body as text or bytes, every header as a pair, the
// clock (`Date.now()`, since WebAssembly has none), the host's HMAC-SHA256 primitive where it is
// faster than SHA-256 in WebAssembly (node:crypto on Node, Deno and Bun; WebCrypto for large
// bodies elsewhere), awaiting what is asynchronous in JavaScript (WebCrypto, the caller's replay
// store). Every check — which headers count, timestamp tolerance, which signatures to try and
// their constant-time comparison, secret pitfalls, the payload's shape, replay keys and their
// lifetime — is the core's (prepare_host_hmac / finish_host_hmac when the host hashes).

import { convert } from './errors.mjs';
import { ValidationError } from './errors.gen.mjs';
import { ERROR_CODES, VERSION, WEBHOOK_HEADER_ID, WEBHOOK_HEADER_SIGNATURE, WEBHOOK_HEADER_TIMESTAMP } from './description.gen.mjs';
import { Verified, WebhookEvent } from './models.gen.mjs';

const encoder = new TextEncoder();
/**
 * The body size from which WebCrypto's HMAC beats SHA-256 in WebAssembly, where WebCrypto is the
 * only host HMAC (workerd, browsers): below it, a WebCrypto call's fixed cost (a promise and a
 * hop to the crypto thread) outweighs the hashing it saves. Measured by bench/verify.mjs in
 * workerd (bench/wasm/RESULTS.md, "crossover").
 */
const WEBCRYPTO_MIN_BYTES = 2048;
/**
 * The body size from which node:crypto's HMAC beats SHA-256 in WebAssembly on the Node entries:
 * below it, the extra boundary crossings (prepare, prefix, finish) cost more than the hashing
 * saved (bench/verify.mjs: even at 1 KB, 2 µs ahead from 2 KB).
 */
const HOST_HMAC_MIN_BYTES = 1536;
const VERIFY_OPTIONS = new Set(['now', 'tolerance', 'skipTimestampCheck', 'replayGuard']);
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const EMPTY = new Uint8Array(0);

/** How to get the raw body in JavaScript: the hint of WEBHOOK_BODY_NOT_RAW. */
export const RAW_BODY_HINT =
  'pass the body exactly as received — a string, Buffer/Uint8Array or ArrayBuffer: in Express use ' +
  "express.raw({ type: 'application/json' }) or @sendivent/wasm/express (which reads it itself), in " +
  'fetch-style handlers (Next.js route handlers, Hono, Workers) await request.text() or request.arrayBuffer()';

/**
 * Every request header as `[name, value]` pairs (JSON), in the order the runtime gives them:
 * a Fetch `Headers`, a `Map` or any iterable of pairs, or an object of values (Node's
 * `req.headers`, whose repeated headers are arrays: each value is its own pair). Anything else
 * goes to the core as it is, which refuses it.
 */
function headerPairs(headers) {
  if (headers === null || typeof headers !== 'object') return JSON.stringify(headers ?? null);
  const pairs = [];
  const add = (name, value) => {
    if (Array.isArray(value)) for (const v of value) add(name, v);
    else if (value !== undefined && value !== null) pairs.push([String(name), String(value)]);
  };
  if (typeof headers[Symbol.iterator] === 'function') {
    for (const pair of headers) add(pair?.[0], pair?.[1]);
  } else if (typeof headers.forEach === 'function') {
    headers.forEach((value, name) => {
      add(name, value);
    });
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  return JSON.stringify(pairs);
}

/** What a body that is not the raw bytes is, for the core's WEBHOOK_BODY_NOT_RAW message. */
function describeNotRaw(body) {
  if (body === undefined || body === null) return `${body} (nothing read the request body)`;
  if (Array.isArray(body)) return 'a parsed JavaScript array';
  if (typeof body === 'object') {
    if (typeof body.pipe === 'function' || typeof body.getReader === 'function') return 'a stream, not read yet';
    return 'a parsed JavaScript object (a JSON body parser such as express.json() ran first)';
  }
  return `a ${typeof body}`;
}

/** The raw body as a string or bytes; anything else is WEBHOOK_BODY_NOT_RAW. */
function bodyArg(body, raw) {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw convert(raw.bodyNotRaw(describeNotRaw(body), RAW_BODY_HINT));
}

function checkOptions(options) {
  for (const key of Object.keys(options ?? {})) {
    if (!VERIFY_OPTIONS.has(key)) {
      const message = `unknown verify option \`${key}\`; the options are: ${[...VERIFY_OPTIONS].join(', ')}`;
      throw new ValidationError({ code: 'INVALID_ARGUMENT', message });
    }
  }
}

/** A verification's result from the module: JSON text for a small body, else the object itself (src/webhook.rs). */
function resultOf(value) {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The detailed result: the typed event (when parsed) and which secret matched. */
function detailed(result) {
  const out = { verified: new Verified(result.verified) };
  if (result.event !== undefined) out.event = new WebhookEvent(result.event);
  return out;
}

/**
 * `raw`: the WebAssembly module's exports. `host.hmac`, where the runtime has a synchronous
 * native HMAC-SHA256 (node:crypto): `{ importKey(bytes) → key, sign(key, prefix, body) → 32 bytes }`,
 * the tag of `prefix` followed by `body` (a string is hashed as its UTF-8 bytes).
 * `host.webCryptoMinBytes`, `host.hostHmacMinBytes`: the body sizes from which the asynchronous
 * path uses WebCrypto and both paths `host.hmac` (tests pin them to run every path).
 */
export function createApi(raw, host = {}) {
  const hostHmac = host.hmac;
  // Tests pin the path (0: always WebCrypto; Infinity: never) to run the shared vectors through each.
  const webCryptoMinBytes = host.webCryptoMinBytes ?? WEBCRYPTO_MIN_BYTES;
  const hostHmacMinBytes = host.hostHmacMinBytes ?? HOST_HMAC_MIN_BYTES;
  // The internals of the ReplayGuards of this build: the core's in-memory guard, or the caller's
  // store and its key namespace.
  const guards = new WeakMap();

  /**
   * Remembers verified webhook ids so a redelivered one is reported as WEBHOOK_DUPLICATE
   * (`WebhookDuplicateError`) instead of being handled twice. Without a store: in this
   * instance's memory (the core's bounded store). With `store`: an object whose
   * `insertIfAbsent(key, ttlSeconds)` records `key` for `ttlSeconds` unless it is recorded and
   * answers (or resolves to) `true` when it recorded it, `false` when it was there — atomically,
   * e.g. Redis `SET key 1 NX EX ttl`, a database's unique insert — and, optionally,
   * `remove(key)` that forgets it (for `release`).
   */
  class ReplayGuard {
    constructor({ store, namespace } = {}) {
      if (namespace !== undefined && typeof namespace !== 'string') throw new TypeError('namespace must be a string');
      if (store === undefined || store === null) {
        guards.set(this, { raw: new raw.RawReplayGuard(namespace) });
      } else if (typeof store.insertIfAbsent === 'function') {
        guards.set(this, { store, namespace: namespace ?? raw.defaultReplayNamespace() });
      } else {
        throw new TypeError('a replay store needs an insertIfAbsent(key, ttlSeconds) method answering true or false');
      }
    }
    /**
     * Forgets the message `msgId` (a `verified.msg_id`), so its redelivery is handled instead of
     * reported as a duplicate: for a handler that failed after verification recorded the id
     * (Sendivent retries a delivery that was not answered 2xx). A store without `remove` keeps the
     * id until it expires. A store that fails is `ReplayStoreError`.
     */
    async release(msgId) {
      if (typeof msgId !== 'string') throw new TypeError('release(msgId) takes the verified.msg_id string');
      const internals = guards.get(this);
      try {
        if (internals.raw !== undefined) {
          internals.raw.release(msgId);
          return;
        }
      } catch (err) {
        throw convert(err);
      }
      if (typeof internals.store.remove !== 'function') return;
      try {
        await internals.store.remove(raw.replayKey(internals.namespace, msgId));
      } catch (err) {
        throw convert(raw.replayStoreError(String(err?.message ?? err)));
      }
    }
    toString() {
      return guards.get(this).store === undefined ? 'ReplayGuard { in memory }' : 'ReplayGuard { store }';
    }
    [INSPECT]() {
      return this.toString();
    }
  }

  function guardOf(options, asynchronous) {
    const guard = options?.replayGuard;
    if (guard === undefined || guard === null) return undefined;
    const internals = guards.get(guard);
    if (internals === undefined) {
      throw new TypeError('replayGuard must be a ReplayGuard of the same entry point (@sendivent/wasm or @sendivent/wasm/webhook)');
    }
    if (internals.store !== undefined && !asynchronous) {
      throw new ValidationError({
        code: 'INVALID_ARGUMENT',
        message: 'a ReplayGuard with a store is asynchronous: verify with verifyAsync or verifyDetailedAsync',
      });
    }
    return internals;
  }

  function args(headers, options) {
    const now = options?.now ?? Date.now() / 1000;
    return [headerPairs(headers), now, options?.tolerance, options?.skipTimestampCheck === true];
  }

  /**
   * The synchronous path, with the core's in-memory guard or none; `store` is the namespace of
   * the caller's store (for the asynchronous path, which records the entry the result carries).
   * The HMAC is the host's where it has a synchronous one, else the core's.
   */
  function verifySync(verifier, b, headers, options, parse, guard, store) {
    const target = verifier.raw;
    const [pairs, now, tolerance, skip] = args(headers, options);
    const shared = guard?.raw?.share();
    // The engine's TextEncoder, then one copy into WebAssembly memory: faster at every size than
    // wasm-bindgen's own copy of a string, a JS loop over its characters (bench/verify.mjs).
    const bytes = typeof b === 'string' ? encoder.encode(b) : b;
    try {
      if (hostHmac === undefined || bytes.byteLength < hostHmacMinBytes) {
        return resultOf(target.verifyBytes(bytes, pairs, now, tolerance, skip, parse, shared, store));
      }
      const indexes = target.prepareHost(bytes, pairs, now, tolerance, skip);
      let tags = EMPTY;
      if (indexes.length > 0) {
        const prefix = target.pendingPrefix();
        tags = indexes.length === 1 ? verifier.hostTag(indexes[0], prefix, bytes) : new Uint8Array(32 * indexes.length);
        if (indexes.length > 1) for (const [i, index] of indexes.entries()) tags.set(verifier.hostTag(index, prefix, bytes), 32 * i);
      }
      return resultOf(target.finishHost(tags, parse, shared, store));
    } catch (err) {
      throw convert(err);
    }
  }

  /** Records a verified message in the caller's store, as the core's entry says. */
  async function recordInStore(guard, result) {
    let answer;
    try {
      answer = await guard.store.insertIfAbsent(result.replay.key, result.replay.ttl);
    } catch (err) {
      throw convert(raw.replayStoreError(String(err?.message ?? err)));
    }
    try {
      raw.replayAnswer(result.verified.msg_id, answer);
    } catch (err) {
      throw convert(err);
    }
  }

  /**
   * The asynchronous path, with any guard: the host's synchronous HMAC where there is one; else
   * WebCrypto's for bodies large enough to gain from it (the core prepares the signed content and
   * decides with the tags); else the core's.
   */
  async function verifyAsync(verifier, body, headers, options, parse) {
    checkOptions(options);
    const b = bodyArg(body, raw);
    const guard = guardOf(options, true);
    const subtle = globalThis.crypto?.subtle;
    const size = typeof b === 'string' ? b.length : b.byteLength;
    let result;
    if (hostHmac !== undefined || subtle === undefined || size < webCryptoMinBytes) {
      result = verifySync(verifier, b, headers, options, parse, guard, guard?.namespace);
    } else {
      const bytes = typeof b === 'string' ? encoder.encode(b) : b;
      const [pairs, now, tolerance, skip] = args(headers, options);
      const target = verifier.raw;
      try {
        const pending = target.prepareHostHmac(bytes, pairs, now, tolerance, skip);
        try {
          const indexes = pending.secrets();
          const tags = new Uint8Array(32 * indexes.length);
          if (indexes.length > 0) {
            const content = pending.signedContent();
            for (const [position, index] of indexes.entries()) {
              const key = await verifier.cryptoKey(subtle, index);
              tags.set(new Uint8Array(await subtle.sign('HMAC', key, content)), 32 * position);
            }
          }
          result = resultOf(target.finishHostHmac(pending, tags, parse, guard?.raw?.share(), guard?.namespace));
        } finally {
          pending.free();
        }
      } catch (err) {
        throw convert(err);
      }
    }
    if (result.replay !== undefined) await recordInStore(guard, result);
    return result;
  }

  /**
   * A verifier for one secret, or several during a key rotation (any one matching signature
   * passes); reuse it for many requests: the secrets are decoded once.
   */
  class WebhookVerifier {
    #raw;
    #shown;
    /** WebCrypto keys by secret index, imported once. */
    #keys = new Map();
    /** The host's synchronous HMAC keys by secret index, imported once. */
    #hostKeys = new Map();
    /** What verifySync and verifyAsync need of this verifier (made once). */
    #internalsCache;
    constructor(secret) {
      const secrets = Array.isArray(secret) ? secret : [secret];
      if (!secrets.every((s) => typeof s === 'string')) {
        throw new TypeError('the webhook secret must be a string (whsec_… or whpk_…) or an array of them');
      }
      try {
        this.#raw = new raw.RawVerifier(secrets);
      } catch (err) {
        throw convert(err);
      }
      this.#shown = secrets.map((s) => raw.redact(s)).join(', ');
    }
    #sync(body, headers, options, parse) {
      checkOptions(options);
      return verifySync(this.#internals(), bodyArg(body, raw), headers, options, parse, guardOf(options, false));
    }
    /** Verifies and returns the typed event. */
    verify(body, headers, options) {
      return new WebhookEvent(this.#sync(body, headers, options, true).event);
    }
    /** Verifies the signature only; returns which secret matched. */
    verifySignature(body, headers, options) {
      return new Verified(this.#sync(body, headers, options, false).verified);
    }
    /** Verifies and returns `{ event, verified }`: the typed event and which secret matched. */
    verifyDetailed(body, headers, options) {
      return detailed(this.#sync(body, headers, options, true));
    }
    /** `verify`, with WebCrypto's HMAC where the runtime has it, and any replay guard. */
    async verifyAsync(body, headers, options) {
      const result = await verifyAsync(this.#internals(), body, headers, options, true);
      return new WebhookEvent(result.event);
    }
    /** `verifySignature`, with WebCrypto's HMAC where the runtime has it, and any replay guard. */
    async verifySignatureAsync(body, headers, options) {
      return new Verified((await verifyAsync(this.#internals(), body, headers, options, false)).verified);
    }
    /** `verifyDetailed`, with WebCrypto's HMAC where the runtime has it, and any replay guard. */
    async verifyDetailedAsync(body, headers, options) {
      return detailed(await verifyAsync(this.#internals(), body, headers, options, true));
    }
    #internals() {
      if (this.#internalsCache !== undefined) return this.#internalsCache;
      this.#internalsCache = {
        raw: this.#raw,
        hostTag: (index, prefix, body) => {
          let key = this.#hostKeys.get(index);
          if (key === undefined) {
            const bytes = this.#raw.hmacKey(index);
            key = hostHmac.importKey(bytes);
            bytes.fill(0);
            this.#hostKeys.set(index, key);
          }
          return hostHmac.sign(key, prefix, body);
        },
        cryptoKey: async (subtle, index) => {
          let key = this.#keys.get(index);
          if (key === undefined) {
            const bytes = this.#raw.hmacKey(index);
            // Once imported, the CryptoKey holds it: the copy need not linger in JS memory.
            key = subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).finally(() => bytes.fill(0));
            this.#keys.set(index, key);
            key.catch(() => this.#keys.delete(index));
          }
          return key;
        },
      };
      return this.#internalsCache;
    }
    /** Frees the decoded key now instead of at garbage collection. */
    free() {
      this.#raw.free();
      this.#keys.clear();
      this.#hostKeys.clear();
    }
    /** The secrets redacted by the core (`whsec_…LaSw`). */
    toString() {
      return `WebhookVerifier { secrets: [${this.#shown}] }`;
    }
    toJSON() {
      return this.toString();
    }
    [INSPECT]() {
      return this.toString();
    }
  }

  // `verifyWebhook` is typically called with the same secret on every request: keep the last
  // verifier so the secret is not decoded again each time.
  let cached;
  function verifierFor(secret) {
    if (typeof secret !== 'string') throw new TypeError('the webhook secret must be a string (whsec_… or whpk_…)');
    if (cached === undefined || cached.secret !== secret) {
      // The one replaced is freed by the garbage collector, not here: an asynchronous
      // verification may still be using it.
      cached = { secret, verifier: new WebhookVerifier(secret) };
    }
    return cached.verifier;
  }

  function signWebhook(body, { id, secret, timestamp } = {}) {
    const b = bodyArg(body, raw);
    const ts = timestamp ?? Math.floor(Date.now() / 1000);
    if (typeof id !== 'string' || typeof secret !== 'string' || !Number.isSafeInteger(ts)) {
      throw new TypeError('signWebhook needs { id: string, secret: string, timestamp?: integer unix seconds }');
    }
    try {
      const signature = raw.signWebhook(typeof b === 'string' ? encoder.encode(b) : b, id, ts, secret);
      return { [WEBHOOK_HEADER_ID]: id, [WEBHOOK_HEADER_TIMESTAMP]: String(ts), [WEBHOOK_HEADER_SIGNATURE]: signature };
    } catch (err) {
      throw convert(err);
    }
  }

  function call(f, ...input) {
    if (typeof input[0] !== 'string') throw new TypeError(`expected a string, got ${typeof input[0]}`);
    try {
      return f(...input);
    } catch (err) {
      throw convert(err);
    }
  }

  return {
    verifyWebhook: (body, headers, secret, options) => verifierFor(secret).verify(body, headers, options),
    verifyWebhookSignature: (body, headers, secret, options) => verifierFor(secret).verifySignature(body, headers, options),
    verifyWebhookAsync: (body, headers, secret, options) => verifierFor(secret).verifyAsync(body, headers, options),
    WebhookVerifier,
    ReplayGuard,
    signWebhook,
    validateEmail: (input) => call(raw.validateEmail, input),
    validatePhone: (input) => call(raw.validatePhone, input),
    resolveIdentifier(input, { channel } = {}) {
      if (channel !== undefined && channel !== null && typeof channel !== 'string') {
        throw new TypeError('channel must be a channel name such as "slack"');
      }
      const [kind, value] = call(raw.resolveIdentifier, input, channel ?? undefined);
      return { kind, value };
    },
    errorCodes: () => ERROR_CODES,
    version: VERSION,
  };
}
