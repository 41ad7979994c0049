// Sizes of the package's entry points as a user ships them: the .wasm module (raw and gzip -9)
// and the entry's JavaScript bundled and minified by esbuild (gzip -9), for the workerd
// condition (what a Worker uploads). `--check` fails when an entry grows past its budget in
// size-budgets.json (test.sh runs it); without it, prints the table (bench/verify.mjs uses
// `entrySizes`).
// Usage: node tools/sizes.mjs [--check]   (after build.sh)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const bindingDir = path.resolve(here, '..');
const pkgDir = path.join(bindingDir, 'pkg');

/** Each entry: what a user imports, and the module it loads. */
export const ENTRIES = [
  {
    name: '@sendivent/wasm/webhook',
    module: 'webhook',
    source: `import { verifyWebhook, validateEmail } from '@sendivent/wasm/webhook'; export { verifyWebhook, validateEmail };`,
  },
  {
    name: '@sendivent/wasm/webhook-ed25519',
    module: 'webhook-ed25519',
    source: `import { verifyWebhook } from '@sendivent/wasm/webhook-ed25519'; export { verifyWebhook };`,
  },
  { name: '@sendivent/wasm', module: 'full', source: `import { verifyWebhook, Sendivent } from '@sendivent/wasm'; export { verifyWebhook, Sendivent };` },
];

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** esbuild --bundle --minify of `source` (the .wasm left external), raw and gzip -9 bytes. */
export async function bundleSize(source, conditions = ['workerd']) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'sendivent-size-'));
  try {
    const entry = path.join(tmp, 'entry.mjs');
    writeFileSync(entry, source);
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      conditions,
      write: false,
      external: ['*.wasm'],
      logLevel: 'silent',
      nodePaths: [path.join(bindingDir, 'node_modules')],
    });
    const js = out.outputFiles[0].contents;
    return { raw: js.length, gzip: gzip(js) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `{ name, wasm: { raw, gzip }, js: { raw, gzip }, total: gzip bytes }` of every entry. */
export async function entrySizes() {
  const sizes = [];
  for (const entry of ENTRIES) {
    const wasm = readFileSync(path.join(pkgDir, 'dist', entry.module, 'sendivent_wasm_bg.wasm'));
    const js = await bundleSize(entry.source);
    const wasmSize = { raw: wasm.length, gzip: gzip(wasm) };
    sizes.push({ name: entry.name, wasm: wasmSize, js, total: wasmSize.gzip + js.gzip });
  }
  return sizes;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const budgets = JSON.parse(readFileSync(path.join(bindingDir, 'size-budgets.json'), 'utf8'));
  const over = [];
  for (const s of await entrySizes()) {
    const budget = budgets.entries[s.name];
    if (budget === undefined) over.push(`${s.name}: no budget in size-budgets.json`);
    else if (s.total > budget.gzip_bytes) over.push(`${s.name}: ${s.total} bytes gzip, over its budget of ${budget.gzip_bytes} (aim ${budget.aim_gzip_bytes})`);
    console.log(
      `${s.name.padEnd(34)} wasm ${kb(s.wasm.raw).padStart(9)} raw ${kb(s.wasm.gzip).padStart(9)} gzip + js ${kb(s.js.gzip).padStart(7)} gzip = ${kb(s.total).padStart(9)}` +
        (budget ? `  (budget ${kb(budget.gzip_bytes)}, aim ${budget.aim_gzip_bytes === null ? '—' : kb(budget.aim_gzip_bytes)})` : ''),
    );
  }
  if (process.argv.includes('--check') && over.length > 0) {
    console.error(`size budget exceeded:\n  ${over.join('\n  ')}\n(a deliberate growth raises the budget in bindings-wasm/size-budgets.json, with the reason)`);
    process.exit(1);
  }
}
