/**
 * Uninstall, restore and purge (CONTRACT §9) over a real profile: files move
 * out of use and back, rows are kept through the grace period and all gone after a purge, the
 * grace period follows the injected clock, and bundled plugins cannot be uninstalled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../main/host/db/database.ts';
import { PLUGIN_OWNED_TABLES } from '../../main/host/install/index.ts';
import { T0, createBench, enable, list, packArchive, putState, refused, rowsOf, workerVersion } from './install-harness.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);

/** Gives a plugin one row in every table it can own, as its services would. */
function fillRows(db: Db, id: string): void {
  putState(db, id, 'counter', 1);
  db.prepare(`INSERT INTO job_runs (run_id, plugin_id, job_key, trigger, scheduled_at, started_at, finished_at, status)
    VALUES (?, ?, 'sync', 'manual', ?, ?, ?, 'succeeded')`).run(`run-${id}`, id, T0.toISOString(), T0.toISOString(), T0.toISOString());
  db.prepare(`INSERT INTO webhook_endpoints (plugin_id, endpoint_key, secret, created_at) VALUES (?, 'inbox', 's', ?)`).run(id, T0.toISOString());
  db.prepare(`INSERT INTO plugin_secrets (id, plugin_id, ciphertext, store_kind, created_at) VALUES (?, ?, 'c', 'local', ?)`).run(`sec-${id}`, id, T0.toISOString());
  db.prepare(`INSERT INTO plugin_origins (plugin_id, registry, version, integrity, installed_at) VALUES (?, 'http://r/', '1.0.0', 'sha512-x', ?)`).run(id, T0.toISOString());
}

function ownedRows(db: Db, id: string): Record<string, number> {
  return Object.fromEntries(PLUGIN_OWNED_TABLES.map(({ table, column }) => [table, rowsOf(db, table, id, column)]));
}

test('uninstall moves the files out of use and keeps config and state; restore brings it back disabled', async (t) => {
  const { base, userData, db, registry, installer, setNow } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: '@acme/board', capabilities: ['tasks.read'] }));
  enable(registry, '@acme/board');
  registry.update('@acme/board', { config: { columns: 3 } });
  fillRows(db, '@acme/board');
  const installedDir = path.join(userData, 'plugins', '@acme', 'board');

  setNow(at(1));
  const result = await installer.uninstall('@acme/board');
  assert.equal(result.uninstalledAt, at(1).toISOString());
  assert.ok(result.movedTo && result.movedTo.startsWith(path.join(userData, 'uninstalled', '@acme__board-')), String(result.movedTo));
  assert.equal(await workerVersion(result.movedTo), '1.0.0');
  assert.deepEqual(await list(path.join(userData, 'plugins', '@acme')), [], 'nothing left where discovery looks');
  const entry = registry.get('@acme/board');
  assert.deepEqual([entry?.state, entry?.enabled, entry?.config], ['uninstalled', false, { columns: 3 }]);
  assert.deepEqual(ownedRows(db, '@acme/board'), { plugin_state: 1, job_runs: 1, webhook_endpoints: 1, plugin_secrets: 1, plugin_uninstalls: 1, plugin_origins: 1, plugins: 1 });
  assert.deepEqual(installer.listUninstalled(), [{
    id: '@acme/board', displayName: 'Plugin @acme/board', version: '1.0.0', source: 'user',
    uninstalledAt: at(1).toISOString(), purgeAfter: at(31).toISOString(),
  }]);
  assert.equal(installer.listUninstalled(7)[0]?.purgeAfter, at(8).toISOString());
  await refused(installer.uninstall('@acme/board'), 'CONFLICT', /Cannot uninstall a plugin that is uninstalled/);

  const restored = await installer.restore('@acme/board');
  assert.deepEqual(restored, { id: '@acme/board', state: 'disabled', dir: installedDir });
  assert.equal(await workerVersion(installedDir), '1.0.0');
  assert.deepEqual(await list(installer.layout.uninstalledDir), []);
  const back = registry.get('@acme/board');
  assert.deepEqual([back?.state, back?.enabled, back?.config, back?.approvedCapabilities], ['disabled', false, { columns: 3 }, ['tasks.read']]);
  assert.equal(rowsOf(db, 'plugin_state', '@acme/board'), 1);
  assert.deepEqual(installer.listUninstalled(), []);
  await refused(installer.restore('@acme/board'), 'NOT_FOUND', /No uninstalled plugin/);
});

