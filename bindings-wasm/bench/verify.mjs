// Benchmark: webhook verification in Node, @sendivent/wasm against the npm `standardwebhooks`
// and `svix` packages and the node:crypto HMAC floor, on 1 KB and 64 KB bodies, in one run;
// plus raw/gzip sizes of the .wasm modules and esbuild bundle sizes side by side.
// Usage: node bench/verify.mjs [out.md]   (run after build.sh)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

import * as sdk from '../pkg/webhook/node.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..', 'pkg');
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const key = Buffer.from(secret.slice(6), 'base64');

function eventBody(size) {
  const base = {
    event: 'delivery.failed',
    delivery: { uuid: '6f1c7d2e-8a4b-4c1e-9f3a-2b5d7e9c1a04', channel: 'email', status: 'failed', event_name: 'user.welcome', message_id: '0100018c-ses-4f2a', sent_at: '2026-11-28T12:00:00Z', delivered_at: null, error: '' },
    request_id: 'req_01HF8Z3K9Q',
    timestamp: '2026-11-28T12:00:01Z',
  };
  const pad = size - JSON.stringify(base).length;
  base.delivery.error = 'x'.repeat(Math.max(0, pad));
  const body = JSON.stringify(base);
  if (body.length !== size) throw new Error(`body is ${body.length} bytes, wanted ${size}`);
  return body;
}

/**
 * Time per call (µs) of each candidate: rounds are interleaved across candidates (so a burst of
 * load on this shared machine hits all of them alike) and the best round is reported, the usual
 * estimate of intrinsic cost under noise; the median is kept for the record.
 */
function measureAll(fns, iterations, rounds = 15) {
  const entries = Object.entries(fns);
  for (const [, fn] of entries) for (let i = 0; i < Math.min(iterations * 2, 4000); i++) fn(); // JIT warm-up
  const samples = new Map(entries.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of entries) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) fn();
      samples.get(name).push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
    }
  }
  return entries.map(([name]) => {
    const s = samples.get(name).sort((a, b) => a - b);
    return { name, us: s[0], median: s[Math.floor(s.length / 2)] };
  });
}

const results = [];
for (const size of [1024, 65536]) {
  const body = eventBody(size);
  const bytes = new TextEncoder().encode(body);
  const ts = Math.floor(Date.now() / 1000);
  const headers = sdk.signWebhook(body, { id: 'msg_bench', secret, timestamp: ts });
  const plain = { ...headers };
  const fetchHeaders = new Headers(headers);
  const reference = new StandardWebhook(secret);
  const svix = new SvixWebhook(secret);
  const verifier = new sdk.WebhookVerifier(secret);
  const iterations = size === 1024 ? 4000 : 100;
  const sig = headers['webhook-signature'].slice(3);
  const rows = {
    'node:crypto HMAC floor (no parse)': () => {
      const mac = createHmac('sha256', key).update(`msg_bench.${ts}.`).update(body).digest();
      if (!timingSafeEqual(mac, Buffer.from(sig, 'base64'))) throw new Error('floor mismatch');
    },
    'standardwebhooks Webhook.verify': () => reference.verify(body, plain),
    'svix Webhook.verify': () => svix.verify(body, plain),
    'sendivent verifyWebhook (string body)': () => sdk.verifyWebhook(body, plain, secret),
    'sendivent verifyWebhook (Uint8Array body)': () => sdk.verifyWebhook(bytes, plain, secret),
    'sendivent verifyWebhook (Headers object)': () => sdk.verifyWebhook(body, fetchHeaders, secret),
    'sendivent WebhookVerifier.verify': () => verifier.verify(body, plain),
    'sendivent verifyWebhookSignature (no parse)': () => sdk.verifyWebhookSignature(body, plain, secret),
    // Where the time goes: the HMAC alone inside WebAssembly (signing = one HMAC + base64),
    // and the JS-side JSON.parse every verifier with a parsed result pays.
    'breakdown: sendivent signWebhook (HMAC in wasm)': () => sdk.signWebhook(bytes, { id: 'msg_bench', secret, timestamp: ts }),
    'breakdown: JSON.parse of the body': () => JSON.parse(body),
    'breakdown: TextEncoder.encode of the body': () => new TextEncoder().encode(body),
  };
  for (const r of measureAll(rows, iterations)) results.push({ size, ...r });
  verifier.free();
}

