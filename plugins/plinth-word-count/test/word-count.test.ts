// The Word count example through the public test harness (@plinth/sdk/testing).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

async function wordCount(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('counts the words, characters and reading time of one comment', async (t) => {
  const harness = await wordCount(t);
  const project = await harness.seed.project({ name: 'P' });
  const task = await harness.seed.task({ projectId: project.id, title: 'T' });
  const comment = await harness.seed.comment({ taskId: task.id, body: '  Looks   good to me — ship it  ' });
  const short = await harness.seed.comment({ taskId: task.id, body: 'Ok' });
  assert.deepEqual(await harness.data('stats', { taskId: task.id, commentId: comment.id }), { words: 7, characters: 32, readingSeconds: 2 });
  assert.deepEqual(await harness.data('stats', { taskId: task.id, commentId: short.id }), { words: 1, characters: 2, readingSeconds: 1 });
});

test('an unknown comment is NOT_FOUND, missing ids INVALID_INPUT', async (t) => {
  const harness = await wordCount(t);
  const project = await harness.seed.project({ name: 'P' });
  const task = await harness.seed.task({ projectId: project.id, title: 'T' });
  await assert.rejects(harness.data('stats', { taskId: task.id, commentId: 'gone' }), { code: 'NOT_FOUND', message: /deleted/ });
  await assert.rejects(harness.data('stats', { taskId: task.id }), { code: 'INVALID_INPUT' });
});

test('without comments.read the statistics are refused', async (t) => {
  const harness = await wordCount(t, ['comments.read']);
  await assert.rejects(harness.data('stats', { taskId: 't', commentId: 'c' }), { code: 'CAPABILITY_DENIED', message: /comments\.read/ });
});
