// Every send of the official SDKs' documented examples — the Node package `@appitude/sendivent`
// 0.2.1 (README.md, example.ts) and the PHP package `sendivent/sdk` (README.md, example.php) —
// made through this package's client, as a user migrating would write it, against sendivent-mock
// with the application those examples assume (tests/mock-server/fixtures/official-examples.json),
// each checked for its documented effect (the examples and effects:
// tests/mock-server/tests/official_examples.rs). The placeholder phone `+1234567890` is not a
// possible +1 number: the client refuses it before sending (docs/contract.md §2), so those examples also
// run with a possible number for their effect.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { Sendivent, InvalidPhoneError, NotFoundError, SendFailedError } from '../pkg/node.mjs';
import { repoRoot, startMock } from './helpers.mjs';

const REAL_PHONE = '+14155552671';
let mock;
let client;

before(async () => {
  mock = await startMock([
    '--no-limits',
    '--transition-delay-ms',
    '20',
    '--fixtures',
    path.join(repoRoot, 'tests', 'mock-server', 'fixtures', 'official-examples.json'),
  ]);
  client = new Sendivent({ apiKey: 'test_your_api_key_here', baseUrl: mock.url });
});
after(() => mock?.stop());
// Each example starts from the application as the fixtures describe it, as each of the Rust tests does.
beforeEach(() => mock.admin('POST', 'reset'));

const channels = (sent) => sent.deliveries.map((d) => d.channel);
const content = async (sent, channel) => (await client.deliveries.trace(sent.deliveries.find((d) => d.channel === channel).uuid)).content;
const trace = async (sent, channel) => client.deliveries.trace(sent.deliveries.find((d) => d.channel === channel).uuid);
const state = () => mock.admin('GET', 'state');

/** Sends `params` and expects the client to refuse it before anything reaches the API. */
async function refusedBeforeSending(event, params, Class, code) {
  const sends = (await state()).counts.requests;
  await assert.rejects(client.send(event, params), (err) => {
    assert.ok(err instanceof Class, `${err?.name}: ${err?.message}`);
    assert.equal(err.code, code);
    return true;
  });
  assert.equal((await state()).counts.requests, sends, 'nothing was sent');
}

test('Quick Start / example 1: an email is detected and becomes a contact', async () => {
  const sent = await client.send('welcome', { to: 'user@example.com', payload: { name: 'John Doe' } });
  assert.equal(sent.success, true);
  assert.deepEqual(channels(sent), ['email']);
  const c = await content(sent, 'email');
  assert.equal(c.to, 'user@example.com');
  assert.equal(c.subject, 'Welcome, John Doe');
  assert.equal((await client.contacts.get('user@example.com')).email, 'user@example.com');
});

test('phones are detected (sms-code, verification-code, forced SMS); the placeholder number is refused', async () => {
  for (const [event, channel, payload] of [
    ['verification-code', undefined, { code: '123456' }],
    ['sms-code', undefined, { code: '123456' }],
    ['verification-code', 'sms', { code: '123456' }],
    ['urgent-alert', 'sms', { alert: 'Your account requires attention' }],
  ]) {
    await refusedBeforeSending(event, { channel, to: '+1234567890', payload }, InvalidPhoneError, 'INVALID_PHONE');
    const sent = await client.send(event, { channel, to: REAL_PHONE, payload });
    assert.deepEqual(channels(sent), ['sms'], event);
    const c = await content(sent, 'sms');
    assert.equal(c.to, REAL_PHONE);
    assert.ok(c.body.includes(Object.values(payload)[0]), c.body);
  }
});

