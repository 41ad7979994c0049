// The Sendivent client of the WebAssembly package against sendivent-mock: every endpoint,
// pagination, metadata, idempotent retries, errors and their codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import http from 'node:http';

import {
  Sendivent,
  APIError,
  APIConnectionError,
  APITimeoutError,
  ConfigurationError,
  ConflictError,
  InternalServerError,
  InvalidEmailError,
  NotFoundError,
  SendFailedError,
  SendiventError,
  ValidationError,
} from '../pkg/node.mjs';
import { startMock } from './helpers.mjs';

const KEY = 'test_wasm0123456789abcdefKEY9';
let mock;
let client;

before(async () => {
  mock = await startMock();
  client = new Sendivent({ apiKey: KEY, baseUrl: mock.url });
});
after(async () => {
  await mock?.stop();
});

test('construction refuses bad keys and insecure URLs before any request, and never shows the key', () => {
  assert.throws(
    () => new Sendivent({ apiKey: 'sk_live_nope0123456789', baseUrl: mock.url }),
    (err) => {
      assert.ok(err instanceof ConfigurationError && err instanceof SendiventError);
      assert.equal(err.code, 'INVALID_API_KEY');
      assert.ok(!err.message.includes('nope0123456789'));
      return true;
    },
  );
  assert.throws(() => new Sendivent({ apiKey: 'whsec_abc', baseUrl: mock.url }), { code: 'INVALID_API_KEY' });
  assert.throws(() => new Sendivent({ apiKey: KEY, baseUrl: 'http://mock.internal:8080' }), { code: 'INSECURE_BASE_URL' });
  assert.ok(new Sendivent({ apiKey: KEY, baseUrl: 'http://mock.internal:8080', allowInsecureHttp: true }));
  assert.throws(() => new Sendivent({ apiKey: KEY, baseUrl: 'ftp://x' }), { code: 'INVALID_BASE_URL' });
  const saved = process.env.SENDIVENT_API_KEY;
  delete process.env.SENDIVENT_API_KEY;
  try {
    assert.throws(() => new Sendivent({ baseUrl: mock.url }), { code: 'MISSING_API_KEY' });
    process.env.SENDIVENT_API_KEY = KEY;
    assert.equal(new Sendivent({ baseUrl: mock.url }).keyMode, 'test');
  } finally {
    if (saved === undefined) delete process.env.SENDIVENT_API_KEY;
    else process.env.SENDIVENT_API_KEY = saved;
  }
  for (const shown of [String(client), inspect(client), JSON.stringify(client)]) {
    assert.ok(!shown.includes('0123456789abcdef'), shown);
    assert.ok(shown.includes('test_…KEY9'), shown);
  }
  // Options are the description's, in camelCase: a misspelt or renamed one is refused by name.
  assert.throws(
    () => new Sendivent({ apiKey: KEY, baseUrl: mock.url, timeoutMs: 5000 }),
    (err) => {
      assert.ok(err instanceof ValidationError);
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.match(err.message, /timeoutMs/);
      return true;
    },
  );
  assert.throws(() => new Sendivent({ apiKey: KEY, baseUrl: mock.url, timeout: 1e20 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => client.withOptions({ maxRetries: 11 }), { code: 'INVALID_ARGUMENT' });
  assert.equal(client.keyMode, 'test');
  assert.equal(client.baseUrl, `${mock.url}/`);
});

test('send: deliveries, metadata, validation before sending', async () => {
  const sent = await client.send('user.welcome', { to: 'ada@example.com', payload: { code: '1234' } });
  assert.equal(sent.success, true);
  assert.ok(sent.deliveries.length >= 1);
  for (const delivery of sent.deliveries) {
    assert.deepEqual(Object.keys(delivery).sort(), ['channel', 'uuid']);
    assert.match(delivery.uuid, /^[0-9a-f-]{36}$/);
  }
  assert.ok(sent.deliveries.some((d) => d.channel === 'email'));
  assert.deepEqual(sent.errors, []);
  assert.equal(sent.lastResponse.status, 200);
  assert.equal(sent.lastResponse.attempts, 1);
  assert.equal(sent.lastResponse.idempotent_replay, false);
  assert.match(sent.lastResponse.idempotency_key, /^sdk_/);
  assert.ok(sent.lastResponse.headers.every(([name, value]) => typeof name === 'string' && typeof value === 'string'));
  assert.ok(!Object.keys(sent).includes('lastResponse'), 'metadata stays out of JSON.stringify');
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(sent))).sort(), ['deliveries', 'errors', 'success']);

  const onEmail = await client.send('user.welcome', { channel: 'email', to: { email: 'new.person@example.com', name: 'New', plan: 'pro' } });
  assert.deepEqual(
    onEmail.deliveries.map((d) => d.channel),
    ['email'],
  );

  const before = (await mock.admin('GET', 'state')).counts.requests;
  await assert.rejects(client.send('user.welcome', { to: 'nobody@' }), (err) => {
    assert.ok(err instanceof InvalidEmailError && err instanceof ValidationError);
    assert.equal(err.name, 'InvalidEmailError');
    assert.equal(err.code, 'INVALID_EMAIL');
    assert.equal(err.status, null);
    return true;
  });
  await assert.rejects(client.send('user.welcome', { to: '070-123 45 67' }), { code: 'INVALID_PHONE' });
  await assert.rejects(client.send('user.welcome', { to: [] }), { code: 'VALIDATION_ERROR' });
  assert.equal((await mock.admin('GET', 'state')).counts.requests, before, 'invalid sends never reach the server');
});

