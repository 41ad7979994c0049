// Compiled with `tsc --strict` (plus exactOptionalPropertyTypes and noUncheckedIndexedAccess)
// against the package's declarations, resolved through package.json `exports` as a user's
// project would. Nothing runs; every line is a type assertion. `@ts-expect-error` lines prove
// that misuse is rejected.
import {
  Sendivent,
  SendiventError,
  APIError,
  NotFoundError,
  RateLimitError,
  SendFailedError,
  ValidationError,
  WebhookVerificationError,
  decodeResponse,
  verifyWebhook,
  signWebhook,
  validateEmail,
  validatePhone,
  resolveIdentifier,
  errorCodes,
  type Contact,
  type ErrorCode,
  type WebhookEvent,
  type SendResponse,
  type ResponseMeta,
  type WithResponse,
  type Channel,
  type WebhookConfig,
} from '@sendivent/wasm';
import * as webhookOnly from '@sendivent/wasm/webhook';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

declare const request: Request;
declare const nodeHeaders: Record<string, string | string[] | undefined>;

export async function worker(secret: string): Promise<Response> {
  const body = new Uint8Array(await request.arrayBuffer());
  let event: WebhookEvent;
  try {
    event = verifyWebhook(body, request.headers, secret, { tolerance: 60 });
  } catch (err) {
    if (err instanceof WebhookVerificationError) {
      const code: `WEBHOOK_${string}` = err.code;
      const reason: string | null = err.reason;
      return Response.json({ error: code, reason }, { status: 400 });
    }
    throw err;
  }
  const status: string = event.delivery.status;
  const error: string | null = event.delivery.error;
  return Response.json({ status, error, type: event.event });
}

export function nodeStyle(raw: string, secret: string): WebhookEvent {
  const verifier = new webhookOnly.WebhookVerifier([secret, 'whsec_old']);
  const event = verifier.verify(raw, nodeHeaders);
  verifier.verifySignature(raw, [['webhook-id', 'x']]);
  webhookOnly.verifyWebhookSignature(raw, nodeHeaders, secret, { skipTimestampCheck: true, now: 1 });
  const signed = signWebhook(raw, { id: 'msg_1', secret, timestamp: 1_700_000_000 });
  const sig: string = signed['webhook-signature'];
  void sig;
  // @ts-expect-error the body must be the raw text or bytes, never a parsed object
  verifyWebhook({ event: 'x' }, nodeHeaders, secret);
  // @ts-expect-error tolerance is a number of seconds
  verifyWebhook(raw, nodeHeaders, secret, { tolerance: '5m' });
  // @ts-expect-error the option is `tolerance` (seconds)
  verifyWebhook(raw, nodeHeaders, secret, { toleranceSeconds: 5 });
  return event;
}

export async function client(): Promise<void> {
  const sendivent = new Sendivent({ apiKey: 'test_x', rateLimit: 'documented', timeout: 10, logLevel: 'info', defaultHeaders: { 'X-App': 'a' } });
  // @ts-expect-error timeouts are seconds, named `timeout`
  new Sendivent({ timeoutMs: 10_000 });
  const sent = await sendivent.send(
    'order.confirmed',
    {
      to: [{ email: 'ada@example.com', name: 'Ada', plan: 'pro' }, '+46701234567'],
      payload: { order: 1042, items: [{ sku: 'A', qty: 2 }] },
    },
    { idempotencyKey: 'order-1042', extraHeaders: [['X-Trace', '1']] },
  );
  assertType<Equals<typeof sent, WithResponse<SendResponse>>>(true);
  const meta: ResponseMeta = sent.lastResponse;
  const replay: boolean = meta.idempotent_replay;
  const channel: Channel | undefined = sent.deliveries[0]?.channel;
  const uuid: string | undefined = sent.deliveries[0]?.uuid;
  const skipped: string | undefined = sent.errors[0]?.code;
  void replay;
  void channel;
  void uuid;
  void skipped;
  await sendivent.send('otp.requested', { channel: 'sms', to: '+46701234567' });
  // @ts-expect-error JSON values only: a function is not one
  await sendivent.send('x', { payload: { f: () => 1 } });
  // @ts-expect-error a send goes to an event by name
  await sendivent.send({ to: 'ada@example.com' });

  for await (const contact of sendivent.contacts.listAll({ search: 'ada', limit: 50 })) {
    assertType<Equals<typeof contact, Contact>>(true);
    const phone: string | null = contact.phone;
    void phone;
  }
  // @ts-expect-error list parameters are the description's
  sendivent.contacts.list({ query: 'ada' });
  await sendivent.contacts.addPushToken('ada@example.com', { token: 'ExponentPushToken[x]' });
  // @ts-expect-error the token goes in params
  await sendivent.contacts.addPushToken('ada@example.com', 'ExponentPushToken[x]');
  const all: Contact[] = await sendivent.deliveries
    .listAll({ status: 'failed' })
    .toArray()
    .then(() => []);
  void all;
  const events = await sendivent.events.list();
  const count: number = events.events.length + events.lastResponse.status;
  void count;
  const hook = await sendivent.webhooks.create({ url: 'https://example.com/hook', enabled_events: ['delivery.failed'] });
  const secret: string | null | undefined = hook.signing_secret;
  void secret;
  const integrations = await sendivent.integrations.list({ channel: 'email' });
  void integrations.integrations;

  const results = await sendivent.sendMany([{ event: 'user.welcome', params: { to: 'ada@example.com', channel: 'email' } }], { concurrency: 8 });
  for (const r of results) {
    if (r.ok) {
      const d: SendResponse['deliveries'] = r.value.deliveries;
      void d;
    } else {
      const code: string = r.error.code;
      void code;
    }
  }

  const keyed: Sendivent = sendivent.withOptions({ maxRetries: 0, timeout: 2.5 });
  void keyed;

  try {
    await sendivent.contacts.get('+46701234567');
  } catch (err) {
    if (err instanceof SendFailedError) {
      const first: string | undefined = err.errors[0]?.code;
      void first;
    } else if (err instanceof RateLimitError) {
      const retry: number | null = err.retryAfter;
      void retry;
    } else if (err instanceof NotFoundError) {
      const n: number | null = err.status;
      const id: string | null = err.requestId;
      void n;
      void id;
    } else if (err instanceof APIError) {
      const response: ResponseMeta | null = err.response;
      void response;
    } else if (err instanceof ValidationError) {
      const code: 'VALIDATION_ERROR' | 'INVALID_EMAIL' | 'INVALID_PHONE' | 'INVALID_REQUEST' | 'INVALID_ARGUMENT' = err.code;
      void code;
    } else if (err instanceof SendiventError) {
      const c: string = err.code;
      const retryable: boolean = err.retryable;
      void c;
      void retryable;
    }
  }

  const decoded: WebhookConfig = decodeResponse('webhooks.get', '{"success": true, "data": {"webhook": {}}}');
  void decoded;
  // @ts-expect-error kinds are the operations' names
  decodeResponse('webhook_config', '{}');
}

