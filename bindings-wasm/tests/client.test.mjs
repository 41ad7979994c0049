// The Sendivent client of the WebAssembly package against sendivent-mock: every endpoint,
// pagination, metadata, idempotent retries, errors and their codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

import {
  Sendivent,
  ApiError,
  SendFailedError,
  SendiventError,
  TimeoutError,
  ConnectionError,
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
  assert.throws(() => new Sendivent({ apiKey: 'sk_live_nope0123456789', baseUrl: mock.url }), (err) => {
    assert.ok(err instanceof ValidationError && err instanceof SendiventError);
    assert.equal(err.code, 'INVALID_API_KEY');
    assert.ok(!err.message.includes('nope0123456789'));
    return true;
  });
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
  }
  assert.equal(client.keyMode, 'test');
  assert.equal(client.baseUrl, `${mock.url}/`);
});

test('send: deliveries, metadata, validation before sending', async () => {
  const sent = await client.send('user.welcome', { to: 'ada@example.com', payload: { code: '1234' } });
  assert.equal(sent.success, true);
  assert.ok(sent.deliveries.length >= 1);
  assert.ok(sent.deliveries.every((d) => Object.values(d).every((uuid) => /^[0-9a-f-]{36}$/.test(uuid))));
  assert.equal(sent.lastResponse.status, 200);
  assert.equal(sent.lastResponse.attempts, 1);
  assert.equal(sent.lastResponse.idempotentReplay, false);
  assert.match(sent.lastResponse.idempotencyKey, /^sdk_/);
  assert.ok(!Object.keys(sent).includes('lastResponse'), 'metadata stays out of JSON.stringify');

  const onEmail = await client.sendOn('user.welcome', 'email', { to: { email: 'new.person@example.com', name: 'New', plan: 'pro' } });
  assert.deepEqual(Object.keys(onEmail.deliveries[0]), ['email']);

  const before = (await mock.admin('GET', 'state')).counts.requests;
  await assert.rejects(client.send('user.welcome', { to: 'nobody@' }), { name: 'ValidationError', code: 'INVALID_EMAIL' });
  await assert.rejects(client.send('user.welcome', { to: '070-123 45 67' }), { code: 'INVALID_PHONE' });
  await assert.rejects(client.send('user.welcome', { to: [] }), { code: 'VALIDATION_ERROR' });
  assert.equal((await mock.admin('GET', 'state')).counts.requests, before, 'invalid sends never reach the server');
});

test('a failed send throws SendFailedError with the server errors list', async () => {
  await assert.rejects(client.send('no.such.event', { to: 'ada@example.com' }), (err) => {
    assert.ok(err instanceof SendiventError);
    if (err instanceof SendFailedError) {
      assert.equal(err.code, 'SEND_FAILED');
      assert.ok(err.errors.some((e) => e.code === 'EVENT_NOT_FOUND'), JSON.stringify(err.errors));
    } else {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 'EVENT_NOT_FOUND');
      assert.equal(err.status, 404);
    }
    assert.ok(typeof err.status === 'number');
    return true;
  });
});

