// Runs every case of every shared vector file (tests/vectors/*.json) through the public JS layer
// of the package: the full build, and the ./webhook build for the functions it has. A vector
// function or behaviour check this runner does not know fails. Writes how many cases of each
// file ran to $SENDIVENT_VECTOR_COUNTS_DIR/js.json (default <repo>/target/vector-counts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import http from 'node:http';
import path from 'node:path';

import * as full from '../pkg/node.mjs';
import * as lite from '../pkg/webhook/node.mjs';
import * as liteEd25519 from '../pkg/webhook-ed25519/node.mjs';
// The same modules the entries above initialised, to run the webhook vectors through every HMAC
// path: node:crypto (the Node entries), SHA-256 in WebAssembly, and WebCrypto.
import * as rawWebhook from '../pkg/dist/webhook/sendivent_wasm.js';
import * as rawWebhookEd25519 from '../pkg/dist/webhook-ed25519/sendivent_wasm.js';
import { createApi } from '../pkg/lib/api.mjs';
import { nodeHmac } from '../pkg/lib/node-hmac.mjs';
// The test hooks of the full module (not exported by the package) and the binding's own error
// mapping, which the package applies to everything the module throws.
import * as rawFull from '../pkg/dist/full/sendivent_wasm.js';
import { convert } from '../pkg/lib/errors.mjs';
import { CLIENT_OPTIONS, REQUEST_OPTIONS } from '../pkg/lib/description.gen.mjs';
import { RESPONSE_MODELS } from '../pkg/lib/models.gen.mjs';
import { repoRoot } from './helpers.mjs';

const vectorDir = path.join(repoRoot, 'tests', 'vectors');
const files = readdirSync(vectorDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const KEY = 'test_vectors0123456789abcdef';
const CLOSED = 'http://127.0.0.1:9';
const builds = [
  ['full', full],
  ['webhook', lite],
];
/** The builds and HMAC paths every webhook vector runs through; `ed25519: false` for the small module. */
const webhookPaths = [
  ['full (node:crypto)', { ...full, ...createApi(rawFull, { hmac: nodeHmac, hostHmacMinBytes: 0 }) }],
  ['webhook (node:crypto)', { ...lite, ...createApi(rawWebhook, { hmac: nodeHmac, hostHmacMinBytes: 0 }) }, { ed25519: false }],
  ['webhook (entry)', lite, { ed25519: false }],
  ['webhook (wasm SHA-256)', { ...lite, ...createApi(rawWebhook, { webCryptoMinBytes: Infinity }) }, { ed25519: false }],
  ['webhook (WebCrypto)', { ...lite, ...createApi(rawWebhook, { webCryptoMinBytes: 0 }) }, { ed25519: false }],
  ['webhook-ed25519 (node:crypto)', { ...liteEd25519, ...createApi(rawWebhookEd25519, { hmac: nodeHmac, hostHmacMinBytes: 0 }) }],
  ['webhook-ed25519 (wasm SHA-256)', { ...liteEd25519, ...createApi(rawWebhookEd25519, { webCryptoMinBytes: Infinity }) }],
  ['webhook-ed25519 (WebCrypto)', { ...liteEd25519, ...createApi(rawWebhookEd25519, { webCryptoMinBytes: 0 }) }],
];

/**
 * What a case expects of a build: a build without ed25519 refuses every whpk_/whsk_ key with
 * WEBHOOK_INVALID_SECRET saying so (the vectors' own expectation in every other build).
 */
function expectIn(c, secrets, traits) {
  const ed25519Key = secrets.some((s) => /^\s*wh(pk|sk)_/.test(s));
  if (traits?.ed25519 !== false || !ed25519Key) return c.expect;
  return { error: { code: 'WEBHOOK_INVALID_SECRET', message: /not supported by this build/ } };
}

/**
 * What a typed object holds, nested objects included, as plain JSON values: its own enumerable
 * fields and the secret fields its class gives through getters.
 */
function fields(value) {
  if (Array.isArray(value)) return value.map(fields);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) out[key] = fields(v);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype) {
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (typeof d.get === 'function' && value[key] !== undefined) out[key] = fields(value[key]);
    }
  }
  return out;
}
const jsName = (names, name) => Object.keys(names).find((js) => names[js] === name) ?? assert.fail(`no JS name for ${name}`);

