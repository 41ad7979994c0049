// The `Sendivent` client class over the core's client (compiled to WebAssembly, sending with the
// runtime's fetch). Everything that decides behaviour — validation, retries with backoff and
// Retry-After, idempotency keys, error codes, pagination — runs in the core; this file only
// maps JS arguments to the JSON the Rust side decodes, and JSON results back to objects.

import { convert, fromDetails } from './errors.mjs';

/** Reads a variable from the runtime's environment (Node/Bun `process.env`, Deno `Deno.env`). */
function readEnv(name) {
  try {
    const fromProcess = globalThis.process?.env?.[name];
    if (typeof fromProcess === 'string') return fromProcess;
    const deno = globalThis.Deno;
    if (deno?.env?.get) return deno.env.get(name);
  } catch {
    // No permission to read the environment (Deno without --allow-env): treat as unset.
  }
  return undefined;
}

function headerPairs(headers) {
  if (headers === undefined || headers === null) return [];
  if (typeof headers.entries === 'function' && typeof headers.get === 'function') return [...headers.entries()];
  return Object.entries(headers).map(([name, value]) => [name, String(value)]);
}

function requestOptionsJson(options) {
  if (options === undefined || options === null) return undefined;
  const { timeoutMs, maxRetries, idempotencyKey, headers } = options;
  return JSON.stringify({ timeoutMs, maxRetries, idempotencyKey, headers: headerPairs(headers) });
}

/** Attaches the response metadata as a non-enumerable `lastResponse` (Stripe's pattern). */
function withMeta(data, meta) {
  const target = data !== null && typeof data === 'object' ? data : { value: data };
  Object.defineProperty(target, 'lastResponse', { value: meta, enumerable: false, configurable: true });
  return target;
}

function parseResult(json) {
  const { data, meta } = JSON.parse(json);
  return withMeta(data, meta);
}

const inspect = Symbol.for('nodejs.util.inspect.custom');

/** `decodeResponse(kind, body)`: the core's decoding of a response body, as a plain object. */
export function createDecoder(raw) {
  return function decodeResponse(kind, body) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    try {
      return JSON.parse(raw.decodeResponse(kind, text));
    } catch (err) {
      throw convert(err);
    }
  };
}

