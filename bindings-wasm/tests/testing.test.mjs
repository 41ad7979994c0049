// @sendivent/wasm/testing: the helper users start sendivent-mock with in their own tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { startMock } from '@sendivent/wasm/testing';
import { Sendivent } from '@sendivent/wasm';
import { mockBinary } from './helpers.mjs';

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('startMock runs sendivent-mock (SENDIVENT_MOCK_BIN) on a free port; the client sends to it; stop() ends that process', async () => {
  process.env.SENDIVENT_MOCK_BIN = mockBinary();
  const mock = await startMock({ args: ['--no-limits'] });
  assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(alive(mock.pid));
  try {
    const sendivent = new Sendivent({ apiKey: 'test_testing0123456789abcdef', baseUrl: mock.url });
    const sent = await sendivent.send('user.welcome', { to: 'ada@example.com', payload: {} });
    assert.equal(sent.success, true);
    const recorded = await mock.admin('GET', 'state');
    assert.ok(JSON.stringify(recorded).includes('ada@example.com'), 'the mock recorded the send');
  } finally {
    await mock.stop();
  }
  assert.ok(!alive(mock.pid), 'the mock process is gone');
  await mock.stop(); // a second stop is harmless
});

test('startMock says how to install the mock when the program is missing, and reports a mock that exits', async () => {
  await assert.rejects(startMock({ bin: '/nonexistent/sendivent-mock' }), /cannot start \/nonexistent\/sendivent-mock.*SENDIVENT_MOCK_BIN/);
  await assert.rejects(startMock({ bin: mockBinary(), args: ['--no-such-flag'] }), /exited .* before listening/);
});
