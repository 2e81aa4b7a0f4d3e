/**
 * Events through the real host (CONTRACT §3, §5, §6): real plugin folders, real worker
 * processes, the real SQLite workspace. Each test waits on a signal from a worker (a data
 * handler that resolves once the expected events have arrived), never on a timer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Host } from '../../main/host/host.ts';
import type { EventEnvelope } from '../../sdk/protocol/entities.ts';
import type { PluginSpec } from '../support/plugin-folders.ts';
import { createTestProfile, type TestProfile } from '../support/test-host.ts';

/** A missing event fails the waiting data call after this (ms) instead of the 30 s default. */
const CALL_TIMEOUT_MS = 10_000;
const USER = { user: true } as const;
/** The keys of a core event envelope (CONTRACT §3). */
const CORE_ENVELOPE_KEYS = ['entityId', 'entityType', 'eventId', 'name', 'occurredAt', 'payload', 'projectId'];
const EVENT_CAPS = ['events.subscribe', 'tasks.read', 'projects.read', 'comments.read'];

/**
 * Worker source that records the events of one subscription made in setup (`filter` optional;
 * no subscription when `pattern` is null).
 * Data `received` ({ count }) resolves with the recorded envelopes once at least `count`
 * arrived; action `emit` ({ name, payload }) emits a plugin event.
 */
function recorderWorker(pattern: string | null, filter?: { projectId: string }): string {
  const on = filter ? `${JSON.stringify(pattern)}, ${JSON.stringify(filter)}` : JSON.stringify(pattern);
  return `import { definePlugin } from '@plinth/sdk';
    const received = [];
    let waiters = [];
    export default definePlugin({ async setup(ctx) {
      if (${pattern !== null}) ctx.events.on(${on}, async (event) => {
        received.push(event);
        waiters = waiters.filter((w) => (received.length >= w.count ? (w.resolve(received), false) : true));
      });
      ctx.data.register('received', async ({ count }) =>
        received.length >= count ? received : new Promise((resolve) => waiters.push({ count, resolve })));
      ctx.actions.register('emit', async ({ name, payload }) => { await ctx.events.emit(name, payload); return null; });
    } });`;
}

/** Writes `specs` into the profile's plugin root, starts a host on it and enables them. */
function startHost(profile: TestProfile, specs: PluginSpec[]): Promise<Host> {
  return profile.start({ plugins: specs, callTimeoutMs: CALL_TIMEOUT_MS });
}

const received = (host: Host, pluginId: string, count: number) =>
  host.ui.data(pluginId, 'received', { count }) as Promise<unknown> as Promise<EventEnvelope[]>;

