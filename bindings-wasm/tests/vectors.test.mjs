// Runs every shared vector in tests/vectors/*.json through the JS API of the package (full
// build, and the ./webhook build for the functions it has). An unknown `function` fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import * as full from '../pkg/node.mjs';
import * as lite from '../pkg/webhook/node.mjs';
import { repoRoot } from './helpers.mjs';

const vectorDir = path.join(repoRoot, 'tests', 'vectors');

/** Each vector function, as called through the public JS API. */
const runners = {
  webhook_verify(sdk, input, now) {
    const options = { now };
    if (input.tolerance_seconds !== undefined) options.toleranceSeconds = input.tolerance_seconds;
    if (input.skip_timestamp_check !== undefined) options.skipTimestampCheck = input.skip_timestamp_check;
    const secret = input.secrets ?? input.secret;
    const verifier = new sdk.WebhookVerifier(secret);
    try {
      if (input.parse_event) return verifier.verify(input.body, input.headers, options);
      verifier.verifySignature(input.body, input.headers, options);
      return true;
    } finally {
      verifier.free();
    }
  },
  webhook_sign(sdk, input) {
    return sdk.signWebhook(input.body, { id: input.id, secret: input.secret, timestamp: input.timestamp })[
      'webhook-signature'
    ];
  },
  validate_email: (sdk, input) => sdk.validateEmail(input),
  validate_phone: (sdk, input) => sdk.validatePhone(input),
  resolve_identifier: (sdk, input) => sdk.resolveIdentifier(input),
  decode_response: (sdk, input) => sdk.decodeResponse(input.kind, JSON.stringify(input.body)),
};

/** Functions the small ./webhook build does not have (it has no client or response models). */
const fullOnly = new Set(['decode_response']);

const files = readdirSync(vectorDir).filter((f) => f.endsWith('.json')).sort();
let executed = 0;

test('there are vector files to run', () => {
  assert.ok(files.length > 0, `no vectors in ${vectorDir}`);
});

for (const file of files) {
  const spec = JSON.parse(readFileSync(path.join(vectorDir, file), 'utf8'));
  test(`${file}: function ${spec.function} is known to the JS runner`, () => {
    assert.equal(spec.schema, 1, `${file}: unsupported schema ${spec.schema}`);
    assert.ok(spec.function in runners, `${file}: unknown vector function ${JSON.stringify(spec.function)}; add it to tests/vectors.test.mjs`);
  });
  const run = runners[spec.function];
  if (run === undefined) continue;
  const builds = fullOnly.has(spec.function) ? [['full', full]] : [['full', full], ['webhook', lite]];
  for (const [label, sdk] of builds) {
    test(`${file} (${label} build)`, () => {
      for (const c of spec.cases) {
        const call = () => run(sdk, c.input, c.now);
        if ('error' in c.expect) {
          assert.throws(call, (err) => {
            assert.ok(err instanceof sdk.SendiventError, `${c.name}: expected a SendiventError, got ${err}`);
            assert.equal(err.code, c.expect.error.code, `${c.name}: ${err.message}`);
            return true;
          }, `${c.name}: expected ${c.expect.error.code}`);
        } else {
          let got;
          try {
            got = call();
          } catch (err) {
            assert.fail(`${c.name}: expected success, got ${err.code ?? err.name}: ${err.message}`);
          }
          assert.deepEqual(got, c.expect.ok, c.name);
        }
        executed += 1;
      }
    });
  }
}

test('every case was executed, in each build that has the function', () => {
  let expected = 0;
  let total = 0;
  for (const f of files) {
    const spec = JSON.parse(readFileSync(path.join(vectorDir, f), 'utf8'));
    total += spec.cases.length;
    expected += spec.cases.length * (fullOnly.has(spec.function) ? 1 : 2);
  }
  assert.equal(executed, expected);
  console.log(`# vectors: ${total} cases in ${files.length} files, ${executed} runs over both builds`);
});
