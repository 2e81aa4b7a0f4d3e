import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { createHeartbeat, HEARTBEAT_TIMEOUT_MS } from '../../main/host/supervision/heartbeat.ts';
import { createIdleTracker, IDLE_TIMEOUT_MS } from '../../main/host/supervision/idle-tracker.ts';
import { createHealthPoller } from '../../main/host/supervision/health-poller.ts';
import type { HealthResult } from '../../sdk/protocol/rpc.ts';

/** A promise with its resolver, for awaiting a callback. */
function signal<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}
const never = () => new Promise<never>(() => undefined);

test('a worker is declared unresponsive after 5 s without a heartbeat answer, and idle after 5 min', () => {
  assert.equal(HEARTBEAT_TIMEOUT_MS, 5_000);
  assert.equal(IDLE_TIMEOUT_MS, 300_000);
});

// ---- heartbeat (real timers, small values) ----

test('a worker that answers its pings is never reported', async (t) => {
  const fifth = signal();
  let pings = 0;
  let unresponsive = 0;
  const heartbeat = createHeartbeat({
    ping: async () => { if (++pings === 5) fifth.resolve(); return Date.now(); },
    intervalMs: 5, timeoutMs: 200, onUnresponsive: () => { unresponsive++; },
  });
  t.after(() => heartbeat.stop());
  await fifth.promise;
  assert.equal(unresponsive, 0);
  await turn();
  assert.equal(typeof heartbeat.lastRoundTripMs, 'number');
});

test('a worker whose event loop stops answering is reported once, after the timeout', async () => {
  const reported = signal<number>();
  let pings = 0;
  let sentHangingAt = 0;
  const heartbeat = createHeartbeat({
    ping: () => {
      pings++;
      if (pings <= 2) return Promise.resolve(1);
      sentHangingAt = performance.now();
      return never();
    },
    intervalMs: 5, timeoutMs: 40, onUnresponsive: (silentMs) => reported.resolve(silentMs),
  });
  assert.equal(await reported.promise, 40);
  assert.ok(performance.now() - sentHangingAt >= 35, 'not reported before the timeout');
  assert.equal(pings, 3, 'no ping is sent while one is unanswered');
  heartbeat.stop(); // idempotent after it stopped itself
});

test('a rejected ping counts as an answer (the exit handler reports dead workers)', async (t) => {
  const third = signal();
  let pings = 0;
  let unresponsive = 0;
  const heartbeat = createHeartbeat({
    ping: async () => { if (++pings === 3) third.resolve(); throw new Error('NOT_READY'); },
    intervalMs: 5, timeoutMs: 100, onUnresponsive: () => { unresponsive++; },
  });
  t.after(() => heartbeat.stop());
  await third.promise;
  assert.equal(unresponsive, 0);
});

test('after an unresponsive report or stop(), nothing more happens', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let pings = 0;
  let unresponsive = 0;
  const hanging = createHeartbeat({ ping: () => { pings++; return never(); }, intervalMs: 10, timeoutMs: 50, onUnresponsive: () => { unresponsive++; } });
  t.mock.timers.tick(10);
  await turn();
  assert.equal(pings, 1);
  t.mock.timers.tick(50);
  assert.equal(unresponsive, 1);
  t.mock.timers.tick(1_000);
  await turn();
  assert.deepEqual({ pings, unresponsive }, { pings: 1, unresponsive: 1 }, 'stopped itself after reporting');
  hanging.stop();

  let stoppedPings = 0;
  const stopped = createHeartbeat({ ping: () => { stoppedPings++; return never(); }, intervalMs: 10, timeoutMs: 50, onUnresponsive: () => { unresponsive++; } });
  t.mock.timers.tick(10);
  await turn();
  stopped.stop(); // the worker was stopped while a ping was in flight
  t.mock.timers.tick(1_000);
  await turn();
  assert.deepEqual({ stoppedPings, unresponsive }, { stoppedPings: 1, unresponsive: 1 });
});

// ---- idle tracker ----

test('an idle worker is reported after the idle timeout (real timers)', async () => {
  const idle = signal();
  const createdAt = performance.now();
  createIdleTracker({ idleTimeoutMs: 30, onIdle: () => idle.resolve() });
  await idle.promise;
  assert.ok(performance.now() - createdAt >= 29);
});

test('activity restarts the idle clock; onIdle fires once per quiet period', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let idle = 0;
  const tracker = createIdleTracker({ idleTimeoutMs: 100, onIdle: () => { idle++; } });
  t.mock.timers.tick(90);
  tracker.touch();
  t.mock.timers.tick(90);
  assert.equal(idle, 0, 'touched 90 ms ago');
  t.mock.timers.tick(10);
  assert.equal(idle, 1);
  t.mock.timers.tick(1_000);
  assert.equal(idle, 1, 'once per quiet period');
  tracker.touch();
  t.mock.timers.tick(100);
  assert.equal(idle, 2, 'a new period after new activity');
});

