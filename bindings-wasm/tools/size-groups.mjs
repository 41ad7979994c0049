// Groups a twiggy size profile (`twiggy top -f csv`, names kept) by what the bytes are for, so a
// size aim can be weighed against what each part would cost to remove (bench/RESULTS.md).
// Usage: node tools/size-groups.mjs <module.csv>   → a Markdown table on stdout.
import { readFileSync } from 'node:fs';

/** What each item is for, by the crate its name starts with (first match wins). */
const GROUPS = [
  ['names (profiling build only; stripped from the shipped module)', /^"?(function|data) names/],
  ['data segments: messages, phone metadata, Unicode and float tables', /^data segment/],
  [
    'URLs (url, idna, ICU normalisation, percent-encoding), via reqwest on wasm32',
    /^<?&?(url|idna|icu_\w+|percent_encoding|form_urlencoded|utf8_iter|utf16_iter|write16|zerovec|yoke|tinystr|potential_utf|serde_urlencoded)\b/,
  ],
  ['JSON (serde, serde_json, serde_path_to_error)', /^<?&?(mut )?&?(serde|serde_core|serde_json|serde_path_to_error|zmij|itoa|ryu)\b/],
  ["float formatting (core's f64 Display, linked by serde's error messages)", /^<?f64 as core/],
  ['async glue (js_sys futures, tokio, futures)', /^<?&?(js_sys::futures|tokio|futures_\w+|wasm_bindgen_futures)\b/],
  [
    'hashing and signatures (sha2, hmac, curve25519, ed25519, base64)',
    /^<?&?(sha2|digest|hmac|curve25519_dalek|ed25519_dalek|base64|subtle|block_buffer)\b|digest::/,
  ],
  ['the SDK: core (models, validation, webhooks, client)', /^<?&?(mut )?&?sendivent::|<sendivent::/],
  ['the SDK: the WebAssembly binding and its export shims', /^<?&?sendivent_wasm|shim$|^[a-z_]+_[a-zA-Z]+$|^__wbg|^__externref|^import /],
  ['JS interop (wasm-bindgen, js_sys)', /^<?&?(wasm_bindgen|js_sys)\b/],
  [
    'Rust runtime (core, alloc, std, dlmalloc, hashbrown, compiler_builtins)',
    /^<?&?(mut )?&?\[?(core|alloc|std|dlmalloc|hashbrown|compiler_builtins|__rustc|[iu](8|16|32|64|128|size)|char|str|bool)\b/,
  ],
];
const OTHER = 'other (tracing, smallvec, uuid, closures of several crates)';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tools/size-groups.mjs <twiggy top -f csv output>');
  process.exit(2);
}
const totals = new Map([...GROUPS.map(([name]) => [name, 0]), [OTHER, 0]]);
let all = 0;
for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
  if (!line.trim()) continue;
  // Name is a quoted CSV field (quotes doubled inside); the size follows it.
  const match = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
  if (!match) continue;
  const name = match[1].replace(/^"|"$/g, '').replace(/""/g, '"');
  const bytes = Number(match[2]);
  const group = GROUPS.find(([, pattern]) => pattern.test(name))?.[0] ?? OTHER;
  totals.set(group, totals.get(group) + bytes);
  all += bytes;
}
const names = totals.get(GROUPS[0][0]);
console.log(`| what the bytes are for | KB | share of the module without names |\n|---|---:|---:|`);
for (const [group, bytes] of [...totals].sort((a, b) => b[1] - a[1])) {
  if (bytes === 0) continue;
  const share = group === GROUPS[0][0] ? '—' : `${((100 * bytes) / (all - names)).toFixed(1)} %`;
  console.log(`| ${group} | ${(bytes / 1024).toFixed(1)} | ${share} |`);
}
console.log(
  `| the module without names, before gzip (wasm-opt keeps a little more with names on: the shipped one is smaller, see "Entry sizes") | ${((all - names) / 1024).toFixed(1)} | 100 % |`,
);
