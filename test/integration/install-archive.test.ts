/**
 * Installing from `.tgz` files made by `plinth-plugin pack`: each outcome
 * (installed, upgraded, upgrade_pending) and each refusal, with real files and a real SQLite
 * profile. A refusal must leave nothing on disk and nothing in the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverPlugins } from '../../main/host/discovery.ts';
import { createBench, enable, list, packArchive, putState, refused, rowsOf, workerVersion, writeTestPlugin } from './install-harness.ts';

test('a new archive is installed under plugins/<id>, disabled and awaiting consent, and discovery finds it', async (t) => {
  const { base, userData, registry, installer } = await createBench(t);
  const tgz = await packArchive(base, { name: '@acme/board', capabilities: ['tasks.read'] });

  const outcome = await installer.installFromArchive(tgz);
  assert.equal(outcome.outcome, 'installed');
  const dir = path.join(userData, 'plugins', '@acme', 'board');
  assert.equal(outcome.outcome === 'installed' && outcome.dir, dir);
  assert.equal(await workerVersion(dir), '1.0.0');
  const entry = registry.get('@acme/board');
  assert.deepEqual(
    { source: entry?.source, state: entry?.state, enabled: entry?.enabled, approved: entry?.approvedCapabilities, path: entry?.path },
    { source: 'user', state: 'installed', enabled: false, approved: null, path: dir },
  );
  assert.deepEqual(await list(installer.layout.tempDir), [], 'no scratch folder is left');

  const found = await discoverPlugins([{ dir: installer.layout.pluginsDir, source: 'user' }]);
  assert.deepEqual(found.map((d) => [d.id, d.dir, d.result.ok]), [['@acme/board', dir, true]]);
});

test('inspectArchive describes the plugin and what installing would do, writing nothing', async (t) => {
  const { base, registry, installer } = await createBench(t);
  const tgz = await packArchive(base, { name: 'github-sync', capabilities: ['tasks.read', 'http.outbound:api.github.com'] });

  const fresh = await installer.inspectArchive(tgz);
  assert.equal(fresh.id, 'github-sync');
  assert.equal(fresh.action, 'install');
  assert.equal(fresh.installed, null);
  assert.deepEqual(fresh.capabilities.map((c) => c.capability), ['tasks.read', 'http.outbound:api.github.com']);
  assert.match(fresh.capabilities[1]?.description ?? '', /api\.github\.com/);
  assert.deepEqual(await list(installer.layout.pluginsDir), []);
  assert.equal(registry.get('github-sync'), undefined);

  await installer.installFromArchive(await packArchive(base, { name: 'github-sync', version: '0.9.0', capabilities: ['tasks.read'] }));
  enable(registry, 'github-sync');
  const upgrade = await installer.inspectArchive(tgz);
  assert.equal(upgrade.action, 'upgrade');
  assert.equal(upgrade.installed?.version, '0.9.0');
  assert.deepEqual(upgrade.addedCapabilities.map((c) => c.capability), ['http.outbound:api.github.com']);
  assert.equal(upgrade.needsApproval, true);
});

test('an upgrade asking for no more capabilities swaps the files in place and keeps config, state, data and consent', async (t) => {
  const { base, userData, db, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board', capabilities: ['tasks.read', 'plugin.state.read'] }));
  enable(registry, 'board');
  registry.update('board', { config: { columns: 3 } });
  putState(db, 'board', 'counter', 7);
  const dataDir = path.join(userData, 'plugin-data', 'board');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'cache.json'), '{"kept":true}');

  const outcome = await installer.installFromArchive(await packArchive(base, { name: 'board', version: '1.1.0', capabilities: ['tasks.read'] }));
  assert.equal(outcome.outcome, 'upgraded');
  assert.ok(outcome.outcome === 'upgraded');
  assert.deepEqual([outcome.fromVersion, outcome.version, outcome.addedCapabilities, outcome.removedCapabilities], ['1.0.0', '1.1.0', [], ['plugin.state.read']]);
  assert.equal(await workerVersion(outcome.dir), '1.1.0');
  const entry = registry.get('board');
  assert.deepEqual(
    { state: entry?.state, enabled: entry?.enabled, version: entry?.version, config: entry?.config, approved: entry?.approvedCapabilities },
    { state: 'ready', enabled: true, version: '1.1.0', config: { columns: 3 }, approved: ['tasks.read', 'plugin.state.read'] },
  );
  assert.equal(rowsOf(db, 'plugin_state', 'board'), 1);
  assert.equal(await readFile(path.join(dataDir, 'cache.json'), 'utf8'), '{"kept":true}');
  assert.deepEqual(await list(installer.layout.pluginsDir), ['board'], 'one folder, no leftover of the old version');
});

test('an upgrade asking for more capabilities is staged while the old version keeps running; approving swaps it in', async (t) => {
  const { base, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board', capabilities: ['tasks.read'] }));
  enable(registry, 'board');
  const installedDir = registry.get('board')?.path ?? '';

  const outcome = await installer.installFromArchive(await packArchive(base, { name: 'board', version: '2.0.0', capabilities: ['tasks.read', 'tasks.write'] }));
  assert.equal(outcome.outcome, 'upgrade_pending');
  assert.ok(outcome.outcome === 'upgrade_pending');
  assert.deepEqual(outcome.addedCapabilities, ['tasks.write']);
  assert.equal(await workerVersion(installedDir), '1.0.0', 'the old version stays in place');
  assert.equal(await workerVersion(outcome.stagedDir), '2.0.0');
  assert.equal(registry.get('board')?.state, 'upgrade_pending');
  assert.equal(registry.get('board')?.version, '1.0.0');
  assert.deepEqual(installer.pendingUpgrade('board'), { version: '2.0.0', addedCapabilities: ['tasks.write'] });

  const approved = await installer.approveUpgrade('board');
  assert.deepEqual(approved, { id: 'board', version: '2.0.0', dir: installedDir, approvedCapabilities: ['tasks.read', 'tasks.write'], state: 'ready' });
  assert.equal(await workerVersion(installedDir), '2.0.0');
  assert.deepEqual(await list(installer.layout.stagedDir), [], 'the staged copy moved in');
  const entry = registry.get('board');
  assert.deepEqual([entry?.state, entry?.version, entry?.approvedCapabilities], ['ready', '2.0.0', ['tasks.read', 'tasks.write']]);
  assert.equal(installer.pendingUpgrade('board'), null);
  await refused(installer.approveUpgrade('board'), 'CONFLICT', /Cannot approve an upgrade of a plugin that is ready/);
});

test('declining a staged upgrade deletes it and keeps the old version and consent', async (t) => {
  const { base, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board', capabilities: ['tasks.read'] }));
  enable(registry, 'board');
  const pending = await installer.installFromArchive(await packArchive(base, { name: 'board', version: '2.0.0', capabilities: ['tasks.read', 'comments.read'] }));
  assert.equal(pending.outcome, 'upgrade_pending');

  assert.deepEqual(await installer.declineUpgrade('board'), { id: 'board', state: 'ready' });
  assert.deepEqual(await list(installer.layout.stagedDir), []);
  const entry = registry.get('board');
  assert.equal(await workerVersion(entry?.path ?? ''), '1.0.0');
  assert.deepEqual([entry?.state, entry?.version, entry?.approvedCapabilities], ['ready', '1.0.0', ['tasks.read']]);
});

test('a plugin that is not running takes a bigger upgrade in place; enabling it asks consent later', async (t) => {
  const { base, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board', capabilities: ['tasks.read'] }));
  enable(registry, 'board');
  registry.update('board', { enabled: false, state: 'disabled' });

  const outcome = await installer.installFromArchive(await packArchive(base, { name: 'board', version: '1.2.0', capabilities: ['tasks.read', 'tasks.write'] }));
  assert.equal(outcome.outcome, 'upgraded');
  assert.deepEqual(outcome.outcome === 'upgraded' && outcome.addedCapabilities, ['tasks.write']);
  assert.deepEqual([registry.get('board')?.state, registry.get('board')?.approvedCapabilities], ['disabled', ['tasks.read']]);
});

test('a downgrade is refused naming both versions unless confirmed', async (t) => {
  const { base, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board', version: '2.0.0' }));
  const older = await packArchive(base, { name: 'board', version: '1.5.0' });

  const error = await refused(installer.installFromArchive(older), 'CONFLICT', /2\.0\.0/, /1\.5\.0/, /allowDowngrade/);
  assert.deepEqual(error.data, { id: 'board', installedVersion: '2.0.0', archiveVersion: '1.5.0' });
  assert.equal(await workerVersion(registry.get('board')?.path ?? ''), '2.0.0');
  assert.deepEqual(await list(installer.layout.tempDir), []);

  const outcome = await installer.installFromArchive(older, { allowDowngrade: true });
  assert.equal(outcome.outcome, 'upgraded');
  assert.equal(await workerVersion(registry.get('board')?.path ?? ''), '1.5.0');
  assert.equal(registry.get('board')?.version, '1.5.0');
});

test('refusals name what to fix and leave nothing installed', async (t) => {
  const { base, registry, installer } = await createBench(t, { hostApiVersion: '1.4.0' });
  const nothingInstalled = async (id: string) => {
    assert.equal(registry.get(id), undefined);
    assert.deepEqual(await list(installer.layout.pluginsDir), []);
    assert.deepEqual(await list(installer.layout.tempDir), []);
  };

  await refused(installer.installFromArchive(await packArchive(base, { name: 'future', manifest: { engines: { plinth: '^2.0.0' } } })),
    'INVALID_INPUT', /engines\.plinth/, /\^2\.0\.0/, /1\.4\.0/);
  await nothingInstalled('future');

  await refused(installer.installFromArchive(await packArchive(base, { name: 'plinth-clock' })), 'INVALID_INPUT', /reserved/, /plinth-clock/);
  await nothingInstalled('plinth-clock');

  const invalid = await refused(installer.installFromArchive(await packArchive(base, {
    name: 'broken', manifest: { plinth: { worker: 'worker.js', capabilities: ['tasks.teleport'] } },
  })), 'INVALID_INPUT', /broken-1\.0\.0\.tgz is not valid/, /plinth\.displayName/, /tasks\.teleport/);
  assert.equal((invalid.data as { problems: string[] }).problems.length, 2, invalid.message);
  await nothingInstalled('broken');

  const garbage = path.join(base, 'garbage.tgz');
  await writeFile(garbage, 'not an archive');
  await refused(installer.installFromArchive(garbage), 'INVALID_INPUT', /garbage\.tgz/);
  await refused(installer.installFromArchive(path.join(base, 'missing.tgz')), 'NOT_FOUND');
  await nothingInstalled('garbage');
});

test('a name held by a bundled or an unpacked plugin is refused naming that source and path', async (t) => {
  const { base, registry, installer } = await createBench(t, { bundled: ['kanban'] });
  registry.put({
    id: 'kanban', source: 'bundled', path: '/app/plugins/kanban', version: '1.0.0', state: 'ready', enabled: true,
    lastError: null, capabilities: [], approvedCapabilities: [], config: {},
  });
  await refused(installer.installFromArchive(await packArchive(base, { name: 'kanban', version: '9.0.0' })),
    'CONFLICT', /bundled/, /\/app\/plugins\/kanban/);

  const devDir = await writeTestPlugin(path.join(base, 'dev'), 'notes', { name: 'notes' });
  await installer.loadUnpacked(devDir);
  const error = await refused(installer.installFromArchive(await packArchive(base, { name: 'notes', version: '2.0.0' })),
    'CONFLICT', /unpacked/, new RegExp(devDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal((error.data as { source: string }).source, 'unpacked');
  assert.deepEqual(await list(installer.layout.pluginsDir), []);
});
