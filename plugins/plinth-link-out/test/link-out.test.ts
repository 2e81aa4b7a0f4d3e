// The Link out example through the public test harness (@plinth/sdk/testing).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

async function linkOut(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('a link is kept per task in task-scoped state and can be removed', async (t) => {
  const harness = await linkOut(t);
  assert.deepEqual(await harness.data('link', { taskId: 't1' }), { url: null });
  assert.deepEqual(await harness.action('setLink', { taskId: 't1', url: 'https://example.com/spec' }), { url: 'https://example.com/spec' });
  assert.equal(harness.state.get({ scopeKind: 'task', scopeId: 't1', stateKey: 'link' }), 'https://example.com/spec');
  assert.deepEqual(await harness.data('link', { taskId: 't2' }), { url: null }, 'another task has its own link');
  assert.deepEqual(await harness.action('setLink', { taskId: 't1', url: '' }), { url: null });
  assert.deepEqual(await harness.data('link', { taskId: 't1' }), { url: null });
});

test('only http(s) links are kept; bad input says what to write and keeps the old link', async (t) => {
  const harness = await linkOut(t);
  await harness.action('setLink', { taskId: 't1', url: 'https://example.com' });
  await assert.rejects(harness.action('setLink', { taskId: 't1', url: 'javascript:alert(1)' }), { code: 'INVALID_INPUT', message: /http and https/ });
  await assert.rejects(harness.action('setLink', { taskId: 't1', url: 'not a link' }), { code: 'INVALID_INPUT', message: /https:\/\// });
  await assert.rejects(harness.action('setLink', { url: 'https://example.com' }), { code: 'INVALID_INPUT', message: /taskId/ });
  assert.deepEqual(await harness.data('link', { taskId: 't1' }), { url: 'https://example.com/' });
});

test('without plugin.state.write a link cannot be saved', async (t) => {
  const harness = await linkOut(t, ['plugin.state.write']);
  await assert.rejects(harness.action('setLink', { taskId: 't1', url: 'https://example.com' }), { code: 'CAPABILITY_DENIED' });
});
