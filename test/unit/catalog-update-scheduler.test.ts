import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUpdateScheduler } from '../../main/host/catalog/update-scheduler.ts';

test('the start-up check runs once started; checks never overlap; 0 hours turns them off', async () => {
  const calls: boolean[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let hours = 24;
  const scheduler = createUpdateScheduler({
    intervalHours: () => hours, startupDelayMs: 0, onError: assert.fail,
    check: async (startup) => { calls.push(startup); await gate; },
  });
  scheduler.start();
  assert.deepEqual(calls, [true], 'the start-up check');
  const manual = scheduler.checkNow();
  assert.deepEqual(calls, [true], 'a check asked for while one runs shares it');
  release();
  await manual;
  await scheduler.checkNow();
  assert.deepEqual(calls, [true, false]);
  await scheduler.stop();

  hours = 0;
  const off: boolean[] = [];
  const disabled = createUpdateScheduler({ intervalHours: () => hours, startupDelayMs: 0, onError: assert.fail, check: async (s) => { off.push(s); } });
  disabled.start();
  await disabled.stop();
  assert.deepEqual(off, [], 'no check when the preference is off');
});

test('a failed check is reported, and the next one still runs', async () => {
  const errors: string[] = [];
  let n = 0;
  const scheduler = createUpdateScheduler({
    intervalHours: () => 24, startupDelayMs: 0, onError: (e) => errors.push(e.message),
    check: async () => { n += 1; if (n === 1) throw new Error('offline'); },
  });
  scheduler.start();
  await scheduler.checkNow();
  await scheduler.checkNow();
  await scheduler.stop();
  assert.deepEqual(errors, ['offline']);
  assert.equal(n, 2);
});
