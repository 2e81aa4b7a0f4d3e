import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { definePlugin, runWorker } from '../../sdk/index.ts';
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