/** Runs `run`, and checks the outcome against `expect` (`ok` compared as JSON values, or `error.code`). */
async function check(name, expect, run, sdk = full) {
  let got;
  try {
    got = await run();
  } catch (err) {
    if (!('error' in expect)) assert.fail(`${name}: expected success, got ${err?.code ?? err?.name}: ${err?.message}`);
    assert.ok(err instanceof sdk.SendiventError, `${name}: expected a SendiventError, got ${err}`);
    assert.equal(err.code, expect.error.code, `${name}: ${err.message}`);
    if (expect.error.message instanceof RegExp) assert.match(err.message, expect.error.message, name);
    return;
  }
  assert.ok(!('error' in expect), `${name}: expected ${expect.error?.code}, got success`);
  assert.deepEqual(got, expect.ok, name);
}

/**
 * A loopback HTTP server standing in for the API: records each request (method, path, body) and
 * answers a send with one delivery, so a vector can compare the body the client sent.
 */
let capture;
async function captureServer() {
  if (capture !== undefined) return capture;
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success":true,"deliveries":[{"email":"00000000-0000-4000-8000-000000000001"}]}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture = { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) };
  return capture;
}
after(() => capture?.close());

/** A replay store over a Map with a clock the runner sets: what a user's KV store does. */
function mapStore() {
  const expiry = new Map();
  return {
    now: 0,
    calls: [],
    insertIfAbsent(key, ttlSeconds) {
      this.calls.push([key, ttlSeconds]);
      if ((expiry.get(key) ?? -Infinity) > this.now) return false;
      expiry.set(key, this.now + ttlSeconds);
      return true;
    },
  };
}