test("a Slack user id gets a direct message without a contact; the READMEs' U12345 is an external id", async () => {
  const sent = await client.send('dm-notification', { to: 'U12345ABCDE', payload: { message: 'You have a new message' } });
  assert.deepEqual(channels(sent), ['slack']);
  const dm = await trace(sent, 'slack');
  assert.deepEqual([dm.content.to, dm.content.body, dm.delivery.contact_uuid ?? null], ['U12345ABCDE', 'You have a new message', null]);
  await assert.rejects(client.contacts.get('U12345ABCDE'), NotFoundError);
  await assert.rejects(client.send('alert', { to: 'U12345', payload: {} }), (err) => {
    assert.ok(err instanceof SendFailedError, err.name);
    assert.deepEqual([err.status, err.errors.map((e) => e.code)], [400, ['MISSING_IDENTIFIER']]);
    return true;
  });
  assert.equal((await client.contacts.get('U12345')).external_id, 'U12345');
});

test('rich contact objects: `id` is the external id, nested `meta` is merged (example 2, READMEs)', async () => {
  const order = (phone) => ({
    payload: {
      order_id: 'ORD-98765',
      total: 99.99,
      items: [
        { name: 'Product A', qty: 2 },
        { name: 'Product B', qty: 1 },
      ],
    },
    to: {
      id: 'user-12345',
      email: 'customer@example.com',
      phone,
      name: 'Jane Smith',
      avatar: 'https://example.com/avatar.jpg',
      meta: { tier: 'premium', timezone: 'America/New_York' },
    },
  });
  await refusedBeforeSending('order-confirmation', order('+1234567890'), InvalidPhoneError, 'INVALID_PHONE');
  const sent = await client.send('order-confirmation', order(REAL_PHONE));
  assert.deepEqual(channels(sent), ['email', 'sms']);
  const jane = await client.contacts.get('user-12345');
  assert.deepEqual(
    [jane.external_id, jane.email, jane.phone, jane.name, jane.avatar, jane.meta],
    ['user-12345', 'customer@example.com', REAL_PHONE, 'Jane Smith', 'https://example.com/avatar.jpg', { tier: 'premium', timezone: 'America/New_York' }],
  );
  assert.equal((await content(sent, 'email')).body, 'Thanks Jane Smith (premium, America/New_York): 99.99');
  assert.equal((await content(sent, 'sms')).to, REAL_PHONE);

  const readme = await client.send('welcome', {
    payload: { welcome_message: 'Hello!' },
    to: {
      id: 'user-777',
      email: 'user@example.com',
      phone: '+14155552672',
      name: 'John Doe',
      avatar: 'https://example.com/avatar.jpg',
      meta: { tier: 'premium' },
    },
  });
  assert.equal((await content(readme, 'email')).body, 'Hi John Doe! Hello! Plan: premium.');
  const john = await client.contacts.get('user-777');
  assert.deepEqual([john.external_id, john.meta], ['user-777', { tier: 'premium' }]);
});

test("broadcast: no `to`, the event's listeners get it (example 3)", async () => {
  const contacts = (await state()).contacts;
  const sent = await client.send('system-alert', { payload: { severity: 'high', message: 'Database backup completed', timestamp: 1_767_225_600_000 } });
  assert.deepEqual(channels(sent), ['slack']);
  const c = await content(sent, 'slack');
  assert.deepEqual([c.to, c.body], ['#ops-alerts', '[high] Database backup completed']);
  assert.equal((await state()).contacts, contacts);
});

test('Slack channels by name or id broadcast with the slack channel; a bare C… is an external id (example 4)', async () => {
  for (const to of ['#general', 'C01234ABCDE']) {
    const sent = await client.send('team-announcement', { channel: 'slack', to, payload: { title: 'Weekly Update', message: 'New features released!' } });
    const t = await trace(sent, 'slack');
    assert.deepEqual([t.content.to, t.content.body, t.delivery.contact_uuid ?? null], [to, '*Weekly Update*: New features released!', null]);
  }
  const readme = await client.send('system-alert', { channel: 'slack', to: '#general', payload: { message: 'System update' } });
  assert.equal((await content(readme, 'slack')).to, '#general');
  await assert.rejects(client.send('team-announcement', { to: 'C01234ABCDE', payload: {} }), (err) => err.errors?.[0]?.code === 'MISSING_IDENTIFIER');
  assert.equal((await client.contacts.get('C01234ABCDE')).external_id, 'C01234ABCDE');
});

