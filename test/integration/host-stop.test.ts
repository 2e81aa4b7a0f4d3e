/**
 * Stopping the host while something is under way (the user quits the app, or presses Ctrl+C on
 * `plinth-plugin dev`/`run`, while the host starts, or a plugin is enabled, reloaded, configured,
 * installed or loaded):
 * stop() leaves no folder watcher and no worker process behind, so the Node process can exit,
 * and the operation under way settles instead of hanging.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHost, type Host } from '../../main/host/host.ts';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import { packPlugin } from '../../sdk/cli/commands/pack.ts';
import { createTempDir, waitForPidGone, writePlugin } from '../support/plugin-folders.ts';
import { createTestProfile } from '../support/test-host.ts';

const WORKER = `export default { async setup(ctx) { ctx.data.register('hello', async () => 'hi'); } };`;

/**
 * Open folder watchers of this process (chokidar watches with fs.watch: one FSEventWrap per
 * folder), counted once the event loop has passed its close phase, where libuv lets go of the
 * handles closed before.
 */
async function openWatchers(): Promise<number> {
  await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
  return process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
}

/** Every worker pid the host's supervisor reports, to prove none outlives `stop`. */
function trackPids(host: Host): Set<number> {
  const pids = new Set<number>();
  host.supervisor.onChange((id) => {
    const pid = host.supervisor.runtime(id).pid;
    if (pid !== undefined) pids.add(pid);
  });
  return pids;
}

/** Asserts that nothing the host opened is left: no watcher, no worker, no spare worker. */
async function assertNothingLeft(host: Host, pluginId: string, pids: Set<number>, watchersBefore: number): Promise<void> {
  assert.equal(await openWatchers(), watchersBefore, 'every folder watcher is closed');
  assert.equal(host.supervisor.runtime(pluginId).state, 'stopped');
  assert.equal(await host.supervisor.spareReady(), undefined, 'no spare worker is kept');
  for (const pid of pids) await waitForPidGone(pid);
}

test('a stop while the host starts waits for the start, then closes the folder watchers it opened', async (t) => {
  const profile = createTestProfile(t);
  writePlugin(profile.pluginsDir, { name: 'notes', worker: WORKER });
  const watchersBefore = await openWatchers();
  const host = createHost({
    userDataDir: profile.userDataDir, bundledPluginsDir: join(profile.userDataDir, 'no-bundled-plugins'),
    launcher: createNodeLauncher(), appVersion: 'test', watchUnpacked: true,
    extraPluginRoots: [{ dir: profile.pluginsDir, source: 'unpacked' }],
  });
  t.after(() => host.stop());

  const starting = host.start();
  await host.stop();
  await starting;
  assert.equal(await openWatchers(), watchersBefore, 'the watcher of the unpacked folder is closed');
  assert.throws(() => host.catalog, { code: 'NOT_READY' }, 'the host is stopped, not running on');
  await host.start(); // the profile is free again: the database was closed
  assert.ok(host.catalog.plugins.has('notes'));
  await host.stop();
  assert.equal(await openWatchers(), watchersBefore);
});

test('a stop while an onStartup unpacked plugin is enabled leaves no watcher and no worker; enable settles', async (t) => {
  const watchersBefore = await openWatchers();
  const host = await createTestProfile(t).start({
    plugins: [{ name: 'notes', worker: WORKER, activationEvents: ['onStartup'] }], enablePlugins: false, watchUnpacked: true,
  });
  const pids = trackPids(host);
  // enable starts the onStartup worker; the stop comes once the worker is starting, before it is ready.
  const workerStarting = new Promise<void>((resolve) => host.supervisor.onChange((id) => { if (host.supervisor.state(id) === 'starting') resolve(); }));
  const enabling = host.management.enable('notes', { approveCapabilities: true });
  await workerStarting;
  await host.stop();
  await enabling;
  await assertNothingLeft(host, 'notes', pids, watchersBefore);
});

