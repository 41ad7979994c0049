// Webhook verification/signing and recipient validation over the WebAssembly module. Shared by
// both builds (the small `@sendivent/wasm/webhook` and the full package): each entry point
// initialises its module and calls `createApi(raw)`.
//
// Only argument plumbing lives here: header lookup from a `Headers` object or a plain object,
// the clock (`Date.now()`, since WebAssembly has none), and JSON parsing of results. Every
// check — header presence, timestamp tolerance, signature matching, secret pitfalls, payload
// shape — is the core's.

import { convert } from './errors.mjs';

const encoder = new TextEncoder();
const LONG_STRING = 4096;

function headerValue(headers, name) {
  if (headers === null || typeof headers !== 'object') return undefined;
  if (typeof headers.get === 'function') {
    const value = headers.get(name); // Fetch `Headers`: case-insensitive already
    return value === null ? undefined : value;
  }
  if (Array.isArray(headers)) {
    // [name, value] pairs (HeadersInit): the first occurrence wins, as in the core.
    for (const pair of headers) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && pair[0].trim().toLowerCase() === name) {
        return pair[1] === undefined || pair[1] === null ? undefined : String(pair[1]);
      }
    }
    return undefined;
  }
  let value = headers[name];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) {
    // Repeated headers: signatures are a space-separated list, other values take the first.
    return name === 'webhook-signature' ? value.join(' ') : value[0];
  }
  return value === undefined || value === null ? undefined : String(value);
}

function clockArgs(options) {
  const now = options?.now ?? Date.now() / 1000;
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new TypeError('options.now must be unix time in seconds');
  }
  const tolerance = options?.toleranceSeconds;
  if (tolerance !== undefined && (typeof tolerance !== 'number' || Number.isNaN(tolerance))) {
    throw new TypeError('options.toleranceSeconds must be a number of seconds');
  }
  // NaN tells the Rust side "the default tolerance" (5 minutes); 0 is a real tolerance of 0 s.
  return [now, tolerance ?? Number.NaN, options?.skipTimestampCheck === true];
}

function bodyArg(body) {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('the webhook body must be the raw request body: a string, Uint8Array or ArrayBuffer');
}

export function createApi(raw) {
  function verify(target, body, headers, options, parse) {
    const b = bodyArg(body);
    const [now, tolerance, skip] = clockArgs(options);
    const id = headerValue(headers, 'webhook-id');
    const timestamp = headerValue(headers, 'webhook-timestamp');
    const signature = headerValue(headers, 'webhook-signature');
    try {
      // wasm-bindgen copies short strings into WebAssembly memory with a JS loop; for longer
      // ones the engine's native TextEncoder is faster (measured: bench/verify.mjs).
      return typeof b === 'string' && b.length <= LONG_STRING
        ? target.verifyStr(b, id, timestamp, signature, now, tolerance, skip, parse)
        : target.verifyBytes(typeof b === 'string' ? encoder.encode(b) : b, id, timestamp, signature, now, tolerance, skip, parse);
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
    }
    verify(body, headers, options) {
      const event = verify(this.#raw, body, headers, options, true);
      return typeof event === 'string' ? JSON.parse(event) : event;
    }
    verifySignature(body, headers, options) {
      verify(this.#raw, body, headers, options, false);
    }
    /** Frees the decoded key now instead of at garbage collection. */
    free() {
      this.#raw.free();
    }
    toString() {
      return 'WebhookVerifier { secret: <redacted> }';
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
      const bytes = typeof b === 'string' ? encoder.encode(b) : b;
      const signature = raw.signWebhook(bytes, id, ts, secret);
      return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature };
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

  function validateEmail(input) {
    return call(raw.validateEmail, input);
  }

  function validatePhone(input) {
    return call(raw.validatePhone, input);
  }

  function resolveIdentifier(input) {
    const [kind, value] = call(raw.resolveIdentifier, input);
    return { kind, value };
  }

  let codes;
  function errorCodes() {
    codes ??= Object.freeze(JSON.parse(raw.errorCodesJson()).map(([code, number]) => Object.freeze({ code, number })));
    return codes;
  }

  return {
    verifyWebhook,
    verifyWebhookSignature,
    WebhookVerifier,
    signWebhook,
    validateEmail,
    validatePhone,
    resolveIdentifier,
    errorCodes,
    version: raw.version(),
  };
}
