// @sendivent/wasm entry point for Browsers and other runtimes with fetch for file URLs: the module is fetched with top-level await.
// Copied into pkg/ by bindings-wasm/build.sh. Types: ./index.d.ts.
import * as raw from './dist/full/sendivent_wasm.js';
import { createApi } from './lib/api.mjs';
import { createClient, createDecoder } from './lib/client.mjs';

await raw.default({ module_or_path: new URL('./dist/full/sendivent_wasm_bg.wasm', import.meta.url) });

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
export const Sendivent = createClient(raw);
export const decodeResponse = createDecoder(raw);
export * from './lib/errors.gen.mjs';
