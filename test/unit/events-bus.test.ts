import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setImmediate as drainMicrotasks } from 'node:timers/promises';
import {
  createEventBus, MAX_EVENT_BATCH, MAX_PLUGIN_EVENT_PAYLOAD_BYTES, readCapabilityFor, type EventSubscriber,
} from '../../main/host/services/events/index.ts';
import type { Capability } from '../../sdk/protocol/capabilities.ts';
import type { EventEnvelope } from '../../sdk/protocol/entities.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';

/** Guards tests that would otherwise hang if a subscriber blocked another. */
const NO_HANG = { timeout: 5_000 };

function event(name: string, projectId?: string, n = 0): EventEnvelope {
  const entityType = name.split('.')[0]!;
  return {
    eventId: randomUUID(), name, occurredAt: new Date().toISOString(), entityType, entityId: `${entityType}-${n}`,
    ...(projectId ? { projectId } : {}), payload: { n },
  };
}

/** A deliver() that records events and lets a test await the n-th one. */
function collector() {
  const received: EventEnvelope[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    received,
    deliver: async (e: EventEnvelope) => {
      received.push(e);
      for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
    },
    until: (n: number) => new Promise<void>((resolve) => (received.length >= n ? resolve() : waiters.push({ n, resolve }))),
  };
}

function sub(pluginId: string, pattern: string, deliver: EventSubscriber['deliver'], extra: Partial<EventSubscriber> = {}): EventSubscriber {
  return { pluginId, subscriptionId: `${pattern}#${randomUUID()}`, pattern, canReceive: () => true, deliver, ...extra };
}

test('patterns match exact names and `.*` prefixes; a filter matches the projectId', async () => {
  const bus = createEventBus();
  const exact = collector();
  const wild = collector();
  const plugin = collector();
  const filtered = collector();
  bus.subscribe(sub('exact', 'task.created', exact.deliver));
  bus.subscribe(sub('wild', 'task.*', wild.deliver));
  bus.subscribe(sub('plugin', 'plugin.acme-x.*', plugin.deliver));
  bus.subscribe(sub('filtered', 'task.*', filtered.deliver, { filter: { projectId: 'p1' } }));

  const published = [
    event('task.created', 'p1'), event('task.updated', 'p2'), event('tasks.created', 'p1'), event('project.created', 'p1'),
    event('plugin.acme-x.synced'), event('plugin.acme-xy.synced'), event('task.deleted', 'p1'),
  ];
  for (const e of published) bus.publish(e);
  // Queues fill synchronously, so the counts are exact before any delivery runs.
  assert.deepEqual(['exact', 'wild', 'plugin', 'filtered'].map((id) => bus.stats(id).queued), [1, 3, 1, 2]);

  await Promise.all([exact.until(1), wild.until(3), plugin.until(1), filtered.until(2)]);
  const names = (c: ReturnType<typeof collector>) => c.received.map((e) => e.name);
  assert.deepEqual(names(exact), ['task.created']);
  assert.deepEqual(names(wild), ['task.created', 'task.updated', 'task.deleted']);
  assert.deepEqual(names(plugin), ['plugin.acme-x.synced']);
  assert.deepEqual(names(filtered), ['task.created', 'task.deleted']);
  assert.equal(wild.received[0], published[0], 'the envelope is delivered as published');
  assert.deepEqual(bus.stats('wild'), { subscriptions: 1, queued: 0, delivered: 3, failed: 0, dropped: 0 });
});

test('a plugin receives core events only for entities it may read (canReceive with readCapabilityFor)', async () => {
  const bus = createEventBus();
  const granted = new Set<Capability>(['tasks.read']);
  const canReceive = (e: EventEnvelope) => {
    const needed = readCapabilityFor(e.entityType);
    return needed === null || granted.has(needed);
  };
  const reader = collector();
  bus.subscribe(sub('reader', 'task.*', reader.deliver, { canReceive }));
  bus.subscribe(sub('reader', 'comment.*', reader.deliver, { canReceive }));
  bus.subscribe(sub('reader', 'plugin.other.*', reader.deliver, { canReceive }));
  const broken = collector();
  bus.subscribe(sub('broken', 'task.*', broken.deliver, { canReceive: () => { throw new Error('bug'); } }));

  bus.publish(event('comment.created', 'p1'));
  bus.publish(event('task.created', 'p1'));
  bus.emitPluginEvent('other', 'ping', {});
  assert.equal(bus.stats('broken').queued, 0, 'a throwing canReceive counts as "no"');
  await reader.until(2);
  assert.deepEqual(reader.received.map((e) => e.name), ['task.created', 'plugin.other.ping']);
});

