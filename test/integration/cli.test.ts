/**
 * The author CLI `plinth-plugin`: help, validate and pack as an author runs them, in-process
 * through `runCli` and as a real process through `sdk/cli/bin.js`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { list } from 'tar';
import { extractPluginArchive } from '../../main/host/archive/extract.ts';
import { validatePluginFolder } from '../../main/host/manifest/index.ts';
import { nodeVersionProblem } from '../../sdk/cli/node-version.js';
import { fullManifest, makePluginFolder, makeTempDir, minimalManifest } from '../fixtures/manifests/plugin-folder.ts';
import { runCliCaptured as cli } from '../support/cli.ts';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../../sdk/cli/bin.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

test('help lists validate, run and pack, one line each, for no args, --help and help', async () => {
  for (const args of [[], ['--help'], ['help']]) {
    const { code, stdout } = await cli(args);
    assert.equal(code, 0);
    for (const name of ['validate', 'run', 'pack']) assert.match(stdout, new RegExp(`^  ${name} +\\S.*$`, 'm'));
  }
});

test('an unknown command exits 2 and points to --help', async () => {
  const { code, stderr } = await cli(['publish']);
  assert.equal(code, 2);
  assert.match(stderr, /unknown command "publish".*plinth-plugin --help/);
});

test('validate prints a one-line summary for a valid plugin', async (t) => {
  const dir = await makePluginFolder(t, fullManifest());
  const { code, stdout, stderr } = await cli(['validate', dir]);
  assert.equal(code, 0);
  assert.equal(stdout, '✓ @acme/kanban-overview 1.0.0 "Kanban overview": worker, ui (1 slot, 1 launcher), 1 job, 1 webhook, 1 tool, 10 capabilities\n');
  assert.equal(stderr, '');
});

test('validate resolves a relative folder against the current folder and prints warnings to stderr', async (t) => {
  const manifest = minimalManifest('hello-world') as { plinth: Record<string, unknown> };
  manifest.plinth.colour = 'blue';
  const dir = await makePluginFolder(t, manifest);
  const { code, stdout, stderr } = await cli(['validate', path.basename(dir)], path.dirname(dir));
  assert.equal(code, 0);
  assert.equal(stdout, '✓ hello-world 0.1.0 "Hello world": worker, 0 capabilities\n');
  assert.match(stderr, /^warning: plinth\.colour: is not a known key here/m);
});

test('validate exits 1 with one line per problem naming the field and value', async (t) => {
  const manifest = minimalManifest('hello-world') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  manifest.plinth.worker = '../x.js';
  manifest.version = 'one';
  const dir = await makePluginFolder(t, manifest);
  const { code, stdout, stderr } = await cli(['validate', dir]);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines[0], `✗ ${dir} is not a valid Plinth plugin (2 problems):`);
  assert.deepEqual(lines.slice(1).sort(), [
    'error: plinth.worker: "../x.js" resolves outside the plugin folder',
    'error: version: "one" is not a semver version, e.g. "1.0.0"',
  ]);
});

test('validate parses the worker and UI modules: syntax errors with file:line:column, components that are not exported', async (t) => {
  const manifest = fullManifest();
  const dir = await makePluginFolder(t, manifest, {
    'dist/worker.js': 'import { definePlugin } from "@plinth/sdk";\nexport default definePlugin({\n  setup(ctx) { const x = ; },\n});\n',
    'dist/ui/index.js': 'export { Overviews } from "./parts.js";\n',
    'dist/ui/parts.js': 'export function Overviews() { return null; }\n',
  });
  const { code, stderr } = await cli(['validate', dir]);
  assert.equal(code, 1);
  assert.match(stderr, /^error: dist\/worker\.js:3:26: Unexpected ";" \(in plinth\.worker "dist\/worker\.js"\)$/m);
  assert.match(stderr, /^error: plinth\.ui\.slots\[0\]\.exportName: "Overview" is not exported by dist\/ui\/index\.js \(it exports Overviews\)$/m);

  // A component re-exported from a sibling module counts; a syntax error there names that file.
  const fixed = await makePluginFolder(t, manifest, {
    'dist/ui/index.js': 'export * from "./parts.js";\nexport function SyncPanel() { return null; }\n',
    'dist/ui/parts.js': 'export function Overview() { return <p>JSX is fine</p>; }\n',
  });
  const ok = await cli(['validate', fixed]);
  assert.equal(ok.code, 0, ok.stderr);
  await writeFile(path.join(fixed, 'dist/ui/parts.js'), 'export function Overview() { return (; }\n');
  const broken = await cli(['validate', fixed]);
  assert.match(broken.stderr, /^error: dist\/ui\/parts\.js:1:/m);
});

test('validate follows the modules\' imports: one that does not resolve is named with file:line:column; a launcher\'s action.target must be exported', async (t) => {
  const dir = await makePluginFolder(t, fullManifest(), {
    'dist/worker.js': 'import { definePlugin } from "@plinth/sdk";\nimport { helper } from "./lib/helper.js";\nexport default definePlugin({ setup() { helper(); } });\n',
    'dist/ui/index.js': 'export function Overview() { return null; }\nexport function SyncPanels() { return null; }\n',
  });
  const { code, stderr } = await cli(['validate', dir]);
  assert.equal(code, 1);
  assert.match(stderr, /^error: dist\/worker\.js:2:24: Could not resolve "\.\/lib\/helper\.js" \(in plinth\.worker "dist\/worker\.js"\)$/m);
  assert.match(stderr, /^error: plinth\.ui\.launchers\[0\]\.action\.target: "SyncPanel" is not exported by dist\/ui\/index\.js/m);
  await mkdir(path.join(dir, 'dist', 'lib'));
  await writeFile(path.join(dir, 'dist', 'lib', 'helper.js'), 'export function helper() {}\n');
  await writeFile(path.join(dir, 'dist', 'ui', 'index.js'), 'export function Overview() { return null; }\nexport function SyncPanel() { return null; }\n');
  const fixed = await cli(['validate', dir]);
  assert.equal(fixed.code, 0, fixed.stderr);
});

test('validate treats the repo plugins/ folder as bundled and anything else as unpacked', async (t) => {
  const hello = await cli(['validate', path.join(REPO, 'plugins', 'plinth-hello')]);
  assert.equal(hello.code, 0, hello.stderr);
  const impostor = await cli(['validate', await makePluginFolder(t, minimalManifest('plinth-impostor'))]);
  assert.equal(impostor.code, 1);
  assert.match(impostor.stderr, /error: name: "plinth-impostor" is reserved for plugins bundled/);
});

test('validate, pack and run refuse wrong command lines with exit 2', async () => {
  assert.equal((await cli(['validate', 'a', 'b'])).code, 2);
  const bogus = await cli(['pack', '--bogus']);
  assert.equal(bogus.code, 2);
  // The option is named with balanced quotes (Node's own text ends in a stray quote).
  assert.match(bogus.stderr, /^Unknown option "--bogus"; the options are listed below\.$/m);
  assert.match(bogus.stderr, /^Usage: plinth-plugin pack/m);
  assert.equal((await cli(['validate', '--help'])).code, 0);
  const run = await cli(['run']); // `run` itself is covered in cli-run.test.ts
  assert.equal(run.code, 2);
  assert.match(run.stderr, /name the plugin folder to run/);
});

test('pack writes <name>-<version>.tgz with every entry under package/, taking what npm pack takes', async (t) => {
  const dir = await makePluginFolder(t, fullManifest(), {
    'node_modules/dep/index.js': 'x', '.git/HEAD': 'ref', '.npmrc': 'x', '.env': 'SECRET=1', 'old-1.0.0.tgz': 'x',
  });
  const out = path.join(await makeTempDir(t), 'out');
  const { code, stdout, stderr } = await cli(['pack', dir, '--out', out]);
  assert.equal(code, 0, stderr);
  const file = path.join(out, 'kanban-overview-1.0.0.tgz');
  assert.equal(stdout, `${file}\n`);
  // npm leaves node_modules, .git and .npmrc out but packs .env: the CLI says so.
  assert.deepEqual(await archiveEntries(file), [
    'package/.env', 'package/README.md', 'package/assets/icon.svg', 'package/dist/ui/index.js', 'package/dist/worker.js',
    'package/package.json', 'package/worker.js',
  ]);
  assert.match(stderr, /^warning: packing \.env; if it holds secrets, leave it out with \.npmignore or the "files" field$/m);
});

async function archiveEntries(file: string): Promise<string[]> {
  const entries: string[] = [];
  await list({ file, onReadEntry: (e) => { entries.push(e.path); } });
  return entries.sort();
}

test('pack honours the "files" field and .npmignore, and refuses to leave out an entry file the manifest names', async (t) => {
  const manifest = fullManifest();
  const withFiles = await makePluginFolder(t, { ...manifest, files: ['assets'] }, { 'src/worker.ts': 'x', '.env': 'x' });
  const out = await makeTempDir(t);
  const listed = await cli(['pack', withFiles, '--out', out]);
  assert.equal(listed.code, 1, 'plinth.worker "dist/worker.js" is outside "files"');
  assert.match(listed.stderr, /plinth\.worker "dist\/worker\.js" would be left out of the archive by the "files" field or an ignore file/);
  assert.deepEqual(await readdir(out), []);

  const fixed = await makePluginFolder(t, { ...manifest, files: ['dist', 'assets'] }, { 'src/worker.ts': 'x', '.env': 'x' });
  const packed = await cli(['pack', fixed, '--out', out]);
  assert.equal(packed.code, 0, packed.stderr);
  // package.json and README always go in, as with npm; nothing outside "files" does.
  assert.deepEqual(await archiveEntries(packed.stdout.trim()), [
    'package/README.md', 'package/assets/icon.svg', 'package/dist/ui/index.js', 'package/dist/worker.js', 'package/package.json',
  ]);

  const ignored = await makePluginFolder(t, manifest, { '.npmignore': 'src/\n.env\n*.map\n', 'src/worker.ts': 'x', '.env': 'x', 'dist/worker.js.map': '{}' });
  const second = await cli(['pack', ignored, '--out', path.join(out, 'second')]);
  assert.equal(second.code, 0, second.stderr);
  const entries = await archiveEntries(second.stdout.trim());
  assert.ok(!entries.some((e) => e.startsWith('package/src/') || e.endsWith('.env') || e.endsWith('.map')), entries.join(' '));
  assert.ok(entries.includes('package/dist/worker.js'));
});

test('pack → extract round trip gives a folder that validates to the same manifest', async (t) => {
  const dir = await makePluginFolder(t, fullManifest());
  const base = await makeTempDir(t);
  const { code, stdout } = await cli(['pack', dir], base); // --out defaults to the current folder
  assert.equal(code, 0);
  const { dir: installed } = await extractPluginArchive(stdout.trim(), path.join(base, 'installed', 'kanban-overview'));
  const [before, after] = await Promise.all([
    validatePluginFolder(dir, { source: 'unpacked' }), validatePluginFolder(installed, { source: 'user' }),
  ]);
  assert.ok(before.ok && after.ok);
  assert.deepEqual(after.manifest, before.manifest);
});

test('pack refuses an invalid plugin writing no archive, and never packs a link leaving the folder', async (t) => {
  const out = await makeTempDir(t);
  const bad = minimalManifest('hello-world');
  bad.version = 'one';
  const invalid = await cli(['pack', await makePluginFolder(t, bad), '--out', out]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /error: version: "one"/);
  assert.match(invalid.stderr, /Nothing was packed/);

  // npm never packs symbolic links; neither does pack, so a link out of the folder carries nothing out.
  const outside = path.join(await makeTempDir(t), 'secret.txt');
  await writeFile(outside, 'secret');
  const dir = await makePluginFolder(t, minimalManifest('hello-world'));
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  await symlink(outside, path.join(dir, 'assets', 'secret.txt'));
  const linked = await cli(['pack', dir, '--out', path.join(out, 'linked')]);
  assert.equal(linked.code, 0, linked.stderr);
  assert.ok(!(await archiveEntries(linked.stdout.trim())).includes('package/assets/secret.txt'));
  await rm(path.join(out, 'linked'), { recursive: true });
  assert.deepEqual(await readdir(out), []);
});

test('bin.js runs as a real process: exit 0 for a valid folder, 1 for an invalid one', async (t) => {
  const good = await makePluginFolder(t, minimalManifest('hello-world'));
  const ok = await execFileAsync(process.execPath, [BIN, 'validate', good]);
  assert.equal(ok.stdout, '✓ hello-world 0.1.0 "Hello world": worker, 0 capabilities\n');

  const bad = await makePluginFolder(t, null);
  await assert.rejects(execFileAsync(process.execPath, [BIN, 'validate', bad]), (error: { code?: number; stderr?: string }) => {
    assert.equal(error.code, 1);
    assert.match(error.stderr ?? '', /error: package\.json: is missing/);
    return true;
  });
});

test('bin.js is executable through its shebang', async () => {
  await access(BIN, constants.X_OK);
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const { stdout } = await execFileAsync(BIN, ['--help'], { env });
  assert.match(stdout, /^Usage: plinth-plugin <command>/);
});

/** An older Node some machines have as their system Node, to check the message a real user gets. */
const OLD_NODE = '/usr/bin/node';