test('purge deletes the files, the data folder and every row of the plugin, then tells the listeners', async (t) => {
  const { base, userData, db, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board' }));
  await installer.installFromArchive(await packArchive(base, { name: 'other' }));
  fillRows(db, 'board');
  fillRows(db, 'other');
  const dataDir = path.join(userData, 'plugin-data', 'board');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'cache.json'), '{}');
  const purged: string[] = [];
  installer.onPurge((id) => { purged.push(id); });

  await refused(installer.purge('board'), 'CONFLICT', /uninstall it first/);
  const { movedTo } = await installer.uninstall('board');
  assert.deepEqual(await installer.purge('board'), { id: 'board' });

  assert.deepEqual(purged, ['board']);
  assert.deepEqual(await list(installer.layout.uninstalledDir), []);
  assert.ok(movedTo);
  assert.deepEqual(await list(path.join(userData, 'plugin-data')), []);
  assert.deepEqual(ownedRows(db, 'board'), { plugin_state: 0, job_runs: 0, webhook_endpoints: 0, plugin_secrets: 0, plugin_uninstalls: 0, plugin_origins: 0, plugins: 0 });
  assert.deepEqual(ownedRows(db, 'other'), { plugin_state: 1, job_runs: 1, webhook_endpoints: 1, plugin_secrets: 1, plugin_uninstalls: 0, plugin_origins: 1, plugins: 1 }, 'other plugins untouched');
  assert.equal(registry.get('board'), undefined);
  await refused(installer.restore('board'), 'NOT_FOUND', /purged/);
  await refused(installer.purge('board'), 'NOT_FOUND', /board/);
});

test('purgeExpired purges only plugins past the grace period, by the injected clock', async (t) => {
  const { base, db, installer, setNow } = await createBench(t);
  for (const name of ['early', 'late']) await installer.installFromArchive(await packArchive(base, { name }));
  setNow(at(0));
  await installer.uninstall('early');
  setNow(at(10));
  await installer.uninstall('late');

  setNow(at(29));
  assert.deepEqual(await installer.purgeExpired(), { purged: [], failed: [] });
  setNow(at(30));
  assert.deepEqual(await installer.purgeExpired(), { purged: ['early'], failed: [] });
  assert.equal(rowsOf(db, 'plugins', 'early', 'id'), 0);
  assert.deepEqual(installer.listUninstalled().map((p) => p.id), ['late']);
  assert.deepEqual(await installer.purgeExpired(20), { purged: ['late'], failed: [] }, 'a shorter preference applies at once');
  assert.deepEqual(await list(installer.layout.uninstalledDir), []);
  await refused(installer.purgeExpired(-1), 'INVALID_INPUT', /grace period/);
});

test('bundled plugins can be disabled, not uninstalled', async (t) => {
  const { registry, installer } = await createBench(t, { bundled: ['plinth-hello'] });
  registry.put({
    id: 'plinth-hello', source: 'bundled', path: '/app/plugins/plinth-hello', version: '1.0.0', state: 'ready', enabled: true,
    lastError: null, capabilities: [], approvedCapabilities: [], config: {},
  });
  await refused(installer.uninstall('plinth-hello'), 'CONFLICT', /bundled plugins can be disabled, not uninstalled/);
  assert.equal(registry.get('plinth-hello')?.state, 'ready');
  await refused(installer.uninstall('nobody'), 'NOT_FOUND', /nobody/);
});

test('installing a name again during its grace period starts fresh but keeps its config and state', async (t) => {
  const { base, db, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board', capabilities: ['tasks.read'] }));
  enable(registry, 'board');
  registry.update('board', { config: { columns: 3 } });
  putState(db, 'board', 'counter', 1);
  await installer.uninstall('board');

  const outcome = await installer.installFromArchive(await packArchive(base, { name: 'board', version: '0.5.0' }));
  assert.equal(outcome.outcome, 'installed', 'no downgrade check against an uninstalled version');
  const entry = registry.get('board');
  assert.deepEqual([entry?.state, entry?.enabled, entry?.approvedCapabilities, entry?.config], ['installed', false, null, { columns: 3 }]);
  assert.equal(rowsOf(db, 'plugin_state', 'board'), 1);
  assert.deepEqual(installer.listUninstalled(), []);
  assert.deepEqual(await list(installer.layout.uninstalledDir), [], 'the old uninstalled copy is discarded');
});

test('uninstalling a plugin with a staged upgrade drops the staged files too', async (t) => {
  const { base, registry, installer } = await createBench(t);
  await installer.installFromArchive(await packArchive(base, { name: 'board', capabilities: ['tasks.read'] }));
  enable(registry, 'board');
  await installer.installFromArchive(await packArchive(base, { name: 'board', version: '2.0.0', capabilities: ['tasks.write'] }));
  assert.deepEqual(await list(installer.layout.stagedDir), ['board']);
  await installer.uninstall('board');
  assert.deepEqual(await list(installer.layout.stagedDir), []);
  const restored = await installer.restore('board');
  assert.equal(await workerVersion(restored.dir), '1.0.0');
});
