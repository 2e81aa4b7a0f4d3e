import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { definePlugin, runWorker } from '../../sdk/index.ts';
import { defaultBootstrapPath } from '../../sdk/worker/bootstrap-path.ts';
import { WORKER_RUNTIME_KEY } from '../../sdk/worker/runtime-global.ts';
import { createTempDir } from '../support/plugin-folders.ts';
import { startFixture } from './worker-harness.ts';

const SDK_ENTRY = fileURLToPath(new URL('../../sdk/index.ts', import.meta.url));

test('a plugin that bundles its own copy of @plinth/sdk still registers through runWorker', async (t) => {
  const dir = createTempDir(t, 'plinth-bundled-');
  const source = join(dir, 'src.js');
  await writeFile(source, [
    "import { definePlugin, runWorker } from '@plinth/sdk';",
    'const plugin = definePlugin({ setup(ctx) { ctx.data.register("hello", (p) => ({ hello: p.name, from: "bundled" })); } });',
    'runWorker(plugin, import.meta.url);',
  ].join('\n'));
  const entry = join(dir, 'worker.mjs');
  await build({ entryPoints: [source], outfile: entry, bundle: true, format: 'esm', platform: 'node', alias: { '@plinth/sdk': SDK_ENTRY }, logLevel: 'silent' });

  const { handle } = await startFixture(t, 'bundled', { entry });
  const ready = await handle.start();
  assert.deepEqual(ready.data, ['hello']);
  assert.deepEqual(await handle.call('data.get', 'hello', { name: 'Ada' }), { hello: 'Ada', from: 'bundled' });
});

test('runWorker outside a worker process is a no-op: importing a plugin entry starts nothing', () => {
  let setupRan = false;
  const plugin = definePlugin({ setup: () => void (setupRan = true) });
  assert.equal(runWorker(plugin, import.meta.url), undefined);
  assert.equal(setupRan, false);
  assert.equal((globalThis as Record<symbol, unknown>)[WORKER_RUNTIME_KEY], undefined);
});

test('definePlugin rejects a hook that is not a function, naming it', () => {
  assert.throws(() => definePlugin({ onHealth: 'ok' } as never), /"onHealth" must be a function/);
});

test('a worker runs the bundled JavaScript runtime, and `@plinth/sdk` in a plugin is that runtime (one PlinthError class)', async (t) => {
  const dir = createTempDir(t, 'plinth-runtime-');
  const entry = join(dir, 'worker.js');
  await writeFile(entry, [
    "import { definePlugin, PlinthError } from '@plinth/sdk';",
    'export default definePlugin({ setup(ctx) {',
    '  ctx.data.register("where", async () => {',
    '    const thrown = await ctx.state.get({ scopeKind: "bogus", stateKey: "k" }).catch((error) => error);',
    '    return { runtime: process.argv[1], sdk: import.meta.resolve("@plinth/sdk"), sameClass: thrown instanceof PlinthError, code: thrown?.code ?? null };',
    '  });',
    '} });',
  ].join('\n'));
  // Unsandboxed, to read process.argv; the sandbox corpus shows the same runtime confined.
  const { handle } = await startFixture(t, 'runtime', { entry, sandboxRoot: null });
  await handle.start();
  const where = await handle.call('data.get', 'where', null) as { runtime: string; sdk: string; sameClass: boolean; code: string | null };
  assert.equal(where.runtime, defaultBootstrapPath());
  assert.match(where.runtime, /worker-runtime\.mjs$/);
  assert.equal(where.sdk, pathToFileURL(defaultBootstrapPath()).href);
  assert.ok(where.code, 'the bad state key was refused');
  assert.equal(where.sameClass, true);
});

test('the bundled runtime is Latin-1 text, so every worker holds its source at one byte per character', async () => {
  const source = await readFile(defaultBootstrapPath(), 'utf8');
  // By code point, so characters beyond U+FFFF (an emoji) count too.
  const wide: string[] = [];
  let at = 0;
  for (const char of source) {
    if (char.codePointAt(0)! > 0xff) wide.push(source.slice(Math.max(0, at - 30), at + 10));
    at += char.length;
  }
  assert.deepEqual(wide, [], 'a character above U+00FF in a comment esbuild keeps: write it in ASCII');
});