test('contacts: create, get by any identifier, update, push tokens, delete, 404', async () => {
  const created = await client.contacts.create({ email: 'Wasm.User@Example.COM', phone: '+1 (415) 555-2671', name: 'Wasm', externalId: 'wasm_1', plan: 'edge' });
  assert.equal(created.phone, '+14155552671');
  assert.equal(created.meta.plan, 'edge');
  assert.equal(created.lastResponse.status < 300, true);
  for (const id of [created.uuid, '+14155552671', 'wasm_1', created.email]) {
    assert.equal((await client.contacts.get(id)).uuid, created.uuid, id);
  }
  const updated = await client.contacts.update('wasm_1', { name: 'Wasm Renamed' });
  assert.equal(updated.name, 'Wasm Renamed');
  assert.equal(updated.phone, '+14155552671');
  assert.equal((await client.contacts.addPushToken('wasm_1', 'ExponentPushToken[wasm]')).success, true);
  assert.deepEqual((await client.contacts.get('wasm_1')).push_tokens, ['ExponentPushToken[wasm]']);
  await client.contacts.removePushToken('wasm_1', 'ExponentPushToken[wasm]');
  assert.equal((await client.contacts.delete(created.uuid)).deleted, true);
  await assert.rejects(client.contacts.get(created.uuid), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'NOT_FOUND');
    assert.equal(err.status, 404);
    assert.equal(err.meta.status, 404);
    return true;
  });
  await assert.rejects(client.contacts.create({ name: 'no identifier' }), { code: 'VALIDATION_ERROR' });
  await assert.rejects(client.contacts.list({ limit: 500 }), { code: 'VALIDATION_ERROR' });
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
  assert.ok(Array.isArray(events) && events.some((e) => e.identifier === 'user.welcome'));
  assert.equal(events.lastResponse.status, 200);
  const welcome = await client.events.get('user.welcome');
  assert.ok(welcome.templates.length > 0);
  const integrations = await client.integrations.list();
  assert.ok(integrations.integrations.length > 0);
  const emailOnly = await client.integrations.list('email');
  assert.ok(emailOnly.integrations.every((i) => i.channel === 'email'));

  const hook = await client.webhooks.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['delivery.failed'] });
  assert.match(hook.signing_secret, /^whsec_/);
  await assert.rejects(client.webhooks.create({ url: 'http://127.0.0.1:9/other', enabled_events: ['delivery.sent'] }), { code: 'CONFLICT' });
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
  assert.equal(first.lastResponse.idempotentReplay, false);
  assert.equal(again.lastResponse.idempotentReplay, true);
  assert.deepEqual(again.deliveries, first.deliveries);

  const sendsBefore = (await mock.admin('GET', 'state')).counts.sends;
  await mock.admin('PUT', 'faults', { drop_rate: 1 });
  try {
    const sent = await client.send('user.welcome', { to: 'grace@example.com' }, { maxRetries: 2 });
    assert.equal(sent.lastResponse.attempts, 2);
    assert.equal(sent.lastResponse.idempotentReplay, true, 'the retry was answered from the idempotency store');
  } finally {
    await mock.admin('PUT', 'faults', { drop_rate: 0 });
  }
  assert.equal((await mock.admin('GET', 'state')).counts.sends, sendsBefore + 1, 'notified exactly once');
});

test('5xx answers are retried, then surface with their code; timeouts and connection errors have theirs', async () => {
  await mock.admin('PUT', 'faults', { error_rate: 1 });
  try {
    await assert.rejects(client.events.list({ maxRetries: 1 }), (err) => {
      assert.ok(err instanceof ApiError);
      assert.ok(['SERVER_ERROR', 'PROVIDER_ERROR', 'API_ERROR'].includes(err.code), err.code);
      assert.ok(err.status >= 500);
      assert.equal(err.meta.attempts, 2);
      return true;
    });
  } finally {
    await mock.admin('PUT', 'faults', { error_rate: 0 });
  }
  await mock.admin('PUT', 'faults', { latency_ms: 1500 });
  try {
    await assert.rejects(client.events.list({ timeoutMs: 100, maxRetries: 0 }), (err) => {
      assert.ok(err instanceof TimeoutError);
      assert.equal(err.code, 'TIMEOUT');
      return true;
    });
  } finally {
    await mock.admin('PUT', 'faults', { latency_ms: 0 });
  }
  const closed = new Sendivent({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
  await assert.rejects(closed.events.list(), (err) => err instanceof ConnectionError && err.code === 'CONNECTION_ERROR');
});

test('sendMany: one result per item in order, failures included', async () => {
  const results = await client.sendMany(
    [
      { event: 'user.welcome', request: { to: 'ada@example.com' } },
      { event: 'user.welcome', request: { to: 'not-an-email@' } },
      { event: 'order.confirmed', channel: 'email', request: { to: 'grace@example.com', payload: { order: 7 } }, idempotencyKey: 'bulk-7' },
    ],
    { concurrency: 2 },
  );
  assert.equal(results.length, 3);
  assert.equal(results[0].ok, true);
  assert.equal(results[1].ok, false);
  assert.equal(results[1].error.code, 'INVALID_EMAIL');
  assert.ok(results[1].error instanceof ValidationError);
  assert.equal(results[2].ok, true);
  assert.equal(results[2].value.lastResponse.idempotencyKey, 'bulk-7');
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
