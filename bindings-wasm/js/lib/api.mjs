// Webhook verification/signing and recipient validation over the WebAssembly module. Shared by
// both builds (the small `@sendivent/wasm/webhook` and the full package): each entry point
// initialises its module and calls `createApi(raw)`.
//
// Only argument plumbing lives here: the body as text or bytes, every header as a pair, the
// clock (`Date.now()`, since WebAssembly has none). Every check — which headers count, timestamp
// tolerance, signature matching, secret pitfalls, payload shape — is the core's.

import { convert } from './errors.mjs';
import { ValidationError } from './errors.gen.mjs';
import {
  ERROR_CODES,
  VERSION,
  WEBHOOK_HEADER_ID,
  WEBHOOK_HEADER_SIGNATURE,
  WEBHOOK_HEADER_TIMESTAMP,
} from './description.gen.mjs';
import { WebhookEvent } from './models.gen.mjs';

const encoder = new TextEncoder();
const LONG_STRING = 4096;
const VERIFY_OPTIONS = new Set(['now', 'tolerance', 'skipTimestampCheck']);

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
    headers.forEach((value, name) => add(name, value));
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  return JSON.stringify(pairs);
}

function bodyArg(body) {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('the webhook body must be the raw request body: a string, Uint8Array or ArrayBuffer');
}

export function createApi(raw) {
  function verify(target, body, headers, options, parse) {
    for (const key of Object.keys(options ?? {})) {
      if (!VERIFY_OPTIONS.has(key)) {
        const message = `unknown verify option \`${key}\`; the options are: ${[...VERIFY_OPTIONS].join(', ')}`;
        throw new ValidationError({ code: 'INVALID_ARGUMENT', message });
      }
    }
    const b = bodyArg(body);
    const now = options?.now ?? Date.now() / 1000;
    const args = [headerPairs(headers), now, options?.tolerance, options?.skipTimestampCheck === true, parse];
    try {
      // wasm-bindgen copies short strings into WebAssembly memory with a JS loop; for longer
      // ones the engine's native TextEncoder is faster (measured: bench/verify.mjs).
      return typeof b === 'string' && b.length <= LONG_STRING
        ? target.verifyStr(b, ...args)
        : target.verifyBytes(typeof b === 'string' ? encoder.encode(b) : b, ...args);
    } catch (err) {
      throw convert(err);
    }
  }

  /**
   * A verifier for one secret, or several during a key rotation (any one matching signature
   * passes); reuse it for many requests: the secrets are decoded once.
   */
  class WebhookVerifier {
    #raw;
    #shown;
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
    verify(body, headers, options) {
      return new WebhookEvent(JSON.parse(verify(this.#raw, body, headers, options, true)));
    }
    verifySignature(body, headers, options) {
      verify(this.#raw, body, headers, options, false);
    }
    /** Frees the decoded key now instead of at garbage collection. */
    free() {
      this.#raw.free();
    }
    /** The secrets redacted by the core (`whsec_…LaSw`). */
    toString() {
      return `WebhookVerifier { secrets: [${this.#shown}] }`;
    }
    toJSON() {
      return this.toString();
    }
    [Symbol.for('nodejs.util.inspect.custom')]() {
      return this.toString();
    }
  }

  // `verifyWebhook` is typically called with the same secret on every request: keep the last
  // verifier so the secret is not decoded again each time.
  let cached;
  function verifierFor(secret) {
    if (typeof secret !== 'string') throw new TypeError('the webhook secret must be a string (whsec_… or whpk_…)');
    if (cached === undefined || cached.secret !== secret) {
      const verifier = new WebhookVerifier(secret);
      cached?.verifier.free();
      cached = { secret, verifier };
    }
    return cached.verifier;
  }

  function verifyWebhook(body, headers, secret, options) {
    return verifierFor(secret).verify(body, headers, options);
  }

  function verifyWebhookSignature(body, headers, secret, options) {
    verifierFor(secret).verifySignature(body, headers, options);
  }

  function signWebhook(body, { id, secret, timestamp } = {}) {
    const b = bodyArg(body);
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

  function call(f, input) {
    if (typeof input !== 'string') throw new TypeError(`expected a string, got ${typeof input}`);
    try {
      return f(input);
    } catch (err) {
      throw convert(err);
    }
  }

  return {
    verifyWebhook,
    verifyWebhookSignature,
    WebhookVerifier,
    signWebhook,
    validateEmail: (input) => call(raw.validateEmail, input),
    validatePhone: (input) => call(raw.validatePhone, input),
    resolveIdentifier(input) {
      const [kind, value] = call(raw.resolveIdentifier, input);
      return { kind, value };
    },
    errorCodes: () => ERROR_CODES,
    version: VERSION,
  };
}
