/**
 * `worker`, `ui.entry` and `icon` must be files inside the plugin folder after symbolic links
 * are followed (CONTRACT §1, §2); `package.json` itself must be readable JSON.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, validatePluginFolder, type ManifestResult } from '../../main/host/manifest/index.ts';
import { fullManifest, makePluginFolder, makeTempDir, minimalManifest, writePluginFolder } from '../fixtures/manifests/plugin-folder.ts';

function lines(result: ManifestResult): string[] {
  return result.ok ? [] : result.problems.map(formatProblem);
}

async function withWorker(t: TestContext, worker: string) {
  const manifest = minimalManifest();
  (manifest.plinth as Record<string, unknown>).worker = worker;
  return makePluginFolder(t, manifest);
}

test('a worker path leaving the folder is refused with the exact line authors see', async (t) => {
  const dir = await withWorker(t, '../x.js');
  await writeFile(path.join(dir, '..', 'x.js'), 'export default {};'); // it exists, and still is refused
  const result = await validatePluginFolder(dir, { source: 'unpacked' });
  assert.deepEqual(lines(result), ['plinth.worker: "../x.js" resolves outside the plugin folder']);
});

test('an absolute worker path is refused', async (t) => {
  const outside = path.join(await makeTempDir(t), 'w.js');
  await writeFile(outside, '');
  const result = await validatePluginFolder(await withWorker(t, outside), { source: 'unpacked' });
  assert.deepEqual(lines(result), [`plinth.worker: ${JSON.stringify(outside)} must be a path relative to the plugin folder, not an absolute path`]);
});

test('a missing worker, a folder as worker and backslashes are refused', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['dist/missing.js', /^plinth\.worker: "dist\/missing\.js" does not exist in the plugin folder$/],
    ['dist', /^plinth\.worker: "dist" is not a file$/],
    ['dist\\worker.js', /^plinth\.worker: "dist\\\\worker\.js" must use "\/" to separate folders$/],
  ];
  for (const [worker, expected] of cases) {
    const result = await validatePluginFolder(await withWorker(t, worker), { source: 'unpacked' });
    assert.equal(lines(result).length, 1, worker);
    assert.match(lines(result)[0] ?? '', expected);
  }
});

test('ui.entry and icon must exist', async (t) => {
  const manifest = fullManifest() as { plinth: { icon: string; ui: { entry: string } } };
  manifest.plinth.icon = 'assets/missing.svg';
  manifest.plinth.ui.entry = 'dist/ui/missing.js';
  const result = await validatePluginFolder(await makePluginFolder(t, manifest), { source: 'unpacked' });
  assert.deepEqual(lines(result), [
    'plinth.ui.entry: "dist/ui/missing.js" does not exist in the plugin folder',
    'plinth.icon: "assets/missing.svg" does not exist in the plugin folder',
  ]);
});

test('a symbolic link to a file outside the folder is refused', async (t) => {
  const outside = path.join(await makeTempDir(t), 'secret.js');
  await writeFile(outside, 'export default {};');
  const dir = await withWorker(t, 'dist/linked.js');
  await symlink(outside, path.join(dir, 'dist', 'linked.js'));
  const result = await validatePluginFolder(dir, { source: 'unpacked' });
  assert.equal(lines(result).length, 1);
  assert.match(lines(result)[0] ?? '', /^plinth\.worker: "dist\/linked\.js" resolves outside the plugin folder \(a symbolic link to .*secret\.js\)$/);
});

test('a symbolic link to a folder outside makes every path through it outside', async (t) => {
  const outside = await makeTempDir(t);
  await mkdir(path.join(outside, 'ui'), { recursive: true });
  await writeFile(path.join(outside, 'worker.js'), '');
  await writeFile(path.join(outside, 'ui', 'index.js'), '');
  const manifest = fullManifest() as { plinth: { worker: string; ui: { entry: string } } };
  manifest.plinth.worker = 'build/worker.js';
  manifest.plinth.ui.entry = 'build/ui/index.js';
  const dir = await makePluginFolder(t, manifest);
  await symlink(outside, path.join(dir, 'build'));
  const result = await validatePluginFolder(dir, { source: 'unpacked' });
  assert.deepEqual(lines(result).map((l) => l.split(':')[0]), ['plinth.worker', 'plinth.ui.entry']);
  assert.ok(lines(result).every((l) => l.includes('resolves outside the plugin folder')));
});

test('symbolic links that stay inside the folder are fine', async (t) => {
  const dir = await withWorker(t, 'dist/alias.js');
  await symlink('worker.js', path.join(dir, 'dist', 'alias.js')); // dist/alias.js → dist/worker.js
  const result = await validatePluginFolder(dir, { source: 'unpacked' });
  assert.equal(result.ok, true, lines(result).join('\n'));
});

test('a broken symbolic link reads as a missing file', async (t) => {
  const dir = await withWorker(t, 'dist/gone.js');
  await symlink('nowhere.js', path.join(dir, 'dist', 'gone.js'));
  assert.deepEqual(lines(await validatePluginFolder(dir, { source: 'unpacked' })), ['plinth.worker: "dist/gone.js" does not exist in the plugin folder']);
});

test('a plugin folder reached through a symbolic link validates against its real folder', async (t) => {
  const real = await makePluginFolder(t, minimalManifest());
  const link = path.join(await makeTempDir(t), 'linked-plugin');
  await symlink(real, link);
  const result = await validatePluginFolder(link, { source: 'user' });
  assert.equal(result.ok, true, lines(result).join('\n'));
  if (!result.ok) return;
  assert.equal(result.dir, link);
  assert.equal(result.realDir, real);
});

test('package.json: missing, invalid JSON with its line and column, not an object, linked outside', async (t) => {
  const root = await makeTempDir(t);
  const missing = await writePluginFolder(root, 'missing', null);
  assert.deepEqual(lines(await validatePluginFolder(missing, { source: 'user' })), [
    'package.json: is missing: a plugin folder needs a package.json manifest (see docs/plugin-api.md §2)',
  ]);

  const broken = await writePluginFolder(root, 'broken', '{\n  "name": "x",\n  "version": 1.0.0\n}\n');
  const [line] = lines(await validatePluginFolder(broken, { source: 'user' }));
  assert.match(line ?? '', /^package\.json: is not valid JSON: .*line 3.*column/);

  const array = await writePluginFolder(root, 'array', '[]');
  assert.deepEqual(lines(await validatePluginFolder(array, { source: 'user' })), ['package.json: [] must contain a JSON object']);

  const secret = path.join(root, 'elsewhere.json');
  await writeFile(secret, JSON.stringify(minimalManifest()));
  const linked = await writePluginFolder(root, 'linked', null);
  await symlink(secret, path.join(linked, 'package.json'));
  assert.deepEqual(lines(await validatePluginFolder(linked, { source: 'user' })), [
    'package.json: resolves outside the plugin folder (a symbolic link)',
  ]);

  assert.deepEqual(lines(await validatePluginFolder(path.join(root, 'nope'), { source: 'user' })), [
    `folder: ${JSON.stringify(path.join(root, 'nope'))} does not exist`,
  ]);
});