test('a reload under way when the host stops settles and does not start the worker again', async (t) => {
  const watchersBefore = await openWatchers();
  const host = await createTestProfile(t).start({ plugins: [{ name: 'notes', worker: WORKER }], watchUnpacked: true });
  const pids = trackPids(host);
  assert.equal(await host.ui.data('notes', 'hello', {}), 'hi');

  const reloading = host.management.reload('notes');
  await host.stop();
  await reloading;
  await assertNothingLeft(host, 'notes', pids, watchersBefore);
});

test('a config save under way when the host stops does not restart the worker', async (t) => {
  const watchersBefore = await openWatchers();
  const host = await createTestProfile(t).start({
    plugins: [{ name: 'notes', worker: WORKER, plinth: { configSchema: { type: 'object', properties: { n: { type: 'number' } } } } }], watchUnpacked: true,
  });
  const pids = trackPids(host);
  assert.equal(await host.ui.data('notes', 'hello', {}), 'hi');

  // No onConfigChanged hook: the save stops the worker and starts it again with the new config.
  const saving = host.config.save('notes', { n: 1 });
  await host.stop();
  await saving;
  await assertNothingLeft(host, 'notes', pids, watchersBefore);
});

test('an upgrade installed from a file when the host stops does not restart the worker', async (t) => {
  const root = createTempDir(t);
  const archive = async (version: string) => {
    const dir = writePlugin(join(root, version), { name: 'notes', version, worker: WORKER });
    return (await packPlugin(dir, { name: 'notes', version }, join(root, version))).file;
  };
  const watchersBefore = await openWatchers();
  const host = await createTestProfile(t).start({ watchUnpacked: true });
  const pids = trackPids(host);
  await host.management.installFromFile(await archive('1.0.0'));
  await host.management.enable('notes', { approveCapabilities: true });
  assert.equal(await host.ui.data('notes', 'hello', {}), 'hi');

  const upgrading = host.management.installFromFile(await archive('1.1.0'));
  await host.stop();
  assert.deepEqual(await upgrading, { outcome: 'upgraded', pluginId: 'notes' });
  await assertNothingLeft(host, 'notes', pids, watchersBefore);
});

test('loading an unpacked folder when the host stops is saved and watches nothing', async (t) => {
  const watchersBefore = await openWatchers();
  const host = await createTestProfile(t).start({ plugins: [], watchUnpacked: true });
  const dir = writePlugin(createTempDir(t), { name: 'notes', worker: WORKER });

  const loading = host.management.loadUnpacked(dir);
  await host.stop();
  assert.equal(await loading, 'notes', 'the load was saved before the stop: it is not reported as failed');
  assert.equal(await openWatchers(), watchersBefore);
});

test('once the host is stopping, a plugin operation is refused with NOT_READY', async (t) => {
  const host = await createTestProfile(t).start({ plugins: [{ name: 'notes', worker: WORKER }] });
  const { management } = host;
  const stopping = host.stop();
  await assert.rejects(management.enable('notes', { approveCapabilities: true }), { code: 'NOT_READY' });
  await assert.rejects(management.reload('notes'), { code: 'NOT_READY' });
  await stopping;
  assert.equal(host.supervisor.runtime('notes').state, 'stopped');
});

test('a second stop resolves once the first is done, and a start during a stop begins after it', async (t) => {
  const host = await createTestProfile(t).start({ plugins: [{ name: 'notes', worker: WORKER }] });
  const pids = trackPids(host);
  assert.equal(await host.ui.data('notes', 'hello', {}), 'hi');

  void host.stop();
  await host.stop();
  assert.equal(host.supervisor.runtime('notes').state, 'stopped', 'the second stop waited for the first');
  for (const pid of pids) await waitForPidGone(pid);

  await host.start();
  const stopping = host.stop();
  const restarting = host.start();
  await stopping;
  await restarting;
  assert.equal(await host.ui.data('notes', 'hello', {}), 'hi', 'the host started again on the profile the stop had closed');
});
