// The Kanban overview example through the public test harness (@plinth/sdk/testing).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

async function kanban(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('counts every task by status, for the workspace and for one project', async (t) => {
  const harness = await kanban(t);
  assert.deepEqual(await harness.data('counts'), { todo: 0, in_progress: 0, done: 0, cancelled: 0, total: 0 });
  const launch = await harness.seed.project({ name: 'Launch' });
  const other = await harness.seed.project({ name: 'Other' });
  await harness.seed.task({ projectId: launch.id, title: 'A' });
  const b = await harness.seed.task({ projectId: launch.id, title: 'B' });
  await harness.seed.task({ projectId: other.id, title: 'C' });
  harness.workspace.tasks.update({ user: true }, b.id, { status: 'done' });
  assert.deepEqual(await harness.data('counts'), { todo: 2, in_progress: 0, done: 1, cancelled: 0, total: 3 });
  assert.deepEqual(await harness.data('counts', { projectId: launch.id }), { todo: 1, in_progress: 0, done: 1, cancelled: 0, total: 2 });
  assert.deepEqual(await harness.data('board'), [
    { id: launch.id, name: 'Launch', counts: { todo: 1, in_progress: 0, done: 1, cancelled: 0 } },
    { id: other.id, name: 'Other', counts: { todo: 1, in_progress: 0, done: 0, cancelled: 0 } },
  ]);
});

test('counts more tasks than one page holds', async (t) => {
  const harness = await kanban(t);
  const project = await harness.seed.project({ name: 'Big' });
  for (let i = 0; i < 520; i++) harness.workspace.tasks.create({ user: true }, { projectId: project.id, title: `T${i}` });
  assert.equal((await harness.data<{ total: number }>('counts')).total, 520);
});

test('without tasks.read the counts are refused with CAPABILITY_DENIED', async (t) => {
  const harness = await kanban(t, ['tasks.read']);
  await assert.rejects(harness.data('counts'), { code: 'CAPABILITY_DENIED', message: /tasks\.read/ });
});
