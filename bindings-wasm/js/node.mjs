// @sendivent/wasm entry point for Node, Deno and Bun: the module is read from disk synchronously, so importing is enough.
// Copied into pkg/ by bindings-wasm/build.sh. Types: ./index.d.ts.
import * as raw from './dist/full/sendivent_wasm.js';
import { readFileSync } from 'node:fs';
import { createApi } from './lib/api.mjs';
import { createClient, createDecoder } from './lib/client.mjs';

raw.initSync({ module: readFileSync(new URL('./dist/full/sendivent_wasm_bg.wasm', import.meta.url)) });

export const { verifyWebhook, verifyWebhookSignature, verifyWebhookAsync, WebhookVerifier, ReplayGuard, signWebhook, validateEmail, validatePhone, resolveIdentifier, errorCodes, version } = createApi(raw);
export const Sendivent = createClient(raw);
export const decodeResponse = createDecoder(raw);
export * from './lib/errors.gen.mjs';