export function createClient(raw) {
  class Paginated {
    #raw;
    #pending = Promise.resolve();
    constructor(rawPaginator) {
      this.#raw = rawPaginator;
    }
    next() {
      // Serialise calls: the core walks pages one at a time.
      const result = this.#pending.then(async () => {
        let json;
        try {
          json = await this.#raw.next();
        } catch (err) {
          throw convert(err);
        }
        return json === undefined ? { done: true, value: undefined } : { done: false, value: JSON.parse(json) };
      });
      this.#pending = result.catch(() => undefined);
      return result;
    }
    async return(value) {
      return { done: true, value };
    }
    [Symbol.asyncIterator]() {
      return this;
    }
    /** Collects every remaining item into an array. */
    async toArray() {
      const all = [];
      for await (const item of this) all.push(item);
      return all;
    }
  }

  class Sendivent {
    #raw;
    #options;
    // A `withOptions` clone shares its parent's handle and keeps the parent alive, so the
    // handle is freed only when no client uses it.
    #parent;

    constructor(options = {}) {
      if (options instanceof RawHandle) {
        this.#raw = options.raw;
        this.#options = options.requestOptions;
        this.#parent = options.parent;
      } else {
        const logLevel = options.logLevel ?? readEnv('SENDIVENT_LOG');
        const logger =
          options.logger ??
          ((record) => {
            const sink = record.level === 'debug' ? console.debug : console.info;
            sink.call(console, record.line);
          });
        const json = JSON.stringify({
          apiKey: options.apiKey ?? readEnv('SENDIVENT_API_KEY'),
          baseUrl: options.baseUrl ?? readEnv('SENDIVENT_BASE_URL'),
          timeoutMs: options.timeoutMs,
          maxRetries: options.maxRetries,
          allowInsecureHttp: options.allowInsecureHttp,
          rateLimit: options.rateLimit,
          headers: headerPairs(options.headers),
          logLevel,
        });
        try {
          this.#raw = new raw.RawClient(json, (line) => logger(JSON.parse(line)));
        } catch (err) {
          throw convert(err);
        }
        this.#options = undefined;
      }
      const call = (op, args, options) => this.#call(op, args, options);
      const paginate = (op, args, options) => this.#paginate(op, args, options);
      this.contacts = Object.freeze({
        list: (params, options) => call('contacts.list', { params }, options),
        listAll: (params, options) => paginate('contacts.listAll', { params }, options),
        get: (identifier, options) => call('contacts.get', { identifier }, options),
        create: (contact, options) => call('contacts.create', { contact }, options),
        update: (identifier, changes, options) => call('contacts.update', { identifier, changes }, options),
        delete: (identifier, options) => call('contacts.delete', { identifier }, options),
        addPushToken: (identifier, token, options) => call('contacts.addPushToken', { identifier, token }, options),
        removePushToken: (identifier, token, options) =>
          call('contacts.removePushToken', { identifier, token }, options),
      });
      this.events = Object.freeze({
        list: (options) => call('events.list', {}, options),
        get: (identifier, options) => call('events.get', { identifier }, options),
      });
      this.deliveries = Object.freeze({
        list: (params, options) => call('deliveries.list', { params }, options),
        listAll: (params, options) => paginate('deliveries.listAll', { params }, options),
        trace: (uuid, options) => call('deliveries.trace', { uuid }, options),
      });
      this.integrations = Object.freeze({
        list: (channel, options) => call('integrations.list', { channel }, options),
      });
      this.webhooks = Object.freeze({
        create: (webhook, options) => call('webhooks.create', { webhook }, options),
        get: (options) => call('webhooks.get', {}, options),
        update: (uuid, changes, options) => call('webhooks.update', { uuid, changes }, options),
        delete: (uuid, options) => call('webhooks.delete', { uuid }, options),
      });
    }

    #merged(options) {
      if (this.#options === undefined) return options;
      if (options === undefined) return this.#options;
      return {
        ...this.#options,
        ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
        headers: { ...(this.#options.headers ?? {}), ...(options.headers ?? {}) },
      };
    }

    async #call(op, args, options) {
      let json;
      try {
        json = await this.#raw.call(op, JSON.stringify(args), requestOptionsJson(this.#merged(options)));
      } catch (err) {
        throw convert(err);
      }
      return parseResult(json);
    }

    #paginate(op, args, options) {
      try {
        return new Paginated(this.#raw.paginate(op, JSON.stringify(args), requestOptionsJson(this.#merged(options))));
      } catch (err) {
        throw convert(err);
      }
    }

    /** `"live"` or `"test"`, from the key's prefix. */
    get keyMode() {
      return this.#raw.keyMode();
    }

    /** The base URL requests go to. */
    get baseUrl() {
      return this.#raw.baseUrl();
    }

    /** A client sharing this one's connection settings, with per-request overrides. */
    withOptions(options) {
      return new Sendivent(new RawHandle(this.#raw, this.#merged(options), this));
    }

    send(event, request = {}, options) {
      return this.#call('send', { event, request }, options);
    }

    sendOn(event, channel, request = {}, options) {
      return this.#call('send', { event, channel, request }, options);
    }

    async sendMany(items, options = {}) {
      const { concurrency = 4, ...requestOptions } = options;
      let json;
      try {
        json = await this.#raw.sendMany(
          JSON.stringify(items),
          concurrency,
          requestOptionsJson(this.#merged(requestOptions)),
        );
      } catch (err) {
        throw convert(err);
      }
      return JSON.parse(json).map((entry) =>
        'ok' in entry
          ? { ok: true, value: withMeta(entry.ok.data, entry.ok.meta) }
          : { ok: false, error: fromDetails(entry.error) },
      );
    }

    toString() {
      return `Sendivent ${this.#raw.describe()}`;
    }

    [inspect]() {
      return this.toString();
    }
  }

  // Carries a shared raw handle into `withOptions` clones without a public constructor overload.
  class RawHandle {
    constructor(raw, requestOptions, parent) {
      this.raw = raw;
      this.requestOptions = requestOptions;
      this.parent = parent;
    }
  }

  return Sendivent;
}
