// Types of `@sendivent/wasm`: everything of `@sendivent/wasm/webhook` plus the `Sendivent` client.
// Request types are what the client accepts; response types are exactly the JSON the API
// answers, as decoded by the core (unknown fields dropped, unknown enum values kept as strings).

import type {
  Channel,
  DeliveryStatus,
  JsonObject,
  JsonValue,
  ResponseMeta,
  SendError,
  SendiventError,
  WebhookEventType,
} from './webhook.js';

export * from './webhook.js';

// ---------------------------------------------------------------- client options

/** A client log record (`SENDIVENT_LOG=debug|info`, or `logLevel`). Never contains the key. */
export interface LogRecord {
  level: 'debug' | 'info';
  method: string;
  path: string;
  status: number | null;
  attempt: number;
  durationMs: number;
  requestId: string | null;
  error: string | null;
  /** The record as one line of text. */
  line: string;
}

/** Options of `new Sendivent(options)`. Every field has a default. */
export interface ClientOptions {
  /** `live_…` or `test_…`. Default: `SENDIVENT_API_KEY` from the environment (Node, Deno, Bun). */
  apiKey?: string;
  /** Default: `SENDIVENT_BASE_URL`, else production for `live_` keys and the sandbox for `test_` keys. */
  baseUrl?: string;
  /** Per-attempt timeout in milliseconds. Default: 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default: 2. */
  maxRetries?: number;
  /** Allow plain `http://` to hosts other than loopback. Default: false. */
  allowInsecureHttp?: boolean;
  /** Client-side rate limit: `"documented"` (100/s live, 10/s test) or requests per second. Default: `"off"`. */
  rateLimit?: 'off' | 'documented' | number;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** Request logging. Default: `SENDIVENT_LOG`, else off. */
  logLevel?: 'debug' | 'info' | 'off';
  /** Where log records go. Default: `console.debug` / `console.info`. */
  logger?: (record: LogRecord) => void;
}