test('a channel sends on that channel only (example 5, force email)', async () => {
  const sent = await client.send('monthly-report', {
    channel: 'email',
    to: 'manager@example.com',
    payload: { month: 'January', revenue: 125000, growth: 15.5 },
  });
  assert.deepEqual([channels(sent), sent.errors], [['email'], []]);
  const c = await content(sent, 'email');
  assert.deepEqual([c.subject, c.body], ['Report for January', 'Revenue 125000, growth 15.5%']);
});

test('multiple recipients each get their own rendering (example 6, READMEs)', async () => {
  const sent = await client.send('newsletter', {
    payload: { subject: 'Monthly Newsletter', featured_article: 'Top 10 Features You Might Have Missed' },
    to: ['subscriber1@example.com', 'subscriber2@example.com', { email: 'vip@example.com', name: 'VIP Customer', meta: { tier: 'platinum' } }],
  });
  assert.equal(sent.deliveries.length, 3);
  const vip = (await client.deliveries.trace(sent.deliveries[2].uuid)).content;
  assert.deepEqual(
    [vip.to, vip.subject, vip.body],
    ['vip@example.com', 'Monthly Newsletter', 'Hi VIP Customer (platinum). Top 10 Features You Might Have Missed'],
  );
  assert.equal((await client.deliveries.trace(sent.deliveries[0].uuid)).content.body, 'Hi reader (standard). Top 10 Features You Might Have Missed');
  assert.deepEqual((await client.contacts.get('vip@example.com')).meta, { tier: 'platinum' });
  const readme = await client.send('newsletter', {
    payload: { subject: 'Newsletter' },
    to: ['user1@example.com', { id: 'user-456', email: 'user2@example.com', name: 'Jane' }],
  });
  assert.equal(readme.deliveries.length, 2);
  const jane = await client.contacts.get('user-456');
  assert.deepEqual([jane.email, jane.name, jane.meta], ['user2@example.com', 'Jane', {}]);
});

test('language selection, with the default language as fallback (example 7, READMEs)', async () => {
  const sv = await client.send('welcome', { to: 'anders@example.com', payload: { name: 'Anders' }, language: 'sv' });
  const c = await content(sv, 'email');
  assert.deepEqual([c.subject, c.language], ['Välkommen, Anders', 'sv']);
  const es = await client.send('password-reset', { to: 'maria@example.com', payload: { reset_link: 'https://app.example.com/reset/xyz' }, language: 'es' });
  const e = await content(es, 'email');
  assert.deepEqual([e.language, e.body], ['en', 'Reset: https://app.example.com/reset/xyz']);
});

test('template overrides show in the content snapshot (example 8, READMEs)', async () => {
  const sent = await client.send('invoice', {
    payload: { invoice_number: 'INV-2024-001', amount: 499.99 },
    to: 'customer@example.com',
    overrides: { subject: 'URGENT: Invoice Due', from_email: 'billing@example.com', from_name: 'Billing Department' },
  });
  const c = await content(sent, 'email');
  assert.deepEqual(
    [c.subject, c.from, c.body],
    ['URGENT: Invoice Due', 'Billing Department <billing@example.com>', 'Amount due: 499.99. -- Billing Department'],
  );
  const readme = await client.send('invoice', {
    payload: { amount: 100 },
    to: 'user@example.com',
    overrides: { subject: 'Custom Subject', from_email: 'billing@company.com' },
  });
  const r = await content(readme, 'email');
  assert.deepEqual([r.subject, r.from], ['Custom Subject', 'billing@company.com']);
  const plain = await client.send('invoice', { payload: { invoice_number: '7' }, to: 'user@example.com' });
  const p = await content(plain, 'email');
  assert.deepEqual([p.subject, p.from], ['Invoice 7', 'Example Notifications <notifications@example.com>']);
  await assert.rejects(client.send('invoice', { payload: {}, to: 'user@example.com', overrides: { from_email: 'ceo@elsewhere.example' } }), (err) => {
    assert.ok(err instanceof SendFailedError, err.name);
    assert.deepEqual(
      err.errors.map((e) => e.code),
      ['UNVERIFIED_SENDER'],
    );
    return true;
  });
});

