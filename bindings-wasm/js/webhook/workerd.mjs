// @sendivent/wasm/webhook entry point for Cloudflare Workers (workerd) and other runtimes that import .wasm files as compiled modules.
// Copied into pkg/ by bindings-wasm/build.sh. Types: ../webhook.d.ts.
import * as raw from '../dist/webhook/sendivent_wasm.js';
import wasmModule from '../dist/webhook/sendivent_wasm_bg.wasm';
import { createApi } from '../lib/api.mjs';

raw.initSync({ module: wasmModule });

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