test('a failed send throws SendFailedError with the server errors list', async () => {
  await assert.rejects(client.send('no.such.event', { to: 'ada@example.com' }), (err) => {
    assert.ok(err instanceof SendFailedError && err instanceof APIError && err instanceof SendiventError);
    assert.equal(err.code, 'SEND_FAILED');
    assert.ok(
      err.errors.some((e) => e.code === 'EVENT_NOT_FOUND'),
      JSON.stringify(err.errors),
    );
    assert.equal(err.status, 404);
    assert.equal(err.response.status, 404);
    assert.equal(err.retryable, false);
    return true;
  });
});

test('a partially failed send succeeds and lists the skipped recipients in errors', async () => {
  // order.confirmed goes out on email and sms; a contact with an email only gets the email.
  const sent = await client.send('order.confirmed', { to: 'email.only@example.com', payload: { order: 9 } });
  assert.equal(sent.success, true);
  assert.deepEqual(
    sent.deliveries.map((d) => d.channel),
    ['email'],
  );
  assert.equal(sent.errors.length, 1, JSON.stringify(sent.errors));
  assert.equal(sent.errors[0].code, 'MISSING_IDENTIFIER');
  assert.match(sent.errors[0].message, /sms/);
  assert.deepEqual(JSON.parse(JSON.stringify(sent)).errors, [{ code: 'MISSING_IDENTIFIER', message: sent.errors[0].message }]);
});

test('contacts: create, get by any identifier, update, push tokens, delete, 404', async () => {
  const created = await client.contacts.create({
    email: 'Wasm.User@Example.COM',
    phone: '+1 (415) 555-2671',
    name: 'Wasm',
    externalId: 'wasm_1',
    plan: 'edge',
  });
  assert.equal(created.phone, '+14155552671');
  assert.equal(created.meta.plan, 'edge');
  assert.equal(created.lastResponse.status < 300, true);
  for (const id of [created.uuid, '+14155552671', 'wasm_1', created.email]) {
    assert.equal((await client.contacts.get(id)).uuid, created.uuid, id);
  }
  const updated = await client.contacts.update('wasm_1', { name: 'Wasm Renamed' });
  assert.equal(updated.name, 'Wasm Renamed');
  assert.equal(updated.phone, '+14155552671');
  assert.equal((await client.contacts.addPushToken('wasm_1', { token: 'ExponentPushToken[wasm]' })).success, true);
  assert.deepEqual((await client.contacts.get('wasm_1')).push_tokens, ['ExponentPushToken[wasm]']);
  await client.contacts.removePushToken('wasm_1', { token: 'ExponentPushToken[wasm]' });
  assert.equal((await client.contacts.delete(created.uuid)).deleted, true);
  await assert.rejects(client.contacts.get(created.uuid), (err) => {
    assert.ok(err instanceof NotFoundError && err instanceof APIError);
    assert.equal(err.code, 'NOT_FOUND');
    assert.equal(err.status, 404);
    assert.equal(err.response.status, 404);
    assert.equal(err.requestId, err.response.request_id);
    return true;
  });
  await assert.rejects(client.contacts.create({ name: 'no identifier' }), { code: 'VALIDATION_ERROR' });
  await assert.rejects(client.contacts.list({ limit: 500 }), { code: 'VALIDATION_ERROR' });
  await assert.rejects(client.contacts.list({ limt: 5 }), { code: 'INVALID_REQUEST' });
});

