/**
 * `npm start` without a downloaded Electron binary says what is missing and what to do, instead
 * of the electron package's "Electron failed to install correctly".
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findElectronBinary } from '../../scripts/start.ts';
import { createTempDir } from '../support/plugin-folders.ts';

async function electronPackage(t: TestContext, files: Record<string, string>): Promise<string> {
  const root = createTempDir(t, 'plinth-electron-');
  const pkg = path.join(root, 'node_modules', 'electron');
  await mkdir(pkg, { recursive: true });
  await writeFile(path.join(pkg, 'package.json'), '{"name":"electron","version":"45.4.1"}');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(pkg, name)), { recursive: true });
    await writeFile(path.join(pkg, name), text);
  }
  return root;
}

test('an electron package whose binary was never downloaded: the message says so and how to get it', async (t) => {
  const found = findElectronBinary(await electronPackage(t, {}), {});
  assert.equal(found.ok, false);
  assert.ok(!found.ok);
  assert.match(found.message, /Electron binary is not installed/);
  assert.match(found.message, /node node_modules\/electron\/install\.js/);
  assert.match(found.message, /npm test/);
  assert.doesNotMatch(found.message, /failed to install correctly/);
});

test('path.txt naming a binary that is not in dist/ is the same problem', async (t) => {
  const found = findElectronBinary(await electronPackage(t, { 'path.txt': 'electron' }), {});
  assert.equal(found.ok, false);
});

test('a downloaded binary is found where the electron package puts it, or under ELECTRON_OVERRIDE_DIST_PATH', async (t) => {
  const root = await electronPackage(t, { 'path.txt': 'electron', 'dist/electron': '' });
  assert.deepEqual(findElectronBinary(root, {}), { ok: true, path: path.join(root, 'node_modules', 'electron', 'dist', 'electron') });
  const other = createTempDir(t, 'plinth-electron-dist-');
  await writeFile(path.join(other, 'electron'), '');
  assert.deepEqual(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: other }), { ok: true, path: path.join(other, 'electron') });
});

test('no electron package at all: run npm install', async (t) => {
  const found = findElectronBinary(createTempDir(t, 'plinth-electron-none-'), {});
  assert.ok(!found.ok);
  assert.match(found.message, /npm install/);
});