test('open holds (streams, calls in flight) keep a worker from idling', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let idle = 0;
  const tracker = createIdleTracker({ idleTimeoutMs: 100, onIdle: () => { idle++; } });
  tracker.hold();
  tracker.hold();
  t.mock.timers.tick(500);
  tracker.release();
  t.mock.timers.tick(500);
  assert.equal(idle, 0, 'one stream still open');
  assert.equal(tracker.holds, 1);
  tracker.touch();
  t.mock.timers.tick(500);
  assert.equal(idle, 0, 'touch does not override a hold');
  tracker.release();
  t.mock.timers.tick(99);
  assert.equal(idle, 0, 'the clock restarts when the last hold ends');
  t.mock.timers.tick(1);
  assert.equal(idle, 1);
  tracker.release();
  tracker.release();
  assert.equal(tracker.holds, 0, 'extra releases are ignored');
  tracker.hold();
  t.mock.timers.tick(500);
  assert.equal(idle, 1, 'a hold after extra releases still holds');
});

test('keep-alive (onStartup plugins) never idles; turning it off starts the clock', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let idle = 0;
  const tracker = createIdleTracker({ idleTimeoutMs: 100, onIdle: () => { idle++; }, keepAlive: true });
  t.mock.timers.tick(10_000);
  assert.equal(idle, 0);
  tracker.setKeepAlive(false);
  t.mock.timers.tick(100);
  assert.equal(idle, 1);
  tracker.touch();
  tracker.setKeepAlive(true);
  t.mock.timers.tick(10_000);
  assert.equal(idle, 1);
});

test('a stopped tracker never reports', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let idle = 0;
  const tracker = createIdleTracker({ idleTimeoutMs: 100, onIdle: () => { idle++; } });
  tracker.stop();
  tracker.touch();
  tracker.release();
  t.mock.timers.tick(10_000);
  assert.equal(idle, 0);
});

// ---- health poller ----

test('health is checked at once and reported as the plugin says', async (t) => {
  const first = signal<HealthResult>();
  const poller = createHealthPoller({ poll: async () => ({ status: 'degraded', message: 'slow API' }), intervalMs: 60_000, onResult: first.resolve });
  t.after(() => poller.stop());
  assert.deepEqual(await first.promise, { status: 'degraded', message: 'slow API' });
  assert.deepEqual(poller.last, { status: 'degraded', message: 'slow API' });
});

test('a failing, malformed or silent health check is reported as error, never thrown', async (t) => {
  const cases: Array<[() => Promise<HealthResult>, RegExp]> = [
    [async () => { throw new Error('db down'); }, /^Health check failed: db down$/],
    [async () => ({ status: 'fine' }) as unknown as HealthResult, /invalid result/],
    [async () => null as unknown as HealthResult, /invalid result/],
    [() => { throw new Error('sync throw'); }, /sync throw/],
    [never, /did not answer within 20 ms/],
  ];
  for (const [poll, message] of cases) {
    const result = signal<HealthResult>();
    const poller = createHealthPoller({ poll, intervalMs: 60_000, timeoutMs: 20, onResult: result.resolve });
    t.after(() => poller.stop());
    const r = await result.promise;
    assert.equal(r.status, 'error');
    assert.match(r.message ?? '', message);
  }
});

test('checks run one after another, intervalMs apart, until stopped', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let polls = 0;
  const results: string[] = [];
  const poller = createHealthPoller({ poll: async () => { polls++; return { status: 'ok' }; }, intervalMs: 1_000, onResult: (r) => results.push(r.status) });
  await turn();
  assert.equal(polls, 1, 'first check at once');
  t.mock.timers.tick(999);
  await turn();
  assert.equal(polls, 1);
  t.mock.timers.tick(1);
  await turn();
  assert.equal(polls, 2);
  assert.deepEqual(await poller.pollNow(), { status: 'ok' });
  assert.equal(polls, 3);
  poller.stop();
  t.mock.timers.tick(10_000);
  await turn();
  assert.equal(polls, 3);
  assert.deepEqual(results, ['ok', 'ok', 'ok']);
});

test('a result arriving after stop() is dropped', async () => {
  const answer = signal<HealthResult>();
  const asked = signal();
  const results: HealthResult[] = [];
  const poller = createHealthPoller({ poll: () => { asked.resolve(); return answer.promise; }, onResult: (r) => results.push(r) });
  await asked.promise;
  poller.stop();
  answer.resolve({ status: 'ok' });
  await turn();
  assert.deepEqual(results, []);
  assert.equal(poller.last, undefined);
});
