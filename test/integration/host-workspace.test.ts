/**
 * The user's workspace changes through the real host (the Workspace view's calls, CONTRACT §3):
 * each publishes its core event, a real plugin worker subscribed to `task.updated` receives it,
 * the activity log keeps plugin writes only, and bad input is refused naming the field.
 * Waits on signals (a worker data handler that resolves once the event is stored, a bus
 * subscription), never on timers.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Host } from '../../main/host/host.ts';
import type { EventEnvelope } from '../../sdk/protocol/entities.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { PluginSpec } from '../support/plugin-folders.ts';
import { startTestHost } from '../support/test-host.ts';

/** A missing event fails the waiting data call after this (ms) instead of the 30 s default. */
const CALL_TIMEOUT_MS = 10_000;
const WATCHER = 'task-watcher';

/**
 * A plugin that stores every `task.updated` it receives in its instance state (so what it got
 * survives in the host, as a real plugin would keep it). Data `received` ({ count }) answers the
 * stored list, read back from state, once at least `count` events are stored. Action
 * `create-task` writes a task as the plugin, for the activity log contrast.
 */
const WATCHER_SPEC: PluginSpec = {
  name: WATCHER,
  capabilities: ['tasks.read', 'tasks.write', 'events.subscribe', 'plugin.state.read', 'plugin.state.write'],
  // Not running until a user change wakes it, as a lazy plugin in the app would be.
  activationEvents: ['onEvent:task.updated'],
  worker: `import { definePlugin } from '@plinth/sdk';
    const KEY = { scopeKind: 'instance', stateKey: 'received' };
    let stored = 0;
    let waiters = [];
    export default definePlugin({ async setup(ctx) {
      ctx.events.on('task.updated', async (event) => {
        const list = (await ctx.state.get(KEY)) ?? [];
        await ctx.state.set(KEY, [...list, event]);
        stored = list.length + 1;
        waiters = waiters.filter((w) => (stored >= w.count ? (w.resolve(), false) : true));
      });
      ctx.data.register('received', async ({ count }) => {
        if (stored < count) await new Promise((resolve) => waiters.push({ count, resolve }));
        return (await ctx.state.get(KEY)) ?? [];
      });
      ctx.actions.register('create-task', async ({ projectId, title }) => ctx.tasks.create({ projectId, title }));
    } });`,
};

/** Starts a host on a fresh profile with `specs` enabled. */
function startHost(t: TestContext, specs: PluginSpec[]): Promise<Host> {
  return startTestHost(t, { plugins: specs, callTimeoutMs: CALL_TIMEOUT_MS });
}

/** Records every core event the host publishes, as an in-process bus subscriber. */
function observeCoreEvents(host: Host): { events: EventEnvelope[]; next(count: number): Promise<EventEnvelope[]> } {
  const events: EventEnvelope[] = [];
  let waiters: Array<{ count: number; resolve(): void }> = [];
  for (const pattern of ['project.*', 'task.*', 'comment.*']) {
    host.services.bus.subscribe({
      pluginId: 'test-observer', subscriptionId: pattern, pattern, canReceive: () => true,
      deliver: async (event) => {
        events.push(event);
        waiters = waiters.filter((w) => (events.length >= w.count ? (w.resolve(), false) : true));
      },
    });
  }
  return {
    events,
    /** Resolves with all events once at least `count` arrived. */
    next: (count) => (events.length >= count ? Promise.resolve(events) : new Promise<void>((resolve) => waiters.push({ count, resolve })).then(() => events)),
  };
}

