/**
 * The harness (@plinth/sdk/testing) refuses what the host refuses, with the host's error: for
 * every worker → host method of `HOST_API_CAPABILITIES` that needs a capability, a plugin
 * without it gets `CAPABILITY_DENIED` whose message names the capability in quotes and whose
 * `data.capability` is it, as test/integration/capabilities.test.ts checks against the real host.
 * The table is typed over every `HostMethod`, so a new method does not compile until it has a row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definePlugin, type PluginContext } from '../../sdk/index.ts';
import { HOST_API_CAPABILITIES, type HostMethod } from '../../sdk/protocol/rpc.ts';
import { createTestHarness } from '../../sdk/testing/index.ts';

const URL_TO_FETCH = 'https://api.example.com/items';

/**
 * How a plugin reaches each method through `ctx`: `call` for a promise-returning member, or
 * `setup` for a registration that a refusing host makes fail `setup` (`events.unsubscribe` is
 * only reached through a subscription, which the host refused first; `log` needs nothing).
 */
type Reach = { call: (ctx: PluginContext) => Promise<unknown> } | { setup: (ctx: PluginContext) => void } | { none: string };

const REACH: Record<HostMethod, Reach> = {
  'log': { none: 'needs no capability' },
  'config.get': { call: (ctx) => ctx.config.get() },
  'secrets.resolve': { call: (ctx) => ctx.secrets.resolve('secret-ref') },
  'state.get': { call: (ctx) => ctx.state.get({ scopeKind: 'instance', stateKey: 'k' }) },
  'state.list': { call: (ctx) => ctx.state.list({ scopeKind: 'instance' }) },
  'state.set': { call: (ctx) => ctx.state.set({ scopeKind: 'instance', stateKey: 'k' }, 1) },
  'state.delete': { call: (ctx) => ctx.state.delete({ scopeKind: 'instance', stateKey: 'k' }) },
  'projects.list': { call: (ctx) => ctx.projects.list() },
  'projects.get': { call: (ctx) => ctx.projects.get('p') },
  'projects.create': { call: (ctx) => ctx.projects.create({ name: 'x' }) },
  'projects.update': { call: (ctx) => ctx.projects.update('p', { name: 'y' }) },
  'projects.delete': { call: (ctx) => ctx.projects.delete('p') },
  'tasks.list': { call: (ctx) => ctx.tasks.list() },
  'tasks.get': { call: (ctx) => ctx.tasks.get('t') },
  'tasks.create': { call: (ctx) => ctx.tasks.create({ projectId: 'p', title: 'x' }) },
  'tasks.update': { call: (ctx) => ctx.tasks.update('t', { status: 'done' }) },
  'tasks.delete': { call: (ctx) => ctx.tasks.delete('t') },
  'comments.list': { call: (ctx) => ctx.comments.list({ taskId: 't' }) },
  'comments.create': { call: (ctx) => ctx.comments.create({ taskId: 't', body: 'x' }) },
  'comments.delete': { call: (ctx) => ctx.comments.delete('c') },
  'activity.list': { call: (ctx) => ctx.activity.list() },
  'events.subscribe': { setup: (ctx) => { ctx.events.on('task.created', () => undefined); } },
  'events.unsubscribe': { none: 'reached only through a subscription the host refused first' },
  'events.emit': { call: (ctx) => ctx.events.emit('done', { n: 1 }) },
  'jobs.register': { setup: (ctx) => ctx.jobs.register('sync', () => undefined) },
  'tools.register': { setup: (ctx) => ctx.tools.register('probe', () => ({ content: 'x' })) },
  'http.fetch': { call: (ctx) => ctx.http.fetch(URL_TO_FETCH) },
  'files.read': { call: (ctx) => ctx.files.read('a.txt') },
  'files.write': { call: (ctx) => ctx.files.write('a.txt', 'x') },
  'files.list': { call: (ctx) => ctx.files.list() },
  'files.delete': { call: (ctx) => ctx.files.delete('a.txt') },
  'files.stat': { call: (ctx) => ctx.files.stat('a.txt') },
  'permissions.request': { call: (ctx) => ctx.permissions.request([], 'probe') },
  'permissions.list': { call: (ctx) => ctx.permissions.list() },
  'streams.open': { call: (ctx) => ctx.streams.open('c') },
  'streams.emit': { call: (ctx) => ctx.streams.emit('c', 1) },
  'streams.close': { call: (ctx) => ctx.streams.close('c') },
};

const manifest = { name: 'no-caps', version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' }, plinth: { displayName: 'No caps', capabilities: [] } };

/** The refusal the host gives a call of `method` without its capability, or undefined when it needs none. */
function expectedCapability(method: HostMethod): string | undefined {
  const needed = HOST_API_CAPABILITIES[method];
  if (needed === null) return undefined;
  return needed === 'http.outbound' ? `http.outbound:${new URL(URL_TO_FETCH).hostname}` : needed;
}

function assertDenied(method: HostMethod, error: unknown, needed: string): void {
  const e = error as { code?: string; message?: string; data?: { capability?: string } };
  assert.equal(e.code, 'CAPABILITY_DENIED', `${method}: ${e.message}`);
  assert.ok(e.message?.includes(`"${needed}"`), `${method}: the message names "${needed}": ${e.message}`);
  assert.equal(e.data?.capability, needed, method);
}

test('a plugin without a capability is refused by the harness as by the host, for every gated host method', async (t) => {
  const harness = await createTestHarness({ manifest });
  t.after(() => harness.close());
  const calls = Object.entries(REACH).flatMap(([method, reach]) => ('call' in reach ? [[method as HostMethod, reach.call] as const] : []));
  await harness.setup(definePlugin({
    setup(ctx) {
      ctx.data.register<{ method: HostMethod }, unknown>('call', async ({ method }) => {
        const reach = calls.find(([m]) => m === method)?.[1];
        assert.ok(reach);
        try {
          return { ok: true, value: (await reach(ctx)) ?? null };
        } catch (error) {
          const e = error as { code?: string; message?: string; data?: { capability?: string } };
          return { ok: false, code: e.code ?? null, message: e.message ?? null, data: { capability: e.data?.capability ?? null } };
        }
      });
    },
  }));
  let gated = 0;
  for (const [method] of calls) {
    const needed = expectedCapability(method);
    const result = await harness.data('call', { method }) as { ok: boolean; code?: string; message?: string };
    if (needed === undefined) {
      // Needs no capability: it may still fail on its input (a file that does not exist), never on a capability.
      assert.notEqual(result.code, 'CAPABILITY_DENIED', `${method} needs no capability (${result.message})`);
      continue;
    }
    gated += 1;
    assert.equal(result.ok, false, `${method} was allowed without "${needed}"`);
    assertDenied(method, result, needed);
  }
  assert.ok(gated >= 20, `${gated} gated methods were called`);

  for (const [method, reach] of Object.entries(REACH) as Array<[HostMethod, Reach]>) {
    if (!('setup' in reach)) continue;
    const needed = expectedCapability(method);
    assert.ok(needed, method);
    const refused = await createTestHarness({ manifest });
    t.after(() => refused.close());
    await assert.rejects(refused.setup(definePlugin({ setup: reach.setup })), (error) => { assertDenied(method, error, needed); return true; });
  }
});
