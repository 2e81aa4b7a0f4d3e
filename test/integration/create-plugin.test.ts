/**
 * create-plinth-plugin (`npm create plinth-plugin`): every combination it offers writes a folder
 * the CLI validates and whose own test passes; bad choices are refused before anything is
 * written, and an existing folder is never overwritten. In a terminal with flags missing, it
 * asks for each of them (driven through a pseudo-terminal). The packed form, run outside the
 * repository with TypeScript, is covered by packages-outside-repo.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { scaffold, validateChoices } from '../../packages/create-plinth-plugin/scaffold.js';
import { runCliCaptured as cli } from '../support/cli.ts';
import { authorEnv } from '../support/author-env.ts';
import { createTempDir } from '../support/plugin-folders.ts';
import { runInTerminal, terminalUnavailable } from '../support/terminal.ts';

const run = promisify(execFile);
const INDEX = fileURLToPath(new URL('../../packages/create-plinth-plugin/index.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const choices = (dir: string, over: Record<string, unknown> = {}) => ({ dir, name: 'my-plugin', displayName: undefined, lang: 'js', worker: true, ui: 'dashboardWidget', ...over });

test('worker + UI, worker only and UI only plugins validate, and their own test passes in the harness', async (t) => {
  // Inside the checkout, so the plugins' `@plinth/sdk` resolves to this SDK (ES modules ignore NODE_PATH).
  mkdirSync(path.join(REPO, 'out'), { recursive: true });
  const base = mkdtempSync(path.join(REPO, 'out', 'create-test-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  for (const [name, over, summary] of [
    ['both', {}, /worker, ui \(1 slot\), 3 capabilities/],
    ['worker-only', { ui: null }, /: worker, 2 capabilities$/m],
    ['ui-only', { worker: false, ui: 'page' }, /: ui \(1 slot\), 1 capability$/m],
  ] as const) {
    const dir = path.join(base, name);
    await scaffold(choices(dir, { name, ...over }));
    const validated = await cli(['validate', dir]);
    assert.equal(validated.code, 0, validated.stderr);
    assert.match(validated.stdout, summary);
    // A README that names the plugin and says how to install, test, run and pack it.
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`^# .+\\n\\nA \\[Plinth\\]\\(.*\\) plugin \\(\`${name}\`\\)`));
    for (const command of ['npm install', 'npm test', 'npm start', 'npm run pack']) assert.ok(readme.includes(command), `${name}: README says ${command}`);
    // The plugin's own test, as `npm test` runs it.
    const { stdout } = await run(process.execPath, ['--test', 'test/plugin.test.js'], { cwd: dir, env: authorEnv() })
      .catch((error: { stdout: string; stderr: string }) => assert.fail(`${name}: ${error.stdout}\n${error.stderr}`));
    assert.match(stdout, /^(ℹ|#) pass 1$/m);
  }
  const manifest = JSON.parse(readFileSync(path.join(base, 'ui-only', 'package.json'), 'utf8')) as { plinth: { capabilities: string[] } };
  assert.deepEqual(manifest.plinth.capabilities, ['ui.page.register'], 'the slot brings its own capability, nothing more');
});

test('bad choices are refused with a sentence each; an existing folder is left alone', async (t) => {
  const dir = createTempDir(t, 'plinth-create-bad-');
  assert.deepEqual(validateChoices(choices(dir)), []);
  const problems = validateChoices(choices(dir, { name: 'My Plugin', lang: 'py', ui: 'banner', worker: true }));
  assert.equal(problems.length, 3);
  assert.match(problems.join('\n'), /--name "My Plugin" must be an npm package name/);
  assert.match(problems.join('\n'), /--lang must be js or ts/);
  assert.match(problems.join('\n'), /--ui "banner" is not a slot type/);
  assert.match(validateChoices(choices(dir, { name: 'plinth-x' })).join(), /reserved/);
  assert.match(validateChoices(choices(dir, { worker: false, ui: null })).join(), /needs a worker, a UI or both/);

  writeFileSync(path.join(dir, 'keep.txt'), 'mine');
  await assert.rejects(scaffold(choices(dir)), /is not empty/);
  assert.deepEqual(readdirSync(dir), ['keep.txt']);
});

test('the command line: flags without a terminal never ask; a wrong flag exits 2 writing nothing', async (t) => {
  const base = createTempDir(t, 'plinth-create-cli-');
  const { stdout } = await run(process.execPath, [INDEX, 'from-flags', '--name', '@acme/from-flags', '--lang', 'ts', '--no-worker', '--ui', 'sidebar'], { cwd: base });
  assert.match(stdout, /^Created @acme\/from-flags in from-flags \(\d+ files\)\./m);
  assert.match(stdout, /npm run build/);
  const manifest = JSON.parse(readFileSync(path.join(base, 'from-flags', 'package.json'), 'utf8')) as { plinth: Record<string, unknown>; scripts: Record<string, string> };
  assert.equal(manifest.plinth.worker, undefined);
  assert.deepEqual(manifest.plinth.capabilities, ['ui.sidebar.register']);
  assert.equal(manifest.scripts.build, 'tsc -p .');
  assert.ok(readdirSync(path.join(base, 'from-flags', 'src', 'ui')).includes('index.ts'));

  const wrong = await run(process.execPath, [INDEX, 'nope', '--lang', 'rust'], { cwd: base }).catch((error: { code: number; stderr: string }) => error);
  assert.equal((wrong as { code: number }).code, 2);
  assert.match((wrong as { stderr: string }).stderr, /--lang must be js or ts/);
  assert.ok(!readdirSync(base).includes('nope'));
});

test('in a terminal it asks for what the flags leave out, takes each answer, and the plugin it writes validates and passes its test', { skip: terminalUnavailable() }, async (t) => {
  // Inside the checkout, so the plugin's `@plinth/sdk` resolves to this SDK.
  mkdirSync(path.join(REPO, 'out'), { recursive: true });
  const base = mkdtempSync(path.join(REPO, 'out', 'create-asked-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));

  // No flags: every question, each answered with something other than its default.
  const asked = await runInTerminal(base, process.execPath, [INDEX], [
    { question: /Folder for the plugin\? \(my-plinth-plugin\)/, answer: 'asked-plugin' },
    { question: /Plugin name \(an npm package name\)\? \(asked-plugin\)/, answer: '@acme/asked' },
    { question: /JavaScript or TypeScript\? js\/ts \(js\)/, answer: 'js' },
    { question: /A background worker\? y\/n \(y\)/, answer: 'n' },
    { question: /A UI component in which slot\? \(page, dashboardWidget, .*, or none\) \(dashboardWidget\)/, answer: 'page' },
  ], authorEnv());
  assert.equal(asked.code, 0, asked.output);
  assert.match(asked.output, /Created @acme\/asked in asked-plugin \(\d+ files\)\./);
  const dir = path.join(base, 'asked-plugin');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; plinth: { worker?: string; ui: { slots: Array<{ type: string }> }; capabilities: string[] } };
  assert.equal(manifest.name, '@acme/asked');
  assert.equal(manifest.plinth.worker, undefined, 'the "n" to a worker was taken');
  assert.deepEqual(manifest.plinth.ui.slots.map((slot) => slot.type), ['page']);
  assert.deepEqual(manifest.plinth.capabilities, ['ui.page.register']);
  const validated = await cli(['validate', dir]);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /: ui \(1 slot\), 1 capability$/m);
  const { stdout } = await run(process.execPath, ['--test', 'test/plugin.test.js'], { cwd: dir, env: authorEnv() })
    .catch((error: { stdout: string; stderr: string }) => assert.fail(`${error.stdout}\n${error.stderr}`));
  assert.match(stdout, /^(ℹ|#) pass 1$/m);

  // Flags given are not asked again; Enter takes the default shown; "none" means no UI.
  const partly = await runInTerminal(base, process.execPath, [INDEX, 'partly', '--lang', 'js'], [
    { question: /Plugin name \(an npm package name\)\? \(partly\)/, answer: '' },
    { question: /A background worker\? y\/n \(y\)/, answer: '' },
    { question: /A UI component in which slot\?.*\(dashboardWidget\)/, answer: 'none' },
  ], authorEnv());
  assert.equal(partly.code, 0, partly.output);
  assert.doesNotMatch(partly.output, /Folder for the plugin|JavaScript or TypeScript/);
  const partlyManifest = JSON.parse(readFileSync(path.join(base, 'partly', 'package.json'), 'utf8')) as { name: string; plinth: { worker?: string; ui?: unknown } };
  assert.equal(partlyManifest.name, 'partly');
  assert.equal(partlyManifest.plinth.worker, 'worker.js');
  assert.equal(partlyManifest.plinth.ui, undefined);
  const partlyValidated = await cli(['validate', path.join(base, 'partly')]);
  assert.equal(partlyValidated.code, 0, partlyValidated.stderr);
  assert.match(partlyValidated.stdout, /: worker, 2 capabilities$/m);

  // A wrong answer is refused like the wrong flag, and nothing is written.
  const wrong = await runInTerminal(base, process.execPath, [INDEX, 'wrong', '--name', 'wrong', '--no-worker', '--ui', 'page'], [
    { question: /JavaScript or TypeScript\? js\/ts \(js\)/, answer: 'rust' },
  ], authorEnv());
  assert.equal(wrong.code, 2, wrong.output);
  assert.match(wrong.output, /--lang must be js or ts, got "rust"/);
  assert.ok(!readdirSync(base).includes('wrong'));
});
