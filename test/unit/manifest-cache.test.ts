/**
 * The validated-manifest cache: installed plugins are not re-validated at start-up when their
 * package.json did not change, an upgrade that keeps size and mtime is still seen, unpacked
 * folders are always validated, and a damaged cache file costs nothing but a re-validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverPlugins } from '../../main/host/discovery.ts';
import { createManifestCache } from '../../main/host/manifest-cache.ts';
import { makeTempDir, minimalManifest, writePluginFolder } from '../fixtures/manifests/plugin-folder.ts';

test('a second start serves an unchanged installed plugin from the cache, and a rewritten package.json is validated again', async (t) => {
  const base = await makeTempDir(t);
  const user = path.join(base, 'plugins');
  const dir = await writePluginFolder(user, 'board', minimalManifest('board'));
  const file = path.join(base, 'manifest-cache.json');
  const roots = [{ dir: user, source: 'user' as const }];

  const first = await discoverPlugins(roots, { cache: createManifestCache(file) });
  assert.equal(first[0]!.result.ok, true);
  await createManifestCache(file).save();
  const stored = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as { entries?: Record<string, unknown> };
  assert.equal(stored.entries, undefined, 'a cache that did not change is not written');

  const cache = createManifestCache(file);
  await discoverPlugins(roots, { cache });
  await cache.save();
  assert.ok(JSON.parse(await readFile(file, 'utf8')).entries[dir], 'the valid result is stored');

  // Served from the cache: the worker file is gone, yet nothing re-read the folder.
  await rm(path.join(dir, 'worker.js'));
  const cached = await discoverPlugins(roots, { cache: createManifestCache(file) });
  assert.equal(cached[0]!.result.ok, true);

  // An upgrade extracted from an archive: same size, same (archived) mtime, new content.
  const manifestFile = path.join(dir, 'package.json');
  const before = await stat(manifestFile);
  const original = await readFile(manifestFile, 'utf8');
  await writeFile(manifestFile, original.replace('"worker.js"', '"worker.jz"').replace('"0.1.0"', '"0.2.0"'));
  assert.equal((await stat(manifestFile)).size, before.size);
  await utimes(manifestFile, before.atime, before.mtime);
  const upgraded = await discoverPlugins(roots, { cache: createManifestCache(file) });
  assert.equal(upgraded[0]!.result.ok, false, 'validated again, so the missing worker file is reported');
});

test('unpacked folders are always validated; a damaged cache file is an empty cache', async (t) => {
  const base = await makeTempDir(t);
  const dev = await writePluginFolder(base, 'dev-plugin', minimalManifest('dev-plugin'));
  const file = path.join(base, 'manifest-cache.json');
  await writeFile(file, '{ not json');
  const cache = createManifestCache(file);
  const roots = [{ dir: dev, source: 'unpacked' as const, isPluginFolder: true }];
  assert.equal((await discoverPlugins(roots, { cache }))[0]!.result.ok, true);
  await rm(path.join(dev, 'worker.js'));
  assert.equal((await discoverPlugins(roots, { cache }))[0]!.result.ok, false, 'the author removed the worker: seen at once');
  await cache.save();
  assert.equal(await readFile(file, 'utf8'), '{ not json', 'nothing cached, nothing written');
});
