/**
 * Installing and updating plugins from a real npm registry (Verdaccio on 127.0.0.1) through the
 * host: consent as for a file, the recorded origin, updates with and without new capabilities,
 * the next-start preference, pins, yanked versions, a tampered tarball, an auth-protected scope
 * and an offline registry. The tests run in order and share one registry and one profile.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Host } from '../../main/host/host.ts';
import type { InstallProgress } from '../../preload/api.ts';
import { createTempDir } from '../support/plugin-folders.ts';
import { createTestProfile, type TestProfile } from '../support/test-host.ts';
import { deadPort, publishPlugin, startTestRegistry, type TestRegistry } from '../support/verdaccio/index.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const cleanups: Array<() => unknown> = [];
const hooks = { after: (fn: () => unknown) => { cleanups.unshift(fn); } };
after(async () => { for (const fn of cleanups) await fn(); });

let registry: TestRegistry;
let work: string;
let profile: TestProfile;
let host: Host;

const publish = (version: string, capabilities = ['plugin.state.read'], name = 'weather') =>
  publishPlugin(registry, work, { name, version, capabilities, readme: `# Weather ${version}` });

async function integrityOf(name: string, version: string): Promise<string> {
  const res = await fetch(`${registry.url}${name.replace('/', '%2f')}`, { headers: { authorization: `Bearer ${registry.token}` } });
  const doc = (await res.json()) as { versions: Record<string, { dist: { integrity: string } }> };
  return doc.versions[version]!.dist.integrity;
}

before(async () => {
  registry = await startTestRegistry(hooks);
  work = createTempDir(hooks, 'plinth-registry-install-');
  await Promise.all([publish('1.0.0'), publishPlugin(registry, work, { name: 'tampered-one', version: '1.0.0' }), publishPlugin(registry, work, { name: '@secure/vault', version: '2.0.0' })]);
  profile = createTestProfile(hooks);
  host = await profile.start({ updateCheckDelayMs: 0 });
  host.registryPlugins.setRegistryPreferences({ url: registry.url });
});

test('install from the registry: consent as for a file, progress, and the origin recorded', async () => {
  const seen: InstallProgress[] = [];
  const result = createPluginViews(host).installResult(await host.registryPlugins.install('weather', { onProgress: (p) => seen.push(p) }));
  assert.equal(result.outcome, 'installed');
  assert.equal(result.plugin.version, '1.0.0');
  assert.equal(result.plugin.state, 'installed');
  assert.equal(result.plugin.needsConsent, true, 'a registry plugin asks consent like any other');
  assert.deepEqual([...new Set(seen.map((p) => p.phase))], ['resolving', 'downloading', 'installing', 'done']);
  const last = seen.filter((p) => p.phase === 'downloading').at(-1)!;
  assert.ok(last.received > 0);
  assert.deepEqual(result.plugin.origin && { ...result.plugin.origin, checkedAt: null }, {
    registry: registry.url, version: '1.0.0', integrity: await integrityOf('weather', '1.0.0'), pinnedVersion: null,
    updateAvailable: null, installedYanked: null, updateSkipped: null, checkedAt: null, checkError: null,
  });
  await assert.rejects(host.management.enable('weather', { approveCapabilities: false }), { code: 'CONFLICT', message: /needs your consent/ });
  await host.management.enable('weather', { approveCapabilities: true });
  assert.equal(createPluginViews(host).summary('weather').state, 'ready');
  assert.equal(readdirSync(path.join(profile.userDataDir, '.install-tmp', 'downloads')).length, 0, 'the download is removed');
});

test('an update asking for nothing new is installed at once', async () => {
  await publish('1.1.0');
  const report = await host.registryPlugins.checkForUpdates();
  assert.deepEqual(report.items.map(({ id, from, to, status }) => ({ id, from, to, status })), [{ id: 'weather', from: '1.0.0', to: '1.1.0', status: 'upgraded' }]);
  const plugin = createPluginViews(host).summary('weather');
  assert.equal(plugin.version, '1.1.0');
  assert.equal(plugin.state, 'ready');
  assert.equal(plugin.origin?.version, '1.1.0');
  assert.equal(plugin.origin?.integrity, await integrityOf('weather', '1.1.0'));
});

test('with "next start", an update waits for the next start, whose start-up check installs it', async () => {
  await host.ops.setPreferences({ updateInstall: 'next-start' });
  await publish('1.1.1');
  const changed: string[] = [];
  const stopListening = host.onPluginsChanged((event) => { if (event.pluginId) changed.push(event.pluginId); });
  const report = await host.registryPlugins.checkForUpdates();
  stopListening();
  assert.equal(report.items[0]?.status, 'available');
  assert.deepEqual(changed, ['weather'], 'open windows hear of the update found, whoever asked for the check');
  assert.equal(createPluginViews(host).summary('weather').version, '1.1.0');
  assert.equal(createPluginViews(host).summary('weather').origin?.updateAvailable, '1.1.1');
  await host.stop();
  host = await profile.start({ updateCheckDelayMs: 0 });
  // The start-up check runs after start(); the change event it sends once done is the signal.
  const updated = () => createPluginViews(host).summary('weather').origin?.version === '1.1.1';
  if (!updated()) {
    await new Promise<void>((resolve) => {
      const off = host.onPluginsChanged(() => { if (updated()) { off(); resolve(); } });
    });
  }
  assert.equal(createPluginViews(host).summary('weather').version, '1.1.1');
  assert.equal(createPluginViews(host).summary('weather').state, 'ready');
  await host.ops.setPreferences({ updateInstall: 'immediately' });
});

test('an update asking for more waits in upgrade_pending with the added capabilities; approving records it', async () => {
  await publish('1.2.0', ['plugin.state.read', 'tasks.read']);
  const report = await host.registryPlugins.checkForUpdates();
  assert.equal(report.items[0]?.status, 'upgrade_pending');
  assert.deepEqual(report.items[0]?.addedCapabilities.map((c) => c.capability), ['tasks.read']);
  const pending = createPluginViews(host).summary('weather');
  assert.equal(pending.state, 'upgrade_pending');
  assert.equal(pending.version, '1.1.1', 'the old version keeps running');
  assert.equal(pending.pendingUpgrade?.version, '1.2.0');
  assert.equal(pending.origin?.version, '1.1.1');
  assert.equal((await host.registryPlugins.checkForUpdates()).items[0]?.status, 'current', 'the staged version is not fetched again');
  await host.management.approveUpgrade('weather');
  const approved = createPluginViews(host).summary('weather');
  assert.equal(approved.version, '1.2.0');
  assert.equal(approved.state, 'ready');
  assert.equal(approved.origin?.version, '1.2.0');
  assert.equal(approved.origin?.integrity, await integrityOf('weather', '1.2.0'));
});

test('a yanked version is never picked; a yanked installed version is flagged', async () => {
  await publish('1.3.0');
  await registry.npm(['deprecate', 'weather@1.3.0', 'corrupts data']);
  assert.equal((await host.registryPlugins.checkForUpdates()).items[0]?.status, 'current');
  assert.equal(createPluginViews(host).summary('weather').version, '1.2.0');
  await assert.rejects(host.registryPlugins.install('weather@1.3.0'), { code: 'CONFLICT', message: /deprecated by its publisher: corrupts data/ });
  await registry.npm(['deprecate', 'weather@1.2.0', 'please update']);
  await host.registryPlugins.checkForUpdates();
  assert.equal(createPluginViews(host).summary('weather').origin?.installedYanked, 'deprecated: please update');
  assert.equal(createPluginViews(host).summary('weather').version, '1.2.0', 'nothing is downgraded silently');
});

test('a pinned plugin is not updated; pinning an older version installs it', async () => {
  await registry.npm(['deprecate', 'weather@1.2.0', '']);
  await host.registryPlugins.pin('weather', '1.2.0');
  await publish('1.4.0', ['plugin.state.read', 'tasks.read']);
  assert.equal((await host.registryPlugins.checkForUpdates()).items[0]?.status, 'pinned');
  assert.equal(createPluginViews(host).summary('weather').version, '1.2.0');
  const changed: string[] = [];
  const stopListening = host.onPluginsChanged((event) => { if (event.pluginId) changed.push(event.pluginId); });
  await host.registryPlugins.pin('weather', null);
  stopListening();
  assert.deepEqual(changed, ['weather'], 'an unpin refreshes the open windows');
  assert.equal((await host.registryPlugins.checkForUpdates()).items[0]?.status, 'upgraded');
  assert.equal(createPluginViews(host).summary('weather').version, '1.4.0');
  await host.registryPlugins.pin('weather', '1.1.1');
  const pinned = createPluginViews(host).summary('weather');
  assert.equal(pinned.version, '1.1.1');
  assert.equal(pinned.origin?.pinnedVersion, '1.1.1');
  assert.equal((await host.registryPlugins.checkForUpdates()).items[0]?.status, 'pinned');
});

test('a tampered tarball is refused before anything is unpacked; nothing is lost', async () => {
  const stored = await registry.tarballPath('tampered-one', '1.0.0');
  const bytes = await readFile(stored);
  bytes[bytes.length - 20] = (bytes[bytes.length - 20]! + 1) % 256;
  await writeFile(stored, bytes);
  const before = createPluginViews(host).summaries();
  await assert.rejects(host.registryPlugins.install('tampered-one'), { code: 'INVALID_INPUT', message: /does not match the registry's integrity hash/ });
  assert.deepEqual(createPluginViews(host).summaries(), before);
  assert.equal(existsSync(path.join(profile.userDataDir, 'plugins', 'tampered-one')), false);
  assert.deepEqual(readdirSync(path.join(profile.userDataDir, '.install-tmp', 'downloads')), []);
  assert.deepEqual(readdirSync(path.join(profile.userDataDir, '.install-tmp')).filter((f) => f.startsWith('archive-')), [], 'never extracted');
});

test('an auth-protected scope is installed with the token kept in the secret store', async () => {
  const offline = `http://127.0.0.1:${await deadPort()}/`;
  host.registryPlugins.setRegistryPreferences({ url: offline, scopes: { '@secure': registry.url } });
  await assert.rejects(host.registryPlugins.install('@secure/vault'), { code: 'NOT_READY', message: /add an auth token/ });
  const prefs = host.registryPlugins.setRegistryPreferences({ token: { registry: registry.url, value: registry.token } });
  assert.deepEqual(prefs.tokens, [registry.url]);
  assert.ok(!JSON.stringify(prefs).includes(registry.token), 'the token never leaves main');
  const row = host.db.prepare('SELECT cipher FROM registry_tokens').get() as { cipher: string };
  assert.ok(!row.cipher.includes(registry.token), 'stored encrypted');
  const result = createPluginViews(host).installResult(await host.registryPlugins.install('@secure/vault'));
  assert.equal(result.plugin.version, '2.0.0');
  assert.equal(result.plugin.origin?.registry, registry.url);
});

test('an offline registry says so and changes nothing', async () => {
  host.registryPlugins.setRegistryPreferences({ url: `http://127.0.0.1:${await deadPort()}/`, scopes: {} });
  const before = createPluginViews(host).summaries();
  await assert.rejects(host.registryPlugins.search(''), { code: 'NETWORK_ERROR', message: /Cannot reach .*nothing was changed/ });
  await assert.rejects(host.registryPlugins.install('weather@1.4.0'), { code: 'NETWORK_ERROR' });
  const report = await host.registryPlugins.checkForUpdates();
  assert.ok(report.items.some((i) => i.id === 'weather' && i.status === 'pinned'));
  const vault = report.items.find((i) => i.id === '@secure/vault');
  assert.equal(vault?.status, 'failed');
  assert.match(vault?.error ?? '', /Cannot reach/);
  assert.match(createPluginViews(host).summary('@secure/vault').origin?.checkError ?? '', /Cannot reach/);
  assert.deepEqual(createPluginViews(host).summaries().map((p) => [p.id, p.version, p.state]), before.map((p) => [p.id, p.version, p.state]));
});