/** Asserts that `run` throws a PlinthError with `code` whose message matches `pattern`. */
function assertRefused(run: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof PlinthError, `expected a PlinthError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a status the user changes reaches a plugin subscribed to task.updated, which stores it in its state', async (t) => {
  const host = await startHost(t, [WATCHER_SPEC]);
  assert.equal(host.supervisor.runtime(WATCHER).state, 'stopped', 'the plugin sleeps until an event it waits for');

  const project = host.ops.createProject({ name: '  Launch  ', description: 'Ship version 1' });
  assert.equal(project.name, 'Launch', 'names are trimmed');
  const task = host.ops.createTask({ projectId: project.id, title: 'Write docs', priority: 'high' });
  assert.deepEqual([task.status, task.priority, task.description], ['todo', 'high', '']);
  assert.equal(host.supervisor.runtime(WATCHER).state, 'stopped', 'task.created does not wake a plugin waiting for task.updated');

  const updated = host.ops.updateTask(task.id, { status: 'in_progress' });
  assert.equal(updated.status, 'in_progress');
  const stored = await host.ui.data(WATCHER, 'received', { count: 1 }) as unknown as EventEnvelope[];
  assert.equal(stored.length, 1);
  const [event] = stored;
  assert.equal(event?.name, 'task.updated');
  assert.equal(event?.entityType, 'task');
  assert.equal(event?.entityId, task.id);
  assert.equal(event?.projectId, project.id);
  assert.deepEqual(event?.payload, updated, 'the payload is the task after the user\'s change');
  assert.deepEqual(host.ops.workspaceOverview().projects[0]?.tasks.map((x) => x.status), ['in_progress'], 'the change is what the view reloads');
});

test('the user\'s writes publish their core events and stay out of the activity log; a plugin\'s write is logged', async (t) => {
  const host = await startHost(t, [WATCHER_SPEC]);
  const observer = observeCoreEvents(host);

  const project = host.ops.createProject({ name: 'Launch' });
  const renamed = host.ops.updateProject(project.id, { name: 'Launch v1', description: 'First release' });
  const task = host.ops.createTask({ projectId: project.id, title: 'Record the demo' });
  host.ops.updateTask(task.id, { description: 'Two minutes, no sound', priority: 'low' });
  const comment = host.ops.addComment(task.id, 'Script is in the shared folder');
  assert.equal(comment.author, 'user');
  const second = host.ops.addComment(task.id, 'Done the first take');
  assert.deepEqual(host.ops.listComments(task.id).map((c) => c.body), ['Script is in the shared folder', 'Done the first take'], 'thread order');
  host.ops.deleteComment(comment.id);
  assert.deepEqual(host.ops.listComments(task.id).map((c) => c.id), [second.id]);
  const doomed = host.ops.createTask({ projectId: project.id, title: 'Old idea' });
  host.ops.deleteTask(doomed.id);

  const expected = ['project.created', 'project.updated', 'task.created', 'task.updated', 'comment.created', 'comment.created',
    'comment.deleted', 'task.created', 'task.deleted'];
  const events = await observer.next(expected.length);
  // One subscription per entity type, each in order; across them deliveries interleave.
  assert.deepEqual(events.map((e) => e.name).sort(), expected.sort());
  assert.deepEqual(events.find((e) => e.name === 'project.updated')?.payload, renamed);
  assert.deepEqual(events.find((e) => e.name === 'comment.deleted')?.payload, { id: comment.id, taskId: task.id });
  assert.ok(events.every((e) => e.projectId === project.id), 'every event names the project');
  assert.deepEqual(host.ops.listActivity({}).items, [], 'user writes are not plugin activity');

  const byPlugin = await host.ui.action(WATCHER, 'create-task', { projectId: project.id, title: 'Synced issue' }) as { id: string };
  assert.deepEqual(host.ops.listActivity({}).items.map((a) => [a.pluginId, a.action, a.entityId]), [[WATCHER, 'task.created', byPlugin.id]]);

  // Deleting the project takes its tasks and comments with it, each deletion evented.
  const before = observer.events.length;
  host.ops.deleteProject(project.id);
  const after = await observer.next(before + 4);
  assert.deepEqual(after.slice(before).map((e) => e.name).sort(), ['comment.deleted', 'project.deleted', 'task.deleted', 'task.deleted']);
  assert.deepEqual(host.ops.workspaceOverview().projects, []);
  assertRefused(() => host.ops.listComments(task.id), 'NOT_FOUND', /no task with id/);
  assert.equal(host.ops.listActivity({}).items.length, 1, 'still only the plugin\'s write');
});

test('bad input from the user is refused with INVALID_INPUT naming the field, and unknown ids with NOT_FOUND', async (t) => {
  const host = await startHost(t, []);
  const project = host.ops.createProject({ name: 'Launch' });
  const task = host.ops.createTask({ projectId: project.id, title: 'Docs' });

  assertRefused(() => host.ops.createProject({ name: '   ' }), 'INVALID_INPUT', /name must not be empty/);
  assertRefused(() => host.ops.createProject({ name: 'x'.repeat(501) }), 'INVALID_INPUT', /name must be at most 500 characters/);
  assertRefused(() => host.ops.updateProject(project.id, { description: 'x'.repeat(100 * 1024 + 1) }), 'INVALID_INPUT', /description must be at most 102400 bytes/);
  assertRefused(() => host.ops.createTask({ projectId: project.id, title: '' }), 'INVALID_INPUT', /title must not be empty/);
  assertRefused(() => host.ops.createTask({ projectId: project.id, title: 'T', priority: 'urgent' as never }), 'INVALID_INPUT', /priority must be one of low, medium, high/);
  assertRefused(() => host.ops.updateTask(task.id, { status: 'finished' as never }), 'INVALID_INPUT', /status must be one of todo, in_progress, done, cancelled/);
  assertRefused(() => host.ops.addComment(task.id, '  \n '), 'INVALID_INPUT', /body must not be empty/);
  assertRefused(() => host.ops.createTask({ projectId: 'no-such-project', title: 'T' }), 'NOT_FOUND', /no-such-project/);
  assertRefused(() => host.ops.updateTask('no-such-task', { status: 'done' }), 'NOT_FOUND', /no-such-task/);
  assertRefused(() => host.ops.deleteComment('no-such-comment'), 'NOT_FOUND', /no-such-comment/);
  assertRefused(() => host.ops.listComments(''), 'INVALID_INPUT', /id must not be empty/);

  const [shown] = host.ops.workspaceOverview().projects;
  assert.deepEqual(shown?.tasks.map((x) => [x.title, x.status, x.priority]), [['Docs', 'todo', 'medium']], 'nothing changed');
});
