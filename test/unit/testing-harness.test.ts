// The public test harness (@plinth/sdk/testing): a plugin's setup runs in-process against the
// host's real services and capability guard, so what passes here behaves the same in the app.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type PluginContext, type PluginDefinition } from '../../sdk/index.ts';
import { createTestHarness, type TestHarness } from '../../sdk/testing/index.ts';

const COUNTER = { scopeKind: 'instance', stateKey: 'counter' } as const;

/** A manifest object for a plugin under test; `plinth` keys are merged in. */
function manifest(capabilities: string[], plinth: Record<string, unknown> = {}) {
  return {
    name: 'harness-probe', version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: { displayName: 'Harness probe', capabilities, ...plinth },
  };
}

async function harnessFor(t: TestContext, capabilities: string[], plinth: Record<string, unknown> = {}): Promise<TestHarness> {
  const harness = await createTestHarness({ manifest: manifest(capabilities, plinth) });
  t.after(() => harness.close());
  return harness;
}

test('an invalid manifest is refused with every problem named, as the app refuses it', async () => {
  await assert.rejects(
    createTestHarness({ manifest: { ...manifest(['tasks.readall']), version: 'one' } }),
    (error: Error & { code?: string; data?: { problems: string[] } }) => {
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, /version/);
      assert.match(error.message, /tasks\.readall/);
      assert.equal(error.data?.problems.length, 2);
      return true;
    },
  );
  await assert.rejects(createTestHarness({ manifest: { ...manifest([]), name: 'plinth-mine' } }), /reserved/);
});

