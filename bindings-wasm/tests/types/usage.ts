// Compiled with `tsc --strict` (plus exactOptionalPropertyTypes and noUncheckedIndexedAccess)
// against the package's declarations, resolved through package.json `exports` as a user's
// project would. Nothing runs; every line is a type assertion. `@ts-expect-error` lines prove
// that misuse is rejected.
import {
  Sendivent,
  SendiventError,
  ApiError,
  SendFailedError,
  WebhookVerificationError,
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
    event = verifyWebhook(body, request.headers, secret, { toleranceSeconds: 60 });
  } catch (err) {
    if (err instanceof WebhookVerificationError) {
      const code: `WEBHOOK_${string}` = err.code;
      return Response.json({ error: code }, { status: 400 });
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
  verifyWebhook(raw, nodeHeaders, secret, { toleranceSeconds: '5m' });
  return event;
}

export async function client(): Promise<void> {
  const sendivent = new Sendivent({ apiKey: 'test_x', rateLimit: 'documented', timeoutMs: 10_000, logLevel: 'info' });
  const sent = await sendivent.send('order.confirmed', {
    to: [{ email: 'ada@example.com', name: 'Ada', plan: 'pro' }, '+46701234567'],
    payload: { order: 1042, items: [{ sku: 'A', qty: 2 }] },
  }, { idempotencyKey: 'order-1042' });
  assertType<Equals<typeof sent, WithResponse<SendResponse>>>(true);
  const meta: ResponseMeta = sent.lastResponse;
  const replay: boolean = meta.idempotentReplay;
  const uuid: string | undefined = sent.deliveries[0]?.email;
  void replay;
  void uuid;
  // @ts-expect-error payload must be a JSON object
  await sendivent.send('x', { payload: 'nope' });
  // @ts-expect-error JSON values only: a function is not one
  await sendivent.send('x', { payload: { f: () => 1 } });

  for await (const contact of sendivent.contacts.listAll({ search: 'ada', limit: 50 })) {
    assertType<Equals<typeof contact, Contact>>(true);
    const phone: string | null = contact.phone;
    void phone;
  }
  const all: Contact[] = await sendivent.deliveries.listAll({ status: 'failed' }).toArray().then(() => []);
  void all;
  const events = await sendivent.events.list();
  const count: number = events.length + events.lastResponse.status;
  void count;
  const hook = await sendivent.webhooks.create({ url: 'https://example.com/hook', enabled_events: ['delivery.failed'] });
  const secret: string | undefined = hook.signing_secret;
  void secret;

  const results = await sendivent.sendMany([{ event: 'user.welcome', request: { to: 'ada@example.com' } }], { concurrency: 8 });
  for (const r of results) {
    if (r.ok) {
      const d: SendResponse['deliveries'] = r.value.deliveries;
      void d;
    } else {
      const code: string = r.error.code;
      void code;
    }
  }

  try {
    await sendivent.contacts.get('+46701234567');
  } catch (err) {
    if (err instanceof SendFailedError) {
      const first: string | undefined = err.errors[0]?.code;
      void first;
    } else if (err instanceof ApiError) {
      const n: number = err.status;
      const retry: number | undefined = err.retryAfter;
      void n;
      void retry;
    } else if (err instanceof SendiventError) {
      const c: string = err.code;
      void c;
    }
  }
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
