/**
 * What passes with a warning instead of an error (CONTRACT §2: unknown keys are warnings), the
 * best-effort identity of a refused plugin, and the bundled example plugins.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, manifestIdentity, validatePluginFolder, type ManifestResult } from '../../main/host/manifest/index.ts';
import { fullManifest, makePluginFolder, makeTempDir, minimalManifest, writePluginFolder } from '../fixtures/manifests/plugin-folder.ts';

type M = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into raw JSON

function warningsOf(result: ManifestResult): string[] {
  assert.equal(result.ok, true, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
  return result.warnings.map(formatProblem);
}

async function validateManifest(t: TestContext, manifest: M) {
  return validatePluginFolder(await makePluginFolder(t, manifest), { source: 'unpacked' });
}

test('a manifest using every feature passes with no warnings and returns the manifest', async (t) => {
  const result = await validateManifest(t, fullManifest());
  assert.deepEqual(warningsOf(result), []);
  if (!result.ok) return;
  assert.equal(result.manifest.name, '@acme/kanban-overview');
  assert.equal(result.manifest.plinth.ui?.slots?.[0]?.exportName, 'Overview');
  assert.equal(result.manifest.plinth.configSchema?.type, 'object');
});

test('unknown keys in the plinth block are warnings that name the key and the known ones', async (t) => {
  const manifest = fullManifest() as M;
  manifest.plinth.colour = 'blue';
  manifest.plinth.ui.slots[0].size = 'large';
  manifest.plinth.ui.launchers[0].render.zIndex = 3;
  manifest.scripts = { build: 'esbuild' }; // npm's own keys stay silent
  const warnings = warningsOf(await validateManifest(t, manifest)).sort();
  assert.equal(warnings.length, 3, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /^plinth\.colour: is not a known key here \(known: displayName, icon, .*\); it is ignored$/);
  assert.match(warnings[1] ?? '', /^plinth\.ui\.launchers\[0\]\.render\.zIndex: is not a known key here \(known: environment, bounds\)/);
  assert.match(warnings[2] ?? '', /^plinth\.ui\.slots\[0\]\.size: is not a known key/);
});

test('"format": "secret" is a valid config format; an unknown keyword is a warning', async (t) => {
  const manifest = fullManifest() as M;
  manifest.plinth.configSchema = { type: 'object', properties: { token: { type: 'string', format: 'secret' } }, requried: ['token'] };
  const warnings = warningsOf(await validateManifest(t, manifest));
  assert.deepEqual(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^plinth\.configSchema: may contain a mistake: .*unknown keyword: "requried"/);
});

test('a duplicated capability, worker-less jobs and a non-module worker are warnings', async (t) => {
  const duplicated = fullManifest() as M;
  duplicated.plinth.capabilities.push('tasks.read');
  assert.deepEqual(warningsOf(await validateManifest(t, duplicated)), ['plinth.capabilities[10]: "tasks.read" is listed twice']);

  const noWorker = fullManifest() as M;
  delete noWorker.plinth.worker;
  assert.deepEqual(warningsOf(await validateManifest(t, noWorker)), [
    'plinth.jobs: need a worker to run, but plinth.worker is not set',
    'plinth.webhooks: need a worker to run, but plinth.worker is not set',
    'plinth.tools: need a worker to run, but plinth.worker is not set',
    'plinth.activationEvents: start a worker, but plinth.worker is not set',
  ]);

  const commonjs = minimalManifest();
  delete commonjs.type;
  assert.deepEqual(warningsOf(await validateManifest(t, commonjs)), ['type: should be "module": the worker "worker.js" is an ES module']);

  const empty = minimalManifest() as M;
  delete empty.plinth.worker;
  assert.deepEqual(warningsOf(await validateManifest(t, empty)), ['plinth: declares neither a worker nor a ui entry, so the plugin does nothing']);
});

test('a refused plugin keeps a best-effort identity: manifest fields, else the folder name', async (t) => {
  const root = await makeTempDir(t);
  const named = fullManifest() as M;
  named.version = 'one';
  const withName = await validatePluginFolder(await writePluginFolder(root, 'kanban', named), { source: 'user' });
  assert.equal(withName.ok, false);
  assert.deepEqual(manifestIdentity(withName), { id: '@acme/kanban-overview', displayName: 'Kanban overview', version: 'one' });

  const bare = await validatePluginFolder(await writePluginFolder(root, 'no-manifest', null), { source: 'user' });
  assert.deepEqual(manifestIdentity(bare), { id: 'no-manifest', displayName: 'no-manifest', version: '' });

  const scoped = await validatePluginFolder(await writePluginFolder(root, '@acme/board', '{'), { source: 'user' });
  assert.deepEqual(manifestIdentity(scoped), { id: '@acme/board', displayName: '@acme/board', version: '' });

  const ok = await validatePluginFolder(await writePluginFolder(root, 'fine', minimalManifest('fine-one')), { source: 'user' });
  assert.deepEqual(manifestIdentity(ok), { id: 'fine-one', displayName: 'Hello world', version: '0.1.0' });
});

test('formatProblem shortens long values and leaves out missing ones', () => {
  assert.equal(formatProblem({ field: 'plinth.displayName', message: 'is required' }), 'plinth.displayName: is required');
  const line = formatProblem({ field: 'plinth.configSchema', message: 'is bad', value: { description: 'x'.repeat(200) } });
  assert.ok(line.length < 120, line);
  assert.match(line, /^plinth\.configSchema: \{"description":"x+… is bad$/);
});

test('every example plugin bundled in plugins/ validates as bundled', async () => {
  const pluginsDir = fileURLToPath(new URL('../../plugins/', import.meta.url));
  const names = (await readdir(pluginsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  assert.ok(names.length > 0, 'the repository bundles at least one plugin');
  for (const { name } of names) {
    const result = await validatePluginFolder(path.join(pluginsDir, name), { source: 'bundled' });
    assert.equal(result.ok, true, `${name}: ${result.ok ? '' : result.problems.map(formatProblem).join('; ')}`);
  }
});