/** Each vector function: `(case) => Promise`, run in every build that has it. */
const functions = {
  webhook_verify: {
    builds: webhookPaths,
    run(sdk, c, traits) {
      const { input } = c;
      const expect = expectIn(c, [input.secrets ?? input.secret].flat(), traits);
      const options = { now: c.now };
      if (input.tolerance_seconds !== undefined) options.tolerance = input.tolerance_seconds;
      if (input.skip_timestamp_check !== undefined) options.skipTimestampCheck = input.skip_timestamp_check;
      // The synchronous path (the core's HMAC) and the asynchronous one (WebCrypto's HMAC, the
      // core's decisions) give every case the same answer.
      return Promise.all([
        check(
          c.name,
          expect,
          () => {
            const verifier = new sdk.WebhookVerifier(input.secrets ?? input.secret);
            try {
              if (input.parse_event) return fields(verifier.verify(input.body, input.headers, options));
              verifier.verifySignature(input.body, input.headers, options);
              return true;
            } finally {
              verifier.free();
            }
          },
          sdk,
        ),
        check(
          `${c.name} (async)`,
          expect,
          async () => {
            const verifier = new sdk.WebhookVerifier(input.secrets ?? input.secret);
            if (input.parse_event) return fields(await verifier.verifyAsync(input.body, input.headers, options));
            await verifier.verifySignatureAsync(input.body, input.headers, options);
            return true;
          },
          sdk,
        ),
      ]);
    },
  },
  webhook_sign: {
    builds: webhookPaths,
    run: (sdk, c, traits) =>
      check(
        c.name,
        expectIn(c, [c.input.secret], traits),
        () => sdk.signWebhook(c.input.body, { id: c.input.id, secret: c.input.secret, timestamp: c.input.timestamp })['webhook-signature'],
        sdk,
      ),
  },
  validate_email: { builds, run: (sdk, c) => check(c.name, c.expect, () => sdk.validateEmail(c.input), sdk) },
  validate_phone: { builds, run: (sdk, c) => check(c.name, c.expect, () => sdk.validatePhone(c.input), sdk) },
  resolve_identifier: { builds, run: (sdk, c) => check(c.name, c.expect, () => sdk.resolveIdentifier(c.input), sdk) },
  resolve_recipient: {
    builds,
    run: (sdk, c) => check(c.name, c.expect, () => sdk.resolveIdentifier(c.input.value, { channel: c.input.channel }), sdk),
  },
  webhook_replay: {
    builds,
    // Every step through the synchronous path (the core's HMAC and in-memory guard), the
    // asynchronous one (WebCrypto's HMAC, the core's guard), and a caller's store.
    async run(sdk, c) {
      const { input } = c;
      for (const mode of ['sync', 'async', 'store']) {
        const verifier = new sdk.WebhookVerifier(input.secrets);
        const store = mode === 'store' ? mapStore() : undefined;
        const replayGuard = new sdk.ReplayGuard(store === undefined ? {} : { store });
        for (const step of input.steps) {
          const body = step.tamper ? `${input.body} ` : input.body;
          const options = { now: step.now, skipTimestampCheck: step.skip_timestamp_check === true, replayGuard };
          if (store !== undefined) store.now = step.now;
          await check(
            `${c.name} / ${step.id} (${mode})`,
            step.expect,
            async () => {
              const { verified } =
                mode === 'sync' ? verifier.verifyDetailed(body, step.headers, options) : await verifier.verifyDetailedAsync(body, step.headers, options);
              assert.ok(verified instanceof Object && verified.msg_id === step.id, `${c.name}: verified ${inspect(verified)}`);
              return { secret_index: verified.secret_index, secret_fingerprint: verified.secret_fingerprint };
            },
            sdk,
          );
        }
        if (store !== undefined) {
          // The core named the key and its lifetime; only authentic deliveries reached the store.
          for (const [key, ttl] of store.calls) {
            assert.match(key, /^sendivent:webhook:msg_/, c.name);
            assert.ok(Number.isInteger(ttl) && ttl >= 1, `${c.name}: ttl ${ttl}`);
          }
          const authentic = input.steps.filter((s) => 'ok' in s.expect || s.expect.error.code === 'WEBHOOK_DUPLICATE');
          assert.equal(store.calls.length, authentic.length, `${c.name}: store calls ${inspect(store.calls)}`);
        }
        verifier.free();
      }
    },
  },
  prepare_send: {
    builds: [['full', full]],
    // Through `send` itself: the params object → the generated method → the core's checks and
    // encoding → the body on the wire, captured by a loopback server.
    async run(sdk, c) {
      const server = await captureServer();
      const client = new sdk.Sendivent({ apiKey: KEY, baseUrl: server.url, maxRetries: 0 });
      const before = server.requests.length;
      const params = c.input.channel === null ? { ...c.input.body } : { ...c.input.body, channel: c.input.channel };
      await check(c.name, c.expect, async () => {
        const sent = await client.send('vector.event', params);
        assert.equal(sent.success, true, c.name);
        assert.equal(server.requests.length, before + 1, `${c.name}: one request`);
        const request = server.requests.at(-1);
        const route = c.input.channel === null ? '/v1/send/vector.event' : `/v1/send/vector.event/${c.input.channel}`;
        assert.deepEqual([request.method, request.path], ['POST', route], c.name);
        return JSON.parse(request.body);
      });
      if ('error' in c.expect) assert.equal(server.requests.length, before, `${c.name}: refused before sending`);
    },
  },
  decode_response: {
    builds: [['full', full]],
    run: (sdk, c) =>
      check(c.name, c.expect, () => {
        const result = sdk.decodeResponse(c.input.kind, JSON.stringify(c.input.body));
        // The object the client returns for that operation, with exactly the canonical fields.
        assert.ok(result instanceof RESPONSE_MODELS[c.input.kind], `${c.name}: not a ${RESPONSE_MODELS[c.input.kind]?.name}`);
        return fields(result);
      }),
  },
  behaviour: {
    builds: [['full', full]],
    run: (_sdk, c) => {
      const checker = behaviour[c.check];
      assert.ok(checker, `${c.name}: unknown behaviour check ${JSON.stringify(c.check)}; add it to tests/vectors.test.mjs`);
      return checker(c);
    },
  },
};