const get = (size, name) => results.find((r) => r.size === size && r.name === name).us;
const fmt = (us) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));

// ---- sizes
const sizes = {};
for (const build of ['webhook', 'full']) {
  const wasm = readFileSync(path.join(pkgDir, 'dist', build, 'sendivent_wasm_bg.wasm'));
  sizes[build] = { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };
}
const tmp = mkdtempSync(path.join(tmpdir(), 'sendivent-bundle-'));
async function bundle(name, source, conditions = ['browser']) {
  const entry = path.join(tmp, `${name}.mjs`);
  writeFileSync(entry, source);
  const out = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', conditions, write: false, external: ['*.wasm'], logLevel: 'silent', nodePaths: [path.resolve(here, '..', 'node_modules')] });
  const js = out.outputFiles[0].contents;
  return { js: js.length, jsGzip: gzipSync(js, { level: 9 }).length };
}
const bundles = {
  'standardwebhooks': await bundle('sw', `import { Webhook } from 'standardwebhooks'; export const v = (s, b, h) => new Webhook(s).verify(b, h);`),
  'svix (Webhook only)': await bundle('svix', `import { Webhook } from 'svix'; export const v = (s, b, h) => new Webhook(s).verify(b, h);`),
  '@sendivent/wasm/webhook': await bundle('sdw', `import { verifyWebhook } from '@sendivent/wasm/webhook'; export const v = verifyWebhook;`, ['workerd']),
  '@sendivent/wasm (full)': await bundle('sdf', `import { verifyWebhook, Sendivent } from '@sendivent/wasm'; export const v = verifyWebhook; export const S = Sendivent;`, ['workerd']),
};
rmSync(tmp, { recursive: true, force: true });
bundles['@sendivent/wasm/webhook'].wasm = sizes.webhook;
bundles['@sendivent/wasm (full)'].wasm = sizes.full;

