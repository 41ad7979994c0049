// `make demo` step for @sendivent/wasm (Node): validate recipients, send through the API at
// SENDIVENT_BASE_URL (the bundled mock), and receive the delivery webhooks the mock signs with
// the core's Standard Webhooks signer, verifying each one in WebAssembly.
import http from 'node:http';
import { Sendivent, SendiventError, resolveIdentifier, verifyWebhook, version } from '@sendivent/wasm';
import { createReceiver } from './node-receiver.mjs';

console.log(`@sendivent/wasm ${version} (WebAssembly, Node ${process.version})`);

console.log('\n1. Recipient validation, before anything is sent');
for (const input of [
  'Ada@Example.COM',
  '+46 70-123 45 67',
  '070-123 45 67',
  '#ops',
  'U0ADA12345',
  '7C9E6679-7425-40DE-944B-E07FC1F90AE7',
  'user_1',
  'nobody@',
]) {
  try {
    const { kind, value } = resolveIdentifier(input);
    console.log(`   ${JSON.stringify(input).padEnd(42)} → ${kind.padEnd(13)} ${value}`);
  } catch (err) {
    console.log(`   ${JSON.stringify(input).padEnd(42)} → ${err.code}: ${err.message}`);
  }
}

// A local receiver for the mock's webhooks; its verifier is created once the secret is known.
let handler = (_req, res) => res.writeHead(503).end();
const received = [];
let lastBody;
const server = http.createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${server.address().port}/webhooks/sendivent`;

const client = new Sendivent(); // SENDIVENT_API_KEY and SENDIVENT_BASE_URL from the environment
try {
  console.log(`\n2. Webhook endpoint → ${receiverUrl}`);
  const events = ['delivery.sent', 'delivery.delivered', 'delivery.failed', 'delivery.bounced', 'delivery.complained'];
  let hook;
  try {
    hook = await client.webhooks.create({ url: receiverUrl, enabled_events: events, description: 'wasm demo' });
  } catch (err) {
    if (!(err instanceof SendiventError && err.code === 'CONFLICT')) throw err;
    await client.webhooks.delete((await client.webhooks.get()).uuid); // one endpoint per application
    hook = await client.webhooks.create({ url: receiverUrl, enabled_events: events, description: 'wasm demo' });
  }
  const secret = hook.signing_secret;
  const receive = createReceiver({ secret, onEvent: (event, id) => received.push({ id, event }) });
  handler = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => (lastBody = { body: Buffer.concat(chunks), headers: req.headers }));
    receive(req, res);
  };
  console.log(`   ${hook}`); // the signing secret is shown redacted; hook.signing_secret holds it

  console.log('\n3. Send through the client (core client compiled to WebAssembly, over fetch)');
  const sent = await client.send(
    'user.welcome',
    { to: { email: 'ada@example.com', name: 'Ada' }, payload: { code: 'WASM-1' } },
    { idempotencyKey: `wasm-demo-${Date.now()}` },
  );
  const uuids = sent.deliveries.map((d) => d.uuid);
  console.log(`   deliveries ${JSON.stringify(sent.deliveries)}`);
  console.log(`   status ${sent.lastResponse.status}, request id ${sent.lastResponse.request_id}, attempts ${sent.lastResponse.attempts}`);
  try {
    await client.send('user.welcome', { to: '070-123 45 67' });
  } catch (err) {
    console.log(`   a phone without country code is refused locally: ${err.code}`);
  }

  console.log('\n4. Webhooks from the mock, signed by the core, verified here');
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && !uuids.every((u) => received.some((r) => r.event.delivery.uuid === u && r.event.event !== 'delivery.sent'))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (received.length === 0) throw new Error('no webhook arrived from the mock within 15 s');
  for (const { id, event } of received) {
    console.log(`   ✓ ${id}  ${event.event.padEnd(20)} ${event.delivery.channel.padEnd(6)} ${event.delivery.uuid}`);
  }
  if (lastBody) {
    const tampered = Buffer.from(lastBody.body.toString().replace('"delivery', '"Delivery'));
    try {
      verifyWebhook(tampered, lastBody.headers, secret, { skipTimestampCheck: true });
    } catch (err) {
      console.log(`   a tampered copy is refused: ${err.code}`);
    }
  }
  await client.webhooks.delete(hook.uuid);
} finally {
  server.close();
}
