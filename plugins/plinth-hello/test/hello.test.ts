// The Hello example through the public test harness (@plinth/sdk/testing).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));
const COUNTER = { scopeKind: 'instance', stateKey: 'count' } as const;

/** A harness for this plugin; `withoutCapabilities` runs it as if the user had not approved those. */
async function hello(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('a fresh install greets with a count of 0 and reports healthy', async (t) => {
  const harness = await hello(t);
  assert.deepEqual(await harness.data('greeting'), { message: 'Hello from the plinth-hello worker', count: 0 });
  assert.deepEqual(await harness.health(), { status: 'ok', message: 'ready' });
});

test('increment counts up in instance state, logs it, and the greeting shows the count', async (t) => {
  const harness = await hello(t);
  assert.deepEqual(await harness.action('increment'), { count: 1 });
  assert.deepEqual(await harness.action('increment'), { count: 2 });
  assert.equal(harness.state.get(COUNTER), 2);
  assert.equal((await harness.data<{ count: number }>('greeting')).count, 2);
  assert.deepEqual(harness.logs.filter((l) => l.source === 'logger').map((l) => [l.level, l.message, l.data]), [
    ['info', 'counter incremented', { count: 1 }],
    ['info', 'counter incremented', { count: 2 }],
  ]);
});

test('without plugin.state.write increment is denied with CAPABILITY_DENIED and the count stays', async (t) => {
  const harness = await hello(t, ['plugin.state.write']);
  await assert.rejects(harness.action('increment'), { code: 'CAPABILITY_DENIED', message: /plugin\.state\.write/ });
  assert.equal(harness.state.get(COUNTER), null);
  assert.equal((await harness.data<{ count: number }>('greeting')).count, 0, 'reading still works');
});
