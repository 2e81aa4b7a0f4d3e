/**
 * What a plugin author outside this repository gets: the packed tarballs of @plinth/sdk,
 * @plinth/host and create-plinth-plugin are installed into an empty temporary folder outside
 * the checkout (real copies from `npm install`, no symlink into the repository, nothing but the
 * npm registry and its local cache), the declarations of every public entry point (the dev
 * shell's too) type-check there with library checking on, a JavaScript and a TypeScript plugin are scaffolded there,
 * then type-checked, validated, run, tested and packed with only what was installed. The packed
 * TypeScript plugin then runs from a folder with no node_modules at all, and `plinth-plugin dev`
 * serves the packed shell for it (and, with the SDK installed without that shell, says to install it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract } from 'tar';
import { buildPackages } from '../../scripts/build-packages.ts';
import { authorEnv } from '../support/author-env.ts';
import { callOverSocket, openBridgeSocket, startDevCli } from '../support/dev-cli.ts';

const REPO = realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
/** Building, installing and two scaffolds take a couple of minutes on a loaded machine. */
const BUDGET_MS = 8 * 60_000;

interface Outcome { code: number; stdout: string; stderr: string }

/** Runs a command in `cwd` in an author's environment. */
function sh(cwd: string, command: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: authorEnv(), maxBuffer: 32 * 1024 * 1024, timeout: BUDGET_MS }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * The import specifiers of every entry in the `exports` of the installed `packages` (a `./dir/*`
 * pattern stands for each declaration file in that folder).
 */
function publicEntries(space: string, packages: string[]): string[] {
  return packages.flatMap((pkg) => {
    const root = path.join(space, 'node_modules', pkg);
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    return Object.keys(manifest.exports).flatMap((subpath) => {
      const prefix = subpath === '.' ? pkg : `${pkg}/${subpath.slice(2)}`;
      if (!prefix.endsWith('/*')) return [prefix];
      const dir = subpath.slice(2, -2);
      return readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.d.ts')).map((f) => `${pkg}/${dir}/${f.slice(0, -'.d.ts'.length)}`);
    });
  });
}

/** The files under `dir`, recursively, whose names end in one of `extensions`. */
function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full, extensions);
    return extensions.some((ext) => entry.name.endsWith(ext)) ? [full] : [];
  });
}

/**
 * Packages that the installed `pkg`'s JavaScript imports (static `from '…'` and `import('…')`)
 * without naming them in its dependencies or peerDependencies; Node builtins and the package
 * itself do not count.
 */
function undeclaredImports(space: string, pkg: string): string[] {
  const root = path.join(space, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; dependencies?: object; peerDependencies?: object };
  const declared = new Set([manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })]);
  const imported = new Set<string>();
  for (const file of filesUnder(root, ['.js', '.mjs'])) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
      const specifier = m[1] ?? '';
      if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '')) continue;
      imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  return [...imported].filter((name) => !declared.has(name)).sort();
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ok = (outcome: Outcome, what: string) => assert.equal(outcome.code, 0, `${what} failed:\n${outcome.stdout}\n${outcome.stderr}`);