test('listAll walks every page with an async iterator', async () => {
  for (let i = 0; i < 7; i++) await client.contacts.create({ email: `page${i}@example.com`, externalId: `page_${i}` });
  const firstPage = await client.contacts.list({ limit: 3 });
  assert.equal(firstPage.contacts.length, 3);
  const seen = [];
  for await (const contact of client.contacts.listAll({ limit: 3 })) seen.push(contact.uuid);
  assert.equal(seen.length, firstPage.total);
  assert.equal(new Set(seen).size, seen.length, 'no item twice');
  const searched = await client.contacts.listAll({ search: 'page', limit: 2 }).toArray();
  assert.equal(searched.length, 7);

  await client.send('order.confirmed', { to: ['ada@example.com', 'grace@example.com'], payload: { order: 1 } });
  const deliveries = await client.deliveries.listAll({ limit: 2 }).toArray();
  const page = await client.deliveries.list({ limit: 1 });
  assert.equal(deliveries.length, page.total);
  const trace = await client.deliveries.trace(deliveries[0].uuid);
  assert.equal(trace.delivery.uuid, deliveries[0].uuid);
  assert.ok(Array.isArray(trace.timeline));
  const failedOnly = await client.deliveries.list({ status: 'failed' });
  assert.ok(failedOnly.deliveries.every((d) => d.status === 'failed'));
});

test('events, integrations and the webhook endpoint', async () => {
  const events = await client.events.list();
  assert.ok(events.events.some((e) => e.identifier === 'user.welcome'));
  assert.equal(events.lastResponse.status, 200);
  const welcome = await client.events.get('user.welcome');
  assert.ok(welcome.templates.length > 0);
  const integrations = await client.integrations.list();
  assert.ok(integrations.integrations.length > 0);
  const emailOnly = await client.integrations.list({ channel: 'email' });
  assert.ok(emailOnly.integrations.every((i) => i.channel === 'email'));

  const hook = await client.webhooks.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['delivery.failed'] });
  assert.match(hook.signing_secret, /^whsec_/);
  for (const shown of [JSON.stringify(hook), String(hook), inspect(hook)]) {
    assert.ok(!shown.includes(hook.signing_secret), shown);
    assert.ok(shown.includes(`whsec_…${hook.signing_secret.slice(-4)}`), shown);
  }
  await assert.rejects(
    client.webhooks.create({ url: 'http://127.0.0.1:9/other', enabled_events: ['delivery.sent'] }),
    (err) => err instanceof ConflictError && err.code === 'CONFLICT',
  );
  const paused = await client.webhooks.update(hook.uuid, { is_active: false });
  assert.equal(paused.is_active, false);
  assert.equal((await client.webhooks.get()).uuid, hook.uuid);
  assert.equal((await client.webhooks.delete(hook.uuid)).success, true);
  await assert.rejects(client.webhooks.get(), { code: 'NOT_FOUND' });
});

test('idempotency: a caller key replays, and a lost response is retried without a second notification', async () => {
  const keyed = client.withOptions({ idempotencyKey: 'order-1042-confirmation' });
  const first = await keyed.send('order.confirmed', { to: 'ada@example.com', payload: { order: 1042 } });
  const again = await keyed.send('order.confirmed', { to: 'ada@example.com', payload: { order: 1042 } });
  assert.equal(first.lastResponse.idempotent_replay, false);
  assert.equal(again.lastResponse.idempotent_replay, true);
  assert.deepEqual(again.deliveries, first.deliveries);

  const sendsBefore = (await mock.admin('GET', 'state')).counts.sends;
  await mock.admin('PUT', 'faults', { drop_rate: 1 });
  try {
    const sent = await client.send('user.welcome', { to: 'grace@example.com' }, { maxRetries: 2 });
    assert.equal(sent.lastResponse.attempts, 2);
    assert.equal(sent.lastResponse.idempotent_replay, true, 'the retry was answered from the idempotency store');
  } finally {
    await mock.admin('PUT', 'faults', { drop_rate: 0 });
  }
  assert.equal((await mock.admin('GET', 'state')).counts.sends, sendsBefore + 1, 'notified exactly once');
});

