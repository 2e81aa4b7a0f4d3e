import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CRASH_LOOP_CRASHES, CRASH_LOOP_WINDOW_MS, createRestartPolicy, RESTART_BASE_DELAY_MS, RESTART_MAX_DELAY_MS,
} from '../../main/host/supervision/restart-policy.ts';

const MIN = 60_000;

test('restarts back off from 1 s to at most 5 min, and 5 crashes within 10 min are a crash loop', () => {
  assert.equal(RESTART_BASE_DELAY_MS, 1_000);
  assert.equal(RESTART_MAX_DELAY_MS, 5 * MIN);
  assert.equal(CRASH_LOOP_CRASHES, 5);
  assert.equal(CRASH_LOOP_WINDOW_MS, 10 * MIN);
});

test('restart delays double from 1 s and stop at 5 min', () => {
  const policy = createRestartPolicy({ now: () => 0 });
  // Crashes 3 min apart: never 5 within 10 min, and no recordStart, so no decay (setup keeps failing).
  const delays: number[] = [];
  for (let i = 0; i < 12; i++) {
    const decision = policy.recordCrash(i * 3 * MIN);
    assert.equal(decision.action, 'restart', `crash ${i + 1}`);
    if (decision.action === 'restart') delays.push(decision.delayMs / 1000);
  }
  assert.deepEqual(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
  assert.equal(policy.snapshot(33 * MIN).restarts, 12);
});

test('the fifth crash within 10 minutes is a crash loop, and it stays one until reset', () => {
  let now = 0;
  const policy = createRestartPolicy({ now: () => now });
  for (let i = 1; i < CRASH_LOOP_CRASHES; i++) {
    now += 1_000;
    assert.equal(policy.recordCrash().action, 'restart', `crash ${i} restarts`);
  }
  now += 1_000;
  assert.deepEqual(policy.recordCrash(), { action: 'give_up', reason: 'crash loop' });
  assert.deepEqual(policy.snapshot(), { crashesInWindow: 5, restarts: 4, gaveUp: true });
  now += 60 * MIN;
  assert.deepEqual(policy.recordCrash(), { action: 'give_up', reason: 'crash loop' }, 'no restart until the user re-enables');

  policy.reset(); // the user re-enables the plugin
  assert.deepEqual(policy.snapshot(), { crashesInWindow: 0, restarts: 0, gaveUp: false });
  assert.deepEqual(policy.recordCrash(), { action: 'restart', delayMs: 1_000 }, 'a fresh start after re-enabling');
});

test('crashes older than the window are forgotten', () => {
  const policy = createRestartPolicy({ now: () => 0 });
  for (const t of [0, 1, 2, 3]) policy.recordCrash(t * MIN);
  // The window is (now - 10 min, now]: at 10:30 the crash at 0:00 has left it.
  assert.equal(policy.recordCrash(10.5 * MIN).action, 'restart');
  assert.equal(policy.snapshot(10.5 * MIN).crashesInWindow, 4);
  assert.equal(policy.recordCrash(10.6 * MIN).action, 'give_up', 'five within 1:00–10:36');
});

test('stable running decays the backoff by one doubling per minute', () => {
  const policy = createRestartPolicy({ now: () => 0 });
  const restart = (at: number) => {
    const d = policy.recordCrash(at);
    assert.equal(d.action, 'restart');
    return d.action === 'restart' ? d.delayMs : -1;
  };
  assert.equal(restart(0), 1_000);
  policy.recordStart(1_000);
  assert.equal(restart(2_000), 2_000, 'crashed within a second of starting: keeps doubling');
  policy.recordStart(4_000);
  assert.equal(restart(5_000), 4_000);
  policy.recordStart(9_000);
  assert.equal(restart(9_000 + 2 * MIN + 5_000), 2_000, 'two stable minutes take two doublings off (8 s → 2 s)');
  policy.recordStart(12 * MIN);
  assert.equal(restart(30 * MIN), 1_000, 'a long stable run restarts after 1 s again, never less');
});

test('decay needs a recorded start: crashes during setup keep doubling', () => {
  const policy = createRestartPolicy({ now: () => 0 });
  policy.recordStart(0);
  assert.deepEqual(policy.recordCrash(5 * MIN), { action: 'restart', delayMs: 1_000 });
  assert.deepEqual(policy.recordCrash(9 * MIN), { action: 'restart', delayMs: 2_000 }, 'the start counts once, for the crash right after it');
});
