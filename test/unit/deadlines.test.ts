import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDeadlineScheduler, withDeadline } from '../../main/host/workers/deadlines.ts';

test('deadlines expire in time order across different delays, on one timer, and cancelled ones never run', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const scheduler = createDeadlineScheduler({ now: () => Date.now() });
  const fired: string[] = [];
  scheduler.add(300, () => fired.push('300'));
  const cancel = scheduler.add(100, () => fired.push('100'));
  scheduler.add(200, () => fired.push('200'));
  scheduler.add(100, () => fired.push('100b'));
  cancel();
  cancel();
  assert.equal(scheduler.size, 3);
  t.mock.timers.tick(150);
  assert.deepEqual(fired, ['100b']);
  t.mock.timers.tick(200);
  assert.deepEqual(fired, ['100b', '200', '300']);
  assert.equal(scheduler.size, 0);
});

test('withDeadline settles like the promise, or rejects with the timeout error once the time is up', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const scheduler = createDeadlineScheduler({ now: () => Date.now() });
  assert.equal(await withDeadline(Promise.resolve(7), 50, () => new Error('late'), scheduler), 7);
  await assert.rejects(withDeadline(Promise.reject(new Error('own')), 50, () => new Error('late'), scheduler), /own/);
  const never = new Promise<number>(() => undefined);
  const timed = withDeadline(never, 50, () => new Error('late'), scheduler);
  t.mock.timers.tick(49);
  let settled = false;
  void timed.catch(() => { settled = true; });
  await Promise.resolve();
  assert.equal(settled, false);
  t.mock.timers.tick(1);
  await assert.rejects(timed, /late/);
  assert.equal(scheduler.size, 0);
});
