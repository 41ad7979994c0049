// The `Sendivent` client class over the core's client (compiled to WebAssembly, sending with the
// runtime's fetch). Everything that decides behaviour — options and their bounds, validation,
// retries with backoff and Retry-After, idempotency keys, error codes, pagination — runs in the
// core. The resource methods are generated (resources.gen.mjs); this file runs them: JSON in,
// JSON out, answers built as the generated model classes.

import { convert } from './errors.mjs';
import { SendiventError } from './errors.gen.mjs';
import { API_KEY_ENV, BASE_URL_ENV, CLIENT_OPTIONS, LOG_ENV, REQUEST_OPTIONS, toDescriptionNames } from './description.gen.mjs';
import { RESPONSE_MODELS, ResponseMeta, setRedaction } from './models.gen.mjs';
import { createResources } from './resources.gen.mjs';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

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

/** A header collection (`Headers`, `Map`) as `[name, value]` pairs; other values as they are. */
function headerPairs(_key, value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (typeof value[Symbol.iterator] === 'function') return [...value];
  if (typeof value.forEach !== 'function') return value;
  const pairs = [];
  value.forEach((v, name) => {
    pairs.push([name, v]);
  });
  return pairs;
}

/** Options as JSON with the description's names. */
function optionsJson(options, names) {
  return JSON.stringify(toDescriptionNames(options, names), headerPairs);
}

function requestOptionsJson(options) {
  return options === undefined || options === null ? undefined : optionsJson(options, REQUEST_OPTIONS);
}

/** Attaches the response metadata as a non-enumerable `lastResponse` (Stripe's pattern). */
function withResponse(model, meta) {
  Object.defineProperty(model, 'lastResponse', { value: new ResponseMeta(meta), enumerable: false, configurable: true });
  return model;
}

/** `decodeResponse(kind, body)`: the core's decoding of an answer body, as the model the client returns. */
export function createDecoder(raw) {
  setRedaction(raw.redact);
  return function decodeResponse(kind, body) {
    let json;
    try {
      json = raw.decodeResponse(kind, typeof body === 'string' ? body : JSON.stringify(body));
    } catch (err) {
      throw convert(err);
    }
    return new RESPONSE_MODELS[kind](JSON.parse(json));
  };
}

function defaultLogger(record) {
  (record.level === 'debug' ? console.debug : console.info).call(console, record.line);
}

export function createClient(raw) {
  setRedaction(raw.redact);

  class Paginated {
    #raw;
    #Model;
    #pending = Promise.resolve();
    constructor(rawPaginator, Model) {
      this.#raw = rawPaginator;
      this.#Model = Model;
    }
    next() {
      // One page at a time: the core's paginator refuses overlapping calls.
      const result = this.#pending.then(async () => {
        let json;
        try {
          json = await this.#raw.next();
        } catch (err) {
          throw convert(err);
        }
        return json === undefined ? { done: true, value: undefined } : { done: false, value: new this.#Model(JSON.parse(json)) };
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

  // Hands a `withOptions` clone its handle without a public constructor overload.
  const clone = Symbol('clone');

  class Sendivent {
    #raw;

    constructor(options = {}) {
      if (options?.[clone] !== undefined) {
        this.#raw = options[clone];
      } else {
        const { logger = defaultLogger, ...given } = options;
        given.apiKey ??= readEnv(API_KEY_ENV);
        given.baseUrl ??= readEnv(BASE_URL_ENV);
        try {
          this.#raw = new raw.RawClient(optionsJson(given, CLIENT_OPTIONS), readEnv(LOG_ENV), (line) => logger(JSON.parse(line)));
        } catch (err) {
          throw convert(err);
        }
      }
      const call = async (op, args, options, Model) => {
        let json;
        try {
          json = await this.#raw.call(op, JSON.stringify(args), requestOptionsJson(options));
        } catch (err) {
          throw convert(err);
        }
        const { data, meta } = JSON.parse(json);
        return withResponse(new Model(data), meta);
      };
      const paginate = (op, args, options, Model) => {
        try {
          return new Paginated(this.#raw.paginate(op, JSON.stringify(args), requestOptionsJson(options)), Model);
        } catch (err) {
          throw convert(err);
        }
      };
      const sendMany = async (items, concurrency, options, Model) => {
        let json;
        try {
          json = await this.#raw.sendMany(JSON.stringify(items), concurrency, requestOptionsJson(options));
        } catch (err) {
          throw convert(err);
        }
        return JSON.parse(json).map((entry) =>
          'ok' in entry
            ? { ok: true, value: withResponse(new Model(entry.ok.data), entry.ok.meta) }
            : { ok: false, error: SendiventError.fromDetails(entry.error) },
        );
      };
      Object.assign(this, createResources({ call, paginate, sendMany }));
    }

    /** `"live"` or `"test"`, from the key's prefix. */
    get keyMode() {
      return this.#raw.keyMode();
    }

    /** The base URL requests go to. */
    get baseUrl() {
      return this.#raw.baseUrl();
    }

    /** A client sharing this one's connections and rate limit, with per-request overrides (merged by the core). */
    withOptions(options) {
      try {
        return new Sendivent({ [clone]: this.#raw.withOptions(optionsJson(options, REQUEST_OPTIONS)) });
      } catch (err) {
        throw convert(err);
      }
    }

    /** The configuration with the key redacted. */
    toString() {
      return `Sendivent ${this.#raw.describe()}`;
    }

    toJSON() {
      return this.toString();
    }

    [INSPECT]() {
      return this.toString();
    }
  }

  return Sendivent;
}