/** Resolves when the supervisor reports `pluginId` running; rejects if that has not happened within {@link CALL_TIMEOUT_MS}. */
function whenRunning(host: Host, pluginId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${pluginId} was not started within ${CALL_TIMEOUT_MS} ms`));
    }, CALL_TIMEOUT_MS);
    const off = host.supervisor.onChange((id) => {
      if (id !== pluginId || host.supervisor.runtime(id).state !== 'running') return;
      off();
      clearTimeout(timer);
      resolve();
    });
  });
}

function assertIsoUtc(value: string): void {
  assert.equal(new Date(value).toISOString(), value, `${value} is an ISO 8601 UTC time`);
}

test('a task.* subscription with a projectId filter gets only that project\'s task events, as CONTRACT §3 envelopes', async (t) => {
  const profile = createTestProfile(t);
  // The filter names a project id, so the projects exist before the plugin folder is written.
  const first = await startHost(profile, []);
  const mine = first.services.workspace.projects.create(USER, { name: 'Mine' });
  const other = first.services.workspace.projects.create(USER, { name: 'Other' });
  await first.stop();

  const host = await startHost(profile, [
    { name: 'filtered', capabilities: EVENT_CAPS, worker: recorderWorker('task.*', { projectId: mine.id }) },
  ]);
  assert.deepEqual(await received(host, 'filtered', 0), [], 'the worker is running and has seen nothing yet');
  const ws = host.services.workspace;
  ws.tasks.create(USER, { projectId: other.id, title: 'not mine' });
  const task = ws.tasks.create(USER, { projectId: mine.id, title: 'mine' });
  ws.projects.update(USER, mine.id, { description: 'a project event, not a task event' });
  ws.comments.create(USER, { taskId: task.id, body: 'a comment event, not a task event' });
  const updated = ws.tasks.update(USER, task.id, { status: 'done' });
  ws.tasks.create(USER, { projectId: other.id, title: 'not mine either' });
  ws.tasks.delete(USER, task.id);

  // One subscription's events arrive in order, so anything wrongly let through before the
  // delete would be among the first three.
  const events = await received(host, 'filtered', 3);
  assert.deepEqual(events.map((e) => e.name), ['task.created', 'task.updated', 'task.deleted']);
  for (const event of events) {
    assert.deepEqual(Object.keys(event).sort(), CORE_ENVELOPE_KEYS);
    assert.equal(event.entityType, 'task');
    assert.equal(event.entityId, task.id);
    assert.equal(event.projectId, mine.id);
    assert.equal(typeof event.eventId, 'string');
    assertIsoUtc(event.occurredAt);
  }
  assert.equal(new Set(events.map((e) => e.eventId)).size, 3, 'every event has its own eventId');
  assert.deepEqual(events[0]!.payload, task);
  assert.deepEqual(events[1]!.payload, updated);
  assert.deepEqual(events[2]!.payload, { id: task.id });
  assert.equal(events[1]!.occurredAt, updated.updatedAt);
});

test('a plugin event reaches another plugin as plugin.<pluginId>.<name>', async (t) => {
  const host = await startHost(createTestProfile(t), [
    { name: 'emitter', capabilities: ['events.emit'], worker: recorderWorker(null) },
    { name: 'listener', capabilities: ['events.subscribe'], worker: recorderWorker('plugin.emitter.*') },
  ]);
  await received(host, 'listener', 0);
  await host.ui.action('emitter', 'emit', { name: 'sync-done', payload: { n: 1 } });
  const [event, ...rest] = await received(host, 'listener', 1);
  assert.deepEqual(rest, []);
  assert.ok(event);
  assert.deepEqual(
    { name: event.name, entityType: event.entityType, entityId: event.entityId, payload: event.payload },
    { name: 'plugin.emitter.sync-done', entityType: 'plugin', entityId: 'emitter', payload: { n: 1 } },
  );
  assert.equal('projectId' in event, false, 'plugin events carry no projectId');
  assertIsoUtc(event.occurredAt);
});

test('onEvent:task.created starts a stopped worker, which then gets the event; a plugin without it, or without tasks.read, stays stopped', async (t) => {
  const host = await startHost(createTestProfile(t), [
    { name: 'lazy', capabilities: EVENT_CAPS, activationEvents: ['onEvent:task.created'], worker: recorderWorker('task.created') },
    { name: 'sleeper', capabilities: EVENT_CAPS, worker: recorderWorker('task.created') },
    // May not see task events (no tasks.read), so the event must not wake it either.
    { name: 'lazy-no-read', capabilities: ['events.subscribe'], activationEvents: ['onEvent:task.created'], worker: recorderWorker('task.created') },
  ]);
  assert.equal(host.supervisor.runtime('lazy').state, 'stopped');
  assert.equal(host.supervisor.runtime('sleeper').state, 'stopped');

  const running = whenRunning(host, 'lazy');
  const project = host.services.workspace.projects.create(USER, { name: 'P' });
  assert.equal(host.supervisor.runtime('lazy').state, 'stopped', 'project.created does not match onEvent:task.created');
  const first = host.services.workspace.tasks.create(USER, { projectId: project.id, title: 'wake up' });
  // A second event while the worker is still starting must not be lost either.
  const second = host.services.workspace.tasks.create(USER, { projectId: project.id, title: 'and this' });
  await running;

  const events = await received(host, 'lazy', 2);
  assert.deepEqual(events.map((e) => e.entityId).sort(), [first.id, second.id].sort());
  assert.deepEqual(events.map((e) => e.name), ['task.created', 'task.created']);
  for (const id of ['sleeper', 'lazy-no-read']) {
    assert.equal(host.supervisor.runtime(id).state, 'stopped', `${id} was not started`);
    assert.equal(host.supervisor.runtime(id).pid, undefined);
  }
});

test('a subscriber whose handler never returns does not delay another plugin\'s deliveries', async (t) => {
  const stuck = `import { definePlugin } from '@plinth/sdk';
    let entered = 0;
    let waiters = [];
    export default definePlugin({ async setup(ctx) {
      ctx.events.on('task.created', () => {
        entered += 1;
        waiters = waiters.filter((w) => (entered >= w.count ? (w.resolve(entered), false) : true));
        return new Promise(() => {});
      });
      ctx.data.register('entered', async ({ count }) => entered >= count ? entered : new Promise((resolve) => waiters.push({ count, resolve })));
    } });`;
  // The stuck plugin subscribes first, so a shared queue would put the fast one behind it.
  const host = await startHost(createTestProfile(t), [
    { name: 'stuck', capabilities: EVENT_CAPS, worker: stuck },
    { name: 'fast', capabilities: EVENT_CAPS, worker: recorderWorker('task.created') },
  ]);
  await host.ui.data('stuck', 'entered', { count: 0 });
  await received(host, 'fast', 0);

  const ws = host.services.workspace;
  const project = ws.projects.create(USER, { name: 'P' });
  const tasks = [1, 2, 3].map((n) => ws.tasks.create(USER, { projectId: project.id, title: `task ${n}` }));
  const events = await received(host, 'fast', 3);
  assert.deepEqual(events.map((e) => e.entityId), tasks.map((task) => task.id));
  assert.equal(await host.ui.data('stuck', 'entered', { count: 1 }), 1, 'the stuck handler got the first event and holds it');
  // The other two wait behind it, in order, in the stuck plugin's own delivery (one batch).
  const stuckStats = host.services.bus.stats('stuck');
  assert.equal(stuckStats.delivered + stuckStats.failed, 0, 'nothing of the stuck plugin counts as handled');
  assert.equal(await host.ui.data('stuck', 'entered', { count: 1 }), 1, 'the later events did not overtake the held one');
});
