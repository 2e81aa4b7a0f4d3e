// The UI tour example through the public test harness (@plinth/sdk/testing).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

async function tour(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('openCount counts a project\'s tasks that are to do or in progress', async (t) => {
  const harness = await tour(t);
  const project = await harness.seed.project({ name: 'P' });
  const a = await harness.seed.task({ projectId: project.id, title: 'A' });
  const b = await harness.seed.task({ projectId: project.id, title: 'B' });
  await harness.seed.task({ projectId: project.id, title: 'C' });
  harness.workspace.tasks.update({ user: true }, a.id, { status: 'in_progress' });
  harness.workspace.tasks.update({ user: true }, b.id, { status: 'done' });
  assert.deepEqual(await harness.data('openCount', { projectId: project.id }), { open: 2 });
  await assert.rejects(harness.data('openCount', {}), { code: 'INVALID_INPUT' });
});

test('task changes, before and after a count was asked for, are handled without an error', async (t) => {
  const harness = await tour(t);
  const project = await harness.seed.project({ name: 'P' });
  await harness.seed.task({ projectId: project.id, title: 'Before any count' });
  assert.deepEqual(await harness.data('openCount', { projectId: project.id }), { open: 1 });
  const task = await harness.seed.task({ projectId: project.id, title: 'After a count' });
  harness.workspace.tasks.update({ user: true }, task.id, { status: 'done' });
  await harness.settled();
  assert.deepEqual(harness.logs.filter((l) => l.level === 'error').map((l) => l.message), [], 'the task.* handler announced each change on the open channel');
  assert.deepEqual(await harness.data('openCount', { projectId: project.id }), { open: 1 });
});

test('the settings page keeps a greeting; an empty one is refused and the old one kept', async (t) => {
  const harness = await tour(t);
  assert.deepEqual(await harness.data('settings'), { greeting: 'Welcome to the tour' });
  assert.deepEqual(await harness.action('saveSettings', { greeting: '  Hi  ' }), { greeting: 'Hi' });
  await assert.rejects(harness.action('saveSettings', { greeting: ' ' }), { code: 'INVALID_INPUT', message: /empty/ });
  assert.deepEqual(await harness.data('settings'), { greeting: 'Hi' });
});

test('markDone (a performAction launcher) sets the task of its context to done', async (t) => {
  const harness = await tour(t);
  const project = await harness.seed.project({ name: 'P' });
  const task = await harness.seed.task({ projectId: project.id, title: 'Ship' });
  assert.deepEqual(await harness.action('markDone', { entityType: 'task', entityId: task.id, projectId: project.id }), { title: 'Ship', status: 'done' });
  assert.equal(harness.workspace.tasks.get(task.id)?.status, 'done');
  await assert.rejects(harness.action('markDone', { entityType: 'project', entityId: project.id }), { code: 'INVALID_INPUT', message: /task/ });
});

test('without tasks.write markDone is refused and the task is unchanged', async (t) => {
  const harness = await tour(t, ['tasks.write']);
  const project = await harness.seed.project({ name: 'P' });
  const task = await harness.seed.task({ projectId: project.id, title: 'Ship' });
  await assert.rejects(harness.action('markDone', { entityType: 'task', entityId: task.id }), { code: 'CAPABILITY_DENIED' });
  assert.equal(harness.workspace.tasks.get(task.id)?.status, 'todo');
});