/** Makes this Node report version 20 to bin.js, where no older Node is installed. */
const PRETEND_NODE_20 = `data:text/javascript,${encodeURIComponent("Object.defineProperty(process.versions, 'node', { value: '20.20.2' });")}`;

test('on an old Node, bin.js exits 1 with the "needs Node 24" message', async () => {
  const version = await execFileAsync(OLD_NODE, ['--version']).then((r) => r.stdout.trim().slice(1), () => undefined);
  // A real old Node also proves bin.js parses there; without one, the version check still runs.
  const realOldNode = version !== undefined && nodeVersionProblem(version) !== undefined;
  const run = realOldNode
    ? execFileAsync(OLD_NODE, [BIN, '--help'])
    : execFileAsync(process.execPath, ['--import', PRETEND_NODE_20, BIN, '--help']);
  await assert.rejects(run, (error: { code?: number; stderr?: string }) => {
    assert.equal(error.code, 1);
    assert.match(error.stderr ?? '', /^Plinth's CLI needs Node 24 \(see \.nvmrc\)/);
    return true;
  });
});

test('the CLI explains which Node it needs instead of failing on .ts files', () => {
  assert.match(nodeVersionProblem('20.20.2') ?? '', /^Plinth's CLI needs Node 24 \(see \.nvmrc\); this is Node 20\.20\.2/);
  assert.ok(nodeVersionProblem('22.17.1'));
  assert.equal(nodeVersionProblem('22.18.0'), undefined);
  assert.equal(nodeVersionProblem('24.1.0'), undefined);
});
