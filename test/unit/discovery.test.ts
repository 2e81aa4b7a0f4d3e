/**
 * Discovery lists every plugin folder of the plugin roots, validated, in a stable order; a bad
 * folder is listed with its problems and never stops the others; one name cannot be installed twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverPlugins, type DiscoveredPlugin } from '../../main/host/discovery.ts';
import { formatProblem } from '../../main/host/manifest/index.ts';
import { makeTempDir, minimalManifest, writePluginFolder } from '../fixtures/manifests/plugin-folder.ts';

function summary(found: DiscoveredPlugin[]) {
  return found.map((d) => ({
    id: d.id, source: d.source, folder: path.basename(d.dir), ok: d.result.ok,
    problems: d.result.ok ? [] : d.result.problems.map(formatProblem),
  }));
}

test('discovery lists good, broken, scoped, linked and duplicate folders in a stable order', async (t) => {
  const base = await makeTempDir(t);
  const bundled = path.join(base, 'bundled');
  const user = path.join(base, 'user');
  const elsewhere = path.join(base, 'dev');

  await writePluginFolder(bundled, 'plinth-hello', minimalManifest('plinth-hello'));
  await writePluginFolder(bundled, 'board', minimalManifest('board'));
  await writePluginFolder(user, 'zeta', minimalManifest('zeta'));
  await writePluginFolder(user, 'alpha', '{ "name": "alpha", ');                 // broken JSON
  await writePluginFolder(user, 'board-copy', minimalManifest('board'));         // same name as a bundled one
  await writePluginFolder(user, '@acme/board', minimalManifest('@acme/board'));  // scoped folder
  await writePluginFolder(user, 'empty', null);                                  // no package.json
  await writePluginFolder(user, '.board.partial-x1', minimalManifest('partial')); // an install in progress
  await writePluginFolder(user, 'node_modules', minimalManifest('dependency'));
  await writeFile(path.join(user, 'notes.txt'), 'not a plugin');
  await writePluginFolder(elsewhere, 'linked', minimalManifest('linked'));
  await symlink(path.join(elsewhere, 'linked'), path.join(user, 'linked'));   // a dev folder linked in

  const roots = [
    { dir: bundled, source: 'bundled' as const },
    { dir: user, source: 'user' as const },
    { dir: path.join(base, 'missing'), source: 'user' as const },
  ];
  const found = await discoverPlugins(roots);

  const listed = summary(found);
  assert.deepEqual(listed.map(({ problems: _, ...rest }) => rest), [
    { id: 'board', source: 'bundled', folder: 'board', ok: true },
    { id: 'plinth-hello', source: 'bundled', folder: 'plinth-hello', ok: true },
    { id: '@acme/board', source: 'user', folder: 'board', ok: true },
    { id: 'alpha', source: 'user', folder: 'alpha', ok: false },
    { id: 'board', source: 'user', folder: 'board-copy', ok: false },
    { id: 'empty', source: 'user', folder: 'empty', ok: false },
    { id: 'linked', source: 'user', folder: 'linked', ok: true },
    { id: 'zeta', source: 'user', folder: 'zeta', ok: true },
  ]);
  assert.match(listed[3]?.problems.join() ?? '', /^package\.json: is not valid JSON: .*line 1/);
  assert.deepEqual(listed[4]?.problems, [`name: "board" is already installed from bundled at ${path.join(bundled, 'board')}`]);
  assert.deepEqual(listed[5]?.problems, ['package.json: is missing: a plugin folder needs a package.json manifest (see docs/plugin-api.md §2)']);
  // A refused duplicate keeps the identity its manifest declares, for the settings list.
  const copy = found[4]?.result;
  assert.ok(copy && !copy.ok);
  assert.equal(copy.displayName, 'Hello world');
  assert.equal(copy.version, '0.1.0');

  // Stable: the same tree gives the same list.
  assert.deepEqual(summary(await discoverPlugins(roots)), summary(found));
});

test('a reserved name outside the bundled root is refused, and a refused folder does not claim its name against a valid later one', async (t) => {
  const base = await makeTempDir(t);
  await writePluginFolder(path.join(base, 'a'), 'impostor', minimalManifest('plinth-hello'));
  const broken = minimalManifest('shared');
  broken.version = 'x';
  await writePluginFolder(path.join(base, 'a'), 'shared-broken', broken);
  await writePluginFolder(path.join(base, 'b'), 'shared', minimalManifest('shared'));
  const found = summary(await discoverPlugins([{ dir: path.join(base, 'a'), source: 'user' }, { dir: path.join(base, 'b'), source: 'user' }]));
  assert.equal(found[0]?.ok, false);
  assert.match(found[0]?.problems[0] ?? '', /^name: "plinth-hello" is reserved for plugins bundled/);
  // The broken "shared" came first and still claims the name: two folders, one name, one is refused.
  assert.equal(found[2]?.id, 'shared');
  assert.match(found[2]?.problems[0] ?? '', /^name: "shared" is already installed from user at .*shared-broken$/);
});

test('roots that are missing or are files yield nothing, and an unreadable root is reported, not thrown', async (t) => {
  const base = await makeTempDir(t);
  const file = path.join(base, 'file');
  await writeFile(file, '');
  assert.deepEqual(await discoverPlugins([{ dir: path.join(base, 'nope'), source: 'user' }, { dir: file, source: 'user' }]), []);

  const errors: string[] = [];
  // A NUL byte makes readdir fail with something other than "not found" (as EACCES would when not root).
  const found = await discoverPlugins([{ dir: path.join(base, '\0bad'), source: 'user' }], {
    onRootError: (root, error) => errors.push(`${root.source}: ${error.message}`),
  });
  assert.deepEqual(found, []);
  assert.equal(errors.length, 1, 'the unreadable root is reported once');
});

test('discovery validates against the host API version it is given', async (t) => {
  const base = await makeTempDir(t);
  await writePluginFolder(base, 'hello', minimalManifest('hello'));
  const [found] = await discoverPlugins([{ dir: base, source: 'user' }], { hostApiVersion: '2.0.0' });
  assert.ok(found && !found.result.ok);
  assert.match(formatProblem(found.result.problems[0]!), /^engines\.plinth: "\^1\.0\.0" is not satisfied by this host's plugin API version 2\.0\.0/);
});