test('state set by the plugin round-trips through the host and is visible to the test', async (t) => {
  const harness = await harnessFor(t, ['plugin.state.read', 'plugin.state.write']);
  await harness.setup(definePlugin({
    async setup(ctx) {
      ctx.actions.register('increment', async () => {
        const next = (((await ctx.state.get(COUNTER)) as number | null) ?? 0) + 1;
        await ctx.state.set(COUNTER, next);
        return { count: next };
      });
      ctx.data.register('count', async () => ctx.state.get(COUNTER));
    },
  }));
  harness.state.set(COUNTER, 41);
  assert.deepEqual(await harness.action('increment'), { count: 42 });
  assert.equal(harness.state.get(COUNTER), 42);
  assert.equal(await harness.data('count'), 42);
  await assert.rejects(harness.data('missing'), { code: 'NOT_FOUND', message: /ctx\.data\.register\("missing"/ });
});

test('calls without the declared capability reject with CAPABILITY_DENIED naming it', async (t) => {
  const harness = await harnessFor(t, ['plugin.state.read']);
  await harness.setup(definePlugin({
    async setup(ctx) {
      ctx.actions.register('write', async () => ctx.state.set(COUNTER, 1));
      ctx.data.register('tasks', async () => ctx.tasks.list());
    },
  }));
  await assert.rejects(harness.action('write'), { code: 'CAPABILITY_DENIED', message: /plugin\.state\.write/ });
  await assert.rejects(harness.data('tasks'), { code: 'CAPABILITY_DENIED', message: /tasks\.read/ });
  assert.equal(harness.state.get(COUNTER), null, 'nothing was written');

  const noEvents = await harnessFor(t, []);
  await assert.rejects(
    noEvents.setup(definePlugin({ setup(ctx) { ctx.events.on('task.created', () => undefined); } })),
    { code: 'CAPABILITY_DENIED', message: /events\.subscribe/ },
  );
});

test('seeded changes reach ctx.events.on handlers, with project filters and read capabilities applied', async (t) => {
  const seen: string[] = [];
  const subscriber = (projectFilter: () => string): PluginDefinition => definePlugin({
    setup(ctx: PluginContext) {
      ctx.events.on('task.*', (event) => { seen.push(`any:${event.name}:${(event.payload as { title: string }).title}`); });
      ctx.events.on('task.created', { projectId: projectFilter() }, (event) => { seen.push(`filtered:${(event.payload as { title: string }).title}`); });
      ctx.events.on('plugin.other.synced', (event) => { seen.push(`plugin:${JSON.stringify(event.payload)}`); });
    },
  });
  const harness = await harnessFor(t, ['events.subscribe', 'tasks.read']);
  const launch = await harness.seed.project({ name: 'Launch' });
  const other = await harness.seed.project({ name: 'Other' });
  await harness.setup(subscriber(() => launch.id));
  const task = await harness.seed.task({ projectId: launch.id, title: 'Write docs' });
  await harness.seed.task({ projectId: other.id, title: 'Elsewhere' });
  harness.workspace.tasks.update({ user: true }, task.id, { status: 'done' });
  await harness.settled();
  await harness.emit('plugin.other.synced', { n: 1 });
  assert.deepEqual(seen.sort(), [
    'any:task.created:Elsewhere', 'any:task.created:Write docs', 'any:task.updated:Write docs',
    'filtered:Write docs', 'plugin:{"n":1}',
  ]);

  seen.length = 0;
  const blind = await harnessFor(t, ['events.subscribe']);
  const project = await blind.seed.project({ name: 'P' });
  await blind.setup(subscriber(() => project.id));
  await blind.seed.task({ projectId: project.id, title: 'Hidden' });
  await blind.emit('plugin.other.synced', { n: 2 });
  assert.deepEqual(seen, ['plugin:{"n":2}'], 'without tasks.read no task event arrives');
  await assert.rejects(blind.emit('made.up'), { code: 'INVALID_INPUT' });
});

test('jobs run through the real scheduler and return their run record, failures included', async (t) => {
  const harness = await harnessFor(t, ['jobs.schedule', 'plugin.state.write'], {
    jobs: [
      { jobKey: 'sync', displayName: 'Sync', schedule: '*/15 * * * *' },
      { jobKey: 'broken', displayName: 'Broken', schedule: '0 * * * *' },
    ],
  });
  await harness.setup(definePlugin({
    setup(ctx) {
      ctx.jobs.register('sync', async (job) => { await ctx.state.set(COUNTER, job.runId); });
      ctx.jobs.register('broken', async () => { throw new Error('upstream down'); });
    },
  }));
  const run = await harness.runJob('sync');
  assert.equal(run.status, 'succeeded');
  assert.equal(run.trigger, 'manual');
  assert.equal(harness.state.get(COUNTER), run.runId);
  const failed = await harness.runJob('broken');
  assert.equal(failed.status, 'failed');
  assert.match(failed.error ?? '', /upstream down/);
  await assert.rejects(harness.runJob('nope'), { code: 'NOT_FOUND' });

  const undeclared = await harnessFor(t, ['jobs.schedule'], { jobs: [{ jobKey: 'sync', displayName: 'Sync', schedule: '0 * * * *' }] });
  await assert.rejects(undeclared.setup(definePlugin({ setup(ctx) { ctx.jobs.register('other', () => undefined); } })), /not declared in plinth\.jobs/);
});

test('webhooks go through the real local server: plugin answers, 502 when it throws, 503 before setup', async (t) => {
  const harness = await harnessFor(t, ['webhooks.receive'], { webhooks: [{ endpointKey: 'inbox', displayName: 'Inbox' }] });
  assert.equal((await harness.webhook('inbox', { body: '{}' })).status, 503, 'not set up yet: the app answers 503 too');
  await harness.setup(definePlugin({
    async onWebhook(input) {
      if (input.query.fail) throw new Error('boom');
      return { status: 201, body: JSON.stringify({ method: input.method, got: JSON.parse(input.body) }), headers: { 'x-echo': 'yes' } };
    },
  }));
  const answer = await harness.webhook('inbox', { body: { n: 1 } });
  assert.equal(answer.status, 201);
  assert.deepEqual(JSON.parse(answer.body), { method: 'POST', got: { n: 1 } });
  assert.equal(answer.headers['x-echo'], 'yes');
  assert.equal((await harness.webhook('inbox', { body: '{}', query: { fail: '1' } })).status, 502);
  await assert.rejects(harness.webhook('other'), { code: 'NOT_FOUND' });
});

test('tool params are validated against parametersSchema before the plugin sees them', async (t) => {
  const harness = await harnessFor(t, ['agent.tools.register'], {
    tools: [{
      name: 'greet', displayName: 'Greet', description: 'Greets someone',
      parametersSchema: { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'], additionalProperties: false },
    }],
  });
  const calls: unknown[] = [];
  await harness.setup(definePlugin({
    setup(ctx) {
      ctx.tools.register<{ name: string }>('greet', (params) => {
        calls.push(params);
        return { content: `Hello, ${params.name}`, data: { greeted: params.name } };
      });
    },
  }));
  assert.deepEqual(await harness.tool('greet', { name: 'Ada' }), { content: 'Hello, Ada', data: { greeted: 'Ada' } });
  await assert.rejects(harness.tool('greet', { name: 7 }), { code: 'INVALID_INPUT', message: /\/name must be string/ });
  await assert.rejects(harness.tool('greet', {}), { code: 'INVALID_INPUT', message: /name/ });
  await assert.rejects(harness.tool('wave', {}), { code: 'NOT_FOUND' });
  assert.deepEqual(calls, [{ name: 'Ada' }]);
});

test('ctx.http.fetch reaches stubs only for declared hosts', async (t) => {
  const harness = await harnessFor(t, ['http.outbound:api.example.com']);
  await harness.setup(definePlugin({
    setup(ctx) {
      ctx.data.register<{ url: string }>('get', async ({ url }) => {
        const response = await ctx.http.fetch(url, { headers: { authorization: 'Bearer x' } });
        return { status: response.status, body: response.body, type: response.headers['content-type'] ?? null };
      });
    },
  }));
  harness.http.respond('https://api.example.com/items', { body: { items: [1, 2] } });
  assert.deepEqual(await harness.data('get', { url: 'https://api.example.com/items?page=1' }), {
    status: 200, body: '{"items":[1,2]}', type: 'application/json',
  });
  assert.equal(harness.http.requests[0]?.headers.authorization, 'Bearer x');
  await assert.rejects(harness.data('get', { url: 'https://evil.example.org/x' }), { code: 'CAPABILITY_DENIED', message: /http\.outbound:evil\.example\.org/ });
  await assert.rejects(harness.data('get', { url: 'http://api.example.com/items' }), { code: 'INVALID_INPUT', message: /https/ });
  await assert.rejects(harness.data('get', { url: 'https://api.example.com/other' }), { code: 'NETWORK_ERROR', message: /harness\.http\.respond/ });
  harness.http.respond(/\/moved$/, { status: 302, headers: { location: 'https://elsewhere.example.net/' } });
  await assert.rejects(harness.data('get', { url: 'https://api.example.com/moved' }), { code: 'CAPABILITY_DENIED', message: /elsewhere\.example\.net/ });
  assert.equal(harness.http.requests.length, 2, 'refused requests never reached the network');
});

test('plugin writes are logged as activity, readable with activity.read; user seeds are not', async (t) => {
  const harness = await harnessFor(t, ['projects.write', 'activity.read']);
  await harness.seed.project({ name: 'Seeded by the user' });
  await harness.setup(definePlugin({
    setup(ctx) {
      ctx.actions.register('create', async () => (await ctx.projects.create({ name: 'Made by the plugin' })).id);
      ctx.data.register('activity', async () => (await ctx.activity.list()).items.map((entry) => entry.action));
      ctx.logger.info('ready', { ok: true });
    },
  }));
  const id = await harness.action<string>('create');
  assert.deepEqual(harness.activity().map((entry) => [entry.action, entry.entityId]), [['project.created', id]]);
  assert.deepEqual(await harness.data('activity'), ['project.created']);
  await harness.settled();
  assert.ok(harness.logs.some((line) => line.message === 'ready' && line.source === 'logger'));
});

test('setup() without an argument loads plinth.worker from the folder, fresh per harness', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-harness-folder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest([]), plinth: { ...manifest([]).plinth, worker: 'dist/worker.js' } }));
  // Only runWorker, no default export; a module-level counter shows whether instances are shared.
  writeFileSync(join(dir, 'dist/worker.js'), `import { definePlugin, runWorker } from '@plinth/sdk';
    let loads = 0;
    loads += 1;
    runWorker(definePlugin({ setup(ctx) { ctx.data.register('loads', () => loads); } }), import.meta.url);`);
  for (let i = 0; i < 2; i++) {
    const harness = await createTestHarness({ manifest: dir });
    t.after(() => harness.close());
    await harness.setup();
    assert.equal(await harness.data('loads'), 1);
    await assert.rejects(harness.setup(), { code: 'CONFLICT' });
  }
  const missing = await createTestHarness({ manifest: { ...manifest([]), plinth: { ...manifest([]).plinth, worker: 'dist/gone.js' } }, pluginDir: dir })
    .catch((error: Error) => error);
  assert.match(String(missing), /plinth\.worker/);
});

