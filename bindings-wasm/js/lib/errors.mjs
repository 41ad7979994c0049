// Error classes of @sendivent/wasm. One module shared by the webhook and full builds, so
// `instanceof` works whichever entry point threw.
//
// The WebAssembly module throws plain `Error`s carrying `code` and a `sendivent` JSON detail
// string built by the Rust side (bindings-wasm/src/error.rs); `rethrow` turns them into these
// classes. No error logic lives here: codes, messages and details all come from the core.

/** Base class of every error the SDK throws. */
export class SendiventError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'SendiventError';
    /** The stable code from the core's table (or the server's code, kept as sent). */
    this.code = details.code ?? 'INTERNAL_ERROR';
    if (details.status !== undefined) this.status = details.status;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.meta !== undefined) this.meta = details.meta;
  }
}

/** Client-side validation or configuration refused the input (INVALID_EMAIL, INVALID_API_KEY, …). */
export class ValidationError extends SendiventError {
  constructor(message, details) {
    super(message, details);
    this.name = 'ValidationError';
  }
}

/** Webhook verification failed; `code` says which check (WEBHOOK_*). */
export class WebhookVerificationError extends SendiventError {
  constructor(message, details) {
    super(message, details);
    this.name = 'WebhookVerificationError';
  }
}

/** The API answered with an error status. */
export class ApiError extends SendiventError {
  constructor(message, details = {}) {
    super(message, details);
    this.name = 'ApiError';
    if (details.retryAfter !== undefined) this.retryAfter = details.retryAfter;
  }
}

/** A send answered `success: false`; `errors` lists why. */
export class SendFailedError extends SendiventError {
  constructor(message, details = {}) {
    super(message, details);
    this.name = 'SendFailedError';
    this.errors = details.errors ?? [];
  }
}

/** The connection failed before a response arrived (after all retries). */
export class ConnectionError extends SendiventError {
  constructor(message, details) {
    super(message, details);
    this.name = 'ConnectionError';
  }
}

/** An attempt exceeded its timeout (after all retries). */
export class TimeoutError extends SendiventError {
  constructor(message, details = {}) {
    super(message, details);
    this.name = 'TimeoutError';
    if (details.timeoutMs !== undefined) this.timeoutMs = details.timeoutMs;
    if (details.elapsedMs !== undefined) this.elapsedMs = details.elapsedMs;
  }
}

const classes = {
  SendiventError,
  ValidationError,
  WebhookVerificationError,
  ApiError,
  SendFailedError,
  ConnectionError,
  TimeoutError,
};

/** Builds the SDK error for a detail object produced by the Rust side. */
export function fromDetails(details, message) {
  const Class = classes[details.kind] ?? SendiventError;
  return new Class(message ?? details.message, details);
}

/** Converts an error thrown by the WebAssembly module; anything else passes through unchanged. */
export function convert(err) {
  if (err instanceof SendiventError) return err;
  if (err !== null && typeof err === 'object' && typeof err.sendivent === 'string') {
    let details;
    try {
      details = JSON.parse(err.sendivent);
    } catch {
      details = { kind: 'SendiventError', code: err.code ?? 'INTERNAL_ERROR', message: String(err.message) };
    }
    return fromDetails(details, err.message);
  }
  return err;
}

/** `throw convert(err)`, for catch blocks. */
export function rethrow(err) {
  throw convert(err);
}
