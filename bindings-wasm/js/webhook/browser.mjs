// @sendivent/wasm/webhook entry point for Browsers and other runtimes with fetch for file URLs: the module is fetched with top-level await.
// Copied into pkg/ by bindings-wasm/build.sh. Types: ../webhook.d.ts.
import * as raw from '../dist/webhook/sendivent_wasm.js';
import { createApi } from '../lib/api.mjs';

await raw.default({ module_or_path: new URL('../dist/webhook/sendivent_wasm_bg.wasm', import.meta.url) });

export const {
  verifyWebhook,
  verifyWebhookSignature,
  verifyWebhookAsync,
  WebhookVerifier,
  ReplayGuard,
  signWebhook,
  validateEmail,
  validatePhone,
  resolveIdentifier,
  errorCodes,
  version,
} = createApi(raw);
export * from '../lib/errors.gen.mjs';
