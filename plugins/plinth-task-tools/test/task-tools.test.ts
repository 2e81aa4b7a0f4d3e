// The Task tools example through the public test harness (@plinth/sdk/testing): tools are
// called as an agent would, params checked against the manifest's parametersSchema.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';
import type { Task } from '../../../sdk/index.ts';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A harness for this plugin; `withoutCapabilities` runs it as if the user had not approved those. */
async function taskTools(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('count-tasks in an empty workspace counts zero of every status', async (t) => {
  const harness = await taskTools(t);
  assert.deepEqual(await harness.tool('count-tasks', {}), {
    content: '0 todo, 0 in progress, 0 done, 0 cancelled',
    data: { todo: 0, in_progress: 0, done: 0, cancelled: 0, total: 0 },
  });
});

test('count-tasks counts by status, across projects or in one', async (t) => {
  const harness = await taskTools(t);
  const launch = await harness.seed.project({ name: 'Launch' });
  const other = await harness.seed.project({ name: 'Other' });
  for (const title of ['a', 'b', 'c']) await harness.seed.task({ projectId: launch.id, title });
  await harness.seed.task({ projectId: launch.id, title: 'd', status: 'in_progress' });
  await harness.seed.task({ projectId: other.id, title: 'e', status: 'done' });
  assert.equal((await harness.tool('count-tasks', { projectId: launch.id })).content, '3 todo, 1 in progress, 0 done, 0 cancelled');
  const all = await harness.tool('count-tasks');
  assert.equal(all.content, '3 todo, 1 in progress, 1 done, 0 cancelled');
  assert.deepEqual(all.data, { todo: 3, in_progress: 1, done: 1, cancelled: 0, total: 5 });
});

test('count-tasks pages through more tasks than one page holds', async (t) => {
  const harness = await taskTools(t);
  const project = await harness.seed.project({ name: 'Big' });
  for (let i = 0; i < 501; i++) harness.workspace.tasks.create({ user: true }, { projectId: project.id, title: `t${i}`, status: i % 2 ? 'done' : 'todo' });
  assert.deepEqual((await harness.tool('count-tasks')).data, { todo: 251, in_progress: 0, done: 250, cancelled: 0, total: 501 });
});

test('create-task creates a todo task and returns it', async (t) => {
  const harness = await taskTools(t);
  const project = await harness.seed.project({ name: 'Launch' });
  const result = await harness.tool('create-task', { projectId: project.id, title: 'Write the launch post', priority: 'high' });
  const task = result.data as unknown as Task;
  assert.equal(result.content, `Created task "Write the launch post" (${task.id}) with priority high`);
  assert.deepEqual(harness.workspace.tasks.get(task.id), task);
  assert.equal(task.status, 'todo');
  assert.equal((await harness.tool('create-task', { projectId: project.id, title: 'Default priority' })).content.endsWith('priority medium'), true);
  assert.deepEqual(harness.activity().map((entry) => entry.action), ['task.created', 'task.created']);
});

test('bad params never reach the plugin; an unknown project is a tool error the agent can read', async (t) => {
  const harness = await taskTools(t);
  const project = await harness.seed.project({ name: 'Launch' });
  await assert.rejects(harness.tool('create-task', { projectId: project.id }), { code: 'INVALID_INPUT', message: /title/ });
  await assert.rejects(harness.tool('create-task', { projectId: project.id, title: 'x', priority: 'urgent' }), { code: 'INVALID_INPUT', message: /priority/ });
  await assert.rejects(harness.tool('create-task', { projectId: project.id, title: '' }), { code: 'INVALID_INPUT' });
  await assert.rejects(harness.tool('count-tasks', { projectId: 7 }), { code: 'INVALID_INPUT', message: /projectId must be string/ });
  await assert.rejects(harness.tool('count-tasks', { status: 'done' }), { code: 'INVALID_INPUT', message: /additional properties/ });
  const unknown = await harness.tool('create-task', { projectId: 'no-such-project', title: 'Lost' });
  assert.equal(unknown.isError, true);
  assert.match(unknown.content, /no-such-project/);
  assert.equal(harness.workspace.tasks.list().items.length, 0);
});

test('without tasks.write create-task is denied with CAPABILITY_DENIED', async (t) => {
  const harness = await taskTools(t, ['tasks.write']);
  const project = await harness.seed.project({ name: 'Launch' });
  await assert.rejects(harness.tool('create-task', { projectId: project.id, title: 'Denied' }), { code: 'CAPABILITY_DENIED', message: /tasks\.write/ });
  assert.equal((await harness.tool('count-tasks')).content, '0 todo, 0 in progress, 0 done, 0 cancelled', 'reading still works');
});