test('results cross as JSON text, as over the process boundary: a Date arrives as a string, a BigInt fails', async (t) => {
  const harness = await harnessFor(t, []);
  await harness.setup(definePlugin({
    setup(ctx) {
      ctx.data.register('date', () => ({ when: new Date(0) }));
      ctx.data.register('bigint', () => ({ n: 10n }));
      ctx.data.register('nothing', () => undefined);
    },
  }));
  assert.deepEqual(await harness.data('date'), { when: '1970-01-01T00:00:00.000Z' });
  await assert.rejects(harness.data('bigint'), { code: 'PLUGIN_ERROR', message: /only JSON values/ });
  assert.equal(await harness.data('nothing'), null);
});

test('calls before setup and after close are refused with NOT_READY', async (t) => {
  const harness = await harnessFor(t, []);
  await assert.rejects(harness.data('x'), { code: 'NOT_READY', message: /harness\.setup\(\)/ });
  await harness.setup(definePlugin({ setup(ctx) { ctx.data.register('x', () => 1); } }));
  assert.equal(await harness.data('x'), 1);
  assert.deepEqual(await harness.health(), { status: 'ok' });
  await harness.close();
  await assert.rejects(harness.data('x'), { code: 'NOT_READY' });
  await harness.close();
});

test('answerPermission plays the user for ctx.permissions.request; without it a request is NOT_READY', async (t) => {
  const asked: Array<{ capabilities: string[]; reason: string }> = [];
  const plinth = { optionalCapabilities: ['projects.write', 'http.outbound:*'] };
  const harness = await createTestHarness({
    manifest: manifest([], plinth),
    answerPermission: (request) => (asked.push(request), request.capabilities.includes('projects.write')),
  });
  t.after(() => harness.close());
  await harness.setup(definePlugin({
    async setup(ctx) {
      ctx.actions.register('ask', async (params: { capabilities: string[] }) => ctx.permissions.request(params.capabilities as never, 'File replies as projects'));
      ctx.actions.register('create', async () => (await ctx.projects.create({ name: 'From a reply' })).name);
    },
  }));
  await assert.rejects(harness.action('create'), { code: 'CAPABILITY_DENIED', message: /ask the user for it first with ctx\.permissions\.request/ });
  assert.deepEqual(await harness.action('ask', { capabilities: ['projects.write'] }), ['projects.write']);
  assert.equal(await harness.action('create'), 'From a reply');
  assert.deepEqual(await harness.action('ask', { capabilities: ['http.outbound:discord.com'] }), [], 'denied');
  assert.deepEqual(await harness.action('ask', { capabilities: ['http.outbound:discord.com', 'projects.write'] }), ['projects.write'], 'both remembered');
  assert.deepEqual(asked, [
    { capabilities: ['projects.write'], reason: 'File replies as projects' },
    { capabilities: ['http.outbound:discord.com'], reason: 'File replies as projects' },
  ]);

  const alone = await harnessFor(t, [], plinth);
  await alone.setup(definePlugin({
    async setup(ctx) { ctx.actions.register('ask', async () => ctx.permissions.request(['projects.write'], 'x')); },
  }));
  await assert.rejects(alone.action('ask'), { code: 'NOT_READY' });
});
