// The Worker of bench/verify.mjs's workerd part (bundled by it with esbuild, workerd condition):
// `GET /?impl=<name>&size=<bytes>&n=<count>` verifies one webhook of that size `n` times with
// `impl` and answers when done. workerd's clock does not advance while a request computes, so
// the runner times requests from outside (n calls minus n = 0).
import { Webhook as StandardWebhook } from 'standardwebhooks';
import * as sdk from '@sendivent/wasm/webhook';
import * as raw from '../pkg/dist/webhook/sendivent_wasm.js';
import { createApi } from '../pkg/lib/api.mjs';
import { eventBody, SECRET } from './body.mjs';

// The same module as the entry's, with the HMAC path pinned, for the WebCrypto crossover.
const wasmOnly = createApi(raw, { webCryptoMinBytes: Infinity });
const webCrypto = createApi(raw, { webCryptoMinBytes: 0 });
const verifiers = {
  wasm: new wasmOnly.WebhookVerifier(SECRET),
  webcrypto: new webCrypto.WebhookVerifier(SECRET),
  entry: new sdk.WebhookVerifier(SECRET),
};
const reference = new StandardWebhook(SECRET);
const cases = new Map();

function caseOf(size) {
  // Signed again each minute: standardwebhooks checks the timestamp against the real clock.
  let c = cases.get(size);
  if (c === undefined || Date.now() - c.at > 60_000) {
    const body = eventBody(size);
    c = { body, at: Date.now(), headers: sdk.signWebhook(body, { id: 'msg_bench', secret: SECRET }) };
    cases.set(size, c);
  }
  return c;
}

const impls = {
  none: async () => {},
  standardwebhooks: async ({ body, headers }) => reference.verify(body, headers),
  'sendivent verify (sync, wasm SHA-256)': async ({ body, headers }) => verifiers.entry.verify(body, headers),
  'sendivent verifyAsync (entry: WebCrypto from 2 KB)': ({ body, headers }) => verifiers.entry.verifyAsync(body, headers),
  'signature, wasm SHA-256': ({ body, headers }) => verifiers.wasm.verifySignatureAsync(body, headers),
  'signature, WebCrypto': ({ body, headers }) => verifiers.webcrypto.verifySignatureAsync(body, headers),
};

export default {
  async fetch(request) {
    const params = new URL(request.url).searchParams;
    const impl = impls[params.get('impl')];
    if (impl === undefined) return new Response(`unknown impl; one of ${Object.keys(impls).join(', ')}`, { status: 400 });
    const c = caseOf(Number(params.get('size')));
    const n = Number(params.get('n'));
    for (let i = 0; i < n; i++) await impl(c);
    return new Response('ok');
  },
};
