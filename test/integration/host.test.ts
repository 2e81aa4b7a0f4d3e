import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive, waitForPidGone } from '../support/plugin-folders.ts';
import { createTestProfile, startTestHost } from '../support/test-host.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const BUNDLED = join(import.meta.dirname, '../../plugins');

test('the bundled hello plugin serves data and counts in state that survives a host restart', async (t) => {
  const profile = createTestProfile(t);
  let host = await profile.start({ bundledPluginsDir: BUNDLED });
  const hello = createPluginViews(host).summary('plinth-hello');
  assert.equal(hello.state, 'ready');
  assert.equal(hello.source, 'bundled');
  assert.ok(createPluginViews(host).slots('dashboardWidget').some((s) => s.pluginId === 'plinth-hello'));

  const first = await host.ui.data('plinth-hello', 'greeting', null) as { message: string; count: number };
  assert.match(first.message, /Hello from the plinth-hello worker/);
  assert.equal(first.count, 0);
  await host.ui.action('plinth-hello', 'increment', null);
  await host.ui.action('plinth-hello', 'increment', null);
  await host.stop();

  host = await profile.start({ bundledPluginsDir: BUNDLED });
  const after = await host.ui.data('plinth-hello', 'greeting', null) as { count: number };
  assert.equal(after.count, 2);
});

test('disabling stops the worker process at once and removes the slots; enabling brings them back', async (t) => {
  const host = await startTestHost(t, { bundledPluginsDir: BUNDLED });
  await host.ui.data('plinth-hello', 'greeting', null);
  const pid = host.supervisor.runtime('plinth-hello').pid;
  assert.ok(pid && pidAlive(pid), 'worker running after first data call');

  await host.management.setEnabled('plinth-hello', false);

  const disabled = createPluginViews(host).summary('plinth-hello');
  assert.equal(disabled.state, 'disabled');
  await waitForPidGone(pid);
  assert.deepEqual(createPluginViews(host).slots('dashboardWidget').filter((s) => s.pluginId === 'plinth-hello'), []);
  await assert.rejects(host.ui.data('plinth-hello', 'greeting', null), { code: 'NOT_READY' });

  await host.management.enable('plinth-hello', { approveCapabilities: true });

  const enabled = createPluginViews(host).summary('plinth-hello');
  assert.equal(enabled.state, 'ready');
  assert.equal(createPluginViews(host).slots('dashboardWidget').filter((s) => s.pluginId === 'plinth-hello').length, 1);
  await host.ui.data('plinth-hello', 'greeting', null);
  const newPid = host.supervisor.runtime('plinth-hello').pid;
  assert.ok(newPid && newPid !== pid && pidAlive(newPid));
});

test('a broken manifest is listed with its error while other plugins load', async (t) => {
  const host = await startTestHost(t, {
    bundledPluginsDir: BUNDLED,
    plugins: [{ name: 'broken-json', rawManifest: '{ "name": "broken-json", ' }, { name: 'bad-capability', capabilities: ['tasks.readall'] }],
    enablePlugins: false,
  });
  const list = createPluginViews(host).summaries();
  const broken = list.find((p) => p.path.endsWith('broken-json'));
  const badCap = list.find((p) => p.id === 'bad-capability');
  assert.equal(broken?.state, 'error');
  assert.match(broken?.error ?? '', /package\.json/);
  assert.equal(badCap?.state, 'error');
  assert.match(badCap?.error ?? '', /tasks\.readall/);
  assert.deepEqual(await host.ui.data('plinth-hello', 'greeting', null), { message: 'Hello from the plinth-hello worker', count: 0 });
});

test('a worker that throws in setup puts its plugin in error with the thrown message', async (t) => {
  const host = await startTestHost(t, {
    plugins: [{
      name: 'setup-throws',
      worker: `import { definePlugin } from '@plinth/sdk';
        export default definePlugin({ async setup() { throw new Error('cannot reach the moon'); } });`,
    }],
  });
  await assert.rejects(host.ui.data('setup-throws', 'anything', null), /cannot reach the moon/);
  const summary = createPluginViews(host).summary('setup-throws');
  assert.equal(summary.state, 'error');
  assert.match(summary.error ?? '', /cannot reach the moon/);
  assert.equal(summary.pid, undefined);
});

test('a worker call without the needed capability is denied by the host with CAPABILITY_DENIED', async (t) => {
  const host = await startTestHost(t, {
    plugins: [{
      name: 'no-state-cap',
      worker: `import { definePlugin } from '@plinth/sdk';
        export default definePlugin({ async setup(ctx) {
          ctx.data.register('peek', async () => {
            try { await ctx.state.get({ scopeKind: 'instance', stateKey: 'x' }); return 'allowed'; }
            catch (e) { return { code: e.code, message: e.message }; }
          });
        } });`,
    }],
  });
  const result = await host.ui.data('no-state-cap', 'peek', null) as { code: string; message: string };
  assert.equal(result.code, 'CAPABILITY_DENIED');
  assert.match(result.message, /plugin\.state\.read/);
});

test('a start that fails while building its parts says why and leaves the profile database closed, so a later start works', async (t) => {
  const profile = createTestProfile(t);
  const key = join(profile.userDataDir, 'secrets.key');
  mkdirSync(key); // the secrets' key file cannot be read: it is a folder
  const openOnDatabase = () => readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(profile.userDataDir, 'plinth.db'));
    } catch {
      return false;
    }
  }).length;
  await assert.rejects(profile.start(), /secrets\.key|EISDIR|directory/i);
  assert.equal(openOnDatabase(), 0, 'no file handle on the database is left open');
  rmSync(key, { recursive: true });
  const host = await profile.start();
  assert.ok(openOnDatabase() > 0, 'the started host holds the database');
  await host.stop();
});
