/**
 * The app's terminal commands against a real profile: run on the profile when the app is closed
 * (a host started just for them) and relayed to a running host through the single-instance
 * result file. Registry installs come from a real Verdaccio on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createHost } from '../../main/host/host.ts';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import {
  answerCommandRequest, createCommandRequest, readCommandRequest, runOnProfile, waitForCommandResult,
} from '../../main/shell/plugin-commands/relay.ts';
import { createTempDir } from '../support/plugin-folders.ts';
import { deadPort, publishPlugin, startTestRegistry, type TestRegistry } from '../support/verdaccio/index.ts';
import { packArchive } from './install-harness.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const cleanups: Array<() => unknown> = [];
const hooks = { after: (fn: () => unknown) => { cleanups.unshift(fn); } };
after(async () => { for (const fn of cleanups) await fn(); });

let registry: TestRegistry;
let work: string;
let userDataDir: string;

/** A host on the test profile, not started (the commands start and stop it). */
function profileHost() {
  const host = createHost({
    userDataDir, bundledPluginsDir: path.join(work, 'no-bundled'), launcher: createNodeLauncher(), appVersion: 'test',
    watchUnpacked: false, updateCheckDelayMs: 60_000,
  });
  cleanups.unshift(() => host.stop());
  return host;
}

/** Runs `plinth <args>` with the app closed. */
const plinth = (args: string[], cwd = work) => runOnProfile(profileHost(), ['/usr/lib/plinth/plinth', ...args], cwd);

before(async () => {
  registry = await startTestRegistry(hooks);
  work = createTempDir(hooks, 'plinth-commands-');
  userDataDir = path.join(work, 'profile');
  await publishPlugin(registry, work, { name: 'weather', version: '1.0.0', capabilities: ['tasks.read'] });
  const host = profileHost();
  await host.start();
  host.registryPlugins.setRegistryPreferences({ url: registry.url });
  await host.stop();
});

test('with the app closed: install from the registry with consent given up front, then list', async () => {
  const installed = await plinth(['--install-plugin', 'weather', '--approve-capabilities']);
  assert.deepEqual(installed, { exitCode: 0, stdout: ['Installed weather@1.0.0', 'Enabled weather; approved: Read your tasks'], stderr: [] });
  assert.deepEqual(await plinth(['--list-plugins']), { exitCode: 0, stdout: ['weather'], stderr: [] });
  assert.deepEqual((await plinth(['--list-plugins', '--show-versions'])).stdout, ['weather@1.0.0']);
});

test('a .tgz and a folder install too; without --approve-capabilities the plugin waits for consent (exit 3 on enable)', async () => {
  const tgz = await packArchive(work, { name: 'from-file', version: '2.0.0', capabilities: ['projects.read'] });
  const relative = path.relative(work, tgz);
  const result = await plinth(['--install-plugin', relative]);
  assert.equal(result.exitCode, 0);
  assert.deepEqual(result.stdout, ['Installed from-file@2.0.0', 'from-file is disabled until you approve what it asks to do (Read your projects): in Plinth, or run again with --approve-capabilities.']);
  const enable = await plinth(['--enable-plugin', 'from-file']);
  assert.equal(enable.exitCode, 3);
  assert.match(enable.stderr[0]!, /^error: NEEDS_CONSENT: from-file asks to: Read your projects\./);
  assert.deepEqual((await plinth(['--enable-plugin', 'from-file', '--approve-capabilities'])).stdout, ['Enabled from-file']);
  assert.deepEqual((await plinth(['--disable-plugin', 'from-file'])).stdout, ['Disabled from-file']);
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-unpacked-'));
  cleanups.push(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'local-dev', version: '0.1.0', type: 'module', engines: { plinth: '^1.0.0' }, plinth: { displayName: 'Local', capabilities: [] },
  }));
  assert.equal((await plinth(['--install-plugin', dir])).stdout[0], 'Installed local-dev@0.1.0');
  assert.deepEqual((await plinth(['--list-plugins', '--show-versions'])).stdout, ['from-file@2.0.0', 'local-dev@0.1.0', 'weather@1.0.0']);
  const uninstall = await plinth(['--uninstall-plugin', 'local-dev']);
  assert.match(uninstall.stdout[0]!, /^Uninstalled local-dev; its settings and data are kept until \d{4}-\d\d-\d\d$/);
  assert.deepEqual((await plinth(['--list-plugins'])).stdout, ['from-file', 'weather']);
});

test('exit codes a script can rely on: 2 usage, 4 not found, 5 registry unreachable; nothing changes', async () => {
  assert.equal((await plinth(['--install-plugin'])).exitCode, 2);
  assert.match((await plinth(['--show-versions'])).stderr[0]!, /^error: USAGE: --show-versions goes with --list-plugins/);
  const missing = await plinth(['--uninstall-plugin', 'no-such-plugin']);
  assert.equal(missing.exitCode, 4);
  assert.match(missing.stderr[0]!, /^error: NOT_FOUND: /);
  assert.equal((await plinth(['--install-plugin', './nothing-here.tgz'])).exitCode, 4);
  assert.equal((await plinth(['--install-plugin', 'weather@9.9.9'])).exitCode, 4);
  const host = profileHost();
  await host.start();
  host.registryPlugins.setRegistryPreferences({ url: `http://127.0.0.1:${await deadPort()}/` });
  await host.stop();
  const offline = await plinth(['--install-plugin', 'another-one']);
  assert.equal(offline.exitCode, 5);
  assert.match(offline.stderr[0]!, /^error: NETWORK_ERROR: Cannot reach/);
  assert.deepEqual((await plinth(['--list-plugins'])).stdout, ['from-file', 'weather'], 'nothing lost');
});

test('with the app open: the second instance hands the command over and prints the running app\'s answer', async () => {
  const host = profileHost();
  await host.start();
  const tempDir = mkdtempSync(path.join(tmpdir(), 'plinth-relay-'));
  cleanups.push(() => import('node:fs').then((fs) => fs.rmSync(tempDir, { recursive: true, force: true })));
  const request = createCommandRequest(['plinth', '--disable-plugin', 'weather', '--list-plugins', '--show-versions'], work, tempDir);
  const waiting = waitForCommandResult(request.resultFile, 30_000);
  // What arrives as the lock's additional data is checked before anything runs.
  const received = readCommandRequest(JSON.parse(JSON.stringify(request)), tempDir);
  assert.ok(received);
  await answerCommandRequest(host, received);
  assert.deepEqual(await waiting, { exitCode: 0, stdout: ['Disabled weather', 'from-file@2.0.0', 'weather@1.0.0'], stderr: [] });
  assert.equal(createPluginViews(host).summary('weather').enabled, false, 'the running host did it');
  assert.equal(readCommandRequest({ ...request, resultFile: '/etc/passwd' }, tempDir), null, 'never written outside the temp folder');
  assert.equal(readCommandRequest({ argv: 'x' }, tempDir), null);
  assert.equal(readCommandRequest(undefined, tempDir), null, 'a plain second launch');
});
