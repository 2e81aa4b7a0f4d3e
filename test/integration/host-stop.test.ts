/**
 * Stopping the host while something is under way (the user quits the app, or presses Ctrl+C on
 * `plinth-plugin dev`/`run`, while the host starts):
 * stop() leaves no folder watcher and no worker process behind, so the Node process can exit,
 * and the operation under way settles instead of hanging.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHost } from '../../main/host/host.ts';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import { writePlugin } from '../support/plugin-folders.ts';
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