// ---- report
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let md = `# @sendivent/wasm benchmark\n\n`;
md += `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString()}.\n`;
md += `µs per call: best of 15 rounds interleaved across all rows (median in brackets), one process;\n`;
md += `load average during the run ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (a shared build machine). Bodies are Sendivent\n`;
md += `webhook events padded to the size; timestamps are current (the reference libraries use the\n`;
md += `real clock). Generated by \`make bench\` (bindings-wasm/bench/verify.mjs).\n\n`;
md += `| | 1 KB | 64 KB |\n|---|---:|---:|\n`;
const med = (size, name) => results.find((r) => r.size === size && r.name === name).median;
for (const name of [...new Set(results.map((r) => r.name))]) {
  md += `| ${name} | ${fmt(get(1024, name))} (${fmt(med(1024, name))}) | ${fmt(get(65536, name))} (${fmt(med(65536, name))}) |\n`;
}
const sw = 'standardwebhooks Webhook.verify';
const ours = 'sendivent verifyWebhook (string body)';
md += `\n**Speed-up of \`verifyWebhook\` over \`standardwebhooks\`**: ${(get(1024, sw) / get(1024, ours)).toFixed(1)}× at 1 KB, `;
md += `${(get(65536, sw) / get(65536, ours)).toFixed(1)}× at 64 KB `;
md += `(svix: ${(get(1024, 'svix Webhook.verify') / get(1024, ours)).toFixed(1)}× and ${(get(65536, 'svix Webhook.verify') / get(65536, ours)).toFixed(1)}×). `;
md += `Relative to the node:crypto floor (native SHA-256, no JSON parsing): ${(get(1024, ours) / get(1024, 'node:crypto HMAC floor (no parse)')).toFixed(1)}× at 1 KB, `;
md += `${(get(65536, ours) / get(65536, 'node:crypto HMAC floor (no parse)')).toFixed(1)}× at 64 KB.\n\n`;
const hmac = 'breakdown: sendivent signWebhook (HMAC in wasm)';
const sigOnly = 'sendivent verifyWebhookSignature (no parse)';
md += `### Where the time goes\n\n`;
md += `- The HMAC itself (signing = one HMAC-SHA256 + base64, all inside WebAssembly) is `;
md += `${fmt(get(1024, hmac))} µs at 1 KB and ${fmt(get(65536, hmac))} µs at 64 KB, i.e. `;
md += `${Math.round((100 * get(1024, hmac)) / get(1024, ours))}% and ${Math.round((100 * get(65536, hmac)) / get(65536, ours))}% of \`verifyWebhook\`. `;
md += `WebAssembly has no SHA instructions, so SHA-256 runs in software (the sha2 crate, built at opt-level 3 inside the `;
md += `size-optimised module) — ${(get(65536, hmac) / get(65536, 'node:crypto HMAC floor (no parse)')).toFixed(1)}× the native node:crypto floor at 64 KB; `;
md += `a CPU profile (node --cpu-prof on an unstripped build) puts compress256 at ~90% of a 64 KB signature.\n`;
md += `- Signature only (\`verifyWebhookSignature\`) vs. the typed event (\`verifyWebhook\`): `;
md += `${fmt(get(1024, sigOnly))} vs ${fmt(get(1024, ours))} µs at 1 KB, ${fmt(get(65536, sigOnly))} vs ${fmt(get(65536, ours))} µs at 64 KB. `;
md += `The difference is the core's typed parse of the event (serde in WebAssembly) and moving it to JS (one JSON text `;
md += `and \`JSON.parse\` up to 8 KB, a directly built object above). At 1 KB the rest is crossing the boundary: `;
md += `copying the body and the three header values into WebAssembly memory (wasm-bindgen copies short strings with a JS loop; `;
md += `bodies over 4 KB go through \`TextEncoder\`).\n`;
md += `- Targets of issue 7 (≥ 4× \`standardwebhooks\` at 1 KB, ≥ 2.5× at 64 KB): see the speed-up line above for this run. `;
md += `At 1 KB a WebAssembly verifier is bounded by fixed per-call costs (boundary crossings, ~20 software SHA-256 blocks, the parse) `;
md += `that are of the same order as the whole of \`standardwebhooks\`; reaching 4× would need the host's native HMAC `;
md += `(node:crypto, or WebCrypto which is async-only), a core design change not made here.\n\n`;
md += `## Sizes\n\n| module | raw | gzip -9 |\n|---|---:|---:|\n`;
md += `| dist/webhook/sendivent_wasm_bg.wasm (verify, sign, validate) | ${kb(sizes.webhook.raw)} | ${kb(sizes.webhook.gzip)} |\n`;
md += `| dist/full/sendivent_wasm_bg.wasm (+ client over fetch) | ${kb(sizes.full.raw)} | ${kb(sizes.full.gzip)} |\n\n`;
md += `## Bundles (esbuild --bundle --minify, gzip -9)\n\n| bundle | JS | JS gzip | + .wasm gzip | total gzip |\n|---|---:|---:|---:|---:|\n`;
for (const [name, b] of Object.entries(bundles)) {
  const w = b.wasm?.gzip ?? 0;
  md += `| ${name} | ${kb(b.js)} | ${kb(b.jsGzip)} | ${b.wasm ? kb(w) : '—'} | ${kb(b.jsGzip + w)} |\n`;
}
const out = process.argv[2];
if (out) writeFileSync(out, md);
process.stdout.write(md);
