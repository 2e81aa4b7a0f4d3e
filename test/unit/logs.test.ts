import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogStore, LOG_RATE_PER_SECOND, LOG_RING_SIZE, MAX_LOG_MESSAGE } from '../../main/host/logs.ts';

test('a log flood is rate-limited per plugin and counted, without touching other plugins', () => {
  let now = 1_000;
  const logs = createLogStore(() => now);
  for (let i = 0; i < LOG_RATE_PER_SECOND + 250; i++) logs.append('noisy', { level: 'info', source: 'logger', message: `line ${i}` });
  logs.append('quiet', { level: 'info', source: 'logger', message: 'hello' });
  assert.equal(logs.lines('noisy').length, LOG_RATE_PER_SECOND);
  assert.equal(logs.suppressed('noisy'), 250);
  assert.deepEqual(logs.lines('quiet').map((l) => l.message), ['hello']);
  now += 1_000;
  logs.append('noisy', { level: 'info', source: 'logger', message: 'after the window' });
  const tail = logs.lines('noisy').slice(-2).map((l) => l.message);
  assert.match(tail[0]!, /250 lines suppressed/, 'the reader is told lines are missing');
  assert.equal(tail[1], 'after the window');
});

test('the ring keeps the newest lines, long messages are cut, and readers tail by sequence number', () => {
  let now = 0;
  const logs = createLogStore(() => now);
  for (let i = 0; i < LOG_RING_SIZE + 10; i++) {
    now += 10; // stay under the rate limit
    logs.append('p', { level: 'debug', source: 'stdout', message: String(i) });
  }
  const lines = logs.lines('p');
  assert.equal(lines.length, LOG_RING_SIZE);
  assert.equal(lines[0]!.message, '10');
  const last = lines.at(-1)!;
  assert.deepEqual(logs.lines('p', last.seq - 1).map((l) => l.message), [String(LOG_RING_SIZE + 9)]);
  logs.append('p', { level: 'warn', source: 'stderr', message: 'x'.repeat(MAX_LOG_MESSAGE + 5) });
  assert.match(logs.lines('p').at(-1)!.message, /… \[cut\]$/);
});