/** Per-call overrides (last argument of every method, or `client.withOptions(...)`). */
export interface RequestOptions {
  timeoutMs?: number;
  maxRetries?: number;
  /** The idempotency key of a POST (e.g. `order-1042-confirmation`); default: one generated per call, reused by its retries. */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** A result with its HTTP metadata in the non-enumerable `lastResponse`. */
export type WithResponse<T> = T & { readonly lastResponse: ResponseMeta };

// ---------------------------------------------------------------- requests

/** Contact fields for create, update and send recipients; unknown fields go to the contact's `meta`. */
export interface ContactInput {
  email?: string;
  phone?: string;
  name?: string;
  externalId?: string;
  avatar?: string;
  username?: string;
  slack?: string;
  telegram?: string;
  discord?: string;
  [field: string]: JsonValue | undefined;
}

/** One recipient: an email, E.164 phone, UUID, external id, Slack user id or `#channel`, or a contact object. */
export type Recipient = string | ContactInput;

/** The body of a send. Leave out `to` to broadcast to the event's listeners. */
export interface SendRequest {
  to?: Recipient | Recipient[];
  /** Template variables (`{{payload.key}}`). Default: `{}`. */
  payload?: JsonObject;
  /** Template language, e.g. `sv`. */
  language?: string;
  /** Sender override (must be verified). */
  from?: string;
  /** Channel-specific overrides. */
  overrides?: JsonObject;
}

/** One send of `sendMany`. */
export interface SendItem {
  event: string;
  channel?: Channel;
  request: SendRequest;
  /** This item's idempotency key; generated when absent. */
  idempotencyKey?: string;
}

export interface ContactListParams {
  /** 1–100, default 50. */
  limit?: number;
  offset?: number;
  search?: string;
}

export interface DeliveryListParams {
  /** 1–100, default 20. */
  limit?: number;
  offset?: number;
  event?: string;
  channel?: Channel;
  status?: DeliveryStatus;
}

export interface CreateWebhook {
  url: string;
  enabled_events: WebhookEventType[];
  description?: string;
}

export interface UpdateWebhook {
  url?: string;
  enabled_events?: WebhookEventType[];
  is_active?: boolean;
}

// ---------------------------------------------------------------- responses

/** The answer to a send: one `{<channel>: <delivery uuid>}` entry per delivery. */
export interface SendResponse {
  success: boolean;
  deliveries: Array<Partial<Record<Channel, string>>>;
  errors?: SendError[];
}

export interface Contact {
  uuid: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  external_id: string | null;
  avatar: string | null;
  username: string | null;
  slack: string | null;
  telegram: string | null;
  discord: string | null;
  meta: JsonObject;
  push_tokens: string[];
  created_at: string | null;
  updated_at: string | null;
}

export interface ContactList {
  contacts: Contact[];
  total: number;
  limit: number;
  offset: number;
}

export interface Template {
  channel: Channel;
  language: string | null;
  subject: string | null;
  body: string | null;
  [setting: string]: JsonValue;
}

export interface Event {
  identifier: string;
  name: string | null;
  description?: string;
  channels: Channel[];
  /** Per-channel settings, when the API sends channels as objects (`events.get`). */
  channel_settings?: Record<string, JsonObject>;
  /** Present on `events.get`. */
  templates?: Template[];
}

export interface Delivery {
  uuid: string;
  channel: Channel;
  status: DeliveryStatus;
  event_name: string | null;
  contact_uuid: string | null;
  recipient: string | null;
  message_id: string | null;
  error: string | null;
  created_at: string | null;
  sent_at: string | null;
  delivered_at: string | null;
}

export interface DeliveryList {
  deliveries: Delivery[];
  total: number;
  limit: number;
  offset: number;
}

export interface TimelineEntry {
  event: DeliveryStatus;
  timestamp: string;
  detail?: string;
}

export interface DeliveryTrace {
  delivery: Delivery;
  timeline: TimelineEntry[];
  /** The rendered content as sent. */
  content?: JsonValue;
}

export interface Integration {
  channel: Channel;
  provider: string;
  status: string;
}

export interface IntegrationList {
  integrations: Integration[];
}

export interface WebhookConfig {
  uuid: string;
  url: string;
  enabled_events: WebhookEventType[];
  description: string | null;
  is_active: boolean;
  /** The `whsec_…` secret; present when the webhook is created. */
  signing_secret?: string;
  created_at: string | null;
}

export interface Deleted {
  success: boolean;
  deleted: boolean;
}

export interface Acknowledged {
  success: boolean;
}

/** An auto-paginating walk over a list endpoint: `for await (const x of client.contacts.listAll())`. */
export interface Paginated<T> extends AsyncIterableIterator<T> {
  /** Collects every remaining item. */
  toArray(): Promise<T[]>;
}

/** One result of `sendMany`, in the order of the items. */
export type SendManyResult =
  | { ok: true; value: WithResponse<SendResponse> }
  | { ok: false; error: SendiventError };

// ---------------------------------------------------------------- the client

/**
 * The Sendivent API client. Retries connection errors, timeouts, 408, 429 and 5xx with jittered
 * backoff (honouring `Retry-After`); every send carries an idempotency key reused by its
 * retries. Failures throw `SendiventError` subclasses with the core's codes.
 */
export class Sendivent {
  constructor(options?: ClientOptions);
  /** From the key's prefix. */
  readonly keyMode: 'live' | 'test';
  readonly baseUrl: string;
  /** A client sharing this one's configuration, with per-request overrides. */
  withOptions(options: RequestOptions): Sendivent;
  /** `POST /v1/send/{event}`. A `success: false` answer throws `SendFailedError`. */
  send(event: string, request?: SendRequest, options?: RequestOptions): Promise<WithResponse<SendResponse>>;
  /** `POST /v1/send/{event}/{channel}`. */
  sendOn(
    event: string,
    channel: Channel,
    request?: SendRequest,
    options?: RequestOptions,
  ): Promise<WithResponse<SendResponse>>;
  /** Many sends with at most `concurrency` (default 4) in flight; one result per item, in order. */
  sendMany(items: SendItem[], options?: RequestOptions & { concurrency?: number }): Promise<SendManyResult[]>;
  readonly contacts: {
    list(params?: ContactListParams, options?: RequestOptions): Promise<WithResponse<ContactList>>;
    listAll(params?: ContactListParams, options?: RequestOptions): Paginated<Contact>;
    get(identifier: string, options?: RequestOptions): Promise<WithResponse<Contact>>;
    create(contact: ContactInput, options?: RequestOptions): Promise<WithResponse<Contact>>;
    update(identifier: string, changes: ContactInput, options?: RequestOptions): Promise<WithResponse<Contact>>;
    delete(identifier: string, options?: RequestOptions): Promise<WithResponse<Deleted>>;
    addPushToken(identifier: string, token: string, options?: RequestOptions): Promise<WithResponse<Acknowledged>>;
    removePushToken(identifier: string, token: string, options?: RequestOptions): Promise<WithResponse<Acknowledged>>;
  };
  readonly events: {
    list(options?: RequestOptions): Promise<WithResponse<Event[]>>;
    get(identifier: string, options?: RequestOptions): Promise<WithResponse<Event>>;
  };
  readonly deliveries: {
    list(params?: DeliveryListParams, options?: RequestOptions): Promise<WithResponse<DeliveryList>>;
    listAll(params?: DeliveryListParams, options?: RequestOptions): Paginated<Delivery>;
    trace(uuid: string, options?: RequestOptions): Promise<WithResponse<DeliveryTrace>>;
  };
  readonly integrations: {
    list(channel?: Channel, options?: RequestOptions): Promise<WithResponse<IntegrationList>>;
  };
  readonly webhooks: {
    create(webhook: CreateWebhook, options?: RequestOptions): Promise<WithResponse<WebhookConfig>>;
    get(options?: RequestOptions): Promise<WithResponse<WebhookConfig>>;
    update(uuid: string, changes: UpdateWebhook, options?: RequestOptions): Promise<WithResponse<WebhookConfig>>;
    delete(uuid: string, options?: RequestOptions): Promise<WithResponse<Deleted>>;
  };
}

/** The kinds `decodeResponse` knows. */
export type ResponseKind =
  | 'send_response'
  | 'contact_envelope'
  | 'contact_list_envelope'
  | 'event_list_envelope'
  | 'event_envelope'
  | 'delivery_list_envelope'
  | 'delivery_trace_envelope'
  | 'integration_list_envelope'
  | 'webhook_config'
  | 'webhook_envelope'
  | 'webhook_event'
  | 'error_body'
  | 'deleted'
  | 'acknowledged';

/**
 * Decodes an API response body (JSON text or an already parsed value) exactly as the client
 * does, and returns the canonical JSON: unknown fields dropped, unknown enum values kept,
 * defaults filled in. Throws `SendiventError` with INVALID_RESPONSE when the body is not the shape.
 */
export function decodeResponse(kind: ResponseKind, body: string | JsonValue): JsonValue;
