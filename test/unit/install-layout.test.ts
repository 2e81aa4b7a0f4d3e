/**
 * The installer's folder layout: scoped ids become the two folders discovery expects, names are
 * safe on every OS, nothing resolves outside its root, and a failed swap puts the old folder back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { swapFolder } from '../../main/host/install/context.ts';
import { idFolder, inside, installLayout, pluginDataDirName, uninstalledFolder } from '../../main/host/install/layout.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import { makeTempDir } from '../fixtures/manifests/plugin-folder.ts';

const layout = installLayout('/profile');

test('installed copies live under plugins/<id>, scoped ids as @scope/name folders', () => {
  assert.equal(idFolder(layout.pluginsDir, 'board'), path.resolve('/profile/plugins/board'));
  assert.equal(idFolder(layout.pluginsDir, '@acme/board'), path.resolve('/profile/plugins/@acme/board'));
  assert.equal(idFolder(layout.stagedDir, '@acme/board'), path.resolve('/profile/staged/@acme/board'));
});

test('uninstalled copies get a flat, timestamped name without characters Windows refuses', () => {
  const dir = uninstalledFolder(layout, '@acme/board', new Date('2025-03-04T05:06:07.089Z'));
  assert.equal(dir, path.resolve('/profile/uninstalled/@acme__board-2025-03-04T05-06-07-089Z'));
  assert.doesNotMatch(path.basename(dir), /[:\\/]/);
});

test('the data folder name matches the ctx.dataDir rule of the host', () => {
  assert.equal(pluginDataDirName('@acme/board'), 'acme__board');
  assert.equal(pluginDataDirName('board'), 'board');
});

test('a path leaving its root, or the root itself, is refused before anything is touched', () => {
  assert.throws(() => idFolder(layout.pluginsDir, '../../etc'), (e: unknown) => e instanceof PlinthError && e.code === 'INTERNAL');
  assert.throws(() => inside(layout.pluginsDir, layout.pluginsDir), /not inside/);
  assert.throws(() => inside(layout.pluginsDir, '/profile/plugins-evil/x'), /not inside/);
});

test('swapFolder replaces a folder, and puts the old one back when the new one cannot move in', async (t) => {
  const base = await makeTempDir(t);
  const target = path.join(base, 'plugins', 'board');
  const write = async (dir: string, text: string) => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'version.txt'), text);
  };
  await write(target, 'old');
  await write(path.join(base, 'incoming'), 'new');
  await swapFolder(path.join(base, 'incoming'), target, path.join(base, 'scratch'));
  assert.equal(await readFile(path.join(target, 'version.txt'), 'utf8'), 'new');

  await assert.rejects(swapFolder(path.join(base, 'missing'), target, path.join(base, 'scratch')), /ENOENT/);
  assert.equal(await readFile(path.join(target, 'version.txt'), 'utf8'), 'new', 'the current version is back in place');
});