test('`from` as a string or a contact (docs/contract.md §3)', async () => {
  const sent = await client.send('invoice', {
    payload: { invoice_number: '8' },
    to: 'user@example.com',
    from: { email: 'billing@example.com', name: 'Billing' },
  });
  assert.equal((await content(sent, 'email')).from, 'Billing <billing@example.com>');
  const text = await client.send('invoice', { payload: { invoice_number: '9' }, to: 'user@example.com', from: 'billing@company.com' });
  assert.equal((await content(text, 'email')).from, 'billing@company.com');
});

test('the same idempotency key does not send twice (example 9, READMEs)', async () => {
  const params = { to: 'customer@example.com', payload: { order_id: 'ORD-12345', total: 299.99 } };
  const before = await state();
  const first = await client.send('order-confirmation', params, { idempotencyKey: 'order-ORD-12345-confirmation' });
  const second = await client.send('order-confirmation', params, { idempotencyKey: 'order-ORD-12345-confirmation' });
  assert.equal(first.lastResponse.idempotent_replay, false);
  assert.equal(second.lastResponse.idempotent_replay, true);
  assert.deepEqual({ ...second }, { ...first });
  assert.deepEqual([channels(first), first.errors.map((e) => e.code)], [['email'], ['MISSING_IDENTIFIER']]);
  const after = await state();
  assert.deepEqual([after.counts.sends - before.counts.sends, after.deliveries.length - before.deliveries.length], [1, 1]);
});

test('error handling: success, and an unknown event (example.ts 10)', async () => {
  const ok = await client.send('test-event', { to: 'test@example.com', payload: { test: true } });
  assert.equal(ok.success, true);
  assert.equal((await content(ok, 'email')).body, 'test=true');
  // `success: false` is the failure the example reads; the SDK raises it with the reasons.
  await assert.rejects(client.send('no-such-event', { to: 'test@example.com', payload: {} }), (err) => {
    assert.ok(err instanceof SendFailedError, err.name);
    assert.equal(err.status, 404);
    assert.deepEqual(
      err.errors.map((e) => e.code),
      ['EVENT_NOT_FOUND'],
    );
    assert.match(err.message, /no-such-event/);
    return true;
  });
});

test('smart fallback: `id` + `slack_id` only is reached through Slack (example.ts 11, example.php 12)', async () => {
  const sent = await client.send('notification', {
    payload: { message: 'Your report is ready' },
    to: { id: 'user-789', slack_id: 'U98765ZYXWV', name: 'Bob' },
  });
  assert.deepEqual([sent.success, channels(sent), sent.errors.map((e) => e.code)], [true, ['slack'], ['MISSING_IDENTIFIER']]);
  const c = await content(sent, 'slack');
  assert.deepEqual([c.to, c.body], ['U98765ZYXWV', 'Bob: Your report is ready']);
  const bob = await client.contacts.get('U98765ZYXWV');
  assert.deepEqual([bob.external_id, bob.slack, bob.email, bob.meta], ['user-789', 'U98765ZYXWV', null, {}]);
  const again = await client.send('notification', { payload: { message: 'again' }, to: { id: 'user-789', email: 'bob@example.com' } });
  assert.deepEqual(channels(again), ['email', 'slack']);
});

test('fire-and-forget and an empty payload (example.php 10, test-local.php): the send happens', async () => {
  const sent = await client.send('analytics-event', { to: 'user@example.com', payload: { event: 'page_view', page: '/dashboard', timestamp: 1_767_225_600 } });
  assert.deepEqual(channels(sent), ['email']);
  const empty = await client.send('test-event', { to: 'test@example.com' });
  assert.equal((await content(empty, 'email')).body, 'test=');
});
