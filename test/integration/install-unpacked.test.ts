/**
 * Unpacked plugins: a folder referenced in place, found by discovery
 * through `unpackedRoots()`, sent to `upgrade_pending` when its manifest gains a capability,
 * and NEVER modified by uninstall or purge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverPlugins } from '../../main/host/discovery.ts';
import type { PluginManifest } from '../../sdk/protocol/manifest.ts';
import { createBench, enable, packArchive, putState, refused, rowsOf, testManifest, writeTestPlugin } from './install-harness.ts';

/** Every file of a folder with its content, to prove nothing in it changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = await readFile(file, 'utf8');
  }
  return out;
}

/** Rewrites an unpacked plugin's package.json with `capabilities`, as its author would. */
async function editCapabilities(dir: string, name: string, capabilities: string[]): Promise<PluginManifest> {
  const manifest = testManifest({ name, capabilities });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return manifest as unknown as PluginManifest;
}

test('a folder is loaded in place, installed and disabled, and discovery finds it through unpackedRoots', async (t) => {
  const { base, registry, installer } = await createBench(t);
  const dir = await writeTestPlugin(path.join(base, 'dev'), 'notes', { name: 'notes', capabilities: ['comments.read'] });

  const loaded = await installer.loadUnpacked(dir);
  assert.deepEqual(loaded, { id: 'notes', version: '1.0.0', dir, capabilities: ['comments.read'], warnings: [], alreadyLoaded: false });
  const entry = registry.get('notes');
  assert.deepEqual([entry?.source, entry?.path, entry?.state, entry?.enabled, entry?.approvedCapabilities], ['unpacked', dir, 'installed', false, null]);
  assert.equal((await installer.loadUnpacked(dir)).alreadyLoaded, true);

  assert.deepEqual(installer.unpackedRoots(), [{ dir, source: 'unpacked', isPluginFolder: true }]);
  const found = await discoverPlugins([{ dir: installer.layout.pluginsDir, source: 'user' }, ...installer.unpackedRoots()]);
  assert.deepEqual(found.map((d) => [d.id, d.source, d.dir, d.result.ok]), [['notes', 'unpacked', dir, true]]);
  assert.deepEqual(await discoverPlugins([{ dir: path.join(base, 'gone'), source: 'unpacked', isPluginFolder: true }]), [], 'a missing folder is skipped');
});

test('loading a folder is refused with the same rules as an archive', async (t) => {
  const { base, installer } = await createBench(t, { bundled: ['kanban'] });
  await refused(installer.loadUnpacked(path.join(base, 'nowhere')), 'NOT_FOUND', /does not exist/);
  await refused(installer.loadUnpacked(await writeTestPlugin(path.join(base, 'dev'), 'bad', { name: 'Bad_Name' })), 'INVALID_INPUT', /name/);
  await refused(installer.loadUnpacked(await writeTestPlugin(path.join(base, 'dev'), 'plinth-x', { name: 'plinth-x' })), 'INVALID_INPUT', /reserved/);
  await refused(installer.loadUnpacked(await writeTestPlugin(path.join(base, 'dev'), 'kanban', { name: 'kanban' })), 'CONFLICT', /bundled/);

  await installer.installFromArchive(await packArchive(base, { name: 'board' }));
  await refused(installer.loadUnpacked(await writeTestPlugin(path.join(base, 'dev'), 'board', { name: 'board' })),
    'CONFLICT', /from a file/, /plugins[/\\]board/);
  await refused(installer.loadUnpacked(path.join(installer.layout.pluginsDir, 'board')), 'INVALID_INPUT', /Plinth's own folder/);

  const first = await writeTestPlugin(path.join(base, 'dev'), 'notes', { name: 'notes' });
  await installer.loadUnpacked(first);
  await refused(installer.loadUnpacked(await writeTestPlugin(path.join(base, 'dev2'), 'notes', { name: 'notes' })),
    'CONFLICT', /already loaded unpacked from/, new RegExp(first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('an unpacked plugin whose package.json gains a capability goes to upgrade_pending until approved', async (t) => {
  const { base, registry, installer } = await createBench(t);
  const dir = await writeTestPlugin(path.join(base, 'dev'), 'notes', { name: 'notes', capabilities: ['comments.read'] });
  await installer.loadUnpacked(dir);
  const same = testManifest({ name: 'notes', capabilities: ['comments.read'] }) as unknown as PluginManifest;
  assert.deepEqual(installer.detectCapabilityGrowth('notes', same), [], 'nothing approved yet: consent at enable covers it');
  enable(registry, 'notes');
  assert.equal(installer.requestUnpackedUpgrade('notes', same), null);

  const grown = await editCapabilities(dir, 'notes', ['comments.read', 'comments.write']);
  registry.update('notes', { capabilities: ['comments.read', 'comments.write'] }); // the host's re-discovery
  assert.deepEqual(installer.detectCapabilityGrowth('notes', grown), ['comments.write']);
  assert.deepEqual(installer.requestUnpackedUpgrade('notes', grown), { addedCapabilities: ['comments.write'] });
  assert.equal(registry.get('notes')?.state, 'upgrade_pending');
  assert.deepEqual(installer.pendingUpgrade('notes'), { version: '1.0.0', addedCapabilities: ['comments.write'] });

  const approved = await installer.approveUpgrade('notes');
  assert.deepEqual([approved.state, approved.approvedCapabilities, approved.dir], ['ready', ['comments.read', 'comments.write'], dir]);
  assert.deepEqual(registry.get('notes')?.approvedCapabilities, ['comments.read', 'comments.write']);

  const again = await editCapabilities(dir, 'notes', ['comments.read', 'comments.write', 'tasks.read']);
  installer.requestUnpackedUpgrade('notes', again);
  assert.deepEqual(await installer.declineUpgrade('notes'), { id: 'notes', state: 'disabled' }, 'no old files to fall back on');
  assert.deepEqual(registry.get('notes')?.approvedCapabilities, ['comments.read', 'comments.write']);
});

test("uninstalling and purging an unpacked plugin never touches the author's folder", async (t) => {
  const { base, db, registry, installer } = await createBench(t);
  const dir = await writeTestPlugin(path.join(base, 'dev'), 'notes', { name: 'notes' });
  await writeFile(path.join(dir, 'notes.md'), 'work in progress');
  const before = await snapshot(dir);
  await installer.loadUnpacked(dir);
  enable(registry, 'notes');
  putState(db, 'notes', 'draft', 'x');

  const result = await installer.uninstall('notes');
  assert.equal(result.movedTo, null);
  assert.deepEqual(await snapshot(dir), before);
  assert.equal(registry.get('notes')?.state, 'uninstalled');
  assert.deepEqual(installer.unpackedRoots(), [], 'discovery no longer sees it');
  assert.deepEqual(installer.listUninstalled().map((p) => [p.id, p.source]), [['notes', 'unpacked']]);

  assert.deepEqual(await installer.restore('notes'), { id: 'notes', state: 'disabled', dir });
  assert.deepEqual(installer.unpackedRoots().map((r) => r.dir), [dir]);
  assert.equal(rowsOf(db, 'plugin_state', 'notes'), 1);

  await installer.uninstall('notes');
  await installer.purge('notes');
  assert.deepEqual(await snapshot(dir), before);
  assert.equal(registry.get('notes'), undefined);
  assert.equal(rowsOf(db, 'plugin_state', 'notes'), 0);
});
