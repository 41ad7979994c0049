// @sendivent/wasm entry point for Cloudflare Workers (workerd) and other runtimes that import .wasm files as compiled modules.
// Copied into pkg/ by bindings-wasm/build.sh. Types: ./index.d.ts.
import * as raw from './dist/full/sendivent_wasm.js';
import wasmModule from './dist/full/sendivent_wasm_bg.wasm';
import { createApi } from './lib/api.mjs';
import { createClient, createDecoder } from './lib/client.mjs';

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
export const Sendivent = createClient(raw);
export const decodeResponse = createDecoder(raw);
export * from './lib/errors.gen.mjs';
