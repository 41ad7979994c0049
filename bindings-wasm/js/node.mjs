// @sendivent/wasm entry point for Node, Deno and Bun: the module is read from disk synchronously, so importing is enough; HMAC-SHA256 is node:crypto's.
// Copied into pkg/ by bindings-wasm/build.sh. Types: ./index.d.ts.
import * as raw from './dist/full/sendivent_wasm.js';
import { readFileSync } from 'node:fs';
import { createApi } from './lib/api.mjs';
import { nodeHmac } from './lib/node-hmac.mjs';
import { createClient, createDecoder } from './lib/client.mjs';

raw.initSync({ module: readFileSync(new URL('./dist/full/sendivent_wasm_bg.wasm', import.meta.url)) });

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
} = createApi(raw, { hmac: nodeHmac });
export const Sendivent = createClient(raw);
export const decodeResponse = createDecoder(raw);
export * from './lib/errors.gen.mjs';