export function validation(): void {
  const e: string = validateEmail('ada@example.com');
  const p: string = validatePhone('+46 70 123 45 67');
  const id = resolveIdentifier('#ops');
  const kind: 'slack_channel' | 'email' | 'phone' | 'uuid' | 'slack_user' | 'external_id' = id.kind;
  const codes: readonly ErrorCode[] = errorCodes().map((c) => c.code);
  void e;
  void p;
  void kind;
  void codes;
}

export async function receiving(raw: Uint8Array, secret: string, kv: Map<string, number>): Promise<void> {
  const guard = new webhookOnly.ReplayGuard();
  const stored = new webhookOnly.ReplayGuard({
    namespace: 'shop:',
    store: {
      async insertIfAbsent(key: string, ttlSeconds: number): Promise<boolean> {
        if (kv.has(key)) return false;
        kv.set(key, ttlSeconds);
        return true;
      },
    },
  });
  const verifier = new webhookOnly.WebhookVerifier([secret, 'whsec_old']);
  const { event, verified } = verifier.verifyDetailed(raw, request.headers, { replayGuard: guard });
  const index: number = verified.secret_index;
  const fingerprint: string = verified.secret_fingerprint;
  const type: string = event.event;
  const later = await verifier.verifyDetailedAsync(raw, request.headers, { replayGuard: stored });
  const asyncEvent: WebhookEvent = await webhookOnly.verifyWebhookAsync(raw, request.headers, secret);
  const sig: webhookOnly.Verified = await verifier.verifySignatureAsync(raw, request.headers);
  try {
    await verifier.verifyAsync(raw, request.headers, { replayGuard: stored });
  } catch (err) {
    if (err instanceof webhookOnly.WebhookDuplicateError) {
      const code: 'WEBHOOK_DUPLICATE' = err.code;
      void code;
    } else if (err instanceof webhookOnly.ReplayStoreError) {
      const code: 'REPLAY_STORE_ERROR' = err.code;
      void code;
    }
  }
  // @ts-expect-error a store answers whether it recorded the key
  new webhookOnly.ReplayGuard({ store: { insertIfAbsent: (key: string) => key } });
  // @ts-expect-error the guard is a ReplayGuard
  verifier.verify(raw, request.headers, { replayGuard: kv });
  const slack = resolveIdentifier('C01234ABCDE', { channel: 'slack' });
  // @ts-expect-error the channel is an option
  resolveIdentifier('C01234ABCDE', 'slack');
  void [index, fingerprint, type, later.verified.msg_id, asyncEvent.event, sig.timestamp, slack.kind];
}

export async function officialShapes(sendivent: Sendivent): Promise<void> {
  // The official Node and PHP SDKs' shapes: `id`, `external_id`, `slack_id`, nested `meta`,
  // `from` as a string or a contact.
  await sendivent.send('order-confirmation', {
    to: { id: 'user-12345', email: 'customer@example.com', name: 'Jane Smith', meta: { tier: 'premium', timezone: 'America/New_York' } },
    payload: { order_id: 'ORD-98765', total: 99.99 },
    from: { email: 'billing@example.com', name: 'Billing' },
  });
  await sendivent.send('notification', { to: [{ id: 'user-789', slack_id: 'U98765ZYXWV' }, { external_id: 'u-2' }], from: 'billing@example.com' });
  await sendivent.send('team-announcement', { channel: 'slack', to: 'C01234ABCDE', overrides: { subject: 'Hi', from_email: 'billing@example.com' } });
  // @ts-expect-error meta is an object of JSON values
  await sendivent.send('x', { to: { email: 'a@example.com', meta: 'premium' } });
}