test('a subscriber that never finishes does not delay another; a throwing one does not break it', NO_HANG, async () => {
  const errors: string[] = [];
  const bus = createEventBus({ queueLimit: 10, onDeliveryError: (error, e, s) => errors.push(`${s.pluginId}:${e.name}:${(error as Error).message}`) });
  let hungCalls = 0;
  bus.subscribe(sub('hung', 'task.*', () => { hungCalls += 1; return new Promise<void>(() => {}); }));
  bus.subscribe(sub('thrower', 'task.*', async () => { throw new Error('boom'); }));
  const healthy = collector();
  bus.subscribe(sub('healthy', 'task.*', healthy.deliver));

  // Each event reaches the healthy subscriber while the hung one still holds its first.
  for (let i = 0; i < 100; i += 1) {
    bus.publish(event('task.updated', 'p1', i));
    await healthy.until(i + 1);
  }
  assert.deepEqual(healthy.received.map((e) => (e.payload as { n: number }).n), Array.from({ length: 100 }, (_, i) => i));
  assert.equal(hungCalls, 1, 'the hung subscriber got one event and is still waiting on it');
  assert.deepEqual(bus.stats('hung'), { subscriptions: 1, queued: 10, delivered: 0, failed: 0, dropped: 89 });
  await drainMicrotasks(); // the thrower's rejections settle right after its calls
  assert.equal(bus.stats('thrower').failed, 100);
  assert.equal(errors.length, 100);
  assert.match(errors[0] ?? '', /^thrower:task\.updated:boom$/);
});

test('each subscriber gets one event at a time, in order', NO_HANG, async () => {
  const bus = createEventBus();
  const gates: Array<() => void> = [];
  const started: number[] = [];
  let notify = () => {};
  bus.subscribe(sub('slow', 'task.*', (e) => new Promise<void>((resolve) => {
    started.push((e.payload as { n: number }).n);
    gates.push(resolve);
    notify();
  })));
  const nextStart = () => new Promise<void>((resolve) => { notify = resolve; });

  let waiting = nextStart();
  for (let i = 0; i < 3; i += 1) bus.publish(event('task.updated', 'p1', i));
  await waiting;
  assert.deepEqual(started, [0], 'the second event waits for the first delivery to settle');
  waiting = nextStart();
  gates[0]!();
  await waiting;
  assert.deepEqual(started, [0, 1]);
  waiting = nextStart();
  gates[1]!();
  await waiting;
  assert.deepEqual(started, [0, 1, 2]);
  gates[2]!();
});

test('a full queue drops the oldest waiting events and counts them', NO_HANG, async () => {
  const bus = createEventBus({ queueLimit: 3 });
  let release = () => {};
  let inFlight = () => {};
  const firstStarted = new Promise<void>((resolve) => { inFlight = resolve; });
  const received = collector();
  bus.subscribe(sub('slow', 'task.*', async (e) => {
    if ((e.payload as { n: number }).n === 0) {
      inFlight();
      await new Promise<void>((resolve) => { release = resolve; });
    }
    await received.deliver(e);
  }));

  bus.publish(event('task.updated', 'p1', 0));
  await firstStarted;
  for (let i = 1; i <= 10; i += 1) bus.publish(event('task.updated', 'p1', i));
  assert.deepEqual(bus.stats('slow'), { subscriptions: 1, queued: 3, delivered: 0, failed: 0, dropped: 7 });
  release();
  await received.until(4);
  await drainMicrotasks(); // counters are updated once deliver() settles, just after the collector saw the event
  assert.deepEqual(received.received.map((e) => (e.payload as { n: number }).n), [0, 8, 9, 10]);
  assert.deepEqual(bus.stats('slow'), { subscriptions: 1, queued: 0, delivered: 4, failed: 0, dropped: 7 });
});

