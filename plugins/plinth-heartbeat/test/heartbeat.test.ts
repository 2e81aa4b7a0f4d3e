// The Heartbeat example through the public test harness (@plinth/sdk/testing).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));
const LAST_BEAT = { scopeKind: 'instance', stateKey: 'last-beat' } as const;

interface Beat { at: string; runId: string; trigger: string; scheduledAt: string }

/** A harness for this plugin; `withoutCapabilities` runs it as if the user had not approved those. */
async function heartbeat(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('before any beat, data "last" is null (a fresh install)', async (t) => {
  const harness = await heartbeat(t);
  assert.equal(await harness.data('last'), null);
});

test('each run of the beat job records its time and run id in instance state', async (t) => {
  const harness = await heartbeat(t);
  const before = Date.now();
  const first = await harness.runJob('beat');
  assert.equal(first.status, 'succeeded');
  const beat = harness.state.get(LAST_BEAT) as unknown as Beat;
  assert.equal(beat.runId, first.runId);
  assert.equal(beat.trigger, 'manual');
  assert.ok(Date.parse(beat.at) >= before - 1 && Date.parse(beat.at) <= Date.now(), `${beat.at} is the run time`);
  assert.deepEqual(await harness.data('last'), beat);

  const second = await harness.runJob('beat');
  assert.notEqual(second.runId, first.runId);
  assert.equal((await harness.data<Beat>('last')).runId, second.runId, 'the newest beat replaces the previous one');
});

test('the manifest schedules the job every five minutes', async (t) => {
  const harness = await heartbeat(t);
  assert.deepEqual(harness.manifest.plinth.jobs, [{ jobKey: 'beat', displayName: 'Heartbeat', schedule: '*/5 * * * *' }]);
  await assert.rejects(harness.runJob('beats'), { code: 'NOT_FOUND' });
});

test('without plugin.state.write the beat fails with the capability named, and nothing is stored', async (t) => {
  const harness = await heartbeat(t, ['plugin.state.write']);
  const run = await harness.runJob('beat');
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /plugin\.state\.write/);
  assert.equal(harness.state.get(LAST_BEAT), null);
});

test('without plugin.state.read data "last" is denied with CAPABILITY_DENIED', async (t) => {
  const harness = await heartbeat(t, ['plugin.state.read']);
  await assert.rejects(harness.data('last'), { code: 'CAPABILITY_DENIED', message: /plugin\.state\.read/ });
});
