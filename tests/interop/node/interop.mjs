// Interop of the Rust core's Standard Webhooks implementation with the reference npm library
// (`standardwebhooks`, pinned in package.json / package-lock.json). Same checks as
// ../check_python.py: (a) the comparable vector cases get the same accept/reject answer, except
// the documented deviations; (b) fresh messages signed by the reference verify with ours and ours
// with the reference. Ours runs through the `webhook_cli` example.
//
//   npm ci --prefix tests/interop/node && node tests/interop/node/interop.mjs [path/to/webhook_cli]

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { Webhook } from "standardwebhooks";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const cli = process.argv[2] ?? process.env.WEBHOOK_CLI ?? resolve(root, "target/debug/examples/webhook_cli");
const referenceVersion = require("standardwebhooks/package.json").version;

// Where ours (the contract) and the reference answer differently, by design.
const DEVIATIONS = {
  // ours trims optional whitespace around header values; the reference signs the id with spaces
  "valid v1, surrounding whitespace in header values is ignored": "ours accepts, reference rejects",
  // the reference compares base64 strings, so an unpadded entry never matches
  "valid v1, signature entry without base64 padding": "ours accepts, reference rejects",
  // ours trims the secret; the reference's base64 decoder throws on the spaces
  "valid v1, secret with surrounding whitespace (env file newline)": "ours accepts, reference rejects",
  // the reference's parseInt reads "1699999995.5" and "+1699999995" as integers
  "timestamp with a fraction": "ours rejects, reference accepts",
  "timestamp with a plus sign": "ours rejects, reference accepts",
  // repeated headers follow the contract's policy; the reference sees one value per name
  "repeated webhook-signature: the entries of every occurrence count": "ours accepts, reference rejects",
  "repeated webhook-id with another value is ambiguous": "ours rejects, reference accepts",
  // the reference's parseInt reads the first of two comma-joined timestamps
  "comma-joined webhook-timestamp values that differ are ambiguous": "ours rejects, reference accepts",
  // ours caps the signature header before any crypto runs; the reference tries every entry
  "more than 16 signature entries are refused before any crypto": "ours rejects, reference accepts",
  "a signature header over 8192 bytes is refused": "ours rejects, reference accepts",
};

const realNow = Date.now;
function referenceAccepts(secret, body, headers, now) {
  const firstWins = {};
  for (const [name, value] of headers) {
    if (!(name.toLowerCase() in firstWins)) firstWins[name.toLowerCase()] = value;
  }
  Date.now = () => now * 1000;
  try {
    new Webhook(secret).verify(body, firstWins, { jsonParse: false });
    return [true, "accepted"];
  } catch (err) {
    return [false, `${err.name}: ${err.message}`];
  } finally {
    Date.now = realNow;
  }
}

function runOurs(requests) {
  return JSON.parse(execFileSync(cli, { input: JSON.stringify(requests), encoding: "utf8" }));
}

const failures = [];

// (a) the vectors
const cases = JSON.parse(readFileSync(resolve(root, "tests/vectors/webhooks.json"), "utf8")).cases;
let compared = 0;
const seen = new Set();
for (const c of cases) {
  const input = c.input;
  const code = c.expect.error?.code ?? "";
  if (
    input.secret === undefined ||
    /^\s*wh(pk|sk)_/.test(input.secret) ||
    code.startsWith("WEBHOOK_SECRET") ||
    code === "WEBHOOK_INVALID_SECRET" ||
    (input.tolerance_seconds ?? 300) !== 300 ||
    input.skip_timestamp_check
  ) {
    continue;
  }
  compared += 1;
  const ours = "ok" in c.expect || code === "WEBHOOK_INVALID_PAYLOAD";
  const [theirs, detail] = referenceAccepts(input.secret, input.body, input.headers, c.now);
  if (c.name in DEVIATIONS) {
    seen.add(c.name);
    if (ours === theirs) failures.push(`${c.name}: listed as a deviation but both ${ours ? "accept" : "reject"}`);
    continue;
  }
  if (ours !== theirs) failures.push(`${c.name}: ours ${ours ? "accepts" : "rejects"} (${code || "ok"}), reference ${detail}`);
}
for (const name of Object.keys(DEVIATIONS)) {
  if (!seen.has(name)) failures.push(`deviation ${JSON.stringify(name)} names no compared vector case`);
}

// (b) fresh messages, a small deterministic PRNG (mulberry32) so failures reproduce
let state = Number(process.env.INTEROP_SEED ?? 20231114) >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo));
const alphabet = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}[]\":,.-_\\/\n\tåäöé€👋✓"];
const count = Number(process.env.INTEROP_FRESH ?? 300);
const now = 1_700_000_000 + randInt(0, 100_000_000);
const messages = [];
for (let i = 0; i < count; i++) {
  const key = Buffer.from(Array.from({ length: randInt(16, 65) }, () => randInt(0, 256)));
  const secret = rand() < 0.5 ? `whsec_${key.toString("base64")}` : key.toString("base64");
  const id = `msg_${randInt(0, 2 ** 31).toString(16)}_${i}`;
  const ts = now + randInt(-300, 301);
  const body = Array.from({ length: randInt(0, 1500) }, () => alphabet[randInt(0, alphabet.length)]).join("");
  const signature = new Webhook(secret).sign(id, new Date(ts * 1000), body);
  messages.push({ secret, id, ts, body, signature });
}
const requests = [];
for (const m of messages) {
  requests.push({ op: "verify", secret: m.secret, body: m.body, now, headers: [["webhook-id", m.id], ["webhook-timestamp", String(m.ts)], ["webhook-signature", m.signature]] });
}
for (const m of messages) requests.push({ op: "sign", secret: m.secret, id: m.id, timestamp: m.ts, body: m.body });
const results = runOurs(requests);
messages.forEach((m, i) => {
  if (results[i].ok !== true) failures.push(`fresh message ${m.id}: ours ${JSON.stringify(results[i])}`);
  const ourSignature = results[count + i].ok;
  if (ourSignature !== m.signature) {
    failures.push(`sign ${m.id}: ours ${JSON.stringify(results[count + i])}, reference ${m.signature}`);
    return;
  }
  const [ok, detail] = referenceAccepts(m.secret, m.body, [["webhook-id", m.id], ["webhook-timestamp", String(m.ts)], ["webhook-signature", ourSignature]], now);
  if (!ok) failures.push(`reference rejects our signature for ${m.id}: ${detail}`);
});

if (failures.length > 0) {
  console.log(`interop with standardwebhooks ${referenceVersion} (npm): ${failures.length} failure(s)`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log(
  `interop with standardwebhooks ${referenceVersion} (npm): ${compared - Object.keys(DEVIATIONS).length} of ${compared} ` +
    `comparable vector cases agree, the other ${Object.keys(DEVIATIONS).length} are documented deviations; ` +
    `${count} fresh messages verified both ways`,
);