test('unsubscribing stops delivery and discards waiting events; the same id replaces; unsubscribeAll removes all', NO_HANG, async () => {
  const bus = createEventBus();
  const first = collector();
  const stop = bus.subscribe({ ...sub('p', 'task.*', first.deliver), subscriptionId: 's1' });
  bus.publish(event('task.created', 'p1'));
  stop();
  stop();
  await Promise.resolve();
  assert.equal(first.received.length, 0);
  assert.deepEqual(bus.stats('p'), { subscriptions: 0, queued: 0, delivered: 0, failed: 0, dropped: 0 });

  const replaced = collector();
  const replacement = collector();
  const stopReplaced = bus.subscribe({ ...sub('p', 'task.*', replaced.deliver), subscriptionId: 's2' });
  bus.subscribe({ ...sub('p', 'project.*', replacement.deliver), subscriptionId: 's2' });
  stopReplaced(); // must not remove the replacement
  bus.subscribe({ ...sub('p', 'comment.*', collector().deliver), subscriptionId: 's3' });
  assert.equal(bus.stats('p').subscriptions, 2);
  bus.publish(event('task.created', 'p1'));
  bus.publish(event('project.created', 'p1'));
  await replacement.until(1);
  await drainMicrotasks(); // let the counter follow the settled delivery
  assert.deepEqual(replacement.received.map((e) => e.name), ['project.created']);
  assert.equal(replaced.received.length, 0);

  assert.equal(bus.unsubscribe('p', 's3'), true);
  assert.equal(bus.unsubscribe('p', 's3'), false);
  bus.unsubscribeAll('p');
  assert.equal(bus.stats('p').subscriptions, 0);
  assert.equal(bus.stats('p').delivered, 1, 'counters outlive subscriptions (a restarted worker keeps its history)');
});

test('emitPluginEvent publishes plugin.<id>.<name> with a detached JSON payload', NO_HANG, async () => {
  const bus = createEventBus({ now: () => new Date('2030-01-01T00:00:00.000Z') });
  const listener = collector();
  bus.subscribe(sub('listener', 'plugin.@acme/sync.*', listener.deliver));
  const payload = { count: 2, at: new Date('2030-01-02T00:00:00.000Z') };
  const envelope = bus.emitPluginEvent('@acme/sync', 'sync-done', payload as never);
  payload.count = 99;
  await listener.until(1);
  assert.deepEqual(listener.received[0], {
    eventId: envelope.eventId, name: 'plugin.@acme/sync.sync-done', occurredAt: '2030-01-01T00:00:00.000Z',
    entityType: 'plugin', entityId: '@acme/sync', payload: { count: 2, at: '2030-01-02T00:00:00.000Z' },
  });
  assert.equal(bus.emitPluginEvent('@acme/sync', 'no-payload', undefined as never).payload, null);
});