test('5xx answers are retried, then surface with their code; timeouts and connection errors have theirs', async () => {
  await mock.admin('PUT', 'faults', { error_rate: 1 });
  try {
    await assert.rejects(client.events.list({ maxRetries: 1 }), (err) => {
      assert.ok(err instanceof APIError);
      assert.ok(['SERVER_ERROR', 'PROVIDER_ERROR', 'API_ERROR'].includes(err.code), err.code);
      assert.ok(err.status >= 500);
      assert.equal(err.retryable, true);
      assert.equal(err.response.attempts, 2);
      if (err.status !== 502) assert.ok(err instanceof InternalServerError, err.name);
      return true;
    });
  } finally {
    await mock.admin('PUT', 'faults', { error_rate: 0 });
  }
  await mock.admin('PUT', 'faults', { latency_ms: 1500 });
  try {
    await assert.rejects(client.events.list({ timeout: 0.1, maxRetries: 0 }), (err) => {
      assert.ok(err instanceof APITimeoutError && err instanceof APIConnectionError);
      assert.equal(err.code, 'TIMEOUT');
      assert.equal(err.timeout, 0.1);
      assert.ok(err.elapsed >= 0.1, String(err.elapsed));
      return true;
    });
  } finally {
    await mock.admin('PUT', 'faults', { latency_ms: 0 });
  }
  const closed = new Sendivent({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
  await assert.rejects(
    closed.events.list(),
    (err) => err instanceof APIConnectionError && !(err instanceof APITimeoutError) && err.code === 'CONNECTION_ERROR',
  );
});

test('sendMany: one result per item in order, failures included', async () => {
  const results = await client.sendMany(
    [
      { event: 'user.welcome', params: { to: 'ada@example.com' } },
      { event: 'user.welcome', params: { to: 'not-an-email@' } },
      { event: 'order.confirmed', params: { channel: 'email', to: 'grace@example.com', payload: { order: 7 } }, idempotencyKey: 'bulk-7' },
    ],
    { concurrency: 2 },
  );
  assert.equal(results.length, 3);
  assert.equal(results[0].ok, true);
  assert.ok(results[0].value.deliveries.length >= 1);
  assert.equal(results[1].ok, false);
  assert.equal(results[1].error.code, 'INVALID_EMAIL');
  assert.ok(results[1].error instanceof InvalidEmailError);
  assert.equal(results[2].ok, true);
  assert.deepEqual(
    results[2].value.deliveries.map((d) => d.channel),
    ['email'],
  );
  assert.equal(results[2].value.lastResponse.idempotency_key, 'bulk-7');
  await assert.rejects(client.sendMany([], { concurrency: 0 }), { code: 'INVALID_ARGUMENT' });
  // The default concurrency is the description's; it is accepted without being named.
  assert.deepEqual(await client.sendMany([]), []);
});

test('logging goes to the logger and never contains the key', async () => {
  const records = [];
  const logged = new Sendivent({ apiKey: KEY, baseUrl: mock.url, logLevel: 'debug', logger: (r) => records.push(r) });
  await logged.events.list();
  assert.ok(records.length >= 1);
  const r = records[0];
  assert.equal(r.method, 'GET');
  assert.equal(r.path, '/v1/events');
  assert.equal(r.status, 200);
  assert.equal(r.attempt, 1);
  assert.ok(records.every((x) => !JSON.stringify(x).includes('0123456789abcdef')));
});

test('default and extra headers reach the wire, given as an object, pairs, Headers or a Map', async () => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"success": true, "data": {"events": []}}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const withHeaders = new Sendivent({ apiKey: KEY, baseUrl: base, defaultHeaders: new Headers({ 'X-Default': 'd' }) });
    await withHeaders.events.list({ extraHeaders: new Map([['X-Extra', 'e']]) });
    await withHeaders.withOptions({ extraHeaders: [['X-Pair', 'p']] }).events.list({ extraHeaders: { 'X-Object': 'o' } });
    assert.equal(seen[0]['x-default'], 'd');
    assert.equal(seen[0]['x-extra'], 'e');
    assert.deepEqual([seen[1]['x-default'], seen[1]['x-pair'], seen[1]['x-object']], ['d', 'p', 'o']);
    assert.match(seen[0]['user-agent'], /^sendivent-wasm\//);
    assert.equal(seen[0].authorization, `Bearer ${KEY}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
