import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createPluginFiles, MAX_FILE_BYTES } from '../../main/host/services/files/plugin-files.ts';
import { createTempDir } from '../support/plugin-folders.ts';

test('ctx.files writes, reads, lists, stats and deletes inside the data folder', async (t) => {
  const dataDir = join(createTempDir(t), 'data');
  const files = createPluginFiles(dataDir);
  await files.write('notes/today.txt', 'héllo');
  await files.write('notes/today.txt', ' world', { append: true });
  await files.write('bin.dat', Buffer.from([0, 255, 7]).toString('base64'), { encoding: 'base64' });
  assert.equal(await files.read('notes/today.txt'), 'héllo world');
  assert.equal(await files.read('bin.dat', { encoding: 'base64' }), Buffer.from([0, 255, 7]).toString('base64'));
  assert.deepEqual((await files.list()).map((e) => [e.name, e.type]), [['bin.dat', 'file'], ['notes', 'directory']]);
  const stat = await files.stat('notes/today.txt');
  assert.equal(stat?.size, Buffer.byteLength('héllo world'));
  assert.equal(stat?.type, 'file');
  await files.delete('notes');
  assert.equal(await files.stat('notes/today.txt'), null);
  await assert.rejects(files.read('notes/today.txt'), { code: 'NOT_FOUND' });
});

test('ctx.files refuses paths that leave the data folder, symbolic links, and files over the cap', async (t) => {
  const root = createTempDir(t);
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(root, 'secret.txt'), 'not yours');
  symlinkSync(root, join(dataDir, 'way-out'));
  symlinkSync(join(root, 'secret.txt'), join(dataDir, 'secret-link'));
  const files = createPluginFiles(dataDir);
  await assert.rejects(files.read('../secret.txt'), { code: 'INVALID_INPUT', message: /leaves ctx\.dataDir/ });
  await assert.rejects(files.read(join(root, 'secret.txt')), { code: 'INVALID_INPUT', message: /is absolute/ });
  await assert.rejects(files.read('way-out/secret.txt'), { code: 'INVALID_INPUT', message: /through a symbolic link/ });
  await assert.rejects(files.write('way-out/planted.txt', 'x'), { code: 'INVALID_INPUT', message: /through a symbolic link/ });
  await assert.rejects(files.read('secret-link'), { code: 'INVALID_INPUT', message: /symbolic link/ });
  await assert.rejects(files.write('big.bin', 'x'.repeat(MAX_FILE_BYTES + 1)), { code: 'PAYLOAD_TOO_LARGE', message: /over the 4\.0 MiB limit/ });
  await assert.rejects(files.delete('.'), { code: 'INVALID_INPUT' });
  assert.equal(await files.stat('big.bin'), null, 'a refused write leaves nothing behind');
});