test('bad plugin event names, payloads, patterns and filters are refused with INVALID_INPUT', () => {
  const bus = createEventBus();
  const invalid = (call: () => unknown, message: RegExp) =>
    assert.throws(call, (error: unknown) => hasCode(error, 'INVALID_INPUT') && message.test((error as Error).message));
  invalid(() => bus.emitPluginEvent('p', '', {}), /non-empty/);
  invalid(() => bus.emitPluginEvent('p', 'Sync', {}), /"Sync" may use only a-z, 0-9/);
  invalid(() => bus.emitPluginEvent('p', '.sync', {}), /must start with a letter or digit/);
  invalid(() => bus.emitPluginEvent('p', 'a'.repeat(101), {}), /101 characters; at most 100/);
  invalid(() => bus.emitPluginEvent('p', 42 as never, {}), /non-empty string/);
  invalid(() => bus.emitPluginEvent('p', 'big', { blob: 'x'.repeat(MAX_PLUGIN_EVENT_PAYLOAD_BYTES) }), /"big" is \d+ bytes as JSON; at most 262144/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  invalid(() => bus.emitPluginEvent('p', 'loop', cyclic as never), /Payload of event "loop" is not JSON/);
  invalid(() => bus.emitPluginEvent('p', 'fn', (() => 1) as never), /not a JSON value/);
  assert.equal(bus.emitPluginEvent('p', 'a'.repeat(100), {}).name, `plugin.p.${'a'.repeat(100)}`);

  const deliver = async () => {};
  for (const pattern of ['', '*', 'task.*.x', 'Task.created', 'task*', ' task.created']) {
    invalid(() => bus.subscribe(sub('p', pattern, deliver)), /pattern/);
  }
  invalid(() => bus.subscribe(sub('p', 'task.*', deliver, { filter: { project: 'x' } as never })), /unknown field "project"/);
  invalid(() => bus.subscribe(sub('p', 'task.*', deliver, { filter: { projectId: 3 } as never })), /projectId must be a non-empty string/);
  invalid(() => bus.subscribe({ ...sub('p', 'task.*', deliver), subscriptionId: '' }), /subscriptionId/);
  invalid(() => createEventBus({ queueLimit: 0 }), /queueLimit must be an integer/);
  assert.equal(bus.stats('p').subscriptions, 0);
});

test('deliverBatch gets the waiting events in order, in batches of at most MAX_EVENT_BATCH; per-event failures are counted and reported', NO_HANG, async () => {
  const reported: string[] = [];
  const bus = createEventBus({ onDeliveryError: (error, e) => reported.push(`${e.entityId}: ${(error as Error).message}`) });
  const batches: EventEnvelope[][] = [];
  let release!: () => void;
  const firstHeld = new Promise<void>((resolve) => (release = resolve));
  const done = Promise.withResolvers<void>();
  const total = MAX_EVENT_BATCH + 2 + 1;
  bus.subscribe(sub('p', 'task.*', async () => { throw new Error('deliver must not be used'); }, {
    deliverBatch: async (events) => {
      batches.push(events);
      if (batches.length === 1) await firstHeld;
      if (batches.flat().length === total) done.resolve();
      return events.map((e) => (e.entityId === 'task-5' ? new Error('handler threw') : undefined));
    },
  }));
  bus.publish(event('task.created', undefined, 0));
  await drainMicrotasks();
  for (let n = 1; n < total; n++) bus.publish(event('task.created', undefined, n));
  release();
  await done.promise;
  await drainMicrotasks();
  assert.deepEqual(batches.map((b) => b.length), [1, MAX_EVENT_BATCH, 2]);
  assert.deepEqual(batches.flat().map((e) => e.entityId), Array.from({ length: total }, (_, n) => `task-${n}`));
  assert.deepEqual(reported, ['task-5: handler threw']);
  assert.deepEqual({ ...bus.stats('p'), subscriptions: 0 }, { subscriptions: 0, queued: 0, delivered: total - 1, failed: 1, dropped: 0 });
});

test('a batch refused as too large is delivered again one event at a time; a rejected batch fails each of its events', NO_HANG, async () => {
  const bus = createEventBus();
  const single = collector();
  let calls = 0;
  bus.subscribe(sub('big', 'task.*', single.deliver, {
    deliverBatch: async () => { calls++; throw Object.assign(new Error('too large'), { code: 'PAYLOAD_TOO_LARGE' }); },
  }));
  bus.subscribe(sub('crashed', 'task.*', async () => undefined, {
    deliverBatch: async () => { throw new Error('worker crashed'); },
  }));
  bus.publish(event('task.created', undefined, 1));
  bus.publish(event('task.created', undefined, 2));
  await single.until(2);
  await drainMicrotasks();
  assert.equal(calls, 1);
  assert.deepEqual(single.received.map((e) => e.entityId), ['task-1', 'task-2']);
  assert.equal(bus.stats('big').delivered, 2);
  assert.equal(bus.stats('crashed').failed, 2);
});