test('an author outside the repository installs the packed packages, scaffolds, types, validates, runs, tests and packs plugins', { timeout: BUDGET_MS }, async (t) => {
  const tarballs = await buildPackages();
  const space = realpathSync(mkdtempSync(path.join(tmpdir(), 'plinth-author-')));
  t.after(() => rmSync(space, { recursive: true, force: true }));
  assert.ok(!space.startsWith(REPO), 'the author folder is outside the checkout');
  writeFileSync(path.join(space, 'package.json'), JSON.stringify({ name: 'author-space', private: true, type: 'module' }));

  ok(await sh(space, npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, 'typescript@~6.0.3', '@types/react@^19.2.0', '@types/node@^24.0.0']), 'npm install');
  for (const pkg of ['@plinth/sdk', '@plinth/host', 'create-plinth-plugin']) {
    assert.equal(lstatSync(path.join(space, 'node_modules', pkg)).isSymbolicLink(), false, `${pkg} is a real copy, not a link`);
    assert.ok(!realpathSync(path.join(space, 'node_modules', pkg)).startsWith(REPO), `${pkg} resolves outside the checkout`);
  }
  const bin = (name: string) => path.join(space, 'node_modules', '.bin', name);
  // Every package the shipped code imports is one it declares (not one that happens to be
  // hoisted beside it by another package's dependencies).
  for (const pkg of ['@plinth/sdk', '@plinth/host']) assert.deepEqual(undeclaredImports(space, pkg), [], `${pkg} imports packages it does not declare`);

  // Every public entry point's declarations resolve with only what the tarballs installed:
  // library checking on, so an import of an undeclared or untyped package inside a `.d.ts` is an
  // error here instead of a silent `any`.
  await mkdir(path.join(space, 'types-check'));
  const entries = publicEntries(space, ['@plinth/sdk', '@plinth/host', '@plinth/dev-shell']);
  assert.ok(entries.includes('@plinth/sdk/testing') && entries.includes('@plinth/host') && entries.includes('@plinth/dev-shell'), entries.join(', '));
  writeFileSync(path.join(space, 'types-check', 'all.ts'), `${entries.map((entry, i) => `import * as m${i} from '${entry}';`).join('\n')}
export const all = [${entries.map((_, i) => `m${i}`).join(', ')}];
`);
  writeFileSync(path.join(space, 'types-check', 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [], strict: true, skipLibCheck: false, noEmit: true },
    files: ['all.ts'],
  }));
  ok(await sh(path.join(space, 'types-check'), bin('tsc'), ['-p', '.']), 'tsc over every public entry point');

  ok(await sh(space, bin('create-plinth-plugin'), ['js-plugin', '--lang', 'js', '--ui', 'dashboardWidget', '--yes']), 'create (js)');
  ok(await sh(space, bin('create-plinth-plugin'), ['ts-plugin', '--name', '@acme/ts-plugin', '--lang', 'ts', '--ui', 'detailTab', '--yes']), 'create (ts)');

  // Each step as the author runs it: the npm scripts the scaffold wrote (npm puts the
  // node_modules/.bin of every folder above on PATH, so the installed CLI and tsc are found).
  for (const dir of ['js-plugin', 'ts-plugin']) {
    const cwd = path.join(space, dir);
    const script = (name: string, ...args: string[]) => sh(cwd, npm, ['run', '--silent', name, ...(args.length > 0 ? ['--', ...args] : [])]);
    ok(await script('typecheck'), `${dir}: npm run typecheck`);
    if (dir === 'ts-plugin') {
      // The one-command build into dist/, which is what the manifest names.
      ok(await script('build'), `${dir}: npm run build`);
      assert.ok(existsSync(path.join(cwd, 'dist', 'worker.js')) && existsSync(path.join(cwd, 'dist', 'ui', 'index.js')), 'the build wrote dist/');
    }
    const validated = await script('validate');
    ok(validated, `${dir}: npm run validate`);
    assert.match(validated.stdout, /^✓ .* 0\.1\.0 .*: worker, ui \(1 slot\), 3 capabilities$/m);
    const started = await script('start');
    ok(started, `${dir}: npm start`);
    assert.deepEqual(JSON.parse(started.stdout), { message: 'Hello, Plinth' });
    const ran = await sh(cwd, bin('plinth-plugin'), ['run', '.', '--data', 'greeting', '--params', '{"name":"Ada"}']);
    ok(ran, `${dir}: run`);
    assert.deepEqual(JSON.parse(ran.stdout), { message: 'Hello, Ada' });
    const tested = await script('test');
    ok(tested, `${dir}: npm test`);
    assert.match(tested.stdout, /^(ℹ|#) pass 1$/m);
    ok(await script('pack', '--out', path.join(space, 'packed')), `${dir}: npm run pack`);
  }

  // The types are real: a wrong call is a type error in TypeScript and in checked JavaScript.
  const bad = path.join(space, 'ts-plugin', 'src', 'bad.ts');
  writeFileSync(bad, `import { definePlugin } from '@plinth/sdk';
export default definePlugin({ setup(ctx) {
  ctx.data.register<{ n: number }, string>('x', async (params) => params.n);
  void ctx.tasks.get(42);
  ctx.actions.register('y', async () => { const task = await ctx.tasks.get('t1'); if (task) task.status = 'finished'; return task?.title; });
} });
`);
  const rejected = await sh(path.join(space, 'ts-plugin'), bin('tsc'), ['-p', '.', '--noEmit']);
  assert.notEqual(rejected.code, 0);
  assert.match(rejected.stdout, /src\/bad\.ts\(3,.*error TS2322/);
  assert.match(rejected.stdout, /src\/bad\.ts\(4,.*error TS2345/);
  assert.match(rejected.stdout, /src\/bad\.ts\(5,.*error TS2322.*"finished"/, 'entities are typed: a task status outside TaskStatus');
  rmSync(bad);
  const badTest = path.join(space, 'ts-plugin', 'test', 'bad.test.ts');
  writeFileSync(badTest, `import assert from 'node:assert/strict';
import { createTestHarness } from '@plinth/sdk/testing';
const harness = await createTestHarness({ manifest: '..' });
assert.equal((await harness.data<{ message: string }>('greeting', { name: 'Ada' })).mesage, 'Hello, Ada');
`);
  const rejectedTest = await sh(path.join(space, 'ts-plugin'), npm, ['run', '--silent', 'typecheck']);
  assert.notEqual(rejectedTest.code, 0, 'a type error in a test fails npm run typecheck');
  assert.match(rejectedTest.stdout, /test\/bad\.test\.ts\(4,.*error TS2551.*'mesage'/);
  rmSync(badTest);
  const badJs = path.join(space, 'js-plugin', 'worker.js');
  writeFileSync(badJs, `// @ts-check
import { definePlugin } from '@plinth/sdk';
export default definePlugin({ setup(ctx) { ctx.state.set({ scopeKind: 'galaxy', stateKey: 'x' }, 1); } });
/** @type {import('@plinth/sdk').DataHandler<{ n: number }, string>} */
export const handler = async (params) => params.n;
export const title = async (/** @type {import('@plinth/sdk').PluginContext} */ ctx) => (await ctx.tasks.get('t1'))?.titel;
`);
  const rejectedJs = await sh(path.join(space, 'js-plugin'), bin('tsc'), ['-p', '.']);
  assert.match(rejectedJs.stdout, /worker\.js\(3,.*error TS2322|worker\.js\(3,.*error TS2345/);
  assert.match(rejectedJs.stdout, /worker\.js\(5,.*error TS2322/, 'JSDoc gives a handler its params and result types');
  assert.match(rejectedJs.stdout, /worker\.js\(6,.*error TS2551.*'titel'.*'title'/, 'JSDoc sees the entity types');

  // The packed TypeScript plugin loads with no node_modules anywhere above it.
  const bare = realpathSync(mkdtempSync(path.join(tmpdir(), 'plinth-bare-')));
  t.after(() => rmSync(bare, { recursive: true, force: true }));
  await mkdir(path.join(bare, 'ts-plugin'));
  await extract({ file: path.join(space, 'packed', 'ts-plugin-0.1.0.tgz'), cwd: path.join(bare, 'ts-plugin'), strip: 1 });
  const counted = await sh(space, bin('plinth-plugin'), ['run', path.join(bare, 'ts-plugin'), '--action', 'increment']);
  ok(counted, 'run of the unpacked archive');
  assert.deepEqual(JSON.parse(counted.stdout), { count: 1 });

  // @plinth/dev-shell is built on the SDK (it depends on it, not the other way round): the SDK
  // installs without it, and then `plinth-plugin dev` says what to install.
  const sdkOnly = realpathSync(mkdtempSync(path.join(tmpdir(), 'plinth-author-sdk-only-')));
  t.after(() => rmSync(sdkOnly, { recursive: true, force: true }));
  writeFileSync(path.join(sdkOnly, 'package.json'), JSON.stringify({ name: 'sdk-only', private: true, type: 'module' }));
  const [sdkTarball, hostTarball] = tarballs as [string, string];
  ok(await sh(sdkOnly, npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', sdkTarball, hostTarball]), 'npm install of the SDK without the dev shell');
  assert.equal(existsSync(path.join(sdkOnly, 'node_modules', '@plinth', 'dev-shell')), false);
  const withoutShell = await sh(sdkOnly, path.join(sdkOnly, 'node_modules', '.bin', 'plinth-plugin'), ['dev', path.join(space, 'js-plugin'), '--no-open']);
  assert.equal(withoutShell.code, 1, withoutShell.stderr);
  assert.match(withoutShell.stderr, /^error NOT_FOUND: .*npm install --save-dev @plinth\/dev-shell$/m);

  // `plinth-plugin dev` serves the packed shell (@plinth/dev-shell) for the TypeScript plugin:
  // the shell page with its bridge script, the plugin's slot on its own *.localhost origin, the
  // socket open with the printed token and refused without it.
  const dev = await startDevCli(bin('plinth-plugin'), [], '.', path.join(space, 'ts-plugin'));
  t.after(() => dev.stop());
  const origin = new URL(dev.url).origin;
  const page = await fetch(dev.url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<script src="\/__plinth\/dev-bridge\.js"><\/script>/);
  const socket = await openBridgeSocket(dev.url, new URL(dev.url).searchParams.get('token')!, origin);
  assert.ok(typeof socket !== 'number', `the printed token opens the socket (got ${String(socket)})`);
  const contributions = await callOverSocket(socket, 'ui.contributions');
  socket.close();
  const slot = (contributions.value as { slots: Array<{ pluginId: string; slot: { type: string }; frameUrl: string }> }).slots[0];
  assert.equal(slot?.pluginId, '@acme/ts-plugin');
  assert.equal(slot.slot.type, 'detailTab');
  assert.match(slot.frameUrl, /^http:\/\/p[0-9a-f]{32}\.localhost:\d+\/frame\.html$/);
  assert.equal(await openBridgeSocket(dev.url, 'wrong', origin), 401);
  assert.equal(await dev.stop(), 130, dev.output());
});
