/**
 * The validated-manifest cache: an unchanged plugin folder is not re-validated, and any change to
 * a file its validation read (package.json, the worker, the UI entry, the icon, a symbolic link
 * among them) is validated again, for installed and unpacked folders alike; an upgrade that keeps
 * size and mtime is still seen, and a damaged cache file costs nothing but a re-validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverPlugins, type PluginRoot } from '../../main/host/discovery.ts';
import { createManifestCache } from '../../main/host/manifest-cache.ts';
import { fullManifest, makeTempDir, minimalManifest, writePluginFolder } from '../fixtures/manifests/plugin-folder.ts';

interface StoredFile { entries: Record<string, { result: { manifest: { plinth: { displayName: string } } } }> }

/** Marks the stored entry of `dir`, so a result served from the cache is told from a validated one. */
async function markStored(file: string, dir: string): Promise<void> {
  const stored = JSON.parse(await readFile(file, 'utf8')) as StoredFile;
  stored.entries[dir]!.result.manifest.plinth.displayName = 'from the cache';
  await writeFile(file, JSON.stringify(stored));
}

/** One discovery pass with the cache in `file` (saved afterwards, as a start does); the folder's display name or `refused`. */
async function pass(roots: PluginRoot[], file: string): Promise<string> {
  const cache = createManifestCache(file);
  const [found] = await discoverPlugins(roots, { cache });
  await cache.save();
  return found!.result.ok ? found!.result.manifest.plinth.displayName : 'refused';
}

test('an unchanged installed plugin is served from the cache; a removed worker file or a rewritten package.json is validated again', async (t) => {
  const base = await makeTempDir(t);
  const user = path.join(base, 'plugins');
  const dir = await writePluginFolder(user, 'board', minimalManifest('board'));
  const file = path.join(base, 'manifest-cache.json');
  const roots = [{ dir: user, source: 'user' as const }];

  assert.equal(await pass(roots, file), 'Hello world');
  assert.ok(JSON.parse(await readFile(file, 'utf8')).entries[dir], 'the valid result is stored');
  await markStored(file, dir);
  assert.equal(await pass(roots, file), 'from the cache', 'nothing changed: not validated again');
  // Dated back to 1970, so a rewrite shows even within the file system's timestamp resolution.
  await utimes(file, 0, 0);
  await pass(roots, file);
  assert.equal((await stat(file)).mtimeMs, 0, 'a cache that did not change is not written');

  await rm(path.join(dir, 'worker.js'));
  assert.equal(await pass(roots, file), 'refused', 'the worker file is part of the key');
  await writeFile(path.join(dir, 'worker.js'), 'export default {};\n');
  assert.equal(await pass(roots, file), 'Hello world');

  // An upgrade extracted from an archive: same size, same (archived) mtime, new content.
  await markStored(file, dir);
  const manifestFile = path.join(dir, 'package.json');
  const before = await stat(manifestFile);
  const original = await readFile(manifestFile, 'utf8');
  await writeFile(manifestFile, original.replace('"worker.js"', '"worker.jz"').replace('"0.1.0"', '"0.2.0"'));
  assert.equal((await stat(manifestFile)).size, before.size);
  await utimes(manifestFile, before.atime, before.mtime);
  assert.equal(await pass(roots, file), 'refused', 'validated again, so the missing worker file is reported');
});

test('an unpacked folder is cached too: an edit to its UI entry, or an icon turned into a link out of the folder, is seen on the next pass', async (t) => {
  const base = await makeTempDir(t);
  const dev = await writePluginFolder(base, 'dev-plugin', fullManifest());
  const file = path.join(base, 'manifest-cache.json');
  const roots = [{ dir: dev, source: 'unpacked' as const, isPluginFolder: true }];
  const name = (fullManifest().plinth as { displayName: string }).displayName;

  assert.equal(await pass(roots, file), name);
  await markStored(file, dev);
  assert.equal(await pass(roots, file), 'from the cache');

  await writeFile(path.join(dev, 'dist/ui/index.js'), 'export function Overview() { return 1; }\n');
  assert.equal(await pass(roots, file), name, 'the UI entry changed: validated again');

  await markStored(file, dev);
  const outside = path.join(base, 'outside.svg');
  await writeFile(outside, '<svg/>');
  await rename(path.join(dev, 'assets/icon.svg'), path.join(base, 'old-icon.svg'));
  await symlink(outside, path.join(dev, 'assets/icon.svg'));
  assert.equal(await pass(roots, file), 'refused', 'the icon now leaves the folder');
});

test('a damaged cache file is an empty cache, rewritten on the next save', async (t) => {
  const base = await makeTempDir(t);
  const dev = await writePluginFolder(base, 'dev-plugin', minimalManifest('dev-plugin'));
  const file = path.join(base, 'manifest-cache.json');
  await writeFile(file, '{ not json');
  const roots = [{ dir: dev, source: 'unpacked' as const, isPluginFolder: true }];
  assert.equal(await pass(roots, file), 'Hello world');
  assert.ok(JSON.parse(await readFile(file, 'utf8')).entries[dev], 'rewritten with the valid result');
});
