// The harness covers what authors test beyond calls: secrets and config as the app keeps them,
// setConfig with onConfigChanged (or a restart without it), the events a plugin emitted,
// fixtures seeded into the workspace, and ctx.dataDir. (Recorded HTTP requests are covered in
// testing-harness.test.ts.)
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definePlugin, type PluginContext } from '../../sdk/index.ts';
import { createTestHarness, type TestHarness } from '../../sdk/testing/index.ts';

const SCHEMA = { type: 'object', properties: { token: { type: 'string', format: 'secret' }, board: { type: 'string' } } };

function manifest(capabilities: string[], plinth: Record<string, unknown> = {}) {
  return {
    name: 'harness-config-probe', version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: { displayName: 'Probe', capabilities, configSchema: SCHEMA, ...plinth },
  };
}

async function harness(t: TestContext, options: Partial<Parameters<typeof createTestHarness>[0]> & { capabilities?: string[] } = {}): Promise<TestHarness> {
  const { capabilities = [], ...rest } = options;
  const h = await createTestHarness({ manifest: manifest(capabilities), ...rest });
  t.after(() => h.close());
  return h;
}

test('secrets are sealed as Settings seals them: config shows a reference, ctx.secrets.resolve the value', async (t) => {
  const h = await harness(t, { capabilities: ['secrets.read-ref'], config: { board: 'main' }, secrets: { token: 's3cret' } });
  let seen: unknown;
  await h.setup(definePlugin({
    async setup(ctx) {
      const config = await ctx.config.get();
      seen = { config, value: await ctx.secrets.resolve(config.token as string) };
    },
  }));
  const { config, value } = seen as { config: Record<string, string>; value: string };
  assert.match(config.token ?? '', /^secret:/);
  assert.equal(config.board, 'main');
  assert.equal(value, 's3cret');
  assert.deepEqual(h.config, config);
  await assert.rejects(createTestHarness({ manifest: manifest([]), secrets: { board: 'x' } }), { code: 'INVALID_INPUT', message: /no secret property "board"/ });
});

test('setConfig calls onConfigChanged with the sealed config; without the hook the worker is set up again', async (t) => {
  const changes: unknown[] = [];
  const withHook = await harness(t, { config: { board: 'a' } });
  await withHook.setup(definePlugin({ onConfigChanged(config) { changes.push(config); } }));
  assert.deepEqual(await withHook.setConfig({ board: 'b', token: 'new' }), { applied: 'onConfigChanged' });
  assert.equal((changes[0] as { board: string }).board, 'b');
  assert.match((changes[0] as { token: string }).token, /^secret:/, 'the plugin never sees the plaintext in its config');

  let setups = 0;
  const boards: unknown[] = [];
  const noHook = await harness(t, { config: { board: 'a' } });
  await noHook.setup(definePlugin({ async setup(ctx: PluginContext) { setups += 1; boards.push((await ctx.config.get()).board); } }));
  assert.deepEqual(await noHook.setConfig({ board: 'b' }), { applied: 'restarted' });
  assert.equal(setups, 2);
  assert.deepEqual(boards, ['a', 'b']);

  const notYet = await harness(t);
  assert.deepEqual(await notYet.setConfig({ board: 'c' }), { applied: 'stored' });
  assert.equal(notYet.config.board, 'c');
});

test('emitted records every event the plugin emitted, with the name others receive it as', async (t) => {
  const h = await harness(t, { capabilities: ['events.emit'] });
  await h.setup(definePlugin({
    setup(ctx) { ctx.actions.register('done', async (params) => { await ctx.events.emit('sync-done', params); return null; }); },
  }));
  await h.action('done', { n: 1 });
  await h.action('done', { n: 2 });
  assert.deepEqual(h.emitted, [
    { name: 'sync-done', deliveredAs: 'plugin.harness-config-probe.sync-done', payload: { n: 1 } },
    { name: 'sync-done', deliveredAs: 'plugin.harness-config-probe.sync-done', payload: { n: 2 } },
  ]);
  // Without the capability, nothing is emitted and nothing recorded.
  const denied = await harness(t, { capabilities: ['events.emit'], withoutCapabilities: ['events.emit'] });
  await denied.setup(definePlugin({ setup(ctx) { ctx.actions.register('done', () => ctx.events.emit('x', null)); } }));
  await assert.rejects(denied.action('done'), { code: 'CAPABILITY_DENIED' });
  assert.deepEqual(denied.emitted, []);
});

test('seed.fixtures creates projects, tasks, comments and state; the plugin sees them; a wrong field is named', async (t) => {
  const h = await harness(t, { capabilities: ['tasks.read', 'plugin.state.read', 'events.subscribe'] });
  const created: string[] = [];
  await h.setup(definePlugin({
    setup(ctx) {
      ctx.events.on('task.created', (event) => { created.push((event.payload as { title: string }).title); });
      ctx.data.register('summary', async () => ({
        tasks: (await ctx.tasks.list()).items.length,
        pinned: await ctx.state.get({ scopeKind: 'instance', stateKey: 'pinned' }),
      }));
    },
  }));
  const seeded = await h.seed.fixtures({
    projects: [{ name: 'Launch', tasks: [{ title: 'a', comments: [{ body: 'hi' }], state: [{ stateKey: 'seen', value: true }] }, { title: 'b', status: 'done' }] }],
    state: [{ stateKey: 'pinned', value: 'Launch' }],
  });
  assert.equal(seeded.tasks.length, 2);
  assert.equal(seeded.comments.length, 1);
  assert.equal(seeded.stateEntries, 2);
  assert.deepEqual(created.sort(), ['a', 'b'], 'the core events reached the plugin before fixtures() resolved');
  assert.deepEqual(await h.data('summary'), { tasks: 2, pinned: 'Launch' });
  assert.equal(h.state.get({ scopeKind: 'task', scopeId: seeded.tasks[0]!.id, stateKey: 'seen' }), true);
  assert.equal(h.workspace.comments.list({ taskId: seeded.tasks[0]!.id }).items[0]?.body, 'hi');
  await assert.rejects(h.seed.fixtures({ projects: [{ name: 'x', tasks: [{ title: 'c', status: 'finished' as never }] }] }), {
    code: 'INVALID_INPUT', message: /projects\[0\]\.tasks\[0\]\.status/,
  });
});

test('dataDir is a private folder the plugin and the test both reach', async (t) => {
  const h = await harness(t);
  writeFileSync(join(h.dataDir, 'seed.txt'), 'from the test');
  await h.setup(definePlugin({
    setup(ctx) { ctx.actions.register('copy', async () => { const { readFile, writeFile } = await import('node:fs/promises'); await writeFile(join(ctx.dataDir, 'out.txt'), await readFile(join(ctx.dataDir, 'seed.txt'), 'utf8')); return ctx.dataDir; }); },
  }));
  assert.equal(await h.action('copy'), h.dataDir);
  assert.equal(readFileSync(join(h.dataDir, 'out.txt'), 'utf8'), 'from the test');
});