/** The secret must not appear in `shown`, and its redacted form must. */
function assertRedacted(name, outputs, secret, shown) {
  for (const [how, text] of Object.entries(outputs)) {
    assert.ok(!text.includes(secret), `${name}: ${how} shows the secret: ${text}`);
    assert.ok(text.includes(shown), `${name}: ${how} does not show ${shown}: ${text}`);
  }
}

/** Everything a JS developer prints an object with. */
function formats(object) {
  let logged = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged += chunk;
      done();
    },
  });
  new Console({ stdout: sink }).log(object);
  return {
    'util.inspect': inspect(object),
    'util.inspect (showHidden)': inspect(object, { showHidden: true, depth: 5 }),
    'JSON.stringify': JSON.stringify(object),
    'String()': String(object),
    'template literal': `${object}`,
    'console.log': logged,
  };
}

const behaviour = {
  error_mapping(c) {
    const { input } = c;
    const thrown =
      input.origin === 'answer'
        ? rawFull.__testErrorFromAnswer(input.status, JSON.stringify(input.headers ?? []), input.body, input.send)
        : rawFull.__testErrorFromCode(input.code, input.message);
    assert.ok(thrown !== undefined, `${c.name}: the core has no error for ${JSON.stringify(input)}`);
    const err = convert(thrown);
    const want = c.expect.ok;
    if ('code' in want) assert.equal(err.code, want.code, c.name);
    if ('class' in want) {
      assert.equal(err.name, want.class, c.name);
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the vector names the class to look up
      assert.equal(err.constructor, full[want.class], `${c.name}: built as ${err.constructor.name}`);
    }
    for (const name of want.classes ?? []) {
      for (const [label, sdk] of builds) {
        assert.equal(typeof sdk[name], 'function', `${c.name}: the ${label} build does not export ${name}`);
        assert.ok(err instanceof sdk[name], `${c.name}: not instanceof ${name} of the ${label} build`);
      }
    }
    assert.ok(err instanceof Error, c.name);
    if ('status' in want) assert.equal(err.status, want.status, c.name);
    if ('retryable' in want) assert.equal(err.retryable, want.retryable, c.name);
    if ('message' in want) assert.equal(err.message, want.message, c.name);
    if ('retry_after' in want) assert.equal(err.retryAfter, want.retry_after, c.name);
    if ('errors' in want) assert.deepEqual(fields(err.errors), want.errors, c.name);
    if ('reason' in want) assert.equal(err.reason, want.reason, c.name);
    // The response metadata of an answer, and none for the SDK's own errors.
    assert.equal(err.response?.status ?? null, err.status, c.name);
  },

  async header_options(c) {
    const { scope, headers } = c.input;
    const object = Object.fromEntries(headers);
    if (scope === 'client') {
      return check(c.name, c.expect, () => {
        new full.Sendivent({ apiKey: KEY, baseUrl: CLOSED, defaultHeaders: object });
        return true;
      });
    }
    if (scope !== 'request') assert.fail(`${c.name}: unknown header scope ${scope}`);
    const client = new full.Sendivent({ apiKey: KEY, baseUrl: CLOSED, maxRetries: 0 });
    return check(c.name, c.expect, async () => {
      try {
        await client.events.list({ extraHeaders: object });
      } catch (err) {
        // An accepted header reaches the closed port.
        if (err?.code !== 'CONNECTION_ERROR') throw err;
      }
      return true;
    });
  },

  async option_bounds(c) {
    const { scope, option, value } = c.input;
    const expectError = (run) => check(c.name, c.expect, run);
    switch (scope) {
      case 'client':
        return expectError(() => {
          new full.Sendivent({ apiKey: KEY, baseUrl: CLOSED, [jsName(CLIENT_OPTIONS, option)]: value });
          return true;
        });
      case 'request': {
        const client = new full.Sendivent({ apiKey: KEY, baseUrl: CLOSED, maxRetries: 0 });
        const options = { [jsName(REQUEST_OPTIONS, option)]: value };
        await expectError(() => {
          client.withOptions(options);
          return true;
        });
        // A refused option fails the call itself before anything is sent.
        if ('error' in c.expect) await expectError(() => client.events.list(options));
        return;
      }
      case 'verify': {
        const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
        const body = '{"event":"delivery.sent","delivery":{"uuid":"u","channel":"email","status":"sent"}}';
        const now = 1_700_000_000;
        const headers = full.signWebhook(body, { id: 'msg_bounds', secret, timestamp: now });
        for (const [, sdk] of builds) {
          await check(
            c.name,
            c.expect,
            () => {
              sdk.verifyWebhookSignature(body, headers, secret, { now, [option]: value });
              return true;
            },
            sdk,
          );
        }
        return;
      }
      case 'send_many': {
        const client = new full.Sendivent({ apiKey: KEY, baseUrl: CLOSED, maxRetries: 0 });
        return expectError(async () => {
          assert.deepEqual(await client.sendMany([], { [option]: value }), []);
          return true;
        });
      }
      default:
        assert.fail(`${c.name}: unknown option scope ${scope}`);
    }
  },

  redaction(c) {
    const { kind, secret } = c.input;
    const { shown } = c.expect.ok;
    if (kind === 'api_key') {
      const client = new full.Sendivent({ apiKey: secret, baseUrl: CLOSED });
      assertRedacted(c.name, formats(client), secret, shown);
      assertRedacted(c.name, formats(client.withOptions({ maxRetries: 1 })), secret, shown);
    } else if (kind === 'webhook_secret') {
      const config = full.decodeResponse('webhooks.get', { uuid: 'u', url: 'https://example.com/hook', signing_secret: secret });
      assert.equal(config.signing_secret, secret, `${c.name}: the field itself holds the secret`);
      assertRedacted(c.name, formats(config), secret, shown);
      for (const [, sdk] of builds) {
        const verifier = new sdk.WebhookVerifier(secret);
        assertRedacted(c.name, formats(verifier), secret, shown);
        verifier.free();
      }
    } else {
      assert.fail(`${c.name}: unknown redaction kind ${kind}`);
    }
  },

  async path_params(c) {
    const client = new full.Sendivent({ apiKey: KEY, baseUrl: CLOSED, maxRetries: 0 });
    const [resource, method] = c.input.operation.includes('.') ? c.input.operation.split('.') : [null, c.input.operation];
    const camel = (s) => s.replace(/_([a-z])/g, (_, ch) => ch.toUpperCase());
    const target = resource === null ? client : client[camel(resource)];
    assert.equal(typeof target?.[camel(method)], 'function', `${c.name}: no method for ${c.input.operation}`);
    await check(c.name, c.expect, () => target[camel(method)](...Object.values(c.input.args)));
  },
};

const counts = {};

for (const file of files) {
  const spec = JSON.parse(readFileSync(path.join(vectorDir, file), 'utf8'));
  test(`${file}: function ${spec.function} is known to the JS runner`, () => {
    assert.equal(spec.schema, 1, `${file}: unsupported schema ${spec.schema}`);
    assert.ok(spec.function in functions, `${file}: unknown vector function ${JSON.stringify(spec.function)}; add it to tests/vectors.test.mjs`);
  });
  const fn = functions[spec.function];
  if (fn === undefined) continue;
  test(`${file}: every case (${fn.builds.map(([label]) => label).join(' and ')} build)`, async () => {
    let ran = 0;
    for (const c of spec.cases) {
      for (const [, sdk, traits] of fn.builds) await fn.run(sdk, c, traits);
      ran += 1;
    }
    assert.equal(ran, spec.cases.length);
    counts[file] = ran;
  });
}

after(() => {
  const dir = process.env.SENDIVENT_VECTOR_COUNTS_DIR ?? path.join(repoRoot, 'target', 'vector-counts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'js.json'), `${JSON.stringify(counts, null, 2)}\n`);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `js vectors: ${Object.entries(counts)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ')} (${total} cases) → ${path.join(dir, 'js.json')}`,
  );
});
